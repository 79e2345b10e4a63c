#include "kubernetes_api.h"

#include "kubernetes_support.h"

namespace runlane::fleetsim {

namespace {

std::optional<HttpResponse> validate(const QJsonObject &node)
{
    const QJsonValue unschedulable =
        node.value(QStringLiteral("spec")).toObject().value(QStringLiteral("unschedulable"));
    if (unschedulable.isUndefined() || unschedulable.isBool())
        return std::nullopt;
    // Core types are decoded into Go structs: a wrong JSON type fails decoding, not validation.
    return kubeStatus(
        400, QStringLiteral("BadRequest"),
        QStringLiteral("json: cannot unmarshal %1 into Go struct field "
                       "NodeSpec.spec.unschedulable of type bool")
            .arg(unschedulable.isString() ? QStringLiteral("string") : QStringLiteral("number")));
}

ApiResult patchNode(FleetState &state, const ApiRequest &request, const QString &name)
{
    HttpResponse failure;
    const std::optional<QJsonObject> body = readMergePatch(request.http, true, &failure);
    if (!body)
        return answer(failure);
    auto it = state.kubeNodes.find(name);
    if (it == state.kubeNodes.end())
        return answer(kubeNotFound(QString(), QStringLiteral("nodes"), name));
    // Nodes have a status subresource too; kubelets write it, a PATCH here leaves it alone.
    QJsonObject patched = patchObject(*it, *body, PatchScope::AllButStatus);
    if (const std::optional<HttpResponse> invalid = validate(patched))
        return answer(*invalid);
    if (patched == *it)
        return answer(HttpResponse::json(200, *it));
    bumpMetadata(patched, false, state); // nodes carry no generation
    *it = patched;
    return answer(HttpResponse::json(200, patched), true);
}

} // namespace

QJsonObject makeKubeNode(const QString &name, FleetState &state)
{
    QJsonObject metadata = kubeMetadata(QString(), name, state);
    metadata.remove(QStringLiteral("generation"));
    metadata.insert(QStringLiteral("labels"),
                    QJsonObject{{QStringLiteral("kubernetes.io/hostname"), name},
                                {QStringLiteral("kubernetes.io/os"), QStringLiteral("linux")},
                                {QStringLiteral("node-role.kubernetes.io/edge"), QString()}});
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Node")},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("providerID"), QStringLiteral("edge://") + name}}},
        {QStringLiteral("status"),
         QJsonObject{
             {QStringLiteral("conditions"),
              QJsonArray{QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("Ready")},
                  {QStringLiteral("status"), QStringLiteral("True")},
                  {QStringLiteral("reason"), QStringLiteral("KubeletReady")},
                  {QStringLiteral("message"), QStringLiteral("kubelet is posting ready status")},
                  {QStringLiteral("lastTransitionTime"), kubeCreationTime()}}}},
             {QStringLiteral("nodeInfo"),
              QJsonObject{{QStringLiteral("kubeletVersion"), QStringLiteral("v1.29.4")},
                          {QStringLiteral("architecture"), QStringLiteral("arm64")}}},
         }},
    };
}

ApiAnswer handleKubernetesCore(FleetState &state, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.size() == 1 && (s[0] == QLatin1String("readyz") || s[0] == QLatin1String("livez") ||
                          s[0] == QLatin1String("healthz"))) {
        if (!request.is("GET") && !request.is("HEAD"))
            return answer(kubeMethodNotAllowed());
        return answer(HttpResponse::text(200, "ok"));
    }
    if (s.size() < 3 || s[0] != QLatin1String("api") || s[1] != QLatin1String("v1") ||
        s[2] != QLatin1String("nodes"))
        return std::nullopt;
    if (s.size() == 3) {
        if (!request.is("GET"))
            return answer(kubeMethodNotAllowed());
        QJsonArray items;
        for (const QJsonObject &node : std::as_const(state.kubeNodes))
            items.append(node);
        return answer(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                             {QStringLiteral("kind"), QStringLiteral("NodeList")},
                             {QStringLiteral("metadata"),
                              QJsonObject{{QStringLiteral("resourceVersion"),
                                           QString::number(state.resourceVersion)}}},
                             {QStringLiteral("items"), items}}));
    }
    if (s.size() != 4)
        return answer(kubePageNotFound());
    if (request.is("PATCH"))
        return patchNode(state, request, s[3]);
    if (!request.is("GET"))
        return answer(kubeMethodNotAllowed());
    const auto it = state.kubeNodes.constFind(s[3]);
    if (it == state.kubeNodes.cend())
        return answer(kubeNotFound(QString(), QStringLiteral("nodes"), s[3]));
    return answer(HttpResponse::json(200, *it));
}

} // namespace runlane::fleetsim
