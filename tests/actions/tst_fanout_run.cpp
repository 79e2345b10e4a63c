#include "actions/fanout_run.h"
#include "scripted_server.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace runlane;

// A fan-out against a loopback server: waves, the concurrency bound, the failure budget, the
// pause between waves, cancel, and results handed on in batches.
class TestFanoutRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void waveEnds_data();
    void waveEnds();
    void concurrencyIsBounded();
    void pausesBetweenWaves();
    void budgetStopsTheNextWave();
    void failuresWithinTheBudgetGoOn();
    void cancelLetsInFlightFinish();
    void resultsComeInBatches();
    void knownResultsAreNotSentAgain();
    void begunWaveGoesOnWithoutAsking();
    void intentsComeBeforeTheWave();
    void refusedIntentsSendNothing();
    void aWaveIsHandedOverInParts();

private:
    static FanoutRun::Plan plan(const ScriptedServer &server, int endpoints);
    static bool ok(const HttpResult &r) { return r.status >= 200 && r.status < 300; }
};

FanoutRun::Plan TestFanoutRun::plan(const ScriptedServer &server, int endpoints)
{
    FanoutRun::Plan p;
    for (int i = 0; i < endpoints; ++i) {
        HttpRequest r;
        r.method = "PUT";
        r.url = server.url("/nodes/" + QByteArray::number(i) + "/models/m/2/set-default");
        r.idempotencyKey = "inc/step/1/" + QByteArray::number(i);
        r.retry = {1, 0, 0};
        p.requests.append(r);
    }
    return p;
}

void TestFanoutRun::waveEnds_data()
{
    QTest::addColumn<qsizetype>("total");
    QTest::addColumn<QList<double>>("shares");
    QTest::addColumn<QList<qsizetype>>("ends");
    QTest::newRow("one wave") << qsizetype(7) << QList<double>{1.0} << QList<qsizetype>{7};
    QTest::newRow("the format page's") << qsizetype(10000) << QList<double>{0.01, 0.1, 0.5, 1.0}
                                       << QList<qsizetype>{100, 1000, 5000, 10000};
    QTest::newRow("small waves merge")
        << qsizetype(10) << QList<double>{0.01, 0.1, 0.5, 1.0} << QList<qsizetype>{1, 5, 10};
    QTest::newRow("rounded up") << qsizetype(3) << QList<double>{0.5, 1.0}
                                << QList<qsizetype>{2, 3};
    QTest::newRow("last reaches all")
        << qsizetype(4) << QList<double>{0.5} << QList<qsizetype>{2, 4};
    QTest::newRow("nothing") << qsizetype(0) << QList<double>{0.5, 1.0} << QList<qsizetype>{0};
}

void TestFanoutRun::waveEnds()
{
    QFETCH(qsizetype, total);
    QFETCH(QList<double>, shares);
    QFETCH(QList<qsizetype>, ends);
    QCOMPARE(FanoutRun::waveEnds(total, shares), ends);
}

void TestFanoutRun::concurrencyIsBounded()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        auto reply = ScriptedServer::answer(200, "{}");
        reply.delayMs = 20;
        return reply;
    });
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 60);
    p.concurrency = 4;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.wait(20000));
    const auto summary = finished.constFirst().constFirst().value<FanoutSummary>();
    QVERIFY(summary.succeeded());
    QCOMPARE(summary.progress.succeeded, 60);
    QCOMPARE(server.requests().size(), 60);
    QVERIFY2(server.mostInFlight() <= 4, qPrintable(QString::number(server.mostInFlight())));
    QVERIFY(server.mostInFlight() >= 2); // and they did overlap
}

void TestFanoutRun::pausesBetweenWaves()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 20);
    p.waves = {0.1, 0.5, 1.0};
    FanoutRun run(runner, p, ok);
    QSignalSpy paused(&run, &FanoutRun::paused);
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(paused.wait(10000));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(run.progress().wave, 0);
    QTest::qWait(100); // paused means paused: nothing more is sent
    QCOMPARE(server.requests().size(), 2);
    run.resume();
    QVERIFY(paused.wait(10000));
    QCOMPARE(server.requests().size(), 10);
    QCOMPARE(run.progress().wave, 1);
    run.resume();
    QVERIFY(finished.wait(10000));
    QCOMPARE(server.requests().size(), 20);
    QCOMPARE(paused.size(), 2);
    QVERIFY(finished.constFirst().constFirst().value<FanoutSummary>().succeeded());
}

void TestFanoutRun::budgetStopsTheNextWave()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &request, int) {
        return ScriptedServer::answer(request.target.startsWith("/nodes/3/") ? 500 : 200, "{}");
    });
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 40);
    p.waves = {0.25, 1.0};
    p.pauseBetweenWaves = false;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.wait(10000));
    const auto summary = finished.constFirst().constFirst().value<FanoutSummary>();
    QCOMPARE(summary.ending, FanoutSummary::Ending::BudgetExceeded);
    QVERIFY(!summary.succeeded());
    QCOMPARE(server.requests().size(), 10); // the second wave never started
    QCOMPARE(summary.progress.failed, 1);
    QCOMPARE(summary.firstFailures.size(), 1);
    QCOMPARE(summary.firstFailures.constFirst().index, 3);
    QCOMPARE(summary.firstFailures.constFirst().result.status, 500);
}

void TestFanoutRun::failuresWithinTheBudgetGoOn()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &request, int) {
        return ScriptedServer::answer(request.target.startsWith("/nodes/3/") ? 500 : 200, "{}");
    });
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 40);
    p.waves = {0.25, 1.0};
    p.maxFailures = 0.05; // 2 of 40
    p.pauseBetweenWaves = false;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.wait(10000));
    const auto summary = finished.constFirst().constFirst().value<FanoutSummary>();
    QCOMPARE(summary.ending, FanoutSummary::Ending::Completed);
    QCOMPARE(server.requests().size(), 40);
    QCOMPARE(summary.progress.failed, 1);
    QVERIFY(!summary.succeeded()); // an endpoint failed: the step fails, after every wave
}

void TestFanoutRun::cancelLetsInFlightFinish()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        auto reply = ScriptedServer::answer(200, "{}");
        reply.delayMs = 200;
        return reply;
    });
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 50);
    p.concurrency = 5;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    QSignalSpy batches(&run, &FanoutRun::endpointsDone);
    run.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 5, 5000);
    run.cancel();
    QVERIFY(finished.wait(5000));
    const auto summary = finished.constFirst().constFirst().value<FanoutSummary>();
    QCOMPARE(summary.ending, FanoutSummary::Ending::Cancelled);
    QCOMPARE(server.requests().size(), 5);
    QCOMPARE(summary.progress.succeeded, 5); // the five in flight finished and were counted
    qsizetype sent = 0, unsent = 0;
    for (const auto &batch : batches) {
        for (const auto &r : batch.constFirst().value<QList<FanoutEndpointResult>>())
            ++(r.sent ? sent : unsent);
    }
    QCOMPARE(sent, 5);
    QCOMPARE(unsent, 45); // handed on too, so that their recorded intents get an ending
}

void TestFanoutRun::resultsComeInBatches()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 1000);
    p.concurrency = 32;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    QSet<qsizetype> seen;
    int batchCount = 0;
    connect(&run, &FanoutRun::endpointsDone, this,
            [&seen, &batchCount](const QList<FanoutEndpointResult> &batch) {
                ++batchCount;
                for (const auto &r : batch)
                    seen.insert(r.index);
            });
    run.start();
    QVERIFY(finished.wait(30000));
    QCOMPARE(seen.size(), 1000);
    QVERIFY2(batchCount <= 20, qPrintable(QString::number(batchCount)));
    QCOMPARE(server.connections() <= 32, true); // kept alive and reused
}

// After a restart the journal's results count in their wave and are not sent again.
void TestFanoutRun::knownResultsAreNotSentAgain()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 10);
    HttpResult done;
    done.status = 200;
    HttpResult failed;
    failed.status = 500;
    for (qsizetype i : {0, 1, 2})
        p.known.insert(i, done);
    p.known.insert(3, failed);
    p.maxFailures = 0.5;
    FanoutRun run(runner, p, ok);
    QSignalSpy finished(&run, &FanoutRun::finished);
    QSignalSpy batches(&run, &FanoutRun::endpointsDone);
    run.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(server.requests().size(), 6);
    const auto summary = finished.constFirst().constFirst().value<FanoutSummary>();
    QCOMPARE(summary.progress.succeeded, 9);
    QCOMPARE(summary.progress.failed, 1);
    qsizetype reported = 0;
    for (const auto &batch : batches)
        reported += batch.constFirst().value<QList<FanoutEndpointResult>>().size();
    QCOMPARE(reported, 6); // the journal has the other four already
}

// A wave that had begun before a restart was confirmed then: no second pause before it.
void TestFanoutRun::begunWaveGoesOnWithoutAsking()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 20);
    p.waves = {0.1, 0.5, 1.0};
    HttpResult done;
    done.status = 200;
    p.known.insert(0, done);
    p.known.insert(1, done);
    p.begun.insert(2); // wave 2 had begun: its intent of endpoint 2 is in the journal
    FanoutRun run(runner, p, ok);
    QSignalSpy paused(&run, &FanoutRun::paused);
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(paused.wait(10000)); // before wave 3, which had not begun
    QCOMPARE(run.progress().wave, 1);
    QCOMPARE(server.requests().size(), 8);
    run.resume();
    QVERIFY(finished.wait(10000));
    QCOMPARE(paused.size(), 1);
    QCOMPARE(server.requests().size(), 18);
}

// The intents of a wave are handed over before any of its requests is sent.
void TestFanoutRun::intentsComeBeforeTheWave()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 20);
    p.waves = {0.25, 1.0};
    p.pauseBetweenWaves = false;
    FanoutRun run(runner, p, ok);
    QList<QList<qsizetype>> intents;
    QList<int> sentBefore;
    run.beforeSend = [&](const QList<qsizetype> &indices) {
        intents.append(indices);
        sentBefore.append(int(server.requests().size()));
        return true;
    };
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(intents.size(), 2);
    QCOMPARE(intents[0].size(), 5);
    QCOMPARE(intents[1].size(), 15);
    QCOMPARE(sentBefore, (QList<int>{0, 5}));
}

void TestFanoutRun::refusedIntentsSendNothing()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun run(runner, plan(server, 5), ok);
    run.beforeSend = [](const QList<qsizetype> &) { return false; };
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.size() == 1 || finished.wait(5000));
    QCOMPARE(finished.constFirst().constFirst().value<FanoutSummary>().ending,
             FanoutSummary::Ending::Cancelled);
    QTest::qWait(100);
    QCOMPARE(server.requests().size(), 0);
}

// A wave larger than handOver is recorded and handed over in parts, each part's intents before
// any of its requests is sent; every endpoint once.
void TestFanoutRun::aWaveIsHandedOverInParts()
{
    ScriptedServer server;
    HttpRunner runner;
    FanoutRun::Plan p = plan(server, 23);
    p.waves = {0.5, 1.0};
    p.pauseBetweenWaves = false;
    p.handOver = 5;
    FanoutRun run(runner, p, ok);
    QList<qsizetype> sizes;
    QSet<qsizetype> intended;
    bool sentBeforeIntent = false;
    run.beforeSend = [&](const QList<qsizetype> &indices) {
        sizes.append(indices.size());
        for (const qsizetype i : indices)
            intended.insert(i);
        sentBeforeIntent |= server.requests().size() > intended.size();
        return true;
    };
    QSignalSpy finished(&run, &FanoutRun::finished);
    run.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(sizes, (QList<qsizetype>{5, 5, 2, 5, 5, 1})); // waves of 12 and 11
    QCOMPARE(intended.size(), 23);
    QVERIFY(!sentBeforeIntent);
    QCOMPARE(server.requests().size(), 23);
    QCOMPARE(finished.constFirst().constFirst().value<FanoutSummary>().progress.succeeded, 23);
}

QTEST_GUILESS_MAIN(TestFanoutRun)
#include "tst_fanout_run.moc"
