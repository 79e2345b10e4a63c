#pragma once

#include "engine/playbook/diagnostic_sink.h"
#include "engine/playbook/playbook.h"

namespace runlane {

// The rules of format version 1 that need the whole model: ids and patterns, references, inputs,
// targets and calls, expressions and templates (parsed, names checked where they can be known at
// load time), and the graph lints (warnings).
void validatePlaybook(const Playbook &playbook, DiagnosticSink &sink);

// Identifier rules of the format.
bool isValidId(const QString &id);         // ^[a-z0-9][a-z0-9-]{0,62}$
bool isValidLaneId(const QString &id);     // ^[a-z0-9][a-z0-9-]*$
bool isValidIdentifier(const QString &id); // ^[a-z_][a-z0-9_]*$

} // namespace runlane
