#pragma once

#include "engine/journal/journal_records.h"

#include <QString>

#include <optional>

class QIODevice;

// An incident's postmortem as a file, the same for `runlane-cli export` and the desktop app's
// File → Export Incident…: the format a name asks for, and the bytes of each format.

enum class PostmortemFormat { Markdown, Html, Json, Pdf };

// "md", "html", "json", "pdf": the words the CLI's --format takes.
QString toString(PostmortemFormat format);
std::optional<PostmortemFormat> postmortemFormatNamed(const QString &name);

// The format a file name's suffix asks for (md, markdown, html, htm, json, pdf; any case), or
// nothing for another suffix.
std::optional<PostmortemFormat> postmortemFormatOfFile(const QString &path);

// Builds the postmortem as of now and writes it to `device` (open for writing); HTML and PDF get
// the walked diagram, laid out here (Graphviz: takes time on a large playbook). Needs a
// QGuiApplication. When the diagram cannot be drawn the postmortem is still written, saying why,
// and `diagramProblem` (if given) receives the reason. Returns an error text when `device` could
// not take it all.
std::optional<QString> writePostmortem(const runlane::IncidentJournal &journal,
                                       PostmortemFormat format, QIODevice &device,
                                       QString *diagramProblem = nullptr);
