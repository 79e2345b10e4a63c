#pragma once

#include <QPainter>

namespace runlane {

// QPainter marks its state changed on every setBrush and setFont, even when the value is the one
// it already holds, and an SVG or PDF writer then opens a new style group for the next mark.
// Setting only what differs keeps a 1000-step SVG to a few groups per pass.
inline void setPenIfChanged(QPainter &painter, const QPen &pen)
{
    if (painter.pen() != pen)
        painter.setPen(pen);
}

inline void setBrushIfChanged(QPainter &painter, const QBrush &brush)
{
    if (painter.brush() != brush)
        painter.setBrush(brush);
}

inline void setFontIfChanged(QPainter &painter, const QFont &font)
{
    if (painter.font() != font)
        painter.setFont(font);
}

} // namespace runlane
