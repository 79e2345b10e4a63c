#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

#include <QJsonArray>

#include <limits>

// TorchServe's management API (port 8081 by default), and its health check `GET /ping`, which
// TorchServe serves on the inference address (port 8080) only.
// https://pytorch.org/serve/management_api.html
namespace runlane {

namespace {

const QString api = QStringLiteral("TorchServe");

QString modelPath(const QString &model, const std::optional<QString> &version = std::nullopt)
{
    QString path = QStringLiteral("/models/") + pathSegment(model);
    if (version)
        path += u'/' + pathSegment(*version);
    return path;
}

// Every answer is JSON; errors are {"code": N, "type": "…Exception", "message": "…"}.
WorkResult readTorchServe(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    const auto json = parseJson(result.body);
    if (isSuccess(result.status))
        return json ? plain : failure(plain, notJson(api, result.status));
    if (!json)
        return failure(plain, notJson(api, result.status));
    const QJsonObject error = json->toObject();
    const QString type = error.value(u"type").toString();
    const QString message = error.value(u"message").toString();
    QString why = QStringLiteral("TorchServe answered HTTP %1").arg(result.status);
    if (!type.isEmpty())
        why += QStringLiteral(": ") + type;
    if (!message.isEmpty())
        why += QStringLiteral(": ") + message;
    return failure(plain, why);
}

// 200 {"status": "Healthy"}; TorchServe also answers 200 with "Partial Healthy" or "Unhealthy".
WorkResult readPing(const HttpResult &result)
{
    const WorkResult answer = readTorchServe(result);
    if (answer.outcome != WorkResult::Outcome::Ok)
        return answer;
    const QString health = answer.body.toObject().value(u"status").toString();
    if (health == u"Healthy")
        return answer;
    return failure(answer, health.isEmpty()
                               ? QStringLiteral("TorchServe's ping answer has no status")
                               : QStringLiteral("TorchServe reports '%1'").arg(health));
}

std::variant<HttpRequest, QString> buildPing(const CallContext &ctx)
{
    return jsonAnswerRequest("GET", joinUrl(ctx.baseUrl, QStringLiteral("/ping")));
}

// `version: all`, or `all: true`, describes every version.
std::variant<HttpRequest, QString> buildDescribe(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString model = with.text(u"model");
    std::optional<QString> version = with.optionalText(u"version");
    if (with.optionalBool(u"all").value_or(false)) {
        if (version && *version != u"all")
            with.fail(u"all", QStringLiteral("give either a version or all: true, not both"));
        version = QStringLiteral("all");
    }
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest("GET", joinUrl(ctx.baseUrl, modelPath(model, version)));
}

std::variant<HttpRequest, QString> buildSetDefault(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString model = with.text(u"model");
    const QString version = with.text(u"version");
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest(
        "PUT", joinUrl(ctx.baseUrl, modelPath(model, version) + QStringLiteral("/set-default")));
}

// synchronous=true: TorchServe answers once the workers are up (200), not on accepting (202).
std::variant<HttpRequest, QString> buildScaleWorkers(const CallContext &ctx)
{
    constexpr qint64 most = std::numeric_limits<qint32>::max(); // a Java int on the server
    WithReader with(ctx.with);
    const QString model = with.text(u"model");
    const std::optional<QString> version = with.optionalText(u"version");
    const auto min = with.integer(u"min", 0, most);
    const auto max = with.integer(u"max", 0, most);
    if (min && max && *max < *min)
        with.fail(u"max", QStringLiteral("%1 is below min (%2)").arg(*max).arg(*min));
    if (!with.ok())
        return with.error();
    const QString query = queryString({{QStringLiteral("min_worker"), QString::number(*min)},
                                       {QStringLiteral("max_worker"), QString::number(*max)},
                                       {QStringLiteral("synchronous"), QStringLiteral("true")}});
    return jsonAnswerRequest("PUT", joinUrl(ctx.baseUrl, modelPath(model, version) + query));
}

std::variant<HttpRequest, QString> buildUnregister(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString model = with.text(u"model");
    const QString version = with.text(u"version");
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest("DELETE", joinUrl(ctx.baseUrl, modelPath(model, version)));
}

} // namespace

QList<CallDefinition> torchserveCalls()
{
    return {
        {QStringLiteral("torchserve.ping"), buildPing, readPing, {}},
        {QStringLiteral("torchserve.describe"), buildDescribe, readTorchServe, {}},
        {QStringLiteral("torchserve.set-default-version"), buildSetDefault, readTorchServe, {}},
        {QStringLiteral("torchserve.scale-workers"), buildScaleWorkers, readTorchServe, {}},
        {QStringLiteral("torchserve.unregister"), buildUnregister, readTorchServe, {}},
    };
}

} // namespace runlane
