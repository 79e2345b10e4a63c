#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

// KServe InferenceServices (serving.kserve.io/v1beta1) through the Kubernetes API server.
// https://kserve.github.io/website/docs/model-serving/predictive-inference/rollout-strategies/canary
namespace runlane {

namespace {

// The share of traffic the newest ready revision gets; the rest stays on the last one rolled out.
std::variant<HttpRequest, QString> buildSetCanaryPercent(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const auto url = namespacedObjectUrl(ctx, with, QStringLiteral("serving.kserve.io/v1beta1"),
                                         QStringLiteral("inferenceservices"));
    const auto percent = with.integer(u"percent", 0, 100);
    if (!with.ok())
        return with.error();
    const QJsonObject patch{
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("predictor"),
                      QJsonObject{{QStringLiteral("canaryTrafficPercent"), *percent}}}}}};
    return mergePatchRequest(url, patch);
}

std::variant<HttpRequest, QString> buildStatus(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const auto url = namespacedObjectUrl(ctx, with, QStringLiteral("serving.kserve.io/v1beta1"),
                                         QStringLiteral("inferenceservices"));
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest("GET", url);
}

} // namespace

QList<CallDefinition> kserveCalls()
{
    return {
        {QStringLiteral("kserve.set-canary-percent"),
         buildSetCanaryPercent,
         readKubernetesAnswer,
         {}},
        {QStringLiteral("kserve.status"), buildStatus, readKubernetesAnswer, {}},
    };
}

} // namespace runlane
