// runlane-fleetsim: a simulated edge ML fleet for tests and incident drills.

#include "command_line.h"
#include "fleet_router.h"
#include "http_server.h"
#include "scenario_loader.h"
#include "sim_context.h"
#include "termination_signals.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using namespace runlane::fleetsim;

namespace {

int fail(const QString &message, int exitCode)
{
    std::fprintf(stderr, "runlane-fleetsim: %s\n", qPrintable(message));
    return exitCode;
}

std::optional<Scenario> readScenario(const Options &options, QString *error)
{
    if (options.scenarioPath.isEmpty())
        return loadScenario(defaultScenarioYaml(), QStringLiteral("default.yaml"), error);
    QFile file(options.scenarioPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("%1: cannot read: %2").arg(options.scenarioPath, file.errorString());
        return std::nullopt;
    }
    return loadScenario(file.readAll(), options.scenarioPath, error);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("runlane-fleetsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RUNLANE_VERSION));

    QString message;
    int exitCode = 0;
    const std::optional<Options> options =
        parseCommandLine(QCoreApplication::arguments(), &message, &exitCode);
    if (!options) {
        if (exitCode == 0) {
            std::printf("%s", qPrintable(message));
            return 0;
        }
        return fail(message, exitCode);
    }

    QString error;
    std::optional<Scenario> scenario = readScenario(*options, &error);
    if (!scenario) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    if (options->nodes)
        setFleetSize(scenario->state, *options->nodes);
    if (options->requestsPerScrape)
        scenario->state.requestsPerScrape = *options->requestsPerScrape;

    SimContext context;
    context.initialState = scenario->state;
    context.initialFaults = scenario->faults + options->faults;
    context.reset();

    const QHostAddress address = options->host == QLatin1String("localhost")
                                     ? QHostAddress(QHostAddress::LocalHost)
                                     : QHostAddress(options->host);
    if (address.isNull())
        return fail(QStringLiteral("--host needs an IP address, not '%1'").arg(options->host), 2);

    HttpServer server(
        [&context](const HttpRequest &request) { return routeRequest(context, request); });
    if (!server.listen(address, options->port))
        return fail(QStringLiteral("cannot listen on %1:%2: %3")
                        .arg(options->host)
                        .arg(options->port)
                        .arg(server.errorString()),
                    1);
    if (!quitOnTerminationSignals(app))
        return fail(QStringLiteral("cannot install the SIGTERM/SIGINT handlers"), 1);

    const QString shownHost = address.protocol() == QAbstractSocket::IPv6Protocol
                                  ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                                  : address.toString();
    std::printf("listening on http://%s:%u\n", qPrintable(shownHost), unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
