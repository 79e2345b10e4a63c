// The validator: every rule of format version 1 that needs the whole model (ids, references,
// inputs, targets, calls, fan-out, waits, expressions, templates) and the graph lints, plus the
// playbooks of the format page that must load with no diagnostic at all.

#include "engine/playbook/loader.h"

#include "test_support.h"

#include <QTest>

using namespace runlane;
using runlane::test::basePlaybook;
using runlane::test::describe;
using runlane::test::mismatch;
using runlane::test::mutated;

class TestValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
    void lints_data();
    void lints();
    void validPlaybooks_data();
    void validPlaybooks();

private:
    static void addRow(const char *name, const char *from, const char *to, QStringList expected,
                       const char *knownIssue = "");
    static void check();
};

namespace {

QString l(const char *text)
{
    return QString::fromUtf8(text);
}

QString repeated(char c, int n)
{
    return QString(n, QLatin1Char(c));
}

} // namespace

// Rows mutate the base playbook (test_support.cpp, lines numbered there): `from` must occur
// exactly once and is replaced by `to`; with an empty `from`, `to` is the whole text. `expected`
// lists every diagnostic, in order. A row whose `knownIssue` is set is where the implementation
// does not do what the format page says; it is expected to fail, for that reason.
void TestValidator::addRow(const char *name, const char *from, const char *to, QStringList expected,
                           const char *knownIssue)
{
    QTest::newRow(name) << QString::fromUtf8(from) << QString::fromUtf8(to) << expected
                        << QString::fromUtf8(knownIssue);
}

void TestValidator::check()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QStringList, expected);
    QFETCH(QString, knownIssue);

    const QByteArray text = from.isEmpty() ? to.toUtf8() : mutated(from, to);
    QVERIFY2(!text.isEmpty(), "the row's 'from' does not occur exactly once in the base playbook");
    const LoadResult result = loadPlaybookText(text, QStringLiteral("t.yaml"));
    QVERIFY(result.playbook);
    const QString report = mismatch(result.diagnostics, expected, text);
    if (!report.isEmpty())
        qInfo().noquote() << report;
    if (!knownIssue.isEmpty())
        QEXPECT_FAIL("", qPrintable(knownIssue), Abort);
    QVERIFY2(report.isEmpty(), "the diagnostics differ from the expected ones (listed above)");
}

void TestValidator::rules_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("knownIssue");

    // --- playbook id and title
    addRow("id with capitals", "id: base", "id: Base",
           {l("2:5: error: playbook id 'Base' is not valid; expected lowercase letters, digits and "
              "'-', starting with a letter or digit, at most 63 characters")});
    addRow("id with '_'", "id: base", "id: base_1",
           {l("2:5: error: playbook id 'base_1' is not valid")});
    addRow("id starting with '-'", "id: base", "id: -base",
           {l("2:5: error: playbook id '-base' is not valid")});
    addRow("id of digits", "id: base", "id: 42", {});
    {
        const QByteArray longest = "id: a" + repeated('b', 62).toUtf8();
        const QByteArray tooLong = "id: a" + repeated('b', 63).toUtf8();
        addRow("id of 63 characters", "id: base", longest.constData(), {});
        addRow("id of 64 characters", "id: base", tooLong.constData(),
               {l("2:5: error: playbook id 'abbbb")});
    }
    addRow("title empty", "title: Base playbook", "title: \"\"",
           {l("3:9: error: the title of the playbook must be 1 to 200 characters, not 0")});
    {
        const QByteArray longest = "title: " + repeated('t', 200).toUtf8();
        const QByteArray tooLong = "title: " + repeated('t', 201).toUtf8();
        addRow("title of 200 characters", "title: Base playbook", longest.constData(), {});
        addRow("title of 201 characters", "title: Base playbook", tooLong.constData(),
               {l("3:8: error: the title of the playbook must be 1 to 200 characters, not 201")});
        const QByteArray stepTitle = "    title: " + repeated('t', 201).toUtf8();
        addRow(
            "step title of 201 characters", "    title: Let it settle", stepTitle.constData(),
            {l("111:12: error: the title of step 'settle' must be 1 to 200 characters, not 201")});
        // Characters, not UTF-16 units: 200 letters outside the BMP are 400 units.
        const QByteArray wide =
            "title: " + QString::fromUcs4(U"\U0001D6FC", 1).repeated(200).toUtf8();
        addRow("title of 200 characters outside the BMP", "title: Base playbook", wide.constData(),
               {});
    }
    addRow(
        "lane title empty", "title: Control plane}", "title: ''}",
        {l("14:33: error: the title of lane 'control-plane' must be 1 to 200 characters, not 0")});

    // --- triggers
    addRow("trigger with a bad regular expression", "track: /can.*/", "track: /can(.*/",
           {l("9:41: error: trigger label 'track' has an invalid regular expression")});
    addRow("trigger value of slashes only", "track: /can.*/", "track: /", {});

    // --- lanes
    addRow("lane id invalid", "  - id: device", "  - id: Device",
           {l("12:9: error: lane id 'Device' is not valid; expected lowercase letters, digits and "
              "'-'"),
            l("37:11: error: unknown lane 'device' in step 'triage'; did you mean 'Device'?")});
    addRow("duplicate lane id", "  - {id: control-plane, title: Control plane}",
           "  - {id: control-plane, title: Control plane}\n  - {id: device, title: Again}",
           {l("12:9: error: lane id 'device' is defined again at line 15, column 10"),
            l("15:10: error: duplicate lane id 'device'; first defined at line 12, column 9")});
    addRow("unknown lane in a step", "    lane: device", "    lane: devise",
           {l("37:11: error: unknown lane 'devise' in step 'triage'; did you mean 'device'?")});
    addRow("unknown lane, no suggestion", "    lane: device", "    lane: gpu",
           {l("37:11: error: unknown lane 'gpu' in step 'triage'; expected one of: device, "
              "control-plane")});

    // --- step ids
    addRow("step id 'ask' is reserved",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}\n"
           "  - {id: ask, type: end, title: Ask, outcome: aborted}",
           {l("123:10: error: 'ask' is reserved and cannot be a step id"),
            l("123:10: warning: step 'ask' cannot be reached from the start step 'triage'")});
    addRow("duplicate step id",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}\n"
           "  - {id: done, type: end, title: Again, outcome: resolved}",
           {l("121:10: error: step id 'done' is defined again at line 123, column 10"),
            l("123:10: error: duplicate step id 'done'; first defined at line 121, column 10")});
    addRow("step id invalid", "  - id: settle", "  - id: Settle",
           {l("55:11: error: 'else' of step 'check-drift' names step 'settle', which does not "
              "exist; did you mean 'Settle'?"),
            l("109:9: error: step id 'Settle' is not valid"),
            l("109:9: warning: step 'Settle' cannot be reached from the start step 'triage'")});

    // --- every field that names a step
    addRow("start names a missing step", "start: triage", "start: triag",
           {l("32:8: error: 'start' names step 'triag', which does not exist; did you mean "
              "'triage'?")});
    addRow("next names a missing step", "    duration: 5m\n    next: done",
           "    duration: 5m\n    next: dne",
           {l("109:9: warning: no end step can be reached from step 'settle'"),
            l("113:11: error: 'next' of step 'settle' names step 'dne', which does not exist; did "
              "you mean 'done'?")});
    addRow("next: ask is no step", "    duration: 5m\n    next: done",
           "    duration: 5m\n    next: ask",
           {l("109:9: warning: no end step can be reached from step 'settle'"),
            l("113:11: error: 'next' of step 'settle' names step 'ask', which does not exist")});
    addRow("option next names a missing step", "next: probe-api}", "next: probe-ap}",
           {l("47:38: error: 'next' of option 'Probe the API' of step 'choose' names step "
              "'probe-ap', which does not exist; did you mean 'probe-api'?"),
            l("58:9: warning: step 'probe-api' cannot be reached from the start step 'triage'")});
    addRow("when next names a missing step", "next: watch}", "next: wach}",
           {l("63:54: error: 'next' of a 'when' branch of step 'probe-api' names step 'wach', "
              "which does not exist; did you mean 'watch'?")});
    addRow("else names a missing step", "    else: page", "    else: pag",
           {l("64:11: error: 'else' of step 'probe-api' names step 'pag', which does not exist; "
              "did you mean 'page'?")});
    addRow("no_data names a missing step", "    no_data: ask", "    no_data: settel",
           {l("56:14: error: 'no_data' of step 'check-drift' names step 'settel', which does not "
              "exist; did you mean 'settle'?")});
    addRow("no_data: a step", "    no_data: ask", "    no_data: settle", {});
    addRow("on_error names a missing step", "    on_error: page", "    on_error: paeg",
           {l("57:15: error: 'on_error' of step 'check-drift' names step 'paeg', which does not "
              "exist; did you mean 'page'?")});
    addRow("on_error: ask", "    on_error: page", "    on_error: ask", {});
    addRow("on_failure names a missing step", "    next: set-default\n    on_failure: page",
           "    next: set-default\n    on_failure: pgae",
           {l("73:17: error: 'on_failure' of step 'demote' names step 'pgae', which does not "
              "exist; did you mean 'page'?")});
    addRow("on_timeout names a missing step", "    on_timeout: page", "    on_timeout: pge",
           {l("108:17: error: 'on_timeout' of step 'watch' names step 'pge', which does not "
              "exist; did you mean 'page'?")});
    addRow("on_timeout: ask is no step", "    on_timeout: page", "    on_timeout: ask",
           {l("108:17: error: 'on_timeout' of step 'watch' names step 'ask', which does not "
              "exist")});

    // --- inputs
    addRow("input type unknown", "type: string,", "type: text,",
           {l("16:37: error: unknown input type 'text' in input 'model'; expected string, number, "
              "boolean, choice or list")});
    addRow("number default not a number", "default: 0, min: 0", "default: lots, min: 0",
           {l("17:58: error: the default of input 'percent' must be a number")});
    addRow("number default quoted", "default: 0, min: 0", "default: \"5\", min: 0",
           {l("17:58: error: the default of input 'percent' must be a number")});
    addRow("boolean default quoted", "default: false}", "default: \"false\"}",
           {l("20:67: error: the default of input 'backup_taken' must be true or false")});
    addRow("boolean default yes", "default: false}", "default: yes}",
           {l("20:67: error: the default of input 'backup_taken' must be true or false")});
    addRow("list default not a list", "default: [n1, n2]", "default: n1",
           {l("19:56: error: the default of input 'nodes' must be a list of text")});
    addRow("list default of lists", "default: [n1, n2]", "default: [n1, [n2]]",
           {l("19:56: error: the default of input 'nodes' must be a list of text")});
    addRow("string default a list", "default: ranker", "default: [ranker]",
           {l("16:54: error: the default of input 'model' must be text")});
    addRow("default not matching the pattern", "default: ranker", "default: Ranker",
           {l("16:54: error: the default of input 'model' must be text matching its pattern "
              "'^[a-z0-9-]+$'")});
    addRow(
        "pattern matches the whole default", "pattern: '^[a-z0-9-]+$'", "pattern: 'rank'",
        {l("16:54: error: the default of input 'model' must be text matching its pattern 'rank'")});
    addRow("default above max", "default: 0, min: 0", "default: 101, min: 0",
           {l("17:58: error: the default of input 'percent' must be within its 'min' and 'max'")});
    addRow("default below min", "default: 0, min: 0", "default: -1, min: 0",
           {l("17:58: error: the default of input 'percent' must be within its 'min' and 'max'")});
    addRow("choice default not a choice", "default: eu-west-1}", "default: ap-south-1}",
           {l("18:84: error: the default of input 'region' must be one of its choices")});
    addRow("pattern not a regular expression", "pattern: '^[a-z0-9-]+$'", "pattern: '^[a-z'",
           {l("16:72: error: 'pattern' in input 'model' is not a valid regular expression")});
    addRow("choice without choices", "choices: [eu-west-1, us-east-1], ", "",
           {l("18:34: error: input 'region' is a choice but has no 'choices'"),
            l("18:51: error: the default of input 'region' must be one of its choices")});
    addRow("choices on a string input", "pattern: '^[a-z0-9-]+$'}",
           "pattern: '^[a-z0-9-]+$', choices: [a]}",
           {l("16:97: error: 'choices' in input 'model' apply to choice inputs only; add 'type: "
              "choice'")});
    addRow("min above max", "default: 0, min: 0, max: 100", "min: 100, max: 0",
           {l("17:64: error: 'max' in input 'percent' is below its 'min'")});
    addRow("min on a string input", "pattern: '^[a-z0-9-]+$'}", "pattern: '^[a-z0-9-]+$', min: 1}",
           {l("16:92: error: 'min' and 'max' in input 'model' apply to number inputs only")});
    addRow(
        "pattern on a number input", "max: 100}", "max: 100, pattern: '[0-9]+'}",
        {l("17:89: error: 'pattern' in input 'percent' applies to string and list inputs only")});
    addRow("input name with capitals", "  backup_taken:", "  Backup_taken:",
           {l("20:3: error: input name 'Backup_taken' is not valid; expected lowercase letters, "
              "digits and '_', not starting with a digit")});
    addRow("input name with '-'", "  backup_taken:", "  backup-taken:",
           {l("20:3: error: input name 'backup-taken' is not valid")});
    addRow("input name starting with a digit",
           "  backup_taken:", "  2fa:", {l("20:3: error: input name '2fa' is not valid")});
    addRow("input without default is required: fine", ", default: eu-west-1}", "}", {});

    // --- targets
    addRow("target kind unknown", "{kind: torchserve,", "{kind: torchserv,",
           {l("30:14: error: unknown target kind 'torchserv' in target 'ts'; expected one of: "
              "prometheus, alertmanager, torchserve, triton, kubernetes, pagerduty, slack, http")});
    addRow("pagerduty kind misspelt: no follow-up about routing_key", "{kind: pagerduty,",
           "{kind: pagerduti,",
           {l("31:14: error: unknown target kind 'pagerduti' in target 'pd'")});
    addRow("url without scheme", "url: http://127.0.0.1:9090}", "url: 127.0.0.1:9090}",
           {l("22:33: error: the url of target 'prom' must be an http:// or https:// URL with a "
              "host, not '127.0.0.1:9090'")});
    addRow("url of another scheme", "url: http://127.0.0.1:9090}", "url: ftp://127.0.0.1/}",
           {l("22:33: error: the url of target 'prom' must be an http:// or https:// URL")});
    addRow("url without host", "url: http://127.0.0.1:9090}", "url: http://}",
           {l("22:33: error: the url of target 'prom' must be an http:// or https:// URL")});
    addRow("url from the environment is checked when resolved", "url: http://127.0.0.1:9090}",
           "url: \"${env:PROM}\"}", {});
    addRow("routing_key on a torchserve target", "url: http://127.0.0.1:8081}",
           "url: http://127.0.0.1:8081, routing_key: abc}",
           {l("30:67: error: 'routing_key' belongs to pagerduty targets only; target 'ts' is a "
              "torchserve target")});
    addRow("response in a request template", "drift on {{ inputs.model }}",
           "drift on {{ body.reason }}",
           {l("83:35: error: in the body of the request of step 'set-default': 'body' is not "
              "known when the request is built; save what you need from an earlier step with "
              "'save:' and use vars.NAME")});
    addRow("torchserve.describe takes all",
           "    call: kserve.set-canary-percent\n    target: k8s\n    with: {namespace: edge, "
           "name: \"{{ inputs.model }}\", percent: 0}",
           "    call: torchserve.describe\n    target: ts\n    with: {model: \"{{ inputs.model "
           "}}\", all: true}",
           {});
    addRow("malformed env reference in a url", "url: ${env:K8S_URL:-http://127.0.0.1:8001}",
           "url: ${env:K8S_URL:http://127.0.0.1:8001}",
           {l("25:10: error: in target 'k8s': expected '}' or ':-default' after '${env:K8S_URL'")});
    addRow("unclosed env reference in a routing key", "routing_key: \"${env:PD_KEY}\"}",
           "routing_key: \"${env:PD_KEY\"}",
           {l("31:74: error: in target 'pd': '${env:' is not closed by '}'")});
    addRow("pagerduty without routing_key", ", routing_key: \"${env:PD_KEY}\"}", "}",
           {l("31:7: error: target 'pd' is a pagerduty target and needs a 'routing_key'")});
    addRow("auth of two kinds", "{bearer: \"${env:K8S_TOKEN}\"}",
           "{bearer: \"${env:K8S_TOKEN}\", basic: {user: u, password: p}}",
           {l("26:11: error: the auth of target 'k8s' must have exactly one of 'bearer', 'basic' "
              "or 'header'")});
    addRow("auth of no kind", "{bearer: \"${env:K8S_TOKEN}\"}", "{x-later: yes}",
           {l("26:11: error: the auth of target 'k8s' must have exactly one of")});
    addRow("basic auth not a map", "{bearer: \"${env:K8S_TOKEN}\"}", "{basic: user}",
           {l("26:19: error: 'basic' in the auth of target 'k8s' must be a map with 'user' and "
              "'password', not 'user'")});
    addRow(
        "retry attempts 0", "attempts: 3", "attempts: 0",
        {l("28:23: error: 'attempts' in the retry of target 'k8s' must be from 1 to 10, not 0")});
    addRow(
        "retry attempts 11", "attempts: 3", "attempts: 11",
        {l("28:23: error: 'attempts' in the retry of target 'k8s' must be from 1 to 10, not 11")});
    addRow("retry attempts 10", "attempts: 3", "attempts: 10", {});
    addRow("tls verify not a boolean", "verify: true", "verify: sometimes",
           {l("29:19: error: 'verify' in the tls of target 'k8s' must be true or false")});

    // --- decision, check
    addRow("decision with one option", "      - {label: Probe the API, next: probe-api}\n", "",
           {l("45:5: error: a decision needs at least 2 options; step 'choose' has 1"),
            l("57:9: warning: step 'probe-api' cannot be reached from the start step 'triage'")});
    addRow("check without query or probe",
           "    probe: {target: k8s, method: GET, path: /readyz, expect: {status: 200}}\n", "",
           {l("58:5: error: step 'probe-api' needs a 'query' (PromQL) or a 'probe' (HTTP)")});
    addRow("check with query and probe", "    title: Is the drift high?\n",
           "    title: Is the drift high?\n    probe: {target: k8s, path: /x}\n",
           {l("52:5: error: step 'check-drift' has both 'query' and 'probe'; give exactly one")});
    addRow("query target of the wrong kind", "{target: prom, promql: 'max(psi",
           "{target: k8s, promql: 'max(psi",
           {l("52:21: error: the query of step 'check-drift' needs a prometheus target for a "
              "PromQL query, but 'k8s' is a kubernetes target")});
    addRow("query target unknown", "{target: prom, promql: 'max(psi",
           "{target: prm, promql: 'max(psi",
           {l("52:21: error: the query of step 'check-drift' names target 'prm', which is not "
              "defined under 'targets'; did you mean 'prom'?")});
    addRow("query without promql", ", promql: 'max(psi{model=\"{{ inputs.model }}\"})'", "",
           {l("52:12: error: missing required key 'promql' in the query of step 'check-drift'")});
    addRow("reduce unknown", "reduce: max}", "reduce: mean}",
           {l("52:83: error: unknown reduce 'mean' in the query of step 'check-drift'; expected "
              "max, min, sum or avg")});
    addRow("probe path without '/'", "path: /readyz", "path: readyz",
           {l("61:45: error: the path of the probe of step 'probe-api' must start with '/', not "
              "'readyz'")});
    addRow("probe without path", ", path: /readyz", "",
           {l("61:12: error: missing required key 'path' in the probe of step 'probe-api'")});
    addRow("probe method unknown", "method: GET", "method: FETCH",
           {l("61:34: error: unknown method 'FETCH' in the probe of step 'probe-api'; expected "
              "GET, POST, PUT, PATCH or DELETE")});
    addRow("probe target unknown", "{target: k8s, method: GET", "{target: kube, method: GET",
           {l("61:21: error: the probe of step 'probe-api' names target 'kube', which is not "
              "defined under 'targets'")});
    addRow("expect status 600", "expect: {status: 200}", "expect: {status: 600}",
           {l("61:71: error: an expected status must be an HTTP status code from 100 to 599, not "
              "'600'")});
    addRow("expect status 99 in a list", "{status: [200, 202]}", "{status: [200, 99]}",
           {l("84:30: error: an expected status must be an HTTP status code from 100 to 599, not "
              "'99'")});
    addRow("expect status text", "{status: [200, 202]}", "{status: [200, ok]}",
           {l("84:30: error: an expected status must be an HTTP status code from 100 to 599, not "
              "'ok'")});

    // --- action and escalate: call, target, with, request, save
    addRow("call unknown, suggestion", "call: kserve.set-canary-percent",
           "call: kserve.set-canary-percnt",
           {l("68:11: error: unknown call 'kserve.set-canary-percnt' in step 'demote'; did you "
              "mean 'kserve.set-canary-percent'?")});
    addRow("call unknown, no suggestion", "call: kserve.set-canary-percent", "call: reboot",
           {l("68:11: error: unknown call 'reboot' in step 'demote'; see the calls table of the "
              "format")});
    addRow("with lacks a required parameter", ", percent: 0}", "}",
           {l("68:11: error: call 'kserve.set-canary-percent' in step 'demote' needs 'percent' "
              "under 'with'")});
    addRow("with without any parameter",
           "    with: {namespace: edge, name: \"{{ inputs.model }}\", percent: 0}\n", "",
           {l("68:11: error: call 'kserve.set-canary-percent' in step 'demote' needs 'namespace' "
              "under 'with'"),
            l("68:11: error: call 'kserve.set-canary-percent' in step 'demote' needs 'name' under "
              "'with'"),
            l("68:11: error: call 'kserve.set-canary-percent' in step 'demote' needs 'percent' "
              "under 'with'")});
    addRow("with has an unknown parameter", "percent: 0}", "percent: 0, dry_run: true}",
           {l("70:69: error: unknown parameter 'dry_run' for call 'kserve.set-canary-percent' in "
              "step 'demote'; expected: namespace, name, percent")});
    addRow("with has a misspelt parameter", "percent: 0}", "percnt: 0}",
           {l("68:11: error: call 'kserve.set-canary-percent' in step 'demote' needs 'percent' "
              "under 'with'"),
            l("70:57: error: unknown parameter 'percnt' for call 'kserve.set-canary-percent' in "
              "step 'demote'; did you mean 'percent'?")});
    addRow(
        "with for a call without parameters", "call: torchserve.scale-workers",
        "call: torchserve.ping",
        {l("92:12: error: unknown parameter 'model' for call 'torchserve.ping' in step 'scale'; "
           "it takes none"),
         l("92:41: error: unknown parameter 'min' for call 'torchserve.ping' in step 'scale'; it "
           "takes none"),
         l("92:49: error: unknown parameter 'max' for call 'torchserve.ping' in step 'scale'; it "
           "takes none")});
    addRow("x- parameter in with is ignored", "percent: 0}", "percent: 0, x-ticket: OPS-1}", {});
    addRow("target kind does not fit the call", "    target: k8s\n    with: {namespace",
           "    target: ts\n    with: {namespace",
           {l("69:13: error: step 'demote' needs a kubernetes target for "
              "'kserve.set-canary-percent', but 'ts' is a torchserve target")});
    addRow("target missing", "    target: k8s\n    with: {namespace", "    with: {namespace",
           {l("65:5: error: missing required key 'target' in step 'demote'")});
    addRow("target unknown", "    target: k8s\n    with: {namespace",
           "    target: k9s\n    with: {namespace",
           {l("69:13: error: step 'demote' names target 'k9s', which is not defined under "
              "'targets'; did you mean 'k8s'?")});
    addRow("escalate target of the wrong kind", "    target: pd", "    target: k8s",
           {l("118:13: error: step 'page' needs a pagerduty target for 'pagerduty.trigger', but "
              "'k8s' is a kubernetes target")});
    addRow("call and request both", "    target: ts\n    request:",
           "    call: torchserve.ping\n    target: ts\n    request:",
           {l("74:5: error: step 'set-default' has both 'call' and 'request'; a raw request uses "
              "'call: http.request' or no call")});
    addRow("call http.request with request", "    target: ts\n    request:",
           "    call: http.request\n    target: ts\n    request:", {});
    addRow("call http.request without request", "    call: kserve.set-canary-percent",
           "    call: http.request",
           {l("68:11: error: step 'demote' uses http.request and needs a 'request'"),
            l("70:12: error: unknown parameter 'namespace' for call 'http.request'"),
            l("70:29: error: unknown parameter 'name' for call 'http.request'"),
            l("70:57: error: unknown parameter 'percent' for call 'http.request'")});
    addRow("neither call nor request", "    call: kserve.set-canary-percent\n", "",
           {l("65:5: error: step 'demote' needs a 'call' (a built-in call) or a 'request' (raw "
              "HTTP)")});
    addRow("request method unknown", "      method: PUT", "      method: put",
           {l("79:15: error: unknown method 'put' in the request of step 'set-default'; expected "
              "GET, POST, PUT, PATCH or DELETE")});
    addRow("request path without '/'", "      path: /models/", "      path: models/",
           {l("80:13: error: the path of the request of step 'set-default' must start with '/'")});
    addRow("request without path",
           "      path: /models/{{ inputs.model }}/{{ vars.previous }}/set-default\n", "",
           {l("79:7: error: missing required key 'path' in the request of step 'set-default'")});
    addRow("request not a map",
           "    request:\n      method: PUT\n      path: /models/{{ inputs.model }}/{{ "
           "vars.previous }}/set-default\n      query: {synchronous: \"true\"}\n      headers: "
           "{Content-Type: application/json}\n      body: {reason: \"drift on {{ inputs.model "
           "}}\"}\n      expect: {status: [200, 202]}\n",
           "    request: PUT /models\n",
           {l("74:5: error: step 'set-default' needs a 'call' (a built-in call) or a 'request'"),
            l("78:14: error: 'request' in step 'set-default' must be a map with 'method' and "
              "'path', not 'PUT /models'")});
    addRow("save name invalid", "save: {previous: body.status.previous}",
           "save: {Previous: body.status.previous}",
           {l("71:12: error: save name 'Previous' in step 'demote' is not valid; expected "
              "lowercase letters, digits and '_'"),
            l("80:43: error: in the path of the request of step 'set-default': 'vars.previous' is "
              "never saved by any step's 'save'")});
    addRow("save path outside the response", "{previous: body.status.previous}",
           "{previous: inputs.model}",
           {l("71:22: error: 'save' of step 'demote' takes a place in the response, like "
              "body.status.revision, status or elapsed_ms; not 'inputs.model'")});
    addRow("save path an expression", "{previous: body.status.previous}",
           "{previous: status == 200}",
           {l("71:22: error: 'save' of step 'demote' takes a place in the response")});
    addRow("save path a syntax error", "{previous: body.status.previous}", "{previous: body.}",
           {l("71:22: error: 'save' of step 'demote': expected a member name after '.'")});
    addRow("save status and elapsed_ms", "{previous: body.status.previous}",
           "{previous: body.status.previous, code: status, took: elapsed_ms}", {});
    addRow("confirm on an escalate", "    target: pd\n", "    target: pd\n    confirm: true\n", {});

    // --- fan-out
    addRow("fanout as invalid", "      as: node", "      as: Node",
           {l("95:11: error: 'as' of the fanout of step 'scale' is not a valid name: 'Node'"),
            l("96:23: error: in 'url' of the fanout of step 'scale': unknown name 'node'; did you "
              "mean 'Node'?")});
    addRow("fanout as a reserved name", "      as: node", "      as: inputs",
           {l("95:11: error: 'as' of the fanout of step 'scale' cannot be 'inputs', a name the "
              "format already uses"),
            l("96:23: error: in 'url' of the fanout of step 'scale': unknown name 'node'")});
    addRow("fanout as missing", "      as: node\n", "",
           {l("94:7: error: missing required key 'as' in the fanout of step 'scale'"),
            l("95:23: error: in 'url' of the fanout of step 'scale': unknown name 'node'")});
    addRow("waves not growing", "[1%, 10%, 50%, 100%]", "[1%, 10%, 5%, 100%]",
           {l("98:24: error: waves of the fanout of step 'scale' are cumulative and must grow: "
              "'5%' is not above the wave before it")});
    addRow("waves repeat a share", "[1%, 10%, 50%, 100%]", "[10%, 10%, 100%]",
           {l("98:20: error: waves of the fanout of step 'scale' are cumulative and must grow: "
              "'10%' is not above the wave before it")});
    addRow("waves not ending at 100%", "[1%, 10%, 50%, 100%]", "[1%, 10%, 50%]",
           {l("98:24: error: the last wave of the fanout of step 'scale' must be 100%, so that "
              "every endpoint is reached")});
    addRow("wave not a share", "[1%, 10%, 50%, 100%]", "[1%, half, 100%]",
           {l("98:19: error: a wave of the fanout of step 'scale' must be a share like 10%, above "
              "0% and at most 100%, not 'half'")});
    addRow("wave of 0%", "[1%, 10%, 50%, 100%]", "[0%, 100%]",
           {l("98:15: error: a wave of the fanout of step 'scale' must be a share like 10%")});
    addRow("wave above 100%", "[1%, 10%, 50%, 100%]", "[50%, 150%]",
           {l("98:20: error: a wave of the fanout of step 'scale' must be a share like 10%, above "
              "0% and at most 100%, not '150%'"),
            l("98:20: error: the last wave of the fanout of step 'scale' must be 100%")});
    addRow("waves a single 100%", "[1%, 10%, 50%, 100%]", "[100%]", {});
    addRow("max_failures above 100%", "max_failures: 2%", "max_failures: 150%",
           {l("99:21: error: 'max_failures' of the fanout of step 'scale' must be a share like 2%, "
              "from 0% to 100%, not '150%'")});
    addRow(
        "max_failures without %", "max_failures: 2%", "max_failures: 2",
        {l("99:21: error: 'max_failures' of the fanout of step 'scale' must be a share like 2%")});
    addRow("max_failures 0", "max_failures: 2%", "max_failures: 0", {});
    addRow("concurrency 0", "concurrency: 64", "concurrency: 0",
           {l("97:20: error: 'concurrency' of the fanout of step 'scale' must be from 1 to 1024, "
              "not 0")});
    addRow("concurrency 2000", "concurrency: 64", "concurrency: 2000",
           {l("97:20: error: 'concurrency' of the fanout of step 'scale' must be from 1 to 1024, "
              "not 2000")});
    addRow("over names an input that is not a list", "over: \"{{ inputs.nodes }}\"",
           "over: \"{{ inputs.model }}\"",
           {l("94:14: error: 'over' of the fanout of step 'scale' names input 'model', which is "
              "not a list")});
    addRow("over names an unknown input", "over: \"{{ inputs.nodes }}\"",
           "over: \"{{ inputs.node }}\"",
           {l("94:17: error: in 'over' of the fanout of step 'scale': unknown input 'node'; did "
              "you mean 'nodes'?")});
    addRow("over is not a template", "over: \"{{ inputs.nodes }}\"", "over: nodes",
           {l("94:13: error: 'over' of the fanout of step 'scale' must name a list")});
    addRow("over is a literal list", "over: \"{{ inputs.nodes }}\"", "over: [edge-1, edge-2]", {});
    addRow("over is an empty list", "over: \"{{ inputs.nodes }}\"", "over: []",
           {l("94:13: error: 'over' of the fanout of step 'scale' is an empty list")});
    addRow("over a saved var", "over: \"{{ inputs.nodes }}\"", "over: \"{{ vars.previous }}\"", {});
    addRow("fanout item in with, path and body of its own step",
           "{model: \"{{ inputs.model }}\", min: 1, max: 4}",
           "{model: \"{{ node }}-{{ inputs.model }}\", min: 1, max: 4}", {});
    addRow("fanout item in another step", "Drift on {{ inputs.model }}", "Drift on {{ node }}",
           {l("119:34: error: in 'with' of step 'page': unknown name 'node'; expected a name "
              "starting with inputs, vars, incident")});

    // --- wait
    addRow("wait with duration and until", "    timeout: 10m\n",
           "    timeout: 10m\n    duration: 5m\n",
           {l("102:5: error: step 'watch' has both 'duration' and 'until'; give one")});
    addRow("wait with neither", "    duration: 5m\n", "",
           {l("109:5: error: step 'settle' needs a 'duration' or an 'until'")});
    addRow("until without timeout", "    timeout: 10m\n", "",
           {l("102:5: error: step 'watch' polls 'until' and needs a 'timeout'")});
    addRow("on_timeout without until", "    duration: 5m\n    next: done",
           "    duration: 5m\n    next: done\n    on_timeout: page",
           {l("114:17: error: 'on_timeout' of step 'settle' applies only with 'until'; a plain "
              "wait goes on to 'next'")});
    addRow("until without if", ", if: value < 0.1", "",
           {l("105:12: error: missing required key 'if' in 'until' of step 'watch'")});
    addRow("until without query or probe",
           "{query: {target: prom, promql: \"max(psi)\"}, if:", "{if:",
           {l("105:12: error: 'until' of step 'watch' needs a 'query' (PromQL) or a 'probe' "
              "(HTTP)")});
    addRow("until with a probe", "{query: {target: prom, promql: \"max(psi)\"}, if: value < 0.1",
           "{probe: {target: k8s, path: /readyz}, if: status == 200 && body.ready", {});
    addRow("until query target of the wrong kind", "{query: {target: prom, promql: \"max(psi)\"}",
           "{query: {target: ts, promql: \"max(psi)\"}",
           {l("105:29: error: the query of 'until' of step 'watch' needs a prometheus target")});
    addRow("until every 1m", "every: 30s}", "every: 1m}", {});

    // --- end
    addRow("end without outcome", ", outcome: resolved}", "}",
           {l("121:5: error: missing required key 'outcome' in step 'done'")});
    addRow("end with an unknown outcome", "outcome: resolved}", "outcome: fixed}",
           {l("121:53: error: unknown outcome 'fixed' in step 'done'; expected resolved, "
              "mitigated, escalated, false-alarm or aborted")});
    for (const char *outcome : {"mitigated", "false-alarm", "aborted"}) {
        const QByteArray to = QByteArray("outcome: ") + outcome + "}";
        addRow(qPrintable(QStringLiteral("end with outcome %1").arg(QString::fromUtf8(outcome))),
               "outcome: resolved}", to.constData(), {});
    }

    // --- expressions in `if`
    addRow("expression syntax error", "{if: value > 0.25,", "{if: value >> 0.25,",
           {l("54:21: error: in the 'if' of step 'check-drift': ")});
    addRow("expression syntax error in double quotes", "{if: value > 0.25,",
           "{if: \"value = 0.25\",",
           {l("54:21: error: in the 'if' of step 'check-drift': unexpected '=' (use '==' to "
              "compare)")});
    addRow("expression syntax error after an escape", "{if: value > 0.25,",
           "{if: \"value > \\\"a\\\" = 1\",",
           {l("54:29: error: in the 'if' of step 'check-drift': unexpected '='")});
    addRow("expression syntax error after a '' in single quotes", "{if: value > 0.25,",
           "{if: 'value > ''a'' = 1',",
           {l("54:29: error: in the 'if' of step 'check-drift': unexpected '='")});
    addRow("expression syntax error in a block map", "      - {if: value > 0.25, next: demote}",
           "      - if: (value > 0.25\n        next: demote",
           {l("54:26: error: in the 'if' of step 'check-drift': ")});
    addRow("expression unterminated string", "{if: value > 0.25,", "{if: \"value == 'a\",",
           {l("54:24: error: in the 'if' of step 'check-drift': unterminated string")});
    addRow("expression empty", "{if: value > 0.25,", "{if: '',",
           {l("54:15: error: in the 'if' of step 'check-drift': expected an expression")});
    addRow("expression with an unknown input", "{if: value > 0.25,", "{if: value > inputs.limit,",
           {l("54:22: error: in the 'if' of step 'check-drift': unknown input 'limit'")});
    addRow("expression with an input", "{if: value > 0.25,", "{if: value > inputs.percent,", {});
    addRow("expression with a var never saved", "{if: value > 0.25,", "{if: value > vars.limit,",
           {l("54:22: error: in the 'if' of step 'check-drift': 'vars.limit' is never saved by any "
              "step's 'save'")});
    addRow("expression with a saved var", "{if: value > 0.25,", "{if: vars.previous != null,", {});
    addRow(
        "expression with a var saved by a call", "{if: value > 0.25,",
        "{if: vars.silence_id != null,",
        {l("54:14: error: in the 'if' of step 'check-drift': 'vars.silence_id' is never saved")});
    addRow("status in a query check", "{if: value > 0.25,", "{if: status == 200,",
           {l("54:14: error: in the 'if' of step 'check-drift': 'status' is part of an HTTP "
              "response; a query check gives 'value'")});
    addRow(
        "body in a query check", "{if: value > 0.25,", "{if: body.ok,",
        {l("54:14: error: in the 'if' of step 'check-drift': 'body' is part of an HTTP response")});
    addRow("value in a probe check", "{if: status == 200 && body.ok == true,", "{if: value > 1,",
           {l("63:14: error: in the 'if' of step 'probe-api': 'value' is the result of a query; "
              "this step reads a probe: use status, body or elapsed_ms")});
    addRow("elapsed_ms in a probe check", "{if: status == 200 && body.ok == true,",
           "{if: \"elapsed_ms < 500 && body.items[0].name == 'a'\",", {});
    addRow("status in a query wait", "if: value < 0.1", "if: status == 200",
           {l("105:60: error: in the 'if' of 'until' of step 'watch': 'status' is part of an HTTP "
              "response")});
    addRow("unknown name in an expression", "{if: value > 0.25,", "{if: valu > 0.25,",
           {l("54:14: error: in the 'if' of step 'check-drift': unknown name 'valu'; did you mean "
              "'value'?")});
    addRow("incident in an expression", "{if: value > 0.25,", "{if: incident.id == 'x',",
           {l("54:14: error: in the 'if' of step 'check-drift': 'incident' is available in "
              "templates only")});
    addRow("inputs without a name", "{if: value > 0.25,", "{if: inputs == 1,",
           {l("54:14: error: in the 'if' of step 'check-drift': 'inputs' needs a name")});

    // --- templates
    addRow("template unterminated", "name: \"{{ inputs.model }}\"", "name: \"{{ inputs.model\"",
           {l("70:36: error: in 'with' of step 'demote': '{{' is not closed by '}}'")});
    addRow("template empty placeholder", "name: \"{{ inputs.model }}\"", "name: \"x{{ }}\"",
           {l("70:40: error: in 'with' of step 'demote': expected a name inside '{{ }}'")});
    addRow("template with an unknown input in with", "name: \"{{ inputs.model }}\"",
           "name: \"{{ inputs.modle }}\"",
           {l("70:39: error: in 'with' of step 'demote': unknown input 'modle'; did you mean "
              "'model'?")});
    addRow("template with an unknown input in promql", "psi{model=\"{{ inputs.model }}\"}",
           "psi{model=\"{{ inputs.modl }}\"}",
           {l("52:54: error: in the promql of step 'check-drift': unknown input 'modl'; did you "
              "mean 'model'?")});
    addRow("template with an unknown input in a path", "/models/{{ inputs.model }}/",
           "/models/{{ inputs.mode }}/",
           {l("80:24: error: in the path of the request of step 'set-default': unknown input "
              "'mode'")});
    addRow("template with an unknown input in a query value", "{synchronous: \"true\"}",
           "{synchronous: \"{{ inputs.sync }}\"}",
           {l("81:32: error: in the query of the request of step 'set-default': unknown input "
              "'sync'")});
    addRow("template with an unknown input in a header", "{Content-Type: application/json}",
           "{Content-Type: \"{{ inputs.type }}\"}",
           {l("82:35: error: in the headers of the request of step 'set-default': unknown input "
              "'type'")});
    addRow("template with an unknown input in a body", "{reason: \"drift on {{ inputs.model }}\"}",
           "{reason: \"drift on {{ inputs.modl }}\"}",
           {l("83:35: error: in the body of the request of step 'set-default': unknown input "
              "'modl'")});
    addRow("template deep in a body", "{reason: \"drift on {{ inputs.model }}\"}",
           "{meta: {tags: [a, \"{{ inputs.tag }}\"]}}",
           {l("83:35: error: in the body of the request of step 'set-default': unknown input "
              "'tag'")});
    addRow("template in a block body", "      body: {reason: \"drift on {{ inputs.model }}\"}",
           "      body:\n        meta:\n          reason: drift on {{ inputs.modl }}",
           {l("85:31: error: in the body of the request of step 'set-default': unknown input "
              "'modl'")});
    addRow("template in a nested with value", "{summary: \"Drift on {{ inputs.model }}\",",
           "{summary: [\"Drift on {{ inputs.modl }}\"],",
           {l("119:35: error: in 'with' of step 'page': unknown input 'modl'")});
    addRow("template with a var never saved", "{{ vars.previous }}/set-default",
           "{{ vars.prev }}/set-default",
           {l("80:43: error: in the path of the request of step 'set-default': 'vars.prev' is "
              "never saved by any step's 'save'")});
    addRow("template with incident.bogus", "Drift on {{ inputs.model }}",
           "Drift on {{ incident.bogus }}",
           {l("119:34: error: in 'with' of step 'page': unknown name 'incident.bogus'; expected "
              "incident.id or incident.started_at")});
    addRow("template with incident.id and started_at", "Drift on {{ inputs.model }}",
           "Drift {{ incident.id }} since {{ incident.started_at }}", {});
    addRow("template after multi-byte text", "Drift on {{ inputs.model }}",
           "Drift \xe2\x86\x92 {{ inputs.modl }}",
           {l("119:35: error: in 'with' of step 'page': unknown input 'modl'")});
    addRow(
        "template in a literal block scalar",
        "    query: {target: prom, promql: 'max(psi{model=\"{{ inputs.model }}\"})', reduce: max}",
        "    query:\n      target: prom\n      promql: |\n        max(psi{\n          model=\"{{ "
        "inputs.modl }}\"})",
        {l("56:21: error: in the promql of step 'check-drift': unknown input 'modl'")});
    addRow(
        "template in a folded block scalar",
        "    query: {target: prom, promql: 'max(psi{model=\"{{ inputs.model }}\"})', reduce: max}",
        "    query:\n      target: prom\n      promql: >-\n        max(psi{\n          model=\"{{ "
        "inputs.modl }}\"})",
        {l("56:21: error: in the promql of step 'check-drift': unknown input 'modl'")});
    addRow("template after an escaped line break", "{summary: \"Drift on {{ inputs.model }}\",",
           "{summary: \"Drift on \\\n      {{ inputs.modl }}\",",
           {l("120:10: error: in 'with' of step 'page': unknown input 'modl'")});
    addRow(
        "template in a multi-line plain scalar",
        "    with: {summary: \"Drift on {{ inputs.model }}\", severity: critical, source: runlane}",
        "    with:\n      summary: Drift on\n        {{ inputs.modl }}\n      severity: critical\n"
        "      source: runlane",
        {l("121:12: error: in 'with' of step 'page': unknown input 'modl'")});
}

void TestValidator::rules()
{
    check();
}

// The graph lints are warnings: the playbook can still run.
void TestValidator::lints_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("knownIssue");

    addRow("unreachable step",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}\n"
           "  - {id: orphan, type: end, title: Orphan, outcome: resolved}",
           {l("123:10: warning: step 'orphan' cannot be reached from the start step 'triage'")});
    addRow("unreachable chain",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}",
           "  - {id: escalated, type: end, title: Escalated, outcome: escalated}\n"
           "  - {id: orphan, type: task, title: Orphan, next: done}",
           {l("123:10: warning: step 'orphan' cannot be reached from the start step 'triage'")});
    addRow("no end reachable: a loop", "    duration: 5m\n    next: done",
           "    duration: 5m\n    next: settle",
           {l("109:9: warning: no end step can be reached from step 'settle'; an incident there "
              "could never finish")});
    addRow("no end step at all", "",
           "runlane: 1\nid: loop\ntitle: Loop\nstart: a\nsteps:\n"
           "  - {id: a, type: task, title: A, next: b}\n"
           "  - {id: b, type: task, title: B, next: a}\n",
           {l("6:10: warning: no end step can be reached from step 'a'"),
            l("7:10: warning: no end step can be reached from step 'b'")});
    addRow("automated loop: a check that retries itself", "    else: page\n",
           "    else: probe-api\n",
           {l("58:9: warning: step 'probe-api' can loop back to itself through automated steps "
              "only; put a wait, a decision or a task in the loop so that it cannot spin")});
    addRow("a loop through a decision is fine", "    else: page\n", "    else: choose\n", {});
    addRow("duplicate option labels", "{label: Probe the API, next: probe-api}",
           "{label: Read the drift metric, next: probe-api}",
           {l("47:17: warning: step 'choose' has two options labelled 'Read the drift metric'; the "
              "engineer cannot tell them apart")});
    addRow("check without else, no_data or on_error", "    else: page\n", "",
           {l("58:9: warning: check 'probe-api' has no 'else', 'no_data' or 'on_error': when no "
              "branch holds, or the read fails, it stops and asks the engineer")});
    addRow("check with only ask", "    else: settle\n    no_data: ask\n    on_error: page\n",
           "    no_data: ask\n    on_error: ask\n",
           {l("48:9: warning: check 'check-drift' has no 'else', 'no_data' or 'on_error'"),
            l("108:9: warning: step 'settle' cannot be reached from the start step 'triage'")});
    addRow(
        "check with no way on at all is an error",
        "    when:\n      - {if: status == 200 && body.ok == true, next: watch}\n    else: page\n",
        "",
        {l("58:9: error: check 'probe-api' has no way on at all; give it 'when' branches and "
           "an 'else'"),
         l("58:9: warning: no end step can be reached from step 'probe-api'"),
         l("58:9: warning: check 'probe-api' has no 'else', 'no_data' or 'on_error'")});
    addRow("wait until without on_timeout", "    on_timeout: page\n", "",
           {l("102:9: warning: wait 'watch' polls 'until' but has no 'on_timeout'")});
}

void TestValidator::lints()
{
    check();
}

// Playbooks written to the format page, each complete, each with no diagnostic at all.
void TestValidator::validPlaybooks_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("knownIssue");

    QTest::newRow("the base playbook of these tests") << basePlaybook().toUtf8() << QString();

    QTest::newRow("minimal") << QByteArray(
                                    "runlane: 1\n"
                                    "id: minimal\n"
                                    "title: Minimal\n"
                                    "start: close\n"
                                    "steps:\n"
                                    "  - {id: close, type: end, title: Close, outcome: resolved}\n")
                             << QString();

    // "Top level", "Lanes", "Inputs", "Targets" and the check, action, wait and escalate
    // examples of the format page, as they are written there, completed into one playbook.
    QTest::newRow("format page: the canary drift example") << QByteArray(R"yaml(runlane: 1
id: canary-drift
title: Canary model input drift
summary: |
  Use when **ModelInputDrift** fires for the canary track.
severity: sev2
owner: ml-platform
tags: [kserve, canary, drift]
triggers:
  - {alertname: ModelInputDrift}
  - {alertname: CanaryDrift, track: /canary|shadow/}
budget: {acknowledge: 5m, mitigate: 30m, resolve: 4h}
lanes:
  - id: device            # ^[a-z0-9][a-z0-9-]*$
    title: Device
  - id: node
    title: Edge node (micro-GPU island)
  - id: control-plane
    title: Control plane
inputs:
  model:   {prompt: Model name, type: string, default: ranker, pattern: '^[a-z0-9-]+$'}
  percent: {prompt: Canary share to keep, type: number, default: 0, min: 0, max: 100}
  region:  {prompt: Region, type: choice, choices: [eu-west-1, us-east-1]}
  nodes:   {prompt: Affected nodes, type: list}        # a list of strings
  backup_taken: {prompt: "Backup taken?", type: boolean}   # quote text with ? or : inside flow maps
targets:
  fleet:
    kind: torchserve                 # see "Calls" below
    url: ${env:FLEET_MGMT_URL:-http://127.0.0.1:8081}
    auth:
      bearer: ${env:FLEET_TOKEN}     # or basic: {user: ..., password: ${env:...}}, or header: {name: X-Api-Key, value: ...}
    timeout: 10s                     # whole request; default 10s
    retry: {attempts: 3, backoff: 500ms, max_backoff: 10s}   # default: 3 attempts, 500ms, 10s
    tls: {verify: true, ca: /path/ca.pem}                   # verify defaults to true
  prom: {kind: prometheus, url: http://127.0.0.1:9090}
  pd:
    kind: pagerduty
    url: https://events.pagerduty.com           # the Events API v2 base
    routing_key: ${env:PD_ROUTING_KEY}          # pagerduty only; a secret
  chat: {kind: slack, url: "${env:SLACK_WEBHOOK}"} # quoted: {} end a plain scalar in a flow map
  k8s: {kind: kubernetes, url: https://k8s.example:6443}
start: check-drift
steps:
- id: check-drift
  lane: control-plane
  type: check
  title: Is the canary's input drift above 0.25?
  query:
    target: prom
    promql: max(model_input_psi{model="{{ inputs.model }}", track="canary"})
  when:
    - if: value > 0.25
      next: demote-canary
  else: watch-drift          # no `when` matched (without `else`: inconclusive, as `ask`)
  no_data: ask               # default `ask`; or a step id
  on_error: ask              # default `ask`; or a step id
- id: demote-canary
  lane: control-plane
  type: action
  title: Pin all traffic to the previous model
  call: kserve.set-canary-percent          # a built-in call, or `request:` for raw HTTP
  target: k8s
  with: {namespace: edge, name: "{{ inputs.model }}", percent: 0}
  confirm: true              # default true: the engineer sees the exact request and confirms
  save: {previous: body.status.components.predictor.previousRolledoutRevision}
  next: verify-latency
  on_failure: escalate-platform
- id: verify-latency
  type: task
  title: Check p99 latency is back under budget
  checklist: [p99 below 120 ms on the dashboard]
  next: close
- id: watch-drift
  type: wait
  title: Watch drift for 10 minutes
  until: {query: {target: prom, promql: "max(model_input_psi)"}, if: value < 0.1, every: 30s}
  timeout: 10m
  next: close
  on_timeout: escalate-platform
- id: escalate-platform
  type: escalate
  title: Page the platform team
  call: pagerduty.trigger
  target: pd
  with: {summary: "Drift rollback failed for {{ inputs.model }}", severity: critical, source: runlane}
  next: wait-for-platform
- id: wait-for-platform
  type: wait
  title: Give the platform team time to take over
  duration: 5m
  next: handed-over
- {id: close, type: end, title: Drift gone, outcome: mitigated}
- {id: handed-over, type: end, title: Platform team has it, outcome: escalated}
)yaml") << QString();

    QTest::newRow("format page: raw HTTP request") << QByteArray(R"yaml(runlane: 1
id: raw-request
title: Set the default version by hand
inputs:
  model: {prompt: Model, default: ranker}
targets:
  fleet: {kind: torchserve, url: "http://127.0.0.1:8081"}
start: describe
steps:
  - id: describe
    type: action
    title: Read the model
    call: torchserve.describe
    target: fleet
    with: {model: "{{ inputs.model }}"}
    save: {previous: "body[0].modelVersion"}
    next: set-default
    on_failure: failed
  - id: set-default
    type: action
    title: Make the previous version the default
    target: fleet
    request:
      method: PUT                              # GET POST PUT PATCH DELETE
      path: /models/{{ inputs.model }}/{{ vars.previous }}/set-default
      query: {synchronous: "true"}
      headers: {Content-Type: application/json}
      body: {reason: "drift on {{ inputs.model }}"}     # YAML map → JSON; or a string
      expect: {status: [200, 202]}             # default: any 2xx
    next: done
    on_failure: failed
  - {id: done, type: end, title: Done, outcome: mitigated}
  - {id: failed, type: end, title: Failed, outcome: aborted}
)yaml") << QString();

    QTest::newRow("format page: fan-out") << QByteArray(R"yaml(runlane: 1
id: fanout
title: Scale workers on every affected node
inputs:
  nodes: {prompt: Affected nodes, type: list}
  model: {prompt: Model, default: ranker}
targets:
  fleet: {kind: torchserve, url: http://127.0.0.1:8081}
start: scale
steps:
  - id: scale
    type: action
    title: Scale workers on each node
    call: torchserve.scale-workers
    target: fleet
    with: {model: "{{ inputs.model }}", min: 2, max: 4}
    fanout:
      over: "{{ inputs.nodes }}"     # a list input, or a literal YAML list of strings
      as: node                       # each item is `{{ node }}` in path, query, body and with
      url: "{{ node }}"              # optional: the base URL per item (default: the target's url)
      concurrency: 64                # requests in flight at once; default 16
      waves: [1%, 10%, 50%, 100%]    # cumulative share of endpoints per wave; default [100%]
      max_failures: 2%               # stop before the next wave once more have failed; default 0
    confirm: false
    next: done
    on_failure: literal
  - id: literal
    type: action
    title: Ping a fixed list of nodes
    target: fleet
    request: {method: GET, path: "/ping/{{ host }}", query: {node: "{{ host }}"}, body: {node: "{{ host }}"}}
    fanout: {over: [edge-1, edge-2], as: host}
    next: done
  - {id: done, type: end, title: Done, outcome: resolved}
)yaml") << QString();

    QTest::newRow("format page: probe, auth variants, calls") << QByteArray(R"yaml(runlane: 1
id: probes-and-calls
title: Probes, auth variants and the built-in calls
severity: sev4
targets:
  k8s:
    kind: kubernetes
    url: https://k8s.example:6443
    auth: {basic: {user: ops, password: "${env:K8S_PASSWORD}"}}
  am:
    kind: alertmanager
    url: http://127.0.0.1:9093
    auth: {header: {name: X-Api-Key, value: "${env:AM_KEY}"}}
  triton: {kind: triton, url: http://127.0.0.1:8000, tls: {verify: false}}
  ts: {kind: torchserve, url: http://127.0.0.1:8081}
  pd: {kind: pagerduty, url: https://events.pagerduty.com, routing_key: "${env:PD_ROUTING_KEY}"}
  chat: {kind: slack, url: "${env:SLACK_WEBHOOK}"}
  hook: {kind: http, url: https://hooks.example/runlane}
  prom: {kind: prometheus, url: http://127.0.0.1:9090}
start: ready
steps:
  - id: ready
    type: check
    title: Is the API server ready?
    probe: {target: k8s, method: GET, path: /readyz}
    when:
      - {if: status == 200 && elapsed_ms < 1000, next: silence}
      - {if: "body.items[0].name == 'x' || !(status >= 500)", next: silence}
    else: silence
    on_error: silence
  - {id: silence, type: action, title: Silence, call: alertmanager.silence, target: am,
     with: {matchers: {alertname: ModelDrift, instance: /edge-.*/}, duration: 2h, comment: "by {{ incident.id }}"},
     next: alerts}
  - {id: alerts, type: action, title: Alerts, call: alertmanager.alerts, target: am,
     with: {matchers: {alertname: ModelDrift}}, next: ping}
  - {id: ping, type: action, title: Ping, call: torchserve.ping, target: ts, next: describe}
  - {id: describe, type: action, title: Describe, call: torchserve.describe, target: ts,
     with: {model: m, version: all}, next: set-default}
  - {id: set-default, type: action, title: Set default, call: torchserve.set-default-version,
     target: ts, with: {model: m, version: "2"}, next: scale}
  - {id: scale, type: action, title: Scale, call: torchserve.scale-workers, target: ts,
     with: {model: m, version: "2", min: 1, max: 2}, next: unregister}
  - {id: unregister, type: action, title: Unregister, call: torchserve.unregister, target: ts,
     with: {model: m, version: "1"}, next: triton-ready}
  - {id: triton-ready, type: action, title: Ready, call: triton.ready, target: triton, next: load}
  - {id: load, type: action, title: Load, call: triton.load, target: triton, with: {model: m}, next: unload}
  - {id: unload, type: action, title: Unload, call: triton.unload, target: triton, with: {model: m}, next: stats}
  - {id: stats, type: action, title: Stats, call: triton.stats, target: triton, with: {model: m}, next: canary}
  - {id: canary, type: action, title: Canary, call: kserve.set-canary-percent, target: k8s,
     with: {namespace: edge, name: m, percent: 10}, next: status}
  - {id: status, type: action, title: Status, call: kserve.status, target: k8s,
     with: {namespace: edge, name: m}, next: abort}
  - {id: abort, type: action, title: Abort, call: argo.abort, target: k8s, with: {namespace: edge, name: m}, next: promote}
  - {id: promote, type: action, title: Promote, call: argo.promote, target: k8s, with: {namespace: edge, name: m}, next: cordon}
  - {id: cordon, type: action, title: Cordon, call: kubernetes.cordon, target: k8s, with: {node: edge-1}, next: query}
  - {id: query, type: action, title: Query, call: prometheus.query, target: prom, with: {promql: up}, next: raw}
  - {id: raw, type: action, title: Raw, call: http.request, target: hook,
     request: {method: POST, path: /, body: "silenced as {{ vars.silence_id }}"}, next: tell}
  - {id: tell, type: escalate, title: Tell, call: slack.post, target: chat,
     with: {text: "Incident {{ incident.id }} since {{ incident.started_at }}"}, next: page}
  - {id: page, type: escalate, title: Page, call: pagerduty.trigger, target: pd,
     with: {summary: s, severity: warning, source: runlane, dedup_key: "k-{{ incident.id }}"}, next: resolve}
  - {id: resolve, type: escalate, title: Resolve, call: pagerduty.resolve, target: pd, next: close}
  - {id: close, type: end, title: Close, outcome: false-alarm}
)yaml") << QString();

    QTest::newRow("durations in every unit") << QByteArray(R"yaml(runlane: 1
id: durations
title: Durations
budget: {acknowledge: 500ms, mitigate: 90s, resolve: 1d}
targets:
  prom: {kind: prometheus, url: http://p:9090, timeout: 2.5s, retry: {attempts: 1, backoff: 1s, max_backoff: 1h}}
start: w
steps:
  - {id: w, type: wait, title: W, duration: 5m, timeout: "2h", next: u}
  - id: u
    type: wait
    title: U
    until: {query: {target: prom, promql: up, reduce: avg}, if: value == 1, every: 10s}
    timeout: 1.5h
    next: e
    on_timeout: e
  - {id: e, type: end, title: E, outcome: resolved}
)yaml") << QString();

    QTest::newRow("expressions and literals") << QByteArray(R"yaml(runlane: 1
id: expressions
title: Every operator and literal
inputs:
  limit: {prompt: Limit, type: number, default: 1.5}
  name: {prompt: Name, default: ranker}
  enabled: {prompt: "On?", type: boolean, default: true}
targets:
  prom: {kind: prometheus, url: http://p:9090}
start: c
steps:
  - id: c
    type: check
    title: C
    query: {target: prom, promql: "sum(up)", reduce: sum}
    when:
      - {if: "value >= inputs.limit && value <= 100 || value == 0", next: e}
      - {if: "!(value != 1) && inputs.name == 'ranker' && inputs.name != \"x\"", next: e}
      - {if: "inputs.enabled == true || inputs.enabled == false || inputs.name == null", next: e}
      - {if: value < -1.5e3 || value > 2, next: e}
    else: e
  - {id: e, type: end, title: E, outcome: resolved}
)yaml") << QString();

    QTest::newRow("x- keys everywhere") << QByteArray(R"yaml(runlane: 1
id: extensions
title: Extension keys
x-generated-by: a tool
budget: {resolve: 1h, x-sla: gold}
lanes:
  - {id: device, title: Device, x-colour: blue}
inputs:
  a: {prompt: A, x-ui: wide}
targets:
  t:
    kind: http
    url: http://h
    x-owner: sre
    auth: {bearer: b, x-rotated: monthly}
    retry: {attempts: 2, x-why: flaky}
    tls: {verify: true, x-pinned: false}
start: s
steps:
  - id: s
    type: decision
    title: S
    x-hotkey: s
    options:
      - {label: A, next: c, x-default: true}
      - {label: B, next: e}
  - id: c
    type: check
    title: C
    probe: {target: t, path: /, x-note: n, expect: {status: 200, x-note: n}}
    when: [{if: status == 200, next: w, x-note: n}]
    else: e
  - id: w
    type: wait
    title: W
    timeout: 1m
    until: {probe: {target: t, path: /}, if: status == 200, x-note: n}
    next: a
    on_timeout: e
  - id: a
    type: action
    title: A
    target: t
    request: {method: POST, path: /x, x-note: n}
    fanout: {over: [h1], as: h, x-note: n}
    next: e
  - {id: e, type: end, title: E, outcome: resolved, x-note: n}
)yaml") << QString();

    // The tutorial of the project's docs/playbook-format.md, "The whole file".
    QTest::newRow("docs: the tutorial playbook") << QByteArray(R"yaml(runlane: 1
id: triton-reload
title: Triton model not ready on an edge node
summary: Use when **TritonModelNotReady** fires for one edge node.
severity: sev3
owner: edge-serving
triggers:
  - {alertname: TritonModelNotReady}

lanes:
  - {id: device, title: Device}
  - {id: node, title: Edge node}
  - {id: control-plane, title: Control plane}

inputs:
  instance: {prompt: "Node (the alert's instance label)", pattern: '^[a-z0-9.-]+:[0-9]+$'}
  model:    {prompt: Model name, default: detector}

targets:
  prom:   {kind: prometheus, url: "${env:PROM_URL:-http://127.0.0.1:9090}"}
  triton: {kind: triton, url: "${env:TRITON_URL:-http://127.0.0.1:8000}"}

start: check-failures
steps:
  - id: check-failures
    lane: control-plane
    type: check
    title: Is the node failing inference requests?
    query:
      target: prom
      promql: 'sum(rate(nv_inference_request_failure{instance="{{ inputs.instance }}", model="{{ inputs.model }}"}[5m]))'
    when:
      - if: value > 0
        next: look-at-cameras
    else: close-false-alarm

  - id: look-at-cameras
    lane: device
    type: task
    title: Check the cameras behind the node
    body: |
      Open *Devices → Cameras*, filter on the node, and look at each camera's last frame.
    checklist:
      - Every camera sends frames
      - No firmware update is running
    next: choose-fix

  - id: choose-fix
    lane: node
    type: decision
    title: Reload the model on the node?
    options:
      - {label: Reload the model, next: reload-model}
      - {label: Hand over to the edge team, next: close-handed-over}

  - id: reload-model
    lane: node
    type: action
    title: Load the model again
    call: triton.load
    target: triton
    with: {model: "{{ inputs.model }}"}
    next: close-fixed
    on_failure: close-handed-over

  - id: close-fixed
    lane: node
    type: end
    title: Model reloaded
    outcome: resolved

  - id: close-false-alarm
    lane: control-plane
    type: end
    title: No failing requests
    outcome: false-alarm

  - id: close-handed-over
    lane: node
    type: end
    title: Handed over to the edge team
    outcome: escalated
)yaml") << QString();

    // The targets example exactly as the format page writes it.
    QTest::newRow("format page: the targets example, verbatim")
        << QByteArray(R"yaml(runlane: 1
id: targets-verbatim
title: The targets example of the format page
targets:
  fleet:
    kind: torchserve                 # see "Calls" below
    url: ${env:FLEET_MGMT_URL:-http://127.0.0.1:8081}
    auth:
      bearer: ${env:FLEET_TOKEN}     # or basic: {user: ..., password: ${env:...}}, or header: {name: X-Api-Key, value: ...}
    timeout: 10s                     # whole request; default 10s
    retry: {attempts: 3, backoff: 500ms, max_backoff: 10s}   # default: 3 attempts, 500ms, 10s
    tls: {verify: true, ca: /path/ca.pem}                   # verify defaults to true
  prom: {kind: prometheus, url: http://127.0.0.1:9090}
  pd:
    kind: pagerduty
    url: https://events.pagerduty.com           # the Events API v2 base
    routing_key: ${env:PD_ROUTING_KEY}          # pagerduty only; a secret
  chat: {kind: slack, url: ${env:SLACK_WEBHOOK}} # the webhook URL is itself a secret
start: close
steps:
  - {id: close, type: end, title: Close, outcome: resolved}
)yaml")
        << QStringLiteral("the page's `chat: {kind: slack, url: ${env:SLACK_WEBHOOK}}` is not "
                          "YAML: '{' and '}' end a plain scalar inside a flow map, so it "
                          "must be quoted (as docs/playbook-format.md does)");
}

void TestValidator::validPlaybooks()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, knownIssue);
    const LoadResult result = loadPlaybookText(text, QStringLiteral("valid.yaml"));
    const QString report = mismatch(result.diagnostics, {}, text);
    if (!report.isEmpty())
        qInfo().noquote() << report;
    if (!knownIssue.isEmpty())
        QEXPECT_FAIL("", qPrintable(knownIssue), Abort);
    QVERIFY2(report.isEmpty(), "a valid playbook has diagnostics (listed above)");
    QVERIFY(result.ok());
}

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
