#include "app/desktop/diagram_view.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/test_coverage.h"
#include "engine/playbook/loader.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The coverage overlay: a playbook's test files run with no network, what their cases take drawn
// on its diagram, and the figures in the status line.
class TestTestCoverage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void shippedPlaybookIsCovered();
    void partlyCovered();
    void noTestFile();
    void caseReports();
    void brokenTestFiles();
    void unsavedTestText();
    void firstPathDifference_data();
    void firstPathDifference();
    void visits_data();
    void visits();
    void windowShowsIt();
};

namespace {

const QString triage = QStringLiteral(RUNLANE_SOURCE_DIR "/tests/cli/data/test/pass/triage.yaml");

PlaybookPtr load(const QString &file)
{
    const LoadResult loaded = loadPlaybookFile(file);
    return loaded.ok() ? loaded.playbook : nullptr;
}

} // namespace

void TestTestCoverage::shippedPlaybookIsCovered()
{
    const PlaybookPtr playbook =
        load(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"));
    QVERIFY(playbook);
    const TestCoverage c = testCoverageOf(playbook);
    QCOMPARE(c.testFiles.size(), 1);
    QVERIFY(c.passed > 0);
    QCOMPARE(c.failed, 0);
    QCOMPARE(c.coveredSteps, c.steps);
    QCOMPARE(c.coveredBranches, c.branches);
    QVERIFY(c.overlay.notCovered.isEmpty());
    QCOMPARE(c.overlay.highlighted.size(), c.steps);
}

void TestTestCoverage::partlyCovered()
{
    const PlaybookPtr playbook = load(triage);
    QVERIFY(playbook);
    const TestCoverage c = testCoverageOf(playbook);
    QCOMPARE(c.summary(), u"Tests: 2 passed, 0 failed · steps 4/5, branches 3/4 covered"_s);
    QCOMPARE(c.overlay.notCovered, QSet<QString>{u"close-escalated"_s});
    QVERIFY(c.overlay.coveredEdges.contains({u"check-up"_s, u"close-ok"_s}));
    QVERIFY(c.overlay.coveredEdges.contains({u"restart"_s, u"close-fixed"_s}));
    QVERIFY(!c.overlay.coveredEdges.contains({u"restart"_s, u"close-escalated"_s}));
}

void TestTestCoverage::noTestFile()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(triage, dir.filePath(u"triage.yaml"_s)));
    const PlaybookPtr playbook = load(dir.filePath(u"triage.yaml"_s));
    QVERIFY(playbook);
    const TestCoverage c = testCoverageOf(playbook);
    QVERIFY(c.testFiles.isEmpty());
    QVERIFY(c.overlay.isEmpty());
    QVERIFY(c.summary().startsWith(u"No test file names this playbook"_s));
}

// Each case as it ran, for the editor's test results: what it expected and what the walk did.
void TestTestCoverage::caseReports()
{
    const PlaybookPtr playbook =
        load(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/cli/data/test/fail/triage.yaml"));
    QVERIFY(playbook);
    const TestCoverage c = testCoverageOf(playbook);
    QCOMPARE(c.passed, 1);
    QCOMPARE(c.failed, 1);
    QVERIFY(c.testFileProblems.isEmpty());
    QCOMPARE(c.cases.size(), 2);
    QVERIFY(c.cases.at(0).passed);
    QVERIFY(c.cases.at(0).failures.isEmpty());
    const CaseReport &wrong = c.cases.at(1);
    QCOMPARE(QFileInfo(wrong.file).fileName(), u"triage.test.yaml"_s);
    QCOMPARE(wrong.name, u"down, paged, wrongly expected as restarted"_s);
    QCOMPARE(wrong.pos.line, 7);
    QVERIFY(!wrong.passed);
    QCOMPARE(wrong.failures.size(), 2); // the path and the outcome
    QCOMPARE(wrong.expectedPath, (QStringList{u"check-up"_s, u"restart"_s, u"close-fixed"_s}));
    QVERIFY(!wrong.expectedVisits);
    QCOMPARE(wrong.expectedOutcome, u"resolved"_s);
    QCOMPARE(wrong.actualPath, (QStringList{u"check-up"_s, u"restart"_s, u"close-escalated"_s}));
    QCOMPARE(wrong.actualOutcome, u"escalated"_s);
}

// A test file that names the playbook but does not load counts as failed, with its diagnostics;
// one that names another playbook is none of its business; an unsaved playbook has no tests.
void TestTestCoverage::brokenTestFiles()
{
    const PlaybookPtr playbook =
        load(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/desktop/data/test_panel/triage.yaml"));
    QVERIFY(playbook);
    const TestCoverage c = testCoverageOf(playbook);
    QStringList names;
    for (const QString &file : c.testFiles)
        names.append(QFileInfo(file).fileName());
    QCOMPARE(names, (QStringList{u"triage-broken.test.yaml"_s, u"triage-paging.test.yaml"_s,
                                 u"triage.test.yaml"_s}));
    QCOMPARE(c.passed, 3);
    QCOMPARE(c.failed, 4);
    QCOMPARE(c.testFileProblems.size(), 2);
    QCOMPARE(QFileInfo(c.testFileProblems.at(0).file).fileName(), u"triage-broken.test.yaml"_s);
    QCOMPARE(c.testFileProblems.at(0).pos.line, 6);
    QCOMPARE(QFileInfo(c.testFileProblems.at(1).file).fileName(), u"unparsable.test.yaml"_s);

    auto unsaved = std::make_shared<Playbook>(*playbook);
    unsaved->file.clear();
    const TestCoverage none = testCoverageOf(unsaved);
    QVERIFY(none.testFiles.isEmpty());
    QVERIFY(none.cases.isEmpty());
    QVERIFY(none.testFileProblems.isEmpty());
}

// The editor's unsaved test text stands in for the file on disk, and a test file not saved yet
// runs too; the files on disk are not read for them.
void TestTestCoverage::unsavedTestText()
{
    QTemporaryDir dir;
    const QString pass = QStringLiteral(RUNLANE_SOURCE_DIR "/tests/cli/data/test/pass/");
    QVERIFY(QFile::copy(pass + u"triage.yaml"_s, dir.filePath(u"triage.yaml"_s)));
    QVERIFY(QFile::copy(pass + u"triage.test.yaml"_s, dir.filePath(u"triage.test.yaml"_s)));
    const PlaybookPtr playbook = load(dir.filePath(u"triage.yaml"_s));
    QVERIFY(playbook);
    QFile onDisk(dir.filePath(u"triage.test.yaml"_s));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    const QByteArray saved = onDisk.readAll();
    QByteArray edited = saved;
    edited.replace("outcome: false-alarm", "outcome: resolved");
    const QByteArray fresh = "playbook: triage.yaml\ncases:\n  - name: new\n"
                             "    results: {check-up: {value: 1}}\n"
                             "    expect: {outcome: false-alarm}\n";
    const QByteArray broken = "playbook: triage.yaml\ncases:\n  - name: typo\n"
                              "    expect: {outcome: fixed}\n";

    const TestCoverage c =
        testCoverageOf(playbook, {{dir.filePath(u"triage.test.yaml"_s), edited},
                                  {dir.filePath(u"triage-new.test.yaml"_s), fresh},
                                  {dir.filePath(u"triage-typo.test.yaml"_s), broken},
                                  {dir.filePath(u"elsewhere/triage.test.yaml"_s), fresh}});
    QStringList names;
    for (const QString &file : c.testFiles)
        names.append(QFileInfo(file).fileName());
    QCOMPARE(names, (QStringList{u"triage-new.test.yaml"_s, u"triage-typo.test.yaml"_s,
                                 u"triage.test.yaml"_s}));
    QCOMPARE(c.passed, 2); // "new", and "down, restarted" of the edited file
    QCOMPARE(c.failed, 2); // "up" of the edited file, and the file that does not load
    QCOMPARE(c.cases.size(), 3);
    QCOMPARE(c.cases.at(1).name, u"up"_s);
    QCOMPARE(c.cases.at(1).expectedOutcome, u"resolved"_s);
    QCOMPARE(c.testFileProblems.size(), 1);
    QCOMPARE(QFileInfo(c.testFileProblems.at(0).file).fileName(), u"triage-typo.test.yaml"_s);
    QCOMPARE(c.testFileProblems.at(0).pos.line, 4);
}

void TestTestCoverage::firstPathDifference_data()
{
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("actual");
    QTest::addColumn<int>("at");

    const QStringList abc{u"a"_s, u"b"_s, u"c"_s};
    QTest::newRow("same") << abc << abc << -1;
    QTest::newRow("both empty") << QStringList() << QStringList() << -1;
    QTest::newRow("first differs") << abc << QStringList{u"x"_s, u"b"_s, u"c"_s} << 0;
    QTest::newRow("last differs") << abc << QStringList{u"a"_s, u"b"_s, u"x"_s} << 2;
    QTest::newRow("walk ended early") << abc << QStringList{u"a"_s} << 1;
    QTest::newRow("walk went on") << abc << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s} << 3;
    QTest::newRow("no walk") << abc << QStringList() << 0;
}

void TestTestCoverage::firstPathDifference()
{
    QFETCH(QStringList, expected);
    QFETCH(QStringList, actual);
    QFETCH(int, at);
    QCOMPARE(runlane::desktop::firstPathDifference(expected, actual), qsizetype(at));
}

void TestTestCoverage::visits_data()
{
    QTest::addColumn<QStringList>("visits");
    QTest::addColumn<QStringList>("actual");
    QTest::addColumn<QList<qsizetype>>("positions");
    QTest::addColumn<int>("missed");

    const QStringList walk{u"a"_s, u"b"_s, u"c"_s, u"b"_s, u"d"_s};
    QTest::newRow("all, with others between")
        << QStringList{u"a"_s, u"c"_s, u"d"_s} << walk << QList<qsizetype>{0, 2, 4} << -1;
    QTest::newRow("a repeated step, in order")
        << QStringList{u"b"_s, u"b"_s} << walk << QList<qsizetype>{1, 3} << -1;
    QTest::newRow("out of order") << QStringList{u"c"_s, u"a"_s, u"d"_s} << walk
                                  << QList<qsizetype>{2, -1, -1} << 1;
    QTest::newRow("never visited")
        << QStringList{u"x"_s, u"a"_s} << walk << QList<qsizetype>{-1, -1} << 0;
    QTest::newRow("no walk") << QStringList{u"a"_s} << QStringList() << QList<qsizetype>{-1} << 0;
}

void TestTestCoverage::visits()
{
    QFETCH(QStringList, visits);
    QFETCH(QStringList, actual);
    QFETCH(QList<qsizetype>, positions);
    QFETCH(int, missed);
    QCOMPARE(visitPositions(visits, actual), positions);
    QCOMPARE(firstMissedVisit(visits, actual), qsizetype(missed));
}

// View > Test Coverage (Ctrl+Shift+T) draws it over the selected playbook, and takes it away.
void TestTestCoverage::windowShowsIt()
{
    MainWindow window({QStringLiteral(RUNLANE_SOURCE_DIR "/tests/cli/data/test/pass")});
    window.resize(1200, 800);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY(window.details()->entry().playbook);
    QVERIFY(!window.coverageAction()->isChecked());
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(window.coverageAction()->isChecked());
    DiagramView *diagram = window.details()->diagram();
    QTRY_COMPARE(diagram->walk().notCovered, QSet<QString>{u"close-escalated"_s});
    QVERIFY(window.statusBar()->currentMessage().contains(u"steps 4/5"_s));
    if (const QString shots = qEnvironmentVariable("RUNLANE_SHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(100);
        window.grab().save(shots + u"/window-coverage.png"_s);
    }
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(diagram->walk().isEmpty());
}

QTEST_MAIN(TestTestCoverage)
#include "tst_test_coverage.moc"
