#include "app/desktop/incident_panel.h"
#include "app/desktop/theme.h"
#include "drill_fixture.h"
#include "engine/journal/journal_reader.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QApplication>
#include <QCheckBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The step panel walks the rollback drill against runlane-fleetsim with the keyboard alone, then
// with the mouse alone: checklist, action gates showing the exact request, fan-out wave gates, a
// note, a decision by number. The journal then holds what was done.
class TestIncidentPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void walksTheDrill_data();
    void walksTheDrill();
    void goesBackPausesAndShowsClocks();

private:
    std::unique_ptr<FleetSimProcess> m_sim;
    HttpClient m_http;
};

void TestIncidentPanel::initTestCase()
{
    if (const auto theme = themeFromString(qEnvironmentVariable("RUNLANE_SHOT_THEME")))
        applyTheme(*theme); // screenshots in either theme (scripts/screenshots)
    m_sim = std::make_unique<FleetSimProcess>(
        QStringList{u"--nodes"_s, u"10"_s, u"--latency"_s, u"20"_s});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
}

void TestIncidentPanel::walksTheDrill_data()
{
    QTest::addColumn<bool>("keyboard");
    QTest::newRow("keyboard") << true;
    QTest::newRow("mouse") << false;
}

namespace {

QPushButton *button(IncidentPanel &panel, const QString &name)
{
    QPushButton *b = panel.findChild<QPushButton *>(name);
    return b && b->isVisible() && b->isEnabled() ? b : nullptr;
}

// Waits (bounded) until the panel offers `name`.
QPushButton *offered(IncidentPanel &panel, const QString &name)
{
    for (int i = 0; i < 2000; ++i) {
        if (QPushButton *b = button(panel, name))
            return b;
        QTest::qWait(10);
    }
    return nullptr;
}

// A journal in a temporary folder, a driver for the drill and the panel on it, shown and active.
struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<IncidentRecorder> recorder;
    std::unique_ptr<IncidentDriver> driver;
    IncidentPanel panel;

    bool setUp(const Drill &d)
    {
        auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
        if (!std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened))
            return false;
        recorder = std::move(std::get<std::unique_ptr<IncidentRecorder>>(opened));
        driver = std::make_unique<IncidentDriver>(*recorder, d.targets);
        panel.resize(700, 800);
        panel.setDriver(driver.get());
        panel.show();
        panel.activateWindow();
        return QTest::qWaitForWindowExposed(&panel) && QTest::qWaitForWindowActive(&panel);
    }
};

// With RUNLANE_SHOT_DIR set, the panel as it looks at that moment, for a person to judge.
void shoot(QWidget &panel, const QString &name)
{
    const QString dir = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(50); // new buttons show and layouts settle on posted events
        panel.grab().save(dir + u"/panel-"_s + name + u".png"_s);
    }
}

} // namespace

void TestIncidentPanel::walksTheDrill()
{
    QFETCH(bool, keyboard);
    m_http.send("POST", m_sim->url(u"/_sim/reset"_s));
    const Drill d = Drill::aimedAt(m_sim->port(), 10, u"panel-token-0123"_s);
    QVERIFY(d.playbook && d.targets.problems.isEmpty() && !d.inputs.isEmpty());
    const QString base = u"http://127.0.0.1:%1"_s.arg(m_sim->port());
    Rig rig;
    QVERIFY(rig.setUp(d));
    IncidentRecorder &recorder = *rig.recorder;
    IncidentDriver &driver = *rig.driver;
    IncidentPanel &panel = rig.panel;
    driver.start(d.playbook, d.inputs, u"alice"_s, false, false);

    const auto press = [&panel](Qt::Key key) {
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : &panel;
        QTest::keyClick(target, key);
    };
    // The task: tick the first item only, then done.
    QPushButton *done = offered(panel, u"taskDone"_s);
    QVERIFY(done);
    const auto boxes = panel.findChildren<QCheckBox *>();
    QCOMPARE(boxes.size(), 2);
    if (keyboard) {
        QVERIFY(boxes.at(0)->hasFocus());
        press(Qt::Key_Space);
        press(Qt::Key_Return);
    } else {
        QTest::mouseClick(boxes.at(0), Qt::LeftButton);
        QTest::mouseClick(done, Qt::LeftButton);
    }
    // The canary's gate shows the exact request, secrets as ***.
    QPushButton *confirm = offered(panel, u"gateConfirm"_s);
    QVERIFY(confirm);
    const QString request = panel.findChild<QPlainTextEdit *>(u"gateRequest"_s)->toPlainText();
    QVERIFY2(request.startsWith(u"PUT "_s + base + u"/models/ranker/3.1/set-default"_s),
             qPrintable(request));
    QVERIFY(request.contains(u"Authorization: Bearer ***"_s));
    QVERIFY(!request.contains(u"panel-token-0123"_s));
    shoot(panel, u"gate"_s);
    keyboard ? press(Qt::Key_Return) : QTest::mouseClick(confirm, Qt::LeftButton);
    // The fan-out's gate, then its two wave gates.
    for (int i = 0; i < 100 && driver.session()->current()->id.value != u"fleet-wide"; ++i)
        QTest::qWait(20);
    confirm = offered(panel, u"gateConfirm"_s);
    QVERIFY(confirm);
    const QString fanout = panel.findChild<QPlainTextEdit *>(u"gateRequest"_s)->toPlainText();
    QVERIFY(fanout.contains(u"Fan-out: 10 endpoints"_s));
    // The endpoints per wave: 10%, 50%, 100% of 10.
    QVERIFY2(
        fanout.contains(u"Wave 1 (1):\n  "_s + base + u"/nodes/0/models/ranker/3.1/set-default"_s),
        qPrintable(fanout));
    QVERIFY(fanout.contains(u"Wave 2 (4):"_s) && fanout.contains(u"Wave 3 (5):"_s));
    keyboard ? press(Qt::Key_Return) : QTest::mouseClick(confirm, Qt::LeftButton);
    for (int wave = 0; wave < 2; ++wave) {
        QPushButton *next = offered(panel, u"waveContinue"_s);
        QVERIFY2(next, qPrintable(u"wave gate %1"_s.arg(wave + 1)));
        shoot(panel, u"wave-gate"_s);
        keyboard ? press(Qt::Key_Return) : QTest::mouseClick(next, Qt::LeftButton);
    }
    // A note, then the decision.
    QPushButton *yes = offered(panel, u"option-1"_s);
    QVERIFY2(yes, qPrintable(panel.findChild<QLabel *>(u"walkStatus"_s)->text() + u" held="_s +
                             QString::number(driver.isFanoutHeld()) +
                             toString(driver.session()->waiting())));
    auto *note = panel.findChild<QLineEdit *>(u"noteField"_s);
    if (keyboard) {
        QTest::keyClick(&panel, Qt::Key_N, Qt::ControlModifier);
        QVERIFY(note->hasFocus());
        QTest::keyClicks(note, u"Errors back to normal"_s);
        QTest::keyClick(note, Qt::Key_Return);
        QTest::keyClick(yes, Qt::Key_1);
    } else {
        QTest::mouseClick(note, Qt::LeftButton);
        QTest::keyClicks(note, u"Errors back to normal"_s);
        QTest::keyClick(note, Qt::Key_Return); // typing needs the keyboard either way
        QTest::mouseClick(yes, Qt::LeftButton);
    }
    QCOMPARE(toString(driver.session()->waiting()), u"ended"_s);
    QCOMPARE(toString(*driver.session()->outcome()), u"mitigated"_s);
    QVERIFY(panel.findChild<QLabel *>(u"walkStatus"_s)->text().contains(u"mitigated"_s));

    auto read = readIncident(recorder.database(), driver.session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QStringList moves;
    for (const Event &e : j.events) {
        const bool move = e.kind == EventKind::TaskCompleted ||
                          e.kind == EventKind::ActionConfirmed || e.kind == EventKind::NoteAdded ||
                          e.kind == EventKind::DecisionMade;
        if (move) {
            QCOMPARE(e.actor, u"alice"_s);
            moves.append(toString(e.kind) + u' ' + e.stepId);
        }
    }
    QCOMPARE(moves, (QStringList{u"task-completed triage"_s, u"action-confirmed canary"_s,
                                 u"action-confirmed fleet-wide"_s, u"note-added confirm"_s,
                                 u"decision-made confirm"_s}));
    for (const Event &e : j.events) {
        if (e.kind == EventKind::TaskCompleted)
            QCOMPARE(e.details.value(u"checklist"_s).toArray().at(1).toObject().value(u"state"_s),
                     QJsonValue(u"skipped"_s));
    }
    QCOMPARE(j.attempts.size(), 11);
}

// Back to an earlier step from the menu (Alt+Left), the budget clocks, and a fan-out paused
// mid-wave: nothing more is sent until it continues. All of it lands in the journal.
void TestIncidentPanel::goesBackPausesAndShowsClocks()
{
    // Slow answers, so that a wave is still going when it is paused.
    FleetSimProcess slow(QStringList{u"--nodes"_s, u"40"_s, u"--latency"_s, u"150"_s});
    QString error;
    QVERIFY2(slow.waitUntilListening(&error), qPrintable(error));
    const Drill d = Drill::aimedAt(slow.port(), 40, u"panel-token-0123"_s);
    QVERIFY(d.playbook && !d.inputs.isEmpty());
    Rig rig;
    QVERIFY(rig.setUp(d));
    IncidentRecorder &recorder = *rig.recorder;
    IncidentDriver &driver = *rig.driver;
    IncidentPanel &panel = rig.panel;
    qsizetype done = 0;
    connect(&driver, &IncidentDriver::fanoutProgressed, this,
            [&done](const FanoutProgress &p) { done = p.done(); });
    driver.start(d.playbook, d.inputs, u"alice"_s, false, false);

    // The budget's clocks run from the start; acknowledging stops the first.
    QVERIFY(offered(panel, u"taskDone"_s));
    auto *clocks = panel.findChild<QLabel *>(u"responseClocks"_s);
    QVERIFY(clocks->isVisible());
    QVERIFY2(clocks->text().contains(u"Acknowledge: 0:0"_s), qPrintable(clocks->text()));
    QVERIFY(clocks->text().contains(u"of 5:00"_s));
    QVERIFY(clocks->text().contains(u"Mitigate"_s) && clocks->text().contains(u"Resolve"_s));

    // Back to the check before the task, by keyboard: it runs again and the task comes back.
    auto *back = panel.findChild<QPushButton *>(u"goBack"_s);
    QVERIFY(back->isVisible());
    const QList<QAction *> earlier = back->menu()->actions();
    QCOMPARE(earlier.size(), 1);
    QCOMPARE(earlier.constFirst()->data().toString(), u"healthy"_s);
    QTimer::singleShot(0, back->menu(), [menu = back->menu()] {
        QTest::keyClick(menu, Qt::Key_Down);
        QTest::keyClick(menu, Qt::Key_Return);
    });
    QTest::keyClick(&panel, Qt::Key_Left, Qt::AltModifier);
    QTRY_COMPARE_WITH_TIMEOUT(driver.session()->path(),
                              (QStringList{u"healthy"_s, u"triage"_s, u"healthy"_s, u"triage"_s}),
                              5000);
    QTRY_VERIFY(clocks->text().contains(u"Acknowledge: reached in"_s));
    QTRY_VERIFY(offered(panel, u"taskDone"_s));
    offered(panel, u"taskDone"_s)->click();
    offered(panel, u"gateConfirm"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(driver.session()->current()->id.value, u"fleet-wide"_s, 5000);
    offered(panel, u"gateConfirm"_s)->click();
    QPushButton *next = offered(panel, u"waveContinue"_s); // 4 of 40 done
    QVERIFY(next);
    next->click();

    // Wave 2 (16 endpoints, 4 at a time, 150 ms each): pause it part way.
    QPointer<QPushButton> pause = offered(panel, u"fanoutHold"_s);
    QVERIFY(pause);
    QVERIFY(pause->text().startsWith(u"Pause"_s));
    QTRY_VERIFY(done > 4); // the first of wave 2's answers are in
    shoot(panel, u"fanout-running"_s);
    QVERIFY(pause); // wave 2 takes about 600 ms: still under way
    pause->click();
    QVERIFY(driver.isFanoutHeld());
    auto *status = panel.findChild<QLabel *>(u"walkStatus"_s);
    QTRY_VERIFY2(status->text().contains(u"PAUSED"_s), qPrintable(status->text()));
    // What was sent finishes (150 ms each); then the count stays, for good.
    qsizetype settled = -1;
    for (int i = 0; i < 20 && settled != done; ++i) {
        settled = done;
        QTest::qWait(400);
    }
    QCOMPARE(settled, done);
    shoot(panel, u"fanout-paused"_s);
    QVERIFY2(done < 20, qPrintable(QString::number(done))); // wave 2 (4 + 16) did not end
    QTest::qWait(600);
    QCOMPARE(done, settled); // nothing more was sent
    QCOMPARE(toString(driver.session()->waiting()), u"work"_s);
    QPushButton *resume = offered(panel, u"fanoutHold"_s);
    QVERIFY(resume->text().startsWith(u"Continue"_s));
    QTest::keyClick(resume, Qt::Key_Return);
    QVERIFY(!driver.isFanoutHeld());
    QVERIFY(offered(panel, u"waveContinue"_s)); // wave 2 went on to its end
    offered(panel, u"waveStop"_s)->click();

    auto read = readIncident(recorder.database(), driver.session()->incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    QStringList notes;
    bool wentBack = false;
    for (const Event &e : std::get<IncidentJournal>(read).events) {
        if (e.kind == EventKind::NoteAdded)
            notes.append(e.text.section(u' ', 0, 2));
        if (e.kind == EventKind::WentBack) {
            wentBack = true;
            QCOMPARE(e.actor, u"alice"_s);
            QCOMPARE(e.details.value(u"to"_s).toString(), u"healthy"_s);
        }
    }
    QVERIFY(wentBack);
    QCOMPARE(notes, (QStringList{u"Paused the fan-out"_s, u"Continued the fan-out"_s}));
}

QTEST_MAIN(TestIncidentPanel)
#include "tst_incident_panel.moc"
