#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

// Each command takes its own arguments (argv[0] is "runlane-cli COMMAND") and returns the exit
// code: 0 success, 1 failure (errors found, tests failed, no end reached), 2 usage error.
int validateCommand(const QStringList &arguments);
int testCommand(const QStringList &arguments);
int runCommand(const QStringList &arguments);
int renderCommand(const QStringList &arguments); // needs a QGuiApplication
int incidentsCommand(const QStringList &arguments);
int exportCommand(const QStringList &arguments); // needs a QGuiApplication
int recordCommand(const QStringList &arguments); // record-test

// Parses a command's arguments. Returns the exit code when the command is done already: 0 after
// printing --help, 2 after a usage error; nothing when the command goes on.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);
