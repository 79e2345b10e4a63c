#pragma once

#include "api_request.h"
#include "sim_context.h"

namespace runlane::fleetsim {

// Control calls for tests and drills, under /_sim/: the request log (GET, DELETE
// /_sim/requests), metric values (PUT /_sim/metrics), the faults (GET, PUT /_sim/faults), the
// whole state (GET /_sim/state) and a reset to the scenario's start (POST /_sim/reset).
ApiAnswer handleSimControl(SimContext &context, const ApiRequest &request);

} // namespace runlane::fleetsim
