// runlane-desktop-fanout-bench: how long the window's event loop stalls while a large fan-out
// runs. Opens the real MainWindow on desktop-fanout.yaml, starts an incident against a local
// runlane-fleetsim with one endpoint per node, confirms the action and continues every wave gate
// as a quick engineer would (--reaction after it shows), and meanwhile a 5 ms timer probe records
// how late each tick comes. Then the same probe runs as long again with the window idle, as the
// reference. The calls the window makes on its thread for the fan-out (the journal's hooks, the
// progress shown, the clicks) are timed, so that each long stall can be put down to them.
//
//   runlane-desktop-fanout-bench [--endpoints N] [--timeout S] [--dir DIR] [--interval MS]
//                                [--reaction MS]
//
// The last line is machine-readable: RESULT key=value...; exit status 0 when the incident ended
// as mitigated, 1 otherwise (timed out, failed to start, escalated).
#include "app/desktop/diagram_view.h"
#include "app/desktop/incident_panel.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/shared/incident_driver.h"
#include "engine/session/input_values.h"
#include "span_log.h"
#include "stall_probe.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QPushButton>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

struct Options
{
    int endpoints = 10000;
    int timeoutS = 300;
    int intervalMs = 5;
    int reactionMs = 100;
    QString dir;
};

Options parse(const QApplication &app)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption endpoints(u"endpoints"_s, u"Endpoints of the fan-out (1-10000)."_s,
                                       u"N"_s, u"10000"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds before giving up."_s, u"S"_s,
                                     u"300"_s);
    const QCommandLineOption interval(u"interval"_s, u"The probe's interval."_s, u"MS"_s, u"5"_s);
    const QCommandLineOption reaction(u"reaction"_s, u"How soon a gate is answered."_s, u"MS"_s,
                                      u"100"_s);
    const QCommandLineOption dir(u"dir"_s, u"Folder for the journal (default: a temporary one)."_s,
                                 u"DIR"_s);
    parser.addOptions({endpoints, timeout, interval, reaction, dir});
    parser.process(app);
    Options o;
    o.endpoints = std::clamp(parser.value(endpoints).toInt(), 1, 10000); // fleetsim's most
    o.timeoutS = std::max(1, parser.value(timeout).toInt());
    o.intervalMs = std::max(1, parser.value(interval).toInt());
    o.reactionMs = std::max(0, parser.value(reaction).toInt());
    o.dir = parser.value(dir);
    return o;
}

void say(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

QString ms(qint64 ns)
{
    return QString::number(double(ns) / 1e6, 'f', 1);
}

QString seconds(qint64 ns)
{
    return QString::number(double(ns) / 1e9, 'f', 3);
}

// Runs the event loop until `done` holds or `timeoutMs` passes.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}

// What ran during [from, to]: per timed call, how many and how much of that time (nested calls
// count in their callers too), longest first; then the time no timed call covers.
QString during(const SpanLog &log, qint64 from, qint64 to)
{
    std::map<QString, std::pair<int, qint64>> inside;
    std::vector<std::pair<qint64, qint64>> covered;
    for (const SpanLog::Span &s : log.spans()) {
        const qint64 start = std::max(s.startNs, from);
        const qint64 end = std::min(s.endNs, to);
        if (start >= end)
            continue;
        auto &[count, ns] = inside[s.name];
        ++count;
        ns += end - start;
        covered.emplace_back(start, end);
    }
    std::sort(covered.begin(), covered.end());
    qint64 coveredNs = 0;
    qint64 reached = from;
    for (const auto &[start, end] : covered) {
        coveredNs += std::max<qint64>(0, end - std::max(start, reached));
        reached = std::max(reached, end);
    }
    std::vector<std::pair<QString, std::pair<int, qint64>>> sorted(inside.begin(), inside.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto &a, const auto &b) { return a.second.second > b.second.second; });
    QStringList parts;
    for (const auto &[name, sum] : sorted)
        parts.append(u"%1 x%2 %3 ms"_s.arg(name).arg(sum.first).arg(ms(sum.second)));
    parts.append(u"no timed call %1 ms"_s.arg(ms((to - from) - coveredNs)));
    return parts.join(u", "_s);
}

// Per call: how often, how long in all, the longest.
void printSpans(const SpanLog &log)
{
    struct Sum
    {
        int count = 0;
        qint64 totalNs = 0;
        qint64 longestNs = 0;
    };
    std::map<QString, Sum> sums;
    for (const SpanLog::Span &s : log.spans()) {
        Sum &sum = sums[s.name];
        ++sum.count;
        sum.totalNs += s.endNs - s.startNs;
        sum.longestNs = std::max(sum.longestNs, s.endNs - s.startNs);
    }
    say(u"timed calls on the window's thread (count, total ms, longest ms):"_s);
    for (const auto &[name, sum] : sums)
        say(u"  %1  %2  %3  %4"_s.arg(name, -22)
                .arg(sum.count, 6)
                .arg(ms(sum.totalNs), 9)
                .arg(ms(sum.longestNs), 8));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"runlane-desktop-fanout-bench"_s);
    const Options options = parse(app);

    QTemporaryDir temporary(options.dir.isEmpty() ? QDir::tempPath() + u"/runlane-desktop-XXXXXX"_s
                                                  : options.dir + u"/runlane-desktop-XXXXXX"_s);
    if (!temporary.isValid()) {
        say(u"error: cannot make a folder for the journal: "_s + temporary.errorString());
        return 1;
    }
    const QString playbookFile = temporary.filePath(u"desktop-fanout.yaml"_s);
    if (!QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/bench/desktop/desktop-fanout.yaml"),
                     playbookFile)) {
        say(u"error: cannot copy desktop-fanout.yaml"_s);
        return 1;
    }

    FleetSimProcess sim({u"--nodes"_s, QString::number(options.endpoints)});
    QString error;
    if (!sim.waitUntilListening(&error)) {
        say(u"error: runlane-fleetsim: "_s + error);
        return 1;
    }
    const QString base = u"http://127.0.0.1:%1"_s.arg(sim.port());
    qputenv("BENCH_FLEET_URL", base.toUtf8());

    MainWindow window({temporary.path()});
    window.setJournalPath(temporary.filePath(u"journal.sqlite"_s));
    window.setInitialSelection(playbookFile);
    window.resize(1360, 860);
    window.show();
    window.reload();
    DiagramView *diagram = window.details()->diagram();
    if (!waitFor([&] { return window.details()->entry().playbook && diagram->hasDiagram(); },
                 60000)) {
        say(u"error: the playbook was not shown with its diagram within 60 s"_s);
        return 1;
    }
    waitFor([] { return false; }, 300); // the first paints of the window are not the fan-out's

    QJsonArray urls;
    for (int i = 0; i < options.endpoints; ++i)
        urls.append(u"%1/nodes/%2"_s.arg(base).arg(i));
    const auto inputs =
        checkInputs(*window.details()->entry().playbook, QJsonObject{{u"nodes"_s, urls}});
    if (!std::holds_alternative<QJsonObject>(inputs)) {
        say(u"error: the endpoints are not accepted as the playbook's input"_s);
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    SpanLog spans(clock);
    StallProbe busy(clock, options.intervalMs);
    StallProbe idle(clock, options.intervalMs);
    qint64 startedNs = 0;
    qint64 endedNs = -1;
    QString outcome;

    say(u"platform: %1"_s.arg(QGuiApplication::platformName()));
    say(u"endpoints: %1 (runlane-fleetsim on 127.0.0.1:%2)"_s.arg(options.endpoints)
            .arg(sim.port()));

    busy.start();
    startedNs = clock.nsecsElapsed();
    const auto problem = spans.time(u"start incident"_s, [&] {
        return window.startIncident(std::get<QJsonObject>(inputs), false, false);
    });
    if (problem) {
        say(u"error: the incident did not start: "_s + *problem);
        return 1;
    }
    IncidentDriver *driver = window.incident();
    IncidentPanel *panel = window.incidentPanel();
    HttpExecutor &executor = driver->executor();
    spans.wrap(executor.beforeSend, u"journal intents"_s);
    spans.wrap(executor.afterResults, u"journal results"_s);
    spans.wrap(executor.onFanoutProgress, u"progress shown"_s);
    spans.wrap(executor.waveGate, u"wave gate shown"_s);

    // The engineer who answers every gate quickly: confirm, then each next wave. Not at once: a
    // stall of the click's own would run into the stall of showing the gate and hide both.
    qint64 confirmedNs = -1;
    std::function<void()> pressNow;
    pressNow = [&] {
        for (const QString &name : {u"gateConfirm"_s, u"waveContinue"_s}) {
            auto *button = panel->findChild<QPushButton *>(name);
            // A fan-out's gate enables Confirm once its requests are built: look again then.
            if (button && button->isVisible() && !button->isEnabled()) {
                QTimer::singleShot(options.reactionMs, &app, [&] { pressNow(); });
                return;
            }
            if (button && button->isVisible() && button->isEnabled()) {
                const bool confirm = name == u"gateConfirm";
                if (confirm && confirmedNs < 0)
                    confirmedNs = clock.nsecsElapsed();
                spans.time(confirm ? u"confirm click"_s : u"next wave click"_s,
                           [button] { button->click(); });
                return;
            }
        }
    };
    const auto pressOffered = [&] {
        QTimer::singleShot(options.reactionMs, &app, [&] { pressNow(); });
    };
    const auto finish = [&](int code) {
        busy.stop();
        idle.stop();
        const qint64 totalNs = (endedNs < 0 ? clock.nsecsElapsed() : endedNs) - startedNs;
        say(u"outcome: %1"_s.arg(outcome.isEmpty() ? u"none (timed out)"_s : outcome));
        say(u"total: %1 s (the incident started to its end)"_s.arg(seconds(totalNs)));
        say(u"probe: every %1 ms, %2 ticks"_s.arg(options.intervalMs).arg(busy.ticks().size()));
        say(u"longest stall: %1 ms"_s.arg(ms(busy.longestNs())));
        say(u"p99 stall: %1 ms"_s.arg(ms(busy.percentileNs(99))));
        qint64 sendingNs = 0;
        for (const StallProbe::Stall &s : busy.ticks()) {
            if (confirmedNs >= 0 && s.startNs + s.lateNs > confirmedNs)
                sendingNs = std::max(sendingNs, s.lateNs);
        }
        say(u"longest stall from the confirmation on: %1 ms"_s.arg(ms(sendingNs)));
        say(u"idle reference (the same window, no incident, %1 s): longest %2 ms, p99 %3 ms"_s.arg(
            seconds(totalNs), ms(idle.longestNs()), ms(idle.percentileNs(99))));
        say(u"longest stalls (at, since the start; how late; what was under way):"_s);
        for (const StallProbe::Stall &s : busy.worst(8)) {
            say(u"  +%1 s  %2 ms: %3"_s.arg(seconds(s.startNs - startedNs), ms(s.lateNs),
                                            during(spans, s.startNs, s.startNs + s.lateNs)));
        }
        printSpans(spans);
        say(u"RESULT endpoints=%1 total_s=%2 longest_ms=%3 p99_ms=%4 sending_longest_ms=%5 "
            "idle_longest_ms=%6 idle_p99_ms=%7 outcome=%8"_s.arg(options.endpoints)
                .arg(seconds(totalNs), ms(busy.longestNs()), ms(busy.percentileNs(99)),
                     ms(sendingNs), ms(idle.longestNs()), ms(idle.percentileNs(99)),
                     outcome.isEmpty() ? u"none"_s : outcome));
        QCoreApplication::exit(code);
    };
    const auto checkEnded = [&] {
        const Session *session = driver->session();
        if (endedNs >= 0 || !session || session->waiting() != Session::Waiting::Ended)
            return;
        endedNs = clock.nsecsElapsed();
        busy.stop();
        outcome = session->outcome() ? toString(*session->outcome()) : u"?"_s;
        // The reference: as long again, the window idle.
        idle.start();
        QTimer::singleShot(int(std::max<qint64>(1, (endedNs - startedNs) / 1000000)), &app,
                           [&, finish] { finish(outcome == u"mitigated" ? 0 : 1); });
    };
    QObject::connect(driver, &IncidentDriver::stateChanged, &app, pressOffered,
                     Qt::QueuedConnection);
    QObject::connect(driver, &IncidentDriver::waveGateReached, &app, pressOffered,
                     Qt::QueuedConnection);
    QObject::connect(driver, &IncidentDriver::stateChanged, &app, checkEnded, Qt::QueuedConnection);
    pressOffered(); // the action gate shows already
    QTimer::singleShot(options.timeoutS * 1000, &app, [&] {
        if (endedNs < 0) {
            say(u"error: the incident did not end within %1 s"_s.arg(options.timeoutS));
            finish(1);
        }
    });
    return QApplication::exec();
}
