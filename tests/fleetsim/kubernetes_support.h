#pragma once

#include "fleet_state.h"
#include "http_message.h"

#include <optional>

namespace runlane::fleetsim {

// Answers and functions shared by every Kubernetes-style API (core nodes, KServe, Argo Rollouts).

// A metav1.Status object as the API server sends it with an error code.
HttpResponse kubeStatus(int code, const QString &reason, const QString &message,
                        const QJsonObject &details = {});
// `group` is empty for the core API ("nodes"); `resource` is the plural resource name.
HttpResponse kubeNotFound(const QString &group, const QString &resource, const QString &name);
HttpResponse kubeMethodNotAllowed();
// What the API server answers for a path it does not serve at all.
HttpResponse kubePageNotFound();
// 422 for one invalid field, shaped like a failed OpenAPI schema check.
HttpResponse kubeInvalid(const QString &kind, const QString &group, const QString &name,
                         const QString &field, const QString &valueText, const QString &detail);

// The body of a PATCH, which must be `application/merge-patch+json` and a JSON object. Otherwise
// `error` holds the API server's answer (415 or 400).
std::optional<QJsonObject> readMergePatch(const HttpRequest &request, bool coreResource,
                                          HttpResponse *error);

// /apis/<group>/<version>/namespaces/<ns>/<resource>[/<name>[/<subresource>]]
struct NamespacedPath
{
    QString nameSpace;
    QString name; // empty for the collection
    QString subresource;
};
// std::nullopt when the segments are not under that group, version and resource.
std::optional<NamespacedPath> matchNamespacedPath(const QStringList &segments, const QString &group,
                                                  const QString &version, const QString &resource);

// Which parts of an object a PATCH may change: with a status subresource the main path leaves
// the status alone and /status changes nothing but the status.
enum class PatchScope { WholeObject, AllButStatus, StatusOnly };
// The object after the patch; identity and bookkeeping metadata always stay as they were.
QJsonObject patchObject(const QJsonObject &current, const QJsonObject &patch, PatchScope scope);

// Builds the common metadata of a simulated object. The uid is derived from the name so runs
// repeat.
QJsonObject kubeMetadata(const QString &nameSpace, const QString &name, FleetState &state);
// After a change: a new resourceVersion, and a new generation when the spec changed.
void bumpMetadata(QJsonObject &object, bool specChanged, FleetState &state);

QString kubeName(const QJsonObject &object);
QString kubeNamespace(const QJsonObject &object);

// The fixed creation time of every simulated object, and "now" for times set by changes.
QString kubeCreationTime();
QString kubeNow();

} // namespace runlane::fleetsim
