#pragma once

#include "engine/layout/dot_writer.h"
#include "engine/layout/layout.h"

#include <variant>

namespace runlane {

// Lays a playbook out with Graphviz dot. Thread-safe (every Graphviz call is serialized on one
// process-wide context); may be called from any thread, but takes time on large playbooks, so
// not from the GUI thread. Returns the layout, or an error text when Graphviz failed or lost an
// edge (a diagram that silently drops a branch is worse than none).
// RUNLANE_DUMP_DOT=DIR writes every DOT handed to Graphviz to DIR/<playbook id>-<n>.dot.
std::variant<Layout, QString> layoutPlaybook(const Playbook &playbook,
                                             const LayoutOptions &options);

// The same for a caller that needs nothing more from the playbook (a one-shot render): it is
// released once its DOT is written, so that a large playbook and Graphviz's graph are not in
// memory together.
std::variant<Layout, QString> layoutPlaybook(PlaybookPtr &&playbook, const LayoutOptions &options);

// The same for DOT already written (used by layoutPlaybook; exposed for tests).
std::variant<Layout, QString> layoutDot(const DotGraph &graph, const Playbook &playbook);
// The same, laying out `fallback` instead when Graphviz fails on `graph` (how layoutPlaybook falls
// back from grouped lane ties to plain ones; exposed for tests).
std::variant<Layout, QString> layoutDot(const DotGraph &graph, const DotGraph &fallback,
                                        const Playbook &playbook);

} // namespace runlane
