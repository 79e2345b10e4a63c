#include "engine/playbook/loader.h"
#include "engine/scenario/coverage.h"

#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;

// Which steps and branches a set of paths covers.
class TestCoverage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paths_data();
    void paths();
    void nothingToCover();
};

namespace {

// A check whose `when` and `else` lead to the same step (one branch), a decision with two ways,
// a wait with `next` and `on_timeout`.
const char *playbookText = "runlane: 1\n"
                           "id: cover\n"
                           "title: Cover\n"
                           "lanes: [{id: node, title: Node}]\n"
                           "targets:\n"
                           "  prom: {kind: prometheus, url: \"http://127.0.0.1:9090\"}\n"
                           "start: look\n"
                           "steps:\n"
                           "  - id: look\n"
                           "    type: check\n"
                           "    title: Look\n"
                           "    query: {target: prom, promql: up}\n"
                           "    when: [{if: value > 0, next: pick}]\n"
                           "    else: pick\n"
                           "  - id: pick\n"
                           "    type: decision\n"
                           "    title: Pick\n"
                           "    options: [{label: wait, next: hold}, {label: done, next: fixed}]\n"
                           "  - {id: hold, type: wait, title: Hold, duration: 1m, next: fixed}\n"
                           "  - {id: fixed, type: end, title: Fixed, outcome: resolved}\n"
                           "  - {id: lost, type: end, title: Lost, outcome: escalated}\n";

} // namespace

void TestCoverage::paths_data()
{
    QTest::addColumn<QList<QStringList>>("paths");
    QTest::addColumn<QString>("expected"); // steps covered/total, branches covered/total
    QTest::addColumn<QStringList>("uncoveredBranches");

    QTest::newRow("none") << QList<QStringList>{} << u"0/5 0/4"_s
                          << QStringList{u"look → pick"_s, u"pick → hold"_s, u"pick → fixed"_s,
                                         u"hold → fixed"_s};
    QTest::newRow("one way") << QList<QStringList>{{u"look"_s, u"pick"_s, u"fixed"_s}}
                             << u"3/5 2/4"_s << QStringList{u"pick → hold"_s, u"hold → fixed"_s};
    QTest::newRow("both ways") << QList<QStringList>{{u"look"_s, u"pick"_s, u"fixed"_s},
                                                     {u"look"_s, u"pick"_s, u"hold"_s, u"fixed"_s}}
                               << u"4/5 4/4"_s << QStringList{};
    // A step the paths name twice, and a jump no way of the playbook makes, count no extra.
    QTest::newRow("repeats and jumps")
        << QList<QStringList>{{u"look"_s, u"pick"_s, u"pick"_s, u"lost"_s}} << u"3/5 1/4"_s
        << QStringList{u"pick → hold"_s, u"pick → fixed"_s, u"hold → fixed"_s};
}

void TestCoverage::paths()
{
    QFETCH(QList<QStringList>, paths);
    QFETCH(QString, expected);
    QFETCH(QStringList, uncoveredBranches);
    const LoadResult loaded = loadPlaybookText(playbookText, u"cover.yaml"_s);
    QVERIFY2(loaded.ok(), loaded.diagnostics.isEmpty()
                              ? "not loaded"
                              : qPrintable(loaded.diagnostics.constFirst().toString()));
    Coverage coverage(*loaded.playbook);
    for (const QStringList &path : paths)
        coverage.addPath(path);
    QCOMPARE(u"%1/%2 %3/%4"_s.arg(coverage.coveredStepCount())
                 .arg(coverage.stepCount())
                 .arg(coverage.coveredBranchCount())
                 .arg(coverage.branchCount()),
             expected);
    QCOMPARE(coverage.uncoveredBranches(), uncoveredBranches);
}

void TestCoverage::nothingToCover()
{
    Playbook empty;
    const Coverage coverage(empty);
    QCOMPARE(coverage.stepPercent(), 100.0);
    QCOMPARE(coverage.branchPercent(), 100.0);
}

QTEST_MAIN(TestCoverage)
#include "tst_coverage.moc"
