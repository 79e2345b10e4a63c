#include "metrics_api.h"

#include "inference_service.h"
#include "kubernetes_support.h"
#include "rollout.h"

#include <QLocale>

#include <cmath>

namespace runlane::fleetsim {

namespace {

using Labels = QList<std::pair<QString, QString>>;

constexpr double kDefaultP99Ms = 50;
constexpr double kSeedRequests = 1000; // observations a node's histogram starts with

QByteArray formatValue(double value)
{
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value))
        return "NaN";
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray escapeLabel(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// Writes one metric family at a time, as the text format requires.
class Exposition
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    void sample(const QByteArray &name, const Labels &labels, double value)
    {
        m_out += name;
        if (!labels.isEmpty()) {
            m_out += '{';
            for (qsizetype i = 0; i < labels.size(); ++i) {
                if (i > 0)
                    m_out += ',';
                m_out += labels[i].first.toUtf8() + "=\"" + escapeLabel(labels[i].second) + '"';
            }
            m_out += '}';
        }
        m_out += ' ' + formatValue(value) + '\n';
    }
    void histogram(const QByteArray &name, const Labels &labels, const LatencyHistogram &h)
    {
        const QList<double> &bounds = latencyBuckets();
        double cumulative = 0;
        for (qsizetype i = 0; i <= bounds.size(); ++i) {
            cumulative += i < h.bucketCounts.size() ? h.bucketCounts[i] : 0;
            Labels withLe = labels;
            withLe.append({QStringLiteral("le"), i < bounds.size()
                                                     ? QString::fromLatin1(formatValue(bounds[i]))
                                                     : QStringLiteral("+Inf")});
            sample(name + "_bucket", withLe, cumulative);
        }
        sample(name + "_sum", labels, h.sum);
        sample(name + "_count", labels, h.count);
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};

Labels trackLabels(const ModelTrackMetrics &m)
{
    Labels labels;
    if (!m.nameSpace.isEmpty())
        labels.append({QStringLiteral("namespace"), m.nameSpace});
    labels.append({QStringLiteral("model"), m.model});
    labels.append({QStringLiteral("track"), m.track});
    return labels;
}

const QJsonObject *inferenceServiceFor(const FleetState &state, const ModelTrackMetrics &m)
{
    for (auto it = state.inferenceServices.cbegin(); it != state.inferenceServices.cend(); ++it) {
        if (kubeName(*it) == m.model &&
            (m.nameSpace.isEmpty() || kubeNamespace(*it) == m.nameSpace))
            return &it.value();
    }
    return nullptr;
}

double torchServeLatency(const FleetState &state, const TorchServeModel &model)
{
    const TorchServeVersion *version = model.defaultOne();
    if (version && version->p99Ms > 0)
        return version->p99Ms;
    for (const ModelTrackMetrics &m : state.modelMetrics) {
        if (m.model == model.name && m.track == QLatin1String("stable"))
            return m.p99Ms;
    }
    return kDefaultP99Ms;
}

double tritonLatency(const TritonModel &model)
{
    return model.p99Ms > 0 ? model.p99Ms : kDefaultP99Ms;
}

QString nodeKey(const FleetNode &node, const QString &model)
{
    return node.name + QLatin1Char('/') + model;
}

// One scrape's worth of traffic for every counter and histogram.
void addTraffic(FleetState &state)
{
    const double r = state.requestsPerScrape;
    for (ModelTrackMetrics &m : state.modelMetrics) {
        const EffectiveTrack track = effectiveTrack(state, m);
        if (m.histogram.count == 0)
            m.histogram.observe(m.requests, track.p99Ms);
        const double added = std::round(r * track.trafficShare);
        m.requests += added;
        m.errors += std::round(added * m.errorRatio);
        m.histogram.observe(added, track.p99Ms);
    }
    for (FleetNode &node : state.nodes) {
        for (const TorchServeModel &model : node.torchServeModels) {
            LatencyHistogram &h = state.nodeLatency[nodeKey(node, model.name)];
            if (h.count == 0)
                h.observe(kSeedRequests, torchServeLatency(state, model));
            h.observe(r, torchServeLatency(state, model));
        }
        for (TritonModel &model : node.tritonModels) {
            if (!model.ready)
                continue;
            LatencyHistogram &h = state.nodeLatency[nodeKey(node, model.name)];
            if (h.count == 0)
                h.observe(kSeedRequests, tritonLatency(model));
            h.observe(r, tritonLatency(model));
            model.inferenceCount += qint64(r);
        }
    }
    for (auto it = state.inferenceServices.cbegin(); it != state.inferenceServices.cend(); ++it) {
        const QString nameSpace = kubeNamespace(*it);
        const QJsonArray traffic = predictorStatus(*it).value(QStringLiteral("traffic")).toArray();
        for (const QJsonValue &target : traffic) {
            const QJsonObject t = target.toObject();
            state.revisionRequests[objectKey(nameSpace,
                                             t.value(QStringLiteral("revisionName")).toString())] +=
                std::round(r * t.value(QStringLiteral("percent")).toDouble() / 100);
        }
    }
    for (auto it = state.rollouts.cbegin(); it != state.rollouts.cend(); ++it) {
        const double canary = std::round(r * rolloutCanaryWeight(*it) / 100);
        const QString name = kubeName(*it);
        for (const auto &[role, count] : {std::pair{QStringLiteral("canary"), canary},
                                          std::pair{QStringLiteral("stable"), r - canary}}) {
            const ModelTrackMetrics *m = state.metrics(name, role);
            const double failed = std::round(count * (m ? m->errorRatio : 0));
            state.rolloutRequests[it.key() + QLatin1Char('/') + role + QStringLiteral("/200")] +=
                count - failed;
            state.rolloutRequests[it.key() + QLatin1Char('/') + role + QStringLiteral("/503")] +=
                failed;
        }
    }
    for (PlainSeries &series : state.plainSeries)
        series.value += series.increasePerScrape;
}

void writeModelTracks(Exposition &out, const FleetState &state)
{
    out.family("model_input_psi", "gauge",
               "Population stability index of the model's inputs against its training data.");
    for (const ModelTrackMetrics &m : state.modelMetrics)
        out.sample("model_input_psi", trackLabels(m), effectiveTrack(state, m).psi);

    out.family("model_request_latency_seconds", "histogram", "Inference request latency.");
    for (const ModelTrackMetrics &m : state.modelMetrics) {
        LatencyHistogram h = m.histogram;
        if (state.requestsPerScrape <= 0) { // static: the requests at today's latency
            h = {};
            h.observe(m.requests, effectiveTrack(state, m).p99Ms);
        }
        out.histogram("model_request_latency_seconds", trackLabels(m), h);
    }

    out.family("model_request_errors_total", "counter", "Inference requests that failed.");
    for (const ModelTrackMetrics &m : state.modelMetrics)
        out.sample("model_request_errors_total", trackLabels(m), m.errors);
}

void writeNodes(Exposition &out, const FleetState &state)
{
    const bool accumulated = state.requestsPerScrape > 0;
    const auto histogramFor = [&](const FleetNode &node, const QString &model, double p99Ms) {
        const auto it = state.nodeLatency.constFind(nodeKey(node, model));
        if (accumulated && it != state.nodeLatency.cend())
            return *it;
        LatencyHistogram h;
        h.observe(kSeedRequests, p99Ms);
        return h;
    };
    out.family("inference_request_duration_seconds", "histogram",
               "Inference request latency on an edge node, by model.");
    for (const FleetNode &node : state.nodes) {
        for (const TorchServeModel &model : node.torchServeModels) {
            out.histogram(
                "inference_request_duration_seconds",
                {{QStringLiteral("node"), node.name}, {QStringLiteral("model"), model.name}},
                histogramFor(node, model.name, torchServeLatency(state, model)));
        }
        for (const TritonModel &model : node.tritonModels) {
            if (!model.ready)
                continue;
            out.histogram(
                "inference_request_duration_seconds",
                {{QStringLiteral("node"), node.name}, {QStringLiteral("model"), model.name}},
                histogramFor(node, model.name, tritonLatency(model)));
        }
    }
    out.family("nv_inference_request_success", "counter",
               "Number of successful inference requests, all batch sizes");
    for (const FleetNode &node : state.nodes) {
        for (const TritonModel &model : node.tritonModels) {
            out.sample("nv_inference_request_success",
                       {{QStringLiteral("model"), model.name},
                        {QStringLiteral("version"), model.version},
                        {QStringLiteral("instance"), node.name + QStringLiteral(":8002")}},
                       double(model.inferenceCount));
        }
    }
}

void writeKubernetes(Exposition &out, const FleetState &state)
{
    out.family("revision_request_count", "counter", "The number of requests routed to a revision.");
    for (auto it = state.inferenceServices.cbegin(); it != state.inferenceServices.cend(); ++it) {
        const QString nameSpace = kubeNamespace(*it);
        const QJsonObject predictor = predictorStatus(*it);
        QStringList revisions;
        for (const char *field : {"latestRolledoutRevision", "latestCreatedRevision"}) {
            const QString revision = predictor.value(QLatin1String(field)).toString();
            if (!revision.isEmpty() && !revisions.contains(revision))
                revisions.append(revision);
        }
        for (const QString &revision : revisions)
            out.sample("revision_request_count",
                       {{QStringLiteral("namespace_name"), nameSpace},
                        {QStringLiteral("revision_name"), revision}},
                       state.revisionRequests.value(objectKey(nameSpace, revision)));
    }

    out.family("rollout_info", "gauge", "Information about a rollout.");
    for (auto it = state.rollouts.cbegin(); it != state.rollouts.cend(); ++it) {
        const QString phase = it->value(QStringLiteral("status"))
                                  .toObject()
                                  .value(QStringLiteral("phase"))
                                  .toString();
        out.sample("rollout_info",
                   {{QStringLiteral("namespace"), kubeNamespace(*it)},
                    {QStringLiteral("name"), kubeName(*it)},
                    {QStringLiteral("phase"), phase}},
                   1);
    }

    out.family("inference_requests_total", "counter",
               "Inference requests by rollout role and code.");
    for (auto it = state.rollouts.cbegin(); it != state.rollouts.cend(); ++it) {
        for (const QString &role : {QStringLiteral("canary"), QStringLiteral("stable")}) {
            for (const QString &code : {QStringLiteral("200"), QStringLiteral("503")}) {
                out.sample("inference_requests_total",
                           {{QStringLiteral("namespace"), kubeNamespace(*it)},
                            {QStringLiteral("rollout"), kubeName(*it)},
                            {QStringLiteral("role"), role},
                            {QStringLiteral("code"), code}},
                           state.rolloutRequests.value(it.key() + QLatin1Char('/') + role +
                                                       QLatin1Char('/') + code));
            }
        }
    }

    out.family("kube_node_spec_unschedulable", "gauge",
               "Whether a node can schedule new pods (1 when cordoned).");
    for (auto it = state.kubeNodes.cbegin(); it != state.kubeNodes.cend(); ++it) {
        const bool cordoned = it->value(QStringLiteral("spec"))
                                  .toObject()
                                  .value(QStringLiteral("unschedulable"))
                                  .toBool();
        out.sample("kube_node_spec_unschedulable", {{QStringLiteral("node"), it.key()}},
                   cordoned ? 1 : 0);
    }
}

void writePlainSeries(Exposition &out, const FleetState &state)
{
    QStringList written;
    for (const PlainSeries &first : state.plainSeries) {
        if (written.contains(first.name))
            continue;
        written.append(first.name);
        const QByteArray name = first.name.toUtf8();
        const QByteArray help = first.help.isEmpty() ? name : first.help.toUtf8();
        out.family(name.constData(), first.type.toUtf8().constData(), help.constData());
        for (const PlainSeries &series : state.plainSeries) {
            if (series.name != first.name)
                continue;
            Labels labels;
            for (auto it = series.labels.cbegin(); it != series.labels.cend(); ++it)
                labels.append({it.key(), it.value()});
            out.sample(name, labels, series.value);
        }
    }
}

} // namespace

EffectiveTrack effectiveTrack(const FleetState &state, const ModelTrackMetrics &metrics)
{
    EffectiveTrack track{metrics.psi, metrics.p99Ms, 1};
    const QJsonObject *isvc = inferenceServiceFor(state, metrics);
    if (!isvc)
        return track;
    const std::optional<int> canary = canaryShare(*isvc);
    const bool isCanary = metrics.track == QLatin1String("canary");
    track.trafficShare = isCanary ? canary.value_or(0) / 100.0 : 1 - canary.value_or(0) / 100.0;
    if (isCanary && track.trafficShare == 0) {
        // No traffic reaches the canary: its window shows what the stable track sees.
        if (const ModelTrackMetrics *stable =
                state.metrics(metrics.model, QStringLiteral("stable"))) {
            track.psi = stable->psi;
            track.p99Ms = stable->p99Ms;
        }
    }
    return track;
}

ApiAnswer handleMetrics(FleetState &state, const ApiRequest &request)
{
    if (request.segments != QStringList{QStringLiteral("metrics")})
        return std::nullopt;
    if (!request.is("GET"))
        return answer(HttpResponse::text(405, "Method Not Allowed\n"));
    if (state.requestsPerScrape > 0)
        addTraffic(state);
    Exposition out;
    writeModelTracks(out, state);
    writeNodes(out, state);
    writeKubernetes(out, state);
    writePlainSeries(out, state);
    HttpResponse response = HttpResponse::text(200, out.take());
    response.contentType = "text/plain; version=0.0.4; charset=utf-8";
    return answer(response);
}

} // namespace runlane::fleetsim
