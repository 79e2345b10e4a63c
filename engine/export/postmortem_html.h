#pragma once

#include "engine/export/postmortem.h"

#include <QString>

namespace runlane {

// How the postmortem's HTML is written: for a browser (one self-contained file, figures inline
// as SVG), or for QTextDocument to paginate into the PDF (its figures are the images named by
// printDiagramName and printTimelineName, which the PDF writer provides as resources).
struct PostmortemHtmlFlavour
{
    bool print = false;
    QString diagramSvg; // browser: the SVG text to inline
    bool hasDiagram = false;
    QString diagramProblem;      // why there is no diagram
    int diagramPrintWidth = 620; // print: the images' widths on the page, pixels at 96 dpi
    int timelinePrintWidth = 620;
};

inline const QString printDiagramName = QStringLiteral("runlane-diagram.png");
inline const QString printTimelineName = QStringLiteral("runlane-timeline.png");

QString postmortemHtmlDocument(const Postmortem &pm, const PostmortemHtmlFlavour &flavour);

} // namespace runlane
