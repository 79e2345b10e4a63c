#include "integrations/work_plan.h"

#include "actions/request_builder.h"
#include "integrations/prometheus_query.h"

#include <QJsonArray>

namespace runlane {

namespace {

struct Built
{
    HttpRequest request;
    CallContext context;
};

// The list a fan-out goes over: a literal list of templates, or one template naming a list.
std::variant<QStringList, QString> fanoutItems(const Fanout &fanout, const expr::Scope &scope)
{
    const QString field = QStringLiteral("fanout.over");
    QStringList items;
    if (fanout.overIsLiteral) {
        for (const LString &item : fanout.items) {
            const RenderedText v = renderTemplate(item.value, scope, expr::Escape::None, field);
            if (!v.ok())
                return v.error;
            items.append(v.text);
        }
        return items;
    }
    const auto value = renderTemplateValue(fanout.over.value, scope, field);
    if (const auto *error = std::get_if<QString>(&value))
        return *error;
    const QJsonValue list = std::get<QJsonValue>(value);
    if (!list.isArray())
        return QStringLiteral("fanout.over: '%1' is not a list").arg(fanout.over.value);
    for (const QJsonValue &item : list.toArray()) {
        if (!item.isString() || item.toString().isEmpty())
            return QStringLiteral("fanout.over: every item must be a non-empty string");
        items.append(item.toString());
    }
    return items;
}

// One request of an action or escalation against `baseUrl`.
std::variant<Built, QString> buildAction(const Step &step, const ResolvedTarget &target,
                                         const QString &baseUrl, const expr::Scope &scope,
                                         const WorkRequest &work, const QDateTime &nowUtc,
                                         const CallDefinition *call)
{
    Built built;
    if (!call) {
        if (!step.request)
            return QStringLiteral("the step has neither a built-in call nor a request");
        auto raw = buildRawRequest(*step.request, baseUrl, scope);
        if (const auto *error = std::get_if<QString>(&raw))
            return *error;
        built.request = std::get<HttpRequest>(raw);
        return built;
    }
    auto with = renderWith(step, scope);
    if (const auto *error = std::get_if<QString>(&with))
        return *error;
    built.context = {&target, baseUrl, std::get<QJsonObject>(with), work.incidentId, nowUtc};
    auto request = call->build(built.context);
    if (const auto *error = std::get_if<QString>(&request))
        return QStringLiteral("%1: %2").arg(step.call.value, *error);
    built.request = std::get<HttpRequest>(request);
    return built;
}

} // namespace

std::variant<WorkPlan, QString> planWork(const WorkRequest &work, const ResolvedTargets &targets,
                                         const QDateTime &nowUtc)
{
    WorkPlan plan;
    const Step &step = *work.step;
    plan.step = &step;
    const bool isRead = work.kind != WorkRequest::Kind::Action;

    QString targetName = step.target.value;
    if (isRead) {
        if (!work.read)
            return QStringLiteral("nothing to read");
        targetName =
            work.read->query ? work.read->query->target.value : work.read->probe->target.value;
    }
    plan.targetName = targetName;
    const auto found = targets.byName.constFind(targetName);
    if (found == targets.byName.cend())
        return QStringLiteral("unknown target '%1'").arg(targetName);
    const ResolvedTarget &target = *found;

    if (isRead) {
        HttpRequest request;
        if (work.read->query) {
            const QuerySpec &query = *work.read->query;
            plan.reading = WorkPlan::Reading::Query;
            plan.reduce = query.reduce.value;
            const RenderedText promql = renderTemplate(
                query.promql.value, work.scope, expr::Escape::None, QStringLiteral("promql"));
            if (!promql.ok())
                return promql.error;
            request.method = "GET";
            request.url =
                joinUrl(target.url, QStringLiteral("/api/v1/query") +
                                        queryString({{QStringLiteral("query"), promql.text}}));
            request.headers.append(HttpHeader{"Accept", "application/json"});
        } else {
            plan.reading = WorkPlan::Reading::Raw;
            auto raw = buildRawRequest(work.read->probe->request, target.url, work.scope);
            if (const auto *error = std::get_if<QString>(&raw))
                return *error;
            request = std::get<HttpRequest>(raw);
        }
        applyTarget(request, target);
        plan.requests.append(request);
        return plan;
    }

    const CallDefinition *call = nullptr;
    if (step.call.present && step.call.value != u"http.request") {
        call = findCallDefinition(step.call.value);
        if (!call)
            return QStringLiteral("unknown call '%1'").arg(step.call.value);
        plan.reading = WorkPlan::Reading::Call;
        plan.call = call;
    }

    if (!step.fanout) {
        auto built = buildAction(step, target, target.url, work.scope, work, nowUtc, call);
        if (const auto *error = std::get_if<QString>(&built))
            return *error;
        Built &b = std::get<Built>(built);
        applyTarget(b.request, target);
        b.request.idempotencyKey = idempotencyKey(work.incidentId, step.id.value, work.stepVisit);
        plan.requests.append(b.request);
        plan.contexts.append(b.context);
        return plan;
    }

    const Fanout &fanout = *step.fanout;
    auto items = fanoutItems(fanout, work.scope);
    if (const auto *error = std::get_if<QString>(&items))
        return *error;
    plan.endpoints = std::get<QStringList>(items);
    const QString as = fanout.as.value;
    for (qsizetype i = 0; i < plan.endpoints.size(); ++i) {
        expr::Scope scope = work.scope;
        scope.insert(as, plan.endpoints.at(i));
        // The whole URL comes from the item: it is used as given, not escaped.
        const RenderedText base = fanout.url.present
                                      ? renderTemplate(fanout.url.value, scope, expr::Escape::None,
                                                       QStringLiteral("fanout.url"))
                                      : RenderedText{target.url, QString()};
        if (!base.ok())
            return base.error;
        auto built = buildAction(step, target, base.text, scope, work, nowUtc, call);
        if (const auto *error = std::get_if<QString>(&built))
            return QStringLiteral("endpoint '%1': %2").arg(plan.endpoints.at(i), *error);
        Built &b = std::get<Built>(built);
        applyTarget(b.request, target);
        b.request.idempotencyKey =
            idempotencyKey(work.incidentId, step.id.value, work.stepVisit, i);
        plan.requests.append(b.request);
        plan.contexts.append(b.context);
    }
    FanoutRun::Plan settings;
    settings.concurrency = fanout.concurrency.value;
    settings.waves = fanout.waves;
    settings.maxFailures = fanout.maxFailures.value;
    settings.pauseBetweenWaves = step.confirm.value;
    plan.fanout = settings;
    return plan;
}

WorkResult readAnswer(const WorkPlan &plan, qsizetype index, const HttpResult &result,
                      const QStringList &secrets)
{
    WorkResult read;
    if (!result.answered())
        read = workResultOf(result);
    else if (plan.reading == WorkPlan::Reading::Query)
        read = readPrometheusQuery(result.status, result.body, plan.reduce);
    else if (plan.reading == WorkPlan::Reading::Call)
        read = plan.call->read(result);
    else
        read = workResultOf(result);

    QJsonObject details = workResultOf(result).details;
    for (auto it = read.details.begin(); it != read.details.end(); ++it)
        details.insert(it.key(), it.value());
    const HttpRequest &request = plan.requests.at(index);
    details.insert(QStringLiteral("request"), requestLine(request, secrets));
    if (!request.idempotencyKey.isEmpty())
        details.insert(QStringLiteral("idempotency_key"),
                       QString::fromUtf8(request.idempotencyKey));
    if (!plan.endpoints.isEmpty())
        details.insert(QStringLiteral("endpoint"), plan.endpoints.at(index));
    read.details = details;
    read.elapsedMs = result.elapsedMs;
    read.message = redactSecrets(read.message, secrets);
    return read;
}

bool endpointSucceeded(const WorkPlan &plan, const HttpResult &result)
{
    if (!result.answered())
        return false;
    if (plan.reading == WorkPlan::Reading::Call &&
        plan.call->read(result).outcome != WorkResult::Outcome::Ok)
        return false;
    return isExpectedStatus(*plan.step, result.status);
}

} // namespace runlane
