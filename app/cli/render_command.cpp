#include "app/cli/commands.h"

#include "engine/layout/dot_writer.h"
#include "engine/layout/graphviz_layout.h"
#include "engine/layout/layout_json.h"
#include "engine/playbook/loader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

#include <variant>

namespace {

bool writeOutput(const QString &path, const QByteArray &data)
{
    if (path.isEmpty() || path == u"-") {
        QFile out;
        return out.open(stdout, QIODevice::WriteOnly) && out.write(data) == data.size();
    }
    QFile out(path);
    return out.open(QIODevice::WriteOnly) && out.write(data) == data.size();
}

} // namespace

// Needs a QGuiApplication (text is measured with the application font): main() makes one.
int renderCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lays a playbook out as a diagram with one band per lane.\n"
        "dot: the exact DOT handed to Graphviz; json: the layout geometry (pixels at 96 dpi).\n"
        "Exit status: 0 rendered, 1 the playbook or the layout failed, 2 usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format."),
                      QStringLiteral("svg|png|pdf|dot|json"), QStringLiteral("svg")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to FILE instead of standard output."),
                      QStringLiteral("FILE")});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The playbook."));
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QString format = parser.value(QStringLiteral("format"));
    if (format == u"svg" || format == u"png" || format == u"pdf") {
        err << "runlane-cli render: --format " << format << " is not yet supported in this build\n";
        return 2;
    }
    if (format != u"dot" && format != u"json") {
        err << "runlane-cli render: unknown format '" << format
            << "'; expected svg, png, pdf, dot or json\n";
        return 2;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        err << "runlane-cli render: name exactly one playbook file\n";
        return 2;
    }

    const LoadResult loaded = loadPlaybookFile(files.constFirst());
    for (const Diagnostic &d : loaded.diagnostics)
        err << d.toString() << "\n";
    if (!loaded.playbook)
        return 1;
    // A playbook with errors still renders what was read (the diagram helps to fix it).
    const LayoutOptions options = LayoutOptions::defaults();
    const DotGraph dot = writeDot(*loaded.playbook, options);
    QByteArray output;
    if (format == u"dot") {
        output = dot.text;
        for (const QString &message : dot.messages)
            err << "runlane-cli render: " << message << "\n";
    } else {
        const auto result = layoutDot(dot, *loaded.playbook);
        if (const auto *error = std::get_if<QString>(&result)) {
            err << "runlane-cli render: layout failed: " << *error << "\n";
            return 1;
        }
        const Layout &layout = std::get<Layout>(result);
        for (const QString &message : layout.messages)
            err << "runlane-cli render: " << message << "\n";
        output = QJsonDocument(layoutToJson(layout)).toJson(QJsonDocument::Indented);
    }
    const QString path = parser.value(QStringLiteral("output"));
    if (!writeOutput(path, output)) {
        err << "runlane-cli render: cannot write " << (path.isEmpty() ? QStringLiteral("-") : path)
            << "\n";
        return 1;
    }
    return loaded.ok() ? 0 : 1;
}
