#include "app/desktop/diagram_view.h"
#include "app/desktop/drill_fleet.h"
#include "app/desktop/incident_list_model.h"
#include "app/desktop/incident_panel.h"
#include "app/desktop/incidents_dock.h"
#include "app/desktop/inputs_dialog.h"
#include "app/desktop/inputs_form.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/playbook_list_model.h"
#include "app/desktop/theme.h"
#include "app/desktop/timeline_dock.h"
#include "app/desktop/timeline_model.h"
#include "app/shared/incident_driver.h"
#include "engine/journal/journal_reader.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/scenario_runner.h"
#include "tests/fleetsim/fleetsim_process.h"
#include "window_fixture.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The window walks an incident end to end: Ctrl+Return on the selected playbook opens the inputs
// dialog, Enter starts it, the step panel takes the place of the step list beside the diagram, the
// timeline dock fills as the walk goes, and the journal has it all.
class TestMainWindowIncident : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void walksAnIncidentFromTheWindow();
    void resumesOpensAndBrowses();
    void startsFromAnAlert();
    void drillsAgainstItsOwnFleet();

private:
    std::unique_ptr<FleetSimProcess> m_sim;
    QTemporaryDir m_dir;
};

void TestMainWindowIncident::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Screenshots in either theme (scripts/screenshots); the tests themselves need neither.
    if (const auto theme = themeFromString(qEnvironmentVariable("RUNLANE_SHOT_THEME")))
        applyTheme(*theme);
    QVERIFY(m_dir.isValid());
    m_sim = std::make_unique<FleetSimProcess>(
        QStringList{u"--nodes"_s, u"4"_s, u"--latency"_s, u"10"_s});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
    qputenv("FLEET_URL", u"http://127.0.0.1:%1"_s.arg(m_sim->port()).toUtf8());
    qputenv("FLEET_TOKEN", "window-token-0123");
    QVERIFY(QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/tests/crash/data/rollback-drill.yaml"),
                        m_dir.filePath(u"rollback-drill.yaml"_s)));
}

namespace {

QPushButton *offered(QWidget &panel, const QString &name)
{
    for (int i = 0; i < 2000; ++i) {
        auto *b = panel.findChild<QPushButton *>(name);
        if (b && b->isVisible() && b->isEnabled())
            return b;
        QTest::qWait(10);
    }
    return nullptr;
}

void shoot(QWidget &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(50); // new buttons show and layouts settle on posted events
        window.grab().save(dir + u"/window-"_s + name + u".png"_s);
    }
}

} // namespace

void TestMainWindowIncident::walksAnIncidentFromTheWindow()
{
    MainWindow window({m_dir.path()});
    window.setJournalPath(m_dir.filePath(u"journal.sqlite"_s));
    window.setInitialSelection(m_dir.filePath(u"rollback-drill.yaml"_s));
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY(window.details()->entry().playbook);
    QTest::qWait(200); // the diagram's layout
    shoot(window, u"library"_s);

    // Ctrl+Return opens the inputs dialog; the nodes are typed, one per line; Enter starts.
    QTimer::singleShot(0, this, [this] {
        auto *dialog = qobject_cast<InputsDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *nodes = dialog->findChild<QPlainTextEdit *>(u"input-nodes"_s);
        QVERIFY(nodes);
        nodes->setFocus();
        for (int i = 0; i < 4; ++i) {
            if (i > 0)
                QTest::keyClick(nodes, Qt::Key_Return); // a new line in the list, not Start
            QTest::keyClicks(nodes, u"http://127.0.0.1:%1/nodes/%2"_s.arg(m_sim->port()).arg(i));
        }
        shoot(*dialog, u"inputs"_s);
        QVERIFY(dialog->startButton()->isEnabled());
        QTest::keyClick(dialog->startButton(), Qt::Key_Return);
    });
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(window.incident());
    // The offscreen platform does not hand activation back after a modal dialog as a desktop does.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    IncidentPanel *panel = window.incidentPanel();
    QVERIFY(panel && panel->isVisible());
    const auto press = [panel](Qt::Key key) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY2(focus && panel->isAncestorOf(focus),
                 qPrintable(u"the keyboard is in "_s +
                            (focus ? QString::fromLatin1(focus->metaObject()->className()) +
                                         u" "_s + focus->objectName()
                                   : u"nothing"_s)));
        QTest::keyClick(focus, key);
    };

    QVERIFY(offered(*panel, u"taskDone"_s));
    shoot(window, u"walk"_s);
    press(Qt::Key_Space);
    press(Qt::Key_Return);
    QVERIFY(offered(*panel, u"gateConfirm"_s));
    shoot(window, u"gate"_s);
    press(Qt::Key_Return);
    for (int i = 0; i < 200 && window.incident()->session()->current()->id.value != u"fleet-wide";
         ++i)
        QTest::qWait(10);
    QVERIFY(offered(*panel, u"gateConfirm"_s));
    press(Qt::Key_Return);
    for (int wave = 0; wave < 2; ++wave) {
        QVERIFY(offered(*panel, u"waveContinue"_s));
        if (wave == 0)
            shoot(window, u"wave-gate"_s);
        press(Qt::Key_Return);
    }
    QPushButton *yes = offered(*panel, u"option-1"_s);
    QVERIFY(yes);
    press(Qt::Key_1);
    QCOMPARE(toString(window.incident()->session()->waiting()), u"ended"_s);
    shoot(window, u"ended"_s);

    // The timeline shows what the journal holds.
    TimelineModel *timeline = window.timeline()->model();
    auto read =
        readIncident(*std::get<0>(JournalDatabase::open(m_dir.filePath(u"journal.sqlite"_s))),
                     window.incident()->session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QCOMPARE(timeline->rowCount(), j.events.size());
    QCOMPARE(j.incident.outcome, u"mitigated"_s);
    QCOMPARE(j.attempts.size(), 5); // the canary and four nodes

    // Recorded as a test case of the playbook's test file, the walk replays to the same end.
    const QString testFile = m_dir.filePath(u"rollback-drill.test.yaml"_s);
    QFile::remove(testFile);
    const auto recorded = window.recordTestCase(j.incident.id, u"walked in the window"_s);
    QVERIFY2(
        std::holds_alternative<MainWindow::RecordedTestCase>(recorded),
        qPrintable(std::get_if<QString>(&recorded) ? *std::get_if<QString>(&recorded) : QString()));
    const auto &r = std::get<MainWindow::RecordedTestCase>(recorded);
    QCOMPARE(r.testFile, testFile);
    QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u'\n')));
    const ScenarioLoad load = loadScenarioFile(testFile);
    QVERIFY(load.scenario);
    QCOMPARE(load.scenario->cases.size(), 1);
    const CaseResult replay =
        runScenarioCase(window.details()->entry().playbook, load.scenario->cases.constFirst());
    QVERIFY2(replay.passed, qPrintable(replay.failures.join(u'\n')));
    QCOMPARE(replay.actualOutcome, std::optional<QString>(u"mitigated"_s));
    // A second recording gets a name of its own, after the first.
    const auto again = window.recordTestCase(j.incident.id, u"walked in the window"_s);
    QCOMPARE(std::get<MainWindow::RecordedTestCase>(again).name, u"walked in the window (2)"_s);
    QCOMPARE(loadScenarioFile(testFile).scenario->cases.size(), 2);
}

// A walk left at an action gate (the window closed) is offered at the next start and resumed
// with one click where it stopped; browsing another playbook hides the walk and Ctrl+J brings it
// back; a finished incident opens from the Incidents list with its walked path and timeline.
void TestMainWindowIncident::resumesOpensAndBrowses()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(m_dir.filePath(u"rollback-drill.yaml"_s),
                        dir.filePath(u"rollback-drill.yaml"_s)));
    QVERIFY(QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/torchserve-crash-loop.yaml"),
                        dir.filePath(u"torchserve-crash-loop.yaml"_s)));
    const QString journal = dir.filePath(u"journal.sqlite"_s);
    QJsonArray nodes;
    for (int i = 0; i < 4; ++i)
        nodes.append(u"http://127.0.0.1:%1/nodes/%2"_s.arg(m_sim->port()).arg(i));
    QString id;
    {
        auto window = openWindow(dir.path(), journal, u"rollback-drill.yaml"_s);
        QVERIFY(window);
        QVERIFY(!window->resumeBar()->isVisible()); // nothing unfinished yet
        QCOMPARE(window->startIncident({{u"nodes"_s, nodes}}, false, false), std::nullopt);
        IncidentPanel *panel = window->incidentPanel();
        QPushButton *done = offered(*panel, u"taskDone"_s);
        QVERIFY(done);
        done->click();
        QVERIFY(offered(*panel, u"gateConfirm"_s));
        id = window->incident()->session()->incidentId();
        QCOMPARE(window->incidents()->unfinishedCount(), 1);
    } // the window goes at the canary's gate

    auto window = openWindow(dir.path(), journal, u"rollback-drill.yaml"_s);
    QVERIFY(window);
    window->offerResume();
    QVERIFY(window->resumeBar()->isVisible());
    auto *resume = window->resumeBar()->findChild<QPushButton *>(u"resumeOffered"_s);
    QVERIFY(resume);
    resume->click();
    QVERIFY(window->isWalking());
    QVERIFY(!window->resumeBar()->isVisible());
    QCOMPARE(window->incident()->session()->incidentId(), id);
    QCOMPARE(window->incident()->session()->current()->id.value, u"canary"_s);
    // The timeline has the earlier events and the resume.
    QTRY_VERIFY(window->timeline()->model()->rowCount() > 5);

    // Browsing another playbook hides the walk; Ctrl+J shows it again.
    IncidentPanel *panel = window->incidentPanel();
    QVERIFY(panel->isVisible());
    QVERIFY(!window->details()->diagram()->walk().path.isEmpty());
    auto *list = window->findChild<QListView *>(u"playbookList"_s);
    QModelIndex other;
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex index = list->model()->index(row, 0);
        if (!index.data(PlaybookListModel::FileRole).toString().endsWith(u"rollback-drill.yaml"_s))
            other = index;
    }
    QVERIFY(other.isValid());
    list->setCurrentIndex(other);
    QVERIFY(!panel->isVisible());
    QVERIFY(window->details()->diagram()->walk().path.isEmpty());
    QTest::keyClick(window.get(), Qt::Key_J, Qt::ControlModifier);
    QVERIFY(panel->isVisible());
    QCOMPARE(window->details()->diagram()->walk().current, u"canary"_s);

    // Walk it to the end.
    offered(*panel, u"gateConfirm"_s)->click();
    for (int i = 0; i < 200 && window->incident()->session()->current()->id.value != u"fleet-wide";
         ++i)
        QTest::qWait(10);
    offered(*panel, u"gateConfirm"_s)->click();
    for (int wave = 0; wave < 2; ++wave)
        offered(*panel, u"waveContinue"_s)->click();
    offered(*panel, u"option-1"_s)->click();
    QVERIFY(!window->isWalking());
    QTRY_COMPARE(window->incidents()->unfinishedCount(), 0);

    // Open it from the list: the walked path on the diagram, the journal's events in the
    // timeline.
    IncidentsDock *incidents = window->incidents();
    QVERIFY(incidents->selectId(id));
    incidents->view()->setFocus();
    QTest::keyClick(incidents->view(), Qt::Key_Return);
    const DiagramOverlay walked = window->details()->diagram()->walk();
    QCOMPARE(walked.path.first(), u"healthy"_s);
    QCOMPARE(walked.path.last(), u"done"_s);
    auto read = readIncident(*std::get<0>(JournalDatabase::open(journal)), id);
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    QCOMPARE(window->timeline()->model()->rowCount(),
             std::get<IncidentJournal>(read).events.size());
    QVERIFY(window->windowTitle().contains(u"mitigated"_s));
    // An ended incident is not resumed.
    QVERIFY(window->resumeIncident(id).has_value());
}

// An alert's Start Incident selects its playbook and opens the inputs with the labels whose
// names are inputs filled in.
void TestMainWindowIncident::startsFromAnAlert()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(m_dir.filePath(u"rollback-drill.yaml"_s),
                        dir.filePath(u"rollback-drill.yaml"_s)));
    QVERIFY(QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/torchserve-crash-loop.yaml"),
                        dir.filePath(u"torchserve-crash-loop.yaml"_s)));
    auto window =
        openWindow(dir.path(), dir.filePath(u"journal.sqlite"_s), u"rollback-drill.yaml"_s);
    QVERIFY(window);
    const QString file = dir.filePath(u"torchserve-crash-loop.yaml"_s);
    const LoadResult &entry = window->details()->entry();
    QVERIFY(entry.playbook);
    bool checked = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<InputsDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        QCOMPARE(window->details()->entry().playbook->file, file);
        auto *model = dialog->findChild<QLineEdit *>(u"input-model"_s);
        QVERIFY(model);
        QCOMPARE(model->text(), u"ranker"_s);
        checked = true;
        dialog->reject();
    });
    window->startFromAlert(file,
                           {{u"alertname"_s, u"TorchServeCrashLoop"_s}, {u"model"_s, u"ranker"_s}});
    QVERIFY(checked);
    QVERIFY(!window->isWalking());
}

// A drill starts its own runlane-fleetsim, walks against it (the journal marks the incident as a
// drill), and stops it when the incident ends.
void TestMainWindowIncident::drillsAgainstItsOwnFleet()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(m_dir.filePath(u"rollback-drill.yaml"_s),
                        dir.filePath(u"rollback-drill.yaml"_s)));
    const QString journal = dir.filePath(u"journal.sqlite"_s);
    auto window = openWindow(dir.path(), journal, u"rollback-drill.yaml"_s);
    QVERIFY(window);
    // A node typed as a real host (TEST-NET-1, reached by nothing) must not be sent to.
    QCOMPARE(
        window->startIncident({{u"nodes"_s, QJsonArray{u"http://192.0.2.1:9"_s}}}, false, true),
        std::nullopt);
    QVERIFY(window->whyBusy().has_value()); // nothing else starts meanwhile
    QVERIFY(window->drillFleet());
    QTRY_VERIFY_WITH_TIMEOUT(window->isWalking(), 30000);
    QVERIFY(window->drillFleet()->isRunning());
    const QString fleet = window->drillFleet()->fleetUrl();
    QVERIFY(fleet.startsWith(u"http://127.0.0.1:"_s));
    IncidentPanel *panel = window->incidentPanel();
    offered(*panel, u"taskDone"_s)->click();
    QPushButton *confirm = offered(*panel, u"gateConfirm"_s);
    QVERIFY(confirm);
    QVERIFY(panel->findChild<QPlainTextEdit *>(u"gateRequest"_s)->toPlainText().contains(fleet));
    confirm->click();
    QTRY_COMPARE_WITH_TIMEOUT(window->incident()->session()->current()->id.value, u"fleet-wide"_s,
                              5000); // the canary's change went through
    QTRY_VERIFY(panel->findChild<QPlainTextEdit *>(u"gateRequest"_s)
                    ->toPlainText()
                    .contains(u"192.0.2.1 is not on it"_s));
    offered(*panel, u"gateAbort"_s)->click();
    QVERIFY(!window->isWalking());
    QTRY_VERIFY(!window->drillFleet()->isRunning());
    auto read = readIncident(*std::get<0>(JournalDatabase::open(journal)),
                             window->incident()->session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    QVERIFY(std::get<IncidentJournal>(read).incident.drill);
}

QTEST_MAIN(TestMainWindowIncident)
#include "tst_main_window_incident.moc"
