#pragma once

#include "engine/layout/layout.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QRectF>
#include <QSet>
#include <QString>

#include <memory>

class QPainter;

// Paints a laid-out playbook, with the state of a walk over it, onto any QPainter: the desktop
// view, SVG (QSvgGenerator), PNG (QImage) and PDF (QPdfWriter) all go through paint().
// Coordinates are the layout's (pixels at 96 dpi); the caller sets the transform.
namespace runlane {

// What to show on top of the plain diagram. State never shows by colour alone: each kind also
// has its own outline (weight, dash) and a marker.
struct DiagramOverlay
{
    QString current;       // the step the walk is at
    QStringList path;      // steps visited, in order (a step may repeat); edges between neighbours
    QSet<QString> failed;  // steps whose check or action failed
    QSet<QString> skipped; // steps skipped by the engineer
    QSet<QString> pending; // steps with automated work in flight
    QString selected;      // the step selected in a view (a focus ring)
    QSet<QString> highlighted; // steps covered by tests: a tinted fill
    // Test coverage: the ways between steps the cases take (drawn as a walk's are), and the steps
    // no case enters (drawn dotted and grey, as skipped ones).
    QSet<std::pair<QString, QString>> coveredEdges;
    QSet<QString> notCovered;

    bool isEmpty() const;
};

struct DiagramPalette
{
    QColor background, laneFill, laneFillAlternate, laneBorder, laneTitle;
    QColor nodeFill, nodeBorder, nodeText, icon;
    QColor edge, edgeLabel, edgeLabelBackground;
    QColor walked, current, failed, skipped, pending, selection;

    static DiagramPalette light();
    static DiagramPalette dark();
};

class DiagramPainter
{
public:
    explicit DiagramPainter(Layout layout);
    // Shares a layout (e.g. one held by the layout cache) instead of copying it. Never null.
    explicit DiagramPainter(std::shared_ptr<const Layout> layout);

    const Layout &layout() const { return *m_layout; }
    void setOverlay(DiagramOverlay overlay);
    const DiagramOverlay &overlay() const { return m_overlay; }
    void setPalette(const DiagramPalette &palette) { m_palette = palette; }
    const DiagramPalette &palette() const { return m_palette; }

    // Paints what intersects `exposed` (layout coordinates); everything when it is null.
    void paint(QPainter &painter, const QRectF &exposed = {}) const;

    // The step whose shape contains `point` (layout coordinates), or an empty string.
    QString stepAt(QPointF point) const;
    // The node of a step, or nullptr.
    const NodeBox *node(const QString &stepId) const;

private:
    enum class Pass { Lines, Heads, Backgrounds, Shapes, Icons, Text, Markers };
    struct NodeState
    {
        bool current, failed, skipped, pending, visited;
    };
    NodeState stateOf(const QString &id) const;
    void paintEdge(QPainter &painter, const EdgePath &edge, Pass pass) const;
    void paintNode(QPainter &painter, const NodeBox &box, Pass pass) const;
    void paintMarkers(QPainter &painter, const NodeBox &box) const;

    std::shared_ptr<const Layout> m_layout;
    DiagramOverlay m_overlay;
    DiagramPalette m_palette = DiagramPalette::light();
    QList<QRectF> m_edgeBounds;            // per edge, for culling
    QHash<QString, qsizetype> m_nodeIndex; // step id → index in m_layout.nodes
    QHash<QString, QList<int>> m_visits;   // step id → its 1-based places in the path
    QSet<std::pair<QString, QString>> m_walkedEdges;
};

} // namespace runlane
