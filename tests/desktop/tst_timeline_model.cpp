#include "app/desktop/timeline_dock.h"
#include "app/desktop/timeline_filter_model.h"
#include "app/desktop/timeline_model.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/session.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFont>
#include <QJsonArray>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kT0 = 1700000000000; // 2023-11-14T22:13:20Z

// Two lanes with titles; the events below also name a lane and a step it does not declare.
const char kPlaybook[] =
    "runlane: 1\n"
    "id: timeline-test\n"
    "title: Timeline test\n"
    "lanes:\n"
    "  - {id: device, title: Device}\n"
    "  - {id: node, title: Edge node}\n"
    "start: look\n"
    "steps:\n"
    "  - {id: look, type: task, title: Look at the node, lane: node, next: pick}\n"
    "  - id: pick\n"
    "    type: decision\n"
    "    title: Roll back?\n"
    "    options:\n"
    "      - {label: Roll back, next: done}\n"
    "      - {label: Keep it, next: done}\n"
    "  - {id: done, type: end, title: Done, outcome: resolved}\n";

Event makeEvent(qint64 offsetMs, EventKind kind, const QString &stepId, const QString &lane,
                const QString &actor, const QString &text)
{
    Event e;
    e.utcMs = kT0 + offsetMs;
    e.kind = kind;
    e.stepId = stepId;
    e.lane = lane;
    e.actor = actor;
    e.text = text;
    return e;
}

// An incident in short: a person's moves, runlane's automated work, a note with a tab and a line
// break in it, a step and a lane the playbook does not know.
QList<Event> smallIncident()
{
    return {
        makeEvent(0, EventKind::IncidentStarted, {}, {}, u"dana"_s,
                  u"Incident started with playbook 'Timeline test'"_s),
        makeEvent(5000, EventKind::StepEntered, u"look"_s, u"node"_s, u"dana"_s,
                  u"Entered 'Look at the node'"_s),
        makeEvent(65000, EventKind::TaskCompleted, u"look"_s, u"node"_s, u"dana"_s,
                  u"Completed: 2 of 2 ticked"_s),
        makeEvent(66000, EventKind::StepEntered, u"pick"_s, u"device"_s, u"dana"_s,
                  u"Entered 'Roll back?'"_s),
        makeEvent(125000, EventKind::DecisionMade, u"pick"_s, u"device"_s, u"dana"_s,
                  u"Chose 'Roll back'"_s),
        makeEvent(3723000, EventKind::WorkResult, u"probe"_s, u"control-plane"_s, u"runlane"_s,
                  u"HTTP 200"_s),
        makeEvent(3724000, EventKind::NoteAdded, u"probe"_s, u"control-plane"_s, u"sam"_s,
                  u"Dashboard\tfrozen\nsince 22:10"_s),
    };
}

PlaybookPtr testPlaybook()
{
    const LoadResult loaded = loadPlaybookText(QByteArray(kPlaybook), u"timeline-test.yaml"_s);
    return loaded.ok() ? loaded.playbook : nullptr;
}

QStringList whatColumn(const QAbstractItemModel &model)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(model.index(row, TimelineModel::WhatColumn).data().toString());
    return texts;
}

// Walks the region-outage playbook from its start to its end the way an engineer would, with
// scripted answers for its checks, and returns every event the walk recorded.
QList<Event> walkRegionOutage(PlaybookPtr &playbook)
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/control-plane-region-outage.yaml"));
    if (!loaded.ok())
        return {};
    playbook = loaded.playbook;
    const auto inputs =
        checkInputs(*playbook, {{u"region"_s, u"eu-west-1"_s},
                                {u"failover_region"_s, u"eu-central-1"_s},
                                {u"rollouts"_s, QJsonArray{u"ranker-v42"_s, u"detector-v7"_s}}});
    if (!std::holds_alternative<QJsonObject>(inputs))
        return {};

    QList<Event> events;
    qint64 now = kT0;
    int tick = 0;
    // Moves of people take a while, automated work seconds.
    Session::Clock clock{[&now, &tick] { return now += 2000 + (tick++ * 7919) % 40000; }};
    Session session(
        playbook, u"dana"_s, [&events](const Event &e) { events.append(e); }, clock);
    session.start(u"inc-2041"_s, std::get<QJsonObject>(inputs));

    const QHash<QString, QList<WorkResult>> results{
        {u"check-region-api"_s, {WorkResult::ofValue(0.02)}},
        {u"check-failover-capacity"_s, {WorkResult::ofValue(0.41)}},
        {u"verify-failover"_s, {WorkResult::ofValue(0.35), WorkResult::ofValue(0.93)}},
        {u"pin-versions"_s,
         {WorkResult::response(200, QJsonObject{{u"pin"_s, QJsonObject{{u"id"_s, u"pin-8841"_s}}}},
                               180)}},
    };
    QHash<QString, int> served;
    bool noted = false;
    for (int guard = 0; guard < 200 && session.waiting() != Session::Waiting::Ended; ++guard) {
        const Step *step = session.current();
        const QString id = step->id.value;
        switch (session.waiting()) {
        case Session::Waiting::Task:
            session.completeTask(
                QList<Session::Mark>(step->checklist.size(), Session::Mark::Ticked));
            break;
        case Session::Waiting::Decision:
            if (!noted) {
                session.addNote(u"Customer support informed; EU dashboards read-only until the "
                                u"failover completes"_s);
                noted = true;
            }
            session.decide(step->options.constFirst().label.value);
            break;
        case Session::Waiting::Choice:
            session.choose(session.choices().constFirst());
            break;
        case Session::Waiting::Confirm:
            session.confirmAction();
            break;
        case Session::Waiting::Work:
        case Session::Waiting::Wait: {
            if (session.waiting() == Session::Waiting::Wait && !step->until) {
                session.waitElapsed();
                break;
            }
            const std::optional<WorkRequest> work = session.beginWork();
            if (!work)
                return {};
            const QList<WorkResult> scripted = results.value(id);
            const int n = served[id]++;
            session.feed(scripted.isEmpty()
                             ? WorkResult::response(202, QJsonObject{{u"status"_s, u"ok"_s}}, 95)
                             : scripted.at(std::min(n, int(scripted.size()) - 1)),
                         work->token);
            break;
        }
        case Session::Waiting::NotStarted:
        case Session::Waiting::Ended:
            break;
        }
    }
    return events;
}

} // namespace

class TestTimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelTester();
    void display_data();
    void display();
    void rolesAndTooltips();
    void mutedAndBold();
    void lanes();
    void filter_data();
    void filter();
    void copyText();
    void dockCopiesSelectionOrShown();
    void dockFollowsNewest();
    void manyEvents();
    void sessionTimeline();

private:
    PlaybookPtr m_playbook;
};

void TestTimelineModel::initTestCase()
{
    m_playbook = testPlaybook();
    QVERIFY(m_playbook);
}

// The tester watches every change both models signal: live appends, a playbook set late, a
// reset, filters changing while events come in, and a clear.
void TestTimelineModel::modelTester()
{
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TimelineFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester filterTester(&filter,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QList<Event> events = smallIncident();
    for (const Event &e : events)
        model.append(e);
    QCOMPARE(model.rowCount(), int(events.size()));
    model.setPlaybook(m_playbook);
    filter.setText(u"roll"_s);
    QCOMPARE(filter.rowCount(), 2);
    filter.setText({});
    filter.setPeopleOnly(true);
    filter.setLane(u"control-plane"_s);
    QCOMPARE(filter.rowCount(), 1);
    model.append(events.at(5)); // automated: filtered out as it comes
    QCOMPARE(filter.rowCount(), 1);
    model.append(events.at(6));
    QCOMPARE(filter.rowCount(), 2);
    filter.setText(u"frozen"_s);
    QCOMPARE(filter.rowCount(), 2);
    filter.setText({});
    model.setEvents(events);
    QCOMPARE(model.rowCount(), int(events.size()));
    QCOMPARE(filter.rowCount(), 1);
    filter.setLane({});
    filter.setPeopleOnly(false);
    QCOMPARE(filter.rowCount(), model.rowCount());
    model.setPlaybook(nullptr);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(filter.rowCount(), 0);
    model.append(events.at(0));
    QCOMPARE(filter.rowCount(), 1);
}

void TestTimelineModel::display_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QStringList>("cells");
    QTest::newRow("incident started") << 0
                                      << QStringList{u"22:13:20"_s,
                                                     u"+00:00"_s,
                                                     {},
                                                     {},
                                                     u"incident started"_s,
                                                     u"dana"_s,
                                                     u"Incident started with playbook "
                                                     u"'Timeline test'"_s};
    QTest::newRow("step entered") << 1
                                  << QStringList{u"22:13:25"_s,
                                                 u"+00:05"_s,
                                                 u"Edge node"_s,
                                                 u"Look at the node"_s,
                                                 u"step entered"_s,
                                                 u"dana"_s,
                                                 u"Entered 'Look at the node'"_s};
    QTest::newRow("task completed") << 2
                                    << QStringList{u"22:14:25"_s,
                                                   u"+01:05"_s,
                                                   u"Edge node"_s,
                                                   u"Look at the node"_s,
                                                   u"task completed"_s,
                                                   u"dana"_s,
                                                   u"Completed: 2 of 2 ticked"_s};
    QTest::newRow("decision") << 4
                              << QStringList{u"22:15:25"_s,         u"+02:05"_s,        u"Device"_s,
                                             u"Roll back?"_s,       u"decision made"_s, u"dana"_s,
                                             u"Chose 'Roll back'"_s};
    // A lane and a step the playbook does not declare show their ids; past an hour, hours show.
    QTest::newRow("unknown step and lane")
        << 5 << QStringList{u"23:15:23"_s,    u"+1:02:03"_s, u"control-plane"_s, u"probe"_s,
                            u"work result"_s, u"runlane"_s,  u"HTTP 200"_s};
}

void TestTimelineModel::display()
{
    QFETCH(int, row);
    QFETCH(QStringList, cells);
    TimelineModel model;
    model.setPlaybook(m_playbook);
    model.setEvents(smallIncident());
    QCOMPARE(model.columnCount(), int(cells.size()));
    QStringList shown;
    for (int column = 0; column < model.columnCount(); ++column)
        shown.append(model.index(row, column).data().toString());
    QCOMPARE(shown, cells);
}

void TestTimelineModel::rolesAndTooltips()
{
    TimelineModel model;
    model.setPlaybook(m_playbook);
    model.setEvents(smallIncident());
    const auto cell = [&model](int row, int column, int role) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(1, TimelineModel::TimeColumn, Qt::ToolTipRole).toString(),
             u"2023-11-14T22:13:25.000Z"_s);
    QCOMPARE(cell(1, TimelineModel::StepColumn, Qt::ToolTipRole).toString(), u"look"_s);
    QCOMPARE(cell(1, TimelineModel::LaneColumn, Qt::ToolTipRole).toString(), u"node"_s);
    QCOMPARE(cell(4, TimelineModel::EventColumn, Qt::ToolTipRole).toString(), u"decision-made"_s);
    QCOMPARE(cell(4, 0, TimelineModel::KindRole).toInt(), int(EventKind::DecisionMade));
    QCOMPARE(cell(4, 0, TimelineModel::LaneIdRole).toString(), u"device"_s);
    QCOMPARE(cell(4, 0, TimelineModel::StepIdRole).toString(), u"pick"_s);
    QCOMPARE(cell(4, 0, TimelineModel::ElapsedMsRole).toLongLong(), 125000);
    QCOMPARE(cell(4, 0, TimelineModel::UtcMsRole).toLongLong(), kT0 + 125000);
    QCOMPARE(cell(4, 0, TimelineModel::AutomatedRole).toBool(), false);
    QCOMPARE(cell(5, 0, TimelineModel::AutomatedRole).toBool(), true);
    QCOMPARE(model.event(6).actor, u"sam"_s);
    QCOMPARE(model.headerData(TimelineModel::TimeColumn, Qt::Horizontal).toString(),
             u"Time (UTC)"_s);
}

void TestTimelineModel::mutedAndBold()
{
    TimelineModel model;
    model.setEvents(smallIncident());
    const QBrush muted = QGuiApplication::palette().brush(QPalette::PlaceholderText);
    for (int column = 0; column < model.columnCount(); ++column) {
        QCOMPARE(model.index(5, column).data(Qt::ForegroundRole).value<QBrush>(), muted);
        QVERIFY(!model.index(1, column).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(1, column).data(Qt::FontRole).isValid());
    }
    // A decision: its event and text bold, lane and step titles as they are.
    for (const int column : {int(TimelineModel::EventColumn), int(TimelineModel::WhatColumn)})
        QVERIFY(model.index(4, column).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!model.index(4, TimelineModel::StepColumn).data(Qt::FontRole).isValid());
}

void TestTimelineModel::lanes()
{
    TimelineModel model;
    QSignalSpy changed(&model, &TimelineModel::lanesChanged);
    model.setEvents(smallIncident());
    const auto ids = [&model] {
        QStringList list;
        for (const TimelineModel::LaneName &lane : model.lanes())
            list.append(lane.id + u'=' + lane.title);
        return list;
    };
    // Before the playbook, lanes as the events name them, in order of their first event.
    QCOMPARE(ids(),
             (QStringList{u"node=node"_s, u"device=device"_s, u"control-plane=control-plane"_s}));
    QCOMPARE(model.index(1, TimelineModel::LaneColumn).data().toString(), u"node"_s);
    QCOMPARE(model.index(1, TimelineModel::StepColumn).data().toString(), u"look"_s);

    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    model.setPlaybook(m_playbook);
    QCOMPARE(dataChanged.size(), 1);
    QCOMPARE(ids(), (QStringList{u"device=Device"_s, u"node=Edge node"_s,
                                 u"control-plane=control-plane"_s}));
    QCOMPARE(model.index(1, TimelineModel::LaneColumn).data().toString(), u"Edge node"_s);
    QCOMPARE(model.index(1, TimelineModel::StepColumn).data().toString(), u"Look at the node"_s);

    changed.clear();
    model.append(makeEvent(4000000, EventKind::NoteAdded, u"x"_s, u"gpu"_s, u"dana"_s, u"n"_s));
    QCOMPARE(changed.size(), 1);
    model.append(makeEvent(4000001, EventKind::NoteAdded, u"x"_s, u"gpu"_s, u"dana"_s, u"m"_s));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.lanes().constLast().id, u"gpu"_s);
}

void TestTimelineModel::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("lane");
    QTest::addColumn<bool>("peopleOnly");
    QTest::addColumn<QStringList>("shown");

    const QList<Event> all = smallIncident();
    QStringList every;
    for (const Event &e : all)
        every.append(e.text);

    QTest::newRow("nothing") << QString() << QString() << false << every;
    QTest::newRow("text, any case")
        << u"ROLL"_s << QString() << false
        << QStringList{u"Entered 'Roll back?'"_s, u"Chose 'Roll back'"_s};
    QTest::newRow("lane title") << u"edge node"_s << QString() << false
                                << QStringList{every.at(1), every.at(2)};
    QTest::newRow("event title") << u"decision made"_s << QString() << false
                                 << QStringList{every.at(4)};
    QTest::newRow("who") << u"sam"_s << QString() << false << QStringList{every.at(6)};
    QTest::newRow("time") << u"23:15"_s << QString() << false
                          << QStringList{every.at(5), every.at(6)};
    QTest::newRow("step id behind a title")
        << u"look"_s << QString() << false << QStringList{every.at(1), every.at(2)};
    QTest::newRow("every word, in any column")
        << u"dana device"_s << QString() << false << QStringList{every.at(3), every.at(4)};
    QTest::newRow("no match") << u"kubernetes"_s << QString() << false << QStringList{};
    QTest::newRow("lane") << QString() << u"node"_s << false
                          << QStringList{every.at(1), every.at(2)};
    QTest::newRow("undeclared lane")
        << QString() << u"control-plane"_s << false << QStringList{every.at(5), every.at(6)};
    QTest::newRow("people only") << QString() << QString() << true
                                 << QStringList{every.at(0), every.at(1), every.at(2),
                                                every.at(3), every.at(4), every.at(6)};
    QTest::newRow("all three") << u"frozen"_s << u"control-plane"_s << true
                               << QStringList{every.at(6)};
}

void TestTimelineModel::filter()
{
    QFETCH(QString, text);
    QFETCH(QString, lane);
    QFETCH(bool, peopleOnly);
    QFETCH(QStringList, shown);
    TimelineModel model;
    model.setPlaybook(m_playbook);
    model.setEvents(smallIncident());
    TimelineFilterModel filter;
    filter.setSourceModel(&model);
    filter.setText(text);
    filter.setLane(lane);
    filter.setPeopleOnly(peopleOnly);
    QCOMPARE(whatColumn(filter), shown);
}

void TestTimelineModel::copyText()
{
    TimelineModel model;
    model.setPlaybook(m_playbook);
    model.setEvents(smallIncident());
    QCOMPARE(TimelineModel::tabSeparated(model, {0, 4, 6}),
             u"Time (UTC)\tElapsed\tLane\tStep\tEvent\tWho\tWhat\n"
             u"2023-11-14 22:13:20\t+00:00\t\t\tincident started\tdana\t"
             u"Incident started with playbook 'Timeline test'\n"
             u"2023-11-14 22:15:25\t+02:05\tDevice\tRoll back?\tdecision made\tdana\t"
             u"Chose 'Roll back'\n"
             u"2023-11-14 23:15:24\t+1:02:04\tcontrol-plane\tprobe\tnote added\tsam\t"
             u"Dashboard frozen since 22:10\n"_s);
    QCOMPARE(TimelineModel::tabSeparated(model, {}),
             u"Time (UTC)\tElapsed\tLane\tStep\tEvent\tWho\tWhat\n"_s);
}

void TestTimelineModel::dockCopiesSelectionOrShown()
{
    TimelineDock dock;
    QCOMPARE(dock.objectName(), u"timelineDock"_s);
    QCOMPARE(dock.windowTitle(), u"Timeline"_s);
    dock.model()->setPlaybook(m_playbook);
    dock.model()->setEvents(smallIncident());

    // Nothing selected: every row shown, here those of one lane.
    auto *lanes = dock.findChild<QComboBox *>(u"timelineLanes"_s);
    QVERIFY(lanes);
    QCOMPARE(lanes->itemText(0), u"All lanes"_s);
    QCOMPARE(lanes->count(), 4);
    lanes->setCurrentIndex(lanes->findData(u"node"_s));
    const QString header = u"Time (UTC)\tElapsed\tLane\tStep\tEvent\tWho\tWhat\n"_s;
    QCOMPARE(dock.copyText(),
             header +
                 u"2023-11-14 22:13:25\t+00:05\tEdge node\tLook at the node\tstep entered\tdana\t"
                 u"Entered 'Look at the node'\n"
                 u"2023-11-14 22:14:25\t+01:05\tEdge node\tLook at the node\ttask completed\tdana\t"
                 u"Completed: 2 of 2 ticked\n"_s);

    // Selected rows, in the timeline's order whatever the order they were selected in.
    lanes->setCurrentIndex(0);
    auto *people = dock.findChild<QCheckBox *>(u"timelinePeopleOnly"_s);
    QVERIFY(people);
    people->setChecked(true);
    QCOMPARE(dock.filterModel()->rowCount(), 6);
    QItemSelectionModel *selection = dock.view()->selectionModel();
    selection->select(dock.filterModel()->index(5, 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(dock.filterModel()->index(4, 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString selected =
        header +
        u"2023-11-14 22:15:25\t+02:05\tDevice\tRoll back?\tdecision made\tdana\tChose 'Roll back'\n"
        u"2023-11-14 23:15:24\t+1:02:04\tcontrol-plane\tprobe\tnote added\tsam\t"
        u"Dashboard frozen since 22:10\n"_s;
    QCOMPARE(dock.copyText(), selected);

    // Ctrl+C on the table copies those rows, not the current cell.
    QApplication::clipboard()->clear();
    QTest::keySequence(dock.view(), QKeySequence::Copy);
    QCOMPARE(QApplication::clipboard()->text(), selected);

    // The filter field narrows the rows; Escape there clears it.
    auto *text = dock.findChild<QLineEdit *>(u"timelineFilter"_s);
    QVERIFY(text);
    QCOMPARE(text->placeholderText(), u"Filter timeline"_s);
    QTest::keyClicks(text, u"frozen"_s);
    QCOMPARE(dock.filterModel()->rowCount(), 1);
    QTest::keyClick(text, Qt::Key_Escape);
    QCOMPARE(text->text(), QString());
    QCOMPARE(dock.filterModel()->rowCount(), 6);
}

// The newest event stays in view while the engineer is at the bottom; once they scroll up, the
// view stays where they are.
void TestTimelineModel::dockFollowsNewest()
{
    TimelineDock dock;
    dock.resize(900, 300);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QScrollBar *bar = dock.view()->verticalScrollBar();
    const auto add = [&dock](int n) {
        for (int i = 0; i < n; ++i) {
            const int row = dock.model()->rowCount();
            dock.model()->append(makeEvent(row * 1000, EventKind::NoteAdded, u"look"_s, u"node"_s,
                                           u"dana"_s, u"Note %1"_s.arg(row)));
        }
    };
    add(100);
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    bar->setValue(bar->maximum() / 2);
    const int kept = bar->value();
    add(50);
    QTRY_VERIFY(bar->maximum() > 2 * kept + 40);
    QCOMPARE(bar->value(), kept);

    bar->setValue(bar->maximum());
    add(50);
    QTRY_VERIFY(bar->maximum() > 2 * kept + 80);
    QCOMPARE(bar->value(), bar->maximum());
}

// 10,000 events appended one by one into a shown dock; the time is printed, not asserted.
void TestTimelineModel::manyEvents()
{
    TimelineDock dock;
    dock.model()->setPlaybook(m_playbook);
    dock.resize(1000, 400);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    const QList<Event> base = smallIncident();

    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 10000; ++i) {
        Event e = base.at(i % base.size());
        e.utcMs = kT0 + i * 250;
        dock.model()->append(e);
    }
    QCoreApplication::processEvents();
    const qint64 appended = timer.elapsed();
    QCOMPARE(dock.model()->rowCount(), 10000);
    QCOMPARE(dock.filterModel()->rowCount(), 10000);

    timer.restart();
    dock.filterModel()->setText(u"roll back"_s);
    QCoreApplication::processEvents();
    const qint64 filtered = timer.elapsed();
    QVERIFY(dock.filterModel()->rowCount() > 0);
    qInfo("10,000 events appended and shown in %lld ms, filtered in %lld ms", appended, filtered);
}

// A real walk's events in the dock: named by the playbook, muted where runlane acted. With
// RUNLANE_SHOT_DIR set, the dock is saved there as a picture for a person to judge.
void TestTimelineModel::sessionTimeline()
{
    PlaybookPtr playbook;
    const QList<Event> events = walkRegionOutage(playbook);
    QVERIFY(playbook);
    QVERIFY2(events.size() >= 20, qPrintable(QString::number(events.size())));
    QCOMPARE(int(events.constLast().kind), int(EventKind::IncidentEnded));

    TimelineDock dock;
    dock.model()->setPlaybook(playbook);
    for (const Event &e : events)
        dock.model()->append(e);
    dock.resize(1280, 420);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));

    TimelineModel *model = dock.model();
    QSet<QString> lanes;
    for (int row = 0; row < model->rowCount(); ++row)
        lanes.insert(model->index(row, TimelineModel::LaneColumn).data().toString());
    QVERIFY(lanes.contains(u"Control plane (regional and global)"_s));
    QVERIFY(lanes.contains(u"Edge node (micro-GPU island)"_s));
    auto *people = dock.findChild<QCheckBox *>(u"timelinePeopleOnly"_s);
    const QString dir = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(50);
        QVERIFY(dock.grab().save(dir + u"/timeline-dock.png"_s));
    }
    people->setChecked(true);
    QVERIFY(dock.filterModel()->rowCount() < model->rowCount());
    if (!dir.isEmpty()) {
        dock.view()->scrollToTop();
        QTest::qWait(50);
        QVERIFY(dock.grab().save(dir + u"/timeline-dock-people.png"_s));
    }
}

QTEST_MAIN(TestTimelineModel)
#include "tst_timeline_model.moc"
