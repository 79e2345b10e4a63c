#pragma once

#include "engine/playbook/diagnostic_sink.h"
#include "engine/playbook/playbook.h"

namespace runlane {

// Warnings about the shape of the decision tree: unreachable steps, steps from which no end can be
// reached, duplicate option labels, checks that can be left with no way on.
void lintGraph(const Playbook &playbook, DiagnosticSink &sink);

} // namespace runlane
