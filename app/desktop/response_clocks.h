#pragma once

#include "app/shared/incident_driver.h"

#include <QList>
#include <QString>

namespace runlane::desktop {

// A clock the on-call engineer watches during a walk: how long the current step has taken
// against its `timeout`, and how long the incident has run against each budget (acknowledge,
// mitigate, resolve) until that milestone was reached.
struct ResponseClock
{
    enum class Kind { Step, Acknowledge, Mitigate, Resolve };
    Kind kind = Kind::Step;
    qint64 elapsedMs = 0; // until now, or until the milestone was reached
    qint64 limitMs = 0;
    bool reached = false; // the milestone is behind us: the clock has stopped

    bool over() const { return elapsedMs > limitMs; }
};

QString toString(ResponseClock::Kind kind);

// The clocks that apply now: the step's when it has a `timeout` (not an `until` wait, whose
// timeout leads on instead), each budget the playbook sets. None once the incident has ended.
QList<ResponseClock> responseClocks(const Session &session,
                                    const IncidentDriver::ResponseTimes &times, qint64 nowMs);

// "4:10 of 5:00", "over by 1:12", "met in 3:05".
QString clockText(const ResponseClock &clock);
// Minutes and seconds, with hours when needed.
QString durationText(qint64 ms);

} // namespace runlane::desktop
