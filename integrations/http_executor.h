#pragma once

#include "actions/fanout_run.h"
#include "actions/http_runner.h"
#include "engine/session/executor.h"
#include "engine/session/resolved_targets.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <variant>

namespace runlane {

struct WorkPlan;

// The executor behind a real incident: every check, probe, poll and action becomes the
// documented HTTP request(s) of its call (work_plan.h), sent by an HttpRunner, and the answer is
// read as its API documents it. In a dry run every request is described and nothing is sent.
// Results come back on this object's thread.
// One request of an action as the journal records it: the intent before it is sent.
struct ActionRequestRecord
{
    QString step;
    int visit = 1;
    qsizetype endpoint = 0; // the fan-out endpoint's index; 0 for a single request
    QString idempotencyKey;
    QString requestLine; // "METHOD URL", secrets as ***
    QString requestRest; // headers, then the body, as describeRequest shows them (secrets as ***)
};

// And its result when it is back (or when it was never sent: a stopped fan-out).
struct ActionResultRecord
{
    QString idempotencyKey;
    HttpResult result;
    bool sent = true;
};

class HttpExecutor : public QObject, public Executor
{
    Q_OBJECT

public:
    explicit HttpExecutor(ResolvedTargets targets, QObject *parent = nullptr);
    ~HttpExecutor() override;

    void setDryRun(bool dryRun) { m_dryRun = dryRun; }
    // The values never to be written anywhere (the targets' secrets).
    const QStringList &secrets() const { return m_targets.secrets; }
    bool dryRun() const { return m_dryRun; }

    // What the work would send, one description per request ("METHOD URL", headers, body;
    // secrets as ***), for the action gate; or why it cannot be built.
    std::variant<QStringList, QString> preview(const WorkRequest &work) const;
    // The plan and its preview without an executor, for a thread of its own (a fan-out's
    // thousands of requests take a while to build). adoptPlan() then lets execute() send that
    // very plan, as confirmed, instead of building it again.
    struct Prepared
    {
        std::shared_ptr<const WorkPlan> plan; // null when it cannot be built
        std::variant<QStringList, QString> preview;
    };
    static Prepared prepare(const WorkRequest &work, const ResolvedTargets &targets,
                            bool loopbackOnly);
    void adoptPlan(const WorkRequest &work, std::shared_ptr<const WorkPlan> plan);
    bool isLoopbackOnly() const { return m_loopbackOnly; }
    const ResolvedTargets &targets() const { return m_targets; }

    void execute(const WorkRequest &work, std::function<void(const WorkResult &)> done) override;
    // Stops the work in progress: a request is cancelled; a fan-out sends nothing more and
    // ends when what is in flight has finished.
    void cancel();
    // Pauses (held) or continues the fan-out in progress within its wave; false when there is
    // none.
    bool holdFanout(bool held);
    bool isFanoutRunning() const { return m_fanout && m_fanout->isRunning(); }
    // A drill's executor: a request to any host but this machine's loopback is refused, not
    // sent, whatever the playbook or its inputs name.
    void setLoopbackOnly(bool only) { m_loopbackOnly = only; }

    // Hooks, all optional. onRequest: every request as it is sent, or, in a dry run, instead.
    std::function<void(const QString &description)> onRequest;
    // Between fan-out waves: call `proceed(true)` to run the next wave, `proceed(false)` to
    // stop. Without a gate the waves run on.
    std::function<void(const FanoutProgress &, std::function<void(bool proceed)> proceed)> waveGate;
    std::function<void(const FanoutProgress &)> onFanoutProgress;
    // Endpoint results in batches, to record them in few transactions.
    std::function<void(const QStringList &endpoints, const QList<FanoutEndpointResult> &)>
        onFanoutBatch;
    // Journal first, for actions (not reads, not in a dry run): the requests about to be sent
    // (one, or a fan-out's wave) before any of them is; return false to send none. Their results
    // afterwards, a fan-out's in batches.
    std::function<bool(const QList<ActionRequestRecord> &)> beforeSend;
    std::function<void(const QList<ActionResultRecord> &)> afterResults;

    // After a restart: results the journal holds, by idempotency key (those requests are not
    // sent again), and the keys whose intent was recorded (their fan-out wave had begun).
    void setKnownResults(QHash<QString, HttpResult> results, QSet<QString> intended);

private:
    void sendOne(std::shared_ptr<const WorkPlan> plan,
                 std::function<void(const WorkResult &)> done);
    // Sends the plan's one request: its intent first when journaled, its result recorded when
    // back; a result the journal holds from before a restart is used instead of sending.
    void transmit(std::shared_ptr<const WorkPlan> plan, const QString &journalKey,
                  std::function<void(const HttpResult &)> then,
                  std::function<void(const WorkResult &)> refused);
    void runFanout(std::shared_ptr<const WorkPlan> plan,
                   std::function<void(const WorkResult &)> done);

    ActionRequestRecord recordOf(const WorkPlan &plan, qsizetype index) const;

    ResolvedTargets m_targets;
    QHash<QString, HttpResult> m_known;
    QSet<QString> m_intended;
    HttpRunner m_runner;
    bool m_dryRun = false;
    bool m_loopbackOnly = false;
    // A plan built ahead (adoptPlan), for the work with this token at this step.
    std::shared_ptr<const WorkPlan> m_adopted;
    quint64 m_adoptedToken = 0;
    const Step *m_adoptedStep = nullptr;
    quint64 m_current = 0; // the single request in flight
    QPointer<FanoutRun> m_fanout;
};

} // namespace runlane
