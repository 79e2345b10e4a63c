#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

// Argo Rollouts (argoproj.io/v1alpha1) through the Kubernetes API server. Rollouts v0.10 and later
// keep `status` in a subresource; older ones have none, and the API server answers 404 there, so
// the same patch then goes to the Rollout object itself.
namespace runlane {

namespace {

using Builder = std::function<std::variant<HttpRequest, QString>(const CallContext &)>;
using Fallback = std::function<std::optional<HttpRequest>(const CallContext &, const HttpResult &)>;

// The merge patch on `…/rollouts/<name>/status`, or on the object itself.
std::variant<HttpRequest, QString> buildPatch(const CallContext &ctx, const QJsonObject &patch,
                                              bool subresource)
{
    WithReader with(ctx.with);
    const QString url = namespacedObjectUrl(ctx, with, QStringLiteral("argoproj.io/v1alpha1"),
                                            QStringLiteral("rollouts"));
    if (!with.ok())
        return with.error();
    return mergePatchRequest(subresource ? url + QStringLiteral("/status") : url, patch);
}

Builder patchBuilder(const QJsonObject &patch)
{
    return [patch](const CallContext &ctx) { return buildPatch(ctx, patch, true); };
}

Fallback objectFallback(const QJsonObject &patch)
{
    return [patch](const CallContext &ctx, const HttpResult &first) -> std::optional<HttpRequest> {
        if (!first.answered() || first.status != 404)
            return std::nullopt;
        auto request = buildPatch(ctx, patch, false);
        if (auto *built = std::get_if<HttpRequest>(&request))
            return std::move(*built);
        return std::nullopt;
    };
}

} // namespace

QList<CallDefinition> argoCalls()
{
    const QJsonObject abort{
        {QStringLiteral("status"), QJsonObject{{QStringLiteral("abort"), true}}}};
    // Clearing the pause conditions lets the controller go on to the next step.
    const QJsonObject promote{{QStringLiteral("status"),
                               QJsonObject{{QStringLiteral("pauseConditions"), QJsonValue::Null}}}};
    return {
        {QStringLiteral("argo.abort"), patchBuilder(abort), readKubernetesAnswer,
         objectFallback(abort)},
        {QStringLiteral("argo.promote"), patchBuilder(promote), readKubernetesAnswer,
         objectFallback(promote)},
    };
}

} // namespace runlane
