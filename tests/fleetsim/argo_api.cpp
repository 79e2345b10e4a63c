#include "argo_api.h"

#include "kubernetes_support.h"
#include "rollout.h"

namespace runlane::fleetsim {

namespace {

const QString kGroup = QStringLiteral("argoproj.io");
const QString kResource = QStringLiteral("rollouts");

std::optional<HttpResponse> validate(const QJsonObject &rollout, const QString &name)
{
    const QJsonValue abort =
        rollout.value(QStringLiteral("status")).toObject().value(QStringLiteral("abort"));
    if (abort.isUndefined() || abort.isBool())
        return std::nullopt;
    const QString type = abort.isString()   ? QStringLiteral("string")
                         : abort.isDouble() ? QStringLiteral("number")
                                            : QStringLiteral("object");
    return kubeInvalid(
        QStringLiteral("Rollout"), kGroup, name, QStringLiteral("status.abort"),
        QStringLiteral("\"%1\"").arg(type),
        QStringLiteral("status.abort in body must be of type boolean: \"%1\"").arg(type));
}

ApiResult patch(FleetState &state, const ApiRequest &request, const NamespacedPath &path,
                PatchScope scope)
{
    HttpResponse failure;
    const std::optional<QJsonObject> body = readMergePatch(request.http, false, &failure);
    if (!body)
        return answer(failure);
    auto it = state.rollouts.find(objectKey(path.nameSpace, path.name));
    if (it == state.rollouts.end())
        return answer(kubeNotFound(kGroup, kResource, path.name));
    QJsonObject patched = patchObject(*it, *body, scope);
    if (const std::optional<HttpResponse> invalid = validate(patched, path.name))
        return answer(*invalid);
    if (patched == *it)
        return answer(HttpResponse::json(200, *it));
    reconcileRollout(*it, patched);
    const bool specChanged =
        patched.value(QStringLiteral("spec")) != it->value(QStringLiteral("spec"));
    bumpMetadata(patched, specChanged, state);
    *it = patched;
    return answer(HttpResponse::json(200, patched), true);
}

} // namespace

ApiAnswer handleArgoRollouts(FleetState &state, const ApiRequest &request)
{
    const std::optional<NamespacedPath> path =
        matchNamespacedPath(request.segments, kGroup, QStringLiteral("v1alpha1"), kResource);
    if (!path)
        return std::nullopt;
    if (path->name.isEmpty()) {
        if (!request.is("GET"))
            return answer(kubeMethodNotAllowed());
        QJsonArray items;
        for (auto it = state.rollouts.cbegin(); it != state.rollouts.cend(); ++it) {
            if (it.key().startsWith(path->nameSpace + QLatin1Char('/')))
                items.append(it.value());
        }
        return answer(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("apiVersion"), kGroup + QStringLiteral("/v1alpha1")},
                             {QStringLiteral("kind"), QStringLiteral("RolloutList")},
                             {QStringLiteral("metadata"),
                              QJsonObject{{QStringLiteral("resourceVersion"),
                                           QString::number(state.resourceVersion)}}},
                             {QStringLiteral("items"), items}}));
    }
    const bool onStatus = path->subresource == QLatin1String("status");
    if ((!path->subresource.isEmpty() && !onStatus) ||
        (onStatus && !state.rolloutStatusSubresource))
        return answer(kubeStatus(404, QStringLiteral("NotFound"),
                                 QStringLiteral("the server could not find the requested "
                                                "resource")));
    if (request.is("PATCH")) {
        const PatchScope scope = onStatus                         ? PatchScope::StatusOnly
                                 : state.rolloutStatusSubresource ? PatchScope::AllButStatus
                                                                  : PatchScope::WholeObject;
        return patch(state, request, *path, scope);
    }
    if (!request.is("GET"))
        return answer(kubeMethodNotAllowed());
    const auto it = state.rollouts.constFind(objectKey(path->nameSpace, path->name));
    if (it == state.rollouts.cend())
        return answer(kubeNotFound(kGroup, kResource, path->name));
    return answer(HttpResponse::json(200, *it));
}

} // namespace runlane::fleetsim
