#include "engine/export/postmortem_export.h"

#include "engine/export/postmortem_html.h"
#include "engine/export/timeline_chart.h"

#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

#include <algorithm>

namespace runlane {

namespace {

// A4 at 96 dpi less QTextDocument::print's 2 cm margins: the width text and images get.
constexpr int textWidth = 620;
constexpr int maxImageHeight = 880; // leaves room for the caption on the same page
constexpr qreal imageScale = 2.5;   // image pixels per page pixel, for a sharp print

// QTextDocument draws no SVG: the figures go in as images, drawn from the same SVG text.
QImage rasterize(const QByteArray &svg, int *pageWidth)
{
    QSvgRenderer renderer(svg);
    if (!renderer.isValid())
        return {};
    const QSizeF size = renderer.viewBoxF().size();
    if (size.isEmpty())
        return {};
    // As wide as the text, unless that makes it taller than a page.
    const qreal width = std::min<qreal>(textWidth, maxImageHeight * size.width() / size.height());
    *pageWidth = int(width);
    const QSize pixels = (size * (width / size.width()) * imageScale).toSize();
    QImage image(pixels, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(pixels)));
    painter.end();
    return image;
}

} // namespace

std::optional<QString> writePostmortemPdf(const Postmortem &pm, const QByteArray &diagramSvg,
                                          const QString &diagramProblem, QIODevice &device)
{
    PostmortemHtmlFlavour flavour;
    flavour.print = true;
    flavour.diagramProblem = diagramProblem;
    QTextDocument document;
    QFont font;
    font.setFamilies({QStringLiteral("DejaVu Sans"), QStringLiteral("Noto Sans"),
                      QStringLiteral("Liberation Sans")});
    font.setStyleHint(QFont::SansSerif);
    font.setPointSizeF(8.5);
    document.setDefaultFont(font);
    if (!diagramSvg.isEmpty()) {
        const QImage diagram = rasterize(diagramSvg, &flavour.diagramPrintWidth);
        flavour.hasDiagram = !diagram.isNull();
        if (flavour.hasDiagram)
            document.addResource(QTextDocument::ImageResource, QUrl(printDiagramName), diagram);
        else
            flavour.diagramProblem = QStringLiteral("the diagram cannot be drawn");
    }
    const QImage chart = rasterize(timelineChartSvg(pm).toUtf8(), &flavour.timelinePrintWidth);
    document.addResource(QTextDocument::ImageResource, QUrl(printTimelineName), chart);
    document.setHtml(postmortemHtmlDocument(pm, flavour));

    QPdfWriter writer(&device);
    writer.setTitle(QStringLiteral("Postmortem: %1").arg(pm.incident.title));
    writer.setCreator(QStringLiteral("Runlane"));
    writer.setResolution(96); // document pixels are page pixels: the widths above hold
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins({0, 0, 0, 0});
    document.print(&writer);
    if (!device.isOpen())
        return QStringLiteral("cannot write the PDF");
    return std::nullopt;
}

} // namespace runlane
