#pragma once

#include "fleet_state.h"

#include <optional>

namespace runlane::fleetsim {

// What a scenario says about one KServe InferenceService.
struct InferenceServiceSeed
{
    QString nameSpace;
    QString name;
    std::optional<int> canaryPercent; // absent: no canary split
    QString latestCreatedRevision;
    QString latestRolledoutRevision;
    QString previousRolledoutRevision;
    QString storageUri;
};

QJsonObject makeInferenceService(const InferenceServiceSeed &seed, FleetState &state);

// Brings the status in line with spec.predictor.canaryTrafficPercent at once, as KServe's
// controller would: a split between the latest created and the latest rolled-out revision, or
// at 100% (or without the field) a promotion of the latest created revision.
void reconcileInferenceService(QJsonObject &isvc);

// status.components.predictor
QJsonObject predictorStatus(const QJsonObject &isvc);

// The canary's share of traffic in percent while traffic is split, std::nullopt otherwise.
std::optional<int> canaryShare(const QJsonObject &isvc);

} // namespace runlane::fleetsim
