#include "app/desktop/drill_fleet.h"
#include "app/shared/incident_driver.h"
#include "engine/journal/journal_reader.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The drill's local fleet: runlane-fleetsim and Debian's Prometheus started and stopped by the
// app, every target of the shipped playbooks aimed at them, and a shipped playbook's drill walked
// against them through the window's incident driver.
class TestDrillFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void targetsAreLoopbackAndAnswer_data();
    void targetsAreLoopbackAndAnswer();
    void aimingRule_data();
    void aimingRule();
    void prometheusScrapesTheSimulator();
    void firstCheckOfEveryShippedPlaybook_data();
    void firstCheckOfEveryShippedPlaybook();
    void drillOfAShippedPlaybook();
    void drillWithoutPrometheus();
    void prometheusNotInstalled();
    void startFailures_data();
    void startFailures();
    void simulatorDiesDuringTheDrill();
    void stopEndsProcessesAndClosesPorts();

private:
    QJsonArray prometheusQuery(const QString &promql);

    DrillFleet m_fleet;
    QStringList m_progress;
    bool m_hasPrometheus = false;
    HttpClient m_http;
};

namespace {

PlaybookPtr load(const QString &path)
{
    const LoadResult loaded = loadPlaybookFile(path);
    return loaded.ok() ? loaded.playbook : nullptr;
}

QString shipped(const QString &name)
{
    return QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/") + name;
}

// Waits (bounded) for ready() or failed(); the failure's text when it failed.
std::optional<QString> waitForStart(DrillFleet &fleet, int timeoutMs = 90000)
{
    QSignalSpy ready(&fleet, &DrillFleet::ready);
    QSignalSpy failed(&fleet, &DrillFleet::failed);
    QElapsedTimer clock;
    clock.start();
    while (ready.isEmpty() && failed.isEmpty() && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    if (!failed.isEmpty())
        return failed.constFirst().constFirst().toString();
    if (ready.isEmpty())
        return u"neither ready() nor failed() within %1 ms"_s.arg(timeoutMs);
    return std::nullopt;
}

bool processGone(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == -1 && errno == ESRCH;
}

bool portClosed(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return !socket.waitForConnected(2000);
}

bool waitUntil(const IncidentDriver &driver, Session::Waiting state, const QString &step)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000) {
        const Session *s = driver.session();
        if (s && s->waiting() == state &&
            (step.isEmpty() || (s->current() && s->current()->id.value == step)))
            return true;
        QTest::qWait(10);
    }
    return false;
}

const Event *resultOf(const QList<Event> &events, const QString &step)
{
    for (const Event &e : events) {
        if (e.kind == EventKind::WorkResult && e.stepId == step)
            return &e;
    }
    return nullptr;
}

QJsonObject headersOf(const QJsonObject &request)
{
    QJsonObject lower;
    const QJsonObject headers = request.value(u"headers"_s).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        lower.insert(it.key().toLower(), it.value());
    return lower;
}

void writeScript(const QString &path, const QByteArray &text, bool executable)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    if (executable)
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
}

} // namespace

QJsonArray TestDrillFleet::prometheusQuery(const QString &promql)
{
    QUrl url(m_fleet.prometheusUrl() + u"/api/v1/query"_s);
    url.setQuery(u"query="_s + QString::fromLatin1(QUrl::toPercentEncoding(promql)));
    return m_http.send("GET", url)
        .json()
        .object()
        .value(u"data"_s)
        .toObject()
        .value(u"result"_s)
        .toArray();
}

void TestDrillFleet::initTestCase()
{
    m_hasPrometheus = !QStandardPaths::findExecutable(u"prometheus"_s).isEmpty();
    m_fleet.setFleetSimExecutable(QStringLiteral(FLEETSIM_EXECUTABLE));
    connect(&m_fleet, &DrillFleet::progress, this,
            [this](const QString &text) { m_progress.append(text); });
    const PlaybookPtr playbook = load(shipped(u"canary-drift-rollback.yaml"_s));
    QVERIFY(playbook);
    QElapsedTimer clock;
    clock.start();
    m_fleet.start(*playbook);
    QVERIFY(m_fleet.isStarting());
    const auto error = waitForStart(m_fleet);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    qInfo().noquote() << u"fleet%1 ready in %2 ms"_s
                             .arg(m_hasPrometheus ? u" and Prometheus"_s : QString())
                             .arg(clock.elapsed());
    QVERIFY(m_fleet.isRunning());
    QCOMPARE(m_progress.value(0), u"Starting the simulated fleet…"_s);
    if (m_hasPrometheus) {
        QCOMPARE(m_progress.value(1), u"Starting Prometheus…"_s);
        QVERIFY(!m_fleet.prometheusUrl().isEmpty());
        QCOMPARE(m_fleet.processIds().size(), 2);
    }
}

void TestDrillFleet::targetsAreLoopbackAndAnswer_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("target");
    const QDir dir(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    for (const QString &name : dir.entryList({u"*.yaml"_s}, QDir::Files, QDir::Name)) {
        if (name.endsWith(u".test.yaml"_s))
            continue;
        const PlaybookPtr playbook = load(dir.filePath(name));
        QVERIFY2(playbook, qPrintable(name));
        for (const Target &t : playbook->targets) {
            const QString tag = name.chopped(5) + u'/' + t.name.value;
            QTest::newRow(qPrintable(tag)) << dir.filePath(name) << t.name.value;
        }
    }
}

// Every target of every shipped playbook points at 127.0.0.1 and reaches an API that answers
// as its kind does. The simulator has no Alertmanager and no site-specific HTTP APIs (a fleet
// API, a feature store, an edge gateway, a data pipeline): those targets reach it and get 404.
void TestDrillFleet::targetsAreLoopbackAndAnswer()
{
    QFETCH(QString, file);
    QFETCH(QString, target);
    const PlaybookPtr playbook = load(file);
    QVERIFY(playbook);
    const ResolvedTargets resolved = m_fleet.targets(*playbook);
    QVERIFY2(resolved.problems.isEmpty(), qPrintable(resolved.problems.join(u'\n')));
    QVERIFY(resolved.byName.contains(target));
    const ResolvedTarget t = resolved.byName.value(target);
    const QUrl url(t.url);
    QCOMPARE(url.scheme(), u"http"_s);
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    const bool toPrometheus = t.kind == TargetKind::Prometheus && m_hasPrometheus;
    QCOMPARE(t.url.startsWith(toPrometheus ? m_fleet.prometheusUrl() : m_fleet.fleetUrl()), true);
    if (t.authKind == Auth::Kind::Bearer)
        QCOMPARE(t.bearer, DrillFleet::drillToken());
    if (t.authKind == Auth::Kind::Header)
        QCOMPARE(t.headerValue, DrillFleet::drillToken());

    const QByteArray json = "application/json";
    HttpAnswer answer;
    int expected = 404;
    switch (t.kind) {
    case TargetKind::Prometheus:
        answer = m_http.send("GET", QUrl(t.url + (toPrometheus ? u"/-/ready"_s : u"/"_s)));
        expected = toPrometheus ? 200 : 404;
        break;
    case TargetKind::Torchserve:
        answer = m_http.send("GET", QUrl(t.url + u"/models"_s));
        expected = 200;
        break;
    case TargetKind::Triton:
        answer = m_http.send("GET", QUrl(t.url + u"/v2/health/ready"_s));
        expected = 200;
        break;
    case TargetKind::Kubernetes:
        answer = m_http.send("GET", QUrl(t.url + u"/readyz"_s));
        expected = 200;
        break;
    case TargetKind::Pagerduty: {
        // The routing key is the drill token: 32 characters, as the Events API wants.
        const QJsonObject event{{u"routing_key"_s, t.routingKey},
                                {u"event_action"_s, u"trigger"_s},
                                {u"payload"_s, QJsonObject{{u"summary"_s, u"drill fleet check"_s},
                                                           {u"source"_s, u"runlane"_s},
                                                           {u"severity"_s, u"info"_s}}}};
        answer = m_http.send("POST", QUrl(t.url + u"/v2/enqueue"_s), QJsonDocument(event).toJson(),
                             {{"Content-Type", json}});
        expected = 202;
        break;
    }
    case TargetKind::Slack:
        answer = m_http.send("POST", QUrl(t.url), "{\"text\": \"drill fleet check\"}",
                             {{"Content-Type", json}});
        expected = 200;
        break;
    case TargetKind::Alertmanager:
    case TargetKind::Http:
        answer = m_http.send("GET", QUrl(t.url + u"/"_s));
        break;
    }
    QVERIFY2(answer.status == expected,
             qPrintable(u"%1 answered %2: %3"_s.arg(t.url)
                            .arg(answer.status)
                            .arg(QString::fromUtf8(answer.body.left(300)))));
}

void TestDrillFleet::aimingRule_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected"); // {fleet}: the simulator, {prometheus}: its Prometheus

    QTest::newRow("variable") << u"torchserve"_s << u"${env:FLEET_URL}"_s << u"{fleet}"_s;
    QTest::newRow("path after the variable")
        << u"torchserve"_s << u"${env:FLEET_URL}/nodes/3"_s << u"{fleet}/nodes/3"_s;
    QTest::newRow("default's path") << u"slack"_s
                                    << u"${env:SLACK_WEBHOOK_URL:-http://127.0.0.1:9096/services/"
                                       "runlane-sim}"_s
                                    << u"{fleet}/services/runlane-sim"_s;
    QTest::newRow("webhook without a path")
        << u"slack"_s << u"${env:SLACK_WEBHOOK_URL}"_s << u"{fleet}/services/runlane-sim"_s;
    QTest::newRow("real webhook") << u"slack"_s << u"https://hooks.slack.com/services/T0/B0/X0"_s
                                  << u"{fleet}/services/T0/B0/X0"_s;
    QTest::newRow("remote cluster")
        << u"kubernetes"_s << u"https://k8s.example.com:6443/"_s << u"{fleet}"_s;
    QTest::newRow("query kept") << u"http"_s << u"${env:API:-http://10.1.2.3:8080/v1?region=eu}"_s
                                << u"{fleet}/v1?region=eu"_s;
    QTest::newRow("prometheus behind a prefix")
        << u"prometheus"_s << u"https://prom.example.com/prometheus"_s << u"{prometheus}"_s;
    QTest::newRow("prometheus variable")
        << u"prometheus"_s << u"${env:PROMETHEUS_URL:-http://127.0.0.1:9090}"_s
        << u"{prometheus}"_s;
}

// How a target's written url turns into the drill's: documented at DrillFleet::aimedUrl.
void TestDrillFleet::aimingRule()
{
    QFETCH(QString, kind);
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const QString text =
        u"runlane: 1\n"
        "id: aim\n"
        "title: Aim\n"
        "targets:\n"
        "  t:\n"
        "    kind: %1\n"
        "    url: \"%2\"\n"
        "    auth: {bearer: \"${env:SOME_TOKEN}\"}\n"
        "start: done\n"
        "steps:\n"
        "  - {id: done, type: end, title: Done, outcome: mitigated}\n"_s.arg(kind, url);
    const LoadResult loaded = loadPlaybookText(text.toUtf8(), u"aim.yaml"_s);
    QVERIFY(loaded.playbook);
    const ResolvedTargets resolved = m_fleet.targets(*loaded.playbook);
    QVERIFY2(resolved.problems.isEmpty(), qPrintable(resolved.problems.join(u'\n')));
    const QString prometheus =
        m_fleet.prometheusUrl().isEmpty() ? m_fleet.fleetUrl() : m_fleet.prometheusUrl();
    expected.replace(u"{fleet}"_s, m_fleet.fleetUrl()).replace(u"{prometheus}"_s, prometheus);
    QCOMPARE(resolved.byName.value(u"t"_s).url, expected);
    QCOMPARE(resolved.byName.value(u"t"_s).bearer, DrillFleet::drillToken());
}

// The local Prometheus has scraped the simulator by ready(): its own target, the simulator's
// series, and the labels the simulator stands in for other jobs with.
void TestDrillFleet::prometheusScrapesTheSimulator()
{
    if (!m_hasPrometheus)
        QSKIP("Debian's prometheus is not installed (./dev test installs it)");
    const QString target = u"127.0.0.1:%1"_s.arg(QUrl(m_fleet.fleetUrl()).port());
    const QJsonArray up = prometheusQuery(u"up{job=\"runlane-drill\"}"_s);
    QCOMPARE(up.size(), 1);
    const QJsonObject series = up.at(0).toObject();
    QCOMPARE(series.value(u"metric"_s).toObject().value(u"instance"_s).toString(), target);
    QCOMPARE(series.value(u"value"_s).toArray().at(1).toString(), u"1"_s);

    const QJsonArray psi = prometheusQuery(
        u"max(model_input_psi{namespace=\"edge-serving\", model=\"ranker\", track=\"canary\"})"_s);
    QCOMPARE(psi.size(), 1);
    QCOMPARE(psi.at(0).toObject().value(u"value"_s).toArray().at(1).toString(), u"0.41"_s);
    // honor_labels: the simulator's up{job="apiserver"} keeps its job.
    QCOMPARE(prometheusQuery(u"up{job=\"apiserver\"}"_s).size(), 3);
}

void TestDrillFleet::firstCheckOfEveryShippedPlaybook_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonObject>("inputs");
    QTest::addColumn<QString>("result"); // a pattern for the result as the timeline shows it

    const QJsonArray rollouts{u"ranker"_s, u"shelf-detector"_s, u"ocr"_s, u"fall-detect"_s};
    const QJsonArray nodes{u"edge-fra-01"_s, u"edge-fra-02"_s};
    QTest::newRow("argo-analysis-failed")
        << u"argo-analysis-failed.yaml"_s << QJsonObject{{u"rollout"_s, u"ranker"_s}}
        << u"^HTTP 200$"_s;
    QTest::newRow("canary-drift-rollback")
        << u"canary-drift-rollback.yaml"_s << QJsonObject{{u"model"_s, u"ranker"_s}}
        << u"^value 0\\.41$"_s;
    // The simulator's up{job="apiserver"} series: eu-central-1's API servers are down.
    QTest::newRow("control-plane-region-outage")
        << u"control-plane-region-outage.yaml"_s
        << QJsonObject{{u"region"_s, u"eu-central-1"_s},
                       {u"failover_region"_s, u"eu-west-1"_s},
                       {u"rollouts"_s, rollouts}}
        << u"^value 0$"_s;
    // The simulator exports no model_ood_inputs_total / model_inputs_total.
    QTest::newRow("device-cohort-ood-input")
        << u"device-cohort-ood-input.yaml"_s
        << QJsonObject{{u"cohort"_s, u"cam-b-fw-4-2"_s}, {u"model"_s, u"shelf-detector"_s}}
        << u"^no data"_s;
    QTest::newRow("edge-p99-latency-breach") << u"edge-p99-latency-breach.yaml"_s
                                             << QJsonObject{{u"node"_s, u"edge-fra-07"_s},
                                                            {u"model"_s, u"ranker"_s},
                                                            {u"cold_model"_s, u"ocr-legacy"_s}}
                                             << u"^value \\d"_s;
    // The simulator exports no feature_store_read_duration_seconds.
    QTest::newRow("feature-store-latency-budget")
        << u"feature-store-latency-budget.yaml"_s
        << QJsonObject{{u"feature_view"_s, u"shopper_context"_s}, {u"nodes"_s, nodes}}
        << u"^no data"_s;
    QTest::newRow("torchserve-crash-loop")
        << u"torchserve-crash-loop.yaml"_s
        << QJsonObject{{u"node"_s, u"edge-fra-07"_s},
                       {u"model"_s, u"ranker"_s},
                       {u"bad_version"_s, u"3.2"_s},
                       {u"previous_version"_s, u"3.1"_s}}
        << u"^value ([3-9]|[1-9]\\d)"_s; // three restarts: a loop
    QTest::newRow("triton-model-not-ready")
        << u"triton-model-not-ready.yaml"_s
        << QJsonObject{{u"node"_s, u"edge-fra-07"_s}, {u"model"_s, u"yolo_shelf"_s}}
        << u"^HTTP 200$"_s;
}

// Each shipped playbook started as a drill: its first automated check gets its answer from the
// drill fleet. Two read metrics the simulator does not have, and get no data.
void TestDrillFleet::firstCheckOfEveryShippedPlaybook()
{
    if (!m_hasPrometheus)
        QSKIP("Debian's prometheus is not installed (./dev test installs it)");
    QFETCH(QString, file);
    QFETCH(QJsonObject, inputs);
    QFETCH(QString, result);
    const PlaybookPtr playbook = load(shipped(file));
    QVERIFY(playbook);
    const auto checked = checkInputs(*playbook, inputs);
    QVERIFY(std::holds_alternative<QJsonObject>(checked));
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    IncidentDriver driver(recorder, m_fleet.targets(*playbook));
    QList<Event> events;
    connect(&driver, &IncidentDriver::eventRecorded, this,
            [&events](const Event &e) { events.append(e); });
    driver.start(playbook, std::get<QJsonObject>(checked), u"alice"_s, false, true);
    const QString first = playbook->start.value;
    QTRY_VERIFY_WITH_TIMEOUT(resultOf(events, first), 30000);
    const QString text = resultOf(events, first)->text;
    qInfo().noquote() << first << u"→"_s << text;
    QVERIFY2(QRegularExpression(result).match(text).hasMatch(), qPrintable(text));
    driver.abort(u"drill over"_s);
}

// canary-drift-rollback walked as a drill through the window's driver: both Prometheus checks
// read the simulator's metrics, and the first action demotes the canary on the simulator.
void TestDrillFleet::drillOfAShippedPlaybook()
{
    if (!m_hasPrometheus)
        QSKIP("Debian's prometheus is not installed (./dev test installs it)");
    const PlaybookPtr playbook = load(shipped(u"canary-drift-rollback.yaml"_s));
    QVERIFY(playbook);
    const auto inputs = checkInputs(*playbook, QJsonObject{{u"model"_s, u"ranker"_s}});
    QVERIFY(std::holds_alternative<QJsonObject>(inputs));
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    const ResolvedTargets targets = m_fleet.targets(*playbook);
    QVERIFY(targets.problems.isEmpty());
    IncidentDriver driver(recorder, targets);
    QList<Event> events;
    connect(&driver, &IncidentDriver::eventRecorded, this,
            [&events](const Event &e) { events.append(e); });

    QElapsedTimer clock;
    clock.start();
    driver.start(playbook, std::get<QJsonObject>(inputs), u"alice"_s, false, true);
    QVERIFY(waitUntil(driver, Session::Waiting::Confirm, u"demote-canary"_s));
    QCOMPARE(driver.session()->path(),
             (QStringList{u"check-drift"_s, u"check-stable-drift"_s, u"demote-canary"_s}));
    const Event *drift = resultOf(events, u"check-drift"_s);
    QVERIFY(drift);
    QCOMPARE(drift->details.value(u"value"_s).toDouble(), 0.41);
    const Event *stable = resultOf(events, u"check-stable-drift"_s);
    QVERIFY(stable);
    QCOMPARE(stable->details.value(u"value"_s).toDouble(), 0.04);

    QVERIFY(!driver.confirmAction());
    QVERIFY(waitUntil(driver, Session::Waiting::Wait, u"verify-drained"_s));
    qInfo().noquote() << u"two checks and an action in %1 ms"_s.arg(clock.elapsed());
    driver.abort(u"drill over"_s);
    QCOMPARE(toString(driver.session()->waiting()), u"ended"_s);

    auto read = readIncident(recorder.database(), driver.session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QVERIFY(j.incident.drill);
    QCOMPARE(j.attempts.size(), 1);
    QCOMPARE(j.attempts.constFirst().status, 200);
    QVERIFY(j.attempts.constFirst().requestLine.startsWith(
        u"PATCH %1/apis/serving.kserve.io/v1beta1/namespaces/edge-serving/inferenceservices/"
        "ranker"_s.arg(m_fleet.fleetUrl())));

    // The simulator saw it with the drill token, and the canary gets no traffic any more.
    const QJsonArray requests =
        m_http.send("GET", QUrl(m_fleet.fleetUrl() + u"/_sim/requests"_s)).json().array();
    QJsonObject patch;
    for (const QJsonValue &r : requests) {
        if (r.toObject().value(u"method"_s) == u"PATCH"_s)
            patch = r.toObject();
    }
    QCOMPARE(patch.value(u"status"_s).toInt(), 200);
    QCOMPARE(headersOf(patch).value(u"authorization"_s).toString(),
             u"Bearer "_s + DrillFleet::drillToken());
    const QJsonObject isvc =
        m_http
            .send("GET", QUrl(m_fleet.fleetUrl() + u"/apis/serving.kserve.io/v1beta1/namespaces/"
                                                   "edge-serving/inferenceservices/ranker"_s))
            .json()
            .object();
    QCOMPARE(isvc.value(u"spec"_s)
                 .toObject()
                 .value(u"predictor"_s)
                 .toObject()
                 .value(u"canaryTrafficPercent"_s)
                 .toInt(-1),
             0);
}

// A playbook without a prometheus target gets the simulator alone; its drill probes a node and
// rolls the canary back, the fan-out's endpoints being the simulator's nodes.
void TestDrillFleet::drillWithoutPrometheus()
{
    DrillFleet fleet;
    fleet.setFleetSimExecutable(QStringLiteral(FLEETSIM_EXECUTABLE));
    fleet.setNodeCount(4);
    QStringList progress;
    connect(&fleet, &DrillFleet::progress, this,
            [&progress](const QString &text) { progress.append(text); });
    const PlaybookPtr playbook =
        load(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/crash/data/rollback-drill.yaml"));
    QVERIFY(playbook);
    fleet.start(*playbook);
    const auto error = waitForStart(fleet, 30000);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(progress, QStringList{u"Starting the simulated fleet…"_s});
    QVERIFY(fleet.prometheusUrl().isEmpty());
    QCOMPARE(fleet.processIds().size(), 1);

    QJsonArray nodes;
    for (int i = 0; i < fleet.nodeCount(); ++i)
        nodes.append(fleet.nodeUrl(i));
    const auto inputs = checkInputs(*playbook, QJsonObject{{u"nodes"_s, nodes}});
    QVERIFY(std::holds_alternative<QJsonObject>(inputs));
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    IncidentDriver driver(recorder, fleet.targets(*playbook));
    QList<Event> events;
    connect(&driver, &IncidentDriver::eventRecorded, this,
            [&events](const Event &e) { events.append(e); });
    connect(&driver, &IncidentDriver::waveGateReached, this, [&driver] {
        QTimer::singleShot(0, &driver, [&driver] { driver.continueWaves(true); });
    });
    driver.start(playbook, std::get<QJsonObject>(inputs), u"alice"_s, false, true);
    QVERIFY(waitUntil(driver, Session::Waiting::Task, u"triage"_s));
    // The built-in scenario's ranker 3.2 crash-loops: /ping answers 500, so the walk goes on
    // by its else way.
    const Event *probe = resultOf(events, u"healthy"_s);
    QVERIFY(probe);
    QCOMPARE(probe->details.value(u"status"_s).toInt(), 500);
    QVERIFY(!driver.completeTask({Session::Mark::Ticked, Session::Mark::Ticked}));
    QVERIFY(waitUntil(driver, Session::Waiting::Confirm, u"canary"_s));
    QVERIFY(!driver.confirmAction());
    QVERIFY(waitUntil(driver, Session::Waiting::Confirm, u"fleet-wide"_s));
    QVERIFY(!driver.confirmAction());
    QVERIFY(waitUntil(driver, Session::Waiting::Decision, u"confirm"_s));
    QVERIFY(!driver.decide(u"Yes"_s));
    QCOMPARE(toString(*driver.session()->outcome()), u"mitigated"_s);

    auto read = readIncident(recorder.database(), driver.session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QVERIFY(j.incident.drill);
    QCOMPARE(j.attempts.size(), 1 + fleet.nodeCount());
    for (const ActionAttempt &a : j.attempts)
        QCOMPARE(a.status, 200);

    const QList<qint64> pids = fleet.processIds();
    const quint16 port = quint16(QUrl(fleet.fleetUrl()).port());
    fleet.stop();
    QVERIFY(processGone(pids.constFirst()));
    QVERIFY(portClosed(port));
}

// Without Prometheus the drill still starts; its prometheus targets reach the simulator, where
// queries fail and take their error way.
void TestDrillFleet::prometheusNotInstalled()
{
    DrillFleet fleet;
    fleet.setFleetSimExecutable(QStringLiteral(FLEETSIM_EXECUTABLE));
    fleet.setPrometheusExecutable(u"/nonexistent/prometheus"_s);
    QStringList progress;
    connect(&fleet, &DrillFleet::progress, this,
            [&progress](const QString &text) { progress.append(text); });
    const PlaybookPtr playbook = load(shipped(u"triton-model-not-ready.yaml"_s));
    QVERIFY(playbook);
    fleet.start(*playbook);
    const auto error = waitForStart(fleet, 30000);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(progress.size(), 2);
    QVERIFY2(progress.at(1).startsWith(u"Prometheus is not installed"_s),
             qPrintable(progress.at(1)));
    QVERIFY(fleet.prometheusUrl().isEmpty());
    QCOMPARE(fleet.processIds().size(), 1);
    QCOMPARE(fleet.targets(*playbook).byName.value(u"prom"_s).url, fleet.fleetUrl());
}

void TestDrillFleet::startFailures_data()
{
    QTest::addColumn<QString>("program");   // which one the script stands in for
    QTest::addColumn<QByteArray>("script"); // empty: no file at all
    QTest::addColumn<bool>("executable");
    QTest::addColumn<QString>("expected"); // {path}: the script's path

    const QString sim = u"runlane-fleetsim"_s;
    const QString prometheus = u"prometheus"_s;
    QTest::newRow("not found") << sim << QByteArray() << false
                               << u"runlane-fleetsim was not found at {path}"_s;
    QTest::newRow("not executable") << sim << QByteArray("#!/bin/sh\n") << false
                                    << u"runlane-fleetsim ({path}) did not start: "_s;
    QTest::newRow("exits at once")
        << sim << QByteArray("#!/bin/sh\necho 'no scenario' >&2\nexit 3\n") << true
        << u"runlane-fleetsim exited with status 3 before it was ready: no scenario"_s;
    QTest::newRow("prints something else")
        << sim << QByteArray("#!/bin/sh\necho hello\nexec sleep 30\n") << true
        << u"runlane-fleetsim printed \"hello\" instead of the address it listens on"_s;
    QTest::newRow("prints nothing")
        << sim << QByteArray("#!/bin/sh\nexec sleep 30\n") << true
        << u"runlane-fleetsim did not print the address it listens on within 1.5 s"_s;
    QTest::newRow("prometheus exits")
        << prometheus << QByteArray("#!/bin/sh\necho 'bad config'\nexit 1\n") << true
        << u"Prometheus exited with status 1 before it was ready: bad config"_s;
    QTest::newRow("prometheus never scrapes")
        << prometheus << QByteArray("#!/bin/sh\nexec sleep 30\n") << true
        << u"Prometheus had not scraped the simulated fleet within 1.5 s"_s;
}

// Each way the simulator or Prometheus can fail to start ends in failed() with what happened
// and where, and leaves nothing running.
void TestDrillFleet::startFailures()
{
    QFETCH(QString, program);
    QFETCH(QByteArray, script);
    QFETCH(bool, executable);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(program);
    if (!script.isEmpty())
        writeScript(path, script, executable);
    DrillFleet fleet;
    const bool isSim = program == u"runlane-fleetsim"_s;
    fleet.setFleetSimExecutable(isSim ? path : QStringLiteral(FLEETSIM_EXECUTABLE));
    if (!isSim)
        fleet.setPrometheusExecutable(path);
    fleet.setStartTimeout(std::chrono::milliseconds(1500));
    QSignalSpy ready(&fleet, &DrillFleet::ready);
    QSignalSpy failed(&fleet, &DrillFleet::failed);
    const PlaybookPtr playbook = load(shipped(u"torchserve-crash-loop.yaml"_s));
    QVERIFY(playbook);
    fleet.start(*playbook);
    QVERIFY(failed.isEmpty()); // never inside start()
    QList<qint64> pids;
    QElapsedTimer clock;
    clock.start();
    while (failed.isEmpty() && clock.elapsed() < 10000) {
        for (const qint64 pid : fleet.processIds()) {
            if (!pids.contains(pid))
                pids.append(pid);
        }
        QTest::qWait(5);
    }
    QCOMPARE(failed.size(), 1);
    const QString error = failed.constFirst().constFirst().toString();
    expected.replace(u"{path}"_s, path);
    QVERIFY2(error.startsWith(expected), qPrintable(error));
    QVERIFY(ready.isEmpty());
    QVERIFY(!fleet.isRunning() && !fleet.isStarting());
    QVERIFY(fleet.processIds().isEmpty());
    QVERIFY(fleet.fleetUrl().isEmpty());
    for (const qint64 pid : std::as_const(pids))
        QVERIFY(processGone(pid));
    QVERIFY(!fleet.targets(*playbook).problems.isEmpty());
}

// The simulator killed during a drill: stoppedUnexpectedly() says so, and nothing is left.
void TestDrillFleet::simulatorDiesDuringTheDrill()
{
    DrillFleet fleet;
    fleet.setFleetSimExecutable(QStringLiteral(FLEETSIM_EXECUTABLE));
    const PlaybookPtr playbook =
        load(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/crash/data/rollback-drill.yaml"));
    QVERIFY(playbook);
    fleet.start(*playbook);
    const auto error = waitForStart(fleet, 30000);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QSignalSpy unexpected(&fleet, &DrillFleet::stoppedUnexpectedly);
    QSignalSpy failed(&fleet, &DrillFleet::failed);
    QCOMPARE(::kill(pid_t(fleet.processIds().constFirst()), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(unexpected.size(), 1, 10000);
    QCOMPARE(unexpected.constFirst().constFirst().toString(),
             u"runlane-fleetsim crashed during the drill"_s);
    QVERIFY(failed.isEmpty());
    QVERIFY(!fleet.isRunning());
    QVERIFY(fleet.fleetUrl().isEmpty());
}

void TestDrillFleet::stopEndsProcessesAndClosesPorts()
{
    QVERIFY(m_fleet.isRunning());
    const QList<qint64> pids = m_fleet.processIds();
    QList<quint16> ports{quint16(QUrl(m_fleet.fleetUrl()).port())};
    if (m_hasPrometheus)
        ports.append(quint16(QUrl(m_fleet.prometheusUrl()).port()));
    QSignalSpy unexpected(&m_fleet, &DrillFleet::stoppedUnexpectedly);
    QElapsedTimer clock;
    clock.start();
    m_fleet.stop();
    qInfo().noquote() << u"stopped in %1 ms"_s.arg(clock.elapsed());
    QVERIFY(!m_fleet.isRunning());
    QVERIFY(m_fleet.fleetUrl().isEmpty() && m_fleet.prometheusUrl().isEmpty());
    QVERIFY(m_fleet.processIds().isEmpty());
    for (const qint64 pid : pids)
        QVERIFY2(processGone(pid), qPrintable(QString::number(pid)));
    for (const quint16 port : ports)
        QVERIFY2(portClosed(port), qPrintable(QString::number(port)));
    QTest::qWait(50);
    QVERIFY(unexpected.isEmpty());
}

QTEST_GUILESS_MAIN(TestDrillFleet)
#include "tst_drill_fleet.moc"
