#pragma once

#include <QtGlobal>

namespace runlane {

// Bounds that keep hostile files from exhausting time or memory.
struct YamlLimits
{
    qsizetype maxBytes = 4 * 1024 * 1024;
    int maxDepth = 64;
    int maxNodes = 200000; // counted with aliases expanded
};

} // namespace runlane
