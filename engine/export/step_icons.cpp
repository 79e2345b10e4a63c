#include "engine/export/step_icons.h"

#include "engine/export/painter_state.h"

#include <QPainter>
#include <QPainterPath>

namespace runlane {

namespace {

// Icons are designed on a 16×16 grid and scaled to the rectangle.
QPainterPath iconPath(StepType type)
{
    QPainterPath path;
    switch (type) {
    case StepType::Task: // a ticked box
        path.addRoundedRect(QRectF(1.5, 1.5, 13, 13), 2, 2);
        path.moveTo(4.5, 8.5);
        path.lineTo(7, 11);
        path.lineTo(11.5, 5);
        break;
    case StepType::Decision: // a fork: one way in, two out
        path.moveTo(8, 15);
        path.lineTo(8, 8);
        path.lineTo(3, 2);
        path.moveTo(8, 8);
        path.lineTo(13, 2);
        path.moveTo(1.5, 4.5);
        path.lineTo(3, 2);
        path.lineTo(5.5, 2.5);
        path.moveTo(10.5, 2.5);
        path.lineTo(13, 2);
        path.lineTo(14.5, 4.5);
        break;
    case StepType::Check: // a pulse
        path.moveTo(0.5, 9);
        path.lineTo(4, 9);
        path.lineTo(6, 3);
        path.lineTo(9, 14);
        path.lineTo(11, 7);
        path.lineTo(12.5, 9);
        path.lineTo(15.5, 9);
        break;
    case StepType::Action: // a bolt
        path.moveTo(9.5, 0.5);
        path.lineTo(3, 9);
        path.lineTo(7.5, 9);
        path.lineTo(6, 15.5);
        path.lineTo(13, 6.5);
        path.lineTo(8.5, 6.5);
        path.closeSubpath();
        break;
    case StepType::Wait: // a clock
        path.addEllipse(QRectF(1.5, 1.5, 13, 13));
        path.moveTo(8, 4);
        path.lineTo(8, 8);
        path.lineTo(11, 10);
        break;
    case StepType::Escalate: // a bell
        path.moveTo(3, 12);
        path.cubicTo(4.5, 10, 3.5, 3, 8, 3);
        path.cubicTo(12.5, 3, 11.5, 10, 13, 12);
        path.closeSubpath();
        path.moveTo(8, 1);
        path.lineTo(8, 3);
        path.addEllipse(QRectF(6.5, 12.5, 3, 3));
        break;
    case StepType::End: // a flag
        path.moveTo(3, 15.5);
        path.lineTo(3, 1);
        path.lineTo(13, 4);
        path.lineTo(3, 8);
        break;
    }
    return path;
}

} // namespace

void paintStepIcon(QPainter &painter, StepType type, const QRectF &rect, const QColor &color)
{
    if (rect.isEmpty())
        return;
    // The path is mapped, not the painter: no save/restore or transform per icon (each would
    // start a new group in SVG and PDF).
    const qreal scale = rect.width() / 16.0;
    QTransform toRect;
    toRect.translate(rect.left(), rect.top());
    toRect.scale(scale, rect.height() / 16.0);
    setPenIfChanged(painter, QPen(color, 1.5 * scale, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    setBrushIfChanged(painter, type == StepType::Action || type == StepType::End
                                   ? QBrush(color)
                                   : QBrush(Qt::NoBrush));
    painter.drawPath(toRect.map(iconPath(type)));
}

} // namespace runlane
