#pragma once

#include "engine/export/diagram_painter.h"

#include <QByteArray>
#include <QString>

#include <variant>

// The diagram as a file: SVG (QSvgGenerator), PNG (QImage), PDF (QPdfWriter), each through
// DiagramPainter. Every function returns the file's bytes, or an error text.
namespace runlane {

enum class DiagramFormat { Svg, Png, Pdf };

struct DiagramExportOptions
{
    DiagramFormat format = DiagramFormat::Svg;
    qreal scale = 1.0; // PNG: device pixels per layout pixel (2 for a sharp image on HiDPI)
    qreal margin = 16; // around the diagram, layout pixels
    QString title;     // SVG <title>, PDF document title
};

std::variant<QByteArray, QString> exportDiagram(const DiagramPainter &painter,
                                                const DiagramExportOptions &options);

} // namespace runlane
