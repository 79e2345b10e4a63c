#include "app/cli/commands.h"
#include "app/cli/journal_incident.h"
#include "app/shared/journal_location.h"

#include "engine/export/diagram_export.h"
#include "engine/export/postmortem_diagram.h"
#include "engine/layout/dot_writer.h"
#include "engine/layout/graphviz_layout.h"
#include "engine/layout/layout_json.h"
#include "engine/playbook/loader.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

#include <functional>
#include <optional>
#include <variant>

#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

namespace {

// glibc keeps the heap pages that reading the YAML and laying out freed, in pieces too small to
// serve the next phase: handing them back between phases makes the peak the largest phase's,
// not about their sum (measured at 1000 steps: 80 MiB before, 60 MiB after).
void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

// The walked path: step ids separated by commas, each one a step of the playbook.
std::optional<QStringList> parsePath(const QString &text, const runlane::Playbook &playbook,
                                     QTextStream &err)
{
    QStringList path;
    const QStringList ids = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &raw : ids) {
        const QString id = raw.trimmed();
        if (!playbook.step(id)) {
            err << "runlane-cli render: --path names '" << id << "', which is not a step of "
                << playbook.id.value << "\n";
            return std::nullopt;
        }
        path.append(id);
    }
    return path;
}

// The walk of an incident of the journal, as an overlay on `playbook`: the incident must have
// walked this playbook. Returns the overlay, or the exit code after saying why not.
std::variant<runlane::DiagramOverlay, int> incidentOverlay(const QString &dbOption,
                                                           const QString &id,
                                                           const runlane::Playbook &playbook,
                                                           QTextStream &err)
{
    using namespace runlane;
    const auto read = readCommandIncident(dbOption, id, QStringLiteral("render"), err);
    if (const int *code = std::get_if<int>(&read))
        return *code;
    const Postmortem pm =
        buildPostmortem(std::get<IncidentJournal>(read), QDateTime::currentMSecsSinceEpoch());
    if (pm.incident.playbookId != playbook.id.value) {
        err << "runlane-cli render: incident " << pm.incident.id << " walked playbook '"
            << pm.incident.playbookId << "', not '" << playbook.id.value << "'\n";
        return 1;
    }
    for (const QString &step : pm.path) {
        if (!playbook.step(step)) {
            err << "runlane-cli render: incident " << pm.incident.id << " entered step '" << step
                << "', which this version of " << playbook.id.value
                << " does not have; render the playbook it was walked with\n";
            return 1;
        }
    }
    return walkedOverlay(pm);
}

// Writes to FILE through QSaveFile (a failed render leaves no half-written file behind), or to
// standard output.
bool writeOutput(const QString &path, const std::function<bool(QIODevice &)> &write)
{
    if (path.isEmpty() || path == u"-") {
        QFile out;
        return out.open(stdout, QIODevice::WriteOnly) && write(out) && out.flush();
    }
    QSaveFile out(path);
    return out.open(QIODevice::WriteOnly) && write(out) && out.commit();
}

} // namespace

// Needs a QGuiApplication (text is measured with the application font): main() makes one.
int renderCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Draws a playbook as a diagram with one band per lane.\n"
        "svg, png, pdf: the diagram, with --path or --incident drawn as the walked path;\n"
        "dot: the exact DOT handed to Graphviz; json: the layout geometry (pixels at 96 dpi).\n"
        "Exit status: 0 rendered, 1 the playbook or the layout failed, 2 usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format."),
                      QStringLiteral("svg|png|pdf|dot|json"), QStringLiteral("svg")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to FILE instead of standard output."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("path"),
                      QStringLiteral("Draw the walked path: step ids in the order visited; the "
                                     "last one is the current step."),
                      QStringLiteral("ID,ID,...")});
    parser.addOption({QStringLiteral("incident"),
                      QStringLiteral("Draw the path an incident of the journal walked (ID may be "
                                     "the first characters of its id)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("With --incident: the incident journal (SQLite file). "
                                     "Default: %1")
                          .arg(defaultJournalPath()),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("Colours: light or dark."),
                      QStringLiteral("light|dark"), QStringLiteral("light")});
    parser.addOption({QStringLiteral("scale"),
                      QStringLiteral("PNG only: image pixels per diagram pixel (default 2)."),
                      QStringLiteral("FACTOR"), QStringLiteral("2")});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The playbook."));
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QString format = parser.value(QStringLiteral("format"));
    const bool drawing = format == u"svg" || format == u"png" || format == u"pdf";
    if (!drawing && format != u"dot" && format != u"json") {
        err << "runlane-cli render: unknown format '" << format
            << "'; expected svg, png, pdf, dot or json\n";
        return 2;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        err << "runlane-cli render: name exactly one playbook file\n";
        return 2;
    }
    const QString theme = parser.value(QStringLiteral("theme"));
    if (theme != u"light" && theme != u"dark") {
        err << "runlane-cli render: unknown theme '" << theme << "'; expected light or dark\n";
        return 2;
    }
    bool scaleOk = false;
    const double scale = parser.value(QStringLiteral("scale")).toDouble(&scaleOk);
    if (!scaleOk || scale <= 0 || scale > 8) {
        err << "runlane-cli render: --scale takes a number in (0, 8]\n";
        return 2;
    }
    const bool incident = parser.isSet(QStringLiteral("incident"));
    if ((parser.isSet(QStringLiteral("path")) || parser.isSet(QStringLiteral("theme")) ||
         incident) &&
        !drawing) {
        err << "runlane-cli render: --path, --incident and --theme apply to svg, png and pdf\n";
        return 2;
    }
    if (incident && parser.isSet(QStringLiteral("path"))) {
        err << "runlane-cli render: give --path or --incident, not both\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("db")) && !incident) {
        err << "runlane-cli render: --db goes with --incident\n";
        return 2;
    }
    const QString outPath = parser.value(QStringLiteral("output"));
    if (drawing && format != u"svg" && (outPath.isEmpty() || outPath == u"-") &&
        isatty(fileno(stdout))) {
        err << "runlane-cli render: " << format
            << " is binary; name a file with -o or redirect the output\n";
        return 2;
    }

    LoadResult loaded = loadPlaybookFile(files.constFirst());
    releaseFreedMemory();
    for (const Diagnostic &d : loaded.diagnostics)
        err << d.toString() << "\n";
    if (!loaded.playbook)
        return 1;
    // A playbook with errors still renders what was read (the diagram helps to fix it).
    const LayoutOptions options = LayoutOptions::defaults();
    std::optional<QStringList> path;
    if (parser.isSet(QStringLiteral("path"))) {
        path = parsePath(parser.value(QStringLiteral("path")), *loaded.playbook, err);
        if (!path)
            return 2;
    }
    std::optional<DiagramOverlay> walked;
    if (incident) {
        auto overlay =
            incidentOverlay(parser.value(QStringLiteral("db")),
                            parser.value(QStringLiteral("incident")), *loaded.playbook, err);
        if (const int *exitCode = std::get_if<int>(&overlay))
            return *exitCode;
        walked = std::get<DiagramOverlay>(overlay);
    }
    const QString title = loaded.playbook->title.value;
    const bool loadedOk = loaded.ok();
    // The failed layout's DOT is written now: the playbook is released before Graphviz runs.
    const QByteArray plainDot =
        format == u"dot" ? writeDot(*loaded.playbook, options, LaneTies::Plain).text : QByteArray();
    auto result = layoutPlaybook(std::move(loaded.playbook), options);
    releaseFreedMemory();
    if (const auto *error = std::get_if<QString>(&result)) {
        err << "runlane-cli render: layout failed: " << *error << "\n";
        if (format == u"dot") { // still the DOT, to see what Graphviz failed on (last)
            writeOutput(outPath, [&plainDot](QIODevice &device) {
                return device.write(plainDot) == plainDot.size();
            });
        }
        return 1;
    }
    Layout &layout = std::get<Layout>(result);
    for (const QString &message : std::as_const(layout.messages))
        err << "runlane-cli render: " << message << "\n";

    std::function<bool(QIODevice &)> write;
    std::optional<DiagramPainter> painter;
    std::optional<QString> exportError;
    if (!drawing) {
        // dot: what was laid out, the first DOT or its fallback.
        const QByteArray bytes =
            format == u"dot" ? layout.dot
                             : QJsonDocument(layoutToJson(layout)).toJson(QJsonDocument::Indented);
        write = [bytes](QIODevice &device) { return device.write(bytes) == bytes.size(); };
    } else {
        painter.emplace(std::move(layout)); // the painter keeps it: no second copy
        painter->setPalette(theme == u"dark" ? DiagramPalette::dark() : DiagramPalette::light());
        if (walked) {
            painter->setOverlay(*walked);
        } else if (path && !path->isEmpty()) {
            DiagramOverlay overlay;
            overlay.path = *path;
            overlay.current = path->constLast();
            painter->setOverlay(overlay);
        }
        DiagramExportOptions exportOptions;
        exportOptions.format = format == u"svg"   ? DiagramFormat::Svg
                               : format == u"png" ? DiagramFormat::Png
                                                  : DiagramFormat::Pdf;
        exportOptions.scale = scale;
        exportOptions.title = title;
        if (exportOptions.format == DiagramFormat::Png) {
            const qreal applied = pngScale(*painter, exportOptions);
            if (applied < scale)
                err << "runlane-cli render: the image would be too large at scale " << scale
                    << "; drawn at scale " << QString::number(applied, 'f', 2)
                    << " (at most 16384 pixels a side, 120 megapixels)\n";
        }
        // Straight to the file: a large diagram is not held in memory a second time.
        write = [&painter, exportOptions, &exportError](QIODevice &device) {
            exportError = exportDiagram(*painter, exportOptions, device);
            return !exportError;
        };
    }
    if (!writeOutput(outPath, write)) {
        if (exportError)
            err << "runlane-cli render: " << *exportError << "\n";
        else
            err << "runlane-cli render: cannot write "
                << (outPath.isEmpty() ? QStringLiteral("-") : outPath) << "\n";
        return 1;
    }
    return loadedOk ? 0 : 1;
}
