#pragma once

#include "engine/playbook/playbook.h"

#include <QColor>
#include <QRectF>

class QPainter;

// One small line icon per step type, drawn with paths so that it scales and exports (SVG, PDF)
// as vectors: task ☑, decision (a fork), check (a pulse), action (a bolt), wait (a clock),
// escalate (a bell), end (a flag).
namespace runlane {

void paintStepIcon(QPainter &painter, StepType type, const QRectF &rect, const QColor &color);

} // namespace runlane
