#include "app/desktop/incident_panel.h"
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
#include <QPlainTextEdit>
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

private:
    std::unique_ptr<FleetSimProcess> m_sim;
    HttpClient m_http;
};

void TestIncidentPanel::initTestCase()
{
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

// With RUNLANE_SHOT_DIR set, the panel as it looks at that moment, for a person to judge.
void shoot(QWidget &panel, const QString &name)
{
    const QString dir = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    if (!dir.isEmpty())
        panel.grab().save(dir + u"/panel-"_s + name + u".png"_s);
}

} // namespace

void TestIncidentPanel::walksTheDrill()
{
    QFETCH(bool, keyboard);
    m_http.send("POST", m_sim->url(u"/_sim/reset"_s));
    const Drill d = Drill::aimedAt(m_sim->port(), 10, u"panel-token-0123"_s);
    QVERIFY(d.playbook && d.targets.problems.isEmpty() && !d.inputs.isEmpty());
    const QString base = u"http://127.0.0.1:%1"_s.arg(m_sim->port());
    QTemporaryDir dir;
    auto opened = IncidentRecorder::open(dir.filePath(u"journal.sqlite"_s));
    QVERIFY(std::holds_alternative<std::unique_ptr<IncidentRecorder>>(opened));
    IncidentRecorder &recorder = *std::get<std::unique_ptr<IncidentRecorder>>(opened);
    IncidentDriver driver(recorder, d.targets);
    IncidentPanel panel;
    panel.resize(700, 800);
    panel.setDriver(&driver);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.activateWindow();
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
    QVERIFY(panel.findChild<QPlainTextEdit *>(u"gateRequest"_s)
                ->toPlainText()
                .contains(u"Fan-out: 10 endpoints"_s));
    keyboard ? press(Qt::Key_Return) : QTest::mouseClick(confirm, Qt::LeftButton);
    for (int wave = 0; wave < 2; ++wave) {
        QPushButton *next = offered(panel, u"waveContinue"_s);
        QVERIFY2(next, qPrintable(u"wave gate %1"_s.arg(wave + 1)));
        shoot(panel, u"wave-gate"_s);
        keyboard ? press(Qt::Key_Return) : QTest::mouseClick(next, Qt::LeftButton);
    }
    // A note, then the decision.
    QPushButton *yes = offered(panel, u"option-1"_s);
    QVERIFY(yes);
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

QTEST_MAIN(TestIncidentPanel)
#include "tst_incident_panel.moc"
