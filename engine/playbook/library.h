#pragma once

#include "engine/playbook/loader.h"

#include <QStringList>

namespace runlane {

// Playbook files found under files and folders (folders recursively; `*.test.yaml` skipped),
// in a stable order.
QStringList findPlaybookFiles(const QStringList &paths, Diagnostics *problems = nullptr);
bool isPlaybookTestFile(const QString &path);

// A set of playbooks loaded together: each file's result, plus the library-wide rule that two
// files must not share a playbook id (both are reported).
struct Library
{
    QList<LoadResult> entries;
    Diagnostics diagnostics() const; // every file's, sorted

    const LoadResult *byId(const QString &id) const;
};

Library loadLibrary(const QStringList &paths);

} // namespace runlane
