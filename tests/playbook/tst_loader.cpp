// The loader: YAML → model, the shape rules of the format (keys, kinds, required keys, durations,
// the format version), positions, and how diagnostics come out (sorted, all of them, 1-based).

#include "engine/playbook/loader.h"

#include "test_support.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

using namespace runlane;
using runlane::test::basePlaybook;
using runlane::test::describe;
using runlane::test::mismatch;
using runlane::test::mutated;

class TestLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void basePlaybookLoadsClean();
    void shape_data();
    void shape();
    void model();
    void defaults();
    void positions_data();
    void positions();
    void allErrorsReportedAndSorted();
    void diagnosticToString();
    void loadFromFile();
    void missingFile();
    void partialModelOnErrors();
    void withKeepsWrittenNumbers_data();
    void withKeepsWrittenNumbers();
};

void TestLoader::basePlaybookLoadsClean()
{
    const LoadResult result =
        loadPlaybookText(basePlaybook().toUtf8(), QStringLiteral("base.yaml"));
    QVERIFY2(result.diagnostics.isEmpty(), qPrintable(describe(result.diagnostics).join(u'\n')));
    QVERIFY(result.ok());
    QCOMPARE(result.playbook->steps.size(), 12);
}

// One mutation of the base playbook (test_support.cpp, lines numbered there) per row, or a whole
// text when `from` is empty. `expected` lists every diagnostic, in order.
void TestLoader::shape_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("knownIssue");

    auto row = [](const char *name, const char *from, const char *to, QStringList expected,
                  const char *knownIssue = "") {
        QTest::newRow(name) << QString::fromUtf8(from) << QString::fromUtf8(to) << expected
                            << QString::fromUtf8(knownIssue);
    };
    auto l = [](const char *text) { return QString::fromUtf8(text); };

    // --- format version
    row("runlane missing", "runlane: 1\n", "",
        {l("1:1: error: missing required key 'runlane' in the playbook")});
    row("runlane 2", "runlane: 1", "runlane: 2",
        {l("1:10: error: unsupported format version 2; this Runlane reads 'runlane: 1'")});
    row("runlane 0", "runlane: 1", "runlane: 0",
        {l("1:10: error: unsupported format version 0; this Runlane reads 'runlane: 1'")});
    row("runlane \"1\" quoted", "runlane: 1", "runlane: \"1\"",
        {l("1:10: error: unsupported format version '1' (quoted text); this Runlane reads "
           "'runlane: 1'")});
    row("runlane 1.5", "runlane: 1", "runlane: 1.5",
        {l("1:10: error: unsupported format version '1.5'; this Runlane reads 'runlane: 1'")});
    row("runlane empty", "runlane: 1",
        "runlane:", {l("1:1: error: 'runlane' is empty; this Runlane reads 'runlane: 1'")});
    row("runlane list", "runlane: 1", "runlane: [1]",
        {l("1:10: error: unsupported format version a list; this Runlane reads 'runlane: 1'")});

    // --- required top-level keys
    row("id missing", "id: base\n", "",
        {l("1:1: error: missing required key 'id' in the playbook")});
    row("title missing", "title: Base playbook\n", "",
        {l("1:1: error: missing required key 'title' in the playbook")});
    row("start missing", "start: triage\n", "",
        {l("1:1: error: missing required key 'start' in the playbook")});
    row("steps missing", "", "runlane: 1\nid: x\ntitle: X\nstart: a\n",
        {l("1:1: error: missing required key 'steps' in the playbook"),
         l("4:8: error: 'start' names step 'a', which does not exist")});
    row("steps empty", "", "runlane: 1\nid: x\ntitle: X\nstart: a\nsteps: []\n",
        {l("4:8: error: 'start' names step 'a', which does not exist"),
         l("5:8: error: 'steps' in the playbook must be a non-empty list of steps, not an empty "
           "list")});
    row("steps a map", "", "runlane: 1\nid: x\ntitle: X\nstart: a\nsteps: {a: 1}\n",
        {l("4:8: error: 'start' names step 'a', which does not exist"),
         l("5:8: error: 'steps' in the playbook must be a non-empty list of steps, not a map")});

    // --- unknown keys at every level, with a suggestion when one is close
    row("unknown top key, suggestion", "owner: ml-platform", "ownr: ml-platform",
        {l("6:1: error: unknown key 'ownr' in the playbook; did you mean 'owner'?")});
    row("unknown top key, no suggestion", "owner: ml-platform", "colour: red",
        {l("6:1: error: unknown key 'colour' in the playbook; expected one of: runlane, id, "
           "title, summary, severity, owner, tags, triggers, budget, lanes, inputs, targets, "
           "start, steps")});
    row("unknown key in budget", "mitigate: 30m", "mitigte: 30m",
        {l("10:27: error: unknown key 'mitigte' in 'budget'; did you mean 'mitigate'?")});
    row("unknown key in a flow lane", "title: Control plane}", "title: Control plane, colour: red}",
        {l("14:47: error: unknown key 'colour' in a lane; expected one of: id, title")});
    row("misspelt key in a block lane", "    title: Device", "    titel: Device",
        {l("12:5: error: missing required key 'title' in a lane"),
         l("13:5: error: unknown key 'titel' in a lane; did you mean 'title'?")});
    row("unknown key in an input", "default: ranker", "defualt: ranker",
        {l("16:45: error: unknown key 'defualt' in input 'model'; did you mean 'default'?")});
    row("unknown key in a target", "    timeout: 10s", "    timout: 10s",
        {l("27:5: error: unknown key 'timout' in target 'k8s'; did you mean 'timeout'?")});
    row("unknown key in auth", "{bearer: \"${env:K8S_TOKEN}\"}",
        "{bearer: \"${env:K8S_TOKEN}\", baisc: x}",
        {l("26:40: error: unknown key 'baisc' in the auth of target 'k8s'; did you mean "
           "'basic'?")});
    row("unknown key in basic auth", "{bearer: \"${env:K8S_TOKEN}\"}",
        "{basic: {user: u, pasword: p}}",
        {l("26:19: error: missing required key 'password' in the basic auth of target 'k8s'"),
         l("26:29: error: unknown key 'pasword' in the basic auth of target 'k8s'; did you mean "
           "'password'?")});
    row("unknown key in header auth", "{bearer: \"${env:K8S_TOKEN}\"}",
        "{header: {name: X-Api-Key, valeu: k}}",
        {l("26:20: error: missing required key 'value' in the header auth of target 'k8s'"),
         l("26:38: error: unknown key 'valeu' in the header auth of target 'k8s'; did you mean "
           "'value'?")});
    row("unknown key in retry", "backoff: 500ms", "backof: 500ms",
        {l("28:26: error: unknown key 'backof' in the retry of target 'k8s'; did you mean "
           "'backoff'?")});
    row("unknown key in tls", "verify: true", "verfy: true",
        {l("29:11: error: unknown key 'verfy' in the tls of target 'k8s'; did you mean "
           "'verify'?")});
    row("unknown key in a step: nxet", "    next: escalated", "    nxet: escalated",
        {l("114:5: error: missing required key 'next' in step 'page'"),
         l("114:9: warning: no end step can be reached from step 'page'"),
         l("120:5: error: unknown key 'nxet' in step 'page'; did you mean 'next'?"),
         l("122:10: warning: step 'escalated' cannot be reached from the start step 'triage'")});
    row("unknown key in a step, no suggestion", "    body: Open the *drift* dashboard.",
        "    notes: Open the *drift* dashboard.",
        {l("38:5: error: unknown key 'notes' in step 'triage'; expected one of: id, type, title, "
           "lane, body, timeout, checklist, next, options")});
    row("unknown key in an option", "next: check-drift}", "next: check-drift, lable: x}",
        {l("46:59: error: unknown key 'lable' in an option of step 'choose'; did you mean "
           "'label'?")});
    row("unknown key in a when branch", "next: demote}", "next: demote, iff: x}",
        {l("54:42: error: unknown key 'iff' in a 'when' branch of step 'check-drift'; did you "
           "mean 'if'?")});
    row("unknown key in a query", "reduce: max}", "reduse: max}",
        {l("52:75: error: unknown key 'reduse' in the query of step 'check-drift'; did you mean "
           "'reduce'?")});
    row("unknown key in a probe", "method: GET", "metod: GET",
        {l("61:26: error: unknown key 'metod' in the probe of step 'probe-api'; did you mean "
           "'method'?")});
    row("unknown key in a request", "      method: PUT", "      methd: PUT",
        {l("79:7: error: unknown key 'methd' in the request of step 'set-default'; did you mean "
           "'method'?")});
    row("unknown key in expect", "{status: [200, 202]}", "{statuses: [200, 202]}",
        {l("84:16: error: unknown key 'statuses' in 'expect' of the request of step "
           "'set-default'; did you mean 'status'?")});
    row("unknown key in a fanout", "      concurrency: 64", "      concurency: 64",
        {l("97:7: error: unknown key 'concurency' in the fanout of step 'scale'; did you mean "
           "'concurrency'?")});
    row("unknown key in until", "every: 30s}", "evry: 30s}",
        {l("105:73: error: unknown key 'evry' in 'until' of step 'watch'; did you mean 'every'?")});

    // --- x- keys are kept and ignored at every level
    {
        QString text = basePlaybook();
        const QList<std::pair<const char *, const char *>> edits{
            {"owner: ml-platform", "owner: ml-platform\nx-team: sre"},
            {"resolve: 4h}", "resolve: 4h, x-note: a}"},
            {"title: Control plane}", "title: Control plane, x-colour: blue}"},
            {"pattern: '^[a-z0-9-]+$'}", "pattern: '^[a-z0-9-]+$', x-ui: wide}"},
            {"    kind: kubernetes", "    kind: kubernetes\n    x-owner: sre"},
            {"{bearer: \"${env:K8S_TOKEN}\"}",
             "{bearer: \"${env:K8S_TOKEN}\", x-rotated: monthly}"},
            {"max_backoff: 10s}", "max_backoff: 10s, x-why: flaky}"},
            {"ca: /etc/runlane/ca.pem}", "ca: /etc/runlane/ca.pem, x-pinned: no}"},
            {"    lane: device", "    lane: device\n    x-runbook: https://wiki/x"},
            {"next: check-drift}", "next: check-drift, x-hotkey: d}"},
            {"next: demote}", "next: demote, x-note: n}"},
            {"reduce: max}", "reduce: max, x-panel: 3}"},
            {"method: GET", "method: GET, x-note: n"},
            {"      method: PUT", "      method: PUT\n      x-note: n"},
            {"{status: [200, 202]}", "{status: [200, 202], x-note: n}"},
            {"      concurrency: 64", "      concurrency: 64\n      x-note: n"},
            {"every: 30s}", "every: 30s, x-note: n}"},
            {"outcome: resolved}", "outcome: resolved, x-note: n}"},
        };
        for (const auto &[from, to] : edits) {
            QVERIFY2(text.count(QString::fromUtf8(from)) == 1, from);
            text.replace(QString::fromUtf8(from), QString::fromUtf8(to));
        }
        QTest::newRow("x- keys everywhere") << QString() << text << QStringList() << QString();
    }

    // --- duplicate keys: both places are reported
    row("duplicate top-level key", "owner: ml-platform", "owner: ml-platform\nowner: sre",
        {l("6:1: error: key 'owner' in the playbook is given again at line 7, column 1"),
         l("7:1: error: duplicate key 'owner' in the playbook; first given at line 6, column 1")});
    row("duplicate key in a flow map", "outcome: resolved}", "outcome: resolved, title: Again}",
        {l("121:27: error: key 'title' in step 'done' is given again at line 121, column 63"),
         l("121:63: error: duplicate key 'title' in step 'done'; first given at line 121, column "
           "27")});
    row("duplicate key in a block step", "    duration: 5m", "    duration: 5m\n    duration: 6m",
        {l("112:5: error: key 'duration' in step 'settle' is given again at line 113, column 5"),
         l("113:5: error: duplicate key 'duration' in step 'settle'; first given at line 112, "
           "column 5")});
    row("duplicate input name", "  percent:", "  model: {prompt: Again}\n  percent:",
        {l("16:3: error: key 'model' in 'inputs' is given again at line 17, column 3"),
         l("17:3: error: duplicate key 'model' in 'inputs'; first given at line 16, column 3")});
    row("duplicate key in with", "percent: 0}", "percent: 0, namespace: prod}",
        {l("70:12: error: key 'namespace' in 'with' of step 'demote' is given again at line 70, "
           "column 69"),
         l("70:69: error: duplicate key 'namespace' in 'with' of step 'demote'; first given at "
           "line 70, column 12")});
    row("duplicate key in a request body", "{reason: \"drift on {{ inputs.model }}\"}",
        "{reason: \"drift on {{ inputs.model }}\", reason: again}",
        {l("83:14: error: key 'reason' in 'body' of the request of step 'set-default' is given "
           "again at line 83, column 53"),
         l("83:53: error: duplicate key 'reason' in 'body' of the request of step "
           "'set-default'; first given at line 83, column 14")});
    row("duplicate key in a trigger", "track: /can.*/}", "track: /can.*/, track: stable}",
        {l("9:34: error: key 'track' in a trigger is given again at line 9, column 50"),
         l("9:50: error: duplicate key 'track' in a trigger; first given at line 9, column 34")});

    // --- durations
    row("duration: bad unit", "    timeout: 5m", "    timeout: 5x",
        {l("39:14: error: 'timeout' in step 'triage' is not a duration: '5x'; expected a number "
           "and a unit ms, s, m, h or d")});
    row("duration: no number", "    timeout: 5m", "    timeout: m",
        {l("39:14: error: 'timeout' in step 'triage' is not a duration: 'm'")});
    row("duration: no unit", "    timeout: 5m", "    timeout: 5",
        {l("39:14: error: 'timeout' in step 'triage' is not a duration: '5'")});
    row("duration: '5 m'", "    timeout: 5m", "    timeout: 5 m",
        {l("39:14: error: 'timeout' in step 'triage' is not a duration: '5 m'")});
    row("duration: negative", "    timeout: 5m", "    timeout: -5m",
        {l("39:14: error: 'timeout' in step 'triage' is not a duration: '-5m'")});
    row("duration: quoted is fine", "    timeout: 5m", "    timeout: \"5m\"", {});
    row("duration: a list", "    timeout: 5m", "    timeout: [5m]",
        {l("39:14: error: 'timeout' in step 'triage' must be text, not a list")});
    row("duration in budget", "resolve: 4h", "resolve: 4 hours",
        {l("10:51: error: 'resolve' in 'budget' is not a duration: '4 hours'")});
    row("duration in retry", "max_backoff: 10s", "max_backoff: 10sec",
        {l("28:55: error: 'max_backoff' in the retry of target 'k8s' is not a duration: '10sec'")});
    row("duration of a target timeout", "    timeout: 10s", "    timeout: ten",
        {l("27:14: error: 'timeout' in target 'k8s' is not a duration: 'ten'")});
    row("duration of every", "every: 30s", "every: 30",
        {l("105:80: error: 'every' in 'until' of step 'watch' is not a duration: '30'")});
    row("duration of a wait", "    duration: 5m", "    duration: 5mins",
        {l("109:5: error: step 'settle' needs a 'duration' or an 'until'"),
         l("112:15: error: 'duration' in step 'settle' is not a duration: '5mins'")});

    // --- severity
    row("unknown severity", "severity: sev2", "severity: sev5",
        {l("5:11: error: unknown severity 'sev5'; expected sev1, sev2, sev3 or sev4")});
    row("severity as a number", "severity: sev2", "severity: 2",
        {l("5:11: error: unknown severity '2'; expected sev1, sev2, sev3 or sev4")});

    // --- steps: type, required keys, keys of another type
    row("step type unknown", "    type: wait\n    title: Let it settle",
        "    type: wiat\n    title: Let it settle",
        {l("110:11: error: unknown step type 'wiat' in step 'settle'; did you mean 'wait'?")});
    row("step type missing", "    type: wait\n    title: Let it settle", "    title: Let it settle",
        {l("109:5: error: missing required key 'type' in step 'settle'")});
    row("step id missing", "{id: done, type: end,", "{type: end,",
        {l("107:11: error: 'next' of step 'watch' names step 'done', which does not exist"),
         l("109:9: warning: no end step can be reached from step 'settle'"),
         l("113:11: error: 'next' of step 'settle' names step 'done', which does not exist"),
         l("121:5: error: missing required key 'id' in step 11")});
    row("step title missing", "    title: Let it settle\n", "",
        {l("109:5: error: missing required key 'title' in step 'settle'")});
    row("step empty", "  - {id: escalated,", "  -\n  - {id: escalated,",
        {l("122:3: error: step 12 is empty; a step needs 'id', 'type' and 'title'")},
        "yaml-cpp gives an empty list item the position of the token after it (the next step)");
    row("step is text", "  - {id: escalated,", "  - escalate\n  - {id: escalated,",
        {l("122:5: error: step 12 must be a map of keys and values, not 'escalate'")});
    row("options on a task", "    checklist: [Dashboard opened]", "    options: [Dashboard opened]",
        {l("40:5: error: 'options' does not belong in step 'triage', a task step; a task step "
           "takes: checklist, next")});
    row("next on an end", "outcome: resolved}", "outcome: resolved, next: escalated}",
        {l("121:63: error: 'next' does not belong in step 'done', an end step; an end step takes: "
           "outcome")});
    row("save on an escalate", "    next: escalated", "    save: {x: body.x}\n    next: escalated",
        {l("120:5: error: 'save' does not belong in step 'page', an escalate step; an escalate "
           "step takes: call, target, with, request, confirm, next")});
    row("until on a check", "    else: page", "    else: page\n    until: {if: x}",
        {l("65:5: error: 'until' does not belong in step 'probe-api', a check step")});

    // --- values of the wrong kind
    row("tags not a list", "tags: [edge, test]", "tags: edge",
        {l("7:7: error: 'tags' in the playbook must be a list of text, not 'edge'")});
    row("tag not text", "tags: [edge, test]", "tags: [edge, [test]]",
        {l("7:14: error: items of 'tags' in the playbook must be text, not a list")});
    row("title a list", "title: Base playbook", "title: [Base]",
        {l("3:8: error: 'title' in the playbook must be text, not a list")});
    row("title empty value", "title: Base playbook",
        "title:", {l("3:1: error: 'title' in the playbook must be text, not empty")});
    row("checklist item a map", "[Dashboard opened]", "[Dashboard opened, {a: b}]",
        {l("40:35: error: items of 'checklist' in step 'triage' must be text, not a map")});
    row("confirm yes", "    next: set-default", "    confirm: yes\n    next: set-default",
        {l("72:14: error: 'confirm' in step 'demote' must be true or false, not 'yes'")});
    row("concurrency not whole", "concurrency: 64", "concurrency: 1.5",
        {l("97:20: error: 'concurrency' in the fanout of step 'scale' must be a whole number, not "
           "'1.5'")});
    row("min not a number", "min: 0, max: 100", "min: zero, max: 100",
        {l("17:66: error: 'min' in input 'percent' must be a number, not 'zero'")});
    row("inputs a list", "inputs:\n", "inputs: [model]\nx-old-inputs:\n",
        {l("15:9: error: 'inputs' must be a map of keys and values, not a list"),
         l("53:54: error: in the promql of step 'check-drift': unknown input 'model'"),
         l("71:39: error: in 'with' of step 'demote': unknown input 'model'"),
         l("81:24: error: in the path of the request of step 'set-default': unknown input 'model'"),
         l("84:35: error: in the body of the request of step 'set-default': unknown input 'model'"),
         l("93:23: error: in 'with' of step 'scale': unknown input 'model'"),
         l("95:17: error: in 'over' of the fanout of step 'scale': unknown input 'nodes'"),
         l("120:34: error: in 'with' of step 'page': unknown input 'model'")});
    row("input empty", "  backup_taken: {prompt: \"Backup taken?\", type: boolean, default: false}",
        "  backup_taken:", {l("20:3: error: input 'backup_taken' needs at least a 'prompt'")});
    row("target empty", "  ts: {kind: torchserve, url: http://127.0.0.1:8081}", "  ts:",
        {l("30:3: error: target 'ts' needs 'kind' and 'url'"),
         l("77:13: error: step 'set-default' names target 'ts', which is not defined"),
         l("91:13: error: step 'scale' names target 'ts', which is not defined")});
    row("target without kind", "{kind: torchserve, url: http://127.0.0.1:8081}",
        "{url: http://127.0.0.1:8081}",
        {l("30:7: error: missing required key 'kind' in target 'ts'")});
    row("target without url", "{kind: torchserve, url: http://127.0.0.1:8081}",
        "{kind: torchserve}", {l("30:7: error: missing required key 'url' in target 'ts'")});
    row("triggers a map", "triggers:\n  - {alertname: ModelInputDrift, track: /can.*/}",
        "triggers: {alertname: ModelInputDrift}",
        {l("8:11: error: 'triggers' in the playbook must be a list of label maps, not a map")});
    row("trigger is text", "  - {alertname: ModelInputDrift, track: /can.*/}",
        "  - ModelInputDrift", {l("9:5: error: a trigger must be a map of alert labels")});
    row("lanes empty",
        "lanes:\n  - id: device\n    title: Device\n  - {id: control-plane, "
        "title: Control plane}\n",
        "lanes: []\n",
        {l("11:8: error: 'lanes' in the playbook must be a non-empty list of lanes"),
         l("34:11: error: unknown lane 'device' in step 'triage'"),
         l("47:11: error: unknown lane 'control-plane' in step 'check-drift'")});
    row("options not a list", "",
        "runlane: 1\nid: x\ntitle: X\nstart: d\nsteps:\n"
        "  - id: d\n    type: decision\n    title: D\n    options: {a: e, b: e}\n"
        "  - {id: e, type: end, title: E, outcome: resolved}\n",
        {l("6:9: warning: no end step can be reached from step 'd'"),
         l("9:14: error: 'options' in step 'd' must be a list of {label, next} options, not a map"),
         l("10:10: warning: step 'e' cannot be reached from the start step 'd'")});
    row("option is text", "      - {label: Probe the API, next: probe-api}",
        "      - {label: Probe the API, next: probe-api}\n      - probe-api",
        {l("48:9: error: an option of step 'choose' must be a map with 'label' and 'next', not "
           "'probe-api'")});
    row("when branch is a list", "      - {if: value > 0.25, next: demote}",
        "      - [value > 0.25, demote]",
        {l("54:9: error: a 'when' branch of step 'check-drift' must be a map with 'if' and 'next', "
           "not a list"),
         l("65:9: warning: step 'demote' cannot be reached"),
         l("74:9: warning: step 'set-default' cannot be reached"),
         l("87:9: warning: step 'scale' cannot be reached")});
    row("query is text",
        "    query: {target: prom, promql: 'max(psi{model=\"{{ inputs.model }}\"})', reduce: max}",
        "    query: max(psi)",
        {l("52:12: error: 'query' in step 'check-drift' must be a map with 'target' and 'promql', "
           "not 'max(psi)'")});
    row("budget is text", "budget: {acknowledge: 5m, mitigate: 30m, resolve: 4h}", "budget: 4h",
        {l("10:9: error: 'budget' in the playbook must be a map of durations, not '4h'")});
    row("lane is text", "  - {id: control-plane, title: Control plane}", "  - control-plane",
        {l("14:5: error: a lane must be a map with 'id' and 'title', not 'control-plane'"),
         l("50:11: error: unknown lane 'control-plane' in step 'check-drift'; expected one of: "
           "device")});
}

void TestLoader::shape()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QStringList, expected);
    QFETCH(QString, knownIssue);

    const QByteArray text = from.isEmpty() ? to.toUtf8() : mutated(from, to);
    QVERIFY2(!text.isEmpty(), "the row's 'from' does not occur exactly once in the base playbook");
    const LoadResult result = loadPlaybookText(text, QStringLiteral("t.yaml"));
    QVERIFY(result.playbook);
    QCOMPARE(result.ok(), !hasErrors(result.diagnostics));
    const QString report = mismatch(result.diagnostics, expected, text);
    if (!report.isEmpty())
        qInfo().noquote() << report;
    if (!knownIssue.isEmpty())
        QEXPECT_FAIL("", qPrintable(knownIssue), Abort);
    QVERIFY2(report.isEmpty(), "the diagnostics differ from the expected ones (listed above)");
}

// What the loader reads into the model, checked on the base playbook.
void TestLoader::model()
{
    const LoadResult result =
        loadPlaybookText(basePlaybook().toUtf8(), QStringLiteral("base.yaml"));
    QVERIFY(result.ok());
    const Playbook &pb = *result.playbook;
    QCOMPARE(pb.file, QStringLiteral("base.yaml"));
    QCOMPARE(pb.source, basePlaybook());
    QCOMPARE(pb.version.value, 1);
    QCOMPARE(pb.id.value, QStringLiteral("base"));
    QCOMPARE(pb.id.pos, (SourcePos{2, 5}));
    QCOMPARE(toString(pb.severity.value), QStringLiteral("sev2"));
    QCOMPARE(pb.tags.size(), 2);
    QCOMPARE(pb.triggers.size(), 1);
    QCOMPARE(pb.triggers[0].labels.size(), 2);
    QCOMPARE(pb.triggers[0].labels[1].second.value, QStringLiteral("/can.*/"));
    QCOMPARE(pb.budget.mitigate.value.ms, 30 * 60'000);
    QCOMPARE(pb.budget.resolve.value.ms, 4 * 3'600'000);

    QCOMPARE(pb.lanes.size(), 2);
    QCOMPARE(pb.lanes[1].id.value, QStringLiteral("control-plane"));
    QCOMPARE(pb.lanes[1].title.value, QStringLiteral("Control plane"));

    QCOMPARE(pb.inputs.size(), 5);
    const Input *percent = pb.input(QStringLiteral("percent"));
    QVERIFY(percent);
    QCOMPARE(toString(percent->type.value), QStringLiteral("number"));
    QCOMPARE(percent->defaultValue.value, QJsonValue(0));
    QCOMPARE(percent->max.value, 100.0);
    const Input *nodes = pb.input(QStringLiteral("nodes"));
    QCOMPARE(nodes->defaultValue.value,
             QJsonValue(QJsonArray{QStringLiteral("n1"), QStringLiteral("n2")}));
    QCOMPARE(pb.input(QStringLiteral("region"))->choices.size(), 2);
    QVERIFY(!pb.input(QStringLiteral("region"))->isRequired());
    QCOMPARE(pb.input(QStringLiteral("backup_taken"))->defaultValue.value, QJsonValue(false));

    const Target *k8s = pb.target(QStringLiteral("k8s"));
    QVERIFY(k8s);
    QCOMPARE(toString(k8s->kind.value), QStringLiteral("kubernetes"));
    QCOMPARE(k8s->url.value, QStringLiteral("${env:K8S_URL:-http://127.0.0.1:8001}"));
    QVERIFY(k8s->auth.kind == Auth::Kind::Bearer);
    QCOMPARE(k8s->auth.bearer.value, QStringLiteral("${env:K8S_TOKEN}"));
    QCOMPARE(k8s->timeoutMs, 10'000);
    QCOMPARE(k8s->retry.attempts, 3);
    QCOMPARE(k8s->retry.backoffMs, 500);
    QCOMPARE(k8s->tls.ca.value, QStringLiteral("/etc/runlane/ca.pem"));
    QCOMPARE(pb.target(QStringLiteral("pd"))->routingKey.value, QStringLiteral("${env:PD_KEY}"));

    QCOMPARE(pb.start.value, QStringLiteral("triage"));
    const Step *triage = pb.step(QStringLiteral("triage"));
    QCOMPARE(toString(triage->type.value), QStringLiteral("task"));
    QCOMPARE(triage->timeout.value.ms, 5 * 60'000);
    QCOMPARE(triage->checklist.size(), 1);
    QCOMPARE(pb.laneOf(*triage), QStringLiteral("device"));

    const Step *choose = pb.step(QStringLiteral("choose"));
    QCOMPARE(choose->options.size(), 2);
    QCOMPARE(choose->options[1].label.value, QStringLiteral("Probe the API"));
    QCOMPARE(pb.laneOf(*choose), QStringLiteral("device")); // no lane: the first one

    const Step *check = pb.step(QStringLiteral("check-drift"));
    QVERIFY(check->read.query);
    QCOMPARE(check->read.query->reduce.value, QStringLiteral("max"));
    QCOMPARE(check->when.size(), 1);
    QCOMPARE(check->when[0].condition.value, QStringLiteral("value > 0.25"));
    QCOMPARE(check->noData.value, QStringLiteral("ask"));
    const QList<Step::Way> ways = check->ways();
    QCOMPARE(ways.size(), 3); // when, else, on_error; `ask` is no way to a step
    QCOMPARE(ways[1].label, QStringLiteral("else"));
    QCOMPARE(ways[2].next, QStringLiteral("page"));

    const Step *probe = pb.step(QStringLiteral("probe-api"));
    QVERIFY(probe->read.probe);
    QCOMPARE(probe->read.probe->request.path.value, QStringLiteral("/readyz"));
    QCOMPARE(probe->read.probe->request.expectStatus, QList<int>{200});

    const Step *demote = pb.step(QStringLiteral("demote"));
    QCOMPARE(demote->with.size(), 3);
    QCOMPARE(demote->with[2].second.value, QJsonValue(0));
    QVERIFY(demote->confirm.value); // actions confirm by default
    QCOMPARE(demote->save.size(), 1);
    QCOMPARE(demote->save[0].path.value, QStringLiteral("body.status.previous"));

    const Step *setDefault = pb.step(QStringLiteral("set-default"));
    QVERIFY(setDefault->request);
    QCOMPARE(setDefault->request->method.value, QStringLiteral("PUT"));
    QCOMPARE(setDefault->request->expectStatus, (QList<int>{200, 202}));
    QCOMPARE(setDefault->request->query.size(), 1);
    QCOMPARE(setDefault->request->query[0].second.value, QStringLiteral("true"));
    QCOMPARE(setDefault->request->body.value.toObject().value(QStringLiteral("reason")),
             QJsonValue(QStringLiteral("drift on {{ inputs.model }}")));

    const Step *scale = pb.step(QStringLiteral("scale"));
    QVERIFY(scale->fanout);
    QCOMPARE(scale->fanout->as.value, QStringLiteral("node"));
    QCOMPARE(scale->fanout->concurrency.value, 64);
    QCOMPARE(scale->fanout->waves, (QList<double>{0.01, 0.1, 0.5, 1.0}));
    QCOMPARE(scale->fanout->maxFailures.value, 0.02);
    QVERIFY(!scale->fanout->overIsLiteral);

    const Step *watch = pb.step(QStringLiteral("watch"));
    QVERIFY(watch->until);
    QVERIFY(watch->until->read.query);
    QCOMPARE(watch->until->condition.value, QStringLiteral("value < 0.1"));
    QCOMPARE(watch->until->every.value.ms, 30'000);
    QCOMPARE(watch->timeout.value.ms, 10 * 60'000);

    QCOMPARE(pb.step(QStringLiteral("settle"))->duration.value.ms, 5 * 60'000);
    QVERIFY(!pb.step(QStringLiteral("page"))->confirm.value); // escalations do not confirm
    QCOMPARE(toString(pb.step(QStringLiteral("escalated"))->outcome.value),
             QStringLiteral("escalated"));
}

// Defaults of the format when keys are left out.
void TestLoader::defaults()
{
    const LoadResult result = loadPlaybookText(
        QByteArrayLiteral("runlane: 1\n"
                          "id: defaults\n"
                          "title: Defaults\n"
                          "targets:\n"
                          "  prom: {kind: prometheus, url: http://p:9090}\n"
                          "start: w\n"
                          "steps:\n"
                          "  - id: w\n"
                          "    type: wait\n"
                          "    title: W\n"
                          "    timeout: 1m\n"
                          "    until: {query: {target: prom, promql: up}, if: value > 0}\n"
                          "    next: e\n"
                          "    on_timeout: e\n"
                          "  - {id: e, type: end, title: E, outcome: aborted}\n"),
        QStringLiteral("d.yaml"));
    QVERIFY2(result.diagnostics.isEmpty(), qPrintable(describe(result.diagnostics).join(u'\n')));
    const Playbook &pb = *result.playbook;
    QCOMPARE(toString(pb.severity.value), QStringLiteral("sev3"));
    QVERIFY(!pb.severity.present);
    QCOMPARE(pb.lanes.size(), 3);
    QCOMPARE(pb.lanes[0].id.value, QStringLiteral("device"));
    QCOMPARE(pb.lanes[1].title.value, QStringLiteral("Edge node"));
    QCOMPARE(pb.lanes[2].id.value, QStringLiteral("control-plane"));
    QCOMPARE(pb.laneOf(pb.steps[0]), QStringLiteral("device"));
    const Target *prom = pb.target(QStringLiteral("prom"));
    QCOMPARE(prom->timeoutMs, 10'000);
    QCOMPARE(prom->retry.attempts, 3);
    QCOMPARE(prom->retry.backoffMs, 500);
    QCOMPARE(prom->retry.maxBackoffMs, 10'000);
    QVERIFY(prom->tls.verify);
    QVERIFY(prom->auth.kind == Auth::Kind::None);
    QCOMPARE(pb.steps[0].until->every.value.ms, 30'000);
}

// Positions are 1-based and point at the value: inside quotes, in flow maps, in block lists.
void TestLoader::positions_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected");

    const QByteArray head = QByteArrayLiteral("runlane: 1\nid: p\ntitle: P\nstart: a\nsteps:\n");
    const QByteArray end =
        QByteArrayLiteral("  - {id: z, type: end, title: Z, outcome: resolved}\n");
    auto l = [](const char *text) { return QString::fromUtf8(text); };

    // A reference to a missing step also leaves 'a' without a way to an end and 'z' unreachable.
    auto dangling = [&](const char *error, int stepLine, int stepColumn, int endLine) {
        return QStringList{
            QStringLiteral("%1:%2: warning: no end step can be reached from step 'a'")
                .arg(stepLine)
                .arg(stepColumn),
            l(error), QStringLiteral("%1:10: warning: step 'z' cannot be reached").arg(endLine)};
    };
    QTest::newRow("plain scalar in a block map")
        << head + "  - id: a\n    type: task\n    title: A\n    next: zz\n" + end
        << dangling("9:11: error: 'next' of step 'a' names step 'zz', which does not exist; did "
                    "you mean 'z'?",
                    6, 9, 10);
    QTest::newRow("double-quoted scalar: inside the quotes")
        << head + "  - id: a\n    type: task\n    title: A\n    next: \"zz\"\n" + end
        << dangling("9:12: error: 'next' of step 'a' names step 'zz'", 6, 9, 10);
    QTest::newRow("single-quoted scalar: inside the quotes")
        << head + "  - id: a\n    type: task\n    title: A\n    next: 'zz'\n" + end
        << dangling("9:12: error: 'next' of step 'a' names step 'zz'", 6, 9, 10);
    QTest::newRow("flow map in a block list")
        << head + "  - {id: a, type: task, title: A, next: zz}\n" + end
        << dangling("6:41: error: 'next' of step 'a' names step 'zz'", 6, 10, 7);
    QTest::newRow("flow map, quoted value")
        << head + "  - {id: a, type: task, title: A, next: 'zz'}\n" + end
        << dangling("6:42: error: 'next' of step 'a' names step 'zz'", 6, 10, 7);
    QTest::newRow("flow list item")
        << head + "  - {id: a, type: task, title: A, checklist: [one, [two]], next: z}\n" + end
        << QStringList{l("6:52: error: items of 'checklist' in step 'a' must be text, not a list")};
    QTest::newRow("block list item")
        << head +
               "  - id: a\n    type: task\n    title: A\n    checklist:\n      - one\n      - "
               "[two]\n    next: z\n" +
               end
        << QStringList{l("11:9: error: items of 'checklist' in step 'a' must be text, not a list")};
    QTest::newRow("block list, empty item: the key")
        << head +
               "  - id: a\n    type: task\n    title: A\n    checklist:\n      - one\n      -\n"
               "    next: z\n" +
               end
        << QStringList{l("9:5: error: items of 'checklist' in step 'a' must be text, not empty")};
    QTest::newRow("empty value: the key, not the next line")
        << head + "  - id: a\n    type: task\n    title:\n    next: z\n" + end
        << QStringList{l("8:5: error: 'title' in step 'a' must be text, not empty")};
    QTest::newRow("nested block maps")
        << QByteArray("runlane: 1\nid: p\ntitle: P\ntargets:\n  t:\n    kind: http\n    url: "
                      "http://h\n    retry:\n      attempts: 0\nstart: z\nsteps:\n") +
               end
        << QStringList{l("9:17: error: 'attempts' in the retry of target 't' must be from 1 to 10, "
                         "not 0")};
    QTest::newRow("after a comment and blank lines")
        << QByteArray("# comment\n\nrunlane: 1\nid: p\ntitle: P\nstart: a\nsteps:\n"
                      "  # the first step\n  - {id: a, type: task, title: A, next: zz}\n") +
               end
        << dangling("9:41: error: 'next' of step 'a' names step 'zz'", 9, 10, 10);
    QTest::newRow("CRLF line ends")
        << QByteArray("runlane: 1\r\nid: p\r\ntitle: P\r\nstart: a\r\nsteps:\r\n"
                      "  - {id: a, type: task, title: A, next: zz}\r\n"
                      "  - {id: z, type: end, title: Z, outcome: resolved}\r\n")
        << dangling("6:41: error: 'next' of step 'a' names step 'zz'", 6, 10, 7);
    // Columns count UTF-8 bytes, as yaml-cpp does: 'Üä→' takes 7 columns, not 3.
    QTest::newRow("after multi-byte characters: columns are UTF-8 bytes")
        << head + "  - {id: a, type: task, title: \xc3\x9c\xc3\xa4\xe2\x86\x92, nxet: z}\n" + end
        << QStringList{l("6:5: error: missing required key 'next' in step 'a'"),
                       l("6:10: warning: no end step can be reached from step 'a'"),
                       l("6:41: error: unknown key 'nxet' in step 'a'; did you mean 'next'?"),
                       l("7:10: warning: step 'z' cannot be reached")};
    QTest::newRow("missing key: the map's position")
        << head + "  - id: a\n    type: task\n    title: A\n" + end
        << QStringList{l("6:5: error: missing required key 'next' in step 'a'"),
                       l("6:9: warning: no end step can be reached from step 'a'"),
                       l("9:10: warning: step 'z' cannot be reached")};
}

void TestLoader::positions()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);
    const LoadResult result = loadPlaybookText(text, QStringLiteral("p.yaml"));
    const QString report = mismatch(result.diagnostics, expected, text);
    if (!report.isEmpty())
        qInfo().noquote() << report;
    QVERIFY2(report.isEmpty(), "the diagnostics differ from the expected ones (listed above)");
}

// Five independent errors: all five are reported, sorted by position, errors before warnings.
void TestLoader::allErrorsReportedAndSorted()
{
    QString text = basePlaybook();
    text.replace(QStringLiteral("reduce: max}"), QStringLiteral("reduce: mean}"))       // line 52
        .replace(QStringLiteral("severity: sev2"), QStringLiteral("severity: high"))    // line 5
        .replace(QStringLiteral("title: Let it settle"), QStringLiteral("title: \"\"")) // line 111
        .replace(QStringLiteral("max: 100}"), QStringLiteral("max: 100, step: 5}"))     // line 17
        .replace(QStringLiteral("attempts: 3"), QStringLiteral("attempts: 30"));        // line 28
    const LoadResult result = loadPlaybookText(text.toUtf8(), QStringLiteral("five.yaml"));
    QVERIFY(!result.ok());
    QVERIFY(result.playbook);
    QCOMPARE(countOf(result.diagnostics, Diagnostic::Severity::Error), 5);
    const QString report = mismatch(
        result.diagnostics,
        {QStringLiteral("5:11: error: unknown severity 'high'"),
         QStringLiteral("17:79: error: unknown key 'step' in input 'percent'"),
         QStringLiteral("28:23: error: 'attempts' in the retry of target 'k8s' must be from 1 to "
                        "10, not 30"),
         QStringLiteral("52:83: error: unknown reduce 'mean' in the query of step 'check-drift'"),
         QStringLiteral("111:13: error: the title of step 'settle' must be 1 to 200 characters, "
                        "not 0")});
    QVERIFY2(report.isEmpty(), qPrintable(report));
    QVERIFY(std::is_sorted(result.diagnostics.begin(), result.diagnostics.end(),
                           [](const Diagnostic &a, const Diagnostic &b) { return a.pos < b.pos; }));

    // Errors come before warnings at one position.
    Diagnostics mixed{
        {QStringLiteral("f"), {3, 1}, Diagnostic::Severity::Warning, QStringLiteral("w")},
        {QStringLiteral("f"), {3, 1}, Diagnostic::Severity::Error, QStringLiteral("e")},
        {QStringLiteral("f"), {1, 9}, Diagnostic::Severity::Warning, QStringLiteral("a")},
        {QStringLiteral("e"), {9, 9}, Diagnostic::Severity::Warning, QStringLiteral("x")}};
    sortDiagnostics(mixed);
    QCOMPARE(mixed[0].message, QStringLiteral("x")); // by file first
    QCOMPARE(mixed[1].message, QStringLiteral("a"));
    QCOMPARE(mixed[2].message, QStringLiteral("e"));
    QCOMPARE(mixed[3].message, QStringLiteral("w"));
}

void TestLoader::diagnosticToString()
{
    const LoadResult result = loadPlaybookText(
        mutated(QStringLiteral("severity: sev2"), QStringLiteral("severity: sev9")),
        QStringLiteral("dir/p.yaml"));
    QCOMPARE(result.diagnostics.size(), 1);
    QCOMPARE(result.diagnostics[0].toString(),
             QStringLiteral("dir/p.yaml:5:11: error: unknown severity 'sev9'; expected sev1, sev2, "
                            "sev3 or sev4"));
    const Diagnostic warning{
        QStringLiteral("w.yaml"), {4, 2}, Diagnostic::Severity::Warning, QStringLiteral("careful")};
    QCOMPARE(warning.toString(), QStringLiteral("w.yaml:4:2: warning: careful"));
    const Diagnostic nowhere{
        QStringLiteral("n.yaml"), {}, Diagnostic::Severity::Error, QStringLiteral("unreadable")};
    QCOMPARE(nowhere.toString(), QStringLiteral("n.yaml:1:1: error: unreadable"));
}

void TestLoader::loadFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("base.yaml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(mutated(QStringLiteral("severity: sev2"), QStringLiteral("severity: sev0")));
    file.close();

    const LoadResult result = loadPlaybookFile(path);
    QVERIFY(result.playbook);
    QCOMPARE(result.playbook->file, path);
    QCOMPARE(result.diagnostics.size(), 1);
    QCOMPARE(result.diagnostics[0].file, path);
    QCOMPARE(result.diagnostics[0].toString(),
             path +
                 QStringLiteral(":5:11: error: unknown severity 'sev0'; expected sev1, sev2, sev3 "
                                "or sev4"));
}

void TestLoader::missingFile()
{
    const LoadResult result = loadPlaybookFile(QStringLiteral("/nonexistent/runlane/p.yaml"));
    QVERIFY(!result.ok());
    QVERIFY(!result.playbook);
    QCOMPARE(result.diagnostics.size(), 1);
    QVERIFY(result.diagnostics[0].isError());
    QVERIFY(result.diagnostics[0].message.startsWith(u"cannot read file"));
    QVERIFY(
        result.diagnostics[0].toString().startsWith(u"/nonexistent/runlane/p.yaml:1:1: error: "));
}

// A playbook with errors still comes back with what could be read, for the diagram.
void TestLoader::partialModelOnErrors()
{
    const LoadResult result = loadPlaybookText(
        mutated(QStringLiteral("    next: escalated"), QStringLiteral("    nxet: escalated")),
        QStringLiteral("t.yaml"));
    QVERIFY(!result.ok());
    QVERIFY(result.playbook);
    QCOMPARE(result.playbook->steps.size(), 12);
    QCOMPARE(toString(result.playbook->step(QStringLiteral("page"))->type.value),
             QStringLiteral("escalate"));
}

void TestLoader::withKeepsWrittenNumbers_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QJsonValue>("read");
    QTest::newRow("integer") << u"3"_s << QJsonValue(3);
    QTest::newRow("decimal") << u"0.25"_s << QJsonValue(0.25);
    QTest::newRow("negative") << u"-2"_s << QJsonValue(-2);
    // Versions and codes keep their written form: they land in URLs and bodies as text.
    QTest::newRow("trailing zero") << u"2.0"_s << QJsonValue(u"2.0"_s);
    QTest::newRow("minor 10") << u"1.10"_s << QJsonValue(u"1.10"_s);
    QTest::newRow("leading zero") << u"007"_s << QJsonValue(u"007"_s);
    QTest::newRow("exponent") << u"1e3"_s << QJsonValue(u"1e3"_s);
    QTest::newRow("quoted") << u"\"2.0\""_s << QJsonValue(u"2.0"_s);
    QTest::newRow("in a list") << u"[2.0, 3]"_s << QJsonValue(QJsonArray{u"2.0"_s, 3});
}

void TestLoader::withKeepsWrittenNumbers()
{
    QFETCH(QString, written);
    QFETCH(QJsonValue, read);
    QString text = basePlaybook();
    const QString line = u"    with: {model: \"{{ inputs.model }}\", min: 1, max: 4}"_s;
    QVERIFY(text.contains(line));
    text.replace(
        line,
        u"    with: {model: \"{{ inputs.model }}\", version: %1, min: 1, max: 4}"_s.arg(written));
    const LoadResult result = loadPlaybookText(text.toUtf8(), u"t.yaml"_s);
    QVERIFY(result.playbook);
    const Step *step = nullptr;
    for (const Step &s : result.playbook->steps) {
        if (s.call.value == u"torchserve.scale-workers")
            step = &s;
    }
    QVERIFY(step);
    const auto found = std::find_if(step->with.cbegin(), step->with.cend(),
                                    [](const auto &e) { return e.first.value == u"version"; });
    QVERIFY(found != step->with.cend());
    QCOMPARE(found->second.value, read);
    const auto min = std::find_if(step->with.cbegin(), step->with.cend(),
                                  [](const auto &e) { return e.first.value == u"min"; });
    QCOMPARE(min->second.value, QJsonValue(1));
}

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
