#pragma once

#include "engine/playbook/diagnostic_sink.h"
#include "engine/playbook/playbook.h"

#include <yaml-cpp/yaml.h>

namespace runlane {

// Turns the YAML tree into the model: shapes, kinds and keys only (unknown keys, wrong kinds,
// missing required keys). Cross-references and meaning are the validator's job.
void readPlaybook(const YAML::Node &root, Playbook &playbook, DiagnosticSink &sink);

} // namespace runlane
