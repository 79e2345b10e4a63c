#include "slack_api.h"

#include <QJsonDocument>

namespace runlane::fleetsim {

ApiAnswer handleSlack(FleetState &state, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.isEmpty() || s[0] != QLatin1String("services"))
        return std::nullopt;
    const QString path = QLatin1Char('/') + s.join(QLatin1Char('/'));
    const bool standard = s.size() == 4 && !s[1].isEmpty() && !s[2].isEmpty() && !s[3].isEmpty();
    if (!standard && !state.slackWebhooks.contains(path))
        return answer(HttpResponse::text(404, "no_service"));
    if (!request.is("POST"))
        return answer(HttpResponse::text(405, "invalid_method"));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.http.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return answer(HttpResponse::text(400, "invalid_payload"));
    const QJsonObject message = document.object();
    const QJsonValue text = message.value(QStringLiteral("text"));
    const bool hasText = text.isString() && !text.toString().isEmpty();
    const bool hasBlocks = !message.value(QStringLiteral("blocks")).toArray().isEmpty() ||
                           !message.value(QStringLiteral("attachments")).toArray().isEmpty();
    if (!text.isUndefined() && !text.isString())
        return answer(HttpResponse::text(400, "invalid_payload"));
    if (!hasText && !hasBlocks)
        return answer(HttpResponse::text(400, "no_text"));
    state.slackMessages.append(
        QJsonObject{{QStringLiteral("webhook"), path}, {QStringLiteral("message"), message}});
    return answer(HttpResponse::text(200, "ok"), true);
}

} // namespace runlane::fleetsim
