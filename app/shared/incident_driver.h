#pragma once

#include "app/shared/incident_recorder.h"
#include "engine/session/session.h"
#include "integrations/http_executor.h"

#include <QObject>
#include <QTimer>

#include <memory>

// Walks an incident for a window: the journal-first walk of `runlane-cli run`, driven by events
// instead of blocking loops. Automated work (checks, actions, fan-outs, polls) goes out through
// the executor and comes back as a queued result; waits run on timers. The window reads the
// session after stateChanged() and answers with the moves below; nothing here ever waits.
class IncidentDriver : public QObject
{
    Q_OBJECT

public:
    // When the incident started and reached its response-time milestones (milestonesOf), for
    // the clocks against the playbook's budget.
    struct ResponseTimes
    {
        qint64 startedAtMs = 0;
        std::optional<qint64> acknowledgedAtMs;
        std::optional<qint64> mitigatedAtMs;
        std::optional<qint64> resolvedAtMs;
    };

    IncidentDriver(IncidentRecorder &recorder, runlane::ResolvedTargets targets,
                   QObject *parent = nullptr);
    ~IncidentDriver() override;

    // Starts a new incident with inputs already checked (checkInputs).
    void start(runlane::PlaybookPtr playbook, const QJsonObject &inputs, const QString &actor,
               bool dryRun, bool drill);

    // Goes on with an incident that did not end, rebuilt from its journal (replaySession): the
    // rest of the move it stopped in is journaled, the resume noted, requests with a result are
    // not sent again. Requests of the waiting action whose outcome is unknown are held until
    // resendUnknown() or recordUnknown(). Returns why it cannot be resumed.
    std::optional<QString> resume(const runlane::IncidentJournal &earlier,
                                  runlane::PlaybookPtr playbook, const QString &actor);
    // The waiting action's requests whose intent is in the journal without a result.
    const QList<runlane::ActionAttempt> &unknownOutcomes() const { return m_unknown; }
    // Sends them again, under their same keys.
    void resendUnknown();
    // Records by hand what became of them (a single request only; a fan-out is re-sent).
    std::optional<QString> recordUnknown(bool succeeded, const QString &who);

    const runlane::Session *session() const { return m_session.get(); }
    const ResponseTimes &responseTimes() const { return m_times; }
    runlane::HttpExecutor &executor() { return *m_http; }
    // Automated work is out (a request, a fan-out, a poll): the moves below wait for it.
    bool isWorking() const { return m_working; }
    const std::optional<QString> &journalFailure() const { return m_recorder.failure(); }

    // The engineer's moves; each returns why it does not apply now.
    std::optional<QString> completeTask(const QList<runlane::Session::Mark> &checklist);
    std::optional<QString> decide(const QString &label);
    std::optional<QString> choose(const QString &stepId);
    std::optional<QString> confirmAction();
    std::optional<QString> skipAction();
    std::optional<QString> skipWait();
    std::optional<QString> goBack(const QString &stepId);
    void addNote(const QString &text);
    void abort(const QString &reason);
    // At a fan-out's wave gate (waveGateReached): run the next wave, or stop the fan-out.
    void continueWaves(bool proceed);
    // Stops the work in progress: a request is cancelled, a fan-out sends nothing more.
    void stopWork();
    // Pauses or continues a fan-out within its wave; noted in the timeline. Returns why not.
    std::optional<QString> holdFanout(bool held);
    bool isFanoutHeld() const { return m_fanoutHeld; }

Q_SIGNALS:
    // An event, once it is in the journal.
    void eventRecorded(const runlane::Event &event);
    // The walk waits for something new (session()->waiting()), or work started or ended.
    void stateChanged();
    void fanoutProgressed(const runlane::FanoutProgress &progress);
    void waveGateReached(const runlane::FanoutProgress &progress);
    // The journal cannot be written: the walk stopped there and can be resumed later.
    void journalFailed(const QString &error);

private:
    std::optional<QString> moved(std::optional<QString> error);
    void advance();
    void runWork();
    void pollLater();
    // The recorder's sink, noting milestones and telling the window of each event.
    runlane::Session::EventSink recordedSink();

    IncidentRecorder &m_recorder;
    std::unique_ptr<runlane::HttpExecutor> m_http;
    std::unique_ptr<runlane::Session> m_session;
    std::function<void(bool)> m_waveGate;
    QTimer m_waitTimer; // a wait's time, or the next poll of an `until`
    std::function<void()> m_onWaitTimeout;
    bool m_working = false;
    bool m_fanoutHeld = false;
    ResponseTimes m_times;
    runlane::FanoutProgress m_lastProgress; // for the note a pause leaves
    QList<runlane::ActionAttempt> m_unknown;
    quint64 m_generation = 0; // a result of work handed out before a move is stale after it
};
