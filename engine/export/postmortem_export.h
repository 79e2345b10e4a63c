#pragma once

#include "engine/export/postmortem.h"

#include <QByteArray>
#include <QString>

#include <optional>

class QIODevice;

// The postmortem of one incident in each export format. Every text that came from people or
// playbooks is escaped for the format it lands in.
namespace runlane {

// Markdown: summary, response times against the budget, timeline, decisions, actions, notes.
QString postmortemMarkdown(const Postmortem &pm);

// JSON for other tools; docs/export-json.md documents every field (schema_version 1).
QByteArray postmortemJson(const Postmortem &pm);

// One self-contained HTML file: no external resource of any kind. `diagramSvg` is the walked
// diagram (postmortemDiagramSvg); when empty, `diagramProblem` says why there is none.
QString postmortemHtml(const Postmortem &pm, const QByteArray &diagramSvg,
                       const QString &diagramProblem = {});

// The same content as a paginated A4 PDF, written to `device` (open for writing).
std::optional<QString> writePostmortemPdf(const Postmortem &pm, const QByteArray &diagramSvg,
                                          const QString &diagramProblem, QIODevice &device);

} // namespace runlane
