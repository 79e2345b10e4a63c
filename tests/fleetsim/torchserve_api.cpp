#include "torchserve_api.h"

#include <algorithm>

namespace runlane::fleetsim {

namespace {

// TorchServe's error body: the exception's class name is the "type".
HttpResponse error(int code, const QString &type, const QString &message)
{
    return HttpResponse::json(code, QJsonObject{{QStringLiteral("code"), code},
                                                {QStringLiteral("type"), type},
                                                {QStringLiteral("message"), message}});
}

HttpResponse status(int code, const QString &message)
{
    return HttpResponse::json(code, QJsonObject{{QStringLiteral("status"), message}});
}

HttpResponse modelNotFound(const QString &model)
{
    return error(404, QStringLiteral("ModelNotFoundException"),
                 QStringLiteral("Model not found: ") + model);
}

HttpResponse versionNotFound(const QString &model, const QString &version)
{
    return error(
        404, QStringLiteral("ModelVersionNotFoundException"),
        QStringLiteral("Model version: %1 does not exist for model: %2").arg(version, model));
}

HttpResponse resourceNotFound()
{
    return error(404, QStringLiteral("ResourceNotFoundException"),
                 QStringLiteral("Requested resource is not found, please refer to API document."));
}

HttpResponse methodNotAllowed()
{
    return error(405, QStringLiteral("MethodNotAllowedException"),
                 QStringLiteral("Requested method is not allowed, please refer to API document."));
}

QJsonObject describe(const TorchServeModel &model, const TorchServeVersion &version)
{
    QJsonArray workers;
    for (int i = 0; i < version.minWorkers; ++i) {
        workers.append(QJsonObject{
            {QStringLiteral("id"), QString::number(9000 + i)},
            {QStringLiteral("startTime"), QStringLiteral("2024-11-29T06:00:00.000Z")},
            {QStringLiteral("status"),
             version.healthy ? QStringLiteral("READY") : QStringLiteral("UNLOADING")},
            {QStringLiteral("memoryUsage"), 0},
            {QStringLiteral("pid"), version.healthy ? 4100 + i : -1},
            {QStringLiteral("gpu"), true},
            {QStringLiteral("gpuUsage"), QStringLiteral("gpuId::0 utilization.gpu [%]::0 % "
                                                        "utilization.memory [%]::0 % "
                                                        "memory.used [MiB]::0 MiB")},
        });
    }
    return QJsonObject{
        {QStringLiteral("modelName"), model.name},
        {QStringLiteral("modelVersion"), version.version},
        {QStringLiteral("modelUrl"),
         model.name + QLatin1Char('_') + version.version + QStringLiteral(".mar")},
        {QStringLiteral("runtime"), QStringLiteral("python")},
        {QStringLiteral("minWorkers"), version.minWorkers},
        {QStringLiteral("maxWorkers"), version.maxWorkers},
        {QStringLiteral("batchSize"), 1},
        {QStringLiteral("maxBatchDelay"), 100},
        {QStringLiteral("loadedAtStartup"), true},
        {QStringLiteral("workers"), workers},
        {QStringLiteral("jobQueueStatus"), QJsonObject{{QStringLiteral("remainingCapacity"), 1000},
                                                       {QStringLiteral("pendingRequests"), 0}}},
    };
}

ApiResult listModels(const FleetNode &node, const ApiRequest &request)
{
    QList<const TorchServeModel *> models;
    for (const TorchServeModel &m : node.torchServeModels)
        models.append(&m);
    std::sort(models.begin(), models.end(),
              [](const auto *a, const auto *b) { return a->name < b->name; });
    bool ok = false;
    int limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 0 || limit > 100)
        limit = 100;
    int first = request.query.queryItemValue(QStringLiteral("next_page_token")).toInt(&ok);
    if (!ok || first < 0)
        first = 0;
    QJsonObject body;
    const int last = int(std::min<qsizetype>(first + limit, models.size()));
    if (first + limit < models.size())
        body.insert(QStringLiteral("nextPageToken"), QString::number(last));
    QJsonArray list;
    for (int i = first; i < last; ++i) {
        const TorchServeModel &m = *models[i];
        list.append(
            QJsonObject{{QStringLiteral("modelName"), m.name},
                        {QStringLiteral("modelUrl"),
                         m.name + QLatin1Char('_') + m.defaultVersion + QStringLiteral(".mar")}});
    }
    body.insert(QStringLiteral("models"), list);
    return answer(HttpResponse::json(200, body));
}

ApiResult describeModel(FleetNode &node, const QString &name, const QString &version)
{
    const TorchServeModel *model = node.torchServeModel(name);
    if (!model)
        return answer(modelNotFound(name));
    QJsonArray body;
    if (version == QLatin1String("all")) {
        for (const TorchServeVersion &v : model->versions)
            body.append(describe(*model, v));
        return answer(HttpResponse::json(200, body));
    }
    const TorchServeVersion *found = version.isEmpty() ? model->defaultOne() : model->find(version);
    if (!found)
        return answer(versionNotFound(name, version));
    body.append(describe(*model, *found));
    return answer(HttpResponse::json(200, body));
}

ApiResult setDefault(FleetNode &node, const QString &name, const QString &version)
{
    TorchServeModel *model = node.torchServeModel(name);
    if (!model)
        return answer(modelNotFound(name));
    if (!model->find(version))
        return answer(versionNotFound(name, version));
    const bool changed = model->defaultVersion != version;
    model->defaultVersion = version;
    // "vesion succsesfully" is TorchServe's own spelling; clients match on it.
    return answer(status(200, QStringLiteral("Default vesion succsesfully updated for model "
                                             "\"%1\" to \"%2\"")
                                  .arg(name, version)),
                  changed);
}

// TorchServe parses integers with Java's Integer.parseInt; a NumberFormatException is an
// IllegalArgumentException, which its handler answers with 403.
std::optional<int> intParameter(const ApiRequest &request, const QString &key, int fallback,
                                HttpResponse *failure)
{
    if (!request.query.hasQueryItem(key))
        return fallback;
    const QString text = request.query.queryItemValue(key, QUrl::FullyDecoded);
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok) {
        *failure = error(403, QStringLiteral("NumberFormatException"),
                         QStringLiteral("For input string: \"%1\"").arg(text));
        return std::nullopt;
    }
    return value;
}

ApiResult scaleWorkers(FleetNode &node, const ApiRequest &request, const QString &name,
                       QString version)
{
    HttpResponse failure;
    const std::optional<int> minWorkers =
        intParameter(request, QStringLiteral("min_worker"), 1, &failure);
    if (!minWorkers)
        return answer(failure);
    const std::optional<int> maxWorkers =
        intParameter(request, QStringLiteral("max_worker"), *minWorkers, &failure);
    if (!maxWorkers)
        return answer(failure);
    if (version.isEmpty())
        version = request.query.queryItemValue(QStringLiteral("model_version"));
    const bool synchronous =
        request.query.queryItemValue(QStringLiteral("synchronous")).toLower() ==
        QLatin1String("true");

    if (*maxWorkers < *minWorkers)
        return answer(error(400, QStringLiteral("BadRequestException"),
                            QStringLiteral("max_worker cannot be less than min_worker.")));
    TorchServeModel *model = node.torchServeModel(name);
    if (!model)
        return answer(modelNotFound(name));
    TorchServeVersion *target =
        version.isEmpty() ? model->find(model->defaultVersion) : model->find(version);
    if (!target)
        return answer(versionNotFound(name, version));
    const bool changed = target->minWorkers != *minWorkers || target->maxWorkers != *maxWorkers;
    target->minWorkers = *minWorkers;
    target->maxWorkers = *maxWorkers;
    if (!synchronous)
        return answer(status(202, QStringLiteral("Processing worker updates...")), changed);
    if (!target->healthy)
        return answer(error(500, QStringLiteral("InternalServerException"),
                            QStringLiteral("Failed to start workers")),
                      changed);
    QString message =
        QStringLiteral("Workers scaled to %1 for model: %2").arg(*minWorkers).arg(name);
    if (!version.isEmpty())
        message += QStringLiteral(", version: ") + version;
    return answer(status(200, message), changed);
}

ApiResult unregister(FleetNode &node, const QString &name, QString version)
{
    TorchServeModel *model = node.torchServeModel(name);
    if (!model)
        return answer(modelNotFound(name));
    if (version.isEmpty())
        version = model->defaultVersion;
    if (!model->find(version))
        return answer(versionNotFound(name, version));
    if (version == model->defaultVersion && model->versions.size() > 1)
        return answer(error(403, QStringLiteral("InvalidModelVersionException"),
                            QStringLiteral("Cannot remove default version for model ") + name));
    model->versions.removeIf([&](const TorchServeVersion &v) { return v.version == version; });
    if (model->versions.isEmpty())
        node.torchServeModels.removeIf([&](const TorchServeModel &m) { return m.name == name; });
    return answer(status(200, QStringLiteral("Model \"%1\" unregistered").arg(name)), true);
}

} // namespace

bool torchServeHealthy(const FleetNode &node)
{
    for (const TorchServeModel &model : node.torchServeModels) {
        const TorchServeVersion *version = model.defaultOne();
        if (version && !version->healthy && version->minWorkers > 0)
            return false;
    }
    return true;
}

ApiAnswer handleTorchServe(FleetNode &node, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.size() == 1 && s[0] == QLatin1String("ping")) {
        // Any method answers, as in TorchServe.
        return torchServeHealthy(node) ? answer(status(200, QStringLiteral("Healthy")))
                                       : answer(status(500, QStringLiteral("Unhealthy")));
    }
    if (s.isEmpty() || s[0] != QLatin1String("models"))
        return std::nullopt;
    if (s.size() == 1) {
        if (request.is("GET"))
            return listModels(node, request);
        if (request.is("POST") && !request.query.hasQueryItem(QStringLiteral("url")))
            return answer(error(400, QStringLiteral("BadRequestException"),
                                QStringLiteral("Parameter url is required.")));
        if (request.is("POST")) // registering needs a model archive: not simulated
            return answer(error(500, QStringLiteral("InternalServerException"),
                                QStringLiteral("Model registration is not simulated")));
        return answer(methodNotAllowed());
    }
    if (s.size() > 4)
        return answer(resourceNotFound());
    const QString &name = s[1];
    const QString version = s.size() >= 3 ? s[2] : QString();
    if (s.size() == 4) {
        if (s[3] != QLatin1String("set-default"))
            return answer(resourceNotFound());
        if (!request.is("PUT"))
            return answer(methodNotAllowed());
        return setDefault(node, name, version);
    }
    if (request.is("GET"))
        return describeModel(node, name, version);
    if (request.is("PUT"))
        return scaleWorkers(node, request, name, version);
    if (request.is("DELETE"))
        return unregister(node, name, version);
    return answer(methodNotAllowed());
}

} // namespace runlane::fleetsim
