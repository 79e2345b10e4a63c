#include "integrations/http_executor.h"

#include "actions/request_builder.h"
#include "integrations/work_plan.h"

#include <QDateTime>
#include <QJsonArray>

namespace runlane {

namespace {

QString share(double fraction)
{
    return QString::number(fraction * 100, 'g', 3) + u'%';
}

} // namespace

HttpExecutor::HttpExecutor(ResolvedTargets targets, QObject *parent)
    : QObject(parent)
    , m_targets(std::move(targets))
{}

HttpExecutor::~HttpExecutor()
{
    delete m_fanout.data(); // drops its requests before the runner goes
}

std::variant<QStringList, QString> HttpExecutor::preview(const WorkRequest &work) const
{
    auto planned = planWork(work, m_targets, QDateTime::currentDateTimeUtc());
    if (const auto *error = std::get_if<QString>(&planned))
        return redactSecrets(*error, m_targets.secrets);
    QStringList descriptions;
    for (const HttpRequest &request : std::get<WorkPlan>(planned).requests)
        descriptions.append(describeRequest(request, m_targets.secrets));
    return descriptions;
}

void HttpExecutor::execute(const WorkRequest &work, std::function<void(const WorkResult &)> done)
{
    const bool dryRun = m_dryRun || work.dryRun;
    auto planned = planWork(work, m_targets, QDateTime::currentDateTimeUtc());
    if (const auto *error = std::get_if<QString>(&planned)) {
        const QString why = redactSecrets(*error, m_targets.secrets);
        if (!dryRun || work.kind != WorkRequest::Kind::Action)
            return done(WorkResult::error(why));
        // A dry run saved nothing from earlier answers: a request that needs such a value is
        // described as far as it can be, and the walk goes on.
        if (onRequest)
            onRequest(QStringLiteral("%1 on target '%2' (not shown exactly: %3)")
                          .arg(work.step->call.present ? work.step->call.value
                                                       : QStringLiteral("a request"),
                               work.step->target.value, why));
        WorkResult notSent;
        notSent.message = QStringLiteral("dry run: nothing sent");
        notSent.details = {{QStringLiteral("dry_run"), true}};
        return done(notSent);
    }
    auto plan = std::make_shared<const WorkPlan>(std::move(std::get<WorkPlan>(planned)));

    if (dryRun) {
        for (const HttpRequest &request : plan->requests) {
            if (onRequest)
                onRequest(describeRequest(request, m_targets.secrets));
        }
        const QString why = QStringLiteral("dry run: nothing sent");
        if (work.kind != WorkRequest::Kind::Action)
            return done(WorkResult::noData(why));
        WorkResult notSent;
        notSent.message = why;
        notSent.details = {{QStringLiteral("dry_run"), true},
                           {QStringLiteral("requests"), int(plan->requests.size())}};
        return done(notSent);
    }
    if (plan->isFanout())
        return runFanout(plan, std::move(done));
    sendOne(plan, std::move(done));
}

void HttpExecutor::sendOne(std::shared_ptr<const WorkPlan> plan,
                           std::function<void(const WorkResult &)> done)
{
    const HttpRequest &request = plan->requests.constFirst();
    if (onRequest)
        onRequest(describeRequest(request, m_targets.secrets));
    m_current = m_runner.submit(request, [this, plan, done](const HttpResult &first) {
        m_current = 0;
        const CallDefinition *call = plan->call;
        if (call && call->fallback && first.answered()) {
            if (auto second = call->fallback(plan->contexts.constFirst(), first)) {
                // The same change, at another place: the same target settings and key.
                const ResolvedTarget &target = m_targets.byName.value(plan->targetName);
                applyTarget(*second, target);
                second->idempotencyKey = plan->requests.constFirst().idempotencyKey;
                auto fallbackPlan = std::make_shared<WorkPlan>(*plan);
                fallbackPlan->requests = {*second};
                if (onRequest)
                    onRequest(describeRequest(*second, m_targets.secrets));
                m_current =
                    m_runner.submit(*second, [this, fallbackPlan, done](const HttpResult &result) {
                        m_current = 0;
                        done(readAnswer(*fallbackPlan, 0, result, m_targets.secrets));
                    });
                return;
            }
        }
        done(readAnswer(*plan, 0, first, m_targets.secrets));
    });
}

void HttpExecutor::runFanout(std::shared_ptr<const WorkPlan> plan,
                             std::function<void(const WorkResult &)> done)
{
    FanoutRun::Plan settings = *plan->fanout;
    settings.requests = plan->requests;
    if (onRequest) // one line, not thousands: each request differs only by its endpoint
        onRequest(QStringLiteral("%1 requests like:\n%2")
                      .arg(plan->requests.size())
                      .arg(describeRequest(plan->requests.constFirst(), m_targets.secrets)));
    auto *run = new FanoutRun(
        m_runner, settings, [plan](const HttpResult &r) { return endpointSucceeded(*plan, r); },
        this);
    m_fanout = run;
    connect(run, &FanoutRun::progressed, this, [this](const FanoutProgress &p) {
        if (onFanoutProgress)
            onFanoutProgress(p);
    });
    connect(run, &FanoutRun::endpointsDone, this,
            [this, plan](const QList<FanoutEndpointResult> &batch) {
                if (onFanoutBatch)
                    onFanoutBatch(plan->endpoints, batch);
            });
    connect(run, &FanoutRun::paused, this, [this, run](const FanoutProgress &p) {
        if (!waveGate)
            return run->resume();
        QPointer<FanoutRun> guard(run);
        waveGate(p, [guard](bool proceed) {
            if (!guard)
                return;
            proceed ? guard->resume() : guard->cancel();
        });
    });
    connect(run, &FanoutRun::finished, this, [this, plan, run, done](const FanoutSummary &s) {
        run->deleteLater();
        const FanoutProgress &p = s.progress;
        QJsonArray failures;
        for (const FanoutEndpointResult &f : s.firstFailures) {
            const WorkResult read = readAnswer(*plan, f.index, f.result, m_targets.secrets);
            failures.append(
                QJsonObject{{QStringLiteral("endpoint"), plan->endpoints.value(f.index)},
                            {QStringLiteral("status"), f.result.status},
                            {QStringLiteral("message"),
                             read.message.isEmpty() ? QStringLiteral("HTTP %1").arg(f.result.status)
                                                    : read.message}});
        }
        QJsonObject details{
            {QStringLiteral("fanout"),
             QJsonObject{{QStringLiteral("total"), double(p.total)},
                         {QStringLiteral("succeeded"), double(p.succeeded)},
                         {QStringLiteral("failed"), double(p.failed)},
                         {QStringLiteral("waves_run"), p.wave + 1},
                         {QStringLiteral("waves"), p.waves},
                         {QStringLiteral("ending"),
                          s.ending == FanoutSummary::Ending::Completed ? QStringLiteral("completed")
                          : s.ending == FanoutSummary::Ending::BudgetExceeded
                              ? QStringLiteral("budget-exceeded")
                              : QStringLiteral("cancelled")}}},
            {QStringLiteral("failures"), failures},
            {QStringLiteral("request"),
             requestLine(plan->requests.constFirst(), m_targets.secrets)}};
        WorkResult result;
        if (s.succeeded()) {
            result.message = QStringLiteral("all %1 endpoints succeeded").arg(p.total);
        } else {
            QString why;
            if (s.ending == FanoutSummary::Ending::BudgetExceeded)
                why = QStringLiteral("%1 of %2 endpoints failed, over the budget of %3; wave %4 "
                                     "of %5 was not started")
                          .arg(p.failed)
                          .arg(p.total)
                          .arg(share(plan->fanout->maxFailures))
                          .arg(p.wave + 2)
                          .arg(p.waves);
            else if (s.ending == FanoutSummary::Ending::Cancelled)
                why = QStringLiteral("stopped after %1 of %2 endpoints (%3 failed)")
                          .arg(p.done())
                          .arg(p.total)
                          .arg(p.failed);
            else
                why = QStringLiteral("%1 of %2 endpoints failed").arg(p.failed).arg(p.total);
            if (!failures.isEmpty()) {
                const QJsonObject first = failures.first().toObject();
                why += QStringLiteral("; first: %1: %2")
                           .arg(first.value(QStringLiteral("endpoint")).toString(),
                                first.value(QStringLiteral("message")).toString());
            }
            result = WorkResult::error(why);
        }
        result.details = details;
        done(result);
    });
    run->start();
}

void HttpExecutor::cancel()
{
    if (m_current)
        m_runner.cancel(m_current);
    if (m_fanout)
        m_fanout->cancel();
}

} // namespace runlane
