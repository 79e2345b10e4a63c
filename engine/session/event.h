#pragma once

#include <QJsonObject>
#include <QString>

namespace runlane {

// What happened in an incident, one typed record per transition of the walk. The journal stores
// these as they come and the exports read them back; nothing else is needed to rebuild a session.
enum class EventKind {
    IncidentStarted, // details: playbook, inputs
    StepEntered,     // details: type, visit
    TaskCompleted,   // details: checklist [{item, state}]
    DecisionMade,    // details: label, next
    WorkRequested,   // a check, action, escalation or wait poll handed to the executor
    WorkResult,      // details: outcome, value/status/body excerpt, message
    ActionConfirmed,
    ActionSkipped,
    Inconclusive, // details: reason, value, choices
    ChoiceMade,   // details: next (chosen by the engineer after an inconclusive result)
    BranchTaken,  // details: label, next (an automated step picked its way on)
    VarSaved,     // details: name, value
    WaitStarted,  // details: duration_ms or until
    WaitEnded,    // details: how (elapsed, condition, timeout, skipped)
    WentBack,     // details: from, to
    NoteAdded,
    IncidentEnded, // details: outcome
};

QString toString(EventKind kind);
std::optional<EventKind> eventKindFromString(const QString &text);

struct Event
{
    qint64 utcMs = 0; // milliseconds since the epoch, UTC
    QString stepId;
    QString lane;
    EventKind kind = EventKind::NoteAdded;
    QString actor; // the OS user who did it, or "runlane" for automated work
    QString text;  // one line a person reads in the timeline
    QJsonObject details;
};

} // namespace runlane
