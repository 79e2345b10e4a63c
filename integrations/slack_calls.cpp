#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

#include <QRegularExpression>

// A Slack incoming webhook: the target's URL is the whole endpoint, and a secret, so no text
// written here ever contains it. Success is 200 with the body `ok`; otherwise Slack answers a
// short error code as text (invalid_payload, no_service, channel_not_found, …).
// https://api.slack.com/messaging/webhooks
namespace runlane {

namespace {

std::variant<HttpRequest, QString> buildPost(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString text = with.text(u"text");
    if (with.ok() && ctx.baseUrl.isEmpty())
        with.fail(u"url", QStringLiteral("the slack target has no webhook URL"));
    if (!with.ok())
        return with.error();
    HttpRequest request;
    request.method = "POST";
    request.url = ctx.baseUrl; // as given: a webhook URL is not a base to add a path to
    setJsonBody(request, QJsonObject{{QStringLiteral("text"), text}});
    return request;
}

WorkResult readPost(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    const QString body = QString::fromUtf8(result.body).trimmed();
    if (result.status == 200 && body == u"ok")
        return plain;
    // Only Slack's own error codes are quoted: any other body (a proxy's page) might echo the URL.
    static const QRegularExpression code(QStringLiteral("^[a-z0-9_]{1,64}$"));
    if (code.match(body).hasMatch())
        return failure(
            plain,
            QStringLiteral("Slack refused the message (HTTP %1): %2").arg(result.status).arg(body));
    return failure(
        plain,
        QStringLiteral("Slack answered HTTP %1 without one of its error codes").arg(result.status));
}

} // namespace

QList<CallDefinition> slackCalls()
{
    return {{QStringLiteral("slack.post"), buildPost, readPost, {}}};
}

} // namespace runlane
