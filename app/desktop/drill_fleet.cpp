#include "app/desktop/drill_fleet.h"

#include "actions/http_runner.h"
#include "engine/expr/env.h"
#include "integrations/prometheus_query.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace runlane::desktop {

namespace {

constexpr int stopGraceMs = 5000;
constexpr int pollEveryMs = 250;
constexpr qsizetype outputKept = 4000;
// Each scrape adds this much traffic, so that the rate() and increase() of drills' queries move
// (docs/fleetsim.md).
constexpr int requestsPerScrape = 100;
// Scrapes before ready(): enough samples for the rate() and increase() of the shipped playbooks'
// first checks to see the scenario's incident (torchserve-crash-loop's restarts grow by one per
// scrape and count as a crash loop from three).
constexpr int scrapesBeforeReady = 4;

QString scrapeJob()
{
    return QStringLiteral("runlane-drill");
}

// A port no one listens on now. Another process could take it before Prometheus does: a start
// that finds it taken tries another.
quint16 freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// The children end with the app even when it crashes, instead of holding their ports.
void endWithParent(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

void keepTail(QByteArray &kept, const QByteArray &more)
{
    kept += more;
    if (kept.size() > outputKept)
        kept = kept.right(outputKept);
}

void stopProcess(std::unique_ptr<QProcess> &process)
{
    if (!process)
        return;
    process->disconnect();
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(stopGraceMs)) {
            process->kill();
            process->waitForFinished(stopGraceMs);
        }
    }
    process.reset();
}

// Prometheus scraping the simulator every second. honor_labels keeps the labels the simulator
// stands in for other jobs with (up{job="apiserver"}, instance="edge-fra-07:8002").
QByteArray prometheusConfig(quint16 fleetPort)
{
    return QStringLiteral("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                          "scrape_configs:\n"
                          "  - job_name: %1\n"
                          "    honor_labels: true\n"
                          "    static_configs: [{targets: ['127.0.0.1:%2']}]\n")
        .arg(scrapeJob())
        .arg(fleetPort)
        .toUtf8();
}

} // namespace

DrillFleet::DrillFleet(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &DrillFleet::onDeadline);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &DrillFleet::pollPrometheus);
}

DrillFleet::~DrillFleet()
{
    stop();
}

QString DrillFleet::drillToken()
{
    return QStringLiteral("runlane-drill-token-000000000000");
}

QString DrillFleet::fleetUrl() const
{
    return m_fleetPort == 0 ? QString() : QStringLiteral("http://127.0.0.1:%1").arg(m_fleetPort);
}

QString DrillFleet::prometheusUrl() const
{
    return m_prometheusReady ? QStringLiteral("http://127.0.0.1:%1").arg(m_prometheusPort)
                             : QString();
}

QString DrillFleet::nodeUrl(int index) const
{
    return fleetUrl().isEmpty() ? QString() : fleetUrl() + QStringLiteral("/nodes/%1").arg(index);
}

QList<qint64> DrillFleet::processIds() const
{
    QList<qint64> ids;
    for (const QProcess *process : {m_fleetSim.get(), m_prometheus.get()}) {
        if (process && process->processId() > 0)
            ids.append(process->processId());
    }
    return ids;
}

void DrillFleet::start(const Playbook &playbook)
{
    stop();
    const quint64 generation = m_generation;
    m_phase = Phase::FleetSim;
    m_deadline.start(m_startTimeout);
    Q_EMIT progress(tr("Starting the simulated fleet…"));
    if (m_phase != Phase::FleetSim || generation != m_generation)
        return; // stopped or restarted from the slot

    QString program = m_fleetSimExecutable;
    if (program.isEmpty()) {
        const QString beside =
            QCoreApplication::applicationDirPath() + QStringLiteral("/runlane-fleetsim");
        program = QFileInfo(beside).isExecutable()
                      ? beside
                      : QStandardPaths::findExecutable(QStringLiteral("runlane-fleetsim"));
        if (program.isEmpty()) {
            fail(tr("runlane-fleetsim was not found: looked in %1 and on PATH")
                     .arg(QCoreApplication::applicationDirPath()));
            return;
        }
    } else if (!QFileInfo::exists(program)) {
        fail(tr("runlane-fleetsim was not found at %1").arg(program));
        return;
    }

    m_fleetSim = std::make_unique<QProcess>();
    m_fleetSim->setProgram(program);
    m_fleetSim->setArguments(
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--host"),
         QStringLiteral("127.0.0.1"), QStringLiteral("--nodes"), QString::number(m_nodes),
         QStringLiteral("--requests-per-scrape"), QString::number(requestsPerScrape)});
    endWithParent(*m_fleetSim);
    QProcess *sim = m_fleetSim.get();
    connect(sim, &QProcess::readyReadStandardOutput, this, &DrillFleet::onFleetSimOutput);
    connect(sim, &QProcess::readyReadStandardError, this,
            [this, sim] { keepTail(m_fleetSimOutput, sim->readAllStandardError()); });
    connect(sim, &QProcess::errorOccurred, this,
            [this, sim](QProcess::ProcessError error) { onProcessError(sim, error); });
    connect(sim, &QProcess::finished, this, [this, sim](int code, QProcess::ExitStatus status) {
        onProcessFinished(sim, code, status);
    });
    m_wantsPrometheus =
        std::any_of(playbook.targets.cbegin(), playbook.targets.cend(),
                    [](const Target &t) { return t.kind.value == TargetKind::Prometheus; });
    sim->start();
}

void DrillFleet::onFleetSimOutput()
{
    if (m_phase != Phase::FleetSim) {
        m_fleetSim->readAllStandardOutput(); // nothing more is expected; do not let it pile up
        return;
    }
    if (!m_fleetSim->canReadLine())
        return;
    const QString line = QString::fromUtf8(m_fleetSim->readLine()).trimmed();
    static const QRegularExpression listening(
        QStringLiteral("\\Alistening on http://127\\.0\\.0\\.1:(\\d+)\\z"));
    const QRegularExpressionMatch match = listening.match(line);
    const uint port = match.hasMatch() ? match.captured(1).toUInt() : 0;
    if (port == 0 || port > 65535) {
        fail(tr("runlane-fleetsim printed \"%1\" instead of the address it listens on")
                 .arg(line.left(200)));
        return;
    }
    m_fleetPort = quint16(port);
    later([this] { m_wantsPrometheus ? startPrometheus() : becomeReady(); });
}

void DrillFleet::startPrometheus()
{
    QString program = m_prometheusExecutable;
    if (program.isEmpty())
        program = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        // A drill without Prometheus still runs; its metric checks fail and take their error way.
        Q_EMIT progress(tr("Prometheus is not installed (Debian package prometheus): the "
                           "playbook's metric checks will fail."));
        if (m_phase == Phase::FleetSim)
            becomeReady();
        return;
    }
    m_phase = Phase::Prometheus;
    Q_EMIT progress(tr("Starting Prometheus…"));
    if (m_phase != Phase::Prometheus)
        return;
    if (!m_prometheusDir) {
        m_prometheusDir = std::make_unique<QTemporaryDir>();
        QFile config(m_prometheusDir->filePath(QStringLiteral("prometheus.yml")));
        if (!m_prometheusDir->isValid() || !config.open(QIODevice::WriteOnly) ||
            config.write(prometheusConfig(m_fleetPort)) < 0 || !config.flush()) {
            fail(tr("Prometheus's configuration could not be written in %1").arg(QDir::tempPath()));
            return;
        }
    }
    m_prometheusPort = freeLoopbackPort();
    m_prometheusOutput.clear();
    m_prometheus = std::make_unique<QProcess>();
    m_prometheus->setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus->setProgram(program);
    m_prometheus->setArguments(
        {QStringLiteral("--config.file=") +
             m_prometheusDir->filePath(QStringLiteral("prometheus.yml")),
         QStringLiteral("--storage.tsdb.path=") + m_prometheusDir->filePath(QStringLiteral("data")),
         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort),
         QStringLiteral("--log.level=warn")});
    endWithParent(*m_prometheus);
    QProcess *prometheus = m_prometheus.get();
    connect(prometheus, &QProcess::readyRead, this,
            [this, prometheus] { keepTail(m_prometheusOutput, prometheus->readAll()); });
    connect(
        prometheus, &QProcess::errorOccurred, this,
        [this, prometheus](QProcess::ProcessError error) { onProcessError(prometheus, error); });
    connect(prometheus, &QProcess::finished, this,
            [this, prometheus](int code, QProcess::ExitStatus status) {
                onProcessFinished(prometheus, code, status);
            });
    prometheus->start();
    m_pollTimer.start(pollEveryMs);
}

// Ready once Prometheus has scraped the simulator a few times, so that a drill's first query finds
// data. Prometheus hands its first targets to the scraper after about 5 s.
void DrillFleet::pollPrometheus()
{
    if (m_phase != Phase::Prometheus || m_poll != 0)
        return;
    if (!m_http)
        m_http = std::make_unique<HttpRunner>();
    const QString promql = QStringLiteral("sum_over_time(up{job=\"%1\"}[1m])").arg(scrapeJob());
    HttpRequest request;
    request.url = QStringLiteral("http://127.0.0.1:%1/api/v1/query?query=%2")
                      .arg(m_prometheusPort)
                      .arg(QString::fromLatin1(QUrl::toPercentEncoding(promql)));
    request.connectTimeoutMs = 1000;
    request.timeoutMs = 2000;
    request.retry.attempts = 1;
    const quint64 generation = m_generation;
    m_poll = m_http->submit(request, [this, generation](const HttpResult &answer) {
        m_poll = 0;
        if (generation != m_generation || m_phase != Phase::Prometheus)
            return;
        const WorkResult read = readPrometheusQuery(answer.status, answer.body);
        if (answer.answered() && read.outcome == WorkResult::Outcome::Ok &&
            read.value.toDouble() >= scrapesBeforeReady) {
            m_prometheusReady = true;
            becomeReady();
            return;
        }
        m_pollTimer.start(pollEveryMs);
    });
}

void DrillFleet::becomeReady()
{
    m_deadline.stop();
    m_phase = Phase::Running;
    later([this] { Q_EMIT ready(); });
}

void DrillFleet::onProcessError(QProcess *process, QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || !isStarting())
        return;
    fail(tr("%1 (%2) did not start: %3")
             .arg(nameOf(process), process->program(), process->errorString()));
}

void DrillFleet::onProcessFinished(QProcess *process, int exitCode, QProcess::ExitStatus status)
{
    const QString how =
        status == QProcess::CrashExit ? tr("crashed") : tr("exited with status %1").arg(exitCode);
    QString tail = outputTail(process);
    if (!tail.isEmpty())
        tail.prepend(QStringLiteral(": "));
    if (isStarting()) {
        // Another process took the port between the probe and Prometheus's bind: try another.
        if (process == m_prometheus.get() &&
            tail.contains(QStringLiteral("address already in use"))) {
            later([this] {
                stopProcess(m_prometheus);
                startPrometheus();
            });
            return;
        }
        fail(tr("%1 %2 before it was ready%3").arg(nameOf(process), how, tail));
        return;
    }
    if (m_phase != Phase::Running)
        return;
    const QString why = tr("%1 %2 during the drill%3").arg(nameOf(process), how, tail);
    m_phase = Phase::Stopped;
    later([this, why] {
        stop();
        Q_EMIT stoppedUnexpectedly(why);
    });
}

void DrillFleet::onDeadline()
{
    const QString seconds = QString::number(double(m_startTimeout.count()) / 1000.0);
    const bool prometheus = m_phase == Phase::Prometheus;
    QString tail = outputTail(prometheus ? m_prometheus.get() : m_fleetSim.get());
    if (!tail.isEmpty())
        tail.prepend(QStringLiteral(": "));
    if (prometheus)
        fail(tr("Prometheus had not scraped the simulated fleet within %1 s%2").arg(seconds, tail));
    else if (m_phase == Phase::FleetSim)
        fail(tr("runlane-fleetsim did not print the address it listens on within %1 s%2")
                 .arg(seconds, tail));
}

// Deleting a process inside one of its own signals would pull it from under Qt: everything is
// stopped, and failed() emitted, once back in the event loop.
void DrillFleet::fail(const QString &error)
{
    m_phase = Phase::Stopped;
    m_deadline.stop();
    m_pollTimer.stop();
    later([this, error] {
        stop();
        Q_EMIT failed(error);
    });
}

void DrillFleet::later(std::function<void()> step)
{
    QTimer::singleShot(0, this, [this, step = std::move(step), generation = m_generation] {
        if (generation == m_generation)
            step();
    });
}

void DrillFleet::stop()
{
    ++m_generation;
    m_deadline.stop();
    m_pollTimer.stop();
    if (m_http && m_poll != 0)
        m_http->discard(m_poll);
    m_poll = 0;
    m_phase = Phase::Stopped;
    stopProcess(m_prometheus);
    stopProcess(m_fleetSim);
    m_prometheusDir.reset();
    m_fleetSimOutput.clear();
    m_prometheusOutput.clear();
    m_fleetPort = 0;
    m_prometheusPort = 0;
    m_prometheusReady = false;
}

QString DrillFleet::nameOf(const QProcess *process) const
{
    return process == m_prometheus.get() ? QStringLiteral("Prometheus")
                                         : QStringLiteral("runlane-fleetsim");
}

QString DrillFleet::outputTail(const QProcess *process) const
{
    const QByteArray &kept = process == m_prometheus.get() ? m_prometheusOutput : m_fleetSimOutput;
    return QString::fromUtf8(kept).trimmed().right(1000);
}

// The rule: a prometheus target's url becomes the local Prometheus's (the simulator's when none
// runs: its queries then fail). Every other target keeps only the path and query of its url as
// written, with its ${env:…} references unset so that their defaults apply, on the simulator's
// address: the simulator serves every API from its root, and the shipped playbooks write a path
// only in Slack webhooks' defaults (/services/runlane-sim, which it accepts; a Slack target
// without a path gets that one). Every other ${env:…} (auth, routing keys) is the drill token.
// So nothing points anywhere but 127.0.0.1.
QString DrillFleet::aimedUrl(const Target &target) const
{
    if (target.kind.value == TargetKind::Prometheus && m_prometheusReady)
        return prometheusUrl();
    const auto written = expr::resolveEnv(
        target.url.value, [](const QString &) { return std::optional<QString>(QString()); });
    if (!std::holds_alternative<QString>(written))
        return target.url.value; // malformed: resolveTargets() reports it
    const QUrl url(std::get<QString>(written));
    QString path =
        target.kind.value == TargetKind::Prometheus ? QString() : url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    if (!path.isEmpty() && !path.startsWith(u'/'))
        path.prepend(u'/');
    if (path.isEmpty() && target.kind.value == TargetKind::Slack)
        path = QStringLiteral("/services/runlane-sim");
    const QString query = url.query(QUrl::FullyEncoded);
    return fleetUrl() + path + (query.isEmpty() ? QString() : QStringLiteral("?") + query);
}

ResolvedTargets DrillFleet::targets(const Playbook &playbook) const
{
    if (!isRunning()) {
        ResolvedTargets none;
        none.problems.append(tr("the drill's simulated fleet is not running"));
        return none;
    }
    Playbook aimed = playbook;
    for (Target &target : aimed.targets) {
        target.url = LString(aimedUrl(target), target.url.pos, true);
        target.tls = Tls(); // plain HTTP on loopback: no CA file to read
    }
    return resolveTargets(aimed,
                          [](const QString &) { return std::optional<QString>(drillToken()); });
}

} // namespace runlane::desktop
