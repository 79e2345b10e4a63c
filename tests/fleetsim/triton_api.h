#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// Triton's KServe-v2 HTTP endpoints (health, model readiness, statistics) and its model
// repository extension (index, load, unload), for one node.
ApiAnswer handleTriton(FleetNode &node, const ApiRequest &request);

} // namespace runlane::fleetsim
