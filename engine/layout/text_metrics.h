#pragma once

#include <QFont>
#include <QSizeF>
#include <QStringList>

// Measures text with Qt's font metrics, so that Graphviz gets node sizes that fit what we draw.
namespace runlane {

struct MeasuredText
{
    QStringList lines; // wrapped at word boundaries (a word wider than the limit is cut)
    QSizeF size;       // width of the widest line × lines × line spacing, in pixels
};

MeasuredText measureText(const QString &text, const QFont &font, qreal maxWidth);

} // namespace runlane
