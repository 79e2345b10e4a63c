#include "app/cli/commands.h"
#include "app/cli/journal_incident.h"
#include "app/shared/journal_location.h"
#include "app/shared/postmortem_files.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

// Needs a QGuiApplication (the diagram's text is measured, the PDF laid out): main() makes one.
int exportCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes the postmortem of an incident from the journal: md (Markdown), html (one "
        "self-contained file with the walked diagram and a timeline chart), json (for tools, "
        "schema_version 1), pdf.\nID may be the first characters of the incident's id.\n"
        "Exit status: 0 written, 1 no such incident or the journal cannot be read, 2 usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("The incident journal (SQLite file). Default: %1")
                          .arg(defaultJournalPath()),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("Output format (default: from the -o file name, else md)."),
                      QStringLiteral("md|html|json|pdf")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to FILE instead of standard output."),
                      QStringLiteral("FILE")});
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The incident."));
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QStringList ids = parser.positionalArguments();
    if (ids.size() != 1 || ids.constFirst().isEmpty()) {
        err << "runlane-cli export: name exactly one incident id\n";
        return 2;
    }
    const QString outPath = parser.value(QStringLiteral("output"));
    // Without --format, the -o file's name says; any other name (or none) is Markdown.
    const std::optional<PostmortemFormat> format =
        parser.isSet(QStringLiteral("format"))
            ? postmortemFormatNamed(parser.value(QStringLiteral("format")))
            : postmortemFormatOfFile(outPath).value_or(PostmortemFormat::Markdown);
    if (!format) {
        err << "runlane-cli export: unknown format '" << parser.value(QStringLiteral("format"))
            << "'; expected md, html, json or pdf\n";
        return 2;
    }
    const bool toStdout = outPath.isEmpty() || outPath == u"-";
    if (*format == PostmortemFormat::Pdf && toStdout && isatty(fileno(stdout))) {
        err << "runlane-cli export: pdf is binary; name a file with -o or redirect the output\n";
        return 2;
    }
    const auto read = readCommandIncident(parser.value(QStringLiteral("db")), ids.constFirst(),
                                          QStringLiteral("export"), err);
    if (const int *code = std::get_if<int>(&read))
        return *code;
    QSaveFile file(outPath);
    QFile console;
    QIODevice &device = toStdout ? static_cast<QIODevice &>(console) : file;
    const bool openedOut =
        toStdout ? console.open(stdout, QIODevice::WriteOnly) : file.open(QIODevice::WriteOnly);
    if (!openedOut) {
        err << "runlane-cli export: cannot write " << (toStdout ? QStringLiteral("-") : outPath)
            << "\n";
        return 1;
    }
    QString diagramProblem;
    const auto error =
        writePostmortem(std::get<IncidentJournal>(read), *format, device, &diagramProblem);
    if (!diagramProblem.isEmpty())
        err << "runlane-cli export: no diagram: " << diagramProblem << "\n";
    // A short write of text is told once, below, with the file's name; the PDF's own error first.
    if (error && *format == PostmortemFormat::Pdf)
        err << "runlane-cli export: " << *error << "\n";
    const bool written = !error && (toStdout ? console.flush() : file.commit());
    if (!written) {
        err << "runlane-cli export: cannot write " << (toStdout ? QStringLiteral("-") : outPath)
            << "\n";
        return 1;
    }
    return 0;
}
