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
    QFont laneFont;            // lane titles; default: the title font, bold
    qreal iconSize = 16;       // the step type's icon, left of the title, pixels
    qreal maxTitleWidth = 200; // pixels; longer titles wrap
    qreal maxLabelWidth = 160;
    qreal padding = 8; // between text and the shape's border, pixels

    static LayoutOptions defaults(); // needs a QGuiApplication (fonts)
};

struct DotNode
{
    // Copied from the step, so that the DOT outlives the playbook (see layoutPlaybook).
    QString stepId;
    StepType type = StepType::Task;
    QString stepTitle; // as written (the drawn title falls back to the id)
    QString lane;
    MeasuredText title;
    QSizeF content; // the icon and the title side by side, centred in the node
    QSizeF size;    // of the node, pixels
};

// One edge per pair of steps: parallel DOT edges would share one label slot in dot's layout
// (their labels overlap), so the ways between two steps become one edge with one label per way.
struct DotEdge
{
    QString from, to;
    QList<Step::Way> ways;
    MeasuredText label;
};

struct DotLane
{
    QString id; // empty: the band of steps in lanes the playbook does not have (ids never are)
    MeasuredText title;
};

struct DotGraph
{
    QByteArray text;
    QString id;                           // the playbook's
    QString start;                        // its start step
    QList<DotLane> lanes;                 // in lane order
    QFont titleFont, labelFont, laneFont; // what the text was measured with
    QList<DotNode> nodes;                 // in step order
    QList<DotEdge> edges;                 // index = the `rl_way` attribute of the DOT edge
    QStringList messages;                 // ways that were left out (to an unknown step)
};

// How the lane heads are tied to their lanes (see writeDot): within a dot `group` holds the lane
// order; plain ties are the fallback should Graphviz fail on the grouped ones (2.42 did on older
// DOT, see tst_layout).
enum class LaneTies { Grouped, Plain };

DotGraph writeDot(const Playbook &playbook, const LayoutOptions &options,
                  LaneTies ties = LaneTies::Grouped);
// The DOT text of a written graph with other lane ties (writeDot's `text` is this with its own):
// a fallback that needs no second measuring of every text.
QByteArray dotText(const DotGraph &graph, LaneTies ties);

// A DOT double-quoted string; backslash, quote, newline and control characters escaped.
QByteArray dotQuoted(const QString &text);
// The names of the invisible nodes that keep the lanes in order (not valid step ids: step ids
// have no underscore): lane `index`'s anchor in its cluster, above every step, and its head above
// it, outside the clusters; above the heads, the one root the layout starts from.
QByteArray laneAnchorName(qsizetype index);
QByteArray laneHeadName(qsizetype index);
QByteArray laneGroup(qsizetype index);
QByteArray laneRootName();
// Graphviz's names for the step at `index` in DotGraph::nodes and for lane `index`'s cluster.
QByteArray stepNodeName(qsizetype index);
QByteArray laneClusterName(qsizetype index);
// The title of the band of steps whose lane is unknown.
QString noLaneTitle();
// An HTML-like DOT label of a fixed size: Graphviz reserves exactly this room (we draw the text).
QByteArray fixedSizeLabel(QSizeF pixels);
// The size of a node of `type` whose shape holds a box of `content` (plus padding on every side)
// centred at contentCentre(); and that centre, relative to the node's centre.
QSizeF nodeSizeFor(StepType type, QSizeF content, qreal padding);
QPointF contentCentre(StepType type, QSizeF nodeSize);

constexpr qreal pixelsPerInch = 96.0;
constexpr qreal nodeIconGap = 6; // between a node's icon and its title, pixels

} // namespace runlane
