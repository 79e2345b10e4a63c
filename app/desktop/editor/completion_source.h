#pragma once

#include "app/desktop/editor/yaml_cursor_context.h"
#include "engine/playbook/playbook.h"

#include <QList>
#include <QString>

namespace runlane::desktop {

struct Completion
{
    QString text;   // shown, and what accepting inserts unless `insert` is set
    QString detail; // shown greyed beside it: "step · Check GPU headroom", "required", "triton"
    QString insert; // a key inserts "name: "

    QString insertion() const { return insert.isEmpty() ? text : insert; }
};

// The candidates at a cursor: step ids where a step is named, calls, a call's `with:` parameters,
// targets, inputs and saved vars in templates, the values of the format's fixed lists, the keys a
// map may still take. Filtered by the typed prefix: those that start with it first, then those
// that contain it, each in a stable order. `lastRead` is the newest playbook the editor could
// read (may be null or stale); the text is scanned as well, so a step typed a moment ago counts.
QList<Completion> completionsAt(const YamlCursorContext &ctx, const runlane::Playbook *lastRead);

// Whether typing here should open the completion by itself: the value of a key that names
// something (`next:`, `call:`, `target:`, `lane:`, …) or a name inside `{{ }}`.
bool completesWhileTyping(const YamlCursorContext &ctx);

} // namespace runlane::desktop
