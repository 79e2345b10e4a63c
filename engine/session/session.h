#pragma once

#include "engine/playbook/playbook.h"
#include "engine/session/event.h"
#include "engine/session/executor.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace runlane {

// The walk of one incident through a loaded playbook: a state machine free of UI and transport.
// The driver (CLI, app, scenario test) looks at waiting(), gives the engineer's answers or the
// executor's results, and the session moves on. Every transition emits an Event to the sink
// before the session's state is observable, so a journal can write it first.
class Session
{
public:
    enum class Waiting {
        NotStarted,
        Task,     // a person completes the task (checklist)
        Decision, // a person picks an option
        Choice,   // an inconclusive result: a person picks the way on among choices()
        Confirm,  // an action gate: confirm, skip or abort
        Work,     // automated work: pendingWork() goes to an executor, then feed()
        Wait,     // a wait: elapse/skip it (duration), or poll with pendingWork() (until)
        Ended,
    };

    struct Clock
    {
        std::function<qint64()> nowUtcMs; // default: the system clock
    };

    using EventSink = std::function<void(const Event &)>;

    // A checklist item's state when a task is completed.
    enum class Mark { Ticked, Skipped };

    Session(PlaybookPtr playbook, QString actor, EventSink sink, Clock clock = {});

    // For a session rebuilt from its journal (session_replay.h): events go to the new sink from
    // now on, times come from the new clock (an empty one: the system clock).
    void setEventSink(EventSink sink) { m_sink = std::move(sink); }
    void setClock(Clock clock);

    // Starts with inputs already checked (checkInputs) and enters the start step.
    void start(const QString &incidentId, const QJsonObject &inputs);

    Waiting waiting() const { return m_waiting; }
    const Step *current() const { return m_current; }
    const Playbook &playbook() const { return *m_playbook; }
    PlaybookPtr playbookPtr() const { return m_playbook; }
    const QString &incidentId() const { return m_incidentId; }
    qint64 startedAtMs() const { return m_startedAtMs; }
    qint64 stepEnteredAtMs() const { return m_stepEnteredAtMs; }
    const QJsonObject &inputs() const { return m_inputs; }
    const QJsonObject &vars() const { return m_vars; }
    const QStringList &path() const { return m_path; } // every step entered, in order
    std::optional<Outcome> outcome() const { return m_outcome; }
    bool dryRun() const { return m_dryRun; }
    void setDryRun(bool dryRun) { m_dryRun = dryRun; }

    // Why the walk waits for a person after an inconclusive result, and the ways to choose from.
    const QString &inconclusiveReason() const { return m_reason; }
    const QStringList &choices() const { return m_choices; }

    // The work to hand to an executor (Waiting::Work, or Waiting::Wait with `until`).
    std::optional<WorkRequest> pendingWork() const;
    // The action waiting at its gate (Waiting::Confirm), as pendingWork() will hand it out once
    // confirmed: so that the engineer sees the exact request before confirming.
    std::optional<WorkRequest> gatedWork() const;
    // The same, recorded as requested: drivers call this when they hand the work to an executor.
    std::optional<WorkRequest> beginWork();
    // What templates and expressions may read now: inputs, vars, incident.
    expr::Scope scope() const;

    // The engineer's moves. Each returns an error text when it does not apply now.
    std::optional<QString> completeTask(const QList<Mark> &checklist);
    std::optional<QString> decide(const QString &label);
    std::optional<QString> choose(const QString &stepId);
    std::optional<QString> confirmAction();
    std::optional<QString> skipAction();
    std::optional<QString> skipWait();
    std::optional<QString> waitElapsed();  // a `duration` wait has run its time
    std::optional<QString> waitTimedOut(); // an `until` wait's timeout ran out
    std::optional<QString> goBack(const QString &stepId);
    // A note by the engineer, or with `actor` by someone else (runlane's own notes on the walk).
    void addNote(const QString &text, const QString &actor = QString());
    void abort(const QString &reason);

    // The executor's answer to pendingWork(). With the request's `token`, a result that arrives
    // after the walk has moved on (a skipped wait's poll, a step left with goBack) is refused
    // instead of being taken for the new step's.
    std::optional<QString> feed(const WorkResult &result, quint64 token = 0);

private:
    std::optional<WorkRequest> workOfCurrentStep() const;
    void record(EventKind kind, const QString &text, const QJsonObject &details = {},
                const QString &actor = QString());
    void enter(const QString &stepId);
    void leaveTo(const QString &stepId);
    void end(Outcome outcome, const QString &why);
    // `retry`: the step itself is offered too (entered again, as a new attempt).
    void inconclusive(const QString &reason, const QJsonObject &details, bool retry = false);
    QStringList branchTargets(const Step &step) const;
    void feedCheck(const WorkResult &result);
    void feedAction(const WorkResult &result);
    void feedPoll(const WorkResult &result);
    expr::Scope resultScope(const WorkResult &result) const;
    std::optional<QString> saveVars(const WorkResult &result);
    std::optional<QString> expectWaiting(Waiting state, const char *what) const;

    PlaybookPtr m_playbook;
    QString m_actor;
    EventSink m_sink;
    Clock m_clock;
    QString m_incidentId;
    qint64 m_startedAtMs = 0;
    qint64 m_stepEnteredAtMs = 0;
    QJsonObject m_inputs;
    QJsonObject m_vars;
    QStringList m_path;
    QHash<QString, int> m_visits;
    quint64 m_entry = 0; // counts step entries: the token of the work handed out
    const Step *m_current = nullptr;
    Waiting m_waiting = Waiting::NotStarted;
    std::optional<Outcome> m_outcome;
    QString m_reason;
    QStringList m_choices;
    bool m_dryRun = false;
};

QString toString(Session::Waiting waiting);

} // namespace runlane
