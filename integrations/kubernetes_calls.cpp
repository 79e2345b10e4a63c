#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

// The Kubernetes API server: a node cordoned with a merge patch, and the reading of its answers,
// shared with the kserve.* and argo.* calls. Errors are `Status` objects
// (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/).
namespace runlane {

namespace {

std::variant<HttpRequest, QString> buildCordon(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString node = with.text(u"node");
    if (!with.ok())
        return with.error();
    // What `kubectl cordon` changes: the scheduler places no new pods on the node.
    return mergePatchRequest(
        joinUrl(ctx.baseUrl, QStringLiteral("/api/v1/nodes/") + pathSegment(node)),
        QJsonObject{
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("unschedulable"), true}}}});
}

} // namespace

HttpRequest mergePatchRequest(const QString &url, const QJsonObject &patch)
{
    HttpRequest request = jsonAnswerRequest("PATCH", url);
    setJsonBody(request, patch, "application/merge-patch+json");
    return request;
}

WorkResult readKubernetesAnswer(const HttpResult &result)
{
    const QString api = QStringLiteral("Kubernetes");
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    const auto json = parseJson(result.body);
    if (isSuccess(result.status)) {
        if (!json || !json->isObject())
            return failure(plain, notJson(api, result.status));
        return plain;
    }
    if (!json || !json->isObject())
        return failure(plain, notJson(api, result.status));
    const QJsonObject status = json->toObject();
    const QString reason = status.value(u"reason").toString();
    const QString message = status.value(u"message").toString();
    QString why = QStringLiteral("Kubernetes answered HTTP %1").arg(result.status);
    if (!reason.isEmpty())
        why += QStringLiteral(": ") + reason;
    if (!message.isEmpty())
        why += QStringLiteral(": ") + message;
    return failure(plain, why);
}

QList<CallDefinition> kubernetesCalls()
{
    return {{QStringLiteral("kubernetes.cordon"), buildCordon, readKubernetesAnswer, {}}};
}

QString namespacedObjectUrl(const CallContext &ctx, WithReader &with, const QString &groupVersion,
                            const QString &resource)
{
    const QString ns = with.text(u"namespace");
    const QString name = with.text(u"name");
    return joinUrl(ctx.baseUrl,
                   QStringLiteral("/apis/%1/namespaces/%2/%3/%4")
                       .arg(groupVersion, pathSegment(ns), resource, pathSegment(name)));
}

} // namespace runlane
