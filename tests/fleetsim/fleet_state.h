#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace runlane::fleetsim {

// ---- edge nodes: TorchServe and Triton ----

struct TorchServeVersion
{
    QString version;
    int minWorkers = 1;
    int maxWorkers = 1;
    bool healthy = true; // false: its workers keep dying (a crash-looping version)
    double p99Ms = 0;    // 0: not set, the model's stable track latency applies
};

struct TorchServeModel
{
    QString name;
    QString defaultVersion;
    QList<TorchServeVersion> versions;

    TorchServeVersion *find(const QString &version);
    const TorchServeVersion *find(const QString &version) const;
    const TorchServeVersion *defaultOne() const { return find(defaultVersion); }
};

struct TritonModel
{
    QString name;
    QString version = QStringLiteral("1");
    bool ready = true;
    QString reason;    // why it is UNAVAILABLE
    QString loadError; // a load request fails with this reason while set
    double p99Ms = 0;
    qint64 inferenceCount = 0;
};

struct FleetNode
{
    QString name;
    QList<TorchServeModel> torchServeModels;
    QList<TritonModel> tritonModels;
    // Triton's --strict-readiness: the server is ready only while every model is.
    bool tritonStrictReadiness = true;

    TorchServeModel *torchServeModel(const QString &modelName);
    TritonModel *tritonModel(const QString &modelName);
};

// ---- metrics ----

// Observations of a latency histogram, bucket by bucket (not cumulative).
struct LatencyHistogram
{
    QList<double> bucketCounts; // one per kLatencyBuckets entry, plus +Inf
    double sum = 0;
    double count = 0;

    // Adds `requests` observations shaped so that their 99th percentile is `p99Ms`: 90% at half
    // of it, 9% at it and 1% at one and a half times it.
    void observe(double requests, double p99Ms);
};

// The fixed bucket bounds (seconds) of every latency histogram.
const QList<double> &latencyBuckets();

struct ModelTrackMetrics
{
    QString nameSpace; // "namespace" label; empty: no label
    QString model;
    QString track; // canary or stable
    double psi = 0;
    double p99Ms = 50;
    double requests = 1000;
    double errors = 0;
    double errorRatio = 0; // share of the requests added per scrape that fail
    LatencyHistogram histogram;
};

// A series the scenario defines as it is (GPU temperature, pod restarts, ...).
struct PlainSeries
{
    QString name;
    QString type = QStringLiteral("gauge"); // gauge or counter
    QString help;
    QMap<QString, QString> labels;
    double value = 0;
    double increasePerScrape = 0;
};

// ---- the whole simulated fleet ----

struct FleetState
{
    QList<FleetNode> nodes;

    // Kubernetes objects as the API serves them, keyed "namespace/name" (nodes by name).
    QMap<QString, QJsonObject> inferenceServices;
    QMap<QString, QJsonObject> rollouts;
    QMap<QString, QJsonObject> kubeNodes;
    bool rolloutStatusSubresource = true; // false: the Rollout CRD has no /status subresource
    qint64 resourceVersion = 1000;

    QStringList slackWebhooks; // accepted besides /services/T/B/X
    QJsonArray slackMessages;
    QJsonArray pagerDutyEvents;

    QList<ModelTrackMetrics> modelMetrics;
    QList<PlainSeries> plainSeries;
    // Requests each /metrics scrape adds to every counter and histogram (0: values stay put).
    double requestsPerScrape = 0;
    // Per-node, per-revision and per-rollout traffic that scrapes accumulate.
    QMap<QString, LatencyHistogram> nodeLatency;
    QMap<QString, double> revisionRequests;
    QMap<QString, double> rolloutRequests;
    QMap<QString, double> tritonSuccesses;

    QString nextResourceVersion() { return QString::number(++resourceVersion); }
    ModelTrackMetrics *metrics(const QString &model, const QString &track);
    const ModelTrackMetrics *metrics(const QString &model, const QString &track) const;
};

QString objectKey(const QString &nameSpace, const QString &name);

} // namespace runlane::fleetsim
