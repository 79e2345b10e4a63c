#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// KServe InferenceService v1beta1: GET (one or the namespace's list) and merge-patch PATCH at
// /apis/serving.kserve.io/v1beta1/namespaces/<ns>/inferenceservices[/<name>].
ApiAnswer handleKServe(FleetState &state, const ApiRequest &request);

} // namespace runlane::fleetsim
