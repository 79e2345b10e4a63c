#include "kserve_api.h"

#include "inference_service.h"
#include "kubernetes_support.h"

#include <cmath>

namespace runlane::fleetsim {

namespace {

const QString kGroup = QStringLiteral("serving.kserve.io");
const QString kResource = QStringLiteral("inferenceservices");

// The CRD's OpenAPI schema: canaryTrafficPercent is an integer from 0 to 100.
std::optional<HttpResponse> validate(const QJsonObject &isvc, const QString &name)
{
    const QString field = QStringLiteral("spec.predictor.canaryTrafficPercent");
    const QJsonValue value = isvc.value(QStringLiteral("spec"))
                                 .toObject()
                                 .value(QStringLiteral("predictor"))
                                 .toObject()
                                 .value(QStringLiteral("canaryTrafficPercent"));
    if (value.isUndefined())
        return std::nullopt;
    const auto invalid = [&](const QString &valueText, const QString &detail) {
        return kubeInvalid(QStringLiteral("InferenceService"), kGroup, name, field, valueText,
                           field + QLatin1Char(' ') + detail);
    };
    if (value.isString())
        return invalid(QLatin1Char('"') + value.toString() + QLatin1Char('"'),
                       QStringLiteral("in body must be of type integer: \"string\""));
    if (!value.isDouble())
        return invalid(QStringLiteral("\"%1\"").arg(value.isBool() ? QStringLiteral("boolean")
                                                                   : QStringLiteral("object")),
                       QStringLiteral("in body must be of type integer"));
    const double number = value.toDouble();
    const QString text = QString::number(number, 'g', 15);
    if (number != std::floor(number))
        return invalid(text, QStringLiteral("in body must be of type integer: \"number\""));
    if (number > 100)
        return invalid(text, QStringLiteral("in body should be less than or equal to 100"));
    if (number < 0)
        return invalid(text, QStringLiteral("in body should be greater than or equal to 0"));
    return std::nullopt;
}

ApiResult patch(FleetState &state, const ApiRequest &request, const NamespacedPath &path)
{
    HttpResponse failure;
    const std::optional<QJsonObject> body = readMergePatch(request.http, false, &failure);
    if (!body)
        return answer(failure);
    const QString key = objectKey(path.nameSpace, path.name);
    auto it = state.inferenceServices.find(key);
    if (it == state.inferenceServices.end())
        return answer(kubeNotFound(kGroup, kResource, path.name));
    QJsonObject patched = patchObject(*it, *body, PatchScope::AllButStatus);
    if (const std::optional<HttpResponse> invalid = validate(patched, path.name))
        return answer(*invalid);
    if (patched == *it)
        return answer(HttpResponse::json(200, *it));
    const bool specChanged =
        patched.value(QStringLiteral("spec")) != it->value(QStringLiteral("spec"));
    bumpMetadata(patched, specChanged, state);
    reconcileInferenceService(patched);
    *it = patched;
    return answer(HttpResponse::json(200, patched), true);
}

} // namespace

ApiAnswer handleKServe(FleetState &state, const ApiRequest &request)
{
    const std::optional<NamespacedPath> path =
        matchNamespacedPath(request.segments, kGroup, QStringLiteral("v1beta1"), kResource);
    if (!path)
        return std::nullopt;
    if (!path->subresource.isEmpty())
        return answer(kubePageNotFound());
    if (path->name.isEmpty()) {
        if (!request.is("GET"))
            return answer(kubeMethodNotAllowed());
        QJsonArray items;
        for (auto it = state.inferenceServices.cbegin(); it != state.inferenceServices.cend();
             ++it) {
            if (it.key().startsWith(path->nameSpace + QLatin1Char('/')))
                items.append(it.value());
        }
        return answer(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("apiVersion"), kGroup + QStringLiteral("/v1beta1")},
                             {QStringLiteral("kind"), QStringLiteral("InferenceServiceList")},
                             {QStringLiteral("metadata"),
                              QJsonObject{{QStringLiteral("resourceVersion"),
                                           QString::number(state.resourceVersion)}}},
                             {QStringLiteral("items"), items}}));
    }
    if (request.is("PATCH"))
        return patch(state, request, *path);
    if (!request.is("GET"))
        return answer(kubeMethodNotAllowed());
    const auto it = state.inferenceServices.constFind(objectKey(path->nameSpace, path->name));
    if (it == state.inferenceServices.cend())
        return answer(kubeNotFound(kGroup, kResource, path->name));
    return answer(HttpResponse::json(200, *it));
}

} // namespace runlane::fleetsim
