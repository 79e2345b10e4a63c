#include "command_line.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace runlane::fleetsim {

namespace {

struct FaultFlags
{
    QCommandLineOption latency{QStringLiteral("latency"),
                               QStringLiteral("Add MS milliseconds to every answer."),
                               QStringLiteral("MS")};
    QCommandLineOption errorRate{QStringLiteral("error-rate"),
                                 QStringLiteral("Answer this share (0-1) of requests with the "
                                                "error status, drawn from --seed."),
                                 QStringLiteral("SHARE")};
    QCommandLineOption failFirst{QStringLiteral("fail-first"),
                                 QStringLiteral("Answer the first N requests with the error "
                                                "status."),
                                 QStringLiteral("N")};
    QCommandLineOption errorStatus{QStringLiteral("error-status"),
                                   QStringLiteral("Status of --error-rate and --fail-first "
                                                  "(default 503)."),
                                   QStringLiteral("CODE"), QStringLiteral("503")};
    QCommandLineOption throttleFirst{QStringLiteral("throttle-first"),
                                     QStringLiteral("Answer the first N requests with 429 and "
                                                    "Retry-After."),
                                     QStringLiteral("N")};
    QCommandLineOption retryAfter{QStringLiteral("retry-after"),
                                  QStringLiteral("Seconds in the Retry-After of --throttle-first "
                                                 "(default 1)."),
                                  QStringLiteral("SECONDS"), QStringLiteral("1")};
    QCommandLineOption resetRate{QStringLiteral("reset-rate"),
                                 QStringLiteral("Close the connection without answering for this "
                                                "share (0-1) of requests."),
                                 QStringLiteral("SHARE")};
    QCommandLineOption hangPath{QStringLiteral("hang-path"),
                                QStringLiteral("Never answer requests whose path matches GLOB."),
                                QStringLiteral("GLOB")};
    QCommandLineOption faultMethod{QStringLiteral("fault-method"),
                                   QStringLiteral("Limit the fault flags to this HTTP method."),
                                   QStringLiteral("METHOD")};
    QCommandLineOption faultPath{QStringLiteral("fault-path"),
                                 QStringLiteral("Limit the fault flags to paths matching GLOB."),
                                 QStringLiteral("GLOB"), QStringLiteral("*")};
    QCommandLineOption seed{QStringLiteral("seed"),
                            QStringLiteral("Seed of the rate flags (default 1)."),
                            QStringLiteral("N"), QStringLiteral("1")};

    QList<QCommandLineOption> all() const
    {
        return {latency,   errorRate, failFirst,   errorStatus, throttleFirst, retryAfter,
                resetRate, hangPath,  faultMethod, faultPath,   seed};
    }
};

std::optional<double> numberOption(const QCommandLineParser &parser,
                                   const QCommandLineOption &option, QString *message)
{
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok) {
        *message = QStringLiteral("--%1 needs a number, not '%2'")
                       .arg(option.names().constFirst(), parser.value(option));
        return std::nullopt;
    }
    return value;
}

// Turns the fault flags into faults, through the same checks as /_sim/faults.
std::optional<QList<Fault>> faultsFromFlags(const QCommandLineParser &parser,
                                            const FaultFlags &flags, QString *message)
{
    QList<QJsonObject> specs;
    const auto base = [&](const QString &kind) {
        QJsonObject spec{{QStringLiteral("kind"), kind},
                         {QStringLiteral("path"), parser.value(flags.faultPath)}};
        if (parser.isSet(flags.faultMethod))
            spec.insert(QStringLiteral("method"), parser.value(flags.faultMethod));
        return spec;
    };
    std::optional<double> value;
    const auto read = [&](const QCommandLineOption &option) {
        value = numberOption(parser, option, message);
        return value.has_value();
    };
    std::optional<double> errorStatus;
    if (!(errorStatus = numberOption(parser, flags.errorStatus, message)))
        return std::nullopt;
    std::optional<double> seed;
    if (!(seed = numberOption(parser, flags.seed, message)))
        return std::nullopt;

    if (parser.isSet(flags.latency)) {
        if (!read(flags.latency))
            return std::nullopt;
        QJsonObject spec = base(QStringLiteral("latency"));
        spec.insert(QStringLiteral("ms"), *value);
        specs.append(spec);
    }
    if (parser.isSet(flags.hangPath)) {
        QJsonObject spec = base(QStringLiteral("hang"));
        spec.insert(QStringLiteral("path"), parser.value(flags.hangPath));
        specs.append(spec);
    }
    if (parser.isSet(flags.resetRate)) {
        if (!read(flags.resetRate))
            return std::nullopt;
        QJsonObject spec = base(QStringLiteral("reset"));
        spec.insert(QStringLiteral("rate"), *value);
        spec.insert(QStringLiteral("seed"), *seed);
        specs.append(spec);
    }
    if (parser.isSet(flags.throttleFirst)) {
        if (!read(flags.throttleFirst))
            return std::nullopt;
        const double count = *value;
        if (!read(flags.retryAfter))
            return std::nullopt;
        QJsonObject spec = base(QStringLiteral("retry-after"));
        spec.insert(QStringLiteral("status"), 429);
        spec.insert(QStringLiteral("count"), count);
        spec.insert(QStringLiteral("retry_after"), *value);
        specs.append(spec);
    }
    if (parser.isSet(flags.failFirst)) {
        if (!read(flags.failFirst))
            return std::nullopt;
        QJsonObject spec = base(QStringLiteral("status"));
        spec.insert(QStringLiteral("status"), *errorStatus);
        spec.insert(QStringLiteral("count"), *value);
        specs.append(spec);
    }
    if (parser.isSet(flags.errorRate)) {
        if (!read(flags.errorRate))
            return std::nullopt;
        QJsonObject spec = base(QStringLiteral("status"));
        spec.insert(QStringLiteral("status"), *errorStatus);
        spec.insert(QStringLiteral("rate"), *value);
        spec.insert(QStringLiteral("seed"), *seed);
        specs.append(spec);
    }

    QList<Fault> faults;
    for (const QJsonObject &spec : std::as_const(specs)) {
        QString error;
        QString key;
        std::optional<Fault> fault = faultFromJson(spec, &error, &key);
        if (!fault) {
            *message = QStringLiteral("fault flag: ") + error;
            return std::nullopt;
        }
        faults.append(std::move(*fault));
    }
    return faults;
}

} // namespace

std::optional<Options> parseCommandLine(const QStringList &arguments, QString *message,
                                        int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A simulated edge ML fleet on one port: TorchServe, Triton, KServe, Argo "
                       "Rollouts, Kubernetes nodes, PagerDuty, Slack and Prometheus metrics, "
                       "with injectable faults. For tests and drills."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port to listen on; 0 picks a free one."),
                                  QStringLiteral("P"));
    const QCommandLineOption host(QStringLiteral("host"),
                                  QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption nodes(QStringLiteral("nodes"),
                                   QStringLiteral("Number of edge nodes (default: the "
                                                  "scenario's)."),
                                   QStringLiteral("N"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
                                      QStringLiteral("Scenario YAML file (default: the built-in "
                                                     "one)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption perScrape(QStringLiteral("requests-per-scrape"),
                                       QStringLiteral("Traffic each /metrics scrape adds."),
                                       QStringLiteral("N"));
    const FaultFlags flags;
    parser.addOptions({port, host, nodes, scenario, perScrape});
    parser.addOptions(flags.all());

    *exitCode = 2;
    if (!parser.parse(arguments)) {
        *message = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(help)) {
        *message = parser.helpText();
        *exitCode = 0;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message =
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
        return std::nullopt;
    }
    Options options;
    bool ok = false;
    if (!parser.isSet(port)) {
        *message = QStringLiteral("--port is required (0 picks a free port)");
        return std::nullopt;
    }
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        *message = QStringLiteral("--port needs a port number, not '%1'").arg(parser.value(port));
        return std::nullopt;
    }
    options.port = quint16(portValue);
    options.host = parser.value(host);
    if (parser.isSet(nodes)) {
        const int count = parser.value(nodes).toInt(&ok);
        if (!ok || count < 1 || count > 10000) {
            *message = QStringLiteral("--nodes needs a count from 1 to 10000");
            return std::nullopt;
        }
        options.nodes = count;
    }
    options.scenarioPath = parser.value(scenario);
    if (parser.isSet(perScrape)) {
        options.requestsPerScrape = numberOption(parser, perScrape, message);
        if (!options.requestsPerScrape || *options.requestsPerScrape < 0) {
            *message = QStringLiteral("--requests-per-scrape needs a number, at least 0");
            return std::nullopt;
        }
    }
    std::optional<QList<Fault>> faults = faultsFromFlags(parser, flags, message);
    if (!faults)
        return std::nullopt;
    options.faults = std::move(*faults);
    return options;
}

} // namespace runlane::fleetsim
