#include "inference_service.h"

#include "kubernetes_support.h"

namespace runlane::fleetsim {

namespace {

const QString kPredictor = QStringLiteral("predictor");
const QString kComponents = QStringLiteral("components");

QJsonObject condition(const QString &type)
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("status"), QStringLiteral("True")},
            {QStringLiteral("lastTransitionTime"), kubeCreationTime()}};
}

} // namespace

QJsonObject makeInferenceService(const InferenceServiceSeed &seed, FleetState &state)
{
    QJsonObject predictor{
        {QStringLiteral("model"),
         QJsonObject{{QStringLiteral("modelFormat"),
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("pytorch")}}},
                     {QStringLiteral("storageUri"), seed.storageUri}}},
    };
    if (seed.canaryPercent)
        predictor.insert(QStringLiteral("canaryTrafficPercent"), *seed.canaryPercent);

    QJsonObject predictorStatus{
        {QStringLiteral("latestCreatedRevision"), seed.latestCreatedRevision},
        {QStringLiteral("latestRolledoutRevision"), seed.latestRolledoutRevision},
    };
    if (!seed.previousRolledoutRevision.isEmpty())
        predictorStatus.insert(QStringLiteral("previousRolledoutRevision"),
                               seed.previousRolledoutRevision);

    const QString host = seed.name + QLatin1Char('.') + seed.nameSpace;
    QJsonObject isvc{
        {QStringLiteral("apiVersion"), QStringLiteral("serving.kserve.io/v1beta1")},
        {QStringLiteral("kind"), QStringLiteral("InferenceService")},
        {QStringLiteral("metadata"), kubeMetadata(seed.nameSpace, seed.name, state)},
        {QStringLiteral("spec"), QJsonObject{{kPredictor, predictor}}},
        {QStringLiteral("status"),
         QJsonObject{
             {QStringLiteral("url"), QStringLiteral("http://%1.example.com").arg(host)},
             {QStringLiteral("address"),
              QJsonObject{
                  {QStringLiteral("url"), QStringLiteral("http://%1-predictor.%2.svc.cluster.local")
                                              .arg(seed.name, seed.nameSpace)}}},
             {kComponents, QJsonObject{{kPredictor, predictorStatus}}},
             {QStringLiteral("conditions"), QJsonArray{condition(QStringLiteral("IngressReady")),
                                                       condition(QStringLiteral("PredictorReady")),
                                                       condition(QStringLiteral("Ready"))}},
         }},
    };
    reconcileInferenceService(isvc);
    return isvc;
}

void reconcileInferenceService(QJsonObject &isvc)
{
    const QJsonObject metadata = isvc.value(QStringLiteral("metadata")).toObject();
    const QString name = metadata.value(QStringLiteral("name")).toString();
    const QString nameSpace = metadata.value(QStringLiteral("namespace")).toString();
    const QJsonValue percentValue = isvc.value(QStringLiteral("spec"))
                                        .toObject()
                                        .value(kPredictor)
                                        .toObject()
                                        .value(QStringLiteral("canaryTrafficPercent"));
    const int percent = percentValue.isDouble() ? percentValue.toInt() : 100;

    QJsonObject status = isvc.value(QStringLiteral("status")).toObject();
    QJsonObject components = status.value(kComponents).toObject();
    QJsonObject predictor = components.value(kPredictor).toObject();
    const QString created = predictor.value(QStringLiteral("latestCreatedRevision")).toString();
    QString rolledOut = predictor.value(QStringLiteral("latestRolledoutRevision")).toString();
    const QString host = QStringLiteral("%1-predictor.%2.example.com").arg(name, nameSpace);

    QJsonArray traffic;
    if (percent >= 100 || rolledOut.isEmpty() || created == rolledOut) {
        if (!rolledOut.isEmpty() && rolledOut != created) // promotion of the canary
            predictor.insert(QStringLiteral("previousRolledoutRevision"), rolledOut);
        rolledOut = created;
        traffic.append(QJsonObject{{QStringLiteral("latestRevision"), true},
                                   {QStringLiteral("percent"), 100},
                                   {QStringLiteral("revisionName"), created}});
    } else {
        traffic.append(
            QJsonObject{{QStringLiteral("latestRevision"), true},
                        {QStringLiteral("percent"), percent},
                        {QStringLiteral("revisionName"), created},
                        {QStringLiteral("tag"), QStringLiteral("latest")},
                        {QStringLiteral("url"), QStringLiteral("http://latest-") + host}});
        traffic.append(QJsonObject{{QStringLiteral("latestRevision"), false},
                                   {QStringLiteral("percent"), 100 - percent},
                                   {QStringLiteral("revisionName"), rolledOut},
                                   {QStringLiteral("tag"), QStringLiteral("prev")},
                                   {QStringLiteral("url"), QStringLiteral("http://prev-") + host}});
    }
    predictor.insert(QStringLiteral("latestReadyRevision"), created);
    predictor.insert(QStringLiteral("latestRolledoutRevision"), rolledOut);
    predictor.insert(QStringLiteral("traffic"), traffic);
    predictor.insert(QStringLiteral("url"), QStringLiteral("http://") + host);
    components.insert(kPredictor, predictor);
    status.insert(kComponents, components);
    status.insert(QStringLiteral("observedGeneration"),
                  metadata.value(QStringLiteral("generation")).toInt(1));
    isvc.insert(QStringLiteral("status"), status);
}

QJsonObject predictorStatus(const QJsonObject &isvc)
{
    return isvc.value(QStringLiteral("status"))
        .toObject()
        .value(kComponents)
        .toObject()
        .value(kPredictor)
        .toObject();
}

std::optional<int> canaryShare(const QJsonObject &isvc)
{
    const QJsonArray traffic = predictorStatus(isvc).value(QStringLiteral("traffic")).toArray();
    if (traffic.size() < 2)
        return std::nullopt;
    for (const QJsonValue &target : traffic) {
        if (target.toObject().value(QStringLiteral("latestRevision")).toBool())
            return target.toObject().value(QStringLiteral("percent")).toInt();
    }
    return std::nullopt;
}

} // namespace runlane::fleetsim
