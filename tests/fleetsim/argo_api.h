#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// Argo Rollouts' Rollout (argoproj.io/v1alpha1): GET and merge-patch PATCH on the object and on
// its /status subresource (which answers 404 when the scenario says the CRD lacks it).
ApiAnswer handleArgoRollouts(FleetState &state, const ApiRequest &request);

} // namespace runlane::fleetsim
