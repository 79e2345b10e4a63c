#pragma once

#include "engine/playbook/playbook.h"

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <optional>

// A laid-out playbook as plain values, ready to paint. Units are Qt pixels at 96 dpi (Graphviz
// points × 4/3, inches × 96), y grows downward; `bounds` holds everything
// drawn (it need not start at 0,0: lane heads above the bands are left out).
// Flow runs top to bottom (rankdir TB), so lanes are vertical bands, left to right in lane order.
namespace runlane {

struct NodeBox
{
    QString stepId;
    QString lane;
    StepType type = StepType::Task;
    QRectF rect;            // the node's bounding box
    QPolygonF outline;      // the shape Graphviz clipped the edges to (closed polygon)
    QString title;          // as written
    QStringList titleLines; // the title wrapped to the node
    QRectF textRect;        // where the title lines go
    QRectF iconRect;        // where the step type's icon goes, left of the text
};

struct EdgePath
{
    QString from, to;
    QList<Step::Way> ways;  // every way from `from` to `to`, in step order: one line for all
    QStringList labelLines; // their labels, one per line, wrapped (empty for a plain `next`)
    QList<QPointF> points;  // every cubic Bézier control point, 3n+1
    std::optional<QPointF> arrowStart, arrowEnd; // arrow tips when the spline stops short of a node
    std::optional<QPointF> labelPos;             // centre of the label
    QRectF labelRect; // the label's lines, centred on labelPos (empty when there is no label)
};

struct LaneBand
{
    QString laneId;
    QString title;
    QRectF rect;      // stretched: every band spans the full height, neighbours touch, none overlap
    QRectF titleRect; // centred at the top of the band (narrowed to the band when wider)
};

struct Layout
{
    QList<LaneBand> lanes;
    QList<NodeBox> nodes;
    QList<EdgePath> edges;
    QRectF bounds;
    QStringList messages; // Graphviz warnings and skipped ways, captured
    QFont titleFont;      // the fonts the text was measured with: paint with these
    QFont labelFont;
    QFont laneFont;
    QByteArray dot; // the DOT this layout came from (render --format dot prints it)
};

} // namespace runlane
