#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// PagerDuty Events API v2: POST /v2/enqueue, checked as PagerDuty checks an alert event.
ApiAnswer handlePagerDuty(FleetState &state, const ApiRequest &request);

} // namespace runlane::fleetsim
