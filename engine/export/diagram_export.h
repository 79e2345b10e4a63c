#pragma once

#include "engine/export/diagram_painter.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <variant>

class QIODevice;

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

// The scale a PNG is drawn at: options.scale, lowered where the image would pass 16384 pixels a
// side or 120 megapixels.
qreal pngScale(const DiagramPainter &painter, const DiagramExportOptions &options);

// Writes the file to `device` (open for writing) as it is produced: a large diagram is not held
// in memory twice. Returns an error text, or nothing.
std::optional<QString> exportDiagram(const DiagramPainter &painter,
                                     const DiagramExportOptions &options, QIODevice &device);
// The same into memory.
std::variant<QByteArray, QString> exportDiagram(const DiagramPainter &painter,
                                                const DiagramExportOptions &options);

} // namespace runlane
