#pragma once

#include "api_request.h"
#include "fleet_state.h"

namespace runlane::fleetsim {

// The core Kubernetes API the playbooks use: /api/v1/nodes (GET, merge-patch PATCH to cordon)
// and the API server's health endpoints (/readyz, /livez, /healthz).
ApiAnswer handleKubernetesCore(FleetState &state, const ApiRequest &request);

QJsonObject makeKubeNode(const QString &name, FleetState &state);

} // namespace runlane::fleetsim
