#include "test_support.h"

#include <QRegularExpression>

#include <algorithm>

namespace runlane::test {

QString describe(const Diagnostic &diagnostic)
{
    return QStringLiteral("%1:%2: %3: %4")
        .arg(diagnostic.pos.line)
        .arg(diagnostic.pos.column)
        .arg(diagnostic.isError() ? QStringLiteral("error") : QStringLiteral("warning"),
             diagnostic.message);
}

QStringList describe(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics)
        lines.append(describe(d));
    return lines;
}

namespace {

bool matches(const Diagnostic &actual, const QString &expected)
{
    static const QRegularExpression form(QStringLiteral(R"(^(\d+):(\d+): (error|warning): (.*)$)"),
                                         QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = form.match(expected);
    if (!m.hasMatch())
        return false;
    return actual.pos.line == m.captured(1).toInt() && actual.pos.column == m.captured(2).toInt() &&
           actual.isError() == (m.captured(3) == u"error") &&
           actual.message.contains(m.captured(4));
}

} // namespace

// The source line of a diagnostic with a caret under its column (columns count UTF-8 bytes).
static QString pointAt(const QByteArray &text, const Diagnostic &d)
{
    const QList<QByteArray> lines = text.split('\n');
    if (d.pos.line < 1 || d.pos.line > lines.size())
        return QString();
    const QByteArray line = lines[d.pos.line - 1];
    const QString before = QString::fromUtf8(line.left(std::max(d.pos.column - 1, 0)));
    return QStringLiteral("\n        | %1\n        | %2^")
        .arg(QString::fromUtf8(line), QString(before.size(), u' '));
}

QString mismatch(const Diagnostics &actual, const QStringList &expected, const QByteArray &text)
{
    bool same = actual.size() == expected.size();
    for (qsizetype i = 0; same && i < actual.size(); ++i)
        same = matches(actual[i], expected[i]);
    if (same)
        return QString();
    QString report = QStringLiteral("\n  expected %1 diagnostic(s):").arg(expected.size());
    for (const QString &e : expected)
        report += QStringLiteral("\n    ") + e;
    report += QStringLiteral("\n  got %1:").arg(actual.size());
    for (const Diagnostic &d : actual)
        report += QStringLiteral("\n    ") + describe(d) + pointAt(text, d);
    return report;
}

// Line numbers are what the diagnostics of the test tables refer to.
// clang-format off
static const char *const baseLines[] = {
    /*   1 */ "runlane: 1",
    /*   2 */ "id: base",
    /*   3 */ "title: Base playbook",
    /*   4 */ "summary: Every step type and most fields, valid.",
    /*   5 */ "severity: sev2",
    /*   6 */ "owner: ml-platform",
    /*   7 */ "tags: [edge, test]",
    /*   8 */ "triggers:",
    /*   9 */ "  - {alertname: ModelInputDrift, track: /can.*/}",
    /*  10 */ "budget: {acknowledge: 5m, mitigate: 30m, resolve: 4h}",
    /*  11 */ "lanes:",
    /*  12 */ "  - id: device",
    /*  13 */ "    title: Device",
    /*  14 */ "  - {id: control-plane, title: Control plane}",
    /*  15 */ "inputs:",
    /*  16 */ "  model: {prompt: Model name, type: string, default: ranker, pattern: '^[a-z0-9-]+$'}",
    /*  17 */ "  percent: {prompt: Canary share, type: number, default: 0, min: 0, max: 100}",
    /*  18 */ "  region: {prompt: Region, type: choice, choices: [eu-west-1, us-east-1], default: eu-west-1}",
    /*  19 */ "  nodes: {prompt: Affected nodes, type: list, default: [n1, n2]}",
    /*  20 */ "  backup_taken: {prompt: \"Backup taken?\", type: boolean, default: false}",
    /*  21 */ "targets:",
    /*  22 */ "  prom: {kind: prometheus, url: http://127.0.0.1:9090}",
    /*  23 */ "  k8s:",
    /*  24 */ "    kind: kubernetes",
    /*  25 */ "    url: ${env:K8S_URL:-http://127.0.0.1:8001}",
    /*  26 */ "    auth: {bearer: \"${env:K8S_TOKEN}\"}",
    /*  27 */ "    timeout: 10s",
    /*  28 */ "    retry: {attempts: 3, backoff: 500ms, max_backoff: 10s}",
    /*  29 */ "    tls: {verify: true, ca: /etc/runlane/ca.pem}",
    /*  30 */ "  ts: {kind: torchserve, url: http://127.0.0.1:8081}",
    /*  31 */ "  pd: {kind: pagerduty, url: https://events.pagerduty.com, routing_key: \"${env:PD_KEY}\"}",
    /*  32 */ "start: triage",
    /*  33 */ "steps:",
    /*  34 */ "  - id: triage",
    /*  35 */ "    type: task",
    /*  36 */ "    title: Look at the dashboards",
    /*  37 */ "    lane: device",
    /*  38 */ "    body: Open the *drift* dashboard.",
    /*  39 */ "    timeout: 5m",
    /*  40 */ "    checklist: [Dashboard opened]",
    /*  41 */ "    next: choose",
    /*  42 */ "  - id: choose",
    /*  43 */ "    type: decision",
    /*  44 */ "    title: Read the metric or probe the API?",
    /*  45 */ "    options:",
    /*  46 */ "      - {label: Read the drift metric, next: check-drift}",
    /*  47 */ "      - {label: Probe the API, next: probe-api}",
    /*  48 */ "  - id: check-drift",
    /*  49 */ "    type: check",
    /*  50 */ "    lane: control-plane",
    /*  51 */ "    title: Is the drift high?",
    /*  52 */ "    query: {target: prom, promql: 'max(psi{model=\"{{ inputs.model }}\"})', reduce: max}",
    /*  53 */ "    when:",
    /*  54 */ "      - {if: value > 0.25, next: demote}",
    /*  55 */ "    else: settle",
    /*  56 */ "    no_data: ask",
    /*  57 */ "    on_error: page",
    /*  58 */ "  - id: probe-api",
    /*  59 */ "    type: check",
    /*  60 */ "    title: Is the API ready?",
    /*  61 */ "    probe: {target: k8s, method: GET, path: /readyz, expect: {status: 200}}",
    /*  62 */ "    when:",
    /*  63 */ "      - {if: status == 200 && body.ok == true, next: watch}",
    /*  64 */ "    else: page",
    /*  65 */ "  - id: demote",
    /*  66 */ "    type: action",
    /*  67 */ "    title: Demote the canary",
    /*  68 */ "    call: kserve.set-canary-percent",
    /*  69 */ "    target: k8s",
    /*  70 */ "    with: {namespace: edge, name: \"{{ inputs.model }}\", percent: 0}",
    /*  71 */ "    save: {previous: body.status.previous}",
    /*  72 */ "    next: set-default",
    /*  73 */ "    on_failure: page",
    /*  74 */ "  - id: set-default",
    /*  75 */ "    type: action",
    /*  76 */ "    title: Make the previous version the default",
    /*  77 */ "    target: ts",
    /*  78 */ "    request:",
    /*  79 */ "      method: PUT",
    /*  80 */ "      path: /models/{{ inputs.model }}/{{ vars.previous }}/set-default",
    /*  81 */ "      query: {synchronous: \"true\"}",
    /*  82 */ "      headers: {Content-Type: application/json}",
    /*  83 */ "      body: {reason: \"drift on {{ inputs.model }}\"}",
    /*  84 */ "      expect: {status: [200, 202]}",
    /*  85 */ "    next: scale",
    /*  86 */ "    on_failure: page",
    /*  87 */ "  - id: scale",
    /*  88 */ "    type: action",
    /*  89 */ "    title: Scale the workers on every node",
    /*  90 */ "    call: torchserve.scale-workers",
    /*  91 */ "    target: ts",
    /*  92 */ "    with: {model: \"{{ inputs.model }}\", min: 1, max: 4}",
    /*  93 */ "    fanout:",
    /*  94 */ "      over: \"{{ inputs.nodes }}\"",
    /*  95 */ "      as: node",
    /*  96 */ "      url: \"http://{{ node }}:8081\"",
    /*  97 */ "      concurrency: 64",
    /*  98 */ "      waves: [1%, 10%, 50%, 100%]",
    /*  99 */ "      max_failures: 2%",
    /* 100 */ "    next: watch",
    /* 101 */ "    on_failure: page",
    /* 102 */ "  - id: watch",
    /* 103 */ "    type: wait",
    /* 104 */ "    title: Watch the drift settle",
    /* 105 */ "    until: {query: {target: prom, promql: \"max(psi)\"}, if: value < 0.1, every: 30s}",
    /* 106 */ "    timeout: 10m",
    /* 107 */ "    next: done",
    /* 108 */ "    on_timeout: page",
    /* 109 */ "  - id: settle",
    /* 110 */ "    type: wait",
    /* 111 */ "    title: Let it settle",
    /* 112 */ "    duration: 5m",
    /* 113 */ "    next: done",
    /* 114 */ "  - id: page",
    /* 115 */ "    type: escalate",
    /* 116 */ "    title: Page the platform team",
    /* 117 */ "    call: pagerduty.trigger",
    /* 118 */ "    target: pd",
    /* 119 */ "    with: {summary: \"Drift on {{ inputs.model }}\", severity: critical, source: runlane}",
    /* 120 */ "    next: escalated",
    /* 121 */ "  - {id: done, type: end, title: Resolved, outcome: resolved}",
    /* 122 */ "  - {id: escalated, type: end, title: Escalated, outcome: escalated}",
};
// clang-format on

QString basePlaybook()
{
    QString text;
    for (const char *line : baseLines)
        text += QString::fromUtf8(line) + u'\n';
    return text;
}

QByteArray mutated(const QString &from, const QString &to)
{
    QString text = basePlaybook();
    if (text.count(from) != 1)
        return QByteArray();
    return text.replace(from, to).toUtf8();
}

QByteArray minimalPlaybook()
{
    return QByteArrayLiteral("runlane: 1\n"
                             "id: minimal\n"
                             "title: Minimal\n"
                             "start: first\n"
                             "steps:\n"
                             "  - {id: first, type: task, title: First, next: last}\n"
                             "  - {id: last, type: end, title: Last, outcome: resolved}\n");
}

} // namespace runlane::test
