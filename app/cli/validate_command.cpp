#include "app/cli/commands.h"

#include "engine/playbook/library.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

int validateCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Checks playbook files, and folders of them (recursively, *.test.yaml "
        "skipped). Prints every diagnostic as FILE:LINE:COL: error|warning: message.\n"
        "Exit status: 0 no errors, 1 errors (with --strict, warnings too), 2 usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("strict"), QStringLiteral("Count warnings as errors.")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: text or json."),
                      QStringLiteral("text|json"), QStringLiteral("text")});
    parser.addPositionalArgument(QStringLiteral("PATH"),
                                 QStringLiteral("Playbook files or folders."),
                                 QStringLiteral("PATH..."));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != u"text" && format != u"json") {
        err << "runlane-cli validate: unknown format '" << format << "'; expected text or json\n";
        return 2;
    }
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        err << "runlane-cli validate: name at least one playbook file or folder\n";
        return 2;
    }

    Diagnostics problems;
    const QStringList files = findPlaybookFiles(paths, &problems);
    if (!problems.isEmpty()) {
        for (const Diagnostic &d : problems)
            err << "runlane-cli validate: " << d.file << ": " << d.message << "\n";
        return 2;
    }
    const Library library = loadLibrary(files);
    const Diagnostics diagnostics = library.diagnostics();
    const int errors = countOf(diagnostics, Diagnostic::Severity::Error);
    const int warnings = countOf(diagnostics, Diagnostic::Severity::Warning);

    if (format == u"json") {
        QJsonArray array;
        for (const Diagnostic &d : diagnostics)
            array.append(
                QJsonObject{{QStringLiteral("file"), d.file},
                            {QStringLiteral("line"), d.pos.line},
                            {QStringLiteral("column"), d.pos.column},
                            {QStringLiteral("severity"),
                             d.isError() ? QStringLiteral("error") : QStringLiteral("warning")},
                            {QStringLiteral("message"), d.message}});
        out << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else {
        for (const Diagnostic &d : diagnostics)
            out << d.toString() << "\n";
        err << files.size() << (files.size() == 1 ? " playbook, " : " playbooks, ") << errors
            << (errors == 1 ? " error, " : " errors, ") << warnings
            << (warnings == 1 ? " warning\n" : " warnings\n");
    }
    const bool strict = parser.isSet(QStringLiteral("strict"));
    return (errors > 0 || (strict && warnings > 0)) ? 1 : 0;
}
