#pragma once

#include "engine/session/session.h"

#include <memory>
#include <variant>

namespace runlane {

// Rebuilds a session from the events its journal holds, so that an incident resumes exactly where
// it stopped: same step, same vars, same visits, same times. The walk is done again move by move
// (each answer, result, confirmation and note the events record), and every event the session
// emits must match the next one in the journal (kind and step); a mismatch is an error naming the
// event, as when the journal and the playbook snapshot disagree. The journal may end between two
// events of one move; the rest of that move is handed back as `unrecorded`. The returned session
// has no sink yet: give it one (and a clock) before going on.
//
// A WorkRequested with no WorkResult after it (the process died while the work was out) leaves the
// session waiting for that work again: the driver finds out from the journal's action attempts
// what was sent.
struct ReplayedSession
{
    std::unique_ptr<Session> session;
    // The events the last recorded move leads to that the journal does not hold (the process
    // stopped between the events of one move, e.g. after a result and before its branch): the
    // driver writes them to the journal before anything else.
    QList<Event> unrecorded;
};

std::variant<ReplayedSession, QString> replaySession(PlaybookPtr playbook, const QString &actor,
                                                     const QList<Event> &events);

// The WorkResult an event of kind WorkResult records (session.cpp writes them).
WorkResult workResultFromEvent(const Event &event);

} // namespace runlane
