#pragma once

#include "fleet_state.h"

namespace runlane::fleetsim {

// The whole simulated fleet as JSON, for GET /_sim/state.
QJsonObject fleetStateToJson(const FleetState &state);

// One model track as JSON, with the values its series show now.
QJsonObject modelTrackToJson(const FleetState &state, const ModelTrackMetrics &metrics);

} // namespace runlane::fleetsim
