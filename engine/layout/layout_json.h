#pragma once

#include "engine/layout/layout.h"

#include <QJsonObject>

namespace runlane {

// The layout geometry as JSON (`runlane-cli render --format json`): pixels at 96 dpi, y down;
// rectangles as {x, y, width, height}, points as [x, y].
QJsonObject layoutToJson(const Layout &layout);

} // namespace runlane
