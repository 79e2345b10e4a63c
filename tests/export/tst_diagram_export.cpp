#include "engine/export/diagram_export.h"
#include "engine/layout/graphviz_layout.h"
#include "engine/layout/layout_cache.h"
#include "engine/playbook/loader.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>
#include <QtConcurrent>

#include <variant>

using namespace runlane;

namespace {

struct SvgPath
{
    QColor fill;
    QRectF bounds; // of the points in `d`, in layout coordinates
};

struct ParsedSvg
{
    QList<SvgPath> paths;
    QStringList texts;
    QSizeF size;
};

// Reads what the checks need from QSvgGenerator's output: the filled paths (with the fill of
// their enclosing <g>) and every text.
ParsedSvg parseSvg(const QByteArray &data)
{
    ParsedSvg svg;
    QXmlStreamReader xml(data);
    QList<QColor> fills{QColor()};
    static const QRegularExpression number(QStringLiteral("-?[0-9]+(?:\\.[0-9]+)?(?:e-?[0-9]+)?"));
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QXmlStreamAttributes attributes = xml.attributes();
            QColor fill = fills.constLast();
            if (attributes.hasAttribute(QStringLiteral("fill")) &&
                attributes.value(QStringLiteral("fill")) != u"none")
                fill = QColor(attributes.value(QStringLiteral("fill")).toString());
            fills.append(fill);
            if (xml.name() == u"svg") {
                const QStringList box =
                    attributes.value(QStringLiteral("viewBox")).toString().split(u' ');
                svg.size = QSizeF(box.value(2).toDouble(), box.value(3).toDouble());
            } else if (xml.name() == u"path") {
                QList<qreal> values;
                auto it = number.globalMatch(attributes.value(QStringLiteral("d")).toString());
                while (it.hasNext())
                    values.append(it.next().captured().toDouble());
                QRectF bounds;
                for (qsizetype i = 0; i + 1 < values.size(); i += 2)
                    bounds |= QRectF(values.at(i), values.at(i + 1), 0.001, 0.001);
                svg.paths.append({fill, bounds});
            } else if (xml.name() == u"text") {
                svg.texts.append(xml.readElementText(QXmlStreamReader::IncludeChildElements));
                fills.removeLast();
            }
        } else if (xml.isEndElement()) {
            fills.removeLast();
        }
    }
    if (xml.hasError())
        qWarning() << "SVG parse error" << xml.errorString();
    return svg;
}

bool near(const QRectF &a, const QRectF &b, qreal tolerance)
{
    return qAbs(a.left() - b.left()) <= tolerance && qAbs(a.top() - b.top()) <= tolerance &&
           qAbs(a.right() - b.right()) <= tolerance && qAbs(a.bottom() - b.bottom()) <= tolerance;
}

Layout layoutOf(const QString &file)
{
    const LoadResult loaded = loadPlaybookFile(file);
    if (!loaded.playbook)
        return {};
    auto result = layoutPlaybook(*loaded.playbook, LayoutOptions::defaults());
    return std::holds_alternative<Layout>(result) ? std::get<Layout>(result) : Layout{};
}

} // namespace

class TestDiagramExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void svg_data();
    void svg();
    void pngAndPdf_data() { svg_data(); }
    void pngAndPdf();
    void overlayAndHitTest();
    void culling();
    void cacheComputesOnce();
};

void TestDiagramExport::svg_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    const QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        if (!name.endsWith(u".test.yaml"))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

// Every step is one filled shape the size of its node, every title line and lane title is text.
void TestDiagramExport::svg()
{
    QFETCH(QString, file);
    const Layout layout = layoutOf(file);
    QVERIFY(!layout.nodes.isEmpty());
    DiagramPainter painter(layout);
    DiagramOverlay overlay;
    overlay.path = {layout.nodes.at(0).stepId, layout.edges.at(0).to};
    overlay.current = layout.edges.at(0).to;
    painter.setOverlay(overlay);
    DiagramExportOptions options;
    options.margin = 0;
    options.title = QStringLiteral("t");
    const auto exported = exportDiagram(painter, options);
    QVERIFY(std::holds_alternative<QByteArray>(exported));
    const ParsedSvg svg = parseSvg(std::get<QByteArray>(exported));
    QVERIFY(qAbs(svg.size.width() - layout.bounds.width()) <= 1);

    const QColor nodeFill = painter.palette().nodeFill;
    for (const NodeBox &node : layout.nodes) {
        qsizetype shapes = 0;
        for (const SvgPath &path : svg.paths) {
            // Actions are drawn with rounded corners over their box; the rest as laid out.
            const QRectF shape =
                node.type == StepType::Action ? node.rect : node.outline.boundingRect();
            if (path.fill == nodeFill && near(path.bounds, shape, 1.5))
                ++shapes;
        }
        QVERIFY2(shapes == 1,
                 qPrintable(QStringLiteral("%1: %2 shapes").arg(node.stepId).arg(shapes)));
        for (const QString &line : node.titleLines)
            QVERIFY2(svg.texts.contains(line),
                     qPrintable(node.stepId + QStringLiteral(": ") + line));
    }
    for (const LaneBand &lane : layout.lanes)
        QVERIFY2(svg.texts.contains(lane.title), qPrintable(lane.title));
    for (const EdgePath &edge : layout.edges) {
        for (const QString &line : edge.labelLines)
            QVERIFY2(svg.texts.contains(line), qPrintable(line));
    }
}

void TestDiagramExport::pngAndPdf()
{
    QFETCH(QString, file);
    DiagramPainter painter(layoutOf(file));
    painter.setPalette(DiagramPalette::dark());
    DiagramExportOptions options;
    options.format = DiagramFormat::Png;
    options.scale = 2;
    const auto png = exportDiagram(painter, options);
    QVERIFY(std::holds_alternative<QByteArray>(png));
    const QImage image = QImage::fromData(std::get<QByteArray>(png), "PNG");
    QVERIFY(!image.isNull());
    const QRectF page = painter.layout().bounds.adjusted(-16, -16, 16, 16);
    QCOMPARE(image.width(), int(std::ceil(page.width() * 2)));
    QCOMPARE(image.pixelColor(1, 1), DiagramPalette::dark().background); // the margin

    options.format = DiagramFormat::Pdf;
    const auto pdf = exportDiagram(painter, options);
    QVERIFY(std::holds_alternative<QByteArray>(pdf));
    const QByteArray bytes = std::get<QByteArray>(pdf);
    QVERIFY(bytes.startsWith("%PDF-"));
    QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
}

// The overlay paints state, and a click finds the step under it, never one beside it.
void TestDiagramExport::overlayAndHitTest()
{
    const Layout layout =
        layoutOf(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/edge-p99-latency-breach.yaml"));
    DiagramPainter painter(layout);
    for (const NodeBox &node : layout.nodes) {
        QCOMPARE(painter.stepAt(node.rect.center()), node.stepId);
        QVERIFY(painter.node(node.stepId) != nullptr);
    }
    const NodeBox &diamond =
        *std::find_if(layout.nodes.cbegin(), layout.nodes.cend(),
                      [](const NodeBox &n) { return n.type == StepType::Decision; });
    QCOMPARE(painter.stepAt(diamond.rect.topLeft() + QPointF(2, 2)),
             QString()); // outside the shape
    QCOMPARE(painter.stepAt(layout.bounds.bottomRight() + QPointF(10, 10)), QString());

    // The current step is drawn differently from the same step without state.
    const NodeBox &node = layout.nodes.at(0);
    const auto render = [&](const DiagramOverlay &overlay) {
        painter.setOverlay(overlay);
        QImage image(node.rect.size().toSize() + QSize(40, 40), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter p(&image);
        p.translate(-node.rect.topLeft() + QPointF(20, 20));
        painter.paint(p, node.rect.adjusted(-20, -20, 20, 20));
        return image;
    };
    const QImage plain = render({});
    DiagramOverlay current;
    current.current = node.stepId;
    DiagramOverlay failed;
    failed.failed = {node.stepId};
    const QImage asCurrent = render(current);
    const QImage asFailed = render(failed);
    QVERIFY(plain != asCurrent);
    QVERIFY(plain != asFailed);
    QVERIFY(asCurrent != asFailed);
    // Not by colour alone: in grey, current and failed still differ.
    QVERIFY(asCurrent.convertToFormat(QImage::Format_Grayscale8) !=
            asFailed.convertToFormat(QImage::Format_Grayscale8));
}

// Painting only the exposed part draws exactly what a full paint draws there: over-culling
// would leave holes at the region's edges. A region outside the diagram stays empty.
void TestDiagramExport::culling()
{
    const Layout layout =
        layoutOf(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"));
    DiagramPainter painter(layout);
    DiagramOverlay overlay;
    overlay.path = {layout.edges.at(0).from, layout.edges.at(0).to};
    overlay.current = layout.edges.at(0).to;
    painter.setOverlay(overlay);
    const auto render = [&](const QRectF &region, const QRectF &exposed) {
        QImage image(region.size().toSize(), QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        QPainter p(&image);
        p.translate(-region.topLeft());
        p.setClipRect(region);
        painter.paint(p, exposed);
        return image;
    };
    // Regions that cut through nodes (from their centre), labels and the edges around them.
    for (const NodeBox &node : layout.nodes) {
        const QRectF region(node.rect.center(), QSizeF(160, 90));
        QCOMPARE(render(region, region), render(region, QRectF()));
    }
    for (const EdgePath &edge : layout.edges) {
        if (!edge.labelPos)
            continue;
        const QRectF region(edge.labelRect.center() - QPointF(5, 5), QSizeF(120, 60));
        QCOMPARE(render(region, region), render(region, QRectF()));
    }
    const QRectF outside(layout.bounds.bottomRight() + QPointF(500, 500), QSizeF(100, 100));
    QImage empty(100, 100, QImage::Format_ARGB32);
    empty.fill(Qt::transparent);
    QCOMPARE(render(outside, outside), empty);
}

// A playbook is laid out once however many threads ask; a changed text is laid out again.
void TestDiagramExport::cacheComputesOnce()
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/torchserve-crash-loop.yaml"));
    QVERIFY(loaded.playbook);
    const LayoutOptions options = LayoutOptions::defaults();
    LayoutCache cache(4);
    QList<QFuture<std::shared_ptr<const LayoutResult>>> futures;
    for (int i = 0; i < 4; ++i)
        futures.append(QtConcurrent::run([&] { return cache.layout(*loaded.playbook, options); }));
    for (auto &future : futures)
        QCOMPARE(future.result().get(), futures.constFirst().result().get());
    QCOMPARE(cache.computed(), 1);
    QVERIFY(cache.find(*loaded.playbook, options));

    Playbook changed = *loaded.playbook;
    changed.source += u"\n# changed\n";
    QVERIFY(LayoutCache::keyFor(changed, options) !=
            LayoutCache::keyFor(*loaded.playbook, options));
    QVERIFY(!cache.find(changed, options));
    cache.layout(changed, options);
    QCOMPARE(cache.computed(), 2);
    Playbook inMemory = *loaded.playbook;
    inMemory.source.clear(); // no text to hash: never cached
    QVERIFY(LayoutCache::keyFor(inMemory, options).isEmpty());
    cache.layout(inMemory, options);
    QCOMPARE(cache.size(), 2);
}

QTEST_MAIN(TestDiagramExport)
#include "tst_diagram_export.moc"
