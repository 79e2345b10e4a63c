#pragma once

#include "faults.h"

#include <QString>

#include <optional>

namespace runlane::fleetsim {

struct Options
{
    quint16 port = 0;
    QString host = QStringLiteral("127.0.0.1");
    std::optional<int> nodes; // absent: as many as the scenario lists
    QString scenarioPath;     // empty: the built-in scenario
    std::optional<double> requestsPerScrape;
    QList<Fault> faults; // from the fault flags, after the scenario's
};

// Parses the arguments; on failure (or --help) `message` holds what to print and `exitCode` the
// process's exit status.
std::optional<Options> parseCommandLine(const QStringList &arguments, QString *message,
                                        int *exitCode);

} // namespace runlane::fleetsim
