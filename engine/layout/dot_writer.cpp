#include "engine/layout/dot_writer.h"

#include <QGuiApplication>
#include <QHash>

#include <algorithm>
#include <cmath>

namespace runlane {

namespace {

const char *shapeOf(StepType type)
{
    switch (type) {
    case StepType::Task:
        return "box";
    case StepType::Decision:
        return "diamond";
    case StepType::Check:
        return "hexagon";
    case StepType::Action:
        return "box";
    case StepType::Wait:
        return "octagon";
    case StepType::Escalate:
        return "house";
    case StepType::End:
        return "octagon";
    }
    return "box";
}

QByteArray inches(qreal pixels)
{
    return QByteArray::number(pixels / pixelsPerInch, 'f', 4);
}

QByteArray points(qreal pixels)
{
    return QByteArray::number(pixels * 72.0 / pixelsPerInch, 'f', 2);
}

// Left and right of an edge label's text, pixels: dot can place neighbouring labels a little
// closer than their reserved width, the padding keeps their text apart.
constexpr qreal labelPadding = 8;

// The steps that, with the steps reachable from them along the ways, are all steps: the start,
// then each step not reached yet, in step order.
QList<qsizetype> reachingSteps(const DotGraph &graph, const QHash<QString, qsizetype> &nodeIndex,
                               const QString &start)
{
    const qsizetype count = graph.nodes.size();
    QList<QList<qsizetype>> next(count);
    for (const DotEdge &edge : graph.edges)
        next[nodeIndex.value(edge.from)].append(nodeIndex.value(edge.to));
    QList<bool> reached(count, false);
    QList<qsizetype> roots, pending;
    const auto walkFrom = [&](qsizetype root) {
        if (reached.at(root))
            return;
        roots.append(root);
        reached[root] = true;
        pending.append(root);
        while (!pending.isEmpty()) {
            for (const qsizetype to : next.at(pending.takeLast())) {
                if (!reached.at(to)) {
                    reached[to] = true;
                    pending.append(to);
                }
            }
        }
    };
    if (const auto it = nodeIndex.constFind(start); it != nodeIndex.cend())
        walkFrom(*it);
    for (qsizetype i = 0; i < count; ++i)
        walkFrom(i);
    return roots;
}

} // namespace

LayoutOptions LayoutOptions::defaults()
{
    LayoutOptions options;
    // Sizes in pixels, not points: text then measures the same as it paints on every device
    // (screen, image, SVG, PDF), whatever each one's dots per inch.
    options.titleFont = QGuiApplication::font();
    if (options.titleFont.pixelSize() <= 0)
        options.titleFont.setPixelSize(
            std::max(8, int(std::lround(options.titleFont.pointSizeF() * pixelsPerInch / 72))));
    options.labelFont = options.titleFont;
    options.labelFont.setPixelSize(std::max(8, options.titleFont.pixelSize() - 1));
    options.laneFont = options.titleFont;
    options.laneFont.setBold(true);
    return options;
}

QByteArray dotQuoted(const QString &text)
{
    QByteArray out = "\"";
    for (const QChar c : text) {
        if (c == u'"')
            out += "\\\"";
        else if (c == u'\\')
            out += "\\\\";
        else if (c == u'\n')
            out += "\\n";
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += ' ';
        else
            out += QString(c).toUtf8();
    }
    return out + '"';
}

QByteArray laneAnchorName(qsizetype index)
{
    return "rl_lane_" + QByteArray::number(index);
}

QByteArray laneHeadName(qsizetype index)
{
    return "rl_head_" + QByteArray::number(index);
}

QByteArray stepNodeName(qsizetype index)
{
    return 's' + QByteArray::number(index);
}

QByteArray laneClusterName(qsizetype index)
{
    return "cluster_" + QByteArray::number(index);
}

QString noLaneTitle()
{
    return QStringLiteral("(no lane)");
}

QByteArray laneGroup(qsizetype index)
{
    return "rl_group_" + QByteArray::number(index);
}

QByteArray laneRootName()
{
    return "rl_root";
}

QByteArray fixedSizeLabel(QSizeF pixels)
{
    return "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>"
           "<TD FIXEDSIZE=\"TRUE\" WIDTH=\"" +
           points(pixels.width()) + "\" HEIGHT=\"" + points(pixels.height()) +
           "\"></TD></TR></TABLE>>";
}

// Graphviz scales each shape's unit polygon to the node's width and height. In unit coordinates
// (width = height = 1, centre 0, y down) these give the half-width of the shape at |y|, and for
// the house the height its roof starts at and where its base is.
namespace shape {
constexpr qreal octagonCorner = 0.2071; // 0.5·tan(22.5°): where the slanted sides begin
constexpr qreal houseEaves = -0.1541;   // y of the roof's corners
constexpr qreal houseBase = 0.4038;     // y of the base (Graphviz draws it above the box bottom)
} // namespace shape

qreal unitHalfWidth(StepType type, qreal y)
{
    y = std::abs(y);
    switch (type) {
    case StepType::Decision: // diamond
        return 0.5 - y;
    case StepType::Check: // hexagon: corners at (±0.5, 0) and (±0.25, ±0.5)
        return 0.5 - y / 2;
    case StepType::Wait: // octagon
    case StepType::End:
        return y <= shape::octagonCorner ? 0.5 : 0.5 + shape::octagonCorner - y;
    case StepType::Task:
    case StepType::Action:
    case StepType::Escalate:
        break;
    }
    return 0.5;
}

QSizeF nodeSizeFor(StepType type, QSizeF content, qreal padding)
{
    const qreal w = content.width() + 2 * padding;
    const qreal h = content.height() + 2 * padding;
    // How much taller than its content each shape is drawn; the width then follows from where
    // the content's corners meet the slanted sides.
    qreal height = h;
    switch (type) {
    case StepType::Decision:
        height = h * 2.7;
        break;
    case StepType::Check:
    case StepType::Wait:
    case StepType::End:
        height = h * 1.5;
        break;
    case StepType::Escalate:
        // The content sits between the eaves and the base, below the roof.
        return {std::ceil(w), std::ceil(h / (shape::houseBase - shape::houseEaves))};
    case StepType::Task:
    case StepType::Action:
        return {std::ceil(w), std::ceil(h)};
    }
    const qreal halfWidth = unitHalfWidth(type, h / (2 * height));
    return {std::ceil(w / (2 * halfWidth)), std::ceil(height)};
}

QPointF contentCentre(StepType type, QSizeF nodeSize)
{
    if (type == StepType::Escalate)
        return {0, (shape::houseBase + shape::houseEaves) / 2 * nodeSize.height()};
    return {0, 0};
}

DotGraph writeDot(const Playbook &playbook, const LayoutOptions &options, LaneTies ties)
{
    DotGraph graph;
    graph.titleFont = options.titleFont;
    graph.labelFont = options.labelFont;
    graph.laneFont = options.laneFont;
    for (const Step &step : playbook.steps) {
        DotNode node;
        node.stepId = step.id.value;
        node.type = step.type.value;
        node.stepTitle = step.title.value;
        node.lane = playbook.laneOf(step);
        const QString title = step.title.value.isEmpty() ? step.id.value : step.title.value;
        node.title = measureText(title, options.titleFont, options.maxTitleWidth);
        node.content = QSizeF(options.iconSize + nodeIconGap + node.title.size.width(),
                              std::max(options.iconSize, node.title.size.height()));
        node.size = nodeSizeFor(step.type.value, node.content, options.padding);
        graph.nodes.append(node);
    }
    QHash<std::pair<QString, QString>, qsizetype> edgeIndex;
    for (const Step &step : playbook.steps) {
        const QList<Step::Way> ways = step.ways();
        for (const Step::Way &way : ways) {
            if (!playbook.step(way.next)) {
                graph.messages.append(QStringLiteral("%1: way to unknown step '%2' left out")
                                          .arg(step.id.value, way.next));
                continue;
            }
            const std::pair key(step.id.value, way.next);
            auto it = edgeIndex.find(key);
            if (it == edgeIndex.end()) {
                it = edgeIndex.insert(key, graph.edges.size());
                graph.edges.append({step.id.value, way.next, {}, {}});
            }
            graph.edges[*it].ways.append(way);
        }
    }
    for (DotEdge &edge : graph.edges) {
        QStringList labels;
        for (const Step::Way &way : std::as_const(edge.ways)) {
            if (!way.label.isEmpty())
                labels.append(way.label);
        }
        if (!labels.isEmpty())
            edge.label = measureText(labels.join(u'\n'), options.labelFont, options.maxLabelWidth);
    }
    for (const Lane &lane : playbook.lanes) {
        const QString title = lane.title.value.isEmpty() ? lane.id.value : lane.title.value;
        graph.lanes.append({lane.id.value, measureText(title, options.laneFont, 1e6)});
    }
    // Steps in a lane the playbook does not have (it has errors) get a band of their own, last,
    // rather than float over the others.
    if (std::any_of(graph.nodes.cbegin(), graph.nodes.cend(),
                    [&playbook](const DotNode &n) { return !playbook.lane(n.lane); }))
        graph.lanes.append({QString(), measureText(noLaneTitle(), options.laneFont, 1e6)});
    graph.id = playbook.id.value;
    graph.start = playbook.start.value;
    graph.text = dotText(graph, ties);
    return graph;
}

QByteArray dotText(const DotGraph &graph, LaneTies ties)
{
    QHash<QString, qsizetype> nodeIndex;
    for (qsizetype i = graph.nodes.size() - 1; i >= 0; --i) // the first of duplicate ids wins
        nodeIndex.insert(graph.nodes.at(i).stepId, i);

    // The band of each step: its lane's, or the last one, that of lanes the playbook does not have.
    QList<qsizetype> bandOf(graph.nodes.size(), graph.lanes.size() - 1);
    for (qsizetype n = 0; n < graph.nodes.size(); ++n) {
        for (qsizetype i = 0; i < graph.lanes.size(); ++i) {
            if (graph.lanes.at(i).id == graph.nodes.at(n).lane) {
                bandOf[n] = i;
                break;
            }
        }
    }

    QByteArray dot = "digraph " + dotQuoted(graph.id) + " {\n";
    // newrank: without it dot fails rank assignment and loses edges with lanes as clusters.
    // Labels are fixed-size boxes (we measure and draw the text), so no font is named here.
    dot += "  graph [newrank=true, rankdir=TB, nodesep=0.3, ranksep=0.4];\n";
    dot += "  node [label=\"\", fixedsize=true, margin=0];\n";
    // Lane order. dot decides the left-to-right order of whole clusters before it orders their
    // insides, and flat edges between clusters do not count there. What counts:
    // - Where it starts: its first ordering appends each cluster, whole, in the order its breadth-
    //   first walk (along edges, from nodes without edges in) meets them. The root is the only
    //   such node: it meets the heads in order, and each head its lane's anchor, so the walk meets
    //   the clusters in lane order.
    // - What a swap costs: each head, chained to its neighbours by flat edges (which do keep plain
    //   nodes left to right), is tied to its lane's anchor within a `group`; dot counts a crossing
    //   of two such ties like a million crossings, so it keeps the clusters in that order.
    // Both need the heads and the root above every cluster: each anchor is tied to the steps of
    // its lane from which all steps are reached, which ranks every step below the anchors (dot
    // breaks cycles walking from the root, first declared, so those ties are never reversed).
    // The anchors share one rank, so that the clusters stand side by side there (the bands can
    // then be stretched to full height without overlapping).
    // Graphviz sees generated names only (s0, s1…, cluster_0…): user ids may hold anything, and
    // rl_step keeps the step id readable in the DOT.
    const qsizetype lanes = graph.lanes.size();
    if (lanes > 1) {
        dot += "  " + laneRootName() + " [style=invis, width=0.01, height=0.01];\n";
        dot += "  { rank=same;";
        for (qsizetype i = 0; i < lanes; ++i)
            dot += ' ' + laneAnchorName(i) + ';';
        dot += " }\n  { rank=same;";
        for (qsizetype i = 0; i < lanes; ++i)
            dot += ' ' + laneHeadName(i) + " [style=invis" +
                   (ties == LaneTies::Grouped ? ", group=" + laneGroup(i) : QByteArray()) +
                   ", width=0.01, height=0.01];";
        dot += "\n    ";
        for (qsizetype i = 0; i < lanes; ++i)
            dot += (i > 0 ? " -> " : "") + laneHeadName(i);
        dot += " [style=invis];\n  }\n";
        for (qsizetype i = 0; i < lanes; ++i)
            dot += "  " + laneRootName() + " -> " + laneHeadName(i) + " [style=invis];\n";
        for (qsizetype i = 0; i < lanes; ++i)
            dot += "  " + laneHeadName(i) + " -> " + laneAnchorName(i) + " [style=invis];\n";
    }
    for (qsizetype i = 0; i < lanes; ++i) {
        const DotLane &lane = graph.lanes.at(i);
        dot += "  subgraph " + laneClusterName(i) + " {\n";
        dot += "    label=" + fixedSizeLabel(lane.title.size) + ";\n";
        dot += "    " + laneAnchorName(i) + " [style=invis";
        if (ties == LaneTies::Grouped)
            dot += ", group=" + laneGroup(i);
        dot += ", width=0.01, height=0.01];\n";
        for (qsizetype n = 0; n < graph.nodes.size(); ++n) {
            const DotNode &node = graph.nodes.at(n);
            if (bandOf.at(n) != i)
                continue;
            dot += "    " + stepNodeName(n) + " [rl_step=" + dotQuoted(node.stepId) +
                   ", shape=" + shapeOf(node.type);
            if (node.type == StepType::Action)
                dot += ", style=rounded";
            dot +=
                ", width=" + inches(node.size.width()) + ", height=" + inches(node.size.height());
            dot += ", tooltip=" + dotQuoted(node.title.lines.join(u'\n')) + "];\n";
        }
        dot += "  }\n";
    }
    if (lanes > 1) {
        const QList<qsizetype> roots = reachingSteps(graph, nodeIndex, graph.start);
        for (const qsizetype n : roots)
            dot += "  " + laneAnchorName(bandOf.at(n)) + " -> " + stepNodeName(n) +
                   " [style=invis];\n";
    }
    for (qsizetype i = 0; i < graph.edges.size(); ++i) {
        const DotEdge &edge = graph.edges.at(i);
        dot += "  " + stepNodeName(nodeIndex.value(edge.from)) + " -> " +
               stepNodeName(nodeIndex.value(edge.to)) + " [rl_way=" + QByteArray::number(i);
        if (!edge.label.lines.isEmpty())
            dot += ", label=" + fixedSizeLabel(edge.label.size + QSizeF(2 * labelPadding, 2));
        dot += "];\n";
    }
    dot += "}\n";
    dot.squeeze(); // kept with the layout (render --format dot): not with its growth room
    return dot;
}

} // namespace runlane
