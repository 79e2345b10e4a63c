#pragma once

#include "fleet_state.h"

#include <optional>

namespace runlane::fleetsim {

// What a scenario says about one Argo Rollout with a canary strategy: each weight is a setWeight
// step followed by an indefinite pause.
struct RolloutSeed
{
    QString nameSpace;
    QString name;
    QList<int> weights;
    std::optional<int> pausedAt; // index into weights; absent: fully promoted (Healthy)
    bool aborted = false;
    int revision = 2;
    int replicas = 4;
};

QJsonObject makeRollout(const RolloutSeed &seed, FleetState &state);

// What Argo's controller does, at once, after a change to the status: `abort: true` aborts (all
// traffic back to stable, phase Degraded), clearing the abort retries from the first step, and
// removing the pause conditions promotes to the next step (Healthy after the last).
void reconcileRollout(const QJsonObject &before, QJsonObject &after);

// The canary's current traffic weight in percent.
int rolloutCanaryWeight(const QJsonObject &rollout);

} // namespace runlane::fleetsim
