#pragma once

#include "engine/export/postmortem.h"

#include <QString>

namespace runlane {

// The per-lane timeline chart of a postmortem as SVG text: time across (UTC), one row per lane,
// each step visit a bar, actions and decisions as markers, the response-time milestones as
// vertical lines. Plain SVG attributes only (no CSS, no external reference), so that browsers
// and Qt's SVG renderer draw it alike.
QString timelineChartSvg(const Postmortem &pm);

} // namespace runlane
