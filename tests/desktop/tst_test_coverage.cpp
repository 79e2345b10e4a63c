#include "app/desktop/diagram_view.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/test_coverage.h"
#include "engine/playbook/loader.h"

#include <QAction>
#include <QFile>
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
