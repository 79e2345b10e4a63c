#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// Slack incoming webhooks: POST /services/<T>/<B>/<X> (and the scenario's extra webhook paths)
// with a JSON message; answers in plain text as Slack does.
ApiAnswer handleSlack(FleetState &state, const ApiRequest &request);

} // namespace runlane::fleetsim
