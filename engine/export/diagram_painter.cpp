#include "engine/export/diagram_painter.h"

#include "engine/export/painter_state.h"
#include "engine/export/step_icons.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace runlane {

namespace {

constexpr qreal markerSize = 18; // the state marker and the visit numbers, pixels
constexpr qreal ringMargin = 6;  // the selection ring around a node

bool isFailureWay(Step::Way::Kind kind)
{
    return kind == Step::Way::Kind::OnError || kind == Step::Way::Kind::OnFailure ||
           kind == Step::Way::Kind::OnTimeout;
}

QPainterPath curveOf(const EdgePath &edge)
{
    QPainterPath path;
    if (edge.points.isEmpty())
        return path;
    path.moveTo(edge.points.constFirst());
    for (qsizetype i = 1; i + 2 < edge.points.size(); i += 3)
        path.cubicTo(edge.points.at(i), edge.points.at(i + 1), edge.points.at(i + 2));
    return path;
}

// A filled arrowhead from the spline's end `from` to the tip `to`.
QPainterPath arrowhead(QPointF from, QPointF to)
{
    QPainterPath path;
    const QPointF direction = to - from;
    const qreal length = std::hypot(direction.x(), direction.y());
    if (length < 0.01)
        return path;
    const QPointF unit = direction / length;
    const QPointF normal(-unit.y(), unit.x());
    const qreal width = std::min(length * 0.45, 5.0);
    path.moveTo(to);
    path.lineTo(from + normal * width);
    path.lineTo(from - normal * width);
    path.closeSubpath();
    return path;
}

// The outline as painted: actions get rounded corners, everything else is Graphviz's polygon.
QPolygonF paintedOutline(const NodeBox &node)
{
    if (node.type != StepType::Action)
        return node.outline;
    QPainterPath rounded;
    rounded.addRoundedRect(node.rect, 10, 10);
    QPolygonF polygon = rounded.toFillPolygon();
    if (!polygon.isEmpty() && polygon.constFirst() != polygon.constLast())
        polygon.append(polygon.constFirst());
    return polygon;
}

// Text laid out by the layout: `lines` in `font` (never bold: they were measured in it), one per
// line spacing from the top of `box`, each centred; `slack` on both sides keeps antialiased
// glyph edges from being clipped.
void paintLines(QPainter &painter, const QStringList &lines, const QRectF &box, const QFont &font,
                qreal slack)
{
    setFontIfChanged(painter, font);
    const qreal lineHeight = QFontMetricsF(font).lineSpacing();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRectF line(box.left() - slack, box.top() + i * lineHeight, box.width() + 2 * slack,
                          lineHeight);
        painter.drawText(line, Qt::AlignCenter, lines.at(i));
    }
}

// A marker: a filled circle with a glyph drawn as lines, so that it reads without colour.
enum class Marker { Current, Failed, Skipped, Pending };

void paintMarker(QPainter &painter, Marker marker, QPointF centre, const QColor &color,
                 const QColor &glyph)
{
    const qreal r = markerSize / 2;
    setPenIfChanged(painter, QPen(glyph, 1.5));
    setBrushIfChanged(painter, color);
    painter.drawEllipse(centre, r, r);
    QPainterPath path;
    const qreal s = r * 0.45;
    switch (marker) {
    case Marker::Current: // ▶
        path.moveTo(centre + QPointF(-s * 0.7, -s));
        path.lineTo(centre + QPointF(s, 0));
        path.lineTo(centre + QPointF(-s * 0.7, s));
        path.closeSubpath();
        setBrushIfChanged(painter, glyph);
        break;
    case Marker::Failed: // ✕
        path.moveTo(centre + QPointF(-s, -s));
        path.lineTo(centre + QPointF(s, s));
        path.moveTo(centre + QPointF(s, -s));
        path.lineTo(centre + QPointF(-s, s));
        setBrushIfChanged(painter, Qt::NoBrush);
        break;
    case Marker::Skipped: // ↷ drawn as a bar: "passed over"
        path.moveTo(centre + QPointF(-s, 0));
        path.lineTo(centre + QPointF(s, 0));
        setBrushIfChanged(painter, Qt::NoBrush);
        break;
    case Marker::Pending: // … three dots
        for (int i = -1; i <= 1; ++i)
            path.addEllipse(centre + QPointF(i * s, 0), 1.3, 1.3);
        setBrushIfChanged(painter, glyph);
        break;
    }
    setPenIfChanged(painter, QPen(glyph, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.drawPath(path);
}

} // namespace

bool DiagramOverlay::isEmpty() const
{
    return current.isEmpty() && path.isEmpty() && failed.isEmpty() && skipped.isEmpty() &&
           pending.isEmpty() && selected.isEmpty() && highlighted.isEmpty() &&
           coveredEdges.isEmpty() && notCovered.isEmpty();
}

DiagramPainter::DiagramPainter(Layout layout)
    : DiagramPainter(std::make_shared<const Layout>(std::move(layout)))
{}

DiagramPainter::DiagramPainter(std::shared_ptr<const Layout> layout)
    : m_layout(std::move(layout))
{
    for (qsizetype i = 0; i < m_layout->nodes.size(); ++i)
        m_nodeIndex.insert(m_layout->nodes.at(i).stepId, i);
    for (const EdgePath &edge : std::as_const(m_layout->edges)) {
        QRectF bounds = curveOf(edge).controlPointRect();
        for (const auto &tip : {edge.arrowStart, edge.arrowEnd}) {
            if (tip)
                bounds |= QRectF(*tip - QPointF(6, 6), QSizeF(12, 12));
        }
        if (edge.labelPos)
            bounds |= edge.labelRect;
        m_edgeBounds.append(bounds.adjusted(-4, -4, 4, 4));
    }
}

void DiagramPainter::setOverlay(DiagramOverlay overlay)
{
    m_overlay = std::move(overlay);
    m_visits.clear();
    m_walkedEdges.clear();
    for (qsizetype i = 0; i < m_overlay.path.size(); ++i) {
        m_visits[m_overlay.path.at(i)].append(int(i + 1));
        if (i > 0)
            m_walkedEdges.insert({m_overlay.path.at(i - 1), m_overlay.path.at(i)});
    }
    m_walkedEdges.unite(m_overlay.coveredEdges);
}

const NodeBox *DiagramPainter::node(const QString &stepId) const
{
    const auto it = m_nodeIndex.constFind(stepId);
    return it == m_nodeIndex.constEnd() ? nullptr : &m_layout->nodes.at(*it);
}

QString DiagramPainter::stepAt(QPointF point) const
{
    for (const NodeBox &box : m_layout->nodes) {
        if (box.rect.contains(point) && box.outline.containsPoint(point, Qt::OddEvenFill))
            return box.stepId;
    }
    return {};
}

void DiagramPainter::paint(QPainter &painter, const QRectF &exposed) const
{
    const auto visible = [&exposed](const QRectF &rect) {
        return exposed.isNull() || rect.intersects(exposed);
    };
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    // Lanes: alternating bands, a rule between neighbours, the title at the top.
    for (qsizetype i = 0; i < m_layout->lanes.size(); ++i) {
        const LaneBand &lane = m_layout->lanes.at(i);
        if (!visible(lane.rect.adjusted(-2, -2, 2, 2))) // its border lines reach past it
            continue;
        setPenIfChanged(painter, Qt::NoPen);
        setBrushIfChanged(painter, i % 2 ? m_palette.laneFillAlternate : m_palette.laneFill);
        painter.drawRect(lane.rect);
        setPenIfChanged(painter, QPen(m_palette.laneBorder, 1));
        painter.drawLine(lane.rect.topLeft(), lane.rect.bottomLeft());
        painter.drawLine(lane.rect.topRight(), lane.rect.bottomRight());
        if (visible(lane.titleRect)) {
            setFontIfChanged(painter, m_layout->laneFont);
            setPenIfChanged(painter, m_palette.laneTitle);
            const QString title =
                QFontMetricsF(m_layout->laneFont)
                    .elidedText(lane.title, Qt::ElideRight, lane.titleRect.width() + 1);
            painter.drawText(lane.titleRect, Qt::AlignCenter, title);
        }
    }

    // Edges under nodes; the walked ones last, so that they stay on top where lines cross.
    QList<qsizetype> order;
    for (qsizetype i = 0; i < m_layout->edges.size(); ++i) {
        if (visible(m_edgeBounds.at(i)))
            order.append(i);
    }
    std::stable_partition(order.begin(), order.end(), [this](qsizetype i) {
        const EdgePath &edge = m_layout->edges.at(i);
        return !m_walkedEdges.contains({edge.from, edge.to});
    });
    // In passes, one kind of mark at a time: fewer pen and font changes (an SVG or PDF writes a
    // new style group for each), and labels stay above every line.
    for (const Pass pass : {Pass::Lines, Pass::Heads, Pass::Backgrounds, Pass::Text}) {
        for (const qsizetype i : std::as_const(order))
            paintEdge(painter, m_layout->edges.at(i), pass);
    }
    QList<const NodeBox *> nodes;
    for (const NodeBox &box : m_layout->nodes) {
        if (visible(box.rect.adjusted(-markerSize, -markerSize, markerSize, markerSize)))
            nodes.append(&box);
    }
    for (const Pass pass : {Pass::Shapes, Pass::Icons, Pass::Text, Pass::Markers}) {
        for (const NodeBox *box : std::as_const(nodes))
            paintNode(painter, *box, pass);
    }
    painter.restore();
}

void DiagramPainter::paintEdge(QPainter &painter, const EdgePath &edge, Pass pass) const
{
    const bool walked = m_walkedEdges.contains({edge.from, edge.to});
    const bool failureOnly = !edge.ways.isEmpty() &&
                             std::all_of(edge.ways.cbegin(), edge.ways.cend(),
                                         [](const Step::Way &w) { return isFailureWay(w.kind); });
    const QColor color = walked ? m_palette.walked : m_palette.edge;
    QPen pen(color, walked ? 3.0 : 1.3, failureOnly ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap,
             Qt::RoundJoin);
    if (pass == Pass::Lines) {
        setPenIfChanged(painter, pen);
        setBrushIfChanged(painter, Qt::NoBrush);
        painter.drawPath(curveOf(edge));
        return;
    }
    if (pass == Pass::Heads) {
        setPenIfChanged(painter, QPen(color, 1, Qt::SolidLine, Qt::RoundCap, Qt::MiterJoin));
        setBrushIfChanged(painter, color);
        if (edge.arrowEnd && !edge.points.isEmpty())
            painter.drawPath(arrowhead(edge.points.constLast(), *edge.arrowEnd));
        if (edge.arrowStart && !edge.points.isEmpty())
            painter.drawPath(arrowhead(edge.points.constFirst(), *edge.arrowStart));
        return;
    }
    if (!edge.labelPos)
        return;
    if (pass == Pass::Backgrounds) {
        setPenIfChanged(painter, Qt::NoPen);
        setBrushIfChanged(painter, m_palette.edgeLabelBackground);
        painter.drawRoundedRect(edge.labelRect.adjusted(-3, -1, 3, 1), 3, 3);
        return;
    }
    if (pass != Pass::Text)
        return;
    setPenIfChanged(painter, walked ? m_palette.walked : m_palette.edgeLabel);
    paintLines(painter, edge.labelLines, edge.labelRect, m_layout->labelFont, 4);
}

DiagramPainter::NodeState DiagramPainter::stateOf(const QString &id) const
{
    return {id == m_overlay.current, m_overlay.failed.contains(id),
            m_overlay.skipped.contains(id) || m_overlay.notCovered.contains(id),
            m_overlay.pending.contains(id), m_visits.contains(id)};
}

void DiagramPainter::paintNode(QPainter &painter, const NodeBox &box, Pass pass) const
{
    const QString &id = box.stepId;
    const auto [isCurrent, failed, skipped, pending, visited] = stateOf(id);
    if (pass == Pass::Icons) {
        paintStepIcon(painter, box.type, box.iconRect,
                      skipped ? m_palette.skipped : m_palette.icon);
        return;
    }
    if (pass == Pass::Text) {
        setPenIfChanged(painter, m_palette.nodeText);
        paintLines(painter, box.titleLines, box.textRect, m_layout->titleFont, 8);
        return;
    }
    if (pass == Pass::Markers) {
        paintMarkers(painter, box);
        return;
    }
    if (pass != Pass::Shapes)
        return;
    const QPolygonF outline = paintedOutline(box);

    if (id == m_overlay.selected) { // a wide soft ring under the node
        QColor ring = m_palette.selection;
        ring.setAlphaF(0.45);
        setPenIfChanged(painter,
                        QPen(ring, 2 * ringMargin, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        setBrushIfChanged(painter, Qt::NoBrush);
        painter.drawPath([&outline] {
            QPainterPath path;
            path.addPolygon(outline);
            return path;
        }());
    }

    // One polygon per step (exports and their tests rely on it): fill and outline together.
    QColor border = m_palette.nodeBorder;
    qreal width = 1.3;
    Qt::PenStyle style = Qt::SolidLine;
    if (failed) {
        border = m_palette.failed, width = 3, style = Qt::DashLine;
    } else if (pending) {
        border = m_palette.pending, width = 3, style = Qt::DashDotLine;
    } else if (isCurrent) {
        border = m_palette.current, width = 4;
    } else if (skipped) {
        border = m_palette.skipped, width = 2, style = Qt::DotLine;
    } else if (visited) {
        border = m_palette.walked, width = 2.5;
    }
    QColor fill = m_palette.nodeFill;
    if (m_overlay.highlighted.contains(id))
        fill = QColor::fromRgbF((fill.redF() * 3 + m_palette.walked.redF()) / 4,
                                (fill.greenF() * 3 + m_palette.walked.greenF()) / 4,
                                (fill.blueF() * 3 + m_palette.walked.blueF()) / 4);
    setPenIfChanged(painter, QPen(border, width, style, Qt::FlatCap, Qt::MiterJoin));
    setBrushIfChanged(painter, fill);
    painter.drawPolygon(outline);
    if (box.type == StepType::End) { // a second, inner outline: the walk stops here
        QPainterPath inner;
        const QPointF c = box.rect.center();
        QPolygonF shrunk;
        for (const QPointF p : box.outline) {
            const QPointF v = p - c;
            shrunk.append(c + QPointF(v.x() * (1 - 8 / box.rect.width()),
                                      v.y() * (1 - 8 / box.rect.height())));
        }
        inner.addPolygon(shrunk);
        setPenIfChanged(painter, QPen(border, 1));
        setBrushIfChanged(painter, Qt::NoBrush);
        painter.drawPath(inner);
    }
}

void DiagramPainter::paintMarkers(QPainter &painter, const NodeBox &box) const
{
    const QString &id = box.stepId;
    const auto [isCurrent, failed, skipped, pending, visited] = stateOf(id);
    // Markers at the top-right corner of the box: the state; the visit numbers at the top-left.
    const QPointF corner = box.rect.topRight() + QPointF(-markerSize / 2, markerSize / 2 - 4);
    if (failed)
        paintMarker(painter, Marker::Failed, corner, m_palette.failed, m_palette.background);
    else if (pending)
        paintMarker(painter, Marker::Pending, corner, m_palette.pending, m_palette.background);
    else if (isCurrent)
        paintMarker(painter, Marker::Current, corner, m_palette.current, m_palette.background);
    else if (skipped)
        paintMarker(painter, Marker::Skipped, corner, m_palette.skipped, m_palette.background);
    if (visited) {
        const QList<int> visits = m_visits.value(id);
        QStringList numbers;
        for (qsizetype i = 0; i < std::min<qsizetype>(visits.size(), 3); ++i)
            numbers.append(QString::number(visits.at(i)));
        QString text = numbers.join(u',');
        if (visits.size() > 3)
            text += QStringLiteral(",…");
        QFont small = m_layout->labelFont;
        small.setBold(true);
        const qreal textWidth = QFontMetricsF(small).horizontalAdvance(text);
        const QRectF badge(box.rect.left() - 4, box.rect.top() - 6,
                           std::max(markerSize, textWidth + 8), markerSize - 2);
        setPenIfChanged(painter, Qt::NoPen);
        setBrushIfChanged(painter, m_palette.walked);
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2);
        setFontIfChanged(painter, small);
        setPenIfChanged(painter, m_palette.background);
        painter.drawText(badge, Qt::AlignCenter, text);
    }
}

} // namespace runlane
