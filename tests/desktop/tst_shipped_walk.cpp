#include "app/desktop/drill_fleet.h"
#include "app/desktop/incident_panel.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/shared/incident_driver.h"
#include "app/shared/os_user.h"
#include "engine/journal/journal_database.h"
#include "engine/journal/journal_reader.h"
#include "engine/session/input_values.h"
#include "window_fixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// A shipped playbook walked end to end in the window, as a drill against the simulated fleet
// the app starts, once with the keyboard alone and once with the mouse alone: every task ticked
// and done, the first option of every decision, every action confirmed, every wave started,
// every wait skipped. The journal then holds each of those moves, by the engineer.
class TestShippedWalk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void walksAShippedPlaybook_data();
    void walksAShippedPlaybook();
};

void TestShippedWalk::walksAShippedPlaybook_data()
{
    QTest::addColumn<QString>("playbook");
    QTest::addColumn<QJsonObject>("inputs");
    QTest::addColumn<bool>("keyboard");
    const QJsonObject triton{{u"node"_s, u"edge-osl-04"_s},
                             {u"model"_s, u"yolo_shelf"_s},
                             {u"model_control"_s, u"explicit"_s}};
    const QJsonObject canary{{u"model"_s, u"ranker"_s}};
    const QJsonObject argo{{u"rollout"_s, u"ranker"_s}};
    QTest::newRow("triton, keyboard") << u"triton-model-not-ready.yaml"_s << triton << true;
    QTest::newRow("triton, mouse") << u"triton-model-not-ready.yaml"_s << triton << false;
    QTest::newRow("canary, keyboard") << u"canary-drift-rollback.yaml"_s << canary << true;
    QTest::newRow("argo, mouse") << u"argo-analysis-failed.yaml"_s << argo << false;
}

namespace {

QPushButton *offeredNow(QWidget &panel, const QString &name)
{
    auto *b = panel.findChild<QPushButton *>(name);
    return b && b->isVisible() && b->isEnabled() ? b : nullptr;
}

// The inputs as the inputs dialog hands them over: checked, defaults applied.
QJsonObject checkedInputs(const Playbook &playbook, const QJsonObject &given)
{
    const auto checked = checkInputs(playbook, given);
    return std::holds_alternative<QJsonObject>(checked) ? std::get<QJsonObject>(checked)
                                                        : QJsonObject{};
}

} // namespace

void TestShippedWalk::walksAShippedPlaybook()
{
    QFETCH(QString, playbook);
    QFETCH(QJsonObject, inputs);
    QFETCH(bool, keyboard);
    QTemporaryDir dir;
    QVERIFY(QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/") + playbook,
                        dir.filePath(playbook)));
    const QString journal = dir.filePath(u"journal.sqlite"_s);
    const auto opened = openWindow(dir.path(), journal, playbook);
    QVERIFY(opened);
    MainWindow &window = *opened;
    QCOMPARE(window.startIncident(checkedInputs(*window.details()->entry().playbook, inputs), false,
                                  true),
             std::nullopt);
    QTRY_VERIFY_WITH_TIMEOUT(window.isWalking(), 60000); // the fleet and Prometheus start
    IncidentPanel *panel = window.incidentPanel();
    const Session &session = *window.incident()->session();
    const auto press = [panel](Qt::Key key) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY2(focus && (focus == panel || panel->isAncestorOf(focus)),
                 "the keyboard is outside the step panel");
        QTest::keyClick(focus, key);
    };

    int people = 0; // the moves made, to find in the journal
    for (int turn = 0; turn < 400 && !session.outcome(); ++turn) {
        QTest::qWait(20);
        if (QPushButton *done = offeredNow(*panel, u"taskDone"_s)) {
            const auto boxes = panel->findChildren<QCheckBox *>();
            for (QCheckBox *box : boxes) {
                if (keyboard) {
                    press(Qt::Key_Space);
                    press(Qt::Key_Tab);
                } else {
                    QTest::mouseClick(box, Qt::LeftButton);
                }
            }
            keyboard ? press(Qt::Key_Return) : QTest::mouseClick(done, Qt::LeftButton);
        } else if (QPushButton *first = offeredNow(*panel, u"option-1"_s)) {
            keyboard ? press(Qt::Key_1) : QTest::mouseClick(first, Qt::LeftButton);
        } else if (QPushButton *confirm = offeredNow(*panel, u"gateConfirm"_s)) {
            keyboard ? press(Qt::Key_Return) : QTest::mouseClick(confirm, Qt::LeftButton);
        } else if (QPushButton *next = offeredNow(*panel, u"waveContinue"_s)) {
            keyboard ? press(Qt::Key_Return) : QTest::mouseClick(next, Qt::LeftButton);
            continue; // a wave started is not an event of its own
        } else if (QPushButton *skip = offeredNow(*panel, u"waitSkip"_s)) {
            keyboard ? press(Qt::Key_Space) : QTest::mouseClick(skip, Qt::LeftButton);
        } else {
            continue; // automated work under way
        }
        ++people;
    }
    QVERIFY2(session.outcome(), qPrintable(u"stopped at "_s + session.current()->id.value));
    QVERIFY(people > 0);
    QTRY_VERIFY(!window.drillFleet()->isRunning());

    auto read = readIncident(*std::get<0>(JournalDatabase::open(journal)), session.incidentId());
    QVERIFY(std::holds_alternative<IncidentJournal>(read));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QVERIFY(j.incident.ended() && j.incident.drill);
    int moves = 0;
    for (const Event &e : j.events) {
        const bool move = e.kind == EventKind::TaskCompleted || e.kind == EventKind::DecisionMade ||
                          e.kind == EventKind::ChoiceMade || e.kind == EventKind::ActionConfirmed ||
                          (e.kind == EventKind::WaitEnded &&
                           e.details.value(u"how"_s).toString() == u"skipped"_s);
        if (move) {
            ++moves;
            QCOMPARE(e.actor, osUser());
        }
    }
    QCOMPARE(moves, people); // every move made, and none refused
    qInfo("%s: %d moves, outcome %s, %lld events", qPrintable(playbook), people,
          qPrintable(j.incident.outcome), qlonglong(j.events.size()));
}

QTEST_MAIN(TestShippedWalk)
#include "tst_shipped_walk.moc"
