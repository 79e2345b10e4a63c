#pragma once

#include "integrations/call.h"
#include "integrations/call_support.h"

#include <QList>

// Inside integrations/: each API's file gives its calls to the registry (call_registry.cpp).
namespace runlane {

QList<CallDefinition> prometheusCalls();
QList<CallDefinition> torchserveCalls();
QList<CallDefinition> tritonCalls();
QList<CallDefinition> kserveCalls();
QList<CallDefinition> argoCalls();
QList<CallDefinition> kubernetesCalls();
QList<CallDefinition> alertmanagerCalls();
QList<CallDefinition> pagerdutyCalls();
QList<CallDefinition> slackCalls();

// Shared by the calls on a Kubernetes API server (kserve.*, argo.*, kubernetes.*), defined in
// kubernetes_calls.cpp.
// The URL of a namespaced custom object, `<base>/apis/<groupVersion>/namespaces/<namespace>/
// <resource>/<name>`, from `with: {namespace, name}`; meaningless once `with` has an error.
QString namespacedObjectUrl(const CallContext &ctx, WithReader &with, const QString &groupVersion,
                            const QString &resource);
// A JSON merge patch (RFC 7386) of the object at `url`.
HttpRequest mergePatchRequest(const QString &url, const QJsonObject &patch);
// A 2xx answer with the object; otherwise the API server's `Status` read into an error naming its
// reason and message.
WorkResult readKubernetesAnswer(const HttpResult &result);

} // namespace runlane
