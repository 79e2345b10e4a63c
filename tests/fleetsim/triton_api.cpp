#include "triton_api.h"

#include <QJsonDocument>

namespace runlane::fleetsim {

namespace {

HttpResponse error(int code, const QString &message)
{
    return HttpResponse::json(code, QJsonObject{{QStringLiteral("error"), message}});
}

// Load and unload answer 200 with Triton's JSON content type and no body.
HttpResponse emptyJson()
{
    HttpResponse response = HttpResponse::empty(200);
    response.contentType = "application/json";
    return response;
}

HttpResponse unknownModel(const QString &name)
{
    return error(400, QStringLiteral("Request for unknown model: '%1' is not found").arg(name));
}

bool serverReady(const FleetNode &node)
{
    if (!node.tritonStrictReadiness)
        return true;
    for (const TritonModel &m : node.tritonModels) {
        // An explicitly unloaded model does not count against readiness; a failed one does.
        if (!m.ready && m.reason != QLatin1String("unloaded"))
            return false;
    }
    return true;
}

QJsonObject duration(qint64 count, qint64 nanoseconds)
{
    return {{QStringLiteral("count"), count}, {QStringLiteral("ns"), nanoseconds}};
}

QJsonObject statistics(const TritonModel &m)
{
    const qint64 n = m.inferenceCount;
    const qint64 perRequestNs = qint64((m.p99Ms > 0 ? m.p99Ms : 40) * 1e6 / 2);
    return QJsonObject{
        {QStringLiteral("name"), m.name},
        {QStringLiteral("version"), m.version},
        {QStringLiteral("last_inference"), n > 0 ? qint64(1732860000000) : 0},
        {QStringLiteral("inference_count"), n},
        {QStringLiteral("execution_count"), n},
        {QStringLiteral("inference_stats"),
         QJsonObject{
             {QStringLiteral("success"), duration(n, n * perRequestNs)},
             {QStringLiteral("fail"), duration(0, 0)},
             {QStringLiteral("queue"), duration(n, n * perRequestNs / 10)},
             {QStringLiteral("compute_input"), duration(n, n * 50000)},
             {QStringLiteral("compute_infer"), duration(n, n * perRequestNs * 8 / 10)},
             {QStringLiteral("compute_output"), duration(n, n * 50000)},
             {QStringLiteral("cache_hit"), duration(0, 0)},
             {QStringLiteral("cache_miss"), duration(0, 0)},
         }},
        {QStringLiteral("batch_stats"), QJsonArray()},
        {QStringLiteral("memory_usage"), QJsonArray()},
    };
}

ApiResult repositoryIndex(const FleetNode &node, const ApiRequest &request)
{
    bool readyOnly = false;
    if (!request.http.body.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.http.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return answer(error(400, QStringLiteral("failed to parse the request JSON buffer: ") +
                                         parseError.errorString()));
        readyOnly = document.object().value(QStringLiteral("ready")).toBool();
    }
    QJsonArray index;
    for (const TritonModel &m : node.tritonModels) {
        if (readyOnly && !m.ready)
            continue;
        QJsonObject entry{{QStringLiteral("name"), m.name},
                          {QStringLiteral("version"), m.version},
                          {QStringLiteral("state"),
                           m.ready ? QStringLiteral("READY") : QStringLiteral("UNAVAILABLE")}};
        if (!m.ready && !m.reason.isEmpty())
            entry.insert(QStringLiteral("reason"), m.reason);
        index.append(entry);
    }
    return answer(HttpResponse::json(200, index));
}

ApiResult loadModel(FleetNode &node, const QString &name)
{
    TritonModel *model = node.tritonModel(name);
    if (!model)
        return answer(error(500, QStringLiteral("failed to load '%1', failed to poll from model "
                                                "repository")
                                     .arg(name)));
    if (!model->loadError.isEmpty()) {
        model->ready = false;
        model->reason = model->loadError;
        return answer(error(400, QStringLiteral("load failed for model '%1': version %2 is at "
                                                "UNAVAILABLE state: %3;\n")
                                     .arg(name, model->version, model->loadError)));
    }
    const bool changed = !model->ready;
    model->ready = true;
    model->reason.clear();
    return answer(emptyJson(), changed);
}

ApiResult unloadModel(FleetNode &node, const QString &name)
{
    TritonModel *model = node.tritonModel(name);
    if (!model) // Triton unloads an unknown model without complaint
        return answer(emptyJson());
    const bool changed = model->ready;
    model->ready = false;
    model->reason = QStringLiteral("unloaded");
    return answer(emptyJson(), changed);
}

// /v2/models/<m>[/versions/<v>][/<action>]
ApiResult modelEndpoint(FleetNode &node, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    const QString &name = s[2];
    QString version;
    QString action;
    if (s.size() >= 5 && s[3] == QLatin1String("versions")) {
        version = s[4];
        action = s.size() == 6 ? s[5] : QString();
        if (s.size() > 6)
            return answer(error(404, QStringLiteral("Not Found")));
    } else {
        action = s.size() == 4 ? s[3] : QString();
        if (s.size() > 4)
            return answer(error(404, QStringLiteral("Not Found")));
    }
    if (!request.is("GET"))
        return answer(error(405, QStringLiteral("Method Not Allowed")));
    const TritonModel *model = node.tritonModel(name);
    const bool versionKnown = model && (version.isEmpty() || version == model->version);
    if (action == QLatin1String("ready")) {
        if (!versionKnown)
            return answer(unknownModel(name));
        if (!model->ready)
            return answer(error(400, QStringLiteral("Model version not ready")));
        return answer(HttpResponse::empty(200));
    }
    if (!versionKnown || !model->ready)
        return answer(unknownModel(name));
    if (action == QLatin1String("stats"))
        return answer(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("model_stats"), QJsonArray{statistics(*model)}}}));
    if (action.isEmpty())
        return answer(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("name"), model->name},
                             {QStringLiteral("versions"), QJsonArray{model->version}},
                             {QStringLiteral("platform"), QStringLiteral("onnxruntime_onnx")},
                             {QStringLiteral("inputs"), QJsonArray()},
                             {QStringLiteral("outputs"), QJsonArray()}}));
    return answer(error(404, QStringLiteral("Not Found")));
}

} // namespace

ApiAnswer handleTriton(FleetNode &node, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.isEmpty() || s[0] != QLatin1String("v2"))
        return std::nullopt;
    if (s.size() == 3 && s[1] == QLatin1String("health")) {
        if (!request.is("GET"))
            return answer(error(405, QStringLiteral("Method Not Allowed")));
        if (s[2] == QLatin1String("live"))
            return answer(HttpResponse::empty(200));
        if (s[2] == QLatin1String("ready"))
            return answer(HttpResponse::empty(serverReady(node) ? 200 : 400));
    }
    if (s.size() == 3 && s[1] == QLatin1String("models") && s[2] == QLatin1String("stats") &&
        request.is("GET")) {
        QJsonArray all;
        for (const TritonModel &m : node.tritonModels) {
            if (m.ready)
                all.append(statistics(m));
        }
        return answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("model_stats"), all}}));
    }
    if (s.size() >= 3 && s[1] == QLatin1String("models"))
        return modelEndpoint(node, request);
    if (s.size() == 3 && s[1] == QLatin1String("repository") && s[2] == QLatin1String("index")) {
        if (!request.is("POST"))
            return answer(error(405, QStringLiteral("Method Not Allowed")));
        return repositoryIndex(node, request);
    }
    if (s.size() == 5 && s[1] == QLatin1String("repository") && s[2] == QLatin1String("models")) {
        if (!request.is("POST"))
            return answer(error(405, QStringLiteral("Method Not Allowed")));
        if (s[4] == QLatin1String("load"))
            return loadModel(node, s[3]);
        if (s[4] == QLatin1String("unload"))
            return unloadModel(node, s[3]);
    }
    if (s.size() == 1 && request.is("GET"))
        return answer(HttpResponse::json(
            200, QJsonObject{
                     {QStringLiteral("name"), QStringLiteral("triton")},
                     {QStringLiteral("version"), QStringLiteral("2.41.0")},
                     {QStringLiteral("extensions"), QJsonArray{QStringLiteral("classification"),
                                                               QStringLiteral("model_repository"),
                                                               QStringLiteral("statistics")}}}));
    return answer(error(404, QStringLiteral("Not Found")));
}

} // namespace runlane::fleetsim
