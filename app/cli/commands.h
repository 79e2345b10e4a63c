#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>

// Each command takes its own arguments (argv[0] is "runlane-cli COMMAND") and returns the exit
// code: 0 success, 1 failure (errors found, tests failed, no end reached), 2 usage error.
int validateCommand(const QStringList &arguments);
int testCommand(const QStringList &arguments);
int runCommand(const QStringList &arguments);

// A command's --help text. QCommandLineParser's usage line names the program only (argv[0]), so
// "Usage: runlane-cli [options] FILE" would leave the command out; `command` is arguments[0].
inline QString commandHelpText(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().constFirst();
    if (const qsizetype at = text.indexOf(program); at >= 0)
        text.replace(at, program.size(), command);
    return text;
}
