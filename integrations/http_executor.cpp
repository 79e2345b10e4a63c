#include "integrations/http_executor.h"

#include "actions/request_builder.h"
#include "integrations/work_plan.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUrl>

namespace runlane {

namespace {

// For a drill: why the plan must not go out, naming the first request that would leave the
// machine.
std::optional<QString> notOnLoopback(const WorkPlan &plan)
{
    for (const HttpRequest &request : plan.requests) {
        const QString host = QUrl(request.url).host();
        if (host != u"127.0.0.1" && host != u"::1" && host != u"localhost")
            return QStringLiteral("a drill sends only to this machine, and %1 is not on it: "
                                  "nothing was sent")
                .arg(host.isEmpty() ? request.url : host);
    }
    return std::nullopt;
}

// Changes to the fleet (and notifications) are journaled request by request; reads are not.
bool isAction(const Step &step)
{
    return step.type.value == StepType::Action || step.type.value == StepType::Escalate;
}

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
    return prepare(work, m_targets, m_loopbackOnly).preview;
}

HttpExecutor::Prepared HttpExecutor::prepare(const WorkRequest &work,
                                             const ResolvedTargets &targets, bool loopbackOnly)
{
    auto planned = planWork(work, targets, QDateTime::currentDateTimeUtc());
    if (const auto *error = std::get_if<QString>(&planned))
        return {nullptr, redactSecrets(*error, targets.secrets)};
    if (const auto outside =
            loopbackOnly ? notOnLoopback(std::get<WorkPlan>(planned)) : std::optional<QString>())
        return {nullptr, *outside};
    auto plan = std::make_shared<const WorkPlan>(std::move(std::get<WorkPlan>(planned)));
    QStringList descriptions;
    descriptions.reserve(plan->requests.size());
    for (const HttpRequest &request : plan->requests)
        descriptions.append(describeRequest(request, targets.secrets));
    return {std::move(plan), std::move(descriptions)};
}

void HttpExecutor::adoptPlan(const WorkRequest &work, std::shared_ptr<const WorkPlan> plan)
{
    m_adopted = std::move(plan);
    m_adoptedToken = work.token;
    m_adoptedStep = work.step;
}

void HttpExecutor::execute(const WorkRequest &work, std::function<void(const WorkResult &)> done)
{
    const bool dryRun = m_dryRun || work.dryRun;
    // The plan shown at the gate, when it was built ahead for this very work.
    auto adopted = std::exchange(m_adopted, nullptr);
    if (adopted && (m_adoptedToken != work.token || m_adoptedStep != work.step))
        adopted.reset();
    auto planned = adopted ? std::variant<WorkPlan, QString>(QString())
                           : planWork(work, m_targets, QDateTime::currentDateTimeUtc());
    if (const auto *error = adopted ? nullptr : std::get_if<QString>(&planned)) {
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
    const std::shared_ptr<const WorkPlan> plan =
        adopted ? std::move(adopted)
                : std::make_shared<const WorkPlan>(std::move(std::get<WorkPlan>(planned)));
    if (const auto outside = m_loopbackOnly ? notOnLoopback(*plan) : std::optional<QString>())
        return done(WorkResult::error(*outside));

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

void HttpExecutor::setKnownResults(QHash<QString, HttpResult> results, QSet<QString> intended)
{
    m_known = std::move(results);
    m_intended = std::move(intended);
}

ActionRequestRecord HttpExecutor::recordOf(const WorkPlan &plan, qsizetype index) const
{
    const HttpRequest &request = plan.requests.at(index);
    const QString described = describeRequest(request, m_targets.secrets);
    ActionRequestRecord r;
    r.step = plan.step ? plan.step->id.value : QString();
    r.endpoint = plan.isFanout() ? index : 0;
    r.idempotencyKey = QString::fromUtf8(request.idempotencyKey);
    r.requestLine = requestLine(request, m_targets.secrets);
    r.requestRest = described.section(u'\n', 1);
    return r;
}

void HttpExecutor::sendOne(std::shared_ptr<const WorkPlan> plan,
                           std::function<void(const WorkResult &)> done)
{
    const HttpRequest &request = plan->requests.constFirst();
    const bool journaled = plan->step && isAction(*plan->step) && !request.idempotencyKey.isEmpty();
    const QString key = journaled ? QString::fromUtf8(request.idempotencyKey) : QString();
    // A call's fallback (Argo: the object itself when the status subresource is missing) is the
    // same change at another place, a request of its own: key "<key>+fallback", its own intent
    // and result in the journal.
    auto afterFirst = [this, plan, key, done](const HttpResult &first) {
        const CallDefinition *call = plan->call;
        std::optional<HttpRequest> second;
        if (call && call->fallback && first.answered())
            second = call->fallback(plan->contexts.constFirst(), first);
        if (!second)
            return done(readAnswer(*plan, 0, first, m_targets.secrets));
        applyTarget(*second, m_targets.byName.value(plan->targetName));
        // A key of its own: a server that honours keys would answer it with the first 404.
        second->idempotencyKey = plan->requests.constFirst().idempotencyKey + "+fallback";
        auto fallbackPlan = std::make_shared<WorkPlan>(*plan);
        fallbackPlan->requests = {*second};
        transmit(
            fallbackPlan, key.isEmpty() ? QString() : QString::fromUtf8(second->idempotencyKey),
            [this, fallbackPlan, done](const HttpResult &result) {
                done(readAnswer(*fallbackPlan, 0, result, m_targets.secrets));
            },
            done);
    };
    transmit(plan, key, afterFirst, done);
}

void HttpExecutor::transmit(std::shared_ptr<const WorkPlan> plan, const QString &journalKey,
                            std::function<void(const HttpResult &)> then,
                            std::function<void(const WorkResult &)> refused)
{
    const bool journaled = !journalKey.isEmpty();
    if (journaled && m_known.contains(journalKey)) // its result was recorded before a restart
        return then(m_known.value(journalKey));
    if (journaled && beforeSend) {
        ActionRequestRecord intent = recordOf(*plan, 0);
        intent.idempotencyKey = journalKey;
        if (!beforeSend({intent}))
            return refused(WorkResult::error(
                QStringLiteral("not sent: its intent could not be written to the journal")));
    }
    const HttpRequest &request = plan->requests.constFirst();
    if (onRequest)
        onRequest(describeRequest(request, m_targets.secrets));
    m_current = m_runner.submit(request, [this, journalKey, then](const HttpResult &result) {
        m_current = 0;
        // Recorded before the walk reads it (then() leads to the walk's next event). A request
        // stopped midway may have reached the API: its outcome stays unknown in the journal.
        const bool midway = result.error == HttpResult::Error::Cancelled && result.attempts > 0;
        if (!journalKey.isEmpty() && afterResults && !midway)
            afterResults({{journalKey, result, true}});
        then(result);
    });
}

void HttpExecutor::runFanout(std::shared_ptr<const WorkPlan> plan,
                             std::function<void(const WorkResult &)> done)
{
    FanoutRun::Plan settings = *plan->fanout;
    settings.requests = plan->requests;
    const bool journaled = plan->step && isAction(*plan->step);
    if (journaled) {
        for (qsizetype i = 0; i < plan->requests.size(); ++i) {
            const QString key = QString::fromUtf8(plan->requests.at(i).idempotencyKey);
            if (const auto known = m_known.constFind(key); known != m_known.cend())
                settings.known.insert(i, *known);
            if (m_intended.contains(key))
                settings.begun.insert(i);
        }
    }
    // One line, not thousands: each request differs only by its endpoint. Shown once the first
    // wave's intents are in the journal, as that wave goes out.
    const QString described =
        QStringLiteral("%1 requests%2 like:\n%3")
            .arg(plan->requests.size())
            .arg(settings.known.isEmpty()
                     ? QString()
                     : QStringLiteral(" (%1 done before the restart are not sent again)")
                           .arg(settings.known.size()))
            .arg(describeRequest(plan->requests.constFirst(), m_targets.secrets));
    auto *run = new FanoutRun(
        m_runner, settings, [plan](const HttpResult &r) { return endpointSucceeded(*plan, r); },
        this);
    m_fanout = run;
    run->beforeSend = [this, plan, journaled, described,
                       shown = false](const QList<qsizetype> &indices) mutable {
        if (journaled && beforeSend) {
            QList<ActionRequestRecord> records;
            records.reserve(indices.size());
            for (const qsizetype i : indices)
                records.append(recordOf(*plan, i));
            if (!beforeSend(records))
                return false;
        }
        if (onRequest && !std::exchange(shown, true))
            onRequest(described);
        return true;
    };
    connect(run, &FanoutRun::progressed, this, [this](const FanoutProgress &p) {
        if (onFanoutProgress)
            onFanoutProgress(p);
    });
    connect(run, &FanoutRun::endpointsDone, this,
            [this, plan, journaled](const QList<FanoutEndpointResult> &batch) {
                if (journaled && afterResults) {
                    QList<ActionResultRecord> results;
                    results.reserve(batch.size());
                    for (const FanoutEndpointResult &r : batch)
                        results.append(
                            {QString::fromUtf8(plan->requests.at(r.index).idempotencyKey), r.result,
                             r.sent});
                    afterResults(results);
                }
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

bool HttpExecutor::holdFanout(bool held)
{
    if (!isFanoutRunning())
        return false;
    m_fanout->hold(held);
    return true;
}

void HttpExecutor::cancel()
{
    if (m_current)
        m_runner.cancel(m_current);
    if (m_fanout)
        m_fanout->cancel();
}

} // namespace runlane
