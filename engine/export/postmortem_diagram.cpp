#include "engine/export/postmortem_diagram.h"

#include "engine/export/diagram_export.h"
#include "engine/layout/graphviz_layout.h"

#include <QFontInfo>

namespace runlane {

DiagramOverlay walkedOverlay(const Postmortem &pm)
{
    DiagramOverlay overlay;
    overlay.path = pm.path;
    overlay.failed = pm.failedSteps;
    overlay.skipped = pm.skippedSteps;
    if (!pm.incident.ended() && !pm.path.isEmpty())
        overlay.current = pm.path.constLast();
    return overlay;
}

std::variant<QByteArray, QString> postmortemDiagramSvg(const Postmortem &pm)
{
    if (!pm.playbook)
        return pm.snapshotProblem;
    auto laidOut = layoutPlaybook(*pm.playbook, LayoutOptions::defaults());
    if (const auto *error = std::get_if<QString>(&laidOut))
        return QStringLiteral("layout failed: %1").arg(*error);
    Layout &layout = std::get<Layout>(laidOut);
    // The SVG names the font by Qt's generic family ("Sans Serif"), which browsers do not know:
    // name the family the text was measured in, so that it fits its boxes there too.
    const QByteArray generic = "font-family=\"" + layout.titleFont.family().toUtf8() + '"';
    const QByteArray measured =
        "font-family=\"'" + QFontInfo(layout.titleFont).family().toUtf8() + "', sans-serif\"";
    DiagramPainter painter(std::move(layout));
    painter.setOverlay(walkedOverlay(pm));
    DiagramExportOptions options;
    options.format = DiagramFormat::Svg;
    options.title = pm.playbookTitle;
    auto svg = exportDiagram(painter, options);
    if (auto *bytes = std::get_if<QByteArray>(&svg))
        bytes->replace(generic, measured);
    return svg;
}

} // namespace runlane
