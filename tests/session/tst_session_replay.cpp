#include "engine/playbook/loader.h"
#include "engine/session/session.h"
#include "engine/session/session_replay.h"

#include <QJsonArray>

#include <QTest>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

// One of each move a walk can record: a task, a decision, a check with a value, an action at its
// gate with a saved var, an inconclusive result and a choice, a wait skipped, a poll, going back,
// a note, and an end.
const char kPlaybook[] = "runlane: 1\n"
                         "id: replay-test\n"
                         "title: Replay test\n"
                         "lanes:\n"
                         "  - {id: device, title: Device}\n"
                         "  - {id: node, title: Edge node}\n"
                         "  - {id: control-plane, title: Control plane}\n"
                         "inputs:\n"
                         "  model: {prompt: Model, type: string, default: ranker}\n"
                         "targets:\n"
                         "  prom: {kind: prometheus, url: 'http://127.0.0.1:9090'}\n"
                         "  web: {kind: http, url: 'http://127.0.0.1:8080'}\n"
                         "start: triage\n"
                         "steps:\n"
                         "  - id: triage\n"
                         "    type: task\n"
                         "    title: Look at the dashboard\n"
                         "    checklist: [Open it, Note the time]\n"
                         "    next: pick\n"
                         "  - id: pick\n"
                         "    lane: node\n"
                         "    type: decision\n"
                         "    title: Which way?\n"
                         "    options:\n"
                         "      - {label: Check, next: drift}\n"
                         "      - {label: Fix, next: fix}\n"
                         "  - id: drift\n"
                         "    lane: control-plane\n"
                         "    type: check\n"
                         "    title: Drift?\n"
                         "    query: {target: prom, promql: 'max(psi)'}\n"
                         "    when:\n"
                         "      - {if: value > 0.5, next: fix}\n"
                         "    else: pick\n"
                         "  - id: fix\n"
                         "    lane: control-plane\n"
                         "    type: action\n"
                         "    title: Roll back\n"
                         "    target: web\n"
                         "    request: {method: POST, path: /rollback}\n"
                         "    save: {revision: body.revision}\n"
                         "    next: pause\n"
                         "  - id: pause\n"
                         "    type: wait\n"
                         "    title: Wait a while\n"
                         "    duration: 5m\n"
                         "    next: drain\n"
                         "  - id: drain\n"
                         "    lane: node\n"
                         "    type: wait\n"
                         "    title: Wait until drained\n"
                         "    until: {query: {target: prom, promql: 'sum(req)'}, if: value < 1, "
                         "every: 20s}\n"
                         "    timeout: 5m\n"
                         "    next: done\n"
                         "    on_timeout: pick\n"
                         "  - {id: done, type: end, title: Done, outcome: mitigated}\n";

PlaybookPtr load(const QByteArray &text = kPlaybook)
{
    const LoadResult r = loadPlaybookText(text, u"replay-test.yaml"_s);
    return r.ok() ? r.playbook : nullptr;
}

// What a resumed session must have the same as the one that wrote the journal.
struct Snapshot
{
    QString waiting;
    QString step;
    QJsonObject vars;
    QStringList path;
    qint64 stepEnteredAtMs = 0;
    QString outcome;
    QStringList choices;

    static Snapshot of(const Session &s)
    {
        return {toString(s.waiting()),
                s.current() ? s.current()->id.value : QString(),
                s.vars(),
                s.path(),
                s.stepEnteredAtMs(),
                s.outcome() ? toString(*s.outcome()) : QString(),
                s.choices()};
    }
    bool operator==(const Snapshot &) const = default;
};

QString describe(const Snapshot &s)
{
    return u"%1 at %2, path %3, vars %4 keys"_s.arg(s.waiting, s.step, s.path.join(u','))
        .arg(s.vars.size());
}

// Walks the whole test playbook, taking a snapshot after every move with the events so far.
struct Walk
{
    QList<Event> events;
    QList<std::pair<qsizetype, Snapshot>> cuts;
    QList<WorkResult> fed; // every result given, in order
    qint64 now = 1700000000000;
};

void walk(Walk &w)
{
    Session s(
        load(), u"alice"_s, [&w](const Event &e) { w.events.append(e); },
        Session::Clock{[&w] { return w.now; }});
    const auto keep = [&w](const WorkResult &r) {
        w.fed.append(r);
        return r;
    };
    const auto cut = [&] {
        w.cuts.append({w.events.size(), Snapshot::of(s)});
        w.now += 1000; // each move a second later
    };
    s.start(u"inc-1"_s, QJsonObject{{u"model"_s, u"ranker"_s}});
    cut();
    QVERIFY(!s.completeTask({Session::Mark::Ticked, Session::Mark::Skipped}));
    cut();
    QVERIFY(!s.decide(u"Check"_s));
    cut();
    auto work = s.beginWork();
    cut();
    // A query's record carries the HTTP status of its request; the result itself has none.
    WorkResult low = WorkResult::ofValue(0.2);
    low.details = {{u"status"_s, 200}, {u"request"_s, u"GET /api/v1/query"_s}};
    QVERIFY(!s.feed(keep(low), work->token)); // else: back to pick
    cut();
    s.addNote(u"Drift is low; rolling back anyway"_s);
    cut();
    QVERIFY(!s.decide(u"Fix"_s));
    cut();
    QVERIFY(!s.confirmAction());
    cut();
    work = s.beginWork();
    cut();
    // The answer has no revision: the action succeeded but the var cannot be saved.
    QVERIFY(!s.feed(keep(WorkResult::response(200, QJsonObject{{u"ok"_s, true}})), work->token));
    cut();
    QCOMPARE(toString(s.waiting()), u"choice"_s);
    QVERIFY(!s.choose(u"pause"_s));
    cut();
    QVERIFY(!s.skipWait());
    cut();
    work = s.beginWork();
    cut();
    QVERIFY(!s.feed(keep(WorkResult::ofValue(5)), work->token)); // not drained yet
    cut();
    QVERIFY(!s.goBack(u"fix"_s));
    cut();
    QVERIFY(!s.confirmAction());
    cut();
    work = s.beginWork();
    cut();
    QVERIFY(!s.feed(keep(WorkResult::response(200, QJsonObject{{u"revision"_s, 7}})), work->token));
    cut();
    QVERIFY(!s.waitElapsed());
    cut();
    work = s.beginWork();
    cut();
    QVERIFY(!s.feed(keep(WorkResult::ofValue(0.5)), work->token));
    cut();
    QCOMPARE(toString(s.waiting()), u"ended"_s);
}

} // namespace

class TestSessionReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(load()); }
    void everyCutResumesExactly_data();
    void everyCutResumesExactly();
    void cutWithinAMoveHandsBackItsRest_data();
    void cutWithinAMoveHandsBackItsRest();
    void resumedSessionGoesOnAsBefore();
    void pendingWorkIsOutAgain();
    void disagreementIsAnError_data();
    void disagreementIsAnError();
    void workResultRoundTrips();
};

void TestSessionReplay::everyCutResumesExactly_data()
{
    QTest::addColumn<qsizetype>("events");
    QTest::addColumn<int>("cut");
    Walk w;
    walk(w);
    for (int i = 0; i < w.cuts.size(); ++i)
        QTest::addRow("after move %d (%lld events)", i, qlonglong(w.cuts[i].first))
            << w.cuts[i].first << i;
}

void TestSessionReplay::everyCutResumesExactly()
{
    QFETCH(qsizetype, events);
    QFETCH(int, cut);
    Walk w;
    walk(w);
    auto replayed = replaySession(load(), u"bob"_s, w.events.mid(0, events));
    QVERIFY2(
        std::holds_alternative<ReplayedSession>(replayed),
        qPrintable(std::get_if<QString>(&replayed) ? *std::get_if<QString>(&replayed) : QString()));
    const Snapshot got = Snapshot::of(*std::get<ReplayedSession>(replayed).session);
    const Snapshot &want = w.cuts[cut].second;
    QVERIFY2(got == want, qPrintable(describe(got) + u" != "_s + describe(want)));
}

void TestSessionReplay::cutWithinAMoveHandsBackItsRest_data()
{
    QTest::addColumn<qsizetype>("events");
    Walk w;
    walk(w);
    for (qsizetype n = 1; n <= w.events.size(); ++n)
        QTest::addRow("after event %lld", qlonglong(n)) << n;
}

// The process may stop between two events of one move (a result and its branch, the branch and
// the next step): the replay ends in the state after the whole move and hands back the events
// the journal lacks, which are exactly the ones the uninterrupted walk wrote.
void TestSessionReplay::cutWithinAMoveHandsBackItsRest()
{
    QFETCH(qsizetype, events);
    Walk w;
    walk(w);
    auto replayed = replaySession(load(), u"bob"_s, w.events.mid(0, events));
    QVERIFY2(
        std::holds_alternative<ReplayedSession>(replayed),
        qPrintable(std::get_if<QString>(&replayed) ? *std::get_if<QString>(&replayed) : QString()));
    const ReplayedSession &r = std::get<ReplayedSession>(replayed);
    // The move's end: the first cut at or after the events given.
    const auto cut = std::find_if(w.cuts.cbegin(), w.cuts.cend(),
                                  [events](const auto &c) { return c.first >= events; });
    QVERIFY(cut != w.cuts.cend());
    QCOMPARE(events + r.unrecorded.size(), cut->first);
    for (qsizetype i = 0; i < r.unrecorded.size(); ++i) {
        QCOMPARE(toString(r.unrecorded[i].kind), toString(w.events[events + i].kind));
        QCOMPARE(r.unrecorded[i].stepId, w.events[events + i].stepId);
    }
    const Snapshot got = Snapshot::of(*r.session);
    QCOMPARE(got.waiting, cut->second.waiting);
    QCOMPARE(got.step, cut->second.step);
    QCOMPARE(got.vars, cut->second.vars);
    QCOMPARE(got.path, cut->second.path);
}

void TestSessionReplay::resumedSessionGoesOnAsBefore()
{
    Walk w;
    walk(w);
    // Cut after the decision "Fix" (the action waits at its gate), then go on.
    const qsizetype at = w.cuts[6].first;
    auto replayed = replaySession(load(), u"bob"_s, w.events.mid(0, at));
    QVERIFY(std::holds_alternative<ReplayedSession>(replayed));
    Session &s = *std::get<ReplayedSession>(replayed).session;
    QList<Event> more;
    s.setEventSink([&more](const Event &e) { more.append(e); });
    QCOMPARE(toString(s.waiting()), u"confirm"_s);
    QVERIFY(!s.confirmAction());
    QCOMPARE(more.size(), 1);
    QCOMPARE(more[0].actor, u"bob"_s); // who goes on is who is recorded from now on
    QCOMPARE(more[0].stepId, u"fix"_s);
    const auto work = s.beginWork();
    QVERIFY(work);
    QCOMPARE(work->stepVisit, 1); // same visit: the same idempotency key as before the stop
}

void TestSessionReplay::pendingWorkIsOutAgain()
{
    Walk w;
    walk(w);
    // Cut right after the action's WorkRequested: the process died with the request out.
    const qsizetype at = w.cuts[8].first;
    QCOMPARE(toString(w.events[at - 1].kind), u"work-requested"_s);
    auto replayed = replaySession(load(), u"bob"_s, w.events.mid(0, at));
    QVERIFY(std::holds_alternative<ReplayedSession>(replayed));
    Session &s = *std::get<ReplayedSession>(replayed).session;
    QCOMPARE(toString(s.waiting()), u"work"_s);
    const auto work = s.pendingWork();
    QVERIFY(work);
    QCOMPARE(work->step->id.value, u"fix"_s);
    QCOMPARE(work->stepVisit, 1);
}

void TestSessionReplay::disagreementIsAnError_data()
{
    QTest::addColumn<int>("tamper");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << 0 << u"event 5 ('decision-made' at step 'pick')"_s;
    QTest::newRow("other playbook") << 1 << u"disagree"_s;
    QTest::newRow("no start") << 2 << u"do not begin with the incident's start"_s;
    QTest::newRow("event the walk does not emit") << 3 << u"cannot replay event"_s;
}

void TestSessionReplay::disagreementIsAnError()
{
    QFETCH(int, tamper);
    QFETCH(QString, message);
    Walk w;
    walk(w);
    QList<Event> events = w.events;
    PlaybookPtr playbook = load();
    switch (tamper) {
    case 0:
        QCOMPARE(toString(events[4].kind), u"decision-made"_s);
        events[4].details[u"label"_s] = u"Ignore it"_s;
        break;
    case 1: { // the decision leads elsewhere in this "snapshot"
        QByteArray text = kPlaybook;
        text.replace("- {label: Check, next: drift}", "- {label: Check, next: fix}");
        playbook = load(text);
        QVERIFY(playbook);
        break;
    }
    case 2:
        events.removeFirst();
        break;
    case 3: {
        Event stray = events.constLast();
        stray.kind = EventKind::BranchTaken;
        events.append(stray);
        break;
    }
    }
    auto replayed = replaySession(playbook, u"bob"_s, events);
    QVERIFY(std::holds_alternative<QString>(replayed));
    QVERIFY2(std::get<QString>(replayed).contains(message),
             qPrintable(std::get<QString>(replayed)));
}

void TestSessionReplay::workResultRoundTrips()
{
    Walk w;
    walk(w);
    QList<WorkResult> read;
    for (const Event &e : std::as_const(w.events)) {
        if (e.kind == EventKind::WorkResult)
            read.append(workResultFromEvent(e));
    }
    QCOMPARE(read.size(), w.fed.size());
    for (qsizetype i = 0; i < read.size(); ++i) {
        QCOMPARE(int(read[i].outcome), int(w.fed[i].outcome));
        QCOMPARE(read[i].value, w.fed[i].value);
        QCOMPARE(read[i].status, w.fed[i].status); // a query's request status stays aside
        QCOMPARE(read[i].body, w.fed[i].body);
        QCOMPARE(read[i].message, w.fed[i].message);
    }
}

QTEST_GUILESS_MAIN(TestSessionReplay)
#include "tst_session_replay.moc"
