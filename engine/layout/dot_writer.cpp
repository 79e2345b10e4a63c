#include "engine/layout/dot_writer.h"

#include <QGuiApplication>

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

QByteArray points(const QFont &font)
{
    const qreal size = font.pointSizeF() > 0 ? font.pointSizeF() : font.pixelSize() * 0.75;
    return QByteArray::number(size, 'f', 1);
}

} // namespace

LayoutOptions LayoutOptions::defaults()
{
    LayoutOptions options;
    options.titleFont = QGuiApplication::font();
    options.labelFont = options.titleFont;
    if (options.labelFont.pointSizeF() > 2)
        options.labelFont.setPointSizeF(options.labelFont.pointSizeF() - 1);
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

QSizeF nodeSizeFor(StepType type, QSizeF text, qreal padding)
{
    const qreal w = text.width() + 2 * padding;
    const qreal h = text.height() + 2 * padding;
    switch (type) {
    case StepType::Decision:
        // A rectangle w×h fits in a diamond W×H when w/W + h/H <= 1.
        return {std::ceil(w * 1.6), std::ceil(h * 2.7)};
    case StepType::Check:
    case StepType::Wait:
    case StepType::End:
        // The slanted sides take about a quarter of the height on each side.
        return {std::ceil(w + h * 1.2), std::ceil(h * 1.25)};
    case StepType::Escalate:
        return {std::ceil(w * 1.1), std::ceil(h * 1.7)};
    case StepType::Task:
    case StepType::Action:
        break;
    }
    return {std::ceil(w), std::ceil(h)};
}

DotGraph writeDot(const Playbook &playbook, const LayoutOptions &options)
{
    DotGraph graph;
    for (const Step &step : playbook.steps) {
        DotNode node;
        node.step = &step;
        node.lane = playbook.laneOf(step);
        const QString title = step.title.value.isEmpty() ? step.id.value : step.title.value;
        node.title = measureText(title, options.titleFont, options.maxTitleWidth);
        node.size = nodeSizeFor(step.type.value, node.title.size, options.padding);
        graph.nodes.append(node);
    }
    for (const Step &step : playbook.steps) {
        const QList<Step::Way> ways = step.ways();
        for (const Step::Way &way : ways) {
            if (!playbook.step(way.next)) {
                graph.messages.append(QStringLiteral("%1: way to unknown step '%2' left out")
                                          .arg(step.id.value, way.next));
                continue;
            }
            DotEdge edge{step.id.value, way.next, way, {}};
            if (!way.label.isEmpty())
                edge.label = measureText(way.label, options.labelFont, options.maxLabelWidth);
            graph.edges.append(edge);
        }
    }

    QByteArray &dot = graph.text;
    dot += "digraph " + dotQuoted(playbook.id.value) + " {\n";
    // newrank: without it dot fails rank assignment and loses edges with lanes as clusters.
    dot += "  graph [newrank=true, rankdir=TB, nodesep=0.3, ranksep=0.4, fontname=\"Helvetica\", "
           "fontsize=" +
           points(options.titleFont) + "];\n";
    dot += "  node [label=\"\", fixedsize=true, margin=0];\n";
    dot += "  edge [fontname=\"Helvetica\", fontsize=" + points(options.labelFont) + "];\n";
    for (qsizetype i = 0; i < playbook.lanes.size(); ++i) {
        const Lane &lane = playbook.lanes.at(i);
        dot += "  subgraph " + dotQuoted(QStringLiteral("cluster_") + lane.id.value) + " {\n";
        const QString title = lane.title.value.isEmpty() ? lane.id.value : lane.title.value;
        dot += "    label=" + dotQuoted(title) + ";\n";
        dot += "    " + laneAnchorName(i) + " [style=invis, width=0.01, height=0.01];\n";
        for (const DotNode &node : std::as_const(graph.nodes)) {
            if (node.lane != lane.id.value)
                continue;
            const Step &step = *node.step;
            dot += "    " + dotQuoted(step.id.value) + " [shape=" + shapeOf(step.type.value);
            if (step.type.value == StepType::Action)
                dot += ", style=rounded";
            dot +=
                ", width=" + inches(node.size.width()) + ", height=" + inches(node.size.height());
            dot += ", tooltip=" + dotQuoted(node.title.lines.join(u'\n')) + "];\n";
        }
        dot += "  }\n";
    }
    for (const DotNode &node : std::as_const(graph.nodes)) {
        if (!playbook.lane(node.lane)) // an unknown lane (the playbook has errors): outside lanes
            dot += "  " + dotQuoted(node.step->id.value) +
                   " [shape=box, width=" + inches(node.size.width()) +
                   ", height=" + inches(node.size.height()) + "];\n";
    }
    // Every lane has an anchor on one top rank, in lane order: the clusters then share a rank, so
    // dot must place them side by side, left to right, and the bands can be stretched to full
    // height without overlapping.
    if (playbook.lanes.size() > 1) {
        dot += "  { rank=same;";
        for (qsizetype i = 0; i < playbook.lanes.size(); ++i)
            dot += ' ' + laneAnchorName(i) + ';';
        dot += " }\n  ";
        for (qsizetype i = 0; i < playbook.lanes.size(); ++i)
            dot += (i > 0 ? " -> " : "") + laneAnchorName(i);
        dot += " [style=invis];\n";
    }
    for (qsizetype i = 0; i < graph.edges.size(); ++i) {
        const DotEdge &edge = graph.edges.at(i);
        dot += "  " + dotQuoted(edge.from) + " -> " + dotQuoted(edge.to) +
               " [rl_way=" + QByteArray::number(i);
        if (!edge.label.lines.isEmpty())
            dot += ", label=" + dotQuoted(edge.label.lines.join(u'\n'));
        dot += "];\n";
    }
    dot += "}\n";
    return graph;
}

} // namespace runlane
