#include "pagerduty_api.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace runlane::fleetsim {

namespace {

HttpResponse invalidEvent(const QStringList &errors)
{
    return HttpResponse::json(
        400, QJsonObject{{QStringLiteral("status"), QStringLiteral("invalid event")},
                         {QStringLiteral("message"), QStringLiteral("Event object is invalid")},
                         {QStringLiteral("errors"), QJsonArray::fromStringList(errors)}});
}

bool blank(const QJsonValue &value)
{
    return !value.isString() || value.toString().trimmed().isEmpty();
}

QStringList checkEvent(const QJsonObject &event)
{
    QStringList errors;
    const QJsonValue routingKey = event.value(QStringLiteral("routing_key"));
    if (blank(routingKey))
        errors << QStringLiteral("'routing_key' is missing or blank");
    else if (routingKey.toString().size() != 32)
        errors << QStringLiteral("Length of 'routing_key' is incorrect (should be 32 characters)");

    const QJsonValue action = event.value(QStringLiteral("event_action"));
    const QStringList actions{QStringLiteral("trigger"), QStringLiteral("acknowledge"),
                              QStringLiteral("resolve")};
    if (blank(action)) {
        errors << QStringLiteral("'event_action' is missing or blank");
        return errors;
    }
    if (!actions.contains(action.toString())) {
        errors << QStringLiteral("'event_action' is invalid (must be one of the following: "
                                 "'trigger', 'acknowledge' or 'resolve')");
        return errors;
    }
    if (action.toString() != QLatin1String("trigger")) {
        if (blank(event.value(QStringLiteral("dedup_key"))))
            errors << QStringLiteral("'dedup_key' is missing or blank");
        return errors;
    }
    const QJsonValue payload = event.value(QStringLiteral("payload"));
    if (!payload.isObject()) {
        errors << QStringLiteral("'payload' is missing or blank");
        return errors;
    }
    const QJsonObject p = payload.toObject();
    if (blank(p.value(QStringLiteral("summary"))))
        errors << QStringLiteral("'payload.summary' is missing or blank");
    if (blank(p.value(QStringLiteral("source"))))
        errors << QStringLiteral("'payload.source' is missing or blank");
    const QJsonValue severity = p.value(QStringLiteral("severity"));
    if (blank(severity))
        errors << QStringLiteral("'payload.severity' is missing or blank");
    else if (!QStringList{QStringLiteral("critical"), QStringLiteral("error"),
                          QStringLiteral("warning"), QStringLiteral("info")}
                  .contains(severity.toString()))
        errors << QStringLiteral("'payload.severity' is invalid (must be one of the following: "
                                 "'critical', 'warning', 'error' or 'info')");
    return errors;
}

} // namespace

ApiAnswer handlePagerDuty(FleetState &state, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.size() != 2 || s[0] != QLatin1String("v2") || s[1] != QLatin1String("enqueue"))
        return std::nullopt;
    if (!request.is("POST"))
        return answer(HttpResponse::json(
            405, QJsonObject{{QStringLiteral("status"), QStringLiteral("invalid request")},
                             {QStringLiteral("message"), QStringLiteral("Method not allowed")}}));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.http.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return answer(invalidEvent({QStringLiteral("Event object is not valid JSON")}));
    QJsonObject event = document.object();
    const QStringList errors = checkEvent(event);
    if (!errors.isEmpty())
        return answer(invalidEvent(errors));

    QString dedupKey = event.value(QStringLiteral("dedup_key")).toString();
    if (dedupKey.isEmpty()) {
        // PagerDuty makes up a key; derived from the event count here so runs repeat.
        const QByteArray seed = "event-" + QByteArray::number(state.pagerDutyEvents.size() + 1);
        dedupKey =
            QString::fromLatin1(QCryptographicHash::hash(seed, QCryptographicHash::Md5).toHex());
        event.insert(QStringLiteral("dedup_key"), dedupKey);
    }
    state.pagerDutyEvents.append(event);
    return answer(
        HttpResponse::json(
            202, QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                             {QStringLiteral("message"), QStringLiteral("Event processed")},
                             {QStringLiteral("dedup_key"), dedupKey}}),
        true);
}

} // namespace runlane::fleetsim
