#include "rollout.h"

#include "kubernetes_support.h"

#include <QCryptographicHash>

namespace runlane::fleetsim {

namespace {

const QString kStatus = QStringLiteral("status");

QString podHash(const QString &name, int revision)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((name + QLatin1Char('#') + QString::number(revision)).toUtf8(),
                                 QCryptographicHash::Md5)
            .toHex()
            .left(10));
}

QJsonObject weights(const QJsonObject &status, int canaryWeight)
{
    const QString canaryHash = status.value(QStringLiteral("currentPodHash")).toString();
    const QString stableHash = status.value(QStringLiteral("stableRS")).toString();
    return {
        {QStringLiteral("canary"), QJsonObject{{QStringLiteral("podTemplateHash"), canaryHash},
                                               {QStringLiteral("weight"), canaryWeight}}},
        {QStringLiteral("stable"), QJsonObject{{QStringLiteral("podTemplateHash"), stableHash},
                                               {QStringLiteral("weight"), 100 - canaryWeight}}}};
}

void setCanaryWeight(QJsonObject &status, int weight)
{
    status.insert(QStringLiteral("canary"),
                  QJsonObject{{QStringLiteral("weights"), weights(status, weight)}});
}

// Runs the canary steps from `stepIndex` until the next pause, or to the end.
void progress(const QJsonObject &spec, QJsonObject &status, int stepIndex)
{
    const QJsonArray steps = spec.value(QStringLiteral("strategy"))
                                 .toObject()
                                 .value(QStringLiteral("canary"))
                                 .toObject()
                                 .value(QStringLiteral("steps"))
                                 .toArray();
    int weight = 0;
    for (int i = 0; i < stepIndex && i < steps.size(); ++i) {
        const QJsonObject step = steps[i].toObject();
        if (step.contains(QStringLiteral("setWeight")))
            weight = step.value(QStringLiteral("setWeight")).toInt();
    }
    status.remove(QStringLiteral("pauseConditions"));
    status.remove(QStringLiteral("controllerPause"));
    status.remove(QStringLiteral("message"));
    for (int i = stepIndex; i < steps.size(); ++i) {
        const QJsonObject step = steps[i].toObject();
        if (step.contains(QStringLiteral("setWeight")))
            weight = step.value(QStringLiteral("setWeight")).toInt();
        if (step.contains(QStringLiteral("pause"))) {
            status.insert(QStringLiteral("currentStepIndex"), i);
            status.insert(QStringLiteral("phase"), QStringLiteral("Paused"));
            status.insert(QStringLiteral("message"), QStringLiteral("CanaryPauseStep"));
            status.insert(QStringLiteral("controllerPause"), true);
            status.insert(QStringLiteral("pauseConditions"),
                          QJsonArray{QJsonObject{
                              {QStringLiteral("reason"), QStringLiteral("CanaryPauseStep")},
                              {QStringLiteral("startTime"), kubeNow()}}});
            setCanaryWeight(status, weight);
            return;
        }
    }
    // Fully promoted: the canary's pods are the stable ones now.
    status.insert(QStringLiteral("currentStepIndex"), int(steps.size()));
    status.insert(QStringLiteral("phase"), QStringLiteral("Healthy"));
    status.insert(QStringLiteral("stableRS"), status.value(QStringLiteral("currentPodHash")));
    status.insert(QStringLiteral("updatedReplicas"), status.value(QStringLiteral("replicas")));
    setCanaryWeight(status, 0);
}

void abort(QJsonObject &status, int revision)
{
    status.remove(QStringLiteral("pauseConditions"));
    status.remove(QStringLiteral("controllerPause"));
    status.insert(QStringLiteral("abort"), true);
    status.insert(QStringLiteral("abortedAt"), kubeNow());
    status.insert(QStringLiteral("currentStepIndex"), 0);
    status.insert(QStringLiteral("phase"), QStringLiteral("Degraded"));
    status.insert(
        QStringLiteral("message"),
        QStringLiteral("RolloutAborted: Rollout aborted update to revision %1").arg(revision));
    setCanaryWeight(status, 0);
}

int revisionOf(const QJsonObject &rollout)
{
    return rollout.value(QStringLiteral("metadata"))
        .toObject()
        .value(QStringLiteral("annotations"))
        .toObject()
        .value(QStringLiteral("rollout.argoproj.io/revision"))
        .toString()
        .toInt();
}

bool paused(const QJsonObject &status)
{
    return !status.value(QStringLiteral("pauseConditions")).toArray().isEmpty();
}

} // namespace

QJsonObject makeRollout(const RolloutSeed &seed, FleetState &state)
{
    QJsonArray steps;
    for (const int weight : seed.weights) {
        steps.append(QJsonObject{{QStringLiteral("setWeight"), weight}});
        steps.append(QJsonObject{{QStringLiteral("pause"), QJsonObject()}});
    }
    QJsonObject metadata = kubeMetadata(seed.nameSpace, seed.name, state);
    metadata.insert(QStringLiteral("annotations"),
                    QJsonObject{{QStringLiteral("rollout.argoproj.io/revision"),
                                 QString::number(seed.revision)}});
    const QJsonObject spec{
        {QStringLiteral("replicas"), seed.replicas},
        {QStringLiteral("selector"),
         QJsonObject{
             {QStringLiteral("matchLabels"), QJsonObject{{QStringLiteral("app"), seed.name}}}}},
        {QStringLiteral("strategy"),
         QJsonObject{{QStringLiteral("canary"), QJsonObject{{QStringLiteral("steps"), steps}}}}},
    };
    QJsonObject status{
        {QStringLiteral("currentPodHash"), podHash(seed.name, seed.revision)},
        {QStringLiteral("stableRS"), podHash(seed.name, seed.revision - 1)},
        {QStringLiteral("replicas"), seed.replicas},
        {QStringLiteral("readyReplicas"), seed.replicas},
        {QStringLiteral("availableReplicas"), seed.replicas},
        {QStringLiteral("updatedReplicas"), 1},
        {QStringLiteral("observedGeneration"), QStringLiteral("1")},
    };
    if (seed.aborted)
        abort(status, seed.revision);
    else
        progress(spec, status, seed.pausedAt ? *seed.pausedAt * 2 : int(steps.size()));
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("argoproj.io/v1alpha1")},
        {QStringLiteral("kind"), QStringLiteral("Rollout")},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("spec"), spec},
        {kStatus, status},
    };
}

void reconcileRollout(const QJsonObject &before, QJsonObject &after)
{
    const QJsonObject oldStatus = before.value(kStatus).toObject();
    QJsonObject status = after.value(kStatus).toObject();
    const QJsonObject spec = after.value(QStringLiteral("spec")).toObject();
    const bool wasAborted = oldStatus.value(QStringLiteral("abort")).toBool();
    const bool aborted = status.value(QStringLiteral("abort")).toBool();
    if (aborted && !wasAborted) {
        abort(status, revisionOf(after));
    } else if (!aborted && wasAborted) {
        // A retry starts the canary steps again from the first one.
        status.remove(QStringLiteral("abortedAt"));
        progress(spec, status, 0);
    } else if (!aborted && paused(oldStatus) && !paused(status)) {
        progress(spec, status, oldStatus.value(QStringLiteral("currentStepIndex")).toInt() + 1);
    } else {
        return;
    }
    after.insert(kStatus, status);
}

int rolloutCanaryWeight(const QJsonObject &rollout)
{
    return rollout.value(kStatus)
        .toObject()
        .value(QStringLiteral("canary"))
        .toObject()
        .value(QStringLiteral("weights"))
        .toObject()
        .value(QStringLiteral("canary"))
        .toObject()
        .value(QStringLiteral("weight"))
        .toInt();
}

} // namespace runlane::fleetsim
