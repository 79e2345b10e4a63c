#pragma once

#include "engine/layout/text_metrics.h"
#include "engine/playbook/playbook.h"

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QSizeF>

// Writes the DOT text for a playbook: what `runlane-cli render --format dot` prints and exactly
// what is handed to Graphviz. User text never reaches DOT unescaped; node labels are empty
// (the painter draws the text), nodes have fixed sizes measured with Qt.
namespace runlane {

struct LayoutOptions
{
    QFont titleFont;           // default: the application font
    QFont labelFont;           // edge labels; default: the application font, one point smaller
    qreal maxTitleWidth = 200; // pixels; longer titles wrap
    qreal maxLabelWidth = 160;
    qreal padding = 8; // between text and the shape's border, pixels

    static LayoutOptions defaults(); // needs a QGuiApplication (fonts)
};

struct DotNode
{
    const Step *step = nullptr;
    QString lane;
    MeasuredText title;
    QSizeF size; // of the node, pixels
};

struct DotEdge
{
    QString from, to;
    Step::Way way;
    MeasuredText label;
};

struct DotGraph
{
    QByteArray text;
    QList<DotNode> nodes; // in step order
    QList<DotEdge> edges; // index = the `rl_way` attribute of the DOT edge
    QStringList messages; // ways that were left out (to an unknown step)
};

DotGraph writeDot(const Playbook &playbook, const LayoutOptions &options);

// A DOT double-quoted string; backslash, quote, newline and control characters escaped.
QByteArray dotQuoted(const QString &text);
// The node name of the invisible node that pins lane `index` to the top rank (not a valid
// step id: step ids have no underscore).
QByteArray laneAnchorName(qsizetype index);
// The rectangle centred in a node of `nodeSize` that holds text of `textSize`.
QSizeF nodeSizeFor(StepType type, QSizeF textSize, qreal padding);

constexpr qreal pixelsPerInch = 96.0;

} // namespace runlane
