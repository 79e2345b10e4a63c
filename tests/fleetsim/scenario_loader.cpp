#include "scenario_loader.h"

#include "inference_service.h"
#include "kubernetes_api.h"
#include "rollout.h"
#include "yaml_reader.h"

#include <QFile>
#include <QRegularExpression>

namespace runlane::fleetsim {

namespace {

using namespace yaml;

TorchServeModel readTorchServeModel(const YAML::Node &node)
{
    expectMap(node, QStringLiteral("a TorchServe model"),
              {QStringLiteral("model"), QStringLiteral("default"), QStringLiteral("versions")});
    require(node, "model", QStringLiteral("a TorchServe model"));
    require(node, "versions", QStringLiteral("a TorchServe model"));
    TorchServeModel model;
    model.name = text(node["model"], QStringLiteral("'model'"));
    const QString what = QStringLiteral("version of '%1'").arg(model.name);
    expectList(node["versions"], QStringLiteral("'versions'"));
    for (const YAML::Node &v : node["versions"]) {
        expectMap(v, what,
                  {QStringLiteral("version"), QStringLiteral("workers"),
                   QStringLiteral("min_workers"), QStringLiteral("max_workers"),
                   QStringLiteral("healthy"), QStringLiteral("p99_ms")});
        require(v, "version", what);
        TorchServeVersion version;
        version.version = text(v["version"], QStringLiteral("'version'"));
        if (model.find(version.version))
            fail(v["version"], QStringLiteral("version '%1' of '%2' is listed twice")
                                   .arg(version.version, model.name));
        if (const YAML::Node n = v["workers"])
            version.minWorkers = version.maxWorkers = integer(n, QStringLiteral("'workers'"));
        if (const YAML::Node n = v["min_workers"])
            version.minWorkers = integer(n, QStringLiteral("'min_workers'"));
        if (const YAML::Node n = v["max_workers"])
            version.maxWorkers = integer(n, QStringLiteral("'max_workers'"));
        if (version.minWorkers < 0 || version.maxWorkers < version.minWorkers)
            fail(v, QStringLiteral("workers must satisfy 0 <= min_workers <= max_workers"));
        if (const YAML::Node n = v["healthy"])
            version.healthy = boolean(n, QStringLiteral("'healthy'"));
        if (const YAML::Node n = v["p99_ms"])
            version.p99Ms = number(n, QStringLiteral("'p99_ms'"));
        model.versions.append(version);
    }
    if (model.versions.isEmpty())
        fail(node["versions"], QStringLiteral("'%1' needs at least one version").arg(model.name));
    model.defaultVersion = model.versions.first().version;
    if (const YAML::Node n = node["default"]) {
        model.defaultVersion = text(n, QStringLiteral("'default'"));
        if (!model.find(model.defaultVersion))
            fail(n, QStringLiteral("default version '%1' is not among the versions of '%2'")
                        .arg(model.defaultVersion, model.name));
    }
    return model;
}

TritonModel readTritonModel(const YAML::Node &node)
{
    expectMap(node, QStringLiteral("a Triton model"),
              {QStringLiteral("name"), QStringLiteral("version"), QStringLiteral("ready"),
               QStringLiteral("reason"), QStringLiteral("load_error"), QStringLiteral("p99_ms")});
    require(node, "name", QStringLiteral("a Triton model"));
    TritonModel model;
    model.name = text(node["name"], QStringLiteral("'name'"));
    if (const YAML::Node n = node["version"])
        model.version = text(n, QStringLiteral("'version'"));
    if (const YAML::Node n = node["ready"])
        model.ready = boolean(n, QStringLiteral("'ready'"));
    if (const YAML::Node n = node["reason"])
        model.reason = text(n, QStringLiteral("'reason'"));
    else if (!model.ready)
        model.reason = QStringLiteral("unloaded");
    if (const YAML::Node n = node["load_error"])
        model.loadError = text(n, QStringLiteral("'load_error'"));
    if (const YAML::Node n = node["p99_ms"])
        model.p99Ms = number(n, QStringLiteral("'p99_ms'"));
    return model;
}

FleetNode readNode(const YAML::Node &node)
{
    expectMap(node, QStringLiteral("a node"),
              {QStringLiteral("name"), QStringLiteral("torchserve"), QStringLiteral("triton")});
    require(node, "name", QStringLiteral("a node"));
    FleetNode fleetNode;
    fleetNode.name = text(node["name"], QStringLiteral("'name'"));
    if (const YAML::Node list = node["torchserve"]) {
        expectList(list, QStringLiteral("'torchserve'"));
        for (const YAML::Node &m : list) {
            const TorchServeModel model = readTorchServeModel(m);
            if (fleetNode.torchServeModel(model.name))
                fail(m, QStringLiteral("TorchServe model '%1' is listed twice").arg(model.name));
            fleetNode.torchServeModels.append(model);
        }
    }
    if (const YAML::Node triton = node["triton"]) {
        expectMap(triton, QStringLiteral("'triton'"),
                  {QStringLiteral("strict_readiness"), QStringLiteral("models")});
        if (const YAML::Node n = triton["strict_readiness"])
            fleetNode.tritonStrictReadiness = boolean(n, QStringLiteral("'strict_readiness'"));
        if (const YAML::Node list = triton["models"]) {
            expectList(list, QStringLiteral("'models'"));
            for (const YAML::Node &m : list) {
                const TritonModel model = readTritonModel(m);
                if (fleetNode.tritonModel(model.name))
                    fail(m, QStringLiteral("Triton model '%1' is listed twice").arg(model.name));
                fleetNode.tritonModels.append(model);
            }
        }
    }
    return fleetNode;
}

InferenceServiceSeed readInferenceService(const YAML::Node &node)
{
    const QString what = QStringLiteral("an InferenceService");
    expectMap(node, what,
              {QStringLiteral("namespace"), QStringLiteral("name"),
               QStringLiteral("canary_percent"), QStringLiteral("latest_created_revision"),
               QStringLiteral("latest_rolledout_revision"),
               QStringLiteral("previous_rolledout_revision"), QStringLiteral("storage_uri")});
    require(node, "namespace", what);
    require(node, "name", what);
    InferenceServiceSeed seed;
    seed.nameSpace = text(node["namespace"], QStringLiteral("'namespace'"));
    seed.name = text(node["name"], QStringLiteral("'name'"));
    seed.latestCreatedRevision = seed.name + QStringLiteral("-predictor-00001");
    if (const YAML::Node n = node["canary_percent"]) {
        const int percent = integer(n, QStringLiteral("'canary_percent'"));
        if (percent < 0 || percent > 100)
            fail(n, QStringLiteral("'canary_percent' must be from 0 to 100"));
        seed.canaryPercent = percent;
    }
    if (const YAML::Node n = node["latest_created_revision"])
        seed.latestCreatedRevision = text(n, QStringLiteral("'latest_created_revision'"));
    seed.latestRolledoutRevision = seed.latestCreatedRevision;
    if (const YAML::Node n = node["latest_rolledout_revision"])
        seed.latestRolledoutRevision = text(n, QStringLiteral("'latest_rolledout_revision'"));
    if (const YAML::Node n = node["previous_rolledout_revision"])
        seed.previousRolledoutRevision = text(n, QStringLiteral("'previous_rolledout_revision'"));
    seed.storageUri = QStringLiteral("s3://models/%1").arg(seed.name);
    if (const YAML::Node n = node["storage_uri"])
        seed.storageUri = text(n, QStringLiteral("'storage_uri'"));
    return seed;
}

RolloutSeed readRollout(const YAML::Node &node)
{
    const QString what = QStringLiteral("a Rollout");
    expectMap(node, what,
              {QStringLiteral("namespace"), QStringLiteral("name"), QStringLiteral("weights"),
               QStringLiteral("paused_at"), QStringLiteral("aborted"), QStringLiteral("revision"),
               QStringLiteral("replicas")});
    require(node, "namespace", what);
    require(node, "name", what);
    require(node, "weights", what);
    RolloutSeed seed;
    seed.nameSpace = text(node["namespace"], QStringLiteral("'namespace'"));
    seed.name = text(node["name"], QStringLiteral("'name'"));
    expectList(node["weights"], QStringLiteral("'weights'"));
    for (const YAML::Node &w : node["weights"]) {
        const int weight = integer(w, QStringLiteral("a weight"));
        if (weight < 0 || weight > 100)
            fail(w, QStringLiteral("a weight must be from 0 to 100"));
        seed.weights.append(weight);
    }
    if (const YAML::Node n = node["paused_at"]) {
        const int index = integer(n, QStringLiteral("'paused_at'"));
        if (index < 0 || index >= seed.weights.size())
            fail(n, QStringLiteral("'paused_at' must index 'weights' (0 to %1)")
                        .arg(seed.weights.size() - 1));
        seed.pausedAt = index;
    }
    if (const YAML::Node n = node["aborted"])
        seed.aborted = boolean(n, QStringLiteral("'aborted'"));
    if (const YAML::Node n = node["revision"])
        seed.revision = integer(n, QStringLiteral("'revision'"));
    if (const YAML::Node n = node["replicas"])
        seed.replicas = integer(n, QStringLiteral("'replicas'"));
    return seed;
}

void readKubernetes(const YAML::Node &node, FleetState &state)
{
    expectMap(node, QStringLiteral("'kubernetes'"),
              {QStringLiteral("nodes"), QStringLiteral("inferenceservices"),
               QStringLiteral("rollouts"), QStringLiteral("rollout_status_subresource")});
    if (const YAML::Node n = node["nodes"]) {
        for (const QString &name : textList(n, QStringLiteral("'nodes'")))
            state.kubeNodes.insert(name, makeKubeNode(name, state));
    }
    if (const YAML::Node list = node["inferenceservices"]) {
        expectList(list, QStringLiteral("'inferenceservices'"));
        for (const YAML::Node &item : list) {
            const InferenceServiceSeed seed = readInferenceService(item);
            const QString key = objectKey(seed.nameSpace, seed.name);
            if (state.inferenceServices.contains(key))
                fail(item, QStringLiteral("InferenceService %1 is listed twice").arg(key));
            state.inferenceServices.insert(key, makeInferenceService(seed, state));
        }
    }
    if (const YAML::Node list = node["rollouts"]) {
        expectList(list, QStringLiteral("'rollouts'"));
        for (const YAML::Node &item : list) {
            const RolloutSeed seed = readRollout(item);
            const QString key = objectKey(seed.nameSpace, seed.name);
            if (state.rollouts.contains(key))
                fail(item, QStringLiteral("Rollout %1 is listed twice").arg(key));
            state.rollouts.insert(key, makeRollout(seed, state));
        }
    }
    if (const YAML::Node n = node["rollout_status_subresource"])
        state.rolloutStatusSubresource = boolean(n, QStringLiteral("'rollout_status_subresource'"));
}

ModelTrackMetrics readModelTrack(const YAML::Node &node)
{
    const QString what = QStringLiteral("a model's metrics");
    expectMap(node, what,
              {QStringLiteral("namespace"), QStringLiteral("model"), QStringLiteral("track"),
               QStringLiteral("psi"), QStringLiteral("p99_ms"), QStringLiteral("requests"),
               QStringLiteral("errors"), QStringLiteral("error_ratio")});
    require(node, "model", what);
    require(node, "track", what);
    ModelTrackMetrics m;
    m.model = text(node["model"], QStringLiteral("'model'"));
    m.track = text(node["track"], QStringLiteral("'track'"));
    if (m.track != QLatin1String("canary") && m.track != QLatin1String("stable"))
        fail(node["track"], QStringLiteral("'track' must be canary or stable"));
    if (const YAML::Node n = node["namespace"])
        m.nameSpace = text(n, QStringLiteral("'namespace'"));
    for (const auto &[key, target] :
         {std::pair{"psi", &m.psi}, std::pair{"p99_ms", &m.p99Ms},
          std::pair{"requests", &m.requests}, std::pair{"errors", &m.errors},
          std::pair{"error_ratio", &m.errorRatio}}) {
        if (const YAML::Node n = node[key]) {
            *target = number(n, QStringLiteral("'%1'").arg(QLatin1String(key)));
            if (*target < 0)
                fail(n, QStringLiteral("'%1' must not be negative").arg(QLatin1String(key)));
        }
    }
    if (m.errorRatio > 1)
        fail(node["error_ratio"], QStringLiteral("'error_ratio' must be from 0 to 1"));
    return m;
}

PlainSeries readSeries(const YAML::Node &node)
{
    const QString what = QStringLiteral("a series");
    expectMap(node, what,
              {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("help"),
               QStringLiteral("labels"), QStringLiteral("value"),
               QStringLiteral("increase_per_scrape")});
    require(node, "name", what);
    PlainSeries series;
    series.name = text(node["name"], QStringLiteral("'name'"));
    static const QRegularExpression metricName(QStringLiteral("\\A[a-zA-Z_:][a-zA-Z0-9_:]*\\z"));
    if (!metricName.match(series.name).hasMatch())
        fail(node["name"], QStringLiteral("'%1' is not a Prometheus metric name").arg(series.name));
    if (const YAML::Node n = node["type"]) {
        series.type = text(n, QStringLiteral("'type'"));
        if (series.type != QLatin1String("gauge") && series.type != QLatin1String("counter"))
            fail(n, QStringLiteral("'type' must be gauge or counter"));
    }
    if (const YAML::Node n = node["help"])
        series.help = text(n, QStringLiteral("'help'"));
    if (const YAML::Node labels = node["labels"]) {
        if (!labels.IsMap())
            fail(labels, QStringLiteral("'labels' must be a map"));
        for (auto it = labels.begin(); it != labels.end(); ++it)
            series.labels.insert(QString::fromStdString(it->first.Scalar()),
                                 text(it->second, QStringLiteral("a label value")));
    }
    if (const YAML::Node n = node["value"])
        series.value = number(n, QStringLiteral("'value'"));
    if (const YAML::Node n = node["increase_per_scrape"])
        series.increasePerScrape = number(n, QStringLiteral("'increase_per_scrape'"));
    return series;
}

void readMetrics(const YAML::Node &node, FleetState &state)
{
    expectMap(node, QStringLiteral("'metrics'"),
              {QStringLiteral("requests_per_scrape"), QStringLiteral("models"),
               QStringLiteral("series")});
    if (const YAML::Node n = node["requests_per_scrape"]) {
        state.requestsPerScrape = number(n, QStringLiteral("'requests_per_scrape'"));
        if (state.requestsPerScrape < 0)
            fail(n, QStringLiteral("'requests_per_scrape' must not be negative"));
    }
    if (const YAML::Node list = node["models"]) {
        expectList(list, QStringLiteral("'models'"));
        for (const YAML::Node &item : list) {
            const ModelTrackMetrics m = readModelTrack(item);
            if (state.metrics(m.model, m.track))
                fail(item,
                     QStringLiteral("metrics of %1/%2 are listed twice").arg(m.model, m.track));
            state.modelMetrics.append(m);
        }
    }
    if (const YAML::Node list = node["series"]) {
        expectList(list, QStringLiteral("'series'"));
        for (const YAML::Node &item : list)
            state.plainSeries.append(readSeries(item));
    }
}

QList<Fault> readFaults(const YAML::Node &list)
{
    expectList(list, QStringLiteral("'faults'"));
    QList<Fault> faults;
    for (const YAML::Node &item : list) {
        if (!item.IsMap())
            fail(item, QStringLiteral("a fault must be a map"));
        QString error;
        QString key;
        std::optional<Fault> fault = faultFromJson(toJson(item).toObject(), &error, &key);
        if (!fault)
            fail(key.isEmpty() ? item : keyNode(item, key), error);
        faults.append(std::move(*fault));
    }
    return faults;
}

Scenario readScenario(const YAML::Node &root)
{
    expectMap(root, QStringLiteral("the scenario"),
              {QStringLiteral("nodes"), QStringLiteral("kubernetes"), QStringLiteral("slack"),
               QStringLiteral("metrics"), QStringLiteral("faults")});
    Scenario scenario;
    FleetState &state = scenario.state;
    require(root, "nodes", QStringLiteral("the scenario"));
    expectList(root["nodes"], QStringLiteral("'nodes'"));
    for (const YAML::Node &item : root["nodes"]) {
        FleetNode node = readNode(item);
        for (const FleetNode &other : std::as_const(state.nodes)) {
            if (other.name == node.name)
                fail(item, QStringLiteral("node '%1' is listed twice").arg(node.name));
        }
        state.nodes.append(std::move(node));
    }
    if (state.nodes.isEmpty())
        fail(root["nodes"], QStringLiteral("the scenario needs at least one node"));
    if (const YAML::Node n = root["kubernetes"])
        readKubernetes(n, state);
    for (const FleetNode &node : std::as_const(state.nodes)) {
        if (!state.kubeNodes.contains(node.name))
            state.kubeNodes.insert(node.name, makeKubeNode(node.name, state));
    }
    if (const YAML::Node slack = root["slack"]) {
        expectMap(slack, QStringLiteral("'slack'"), {QStringLiteral("webhooks")});
        if (const YAML::Node n = slack["webhooks"]) {
            state.slackWebhooks = textList(n, QStringLiteral("'webhooks'"));
            for (qsizetype i = 0; i < state.slackWebhooks.size(); ++i) {
                if (!state.slackWebhooks[i].startsWith(QLatin1String("/services/")))
                    fail(n[i], QStringLiteral("a webhook path starts with /services/"));
            }
        }
    }
    if (const YAML::Node n = root["metrics"])
        readMetrics(n, state);
    if (const YAML::Node n = root["faults"])
        scenario.faults = readFaults(n);
    return scenario;
}

} // namespace

std::optional<Scenario> loadScenario(const QByteArray &yaml, const QString &fileName,
                                     QString *error)
{
    const auto report = [&](int line, int column, const QString &message) {
        *error =
            QStringLiteral("%1:%2:%3: error: %4").arg(fileName).arg(line).arg(column).arg(message);
        return std::nullopt;
    };
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root.IsDefined() || root.IsNull())
            return report(1, 1, QStringLiteral("the scenario is empty"));
        return readScenario(root);
    } catch (const YamlError &e) {
        return report(e.line, e.column, e.message);
    } catch (const YAML::Exception &e) {
        return report(e.mark.line + 1, e.mark.column + 1, QString::fromStdString(e.msg));
    }
}

QByteArray defaultScenarioYaml()
{
    QFile file(QStringLiteral(":/fleetsim/scenarios/default.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void setFleetSize(FleetState &state, int count)
{
    if (count < state.nodes.size()) {
        state.nodes.resize(count);
        return;
    }
    const FleetNode pattern = state.nodes.last();
    for (int i = int(state.nodes.size()); i < count; ++i) {
        FleetNode copy = pattern;
        copy.name = QStringLiteral("%1-%2").arg(pattern.name).arg(i);
        state.kubeNodes.insert(copy.name, makeKubeNode(copy.name, state));
        state.nodes.append(std::move(copy));
    }
}

} // namespace runlane::fleetsim
