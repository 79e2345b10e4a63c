#include "app/desktop/diagram_view.h"

#include "app/desktop/diagram_layout_job.h"

#include <QApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <cmath>

namespace runlane::desktop {

namespace {

constexpr int margin = 24;        // around the diagram, viewport pixels
constexpr int visibleMargin = 32; // kept around a step scrolled into view (ring, markers)
constexpr int scrollStep = 40;    // an arrow key, viewport pixels

// What makes two layouts "the same playbook": its file, or its id when built in memory.
QString keyOf(const Playbook &playbook)
{
    return playbook.file.isEmpty() ? playbook.id.value : playbook.file;
}

// The window colour says whether the desktop is dark; the diagram follows it.
DiagramPalette diagramPaletteFor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? DiagramPalette::dark()
                                                             : DiagramPalette::light();
}

} // namespace

DiagramView::DiagramView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_job(new DiagramLayoutJob(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    setMouseTracking(true); // the cursor shows what a click would do (passed on to the viewport)
    viewport()->setAutoFillBackground(false);
    setAccessibleName(tr("Playbook diagram"));
    horizontalScrollBar()->setSingleStep(scrollStep);
    verticalScrollBar()->setSingleStep(scrollStep);
    // Scrollbar actions are what the user does (wheel, keys, dragging the bar), never setValue().
    for (QScrollBar *bar : {horizontalScrollBar(), verticalScrollBar()})
        connect(bar, &QAbstractSlider::actionTriggered, this, &DiagramView::userMoved);
    connect(m_job, &DiagramLayoutJob::finished, this, &DiagramView::onLaidOut);
    applyPalette();
}

DiagramView::~DiagramView() = default;

void DiagramView::showPlaybook(PlaybookPtr playbook)
{
    if (!playbook) {
        clear();
        return;
    }
    m_pendingKey = keyOf(*playbook);
    m_startStep = !playbook->start.value.isEmpty() ? playbook->start.value
                  : playbook->steps.isEmpty()      ? QString()
                                                   : playbook->steps.constFirst().id.value;
    if (m_pendingKey != m_key) {
        // Another playbook: its predecessor's diagram would only mislead while this one lays out.
        m_painter.reset();
        m_key.clear();
        m_selected.clear();
        updateScrollBars();
    }
    m_message = tr("Laying out…");
    viewport()->update();
    m_job->request(std::move(playbook)); // may deliver at once, from the cache
}

void DiagramView::onLaidOut(const std::shared_ptr<const LayoutResult> &result)
{
    if (const auto *layout = std::get_if<Layout>(result.get())) {
        // Shared with the cache (aliasing its result), not copied.
        setDiagramLayout(std::shared_ptr<const Layout>(result, layout), m_pendingKey);
        return;
    }
    showMessage(tr("The diagram cannot be drawn:\n%1").arg(std::get<QString>(*result)));
}

void DiagramView::setDiagramLayout(Layout layout, const QString &key)
{
    setDiagramLayout(std::make_shared<const Layout>(std::move(layout)), key);
}

void DiagramView::setDiagramLayout(std::shared_ptr<const Layout> layout, const QString &key)
{
    const bool relayout = m_painter && !key.isEmpty() && key == m_key;
    const QPointF keep = relayout ? centre() : QPointF();
    m_painter = std::make_unique<DiagramPainter>(std::move(layout));
    applyPalette();
    DiagramOverlay overlay = m_walk;
    overlay.selected = m_selected;
    m_painter->setOverlay(overlay);
    m_key = key;
    m_message.clear();
    if (relayout) {
        updateScrollBars();
        centreOn(keep);
    } else {
        fitAutomatically();
    }
    viewport()->update();
    Q_EMIT diagramShown();
}

void DiagramView::showMessage(const QString &text)
{
    m_job->cancel();
    m_painter.reset();
    m_key.clear();
    m_message = text;
    updateScrollBars();
    viewport()->update();
}

void DiagramView::clear()
{
    showMessage({});
    m_pendingKey.clear();
}

bool DiagramView::isLayingOut() const
{
    return m_job->isRunning();
}

QRectF DiagramView::bounds() const
{
    return m_painter ? m_painter->layout().bounds : QRectF();
}

// The diagram is drawn at `margin` inside its content area; a content area smaller than the
// viewport is centred in it, a larger one scrolls.
QTransform DiagramView::transformFor(QSize viewportSize) const
{
    const QRectF b = bounds();
    const QSizeF content = b.size() * m_zoom + QSizeF(2 * margin, 2 * margin);
    const qreal x = content.width() < viewportSize.width()
                        ? (viewportSize.width() - content.width()) / 2
                        : -horizontalScrollBar()->value();
    const qreal y = content.height() < viewportSize.height()
                        ? (viewportSize.height() - content.height()) / 2
                        : -verticalScrollBar()->value();
    QTransform transform;
    transform.translate(x + margin, y + margin);
    transform.scale(m_zoom, m_zoom);
    transform.translate(-b.left(), -b.top());
    return transform;
}

QTransform DiagramView::transform() const
{
    return transformFor(viewport()->size());
}

QPointF DiagramView::mapToLayout(QPointF viewportPos) const
{
    return transform().inverted().map(viewportPos);
}

QPointF DiagramView::mapFromLayout(QPointF layoutPos) const
{
    return transform().map(layoutPos);
}

QPointF DiagramView::centre() const
{
    return mapToLayout(QRectF(viewport()->rect()).center());
}

void DiagramView::centreOn(QPointF layoutPos)
{
    const QRectF b = bounds();
    const QSizeF half = QSizeF(viewport()->size()) / 2;
    horizontalScrollBar()->setValue(
        int(std::lround(margin + (layoutPos.x() - b.left()) * m_zoom - half.width())));
    verticalScrollBar()->setValue(
        int(std::lround(margin + (layoutPos.y() - b.top()) * m_zoom - half.height())));
}

void DiagramView::updateScrollBars()
{
    const QSize content = (bounds().size() * m_zoom).toSize() + QSize(2 * margin, 2 * margin);
    const QSize view = viewport()->size();
    horizontalScrollBar()->setRange(0, m_painter ? std::max(0, content.width() - view.width()) : 0);
    verticalScrollBar()->setRange(0, m_painter ? std::max(0, content.height() - view.height()) : 0);
    horizontalScrollBar()->setPageStep(view.width());
    verticalScrollBar()->setPageStep(view.height());
}

void DiagramView::setZoom(qreal zoom, std::optional<QPointF> anchor)
{
    userMoved();
    applyZoom(zoom, anchor.value_or(QRectF(viewport()->rect()).center()));
}

// Zooms keeping the layout point under `anchor` (viewport coordinates) where it is.
void DiagramView::applyZoom(qreal zoom, QPointF anchor)
{
    zoom = std::clamp(zoom, minZoom, maxZoom);
    if (qFuzzyCompare(zoom, m_zoom))
        return;
    const QPointF fixed = mapToLayout(anchor);
    m_zoom = zoom;
    updateScrollBars();
    const QRectF b = bounds();
    horizontalScrollBar()->setValue(
        int(std::lround(margin + (fixed.x() - b.left()) * m_zoom - anchor.x())));
    verticalScrollBar()->setValue(
        int(std::lround(margin + (fixed.y() - b.top()) * m_zoom - anchor.y())));
    viewport()->update();
    Q_EMIT zoomChanged(m_zoom);
}

// The zoom at which the whole diagram (or only its width) fits the viewport, unclamped; 0 when
// there is nothing to fit or no room.
qreal DiagramView::fittingZoom(bool widthOnly) const
{
    const QSizeF room = QSizeF(viewport()->size()) - QSizeF(2 * margin, 2 * margin);
    const QRectF b = bounds();
    if (b.isEmpty() || room.isEmpty())
        return 0;
    const qreal width = room.width() / b.width();
    return widthOnly ? width : std::min(width, room.height() / b.height());
}

void DiagramView::fitToWindow()
{
    const qreal zoom = fittingZoom(false);
    if (zoom <= 0)
        return;
    applyZoom(zoom, QRectF(viewport()->rect()).center());
    updateScrollBars();
    centreOn(bounds().center());
    m_autoFit = false;
}

// A playbook's first look: the whole diagram, but never enlarged past 100 %, nor shrunk below
// readableZoom: a larger diagram fits its width (lanes side by side) and starts at the top, with
// the selected step in view. Repeated on resize until the user zooms or scrolls.
void DiagramView::fitAutomatically()
{
    m_autoFit = true;
    qreal zoom = fittingZoom(false);
    if (zoom <= 0)
        return;
    if (zoom < readableZoom)
        zoom = std::max(readableZoom, fittingZoom(true));
    applyZoom(std::min(zoom, 1.0), QRectF(viewport()->rect()).center());
    updateScrollBars();
    centreOn(bounds().center());
    verticalScrollBar()->setValue(0);
    // A diagram wider than the view shows where the walk starts, not just its middle.
    if (!m_selected.isEmpty())
        ensureStepVisible(m_selected);
    else if (!m_startStep.isEmpty())
        ensureStepVisible(m_startStep);
}

QString DiagramView::stepAt(QPoint viewportPos) const
{
    return m_painter ? m_painter->stepAt(mapToLayout(QPointF(viewportPos))) : QString();
}

void DiagramView::setSelectedStep(const QString &stepId)
{
    if (stepId == m_selected)
        return;
    m_selected = stepId;
    if (m_painter) {
        DiagramOverlay overlay = m_painter->overlay();
        overlay.selected = stepId;
        m_painter->setOverlay(overlay);
        ensureStepVisible(stepId);
    }
    viewport()->update();
}

void DiagramView::setWalk(const DiagramOverlay &walk)
{
    const bool moved = walk.current != m_walk.current;
    m_walk = walk;
    m_walk.selected.clear();
    if (m_painter) {
        DiagramOverlay overlay = m_walk;
        overlay.selected = m_selected;
        m_painter->setOverlay(overlay);
        if (moved && !walk.current.isEmpty())
            ensureStepVisible(walk.current);
    }
    viewport()->update();
}

void DiagramView::ensureStepVisible(const QString &stepId)
{
    const NodeBox *node = m_painter ? m_painter->node(stepId) : nullptr;
    if (!node)
        return;
    const QRectF rect = transform()
                            .mapRect(node->rect)
                            .adjusted(-visibleMargin, -visibleMargin, visibleMargin, visibleMargin);
    const QRectF view = viewport()->rect();
    // The least scrolling that brings the rectangle in; centred when it cannot fit.
    const auto delta = [](qreal low, qreal high, qreal viewLow, qreal viewHigh) -> qreal {
        if (high - low > viewHigh - viewLow)
            return (low + high) / 2 - (viewLow + viewHigh) / 2;
        if (low < viewLow)
            return low - viewLow;
        if (high > viewHigh)
            return high - viewHigh;
        return 0;
    };
    const int dx = int(std::lround(delta(rect.left(), rect.right(), view.left(), view.right())));
    const int dy = int(std::lround(delta(rect.top(), rect.bottom(), view.top(), view.bottom())));
    if (dx == 0 && dy == 0)
        return;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + dx);
    verticalScrollBar()->setValue(verticalScrollBar()->value() + dy);
}

void DiagramView::applyPalette()
{
    if (m_painter)
        m_painter->setPalette(diagramPaletteFor(palette()));
    viewport()->update();
}

void DiagramView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
    QAbstractScrollArea::changeEvent(event);
}

void DiagramView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    painter.fillRect(event->rect(), m_painter ? m_painter->palette().background
                                              : diagramPaletteFor(palette()).background);
    if (!m_painter) {
        paintMessage(painter, m_message, false);
        return;
    }
    painter.save();
    const QTransform transform = this->transform();
    painter.setTransform(transform);
    // One pixel more on each side: antialiased outlines reach past their geometry.
    const QRectF exposed =
        transform.inverted().mapRect(QRectF(event->rect()).adjusted(-1, -1, 1, 1));
    m_painter->paint(painter, exposed);
    painter.restore();
    paintStickyLaneTitles(painter, transform);
    if (!m_message.isEmpty())
        paintMessage(painter, m_message, true);
}

// Once the lane titles have scrolled out at the top, they stay pinned there: on a tall diagram
// the engineer always knows which lane a step is in.
void DiagramView::paintStickyLaneTitles(QPainter &painter, const QTransform &transform) const
{
    const Layout &layout = m_painter->layout();
    if (layout.lanes.isEmpty() ||
        transform.map(layout.lanes.constFirst().titleRect.bottomLeft()).y() >= 0)
        return;
    const DiagramPalette &colors = m_painter->palette();
    QFont font = this->font();
    font.setBold(true);
    const QFontMetricsF metrics(font);
    const qreal height = metrics.height() + 8;
    painter.save();
    painter.setFont(font);
    for (qsizetype i = 0; i < layout.lanes.size(); ++i) {
        const LaneBand &lane = layout.lanes.at(i);
        const QRectF band = transform.mapRect(lane.rect);
        QRectF strip(band.left(), 0, band.width(), height);
        strip = strip.intersected(QRectF(viewport()->rect()));
        if (strip.isEmpty())
            continue;
        QColor fill = i % 2 ? colors.laneFillAlternate : colors.laneFill;
        fill.setAlphaF(0.94);
        painter.fillRect(strip, fill);
        painter.setPen(colors.laneBorder);
        painter.drawLine(strip.bottomLeft(), strip.bottomRight());
        painter.setPen(colors.laneTitle);
        painter.drawText(strip.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                         metrics.elidedText(lane.title, Qt::ElideRight, strip.width() - 12));
    }
    painter.restore();
}

// A message in the middle of an empty view, or a small note in the top-right corner over a
// diagram (the diagram being replaced by a newer layout).
void DiagramView::paintMessage(QPainter &painter, const QString &text, bool corner) const
{
    if (text.isEmpty())
        return;
    const QRect view = viewport()->rect();
    painter.setFont(font());
    if (!corner) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(view.adjusted(margin, margin, -margin, -margin),
                         Qt::AlignCenter | Qt::TextWordWrap, text);
        return;
    }
    const QFontMetrics metrics(font());
    QRect box = metrics.boundingRect(text).adjusted(-8, -4, 8, 4);
    box.moveTopRight(view.topRight() + QPoint(-8, 8));
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::ToolTipBase));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(palette().color(QPalette::ToolTipText));
    painter.drawText(box, Qt::AlignCenter, text);
}

void DiagramView::resizeEvent(QResizeEvent *event)
{
    // Keep what was in the middle in the middle.
    const QSize oldSize = event->oldSize().isValid() ? event->oldSize() : viewport()->size();
    const QPointF middle = transformFor(oldSize).inverted().map(QRectF(QPoint(), oldSize).center());
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_autoFit)
        fitAutomatically();
    else if (m_painter)
        centreOn(middle);
}

void DiagramView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void DiagramView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomOut();
        return;
    case Qt::Key_0:
        setZoom(1.0);
        return;
    case Qt::Key_F:
        if (event->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier))
            break; // Ctrl+F and the like belong to the window
        fitToWindow();
        return;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event); // arrows and Page Up/Down scroll
}

void DiagramView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    const QPoint delta = event->angleDelta();
    const int steps = delta.y() != 0 ? delta.y() : delta.x();
    if (steps != 0) {
        userMoved();
        applyZoom(m_zoom * std::pow(zoomStep, steps / 120.0), event->position());
    }
    event->accept();
}

void DiagramView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_lastDragPos = *m_pressPos;
    m_dragging = false;
    event->accept();
}

void DiagramView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressPos && (event->buttons() & Qt::LeftButton)) {
        if (!m_dragging &&
            (pos - *m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
            m_dragging = true;
            viewport()->setCursor(Qt::ClosedHandCursor);
        }
        if (m_dragging) {
            const QPoint delta = pos - m_lastDragPos;
            m_lastDragPos = pos;
            horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
            verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
            userMoved();
        }
        event->accept();
        return;
    }
    viewport()->setCursor(stepAt(pos).isEmpty() ? Qt::ArrowCursor : Qt::PointingHandCursor);
    QAbstractScrollArea::mouseMoveEvent(event);
}

void DiagramView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressPos) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    const bool clicked = !m_dragging;
    m_pressPos.reset();
    m_dragging = false;
    const QString step = stepAt(pos);
    viewport()->setCursor(step.isEmpty() ? Qt::ArrowCursor : Qt::PointingHandCursor);
    // A click on empty lane space keeps the selection: the step page beside stays useful.
    if (clicked && !step.isEmpty()) {
        setSelectedStep(step);
        Q_EMIT stepSelected(step);
    }
    event->accept();
}

bool DiagramView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString id = stepAt(help->pos());
        const NodeBox *node = m_painter ? m_painter->node(id) : nullptr;
        if (!node) {
            QToolTip::hideText();
            return true;
        }
        const QString text =
            QStringLiteral("<b>%1</b><br>%2 · <code>%3</code>")
                .arg((node->title.isEmpty() ? id : node->title).simplified().toHtmlEscaped(),
                     toString(node->type).toHtmlEscaped(), id.toHtmlEscaped());
        QToolTip::showText(help->globalPos(), text, viewport(),
                           transform().mapRect(node->rect).toAlignedRect());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace runlane::desktop
