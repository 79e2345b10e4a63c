#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

constexpr qint64 kT0 = 1700000000000; // 2023-11-14T22:13:20Z

// A move that must apply: on failure the test shows the session's error text.
#define QVERIFY_MOVE(expr)                                                                         \
    do {                                                                                           \
        const std::optional<QString> error_ = (expr);                                              \
        QVERIFY2(!error_, qPrintable(error_.value_or(QString())));                                 \
    } while (false)

QString errorOf(const std::optional<QString> &error)
{
    return error.value_or(u"(no error)"_s);
}

QString outcomeOf(const Session &session)
{
    return session.outcome() ? toString(*session.outcome()) : u"(none)"_s;
}

// Every playbook of these tests: three lanes, two inputs, one target of each kind used, the steps
// of the test, then a fixed set of ends for the steps to lead to.
QString playbookText(const QString &start, const QString &steps)
{
    return uR"yaml(runlane: 1
id: session-test
title: Session test
lanes:
  - {id: device, title: Device}
  - {id: node, title: Edge node}
  - {id: control-plane, title: Control plane}
inputs:
  model: {prompt: Model, type: string, default: ranker}
  limit: {prompt: Limit, type: number, default: 0.25}
targets:
  prom:
    kind: prometheus
    url: http://127.0.0.1:9090
  web:
    kind: http
    url: http://127.0.0.1:8080
  am:
    kind: alertmanager
    url: http://127.0.0.1:9093
  pd:
    kind: pagerduty
    url: http://127.0.0.1:9095
    routing_key: key
start: %1
steps:
%2
  - {id: high, type: end, title: High, outcome: mitigated}
  - {id: medium, type: end, title: Medium, outcome: resolved}
  - {id: low, type: end, title: Low, outcome: false-alarm}
  - {id: nodata, type: end, title: No data, outcome: escalated}
  - {id: broken, type: end, title: Broken, outcome: aborted}
  - {id: done, type: end, title: Done, outcome: resolved}
  - {id: failed, type: end, title: Failed, outcome: escalated}
)yaml"_s.arg(start, steps);
}

// Steps shared by several tests; each test starts at the step it is about.
const char16_t kSteps[] = uR"yaml(
  - id: triage
    type: task
    title: Look at the dashboard
    checklist: [Open the dashboard, Note the time]
    next: pick
  - id: pick
    lane: node
    type: decision
    title: Which way?
    options:
      - {label: Check it, next: drift}
      - {label: Fix it, next: fix}
      - {label: Wait, next: pause}
  - id: drift
    lane: control-plane
    type: check
    title: Drift?
    query: {target: prom, promql: 'max(psi)'}
    when:
      - {if: value > 0.5, next: high}
      - {if: value > inputs.limit, next: medium}
    else: low
    no_data: nodata
    on_error: broken
  - id: asking
    type: check
    title: Drift, asking?
    query: {target: prom, promql: 'max(psi)'}
    when:
      - {if: value > 0.5, next: high}
      - {if: value < -1, next: high}
      - {if: value > 0.25, next: medium}
  - id: mistyped
    type: check
    title: Compares text with a number
    query: {target: prom, promql: 'max(psi)'}
    when:
      - {if: inputs.model > 1, next: high}
    else: low
    on_error: broken
  - id: mistyped-ask
    type: check
    title: Compares text with a number, asks
    query: {target: prom, promql: 'max(psi)'}
    when:
      - {if: inputs.model > 1, next: high}
    else: low
  - id: health
    type: check
    title: Healthy?
    probe: {target: web, method: GET, path: /health}
    when:
      - {if: status == 404, next: low}
      - {if: body.ready == true, next: done}
    else: failed
    on_error: broken
  - id: fix
    lane: control-plane
    type: action
    title: Roll back
    target: web
    request: {method: POST, path: /rollback}
    save: {revision: body.status.revision}
    next: done
    on_failure: failed
  - id: fix-expect
    type: action
    title: Roll back, expecting 200 or 202
    target: web
    request: {method: POST, path: /rollback, expect: {status: [200, 202]}}
    next: done
    on_failure: failed
  - id: fix-bare
    type: action
    title: Roll back without on_failure
    target: web
    request: {method: POST, path: /rollback}
    next: done
  - id: fix-quiet
    type: action
    title: Roll back without asking
    target: web
    request: {method: POST, path: /rollback}
    confirm: false
    next: done
    on_failure: failed
  - id: page
    type: escalate
    title: Page the platform
    call: pagerduty.trigger
    target: pd
    with: {summary: 'drift on {{ inputs.model }}', severity: critical, source: runlane}
    next: done
  - id: page-confirm
    type: escalate
    title: Page the platform, after asking
    call: pagerduty.trigger
    target: pd
    with: {summary: drift, severity: critical, source: runlane}
    confirm: true
    next: done
  - id: silence
    type: action
    title: Silence the alert
    call: alertmanager.silence
    target: am
    with: {matchers: {alertname: Drift}, duration: 1h}
    next: done
    on_failure: failed
  - id: pause
    type: wait
    title: Wait five minutes
    duration: 5m
    next: done
  - id: drain
    lane: node
    type: wait
    title: Wait until drained
    until: {query: {target: prom, promql: 'sum(rate(req[1m]))'}, if: value < 0.05, every: 20s}
    timeout: 5m
    next: done
    on_timeout: failed
  - id: drain-ask
    type: wait
    title: Wait until drained, then ask
    until: {query: {target: prom, promql: 'sum(rate(req[1m]))'}, if: value < 0.05}
    timeout: 5m
    next: done
  - id: retry
    type: action
    title: Retry until it works
    target: web
    request: {method: POST, path: /retry}
    confirm: false
    next: done
    on_failure: triage-again
  - id: triage-again
    type: task
    title: Look again
    next: retry
)yaml";

PlaybookPtr loadPlaybook(const QString &start)
{
    const LoadResult load = loadPlaybookText(
        playbookText(start, QString::fromUtf16(kSteps)).toUtf8(), u"session-test.yaml"_s);
    for (const Diagnostic &d : load.diagnostics) {
        if (d.isError())
            qWarning("%s", qPrintable(d.toString()));
    }
    return load.ok() ? load.playbook : nullptr;
}

QJsonValue json(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8());
    return document.isArray() ? document.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

QString show(const QJsonValue &value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

// A result written like a test file's: {"value": N}, {"no_data": true}, {"error": "..."} or
// {"status": N, "body": ...}.
WorkResult resultOf(const QString &text)
{
    const QJsonObject o = json(text).toObject();
    if (o.contains(u"no_data"_s))
        return WorkResult::noData(u"empty vector"_s);
    if (o.contains(u"error"_s))
        return WorkResult::error(o.value(u"error"_s).toString());
    if (o.contains(u"status"_s))
        return WorkResult::response(o.value(u"status"_s).toInt(), o.value(u"body"_s));
    return WorkResult::ofValue(o.value(u"value"_s).toDouble());
}

// One incident with a recorded timeline and a clock the test sets.
struct Run
{
    explicit Run(PlaybookPtr playbook)
        : session(std::move(playbook), u"alice"_s, [this](const Event &e) { events.append(e); },
                  {[this] { return now; }})
    {}

    void start(const QJsonObject &given = {})
    {
        const auto inputs = checkInputs(session.playbook(), given);
        session.start(u"inc-1"_s, std::get<QJsonObject>(inputs));
    }

    // "kind step" for every event from `from` on: what happened, in order.
    QStringList kinds(qsizetype from = 0) const
    {
        QStringList out;
        for (qsizetype i = from; i < events.size(); ++i)
            out.append(u"%1 %2"_s.arg(toString(events[i].kind), events[i].stepId).trimmed());
        return out;
    }

    const Event &last(EventKind kind) const
    {
        for (qsizetype i = events.size() - 1; i > 0; --i) {
            if (events[i].kind == kind)
                return events[i];
        }
        return events.front();
    }

    QString currentId() const
    {
        return session.current() ? session.current()->id.value : QString();
    }

    qint64 now = kT0;
    QList<Event> events;
    Session session;
};

std::unique_ptr<Run> startAt(const QString &start, bool dryRun = false)
{
    const PlaybookPtr playbook = loadPlaybook(start);
    if (!playbook)
        return nullptr;
    auto run = std::make_unique<Run>(playbook);
    run->session.setDryRun(dryRun);
    run->start();
    return run;
}

// A move of the engineer or the executor, by name, for the tables below.
std::optional<QString> move(Session &session, const QString &name, const QString &argument)
{
    if (name == u"completeTask")
        return session.completeTask(QList<Session::Mark>(argument.toInt(), Session::Mark::Ticked));
    if (name == u"decide")
        return session.decide(argument);
    if (name == u"choose")
        return session.choose(argument);
    if (name == u"confirmAction")
        return session.confirmAction();
    if (name == u"skipAction")
        return session.skipAction();
    if (name == u"skipWait")
        return session.skipWait();
    if (name == u"waitElapsed")
        return session.waitElapsed();
    if (name == u"waitTimedOut")
        return session.waitTimedOut();
    if (name == u"goBack")
        return session.goBack(argument);
    if (name == u"feed")
        return session.feed(resultOf(argument));
    return u"unknown move %1"_s.arg(name);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineOfAWalk();
    void lanes_data();
    void lanes();
    void task();
    void decision();
    void checkBranches_data();
    void checkBranches();
    void choiceAfterInconclusive();
    void actionResults_data();
    void actionResults();
    void saveIntoVars();
    void silenceSavesItsId();
    void confirmGate_data();
    void confirmGate();
    void skipAction();
    void dryRunSkipsTheGate();
    void dryRunHasNothingToSave();
    void waitDuration();
    void waitUntil_data();
    void waitUntil();
    void waitUntilConditionError();
    void staleResultRefused();
    void waitUntilTimesOut_data();
    void waitUntilTimesOut();
    void skipWait_data();
    void skipWait();
    void goBack();
    void goBackRefused_data();
    void goBackRefused();
    void abort();
    void note();
    void wrongState_data();
    void wrongState();
    void pendingWork_data();
    void pendingWork();
    void stepVisitCountsReentries();
    void scopeOfWork();
};

void TestSession::timelineOfAWalk()
{
    const PlaybookPtr playbook = loadPlaybook(u"triage"_s);
    QVERIFY(playbook);
    Run run(playbook);
    run.start({{u"model"_s, u"detector"_s}});
    QCOMPARE(toString(run.session.waiting()), toString(Session::Waiting::Task));

    run.now = kT0 + 1000;
    QVERIFY_MOVE(run.session.completeTask({Session::Mark::Ticked, Session::Mark::Skipped}));
    run.now = kT0 + 2000;
    QVERIFY_MOVE(run.session.decide(u"Fix it"_s));
    QCOMPARE(toString(run.session.waiting()), toString(Session::Waiting::Confirm));
    run.now = kT0 + 3000;
    QVERIFY_MOVE(run.session.confirmAction());
    QCOMPARE(toString(run.session.waiting()), toString(Session::Waiting::Work));
    run.now = kT0 + 4000;
    QVERIFY_MOVE(
        run.session.feed(WorkResult::response(200, json(u"{\"status\":{\"revision\":\"r7\"}}"_s))));
    QCOMPARE(toString(run.session.waiting()), toString(Session::Waiting::Ended));

    QStringList actual;
    for (const Event &e : run.events)
        actual.append(u"%1|%2|%3|%4|%5|%6"_s.arg(toString(e.kind), e.stepId, e.lane, e.actor)
                          .arg(e.utcMs - kT0)
                          .arg(e.text));
    const QStringList expected{
        u"incident-started|||alice|0|Incident started with playbook 'Session test'"_s,
        u"step-entered|triage|device|alice|0|Look at the dashboard"_s,
        u"task-completed|triage|device|alice|1000|Completed, 1 checklist item(s) skipped"_s,
        u"step-entered|pick|node|alice|1000|Which way?"_s,
        u"decision-made|pick|node|alice|2000|Chose 'Fix it'"_s,
        u"step-entered|fix|control-plane|alice|2000|Roll back"_s,
        u"action-confirmed|fix|control-plane|alice|3000|Confirmed"_s,
        u"work-result|fix|control-plane|runlane|4000|HTTP 200"_s,
        u"var-saved|fix|control-plane|runlane|4000|Saved revision = r7"_s,
        u"branch-taken|fix|control-plane|runlane|4000|Succeeded → done"_s,
        u"step-entered|done|device|alice|4000|Done"_s,
        u"incident-ended|done|device|alice|4000|resolved: Reached 'Done'"_s,
    };
    QCOMPARE(actual, expected);

    const QList<Event> &e = run.events;
    QCOMPARE(e[0].details.value(u"playbook"_s).toString(), u"session-test"_s);
    QCOMPARE(e[0].details.value(u"incident"_s).toString(), u"inc-1"_s);
    QCOMPARE(e[0].details.value(u"inputs"_s), json(u"{\"model\":\"detector\",\"limit\":0.25}"_s));
    QCOMPARE(e[0].details.value(u"dry_run"_s), QJsonValue(false));
    QCOMPARE(e[1].details, json(u"{\"type\":\"task\",\"visit\":1}"_s).toObject());
    QCOMPARE(show(e[2].details.value(u"checklist"_s)),
             u"[{\"item\":\"Open the dashboard\",\"state\":\"ticked\"},"
             "{\"item\":\"Note the time\",\"state\":\"skipped\"}]"_s);
    QCOMPARE(e[4].details, json(u"{\"label\":\"Fix it\",\"next\":\"fix\"}"_s).toObject());
    QCOMPARE(e[7].details.value(u"outcome"_s).toString(), u"ok"_s);
    QCOMPARE(e[7].details.value(u"status"_s).toInt(), 200);
    QCOMPARE(e[8].details, json(u"{\"name\":\"revision\",\"value\":\"r7\"}"_s).toObject());
    // A change to the fleet went through: the response-time milestone "mitigated".
    QCOMPARE(
        e[9].details,
        json(u"{\"fleet_changed\":true,\"label\":\"success\",\"next\":\"done\"}"_s).toObject());
    QCOMPARE(e[11].details.value(u"outcome"_s).toString(), u"resolved"_s);

    QCOMPARE(run.session.path(), (QStringList{u"triage"_s, u"pick"_s, u"fix"_s, u"done"_s}));
    QCOMPARE(outcomeOf(run.session), u"resolved"_s);
    QCOMPARE(run.session.startedAtMs(), kT0);
    QCOMPARE(run.session.stepEnteredAtMs(), kT0 + 4000);
}

void TestSession::lanes_data()
{
    QTest::addColumn<QString>("lanes");
    QTest::addColumn<QString>("stepLane");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no lanes: default first lane") << QString() << QString() << u"device"_s;
    QTest::newRow("no lanes: step names one")
        << QString() << u"control-plane"_s << u"control-plane"_s;
    QTest::newRow("own lanes: first one")
        << u"[{id: fleet, title: Fleet}, {id: core, title: Core}]"_s << QString() << u"fleet"_s;
    QTest::newRow("own lanes: step names the second")
        << u"[{id: fleet, title: Fleet}, {id: core, title: Core}]"_s << u"core"_s << u"core"_s;
}

void TestSession::lanes()
{
    QFETCH(QString, lanes);
    QFETCH(QString, stepLane);
    QFETCH(QString, expected);

    QString text = uR"yaml(runlane: 1
id: lanes
title: Lanes
%1start: first
steps:
  - {id: first, %2type: task, title: First, next: close}
  - {id: close, type: end, title: Close, outcome: resolved}
)yaml"_s.arg(lanes.isEmpty() ? QString() : u"lanes: %1\n"_s.arg(lanes),
             stepLane.isEmpty() ? QString() : u"lane: %1, "_s.arg(stepLane));
    const LoadResult load = loadPlaybookText(text.toUtf8(), u"lanes.yaml"_s);
    QVERIFY(load.ok());
    Run run(load.playbook);
    run.start();
    QCOMPARE(run.events.size(), 2);
    QCOMPARE(toString(run.events[1].kind), toString(EventKind::StepEntered));
    QCOMPARE(run.events[1].lane, expected);
}

void TestSession::task()
{
    auto run = startAt(u"triage"_s);
    QVERIFY(run);
    const qsizetype before = run->events.size();
    QCOMPARE(errorOf(run->session.completeTask({Session::Mark::Ticked})),
             u"step 'triage' has 2 checklist items; 1 were marked"_s);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Task));

    QVERIFY_MOVE(run->session.completeTask({Session::Mark::Ticked, Session::Mark::Ticked}));
    QCOMPARE(run->kinds(before), (QStringList{u"task-completed triage"_s, u"step-entered pick"_s}));
    QCOMPARE(run->events[before].text, u"Completed"_s);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Decision));
}

void TestSession::decision()
{
    auto run = startAt(u"pick"_s);
    QVERIFY(run);
    const qsizetype before = run->events.size();
    QCOMPARE(errorOf(run->session.decide(u"check it"_s)),
             u"step 'pick' has no option 'check it'; its options are: Check it, Fix it, Wait"_s);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Decision));

    QVERIFY_MOVE(run->session.decide(u"Check it"_s));
    QCOMPARE(run->kinds(before), (QStringList{u"decision-made pick"_s, u"step-entered drift"_s}));
    QCOMPARE(run->currentId(), u"drift"_s);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Work));
}

void TestSession::checkBranches_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("expectedStep");   // where the walk is afterwards
    QTest::addColumn<QString>("expectedLabel");  // the branch-taken label; empty: inconclusive
    QTest::addColumn<QString>("expectedReason"); // why inconclusive
    QTest::addColumn<QStringList>("expectedChoices");

    const QStringList none;
    QTest::newRow("first true when wins") << u"drift"_s << u"{\"value\": 0.7}"_s << u"high"_s
                                          << u"value > 0.5"_s << QString() << none;
    QTest::newRow("second when, reads an input")
        << u"drift"_s << u"{\"value\": 0.3}"_s << u"medium"_s << u"value > inputs.limit"_s
        << QString() << none;
    QTest::newRow("equal to the limit is not above")
        << u"drift"_s << u"{\"value\": 0.25}"_s << u"low"_s << u"else"_s << QString() << none;
    QTest::newRow("else") << u"drift"_s << u"{\"value\": 0.1}"_s << u"low"_s << u"else"_s
                          << QString() << none;
    QTest::newRow("no_data to a step") << u"drift"_s << u"{\"no_data\": true}"_s << u"nodata"_s
                                       << u"no data"_s << QString() << none;
    QTest::newRow("on_error to a step") << u"drift"_s << u"{\"error\": \"503\"}"_s << u"broken"_s
                                        << u"error"_s << QString() << none;
    QTest::newRow("number vs string: on_error")
        << u"mistyped"_s << u"{\"value\": 1}"_s << u"broken"_s << u"error"_s << QString() << none;
    QTest::newRow("unknown name: on_error") << u"health"_s << u"{\"status\": 200, \"body\": {}}"_s
                                            << u"broken"_s << u"error"_s << QString() << none;
    QTest::newRow("probe status") << u"health"_s << u"{\"status\": 404, \"body\": null}"_s
                                  << u"low"_s << u"status == 404"_s << QString() << none;
    QTest::newRow("probe body") << u"health"_s
                                << u"{\"status\": 200, \"body\": {\"ready\": true}}"_s << u"done"_s
                                << u"body.ready == true"_s << QString() << none;
    QTest::newRow("probe: a 500 is a result, not an error")
        << u"health"_s << u"{\"status\": 500, \"body\": {\"ready\": false}}"_s << u"failed"_s
        << u"else"_s << QString() << none;

    const QStringList asking{u"high"_s, u"medium"_s};
    QTest::newRow("no else: ask") << u"asking"_s << u"{\"value\": 0.1}"_s << u"asking"_s
                                  << QString() << u"no branch holds for value 0.1"_s << asking;
    QTest::newRow("no_data default: ask") << u"asking"_s << u"{\"no_data\": true}"_s << u"asking"_s
                                          << QString() << u"no data: empty vector"_s << asking;
    QTest::newRow("on_error default: ask")
        << u"asking"_s << u"{\"error\": \"timeout\"}"_s << u"asking"_s << QString()
        << u"error: timeout"_s << asking;
    QTest::newRow("when still wins without else")
        << u"asking"_s << u"{\"value\": 0.3}"_s << u"medium"_s << u"value > 0.25"_s << QString()
        << QStringList();
    QTest::newRow("expression error, on_error ask")
        << u"mistyped-ask"_s << u"{\"value\": 1}"_s << u"mistyped-ask"_s << QString()
        << u"error in 'inputs.model > 1': '>' needs two numbers or two strings, got string "
           u"'ranker' "
           "and number 1"_s
        << QStringList{u"high"_s, u"low"_s};
}

void TestSession::checkBranches()
{
    QFETCH(QString, step);
    QFETCH(QString, result);
    QFETCH(QString, expectedStep);
    QFETCH(QString, expectedLabel);
    QFETCH(QString, expectedReason);
    QFETCH(QStringList, expectedChoices);

    auto run = startAt(step);
    QVERIFY(run);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Work));
    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.feed(resultOf(result)));
    QCOMPARE(run->currentId(), expectedStep);
    QCOMPARE(toString(run->events[before].kind), toString(EventKind::WorkResult));
    QCOMPARE(run->events[before].actor, u"runlane"_s);
    QCOMPARE(run->events[before].stepId, step);

    if (!expectedLabel.isEmpty()) {
        const Event &branch = run->events[before + 1];
        QCOMPARE(toString(branch.kind), toString(EventKind::BranchTaken));
        QCOMPARE(branch.actor, u"runlane"_s);
        QCOMPARE(branch.stepId, step);
        QCOMPARE(branch.details.value(u"label"_s).toString(), expectedLabel);
        QCOMPARE(branch.details.value(u"next"_s).toString(), expectedStep);
        QCOMPARE(toString(run->events[before + 2].kind), toString(EventKind::StepEntered));
        QCOMPARE(run->events[before + 2].stepId, expectedStep);
        QCOMPARE(run->session.path(), (QStringList{step, expectedStep}));
        return;
    }
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Choice));
    QCOMPARE(run->session.inconclusiveReason(), expectedReason);
    QCOMPARE(run->session.choices(), expectedChoices);
    QCOMPARE(run->events.size(), before + 2);
    const Event &inconclusive = run->events[before + 1];
    QCOMPARE(toString(inconclusive.kind), toString(EventKind::Inconclusive));
    QCOMPARE(inconclusive.actor, u"runlane"_s);
    QCOMPARE(inconclusive.text, u"Inconclusive: %1"_s.arg(expectedReason));
    QCOMPARE(inconclusive.details.value(u"reason"_s).toString(), expectedReason);
    QCOMPARE(inconclusive.details.value(u"choices"_s).toArray(),
             QJsonArray::fromStringList(expectedChoices));
    QCOMPARE(run->session.path(), QStringList{step});
}

void TestSession::choiceAfterInconclusive()
{
    auto run = startAt(u"asking"_s);
    QVERIFY(run);
    QVERIFY_MOVE(run->session.feed(WorkResult::noData(u"empty vector"_s)));
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Choice));
    const qsizetype before = run->events.size();

    QCOMPARE(errorOf(run->session.choose(u"low"_s)),
             u"'low' is not a way on from step 'asking'; choose one of: high, medium"_s);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Choice));

    run->now = kT0 + 5000;
    QVERIFY_MOVE(run->session.choose(u"medium"_s));
    QCOMPARE(run->kinds(before), (QStringList{u"choice-made asking"_s, u"step-entered medium"_s,
                                              u"incident-ended medium"_s}));
    const Event &choice = run->events[before];
    QCOMPARE(choice.actor, u"alice"_s);
    QCOMPARE(choice.utcMs, kT0 + 5000);
    QCOMPARE(choice.details,
             json(u"{\"next\":\"medium\",\"reason\":\"no data: empty vector\"}"_s).toObject());
    QCOMPARE(outcomeOf(run->session), u"resolved"_s);
    QCOMPARE(run->session.choices(), QStringList());
}

void TestSession::actionResults_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("expectedStep");
    QTest::addColumn<QString>("expectedLabel");   // branch-taken label; empty: inconclusive
    QTest::addColumn<QString>("expectedFailure"); // the failure recorded, or the reason asked

    QTest::newRow("200 is success")
        << u"fix"_s << u"{\"status\": 200, \"body\": {\"status\": {\"revision\": 3}}}"_s
        << u"done"_s << u"success"_s << QString();
    QTest::newRow("299 is success")
        << u"fix-quiet"_s << u"{\"status\": 299}"_s << u"done"_s << u"success"_s << QString();
    QTest::newRow("302 is not") << u"fix-quiet"_s << u"{\"status\": 302}"_s << u"failed"_s
                                << u"on failure"_s << u"HTTP 302 is not an expected status"_s;
    QTest::newRow("500 to on_failure")
        << u"fix-quiet"_s << u"{\"status\": 500}"_s << u"failed"_s << u"on failure"_s
        << u"HTTP 500 is not an expected status"_s;
    QTest::newRow("transport error to on_failure")
        << u"fix-quiet"_s << u"{\"error\": \"connection refused\"}"_s << u"failed"_s
        << u"on failure"_s << u"connection refused"_s;
    QTest::newRow("expect.status: 202 listed")
        << u"fix-expect"_s << u"{\"status\": 202}"_s << u"done"_s << u"success"_s << QString();
    QTest::newRow("expect.status: 201 not listed")
        << u"fix-expect"_s << u"{\"status\": 201}"_s << u"failed"_s << u"on failure"_s
        << u"HTTP 201 is not an expected status"_s;
    // The change was applied: not its failure branch, the engineer chooses.
    QTest::newRow("save path missing: ask")
        << u"fix"_s << u"{\"status\": 200, \"body\": {\"status\": {}}}"_s << u"fix"_s << QString()
        << u"the action succeeded (HTTP 200) but cannot save 'revision' from "
           u"body.status.revision: unknown name 'body.status.revision': "
           "'body.status' has no member 'revision'"_s;
    QTest::newRow("no on_failure: ask")
        << u"fix-bare"_s << u"{\"status\": 503}"_s << u"fix-bare"_s << QString()
        << u"the action failed (HTTP 503 is not an expected status) and "
           "the step has no 'on_failure'"_s;
    QTest::newRow("escalation succeeds")
        << u"page"_s << u"{\"status\": 202}"_s << u"done"_s << u"success"_s << QString();
    QTest::newRow("escalation fails, goes on")
        << u"page"_s << u"{\"status\": 500}"_s << u"done"_s << u"failed"_s << QString();
    QTest::newRow("escalation errors, goes on")
        << u"page"_s << u"{\"error\": \"dns\"}"_s << u"done"_s << u"failed"_s << QString();
}

void TestSession::actionResults()
{
    QFETCH(QString, step);
    QFETCH(QString, result);
    QFETCH(QString, expectedStep);
    QFETCH(QString, expectedLabel);
    QFETCH(QString, expectedFailure);

    auto run = startAt(step);
    QVERIFY(run);
    if (run->session.waiting() == Session::Waiting::Confirm)
        QVERIFY_MOVE(run->session.confirmAction());
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Work));
    QVERIFY_MOVE(run->session.feed(resultOf(result)));
    QCOMPARE(run->currentId(), expectedStep);

    if (expectedLabel.isEmpty()) {
        QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Choice));
        QCOMPARE(run->session.inconclusiveReason(), expectedFailure);
        // A failed action with no on_failure offers itself again, as a retry.
        const QStringList choices =
            step == u"fix"_s ? QStringList{u"done"_s, u"failed"_s} : QStringList{u"done"_s, step};
        QCOMPARE(run->session.choices(), choices);
        QVERIFY_MOVE(run->session.choose(u"done"_s));
        QCOMPARE(outcomeOf(run->session), u"resolved"_s);
        return;
    }
    const Event &branch = run->last(EventKind::BranchTaken);
    QCOMPARE(branch.stepId, step);
    QCOMPARE(branch.actor, u"runlane"_s);
    QCOMPARE(branch.details.value(u"label"_s).toString(), expectedLabel);
    QCOMPARE(branch.details.value(u"next"_s).toString(), expectedStep);
    if (expectedLabel == u"on failure")
        QCOMPARE(branch.details.value(u"failure"_s).toString(), expectedFailure);
}

void TestSession::saveIntoVars()
{
    auto run = startAt(u"fix"_s);
    QVERIFY(run);
    QCOMPARE(run->session.vars(), QJsonObject());
    QVERIFY_MOVE(run->session.confirmAction());
    QVERIFY_MOVE(run->session.feed(
        WorkResult::response(200, json(u"{\"status\":{\"revision\":[1,\"b\"]}}"_s))));
    QCOMPARE(run->session.vars(), json(u"{\"revision\":[1,\"b\"]}"_s).toObject());
    const Event &saved = run->last(EventKind::VarSaved);
    QCOMPARE(saved.text, u"Saved revision = [1,\"b\"]"_s);
    QCOMPARE(saved.actor, u"runlane"_s);
    QCOMPARE(run->session.scope().value(u"vars"_s), json(u"{\"revision\":[1,\"b\"]}"_s));
}

void TestSession::silenceSavesItsId()
{
    auto run = startAt(u"silence"_s);
    QVERIFY(run);
    QVERIFY_MOVE(run->session.confirmAction());
    QVERIFY_MOVE(
        run->session.feed(WorkResult::response(200, json(u"{\"silenceID\":\"abc-123\"}"_s))));
    QCOMPARE(run->session.vars(), json(u"{\"silence_id\":\"abc-123\"}"_s).toObject());
    QCOMPARE(run->currentId(), u"done"_s);

    auto missing = startAt(u"silence"_s);
    QVERIFY(missing);
    QVERIFY_MOVE(missing->session.confirmAction());
    QVERIFY_MOVE(missing->session.feed(WorkResult::response(200, QJsonObject())));
    QCOMPARE(missing->currentId(), u"silence"_s);
    QCOMPARE(toString(missing->session.waiting()), toString(Session::Waiting::Choice));
    QCOMPARE(missing->session.vars(), QJsonObject());
}

void TestSession::confirmGate_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("dryRun");
    QTest::addColumn<Session::Waiting>("expected");
    QTest::addColumn<QStringList>("expectedEvents");

    QTest::newRow("action: confirm by default")
        << u"fix"_s << false << Session::Waiting::Confirm << QStringList{u"step-entered fix"_s};
    QTest::newRow("action: confirm false") << u"fix-quiet"_s << false << Session::Waiting::Work
                                           << QStringList{u"step-entered fix-quiet"_s};
    QTest::newRow("escalate: no confirm by default")
        << u"page"_s << false << Session::Waiting::Work << QStringList{u"step-entered page"_s};
    QTest::newRow("escalate: confirm true")
        << u"page-confirm"_s << false << Session::Waiting::Confirm
        << QStringList{u"step-entered page-confirm"_s};
    QTest::newRow("dry run: gate taken by itself")
        << u"fix"_s << true << Session::Waiting::Work
        << QStringList{u"step-entered fix"_s, u"action-confirmed fix"_s};
    QTest::newRow("dry run: escalate confirm true")
        << u"page-confirm"_s << true << Session::Waiting::Work
        << QStringList{u"step-entered page-confirm"_s, u"action-confirmed page-confirm"_s};
    QTest::newRow("dry run: no gate, nothing to confirm")
        << u"fix-quiet"_s << true << Session::Waiting::Work
        << QStringList{u"step-entered fix-quiet"_s};
}

void TestSession::confirmGate()
{
    QFETCH(QString, step);
    QFETCH(bool, dryRun);
    QFETCH(Session::Waiting, expected);
    QFETCH(QStringList, expectedEvents);

    auto run = startAt(step, dryRun);
    QVERIFY(run);
    QCOMPARE(toString(run->session.waiting()), toString(expected));
    QCOMPARE(run->kinds(1), expectedEvents);
    QCOMPARE(run->session.pendingWork().has_value(), expected == Session::Waiting::Work);
    if (expected == Session::Waiting::Confirm) {
        QVERIFY_MOVE(run->session.confirmAction());
        QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Work));
        QCOMPARE(run->last(EventKind::ActionConfirmed).text, u"Confirmed"_s);
        QCOMPARE(run->last(EventKind::ActionConfirmed).actor, u"alice"_s);
    }
    QCOMPARE(run->session.pendingWork()->dryRun, dryRun);
}

void TestSession::skipAction()
{
    auto run = startAt(u"fix"_s);
    QVERIFY(run);
    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.skipAction());
    QCOMPARE(run->kinds(before), (QStringList{u"action-skipped fix"_s, u"step-entered done"_s,
                                              u"incident-ended done"_s}));
    QCOMPARE(run->events[before].text, u"Skipped: nothing was sent"_s);
    QCOMPARE(run->session.vars(), QJsonObject());
    QCOMPARE(outcomeOf(run->session), u"resolved"_s);
}

void TestSession::dryRunSkipsTheGate()
{
    auto run = startAt(u"fix"_s, true);
    QVERIFY(run);
    QCOMPARE(run->events[0].details.value(u"dry_run"_s), QJsonValue(true));
    const Event &confirmed = run->last(EventKind::ActionConfirmed);
    QCOMPARE(confirmed.text, u"Dry run: confirmed without sending"_s);
    QCOMPARE(errorOf(run->session.confirmAction()),
             u"cannot confirm an action now: the incident is waiting for work"_s);
    QVERIFY(run->session.dryRun());
}

void TestSession::dryRunHasNothingToSave()
{
    // A dry run sends nothing, so the executor has no response body: the action still succeeds.
    auto run = startAt(u"fix"_s, true);
    QVERIFY(run);
    QVERIFY_MOVE(run->session.feed(WorkResult::response(200, QJsonObject())));
    QCOMPARE(run->currentId(), u"done"_s);
    QCOMPARE(run->session.vars(), QJsonObject());
    QCOMPARE(run->last(EventKind::BranchTaken).details.value(u"label"_s).toString(), u"success"_s);

    // A body that has the value (a result given by hand) is still saved.
    auto given = startAt(u"silence"_s, true);
    QVERIFY(given);
    QVERIFY_MOVE(
        given->session.feed(WorkResult::response(200, json(u"{\"silenceID\":\"s-1\"}"_s))));
    QCOMPARE(given->session.vars(), json(u"{\"silence_id\":\"s-1\"}"_s).toObject());
}

void TestSession::waitDuration()
{
    auto run = startAt(u"pause"_s);
    QVERIFY(run);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Wait));
    QCOMPARE(run->kinds(1), (QStringList{u"step-entered pause"_s, u"wait-started pause"_s}));
    const Event &started = run->events[2];
    QCOMPARE(started.text, u"Waiting 5m"_s);
    QCOMPARE(started.details, json(u"{\"duration_ms\":300000}"_s).toObject());
    QVERIFY(!run->session.pendingWork());
    QCOMPARE(errorOf(run->session.waitTimedOut()),
             u"step 'pause' is a plain wait; it has no timeout"_s);
    QCOMPARE(errorOf(run->session.feed(WorkResult::ofValue(1))),
             u"no automated work is pending (the incident waits for wait)"_s);
    QCOMPARE(run->events.size(), 3);

    run->now = kT0 + 300000;
    QVERIFY_MOVE(run->session.waitElapsed());
    QCOMPARE(run->kinds(3), (QStringList{u"wait-ended pause"_s, u"step-entered done"_s,
                                         u"incident-ended done"_s}));
    QCOMPARE(run->events[3].details, json(u"{\"how\":\"elapsed\"}"_s).toObject());
    QCOMPARE(run->events[3].text, u"Waited 5m"_s);
    QCOMPARE(run->events[3].utcMs, kT0 + 300000);
}

void TestSession::waitUntil_data()
{
    QTest::addColumn<QString>("result");
    QTest::addColumn<bool>("ends");

    QTest::newRow("holds") << u"{\"value\": 0.01}"_s << true;
    QTest::newRow("holds at zero") << u"{\"value\": 0}"_s << true;
    QTest::newRow("does not hold") << u"{\"value\": 0.05}"_s << false;
    QTest::newRow("no data: keeps polling") << u"{\"no_data\": true}"_s << false;
    QTest::newRow("error: keeps polling") << u"{\"error\": \"503\"}"_s << false;
}

void TestSession::waitUntil()
{
    QFETCH(QString, result);
    QFETCH(bool, ends);

    auto run = startAt(u"drain"_s);
    QVERIFY(run);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Wait));
    const Event &started = run->events[2];
    QCOMPARE(toString(started.kind), toString(EventKind::WaitStarted));
    QCOMPARE(started.lane, u"node"_s);
    QCOMPARE(started.text, u"Waiting until value < 0.05"_s);
    QCOMPARE(started.details,
             json(u"{\"until\":\"value < 0.05\",\"timeout_ms\":300000}"_s).toObject());
    QCOMPARE(errorOf(run->session.waitElapsed()),
             u"step 'drain' waits until a condition holds, not for a fixed time"_s);

    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.feed(resultOf(result)));
    QCOMPARE(toString(run->events[before].kind), toString(EventKind::WorkResult));
    if (ends) {
        QCOMPARE(run->kinds(before),
                 (QStringList{u"work-result drain"_s, u"wait-ended drain"_s, u"step-entered done"_s,
                              u"incident-ended done"_s}));
        QCOMPARE(run->events[before + 1].details, json(u"{\"how\":\"condition\"}"_s).toObject());
        QCOMPARE(run->events[before + 1].text, u"Condition holds: value < 0.05"_s);
        return;
    }
    QCOMPARE(run->kinds(before), QStringList{u"work-result drain"_s});
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Wait));
    QCOMPARE(run->currentId(), u"drain"_s);
    QCOMPARE(run->session.path(), QStringList{u"drain"_s});
    // Still polling: the next poll may hold.
    QVERIFY_MOVE(run->session.feed(WorkResult::ofValue(0)));
    QCOMPARE(run->currentId(), u"done"_s);
}

void TestSession::waitUntilTimesOut_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("expectedStep");
    QTest::addColumn<QStringList>("expectedChoices");

    QTest::newRow("on_timeout") << u"drain"_s << u"failed"_s << QStringList();
    QTest::newRow("no on_timeout: ask")
        << u"drain-ask"_s << u"drain-ask"_s << QStringList{u"done"_s};
}

void TestSession::waitUntilTimesOut()
{
    QFETCH(QString, step);
    QFETCH(QString, expectedStep);
    QFETCH(QStringList, expectedChoices);

    auto run = startAt(step);
    QVERIFY(run);
    QVERIFY_MOVE(run->session.feed(WorkResult::ofValue(3)));
    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.waitTimedOut());
    QCOMPARE(toString(run->events[before].kind), toString(EventKind::WaitEnded));
    QCOMPARE(run->events[before].details, json(u"{\"how\":\"timeout\"}"_s).toObject());
    QCOMPARE(run->currentId(), expectedStep);
    QCOMPARE(run->session.choices(), expectedChoices);
    if (expectedChoices.isEmpty()) {
        QCOMPARE(outcomeOf(run->session), u"escalated"_s);
        return;
    }
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Choice));
    QCOMPARE(run->session.inconclusiveReason(),
             u"the wait timed out and the step has no 'on_timeout'"_s);
}

void TestSession::skipWait_data()
{
    QTest::addColumn<QString>("step");
    QTest::newRow("duration") << u"pause"_s;
    QTest::newRow("until") << u"drain"_s;
}

void TestSession::skipWait()
{
    QFETCH(QString, step);
    auto run = startAt(step);
    QVERIFY(run);
    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.skipWait());
    QCOMPARE(run->kinds(before), (QStringList{u"wait-ended %1"_s.arg(step), u"step-entered done"_s,
                                              u"incident-ended done"_s}));
    QCOMPARE(run->events[before].details, json(u"{\"how\":\"skipped\"}"_s).toObject());
    QCOMPARE(run->events[before].actor, u"alice"_s);
}

void TestSession::goBack()
{
    auto run = startAt(u"triage"_s);
    QVERIFY(run);
    QVERIFY_MOVE(run->session.completeTask({Session::Mark::Ticked, Session::Mark::Ticked}));
    QVERIFY_MOVE(run->session.decide(u"Wait"_s));
    QCOMPARE(run->currentId(), u"pause"_s);

    const qsizetype before = run->events.size();
    QVERIFY_MOVE(run->session.goBack(u"triage"_s));
    QCOMPARE(run->kinds(before), (QStringList{u"went-back pause"_s, u"step-entered triage"_s}));
    QCOMPARE(run->events[before].details,
             json(u"{\"from\":\"pause\",\"to\":\"triage\"}"_s).toObject());
    QCOMPARE(run->events[before + 1].details.value(u"visit"_s).toInt(), 2);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Task));
    QCOMPARE(run->session.path(), (QStringList{u"triage"_s, u"pick"_s, u"pause"_s, u"triage"_s}));

    // Going back to the step one is at re-enters it too.
    QVERIFY_MOVE(run->session.goBack(u"triage"_s));
    QCOMPARE(run->session.path().size(), 5);
    QCOMPARE(run->last(EventKind::StepEntered).details.value(u"visit"_s).toInt(), 3);
}

void TestSession::goBackRefused_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("result"); // fed first, when not empty
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("not visited")
        << u"triage"_s << QString() << u"pick"_s
        << u"cannot go back to 'pick': it was not visited in this incident"_s;
    QTest::newRow("no such step")
        << u"triage"_s << QString() << u"nope"_s
        << u"cannot go back to 'nope': it was not visited in this incident"_s;
    QTest::newRow("during work") << u"drift"_s << QString() << u"drift"_s
                                 << u"cannot go back while automated work is under way"_s;
    QTest::newRow("after the end") << u"drift"_s << u"{\"value\": 0.9}"_s << u"drift"_s
                                   << u"cannot go back: the incident is ended"_s;
}

void TestSession::goBackRefused()
{
    QFETCH(QString, start);
    QFETCH(QString, result);
    QFETCH(QString, to);
    QFETCH(QString, expectedError);

    auto run = startAt(start);
    QVERIFY(run);
    if (!result.isEmpty())
        QVERIFY_MOVE(run->session.feed(resultOf(result)));
    const qsizetype before = run->events.size();
    const QStringList path = run->session.path();
    const Session::Waiting waiting = run->session.waiting();
    QCOMPARE(errorOf(run->session.goBack(to)), expectedError);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(run->session.path(), path);
    QCOMPARE(toString(run->session.waiting()), toString(waiting));
}

void TestSession::abort()
{
    auto run = startAt(u"pick"_s);
    QVERIFY(run);
    run->now = kT0 + 42;
    run->session.abort(u"wrong playbook"_s);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Ended));
    QCOMPARE(outcomeOf(run->session), u"aborted"_s);
    QCOMPARE(run->kinds(2), QStringList{u"incident-ended pick"_s});
    const Event &ended = run->events.last();
    QCOMPARE(ended.text, u"aborted: wrong playbook"_s);
    QCOMPARE(ended.details,
             json(u"{\"outcome\":\"aborted\",\"why\":\"wrong playbook\"}"_s).toObject());
    QCOMPARE(ended.actor, u"alice"_s);
    QCOMPARE(ended.lane, u"node"_s);
    QCOMPARE(ended.utcMs, kT0 + 42);

    run->session.abort(u"again"_s);
    QCOMPARE(run->events.size(), 3);
    QCOMPARE(errorOf(run->session.decide(u"Wait"_s)),
             u"cannot decide now: the incident is waiting for ended"_s);
    QCOMPARE(run->session.path(), QStringList{u"pick"_s});

    auto quiet = startAt(u"triage"_s);
    QVERIFY(quiet);
    quiet->session.abort(QString());
    QCOMPARE(quiet->events.last().text, u"aborted: aborted by the engineer"_s);
}

void TestSession::note()
{
    auto run = startAt(u"pick"_s);
    QVERIFY(run);
    run->now = kT0 + 7;
    run->session.addNote(u"dashboards are red"_s);
    QCOMPARE(run->events.size(), 3);
    const Event &note = run->events.last();
    QCOMPARE(toString(note.kind), toString(EventKind::NoteAdded));
    QCOMPARE(note.text, u"dashboards are red"_s);
    QCOMPARE(note.stepId, u"pick"_s);
    QCOMPARE(note.actor, u"alice"_s);
    QCOMPARE(note.utcMs, kT0 + 7);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Decision));
}

void TestSession::wrongState_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("result"); // fed first, when not empty (to reach Choice or Ended)
    QTest::addColumn<QString>("move");
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("expectedError");

    struct State
    {
        const char *name;
        QString start;
        QString result;
        QString waiting;
    };
    const QList<State> states{
        {"task", u"triage"_s, {}, u"task"_s},
        {"decision", u"pick"_s, {}, u"decision"_s},
        {"choice", u"asking"_s, u"{\"no_data\": true}"_s, u"choice"_s},
        {"confirm", u"fix"_s, {}, u"confirm"_s},
        {"work", u"drift"_s, {}, u"work"_s},
        {"wait", u"pause"_s, {}, u"wait"_s},
        {"ended", u"drift"_s, u"{\"value\": 0.9}"_s, u"ended"_s},
    };
    struct Move
    {
        const char *name;
        QString argument;
        QString valid; // the state it applies in
        const char *what;
    };
    const QList<Move> moves{
        {"completeTask", u"2"_s, u"task"_s, "complete a task"},
        {"decide", u"Wait"_s, u"decision"_s, "decide"},
        {"choose", u"high"_s, u"choice"_s, "choose a way on"},
        {"confirmAction", {}, u"confirm"_s, "confirm an action"},
        {"skipAction", {}, u"confirm"_s, "skip an action"},
        {"skipWait", {}, u"wait"_s, "skip a wait"},
        {"waitElapsed", {}, u"wait"_s, "end a wait"},
        {"waitTimedOut", {}, u"wait"_s, "time out a wait"},
        {"feed", u"{\"value\": 1}"_s, u"work"_s, nullptr},
    };
    for (const State &state : states) {
        for (const Move &m : moves) {
            if (m.valid == state.waiting)
                continue;
            const QString error =
                m.what ? u"cannot %1 now: the incident is waiting for %2"_s.arg(
                             QString::fromLatin1(m.what), state.waiting)
                       : u"no automated work is pending (the incident waits for %1)"_s.arg(
                             state.waiting);
            QTest::addRow("%s in %s", m.name, state.name)
                << state.start << state.result << QString::fromLatin1(m.name) << m.argument
                << error;
        }
    }
}

void TestSession::wrongState()
{
    QFETCH(QString, start);
    QFETCH(QString, result);
    QFETCH(QString, move);
    QFETCH(QString, argument);
    QFETCH(QString, expectedError);

    auto run = startAt(start);
    QVERIFY(run);
    if (!result.isEmpty())
        QVERIFY_MOVE(run->session.feed(resultOf(result)));
    const qsizetype before = run->events.size();
    const QStringList path = run->session.path();
    const Session::Waiting waiting = run->session.waiting();
    const QString current = run->currentId();
    const QJsonObject vars = run->session.vars();
    const QString outcome = outcomeOf(run->session);

    QCOMPARE(errorOf(::move(run->session, move, argument)), expectedError);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(run->session.path(), path);
    QCOMPARE(toString(run->session.waiting()), toString(waiting));
    QCOMPARE(run->currentId(), current);
    QCOMPARE(run->session.vars(), vars);
    QCOMPARE(outcomeOf(run->session), outcome);
}

void TestSession::pendingWork_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<bool>("confirm");
    QTest::addColumn<int>("kind");      // -1: no work
    QTest::addColumn<QString>("reads"); // "step" (step->read), "until", or empty

    QTest::newRow("task") << u"triage"_s << false << -1 << QString();
    QTest::newRow("decision") << u"pick"_s << false << -1 << QString();
    QTest::newRow("confirm gate") << u"fix"_s << false << -1 << QString();
    QTest::newRow("duration wait") << u"pause"_s << false << -1 << QString();
    QTest::newRow("query check") << u"drift"_s << false << int(WorkRequest::Kind::Query)
                                 << u"step"_s;
    QTest::newRow("probe check") << u"health"_s << false << int(WorkRequest::Kind::Probe)
                                 << u"step"_s;
    QTest::newRow("confirmed action")
        << u"fix"_s << true << int(WorkRequest::Kind::Action) << QString();
    QTest::newRow("escalation") << u"page"_s << false << int(WorkRequest::Kind::Action)
                                << QString();
    QTest::newRow("until wait") << u"drain"_s << false << int(WorkRequest::Kind::Poll)
                                << u"until"_s;
}

void TestSession::pendingWork()
{
    QFETCH(QString, start);
    QFETCH(bool, confirm);
    QFETCH(int, kind);
    QFETCH(QString, reads);

    auto run = startAt(start);
    QVERIFY(run);
    if (confirm) {
        // At the gate the action is not handed out yet, but its request can be shown.
        QVERIFY(!run->session.pendingWork());
        const auto gated = run->session.gatedWork();
        QVERIFY(gated);
        QCOMPARE(int(gated->kind), int(WorkRequest::Kind::Action));
        QCOMPARE(gated->step, run->session.current());
        QVERIFY_MOVE(run->session.confirmAction());
    }
    QCOMPARE(run->session.gatedWork().has_value(),
             run->session.waiting() == Session::Waiting::Confirm);
    const auto work = run->session.pendingWork();
    QCOMPARE(work.has_value(), kind >= 0);
    if (!work)
        return;
    const Step *step = run->session.current();
    QCOMPARE(int(work->kind), kind);
    QCOMPARE(work->step, step);
    QCOMPARE(work->incidentId, u"inc-1"_s);
    QCOMPARE(work->stepVisit, 1);
    QCOMPARE(work->dryRun, false);
    const ReadSpec *expectedRead = reads == u"step"    ? &step->read
                                   : reads == u"until" ? &step->until->read
                                                       : nullptr;
    QCOMPARE(work->read, expectedRead);

    // Handing the work out is recorded, by runlane, and changes nothing else.
    const qsizetype before = run->events.size();
    const auto begun = run->session.beginWork();
    QVERIFY(begun);
    QCOMPARE(begun->step, step);
    QCOMPARE(run->events.size(), before + 1);
    const Event &requested = run->events.back();
    QCOMPARE(toString(requested.kind), toString(EventKind::WorkRequested));
    QCOMPARE(requested.stepId, step->id.value);
    QCOMPARE(requested.actor, u"runlane"_s);
    QCOMPARE(requested.details.value(u"visit"_s).toInt(), 1);
    QCOMPARE(run->session.current(), step);
}

void TestSession::waitUntilConditionError()
{
    auto run = startAt(u"drain"_s);
    QVERIFY(run);
    const qsizetype before = run->events.size();
    // A probe-shaped answer to a query condition: `value` is unknown, so the condition errors.
    QVERIFY_MOVE(run->session.feed(WorkResult::response(200, QJsonObject())));
    QCOMPARE(run->kinds(before), (QStringList{u"work-result drain"_s, u"note-added drain"_s}));
    QVERIFY2(run->events.back().text.startsWith(u"Cannot evaluate 'value < 0.05': "_s),
             qPrintable(run->events.back().text));
    QCOMPARE(run->events.back().actor, u"runlane"_s);
    QCOMPARE(toString(run->session.waiting()), toString(Session::Waiting::Wait));
    QCOMPARE(run->currentId(), u"drain"_s);
}

void TestSession::stepVisitCountsReentries()
{
    // retry fails → triage-again → retry: the second attempt is visit 2, so a server can tell a
    // new attempt from a retried request of the first.
    auto run = startAt(u"retry"_s);
    QVERIFY(run);
    QCOMPARE(run->session.pendingWork()->stepVisit, 1);
    QVERIFY_MOVE(run->session.feed(WorkResult::response(500, QJsonValue())));
    QCOMPARE(run->currentId(), u"triage-again"_s);
    QVERIFY(!run->session.pendingWork());
    QVERIFY_MOVE(run->session.completeTask({}));
    QCOMPARE(run->currentId(), u"retry"_s);
    QCOMPARE(run->session.pendingWork()->stepVisit, 2);
    QCOMPARE(run->last(EventKind::StepEntered).details.value(u"visit"_s).toInt(), 2);
    QVERIFY_MOVE(run->session.feed(WorkResult::response(204, QJsonValue())));
    QCOMPARE(run->session.path(),
             (QStringList{u"retry"_s, u"triage-again"_s, u"retry"_s, u"done"_s}));
}

void TestSession::staleResultRefused()
{
    // A result of work handed out on an earlier visit must not be taken for the current one.
    auto run = startAt(u"retry"_s);
    QVERIFY(run);
    const auto first = run->session.beginWork();
    QVERIFY(first);
    QVERIFY_MOVE(run->session.feed(WorkResult::response(500, QJsonValue()), first->token));
    QVERIFY_MOVE(run->session.completeTask({}));
    QCOMPARE(run->currentId(), u"retry"_s);
    const auto second = run->session.beginWork();
    QVERIFY(second);
    QVERIFY(second->token != first->token);
    const qsizetype before = run->events.size();
    QCOMPARE(errorOf(run->session.feed(WorkResult::response(204, QJsonValue()), first->token)),
             u"a result arrived for work of an earlier step; it was not used"_s);
    QCOMPARE(run->events.size(), before);
    QCOMPARE(run->currentId(), u"retry"_s);
    QVERIFY_MOVE(run->session.feed(WorkResult::response(204, QJsonValue()), second->token));
    QCOMPARE(run->currentId(), u"done"_s);
}

void TestSession::scopeOfWork()
{
    const PlaybookPtr playbook = loadPlaybook(u"fix"_s);
    QVERIFY(playbook);
    Run run(playbook);
    run.now = kT0 + 123;
    run.start({{u"model"_s, u"detector"_s}, {u"limit"_s, 0.5}});
    run.now = kT0 + 9999;
    QVERIFY_MOVE(run.session.confirmAction());
    const auto work = run.session.pendingWork();
    QVERIFY(work);
    QCOMPARE(show(work->scope),
             u"{\"incident\":{\"id\":\"inc-1\",\"started_at\":\"2023-11-14T22:13:20.123Z\"},"
             "\"inputs\":{\"limit\":0.5,\"model\":\"detector\"},\"vars\":{}}"_s);
    QVERIFY_MOVE(
        run.session.feed(WorkResult::response(200, json(u"{\"status\":{\"revision\":\"r2\"}}"_s))));
    QCOMPARE(run.session.scope().value(u"vars"_s), json(u"{\"revision\":\"r2\"}"_s));
    QCOMPARE(run.session.scope().value(u"incident"_s).toObject().value(u"started_at"_s).toString(),
             u"2023-11-14T22:13:20.123Z"_s);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
