#include "app/shared/incident_driver.h"
#include "engine/journal/journal_reader.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace runlane;
using namespace Qt::StringLiterals;

// The desktop walk's driver against runlane-fleetsim: a probe, a task, an action, a fan-out in
// waves and a decision, every move by API as the window makes it, with the event loop never held
// longer than a timer probe allows, and the journal complete afterwards.
class TestIncidentDriver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void walksTheDrillWithoutHoldingTheLoop();

private:
    std::unique_ptr<FleetSimProcess> m_sim;
};

void TestIncidentDriver::initTestCase()
{
    m_sim = std::make_unique<FleetSimProcess>(
        QStringList{u"--nodes"_s, u"10"_s, u"--latency"_s, u"30"_s});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
}

void TestIncidentDriver::walksTheDrillWithoutHoldingTheLoop()
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/tests/crash/data/rollback-drill.yaml"));
    QVERIFY(loaded.ok());
    const QString base = u"http://127.0.0.1:%1"_s.arg(m_sim->port());
    const ResolvedTargets targets =
        resolveTargets(*loaded.playbook, [base](const QString &name) -> std::optional<QString> {
            if (name == u"FLEET_URL")
                return base;
            if (name == u"FLEET_TOKEN")
                return u"drill-token-0123"_s;
            return std::nullopt;
        });
    QVERIFY(targets.problems.isEmpty());
    QJsonArray nodes;
    for (int i = 0; i < 10; ++i)
        nodes.append(u"%1/nodes/%2"_s.arg(base).arg(i));
    const auto inputs = checkInputs(*loaded.playbook, QJsonObject{{u"nodes"_s, nodes}});
    QVERIFY(std::holds_alternative<QJsonObject>(inputs));

    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    IncidentDriver driver(recorder, targets);
    QList<Event> shown;
    connect(&driver, &IncidentDriver::eventRecorded, this,
            [&shown](const Event &e) { shown.append(e); });
    int gates = 0;
    connect(&driver, &IncidentDriver::waveGateReached, this, [&driver, &gates] {
        ++gates;
        QTimer::singleShot(10, &driver, [&driver] { driver.continueWaves(true); });
    });

    // A probe of the loop: the longest gap between 5 ms timer ticks while the walk runs.
    qint64 longestStall = 0;
    QElapsedTimer sinceTick;
    sinceTick.start();
    QTimer probe;
    connect(&probe, &QTimer::timeout, this,
            [&] { longestStall = std::max(longestStall, sinceTick.restart()); });
    probe.start(5);

    const auto waitFor = [&driver](Session::Waiting state) {
        QTRY_COMPARE_WITH_TIMEOUT(toString(driver.session()->waiting()), toString(state), 20000);
    };
    driver.start(loaded.playbook, std::get<QJsonObject>(inputs), u"alice"_s, false, true);
    QVERIFY(driver.isWorking()); // the probe is out; start() did not wait for it
    waitFor(Session::Waiting::Task);
    QVERIFY(!driver.completeTask({Session::Mark::Ticked, Session::Mark::Ticked}));
    waitFor(Session::Waiting::Confirm);
    QCOMPARE(driver.session()->current()->id.value, u"canary"_s);
    QVERIFY(!driver.confirmAction());
    QVERIFY(driver.isWorking());
    QVERIFY(driver.decide(u"Yes"_s).has_value()); // not now: the action is out
    waitFor(Session::Waiting::Confirm);
    QCOMPARE(driver.session()->current()->id.value, u"fleet-wide"_s);
    QVERIFY(!driver.confirmAction());
    waitFor(Session::Waiting::Decision);
    QCOMPARE(gates, 2); // waves of 1, 4 and 5 nodes: two gates between them
    driver.addNote(u"Error rates back under 0.5 %"_s);
    QVERIFY(!driver.decide(u"Yes"_s));
    waitFor(Session::Waiting::Ended);
    probe.stop();
    QCOMPARE(toString(*driver.session()->outcome()), u"mitigated"_s);
    QVERIFY2(longestStall < 200, qPrintable(QString::number(longestStall)));
    qInfo().noquote() << u"longest event-loop stall during the walk: %1 ms"_s.arg(longestStall);

    // Everything shown is in the journal, in the same order; the incident ended there too.
    auto read = readIncident(recorder.database(), driver.session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QCOMPARE(j.events.size(), shown.size());
    for (qsizetype i = 0; i < shown.size(); ++i)
        QCOMPARE(toString(j.events[i].kind), toString(shown[i].kind));
    QCOMPARE(j.incident.status, u"ended"_s);
    QCOMPARE(j.incident.outcome, u"mitigated"_s);
    QVERIFY(j.incident.drill);
    QCOMPARE(j.attempts.size(), 11); // the canary and ten nodes
    for (const ActionAttempt &a : j.attempts)
        QCOMPARE(a.status, 200);
}

QTEST_GUILESS_MAIN(TestIncidentDriver)
#include "tst_incident_driver.moc"
