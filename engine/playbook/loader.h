#pragma once

#include "engine/playbook/playbook.h"
#include "engine/playbook/yaml_limits.h"

namespace runlane {

struct LoadResult
{
    QString file;            // as given to the loader
    PlaybookPtr playbook;    // what could be read, also when there are errors (for display)
    Diagnostics diagnostics; // sorted by position
    bool ok() const { return playbook && !hasErrors(diagnostics); }
};

// Loads and validates one playbook file: structure, every rule of format version 1, graph lints.
LoadResult loadPlaybookFile(const QString &path, const YamlLimits &limits = {});
// The same for text already in memory; `file` names it in diagnostics.
LoadResult loadPlaybookText(const QByteArray &text, const QString &file,
                            const YamlLimits &limits = {});

} // namespace runlane
