#pragma once

#include "engine/export/diagram_painter.h"
#include "engine/layout/layout_cache.h"

#include <QAbstractScrollArea>

#include <memory>
#include <optional>

namespace runlane::desktop {

class DiagramLayoutJob;

// A playbook drawn as its swimlane diagram, with zoom, panning and step selection. Painting goes
// through DiagramPainter, limited to the exposed part; layouts are computed in the background.
//
// Keys: + or = zoom in, - zoom out, 0 (or Ctrl+0) 100 %, F fit, arrows and Page Up/Down scroll.
// Mouse: click a step to select it, drag to pan, wheel to scroll, Ctrl+wheel to zoom about the
// cursor.
class DiagramView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    static constexpr qreal minZoom = 0.1;
    static constexpr qreal maxZoom = 4.0;
    static constexpr qreal zoomStep = 1.25;
    // Below this, a playbook's first look fits its width only and scrolls (text stays legible).
    static constexpr qreal readableZoom = 0.75;

    explicit DiagramView(QWidget *parent = nullptr);
    ~DiagramView() override;

    // Lays out `playbook` in the background and shows it when done; null shows nothing. A new
    // version of the playbook shown (same file) keeps the zoom and the centre; another playbook
    // is fitted to the view.
    void showPlaybook(PlaybookPtr playbook);
    // Shows a layout now. `key` names the playbook it belongs to: when it equals the key of the
    // layout shown, zoom and centre are kept (a re-layout), otherwise the diagram is fitted.
    void setDiagramLayout(Layout layout, const QString &key);
    void setDiagramLayout(std::shared_ptr<const Layout> layout, const QString &key);
    // Text in place of a diagram (an error, "Laying out…"); the diagram is dropped.
    void showMessage(const QString &text);
    void clear();

    // The walk drawn over the diagram (setWalk).
    const DiagramOverlay &walk() const { return m_walk; }
    bool hasDiagram() const { return m_painter != nullptr; }
    const DiagramPainter *diagramPainter() const { return m_painter.get(); }
    QString message() const { return m_message; }
    bool isLayingOut() const;
    QString key() const { return m_key; }

    qreal zoom() const { return m_zoom; }
    // Zooms about the viewport's centre (or `anchor`, in viewport coordinates), clamped to
    // [minZoom, maxZoom].
    void setZoom(qreal zoom, std::optional<QPointF> anchor = std::nullopt);
    void zoomIn() { setZoom(m_zoom * zoomStep); }
    void zoomOut() { setZoom(m_zoom / zoomStep); }
    // The whole diagram in view (as large as fits, within the zoom limits).
    void fitToWindow();

    // Layout coordinates ↔ viewport coordinates.
    QTransform transform() const;
    QPointF mapToLayout(QPointF viewportPos) const;
    QPointF mapFromLayout(QPointF layoutPos) const;
    // The layout point at the centre of the viewport.
    QPointF centre() const;
    void centreOn(QPointF layoutPos);

    // The step under a viewport position, or an empty string.
    QString stepAt(QPoint viewportPos) const;
    QString selectedStep() const { return m_selected; }
    // Selects a step (an empty id selects none) and scrolls it into view; emits nothing.
    void setSelectedStep(const QString &stepId);
    // An incident's walk drawn over the diagram (current step, path, failed and skipped steps,
    // work in flight); the selection stays. A new current step is scrolled into view.
    void setWalk(const DiagramOverlay &walk);
    void ensureStepVisible(const QString &stepId);

Q_SIGNALS:
    // A step was clicked.
    void stepSelected(const QString &stepId);
    void zoomChanged(qreal zoom);
    // A layout is shown (after showPlaybook(), once it is laid out, or setDiagramLayout()).
    void diagramShown();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onLaidOut(const std::shared_ptr<const LayoutResult> &result);
    void applyPalette();
    void applyZoom(qreal zoom, QPointF anchor);
    void fitAutomatically();
    qreal fittingZoom(bool widthOnly) const;
    void updateScrollBars();
    void userMoved() { m_autoFit = false; }
    QTransform transformFor(QSize viewportSize) const;
    QRectF bounds() const;
    void paintMessage(QPainter &painter, const QString &text, bool corner) const;
    void paintStickyLaneTitles(QPainter &painter, const QTransform &transform) const;

    DiagramLayoutJob *m_job = nullptr;
    std::unique_ptr<DiagramPainter> m_painter;
    QString m_key;        // the playbook of the layout shown
    QString m_pendingKey; // the playbook being laid out
    QString m_message;
    QString m_selected;
    DiagramOverlay m_walk;
    QString m_startStep; // of the playbook shown: in view on the first look
    qreal m_zoom = 1.0;
    // Until the user zooms or scrolls, the diagram stays fitted when the view is resized.
    bool m_autoFit = false;
    // Panning with the mouse: where the press was, and whether it moved far enough to be a drag.
    std::optional<QPoint> m_pressPos;
    QPoint m_lastDragPos;
    bool m_dragging = false;
};

} // namespace runlane::desktop
