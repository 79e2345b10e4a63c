#pragma once

#include "engine/export/diagram_painter.h"
#include "engine/journal/journal_records.h"

#include <QString>

#include <optional>

class QWidget;

// File → Export Incident… and Export Diagram…: a save dialog, then the file written in the format
// its name asks for. The dialogs start in the folder used last (QSettings "export/folder"), a
// file is replaced only once complete (QSaveFile), and a problem shows in a message box. The
// writing itself is in the functions below the dialogs, which show nothing.
namespace runlane::desktop {

// Asks where to write the postmortem of `incidentId` (md, html, json or pdf; proposed:
// suggestedIncidentFileName) and writes it. An empty `journalPath` is the default journal.
// Returns the file written, or an empty string when cancelled or failed (the dialog said why).
QString exportIncident(QWidget *parent, const QString &journalPath, const QString &incidentId);

// The same for a diagram as SVG or PNG (at twice the layout's pixels). `painter` is copied
// before the dialog opens: the view may lay out again meanwhile. `suggestedName` is the file's
// proposed name (".svg" is added when it has no .svg or .png suffix) and the SVG's title.
QString exportDiagram(QWidget *parent, const DiagramPainter &painter, const QString &suggestedName);

// "incident-<title as a slug>-<yyyyMMdd-HHmm, local start time>.md".
QString suggestedIncidentFileName(const IncidentRecord &incident);

// Writes the postmortem of `incidentId` (a unique prefix will do) from the journal to `file`,
// in the format of its suffix (md, markdown, html, htm, json, pdf). HTML and PDF lay the diagram
// out: up to seconds for a large playbook. Returns an error text; on error no file is left.
std::optional<QString> writeIncidentExport(const QString &journalPath, const QString &incidentId,
                                           const QString &file);

// Writes the diagram to `file` as SVG or PNG (by its suffix) as a document shows it: the light
// palette, without the view's selection ring; the walk, if any, stays. Returns an error text; on
// error no file is left.
std::optional<QString> writeDiagramFile(const DiagramPainter &painter, const QString &file,
                                        const QString &title = {});

} // namespace runlane::desktop
