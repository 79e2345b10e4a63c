#pragma once

#include "engine/playbook/playbook.h"
#include "engine/session/resolved_targets.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

class QTemporaryDir;

namespace runlane {
class HttpRunner;
}

namespace runlane::desktop {

// The local fleet a drill runs against: runlane-fleetsim on a free loopback port and, when the
// playbook queries Prometheus and Debian's Prometheus is installed, a Prometheus scraping it with
// temporary storage. Both start without holding the window (ready() or failed(), within a bounded
// time; with Prometheus about 9 s, until it has scraped the simulator a few times), targets()
// aims a playbook at them, and stop() or the destructor ends them.
class DrillFleet : public QObject
{
    Q_OBJECT

public:
    explicit DrillFleet(QObject *parent = nullptr);
    ~DrillFleet() override;

    // By default runlane-fleetsim is looked for next to this application, then on PATH, and
    // prometheus on PATH. A path set here is the only place looked at.
    void setFleetSimExecutable(const QString &path) { m_fleetSimExecutable = path; }
    void setPrometheusExecutable(const QString &path) { m_prometheusExecutable = path; }
    // Edge nodes of the simulator (copies of its scenario's node); default 20.
    void setNodeCount(int nodes) { m_nodes = nodes; }
    int nodeCount() const { return m_nodes; }
    // How long start() may take until ready(); default 60 s.
    void setStartTimeout(std::chrono::milliseconds timeout) { m_startTimeout = timeout; }

    // Stops what runs, then starts the fleet for `playbook` (Prometheus only if one of its
    // targets is a prometheus target; without Prometheus installed, progress() says so and the
    // fleet is ready without it). Ends in ready() or failed(), never inside this call.
    void start(const Playbook &playbook);
    // SIGTERM to both processes, then SIGKILL to what is still there after 5 s (waits for them:
    // tens of milliseconds as a rule). Emits nothing; a start under way is dropped.
    void stop();

    bool isStarting() const { return m_phase == Phase::FleetSim || m_phase == Phase::Prometheus; }
    bool isRunning() const { return m_phase == Phase::Running; }
    // "http://127.0.0.1:PORT" once the simulator listens; empty when stopped.
    QString fleetUrl() const;
    // The local Prometheus, once ready; empty when none was started.
    QString prometheusUrl() const;
    // Node `index`'s base URL (TorchServe, Triton), for inputs that list nodes.
    QString nodeUrl(int index) const;
    // The ids of the running processes, for diagnostics.
    QList<qint64> processIds() const;

    // Every target of `playbook` aimed at this fleet; a problem when it is not running.
    ResolvedTargets targets(const Playbook &playbook) const;
    // What every credential of a drill is: 32 characters, as a PagerDuty routing key must be.
    static QString drillToken();

Q_SIGNALS:
    // What the start is doing, for the window: "Starting the simulated fleet…", ….
    void progress(const QString &text);
    void ready();
    // The start failed (what was not found, where it was looked for, what a process printed);
    // everything it started is stopped again.
    void failed(const QString &error);
    // After ready(), a process ended on its own; everything is stopped.
    void stoppedUnexpectedly(const QString &why);

private:
    enum class Phase { Stopped, FleetSim, Prometheus, Running };

    void onFleetSimOutput();
    void onProcessFinished(QProcess *process, int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess *process, QProcess::ProcessError error);
    void onDeadline();
    void startPrometheus();
    void pollPrometheus();
    void becomeReady();
    void fail(const QString &error);
    // Runs `step` from the event loop unless the fleet was stopped or restarted meanwhile.
    void later(std::function<void()> step);
    QString nameOf(const QProcess *process) const;
    QString outputTail(const QProcess *process) const;
    QString aimedUrl(const Target &target) const;

    QString m_fleetSimExecutable;
    QString m_prometheusExecutable;
    int m_nodes = 20;
    std::chrono::milliseconds m_startTimeout = std::chrono::seconds(60);

    Phase m_phase = Phase::Stopped;
    quint64 m_generation = 0; // of the current start: a queued failure of an older one is dropped
    std::unique_ptr<QProcess> m_fleetSim;
    std::unique_ptr<QProcess> m_prometheus;
    std::unique_ptr<QTemporaryDir> m_prometheusDir;
    std::unique_ptr<HttpRunner> m_http; // polls Prometheus; its own thread, made when needed
    quint64 m_poll = 0;                 // the poll in flight
    QByteArray m_fleetSimOutput;        // the last few KB each printed, for error messages
    QByteArray m_prometheusOutput;
    quint16 m_fleetPort = 0;
    quint16 m_prometheusPort = 0;
    bool m_wantsPrometheus = false;
    bool m_prometheusReady = false;
    QTimer m_deadline;
    QTimer m_pollTimer;
};

} // namespace runlane::desktop
