#pragma once

#include "faults.h"
#include "fleet_state.h"

#include <optional>

namespace runlane::fleetsim {

struct Scenario
{
    FleetState state;
    QList<Fault> faults;
};

// Reads a scenario file's YAML. On failure `error` holds "FILE:LINE:COLUMN: error: message".
std::optional<Scenario> loadScenario(const QByteArray &yaml, const QString &fileName,
                                     QString *error);

// The built-in scenario (scenarios/default.yaml, compiled in).
QByteArray defaultScenarioYaml();

// Grows the fleet to `count` nodes by copying the last node (the copies are named
// "<name>-<i>"), or shrinks it; every fleet node is also a Kubernetes node.
void setFleetSize(FleetState &state, int count);

} // namespace runlane::fleetsim
