#include "kubernetes_support.h"

#include "json_merge_patch.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QUuid>

namespace runlane::fleetsim {

HttpResponse kubeStatus(int code, const QString &reason, const QString &message,
                        const QJsonObject &details)
{
    QJsonObject status{
        {QStringLiteral("kind"), QStringLiteral("Status")},
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("metadata"), QJsonObject()},
        {QStringLiteral("status"), QStringLiteral("Failure")},
        {QStringLiteral("message"), message},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("code"), code},
    };
    if (!details.isEmpty())
        status.insert(QStringLiteral("details"), details);
    return HttpResponse::json(code, status);
}

HttpResponse kubeNotFound(const QString &group, const QString &resource, const QString &name)
{
    const QString qualified = group.isEmpty() ? resource : resource + QLatin1Char('.') + group;
    QJsonObject details{{QStringLiteral("name"), name}, {QStringLiteral("kind"), resource}};
    if (!group.isEmpty())
        details.insert(QStringLiteral("group"), group);
    return kubeStatus(404, QStringLiteral("NotFound"),
                      QStringLiteral("%1 \"%2\" not found").arg(qualified, name), details);
}

HttpResponse kubeMethodNotAllowed()
{
    return kubeStatus(405, QStringLiteral("MethodNotAllowed"),
                      QStringLiteral("the server does not allow this method on the requested "
                                     "resource"));
}

HttpResponse kubePageNotFound()
{
    return HttpResponse::text(404, "404 page not found\n");
}

HttpResponse kubeInvalid(const QString &kind, const QString &group, const QString &name,
                         const QString &field, const QString &valueText, const QString &detail)
{
    const QString cause = QStringLiteral("Invalid value: %1: %2").arg(valueText, detail);
    const QJsonObject details{
        {QStringLiteral("name"), name},
        {QStringLiteral("group"), group},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("causes"),
         QJsonArray{QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldValueInvalid")},
                                {QStringLiteral("message"), cause},
                                {QStringLiteral("field"), field}}}},
    };
    return kubeStatus(
        422, QStringLiteral("Invalid"),
        QStringLiteral("%1.%2 \"%3\" is invalid: %4: %5").arg(kind, group, name, field, cause),
        details);
}

std::optional<QJsonObject> readMergePatch(const HttpRequest &request, bool coreResource,
                                          HttpResponse *error)
{
    if (request.mediaType() != "application/merge-patch+json") {
        // The real server also takes JSON patches and apply configurations (and strategic merge
        // patches on core types); the simulator implements merge patches only.
        QString accepted = QStringLiteral("application/json-patch+json, "
                                          "application/merge-patch+json, "
                                          "application/apply-patch+yaml");
        if (coreResource)
            accepted += QStringLiteral(", application/strategic-merge-patch+json");
        *error = kubeStatus(415, QStringLiteral("UnsupportedMediaType"),
                            QStringLiteral("the body of the request was in an unknown format - "
                                           "accepted media types include: ") +
                                accepted);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString why = parseError.error != QJsonParseError::NoError
                                ? parseError.errorString()
                                : QStringLiteral("a merge patch must be a JSON object");
        *error = kubeStatus(400, QStringLiteral("BadRequest"),
                            QStringLiteral("error decoding patch: ") + why);
        return std::nullopt;
    }
    return document.object();
}

std::optional<NamespacedPath> matchNamespacedPath(const QStringList &segments, const QString &group,
                                                  const QString &version, const QString &resource)
{
    if (segments.size() < 6 || segments.size() > 8 || segments[0] != QLatin1String("apis") ||
        segments[1] != group || segments[2] != version ||
        segments[3] != QLatin1String("namespaces") || segments[5] != resource)
        return std::nullopt;
    NamespacedPath path;
    path.nameSpace = segments[4];
    if (segments.size() >= 7)
        path.name = segments[6];
    if (segments.size() == 8)
        path.subresource = segments[7];
    return path;
}

QJsonObject patchObject(const QJsonObject &current, const QJsonObject &patch, PatchScope scope)
{
    QJsonObject result = applyMergePatch(current, patch).toObject();
    const QString status = QStringLiteral("status");
    if (scope == PatchScope::AllButStatus) {
        if (current.contains(status))
            result.insert(status, current.value(status));
        else
            result.remove(status);
    } else if (scope == PatchScope::StatusOnly) {
        const QJsonValue newStatus = result.value(status);
        result = current;
        if (newStatus.isUndefined())
            result.remove(status);
        else
            result.insert(status, newStatus);
    }
    result.insert(QStringLiteral("apiVersion"), current.value(QStringLiteral("apiVersion")));
    result.insert(QStringLiteral("kind"), current.value(QStringLiteral("kind")));
    const QJsonObject before = current.value(QStringLiteral("metadata")).toObject();
    QJsonObject metadata = result.value(QStringLiteral("metadata")).toObject();
    for (const QString &key : {QStringLiteral("name"), QStringLiteral("namespace"),
                               QStringLiteral("uid"), QStringLiteral("creationTimestamp"),
                               QStringLiteral("resourceVersion"), QStringLiteral("generation")}) {
        if (before.contains(key))
            metadata.insert(key, before.value(key));
        else
            metadata.remove(key);
    }
    result.insert(QStringLiteral("metadata"), metadata);
    return result;
}

QJsonObject kubeMetadata(const QString &nameSpace, const QString &name, FleetState &state)
{
    static const QUuid uidNamespace(QStringLiteral("{6f2b7d3e-5a41-4c8e-9d0a-2f1e8b7c6a59}"));
    QJsonObject metadata{
        {QStringLiteral("name"), name},
        {QStringLiteral("uid"),
         QUuid::createUuidV5(uidNamespace, nameSpace + QLatin1Char('/') + name)
             .toString(QUuid::WithoutBraces)},
        {QStringLiteral("resourceVersion"), state.nextResourceVersion()},
        {QStringLiteral("generation"), 1},
        {QStringLiteral("creationTimestamp"), kubeCreationTime()},
    };
    if (!nameSpace.isEmpty())
        metadata.insert(QStringLiteral("namespace"), nameSpace);
    return metadata;
}

void bumpMetadata(QJsonObject &object, bool specChanged, FleetState &state)
{
    QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
    metadata.insert(QStringLiteral("resourceVersion"), state.nextResourceVersion());
    if (specChanged) {
        const int generation = metadata.value(QStringLiteral("generation")).toInt(1);
        metadata.insert(QStringLiteral("generation"), generation + 1);
    }
    object.insert(QStringLiteral("metadata"), metadata);
}

QString kubeName(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata"))
        .toObject()
        .value(QStringLiteral("name"))
        .toString();
}

QString kubeNamespace(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata"))
        .toObject()
        .value(QStringLiteral("namespace"))
        .toString();
}

QString kubeCreationTime()
{
    return QStringLiteral("2024-11-29T06:00:00Z");
}

QString kubeNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace runlane::fleetsim
