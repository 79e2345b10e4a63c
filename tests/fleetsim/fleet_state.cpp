#include "fleet_state.h"

#include <cmath>

namespace runlane::fleetsim {

TorchServeVersion *TorchServeModel::find(const QString &version)
{
    for (TorchServeVersion &v : versions) {
        if (v.version == version)
            return &v;
    }
    return nullptr;
}

const TorchServeVersion *TorchServeModel::find(const QString &version) const
{
    return const_cast<TorchServeModel *>(this)->find(version);
}

TorchServeModel *FleetNode::torchServeModel(const QString &modelName)
{
    for (TorchServeModel &m : torchServeModels) {
        if (m.name == modelName)
            return &m;
    }
    return nullptr;
}

TritonModel *FleetNode::tritonModel(const QString &modelName)
{
    for (TritonModel &m : tritonModels) {
        if (m.name == modelName)
            return &m;
    }
    return nullptr;
}

const QList<double> &latencyBuckets()
{
    static const QList<double> bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return bounds;
}

void LatencyHistogram::observe(double requests, double p99Ms)
{
    const QList<double> &bounds = latencyBuckets();
    if (bucketCounts.size() != bounds.size() + 1)
        bucketCounts = QList<double>(bounds.size() + 1, 0.0);
    const auto add = [&](double n, double seconds) {
        qsizetype bucket = 0;
        while (bucket < bounds.size() && seconds > bounds[bucket])
            ++bucket;
        bucketCounts[bucket] += n;
        sum += n * seconds;
        count += n;
    };
    // Whole requests keep the counters integral: the 1% tail first, then the 9%, the rest at p50.
    const double tail = std::round(requests * 0.01);
    const double high = std::round(requests * 0.09);
    const double p99 = p99Ms / 1000.0;
    add(requests - tail - high, p99 / 2);
    add(high, p99);
    add(tail, p99 * 1.5);
}

ModelTrackMetrics *FleetState::metrics(const QString &model, const QString &track)
{
    for (ModelTrackMetrics &m : modelMetrics) {
        if (m.model == model && m.track == track)
            return &m;
    }
    return nullptr;
}

const ModelTrackMetrics *FleetState::metrics(const QString &model, const QString &track) const
{
    return const_cast<FleetState *>(this)->metrics(model, track);
}

QString objectKey(const QString &nameSpace, const QString &name)
{
    return nameSpace + QLatin1Char('/') + name;
}

} // namespace runlane::fleetsim
