#include "app/desktop/incident_panel.h"
#include "app/desktop/inputs_dialog.h"
#include "app/desktop/inputs_form.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/timeline_dock.h"
#include "app/desktop/timeline_model.h"
#include "app/shared/incident_driver.h"
#include "engine/journal/journal_reader.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QApplication>
#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
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

private:
    std::unique_ptr<FleetSimProcess> m_sim;
    QTemporaryDir m_dir;
};

void TestMainWindowIncident::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
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
    if (!dir.isEmpty())
        window.grab().save(dir + u"/window-"_s + name + u".png"_s);
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
}

QTEST_MAIN(TestMainWindowIncident)
#include "tst_main_window_incident.moc"
