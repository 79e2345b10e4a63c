#include "app/desktop/response_clocks.h"
#include "engine/playbook/loader.h"

#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The clocks of the step panel: which apply, how far they have run, and how they read.
class TestResponseClocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clocksOfAWalk_data();
    void clocksOfAWalk();
    void noneOnceEnded();
    void text_data();
    void text();
};

namespace {

const char *playbookText = "runlane: 1\n"
                           "id: clocks\n"
                           "title: Clocks\n"
                           "severity: sev2\n"
                           "budget: {acknowledge: 5m, mitigate: 30m}\n"
                           "lanes: [{id: node, title: Node}]\n"
                           "start: look\n"
                           "steps:\n"
                           "  - {id: look, type: task, title: Look, timeout: 2m, next: pick}\n"
                           "  - id: pick\n"
                           "    type: decision\n"
                           "    title: Pick\n"
                           "    options: [{label: a, next: done}, {label: b, next: done}]\n"
                           "  - {id: done, type: end, title: Done, outcome: resolved}\n";

constexpr qint64 t0 = 1'700'000'000'000;
constexpr qint64 minute = 60'000;

} // namespace

void TestResponseClocks::clocksOfAWalk_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("acknowledged");
    QTest::addColumn<QString>("expected"); // kind elapsed/limit reached over, one per clock

    QTest::newRow("just started") << t0 << false
                                  << u"Step 0/2 - ok; Acknowledge 0/5 - ok; Mitigate 0/30 - ok"_s;
    QTest::newRow("step over its timeout")
        << t0 + 3 * minute << false
        << u"Step 3/2 - over; Acknowledge 3/5 - ok; Mitigate 3/30 - ok"_s;
    QTest::newRow("acknowledge over budget")
        << t0 + 6 * minute << false
        << u"Step 6/2 - over; Acknowledge 6/5 - over; Mitigate 6/30 - ok"_s;
    QTest::newRow("acknowledged: its clock stops")
        << t0 + 40 * minute << true << u"Acknowledge 1/5 reached ok; Mitigate 40/30 - over"_s;
}

void TestResponseClocks::clocksOfAWalk()
{
    QFETCH(qint64, now);
    QFETCH(bool, acknowledged);
    QFETCH(QString, expected);
    const LoadResult loaded = loadPlaybookText(playbookText, u"clocks.yaml"_s);
    QVERIFY(loaded.ok());
    qint64 clock = t0;
    Session session(
        loaded.playbook, u"alice"_s, [](const Event &) {},
        Session::Clock{[&clock] { return clock; }});
    session.start(u"id-1"_s, {});
    IncidentDriver::ResponseTimes times{t0, {}, {}, {}};
    if (acknowledged) {
        clock = t0 + minute;
        QVERIFY(!session.completeTask({}));
        times.acknowledgedAtMs = clock;
    }
    QStringList got;
    for (const ResponseClock &c : responseClocks(session, times, now))
        got.append(u"%1 %2/%3 %4 %5"_s.arg(toString(c.kind))
                       .arg(c.elapsedMs / minute)
                       .arg(c.limitMs / minute)
                       .arg(c.reached ? u"reached"_s : u"-"_s, c.over() ? u"over"_s : u"ok"_s));
    QCOMPARE(got.join(u"; "_s), expected);
}

void TestResponseClocks::noneOnceEnded()
{
    const LoadResult loaded = loadPlaybookText(playbookText, u"clocks.yaml"_s);
    QVERIFY(loaded.ok());
    Session session(loaded.playbook, u"alice"_s, [](const Event &) {});
    session.start(u"id-2"_s, {});
    session.abort(u"test"_s);
    QVERIFY(responseClocks(session, {t0, {}, {}, {}}, t0 + minute).isEmpty());
}

void TestResponseClocks::text_data()
{
    QTest::addColumn<qint64>("elapsed");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("reached");
    QTest::addColumn<QString>("expected");
    QTest::newRow("running") << 250'000LL << 300'000LL << false << u"4:10 of 5:00"_s;
    QTest::newRow("over") << 372'000LL << 300'000LL << false << u"over by 1:12 (budget 5:00)"_s;
    QTest::newRow("reached") << 185'000LL << 300'000LL << true << u"reached in 3:05 of 5:00"_s;
    QTest::newRow("reached late") << 400'000LL << 300'000LL << true
                                  << u"reached in 6:40, over 5:00 by 1:40"_s;
    QTest::newRow("hours") << 3'725'000LL << 7'200'000LL << false << u"1:02:05 of 2:00:00"_s;
}

void TestResponseClocks::text()
{
    QFETCH(qint64, elapsed);
    QFETCH(qint64, limit);
    QFETCH(bool, reached);
    QFETCH(QString, expected);
    QCOMPARE(clockText({ResponseClock::Kind::Mitigate, elapsed, limit, reached}), expected);
}

QTEST_MAIN(TestResponseClocks)
#include "tst_response_clocks.moc"
