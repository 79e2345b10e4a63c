#include "state_json.h"

#include "metrics_api.h"
#include "torchserve_api.h"

namespace runlane::fleetsim {

namespace {

QJsonObject nodeToJson(const FleetNode &node)
{
    QJsonArray torchServe;
    for (const TorchServeModel &model : node.torchServeModels) {
        QJsonArray versions;
        for (const TorchServeVersion &v : model.versions) {
            versions.append(QJsonObject{{QStringLiteral("version"), v.version},
                                        {QStringLiteral("min_workers"), v.minWorkers},
                                        {QStringLiteral("max_workers"), v.maxWorkers},
                                        {QStringLiteral("healthy"), v.healthy},
                                        {QStringLiteral("p99_ms"), v.p99Ms}});
        }
        torchServe.append(QJsonObject{{QStringLiteral("name"), model.name},
                                      {QStringLiteral("default"), model.defaultVersion},
                                      {QStringLiteral("versions"), versions}});
    }
    QJsonArray triton;
    for (const TritonModel &model : node.tritonModels) {
        triton.append(QJsonObject{{QStringLiteral("name"), model.name},
                                  {QStringLiteral("version"), model.version},
                                  {QStringLiteral("ready"), model.ready},
                                  {QStringLiteral("reason"), model.reason},
                                  {QStringLiteral("load_error"), model.loadError},
                                  {QStringLiteral("p99_ms"), model.p99Ms},
                                  {QStringLiteral("inference_count"), model.inferenceCount}});
    }
    return QJsonObject{
        {QStringLiteral("name"), node.name},
        {QStringLiteral("torchserve"),
         QJsonObject{{QStringLiteral("models"), torchServe},
                     {QStringLiteral("healthy"), torchServeHealthy(node)}}},
        {QStringLiteral("triton"),
         QJsonObject{{QStringLiteral("models"), triton},
                     {QStringLiteral("strict_readiness"), node.tritonStrictReadiness}}},
    };
}

template<typename Map> QJsonArray values(const Map &map)
{
    QJsonArray list;
    for (const QJsonObject &object : map)
        list.append(object);
    return list;
}

} // namespace

QJsonObject modelTrackToJson(const FleetState &state, const ModelTrackMetrics &metrics)
{
    const EffectiveTrack shown = effectiveTrack(state, metrics);
    return QJsonObject{
        {QStringLiteral("namespace"), metrics.nameSpace},
        {QStringLiteral("model"), metrics.model},
        {QStringLiteral("track"), metrics.track},
        {QStringLiteral("psi"), metrics.psi},
        {QStringLiteral("p99_ms"), metrics.p99Ms},
        {QStringLiteral("requests"), metrics.requests},
        {QStringLiteral("errors"), metrics.errors},
        {QStringLiteral("error_ratio"), metrics.errorRatio},
        {QStringLiteral("shown"),
         QJsonObject{{QStringLiteral("psi"), shown.psi},
                     {QStringLiteral("p99_ms"), shown.p99Ms},
                     {QStringLiteral("traffic_share"), shown.trafficShare}}},
    };
}

QJsonObject fleetStateToJson(const FleetState &state)
{
    QJsonArray nodes;
    for (const FleetNode &node : state.nodes)
        nodes.append(nodeToJson(node));
    QJsonArray tracks;
    for (const ModelTrackMetrics &m : state.modelMetrics)
        tracks.append(modelTrackToJson(state, m));
    QJsonArray series;
    for (const PlainSeries &s : state.plainSeries) {
        QJsonObject labels;
        for (auto it = s.labels.cbegin(); it != s.labels.cend(); ++it)
            labels.insert(it.key(), it.value());
        series.append(QJsonObject{{QStringLiteral("name"), s.name},
                                  {QStringLiteral("type"), s.type},
                                  {QStringLiteral("labels"), labels},
                                  {QStringLiteral("value"), s.value}});
    }
    return QJsonObject{
        {QStringLiteral("nodes"), nodes},
        {QStringLiteral("inferenceservices"), values(state.inferenceServices)},
        {QStringLiteral("rollouts"), values(state.rollouts)},
        {QStringLiteral("rollout_status_subresource"), state.rolloutStatusSubresource},
        {QStringLiteral("kubernetes_nodes"), values(state.kubeNodes)},
        {QStringLiteral("pagerduty_events"), state.pagerDutyEvents},
        {QStringLiteral("slack_messages"), state.slackMessages},
        {QStringLiteral("slack_webhooks"), QJsonArray::fromStringList(state.slackWebhooks)},
        {QStringLiteral("metrics"), tracks},
        {QStringLiteral("series"), series},
        {QStringLiteral("requests_per_scrape"), state.requestsPerScrape},
    };
}

} // namespace runlane::fleetsim
