#include "engine/export/diagram_export.h"

#include "engine/layout/dot_writer.h"

#include <QBuffer>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <cmath>

namespace runlane {

namespace {

// Large playbooks make large images: PNG is capped (a 1000-step diagram at scale 1 would need
// gigabytes); SVG and PDF are vectors and have no such limit.
constexpr qreal maxPngSide = 16384;
constexpr qreal maxPngPixels = 120e6;

QRectF pageOf(const DiagramPainter &painter, qreal margin)
{
    return painter.layout().bounds.adjusted(-margin, -margin, margin, margin);
}

void paintPage(QPainter &out, const DiagramPainter &painter, const QRectF &page)
{
    out.translate(-page.topLeft());
    out.fillRect(page, painter.palette().background);
    painter.paint(out);
}

std::optional<QString> toSvg(const DiagramPainter &painter, const DiagramExportOptions &options,
                             QIODevice &device)
{
    const QRectF page = pageOf(painter, options.margin);
    QSvgGenerator generator;
    generator.setOutputDevice(&device);
    generator.setResolution(int(pixelsPerInch));
    generator.setSize(page.size().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), page.size()));
    generator.setTitle(options.title);
    generator.setDescription(QStringLiteral("Runlane playbook diagram"));
    QPainter out;
    if (!out.begin(&generator))
        return QStringLiteral("cannot start the SVG");
    paintPage(out, painter, page);
    out.end();
    return std::nullopt;
}

std::optional<QString> toPng(const DiagramPainter &painter, const DiagramExportOptions &options,
                             QIODevice &device)
{
    const QRectF page = pageOf(painter, options.margin);
    const qreal scale = pngScale(painter, options);
    const QSize size(int(std::ceil(page.width() * scale)), int(std::ceil(page.height() * scale)));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return QStringLiteral("cannot allocate a %1×%2 image").arg(size.width()).arg(size.height());
    // Recorded as 96 dpi × scale, so that viewers show it at the diagram's size.
    image.setDotsPerMeterX(int(std::lround(pixelsPerInch / 0.0254 * scale)));
    image.setDotsPerMeterY(int(std::lround(pixelsPerInch / 0.0254 * scale)));
    image.fill(painter.palette().background);
    QPainter out(&image);
    out.scale(scale, scale);
    paintPage(out, painter, page);
    out.end();
    if (!image.save(&device, "PNG"))
        return QStringLiteral("cannot write the PNG");
    return std::nullopt;
}

std::optional<QString> toPdf(const DiagramPainter &painter, const DiagramExportOptions &options,
                             QIODevice &device)
{
    const QRectF page = pageOf(painter, options.margin);
    QPdfWriter writer(&device);
    writer.setTitle(options.title);
    writer.setCreator(QStringLiteral("Runlane"));
    writer.setResolution(int(pixelsPerInch)); // one device pixel per layout pixel
    // One page the size of the diagram (96 px = 72 pt).
    writer.setPageSize(QPageSize(page.size() * 0.75, QPageSize::Point, {}, QPageSize::ExactMatch));
    writer.setPageMargins({0, 0, 0, 0});
    QPainter out;
    if (!out.begin(&writer))
        return QStringLiteral("cannot start the PDF");
    paintPage(out, painter, page);
    if (!out.end())
        return QStringLiteral("cannot write the PDF");
    return std::nullopt;
}

} // namespace

qreal pngScale(const DiagramPainter &painter, const DiagramExportOptions &options)
{
    const QRectF page = pageOf(painter, options.margin);
    const qreal scale = options.scale > 0 ? options.scale : 1.0;
    return std::min({scale, maxPngSide / page.width(), maxPngSide / page.height(),
                     std::sqrt(maxPngPixels / (page.width() * page.height()))});
}

std::optional<QString> exportDiagram(const DiagramPainter &painter,
                                     const DiagramExportOptions &options, QIODevice &device)
{
    switch (options.format) {
    case DiagramFormat::Svg:
        return toSvg(painter, options, device);
    case DiagramFormat::Png:
        return toPng(painter, options, device);
    case DiagramFormat::Pdf:
        return toPdf(painter, options, device);
    }
    return QStringLiteral("unknown format");
}

std::variant<QByteArray, QString> exportDiagram(const DiagramPainter &painter,
                                                const DiagramExportOptions &options)
{
    QByteArray data;
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    if (auto error = exportDiagram(painter, options, buffer))
        return *error;
    buffer.close();
    return data;
}

} // namespace runlane
