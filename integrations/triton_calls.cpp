#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

// Triton Inference Server over HTTP: the KServe v2 protocol's health endpoints, and Triton's
// model repository and statistics extensions. Errors are {"error": "…"}.
// https://github.com/triton-inference-server/server/tree/main/docs/protocol
namespace runlane {

namespace {

const QString api = QStringLiteral("Triton");

QString modelPath(const QString &model)
{
    return QStringLiteral("/v2/models/") + pathSegment(model);
}

// ": <Triton's error>" when the body carries one.
QString tritonReason(const HttpResult &result)
{
    const auto json = parseJson(result.body);
    const QString error = json ? json->toObject().value(u"error").toString() : QString();
    return error.isEmpty() ? QString() : QStringLiteral(": ") + error;
}

// Readiness is the status alone: 200 ready, anything else (Triton sends 400) not ready.
WorkResult readReady(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered() || result.status == 200)
        return plain;
    return failure(plain, QStringLiteral("Triton is not ready (HTTP %1)%2")
                              .arg(result.status)
                              .arg(tritonReason(result)));
}

// load/unload: 200 with an empty body on success.
std::function<WorkResult(const HttpResult &)> repositoryReader(const QString &verb)
{
    return [verb](const HttpResult &result) {
        const WorkResult plain = workResultOf(result);
        if (!result.answered() || isSuccess(result.status))
            return plain;
        return failure(plain, QStringLiteral("Triton could not %1 the model (HTTP %2)%3")
                                  .arg(verb)
                                  .arg(result.status)
                                  .arg(tritonReason(result)));
    };
}

// 200 {"model_stats": [{"name", "version", "inference_stats": {…}, …}]}
WorkResult readStats(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    if (!isSuccess(result.status))
        return failure(plain, QStringLiteral("Triton answered HTTP %1%2")
                                  .arg(result.status)
                                  .arg(tritonReason(result)));
    const auto json = parseJson(result.body);
    if (!json)
        return failure(plain, notJson(api, result.status));
    if (!json->toObject().value(u"model_stats").isArray())
        return failure(plain, QStringLiteral("Triton's statistics answer has no model_stats"));
    return plain;
}

std::variant<HttpRequest, QString> buildReady(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const std::optional<QString> model = with.optionalText(u"model");
    if (!with.ok())
        return with.error();
    const QString path =
        model ? modelPath(*model) + QStringLiteral("/ready") : QStringLiteral("/v2/health/ready");
    return jsonAnswerRequest("GET", joinUrl(ctx.baseUrl, path));
}

std::function<std::variant<HttpRequest, QString>(const CallContext &)>
repositoryBuilder(const QString &verb)
{
    // An empty body asks for the model as its repository holds it (no config override).
    return [verb](const CallContext &ctx) -> std::variant<HttpRequest, QString> {
        WithReader with(ctx.with);
        const QString model = with.text(u"model");
        if (!with.ok())
            return with.error();
        return jsonAnswerRequest("POST",
                                 joinUrl(ctx.baseUrl, QStringLiteral("/v2/repository/models/") +
                                                          pathSegment(model) + u'/' + verb));
    };
}

std::variant<HttpRequest, QString> buildStats(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString model = with.text(u"model");
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest("GET",
                             joinUrl(ctx.baseUrl, modelPath(model) + QStringLiteral("/stats")));
}

} // namespace

QList<CallDefinition> tritonCalls()
{
    const QString load = QStringLiteral("load");
    const QString unload = QStringLiteral("unload");
    return {
        {QStringLiteral("triton.ready"), buildReady, readReady, {}},
        {QStringLiteral("triton.load"), repositoryBuilder(load), repositoryReader(load), {}},
        {QStringLiteral("triton.unload"), repositoryBuilder(unload), repositoryReader(unload), {}},
        {QStringLiteral("triton.stats"), buildStats, readStats, {}},
    };
}

} // namespace runlane
