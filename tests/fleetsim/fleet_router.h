#pragma once

#include "http_message.h"
#include "sim_context.h"

namespace runlane::fleetsim {

// Takes each request through the simulator: the request log, the faults, idempotent replay,
// then the API that serves the path (node APIs under /nodes/<i>, cluster APIs unprefixed).
// Control calls under /_sim/ skip the log and the faults.
HttpReply routeRequest(SimContext &context, const HttpRequest &request);

} // namespace runlane::fleetsim
