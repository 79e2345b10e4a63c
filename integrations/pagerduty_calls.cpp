#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

#include <QJsonArray>

// PagerDuty Events API v2: POST /v2/enqueue, answered 202 when the event is accepted.
// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
namespace runlane {

namespace {

const QString api = QStringLiteral("PagerDuty");

// The limits the Events API documents, checked here so that a page is not refused at send time.
constexpr qsizetype maxDedupKey = 255;
constexpr qsizetype maxSummary = 1024;

// The event's common part: the routing key (a secret of the target) and the dedup key, which
// defaults to the incident id so that a later resolve finds the alert it triggered.
std::optional<QJsonObject> eventBase(const CallContext &ctx, WithReader &with,
                                     const QString &action)
{
    const QString dedupKey = with.optionalText(u"dedup_key").value_or(ctx.incidentId);
    if (dedupKey.isEmpty())
        with.fail(u"dedup_key", QStringLiteral("required when there is no incident id"));
    else if (dedupKey.size() > maxDedupKey)
        with.fail(
            u"dedup_key",
            QStringLiteral("at most %1 characters, got %2").arg(maxDedupKey).arg(dedupKey.size()));
    if (with.ok() && (!ctx.target || ctx.target->routingKey.isEmpty()))
        with.fail(u"routing_key", QStringLiteral("the target has no routing_key"));
    if (!with.ok())
        return std::nullopt;
    return QJsonObject{{QStringLiteral("routing_key"), ctx.target->routingKey},
                       {QStringLiteral("event_action"), action},
                       {QStringLiteral("dedup_key"), dedupKey}};
}

HttpRequest enqueue(const CallContext &ctx, const QJsonObject &event)
{
    HttpRequest request =
        jsonAnswerRequest("POST", joinUrl(ctx.baseUrl, QStringLiteral("/v2/enqueue")));
    setJsonBody(request, event);
    return request;
}

std::variant<HttpRequest, QString> buildTrigger(const CallContext &ctx)
{
    static const QStringList severities{QStringLiteral("critical"), QStringLiteral("error"),
                                        QStringLiteral("warning"), QStringLiteral("info")};
    WithReader with(ctx.with);
    const QString summary = with.text(u"summary");
    const QString severity = with.text(u"severity");
    const QString source = with.text(u"source");
    if (with.ok() && summary.size() > maxSummary)
        with.fail(
            u"summary",
            QStringLiteral("at most %1 characters, got %2").arg(maxSummary).arg(summary.size()));
    if (with.ok() && !severities.contains(severity))
        with.fail(
            u"severity",
            QStringLiteral("expected critical, error, warning or info, got '%1'").arg(severity));
    std::optional<QJsonObject> event;
    if (with.ok())
        event = eventBase(ctx, with, QStringLiteral("trigger"));
    if (!event)
        return with.error();
    event->insert(QStringLiteral("payload"), QJsonObject{{QStringLiteral("summary"), summary},
                                                         {QStringLiteral("source"), source},
                                                         {QStringLiteral("severity"), severity}});
    return enqueue(ctx, *event);
}

// A resolve carries no payload: the dedup key names the alert.
std::variant<HttpRequest, QString> buildResolve(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const auto event = eventBase(ctx, with, QStringLiteral("resolve"));
    if (!event)
        return with.error();
    return enqueue(ctx, *event);
}

// 202 {"status": "success", "message": "Event processed", "dedup_key": "…"};
// 400 {"status": "invalid event", "message": "Event object is invalid", "errors": ["…"]}.
WorkResult readEnqueue(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    const auto json = parseJson(result.body);
    if (result.status == 202) {
        if (!json)
            return failure(plain, notJson(api, result.status));
        return plain;
    }
    if (result.status == 429)
        return failure(plain, QStringLiteral("PagerDuty is throttling events (HTTP 429)"));
    QString why = QStringLiteral("PagerDuty answered HTTP %1").arg(result.status);
    if (isSuccess(result.status))
        why += QStringLiteral(", not 202: the event was not accepted");
    const QJsonObject answer = json ? json->toObject() : QJsonObject();
    for (const QString &part :
         {answer.value(u"status").toString(), answer.value(u"message").toString()}) {
        if (!part.isEmpty())
            why += QStringLiteral(": ") + part;
    }
    QStringList errors;
    for (const QJsonValue &error : answer.value(u"errors").toArray())
        errors.append(error.toString());
    errors.removeAll(QString());
    if (!errors.isEmpty())
        why += QStringLiteral(" (%1)").arg(errors.join(QStringLiteral("; ")));
    return failure(plain, why);
}

} // namespace

QList<CallDefinition> pagerdutyCalls()
{
    return {
        {QStringLiteral("pagerduty.trigger"), buildTrigger, readEnqueue, {}},
        {QStringLiteral("pagerduty.resolve"), buildResolve, readEnqueue, {}},
    };
}

} // namespace runlane
