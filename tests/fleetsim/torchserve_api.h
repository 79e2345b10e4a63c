#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// TorchServe's management API (/models...) and the inference API's GET /ping, for one node.
ApiAnswer handleTorchServe(FleetNode &node, const ApiRequest &request);

// TorchServe's health rule: every model's default version runs its minimum of workers.
bool torchServeHealthy(const FleetNode &node);

} // namespace runlane::fleetsim
