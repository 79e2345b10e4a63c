#pragma once

#include "actions/http_runner.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace runlane {

struct FanoutProgress
{
    qsizetype total = 0;
    qsizetype succeeded = 0;
    qsizetype failed = 0;
    qsizetype inFlight = 0;
    int wave = 0; // 0-based: the wave running, or the last one run
    int waves = 1;
    bool held = false; // the engineer paused it: nothing more is sent until continued

    qsizetype done() const { return succeeded + failed; }
};

struct FanoutEndpointResult
{
    qsizetype index = 0; // into the plan's requests
    HttpResult result;
    bool succeeded = false;
    bool sent = true; // false: stopped before it was sent (its intent may be recorded)
};

struct FanoutSummary
{
    enum class Ending {
        Completed,      // every wave ran (the step succeeded if nothing failed)
        BudgetExceeded, // more failed than max_failures allows: the next wave was not started
        Cancelled,      // stopped by the engineer: what was in flight finished and was recorded
    };
    Ending ending = Ending::Completed;
    FanoutProgress progress;
    QList<FanoutEndpointResult> firstFailures; // up to 20, for the record and the message

    bool succeeded() const { return ending == Ending::Completed && progress.failed == 0; }
};

// One action over many endpoints (playbook-format.md, "fanout"): at most `concurrency` requests
// in flight, in cumulative waves, the failure budget checked before each next wave, an optional
// pause for confirmation between waves. Results are handed on in batches (endpointsDone), so
// that thousands of endpoints are recorded in a few transactions.
class FanoutRun : public QObject
{
    Q_OBJECT

public:
    struct Plan
    {
        QList<HttpRequest> requests; // one per endpoint, in the list's order
        int concurrency = 16;
        QList<double> waves{1.0}; // cumulative shares, the last 1.0
        double maxFailures = 0;   // a share of all endpoints
        bool pauseBetweenWaves = true;
        // A wave goes to the runner in parts of at most this many endpoints, each recorded
        // (beforeSend) just before it is handed over: one long transaction would hold the
        // caller's thread up.
        int handOver = 256;
        // After a restart: results the journal holds (not sent again, counted in their wave),
        // and the endpoints whose wave had begun (its pause is not asked again).
        QHash<qsizetype, HttpResult> known;
        QSet<qsizetype> begun;
    };
    // Whether an endpoint's answer is a success (the call's own reading, or the expected status).
    using Judge = std::function<bool(const HttpResult &)>;

    FanoutRun(HttpRunner &runner, Plan plan, Judge judge, QObject *parent = nullptr);
    ~FanoutRun() override; // drops what is still in flight: no result arrives afterwards

    // The end index (exclusive) of each wave: wave i covers [ends[i-1], ends[i]). Every wave has
    // at least one endpoint; shares that round to an empty wave are merged into the next.
    static QList<qsizetype> waveEnds(qsizetype total, const QList<double> &shares);

    void start();
    // After paused(): run the next wave.
    void resume();
    // Within a wave: held, no further request starts (those in flight finish and are counted);
    // released, the wave goes on where it stood.
    void hold(bool held);
    // Starts nothing more. Requests in flight finish and are reported; then finished().
    void cancel();

    // Called with endpoints about to be sent (a wave, in parts of Plan::handOver), before any of
    // them is: the journal records their intents. Returning false sends none of them and stops
    // the run (as cancel()).
    std::function<bool(const QList<qsizetype> &indices)> beforeSend;

    const FanoutProgress &progress() const { return m_progress; }
    bool isRunning() const { return m_started && !m_finished; }

Q_SIGNALS:
    void progressed(const runlane::FanoutProgress &progress);
    void endpointsDone(const QList<runlane::FanoutEndpointResult> &batch);
    // A wave is done, the budget holds, and the next waits for resume() (or cancel()).
    void paused(const runlane::FanoutProgress &progress);
    void finished(const runlane::FanoutSummary &summary);

private:
    void startWave();
    void handOverNext(); // the next part of the wave
    void onDone(qsizetype index, const HttpResult &result);
    void count(FanoutEndpointResult done);
    void waveFinished();
    void finish(FanoutSummary::Ending ending);
    void flush();

    HttpRunner &m_runner;
    Plan m_plan;
    Judge m_judge;
    QList<qsizetype> m_waveEnds;
    QHash<qsizetype, quint64> m_inFlightIds; // endpoint index → runner request id
    qsizetype m_next = 0;                    // the next endpoint to hand to the runner
    qsizetype m_outstanding = 0;             // handed over, result not back yet
    QList<qsizetype> m_toHandOver;           // of the wave, not handed over yet
    quint64 m_group = 0;
    FanoutProgress m_progress;
    FanoutSummary m_summary;
    QList<FanoutEndpointResult> m_batch;
    QTimer m_flushTimer;
    bool m_started = false;
    bool m_stopping = false;
    bool m_paused = false;
    bool m_finished = false;
};

} // namespace runlane
