#include "app/cli/commands.h"

#include <QCoreApplication>
#include <QTextStream>

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments)) {
        QTextStream(stderr) << arguments.constFirst() << ": " << parser.errorText() << "\n";
        return 2;
    }
    if (!parser.isSet(QStringLiteral("help")))
        return std::nullopt;
    // The usage line names the program only (argv[0]); put the command in, so that
    // "Usage: runlane-cli validate [options] PATH..." can be typed as written.
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().constFirst();
    if (const qsizetype at = text.indexOf(program); at >= 0)
        text.replace(at, program.size(), arguments.constFirst());
    QTextStream(stdout) << text;
    return 0;
}
