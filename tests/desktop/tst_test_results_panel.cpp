#include "app/desktop/editor/test_results_panel.h"
#include "app/desktop/test_coverage.h"
#include "app/desktop/theme.h"
#include "engine/playbook/loader.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

const QString folderPlaybook = QStringLiteral(RUNLANE_TEST_DATA "/test_panel/triage.yaml");
const QString cliPlaybook =
    QStringLiteral(RUNLANE_SOURCE_DIR "/tests/cli/data/test/fail/triage.yaml");

PlaybookPtr load(const QString &file)
{
    const LoadResult loaded = loadPlaybookFile(file);
    return loaded.ok() ? loaded.playbook : nullptr;
}

QString toString(TestResultsPanel::RowKind kind)
{
    switch (kind) {
    case TestResultsPanel::RowKind::File:
        return u"file"_s;
    case TestResultsPanel::RowKind::Case:
        return u"case"_s;
    case TestResultsPanel::RowKind::Problem:
        return u"problem"_s;
    }
    return u"?"_s;
}

// The first-column index of the row named `name` (a case's name, a file's name, a message).
QModelIndex rowNamed(const QStandardItemModel *model, const QString &name)
{
    const QModelIndexList found = model->match(model->index(0, 0), Qt::DisplayRole, name, 1,
                                               Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first();
}

QModelIndex rowStartingWith(const QStandardItemModel *model, const QString &text)
{
    const QModelIndexList found = model->match(model->index(0, 0), Qt::DisplayRole, text, 1,
                                               Qt::MatchStartsWith | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first();
}

QStringList column(const QStandardItemModel *model, int c)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts.append(model->index(row, c).data().toString());
    return texts;
}

} // namespace

// The editor's test results: one row per case grouped per test file, the test files that cannot
// be loaded, a case's expectation beside its walk, and the keys that run and open them.
class TestTestResultsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void summaryAndGroups();
    void caseRows_data();
    void caseRows();
    void singleFileIsFlat();
    void comparison_data();
    void comparison();
    void testFileProblems();
    void activate_data();
    void activate();
    void runRequested_data();
    void runRequested();
    void keyboard();
    void keepsSelectionAcrossRuns();
    void clearAndBusy();
    void picture();

private:
    void select(const QString &name);

    TestCoverage m_folder; // tests/desktop/data/test_panel: several files, a broken one
    TestCoverage m_cli;    // the CLI's failing fixture: one file
    std::unique_ptr<TestResultsPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_rowsTester;
    std::unique_ptr<QAbstractItemModelTester> m_comparisonTester;
};

void TestTestResultsPanel::initTestCase()
{
    applyTheme(Theme::Light);
    const PlaybookPtr folder = load(folderPlaybook);
    QVERIFY(folder);
    m_folder = testCoverageOf(folder);
    const PlaybookPtr cli = load(cliPlaybook);
    QVERIFY(cli);
    m_cli = testCoverageOf(cli);
}

void TestTestResultsPanel::init()
{
    m_panel = std::make_unique<TestResultsPanel>();
    m_rowsTester = std::make_unique<QAbstractItemModelTester>(
        m_panel->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_comparisonTester = std::make_unique<QAbstractItemModelTester>(
        m_panel->comparisonModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_panel->resize(640, 560);
}

void TestTestResultsPanel::cleanup()
{
    m_rowsTester.reset();
    m_comparisonTester.reset();
    m_panel.reset();
}

void TestTestResultsPanel::select(const QString &name)
{
    const QModelIndex index = rowNamed(m_panel->resultsModel(), name);
    QVERIFY2(index.isValid(), qPrintable(name));
    m_panel->resultsView()->setCurrentIndex(index);
}

void TestTestResultsPanel::summaryAndGroups()
{
    QCOMPARE(m_folder.testFiles.size(), 3); // the broken one names the playbook too
    QCOMPARE(m_folder.summary(), u"Tests: 3 passed, 4 failed · steps 6/6, branches 6/6 covered"_s);
    m_panel->setResults(m_folder);
    QCOMPARE(m_panel->summaryText(), m_folder.summary());
    const QStandardItemModel *model = m_panel->resultsModel();
    QStringList files;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, TestResultsPanel::NameColumn);
        QCOMPARE(
            toString(TestResultsPanel::RowKind(index.data(TestResultsPanel::RowKindRole).toInt())),
            u"file"_s);
        files.append(index.data().toString() + u" · "_s +
                     model->index(row, TestResultsPanel::LocationColumn).data().toString());
    }
    QCOMPARE(files, (QStringList{u"triage-broken.test.yaml · could not be loaded"_s,
                                 u"triage-paging.test.yaml · 1 passed, 0 failed"_s,
                                 u"triage.test.yaml · 2 passed, 3 failed"_s,
                                 u"unparsable.test.yaml · could not be loaded"_s}));
    QVERIFY(!rowStartingWith(model, u"other"_s).isValid());
}

void TestTestResultsPanel::caseRows_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("location");
    QTest::addColumn<bool>("passed");

    QTest::newRow("up") << u"up"_s << u"triage.test.yaml:4"_s << true;
    QTest::newRow("visits met") << u"restarted and back"_s << u"triage.test.yaml:7"_s << true;
    QTest::newRow("path differs") << u"paged, expected as restarted"_s << u"triage.test.yaml:11"_s
                                  << false;
    QTest::newRow("visit missed") << u"restart did not help, expected fixed"_s
                                  << u"triage.test.yaml:15"_s << false;
    QTest::newRow("outcome differs")
        << u"up, expected resolved"_s << u"triage.test.yaml:19"_s << false;
    QTest::newRow("second file") << u"paged"_s << u"triage-paging.test.yaml:4"_s << true;
}

void TestTestResultsPanel::caseRows()
{
    QFETCH(QString, name);
    QFETCH(QString, location);
    QFETCH(bool, passed);
    m_panel->setResults(m_folder);
    const QModelIndex index = rowNamed(m_panel->resultsModel(), name);
    QVERIFY(index.isValid());
    QCOMPARE(toString(TestResultsPanel::RowKind(index.data(TestResultsPanel::RowKindRole).toInt())),
             u"case"_s);
    QVERIFY(index.parent().isValid()); // grouped: several test files
    QCOMPARE(index.siblingAtColumn(TestResultsPanel::LocationColumn).data().toString(), location);
    QCOMPARE(QFileInfo(index.parent().data(TestResultsPanel::FileRole).toString()).fileName(),
             location.section(u':', 0, 0));
    const CaseReport &report =
        m_panel->results().cases.at(index.data(TestResultsPanel::CaseIndexRole).toInt());
    QCOMPARE(report.name, name);
    QCOMPARE(report.passed, passed);
    QCOMPARE(report.failures.isEmpty(), passed);
    QVERIFY(!index.data(Qt::DecorationRole).value<QIcon>().isNull());
}

// One test file: the cases are the top rows, no file rows; the first failing case is selected.
void TestTestResultsPanel::singleFileIsFlat()
{
    m_panel->setResults(m_cli);
    const QStandardItemModel *model = m_panel->resultsModel();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(column(model, TestResultsPanel::NameColumn),
             (QStringList{u"up"_s, u"down, paged, wrongly expected as restarted"_s}));
    QCOMPARE(column(model, TestResultsPanel::LocationColumn),
             (QStringList{u"triage.test.yaml:4"_s, u"triage.test.yaml:7"_s}));
    QCOMPARE(m_panel->resultsView()->currentIndex().row(), 1);
    QCOMPARE(m_panel->firstDifferenceRow(), 2);
    QCOMPARE(m_panel->outcomeText(), u"Outcome: expected resolved, got escalated"_s);
}

void TestTestResultsPanel::comparison_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedHeader");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("walked");
    QTest::addColumn<int>("firstDifference");
    QTest::addColumn<QString>("difference");
    QTest::addColumn<QString>("outcome");

    QTest::newRow("path differs")
        << u"paged, expected as restarted"_s << u"Expected path"_s
        << QStringList{u"check-up"_s, u"restart"_s, u"verify"_s, u"close-fixed"_s}
        << QStringList{u"check-up"_s, u"restart"_s, u"close-escalated"_s, u"—"_s} << 2
        << u"The paths part at step 3: expected verify, walked close-escalated."_s
        << u"Outcome: expected resolved, got escalated"_s;
    QTest::newRow("visit missed")
        << u"restart did not help, expected fixed"_s << u"Expected visits"_s
        << QStringList{u"check-up"_s, QString(), u"verify"_s, QString(), u"close-fixed"_s}
        << QStringList{u"check-up"_s, u"restart"_s, u"verify"_s, u"close-escalated"_s, u"—"_s} << 4
        << u"The walk does not visit close-fixed after verify (step 3)."_s
        << u"Outcome: escalated (not checked)"_s;
    QTest::newRow("outcome differs")
        << u"up, expected resolved"_s << u"Expected path (not checked)"_s
        << QStringList{QString(), QString()} << QStringList{u"check-up"_s, u"close-ok"_s} << -1
        << QString() << u"Outcome: expected resolved, got false-alarm"_s;
    QTest::newRow("visits met") << u"restarted and back"_s << u"Expected visits"_s
                                << QStringList{QString(), u"restart"_s, QString(), u"close-fixed"_s}
                                << QStringList{u"check-up"_s, u"restart"_s, u"verify"_s,
                                               u"close-fixed"_s}
                                << -1 << QString() << u"Outcome: resolved, as expected"_s;
}

void TestTestResultsPanel::comparison()
{
    QFETCH(QString, name);
    QFETCH(QString, expectedHeader);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, walked);
    QFETCH(int, firstDifference);
    QFETCH(QString, difference);
    QFETCH(QString, outcome);
    m_panel->setResults(m_folder);
    select(name);
    const QStandardItemModel *table = m_panel->comparisonModel();
    QCOMPARE(table->headerData(0, Qt::Horizontal).toString(), expectedHeader);
    QCOMPARE(table->headerData(1, Qt::Horizontal).toString(), u"Walked"_s);
    QCOMPARE(column(table, 0), expected);
    QCOMPARE(column(table, 1), walked);
    QCOMPARE(m_panel->firstDifferenceRow(), firstDifference);
    QCOMPARE(m_panel->findChild<QLabel *>(u"testDifference"_s)->text(), difference);
    QCOMPARE(m_panel->outcomeText(), outcome);
    for (int row = 0; row < table->rowCount(); ++row) {
        const bool marked = table->index(row, 1).data(Qt::ForegroundRole).isValid();
        QCOMPARE(marked, row == firstDifference);
    }
    if (firstDifference >= 0)
        QCOMPARE(table->index(firstDifference, 0).data(Qt::ForegroundRole).value<QBrush>().color(),
                 warningTextColor());
}

// The file that names the playbook but does not load, and the one nobody can read, each as an
// error row at its line; the broken file naming another playbook is not shown.
void TestTestResultsPanel::testFileProblems()
{
    QCOMPARE(m_folder.testFileProblems.size(), 2);
    const Diagnostic &broken = m_folder.testFileProblems.at(0);
    QCOMPARE(QFileInfo(broken.file).fileName(), u"triage-broken.test.yaml"_s);
    QCOMPARE(broken.pos.line, 6);
    QVERIFY(broken.message.contains(u"unknown outcome 'fixed'"_s));
    const Diagnostic &unparsable = m_folder.testFileProblems.at(1);
    QCOMPARE(QFileInfo(unparsable.file).fileName(), u"unparsable.test.yaml"_s);
    QVERIFY(unparsable.pos.isValid());

    m_panel->setResults(m_folder);
    const QModelIndex row = rowNamed(m_panel->resultsModel(), broken.message);
    QVERIFY(row.isValid());
    QCOMPARE(toString(TestResultsPanel::RowKind(row.data(TestResultsPanel::RowKindRole).toInt())),
             u"problem"_s);
    QCOMPARE(row.siblingAtColumn(TestResultsPanel::LocationColumn).data().toString(),
             u"triage-broken.test.yaml:6"_s);
    QCOMPARE(row.data(Qt::ForegroundRole).value<QBrush>().color(), warningTextColor());
    m_panel->resultsView()->setCurrentIndex(row);
    QCOMPARE(m_panel->findChild<QLabel *>(u"testPlaceholder"_s)->text(),
             u"triage-broken.test.yaml:6:23: error: "_s + broken.message);
}

void TestTestResultsPanel::activate_data()
{
    QTest::addColumn<QString>("row");
    QTest::addColumn<bool>("byMouse");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");

    QTest::newRow("failing case, Enter")
        << u"paged, expected as restarted"_s << false << u"triage.test.yaml"_s << 11;
    QTest::newRow("passing case, Enter")
        << u"paged"_s << false << u"triage-paging.test.yaml"_s << 4;
    QTest::newRow("failing case, double-click")
        << u"up, expected resolved"_s << true << u"triage.test.yaml"_s << 19;
    QTest::newRow("problem, Enter")
        << u"unknown outcome"_s << false << u"triage-broken.test.yaml"_s << 6;
    QTest::newRow("file row, Enter") << u"triage.test.yaml"_s << false << QString() << 0;
}

// Enter or a double-click on a row asks the editor to open the test file at it.
void TestTestResultsPanel::activate()
{
    QFETCH(QString, row);
    QFETCH(bool, byMouse);
    QFETCH(QString, file);
    QFETCH(int, line);
    m_panel->setResults(m_folder);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    QSignalSpy activated(m_panel.get(), &TestResultsPanel::caseActivated);
    QTreeView *view = m_panel->resultsView();
    const QModelIndex index = rowStartingWith(m_panel->resultsModel(), row);
    QVERIFY(index.isValid());
    if (byMouse) {
        view->scrollTo(index);
        const QPoint at = view->visualRect(index).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    } else {
        m_panel->setFocus(); // the list, by the panel's focus proxy
        QCOMPARE(QApplication::focusWidget(), view);
        view->setCurrentIndex(index);
        QTest::keyClick(view, Qt::Key_Return);
    }
    if (file.isEmpty()) {
        QCOMPARE(activated.size(), 0);
        return;
    }
    QCOMPARE(activated.size(), 1);
    QCOMPARE(QFileInfo(activated.at(0).at(0).toString()).fileName(), file);
    QCOMPARE(activated.at(0).at(1).value<SourcePos>().line, line);
}

void TestTestResultsPanel::runRequested_data()
{
    QTest::addColumn<bool>("byShortcut");
    QTest::addColumn<bool>("running");

    QTest::newRow("button") << false << false;
    QTest::newRow("Ctrl+T") << true << false;
    QTest::newRow("button while running") << false << true;
    QTest::newRow("Ctrl+T while running") << true << true;
}

void TestTestResultsPanel::runRequested()
{
    QFETCH(bool, byShortcut);
    QFETCH(bool, running);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    m_panel->setFocus();
    m_panel->setRunning(running);
    QSignalSpy requested(m_panel.get(), &TestResultsPanel::runRequested);
    if (byShortcut)
        QTest::keyClick(m_panel->resultsView(), Qt::Key_T, Qt::ControlModifier);
    else
        QTest::mouseClick(m_panel->findChild<QPushButton *>(u"runTestsButton"_s), Qt::LeftButton);
    QCOMPARE(requested.size(), running ? 0 : 1);
    QCOMPARE(m_panel->runAction()->shortcut(), QKeySequence(u"Ctrl+T"_s));
}

// Tab from Run Tests into the list, arrows through the cases, the details follow.
void TestTestResultsPanel::keyboard()
{
    m_panel->setResults(m_cli);
    m_panel->show();
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    auto *button = m_panel->findChild<QPushButton *>(u"runTestsButton"_s);
    button->setFocus(Qt::TabFocusReason);
    QCOMPARE(QApplication::focusWidget(), button);
    QTest::keyClick(button, Qt::Key_Tab);
    QTreeView *view = m_panel->resultsView();
    QCOMPARE(QApplication::focusWidget(), view);
    QCOMPARE(view->currentIndex().data().toString(),
             u"down, paged, wrongly expected as restarted"_s);
    QTest::keyClick(view, Qt::Key_Up);
    QCOMPARE(view->currentIndex().data().toString(), u"up"_s);
    QCOMPARE(m_panel->outcomeText(), u"Outcome: false-alarm, as expected"_s);
    QCOMPARE(m_panel->firstDifferenceRow(), -1);
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(m_panel->firstDifferenceRow(), 2);
}

// Run again after a fix: the case looked at stays selected.
void TestTestResultsPanel::keepsSelectionAcrossRuns()
{
    m_panel->setResults(m_folder);
    select(u"up, expected resolved"_s);
    m_panel->setResults(m_folder);
    QCOMPARE(m_panel->resultsView()->currentIndex().data().toString(), u"up, expected resolved"_s);
    QCOMPARE(m_panel->outcomeText(), u"Outcome: expected resolved, got false-alarm"_s);
}

void TestTestResultsPanel::clearAndBusy()
{
    auto *button = m_panel->findChild<QPushButton *>(u"runTestsButton"_s);
    auto *busy = m_panel->findChild<QProgressBar *>(u"testsBusy"_s);
    QVERIFY(button && busy);
    QVERIFY(!busy->isVisibleTo(m_panel.get()));
    m_panel->setRunning(true);
    QVERIFY(m_panel->isRunning());
    QVERIFY(!button->isEnabled());
    QVERIFY(!m_panel->runAction()->isEnabled());
    QVERIFY(busy->isVisibleTo(m_panel.get()));
    QCOMPARE(m_panel->summaryText(), u"Running the tests…"_s);
    m_panel->setResults(m_cli);
    QVERIFY(!m_panel->isRunning());
    QVERIFY(button->isEnabled());
    QVERIFY(!busy->isVisibleTo(m_panel.get()));
    QCOMPARE(m_panel->summaryText(), m_cli.summary());
    m_panel->setMessage(u"The playbook has errors."_s);
    QCOMPARE(m_panel->summaryText(), u"The playbook has errors."_s);
    m_panel->setRunning(true);
    m_panel->setRunning(false);
    QCOMPARE(m_panel->summaryText(), m_cli.summary());
    m_panel->clear();
    QCOMPARE(m_panel->resultsModel()->rowCount(), 0);
    QCOMPARE(m_panel->comparisonModel()->rowCount(), 0);
    QVERIFY(m_panel->results().cases.isEmpty());
    QCOMPARE(m_panel->outcomeText(), QString());
}

// The panel with a failing case selected, for a look (RUNLANE_SHOT_DIR names the folder).
void TestTestResultsPanel::picture()
{
    m_panel->setResults(m_folder);
    select(u"paged, expected as restarted"_s);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    const QPixmap shot = m_panel->grab();
    QVERIFY(!shot.isNull());
    // Wide and low, as under an editor: the list goes beside the details.
    m_panel->resize(1000, 300);
    QTRY_COMPARE(m_panel->findChild<QSplitter *>()->orientation(), Qt::Horizontal);
    const QPixmap wide = m_panel->grab();
    if (const QString shots = qEnvironmentVariable("RUNLANE_SHOT_DIR"); !shots.isEmpty()) {
        QVERIFY(shot.save(shots + u"/test-panel.png"_s));
        QVERIFY(wide.save(shots + u"/test-panel-wide.png"_s));
    }
}

QTEST_MAIN(TestTestResultsPanel)
#include "tst_test_results_panel.moc"
