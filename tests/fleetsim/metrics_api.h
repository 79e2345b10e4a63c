#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// GET /metrics: the Prometheus text exposition (format 0.0.4) of the simulated fleet. Each scrape
// first adds the scenario's requests-per-scrape of traffic (none by default), so values change
// only through state, scenario and control calls.
ApiAnswer handleMetrics(FleetState &state, const ApiRequest &request);

// What one model track's series show after the traffic rules: a canary that gets no traffic
// shows the stable track's drift and latency.
struct EffectiveTrack
{
    double psi = 0;
    double p99Ms = 0;
    double trafficShare = 1; // of the model's requests, 0..1
};
EffectiveTrack effectiveTrack(const FleetState &state, const ModelTrackMetrics &metrics);

} // namespace runlane::fleetsim
