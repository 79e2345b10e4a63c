#include "app/shared/incident_driver.h"
#include "drill_fixture.h"
#include "engine/journal/journal_reader.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
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
    void resumesWhereTheWindowClosed();
    void unknownOutcomeWaitsForTheEngineer();

private:
    QJsonArray simRequests();

    std::unique_ptr<FleetSimProcess> m_sim;
    HttpClient m_http;
};

QJsonArray TestIncidentDriver::simRequests()
{
    return m_http.send("GET", m_sim->url(u"/_sim/requests"_s)).json().array();
}

namespace {

bool waitUntil(const IncidentDriver &driver, Session::Waiting state, const QString &step)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000) {
        if (driver.session() && driver.session()->waiting() == state &&
            (step.isEmpty() ||
             (driver.session()->current() && driver.session()->current()->id.value == step)))
            return true;
        QTest::qWait(10);
    }
    return false;
}

} // namespace

void TestIncidentDriver::initTestCase()
{
    m_sim = std::make_unique<FleetSimProcess>(
        QStringList{u"--nodes"_s, u"10"_s, u"--latency"_s, u"30"_s});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
}

void TestIncidentDriver::walksTheDrillWithoutHoldingTheLoop()
{
    m_http.send("POST", m_sim->url(u"/_sim/reset"_s));
    const Drill d = Drill::aimedAt(m_sim->port(), 10, u"drill-token-0123"_s);
    QVERIFY(d.playbook && d.targets.problems.isEmpty() && !d.inputs.isEmpty());
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    IncidentDriver driver(recorder, d.targets);
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
    driver.start(d.playbook, d.inputs, u"alice"_s, false, true);
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

// The window closed while the canary's action waited at its gate: a new driver resumes it from
// the journal and the walk goes on to its end, each step entered once.
void TestIncidentDriver::resumesWhereTheWindowClosed()
{
    m_http.send("POST", m_sim->url(u"/_sim/reset"_s));
    const Drill d = Drill::aimedAt(m_sim->port(), 10, u"drill-token-0123"_s);
    QVERIFY(d.playbook && d.targets.problems.isEmpty() && !d.inputs.isEmpty());
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    QString id;
    {
        IncidentDriver first(recorder, d.targets);
        first.start(d.playbook, d.inputs, u"alice"_s, false, false);
        QVERIFY(waitUntil(first, Session::Waiting::Task, {}));
        QVERIFY(!first.completeTask({Session::Mark::Ticked, Session::Mark::Skipped}));
        QVERIFY(waitUntil(first, Session::Waiting::Confirm, u"canary"_s));
        id = first.session()->incidentId();
    }
    auto read = readIncident(recorder.database(), id);
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal earlier = std::get<IncidentJournal>(read);
    const LoadResult snapshot =
        loadPlaybookText(earlier.incident.playbookText.toUtf8(), u"snapshot"_s);
    QVERIFY(snapshot.ok());
    IncidentDriver second(recorder, d.targets);
    connect(&second, &IncidentDriver::waveGateReached, this, [&second] {
        QTimer::singleShot(0, &second, [&second] { second.continueWaves(true); });
    });
    const auto error = second.resume(earlier, snapshot.playbook, u"bob"_s);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(toString(second.session()->waiting()), u"confirm"_s);
    QCOMPARE(second.session()->current()->id.value, u"canary"_s);
    QVERIFY(!second.confirmAction());
    QVERIFY(waitUntil(second, Session::Waiting::Confirm, u"fleet-wide"_s));
    QVERIFY(!second.confirmAction());
    QVERIFY(waitUntil(second, Session::Waiting::Decision, {}));
    QVERIFY(!second.decide(u"Yes"_s));
    QCOMPARE(toString(second.session()->waiting()), u"ended"_s);

    auto after = readIncident(recorder.database(), id);
    QVERIFY(std::holds_alternative<IncidentJournal>(after));
    const IncidentJournal &j = std::get<IncidentJournal>(after);
    QCOMPARE(j.incident.outcome, u"mitigated"_s);
    QStringList entered;
    bool resumedNoted = false;
    for (const Event &e : j.events) {
        if (e.kind == EventKind::StepEntered)
            entered.append(e.stepId);
        resumedNoted = resumedNoted || e.text.startsWith(u"Resumed by bob"_s);
    }
    QCOMPARE(entered, (QStringList{u"healthy"_s, u"triage"_s, u"canary"_s, u"fleet-wide"_s,
                                   u"confirm"_s, u"done"_s}));
    QVERIFY(resumedNoted);
    QCOMPARE(j.attempts.size(), 11);
}

// The process died after the canary's request went out and before its result was written: the
// resumed walk holds that action, sends nothing, and shows the request; re-sent, it goes out under
// its same key (fleetsim answers it as a replay) and the walk goes on.
void TestIncidentDriver::unknownOutcomeWaitsForTheEngineer()
{
    m_http.send("POST", m_sim->url(u"/_sim/reset"_s));
    const Drill d = Drill::aimedAt(m_sim->port(), 10, u"drill-token-0123"_s);
    QVERIFY(d.playbook);
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    QString id;
    {
        IncidentDriver first(recorder, d.targets);
        first.start(d.playbook, d.inputs, u"alice"_s, false, false);
        QVERIFY(waitUntil(first, Session::Waiting::Task, {}));
        QVERIFY(!first.completeTask({Session::Mark::Ticked, Session::Mark::Ticked}));
        QVERIFY(waitUntil(first, Session::Waiting::Confirm, u"canary"_s));
        QVERIFY(!first.confirmAction());
        QVERIFY(waitUntil(first, Session::Waiting::Confirm, u"fleet-wide"_s));
        id = first.session()->incidentId();
    }
    // As a kill between the request and its result leaves the journal.
    {
        QSqlQuery q(recorder.database().db());
        QVERIFY(q.exec(u"SELECT max(seq) FROM events WHERE incident_id = '%1' AND step = 'canary' "
                       "AND kind = 'work-requested'"_s.arg(id)) &&
                q.next());
        const qint64 requested = q.value(0).toLongLong();
        q.finish();
        for (const QString &sql :
             {u"DROP TRIGGER events_no_delete"_s,
              u"DELETE FROM events WHERE seq > %1"_s.arg(requested),
              u"UPDATE action_attempts SET result_at = NULL, status = NULL"_s}) {
            QSqlQuery change(recorder.database().db());
            QVERIFY2(change.exec(sql), qPrintable(change.lastError().text()));
        }
    }
    m_http.send("DELETE", m_sim->url(u"/_sim/requests"_s)); // the log only: kept answers stay

    auto read = readIncident(recorder.database(), id);
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    IncidentDriver second(recorder, d.targets);
    const auto error = second.resume(std::get<IncidentJournal>(read), d.playbook, u"bob"_s);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(toString(second.session()->waiting()), u"work"_s);
    QCOMPARE(second.unknownOutcomes().size(), 1);
    QCOMPARE(second.unknownOutcomes().constFirst().idempotencyKey, id + u"/canary/1/0"_s);
    QVERIFY(!second.isWorking());
    QTest::qWait(200);
    QCOMPARE(simRequests().size(), 0); // held: nothing sent before the engineer says so

    second.resendUnknown();
    QVERIFY(waitUntil(second, Session::Waiting::Confirm, u"fleet-wide"_s));
    const QJsonArray seen = simRequests();
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.at(0).toObject().value(u"replayed"_s).toBool(), true);
}

QTEST_GUILESS_MAIN(TestIncidentDriver)
#include "tst_incident_driver.moc"
