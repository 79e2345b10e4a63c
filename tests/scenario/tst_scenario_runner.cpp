#include "engine/playbook/loader.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/scenario_runner.h"

#include "scenario_test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

// "LINE:COL: severity: message" for each diagnostic: the file is the one loaded.
QStringList describe(const Diagnostics &diagnostics)
{
    QStringList out;
    for (const Diagnostic &d : diagnostics)
        out.append(u"%1:%2: %3: %4"_s.arg(d.pos.line)
                       .arg(d.pos.column)
                       .arg(d.isError() ? u"error"_s : u"warning"_s, d.message));
    return out;
}

} // namespace

class TestScenarioRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsATestFile();
    void loadDiagnostics_data();
    void loadDiagnostics();
    void cases_data();
    void cases();
    void everyCaseHasARow_data();
    void everyCaseHasARow();
    void recordsTheWalk();
    void loopingPlaybookStops();

private:
    // The cases of one file, and the playbook they test.
    static std::optional<std::pair<ScenarioFile, PlaybookPtr>> load(const QString &file);
};

std::optional<std::pair<ScenarioFile, PlaybookPtr>> TestScenarioRunner::load(const QString &file)
{
    const ScenarioLoad scenario = loadScenarioFile(dataFile(file));
    for (const Diagnostic &d : scenario.diagnostics)
        qWarning("%s", qPrintable(d.toString()));
    if (!scenario.scenario)
        return std::nullopt;
    const LoadResult playbook = loadPlaybookFile(scenario.scenario->playbookFile);
    for (const Diagnostic &d : playbook.diagnostics)
        qWarning("%s", qPrintable(d.toString()));
    if (!playbook.ok())
        return std::nullopt;
    return std::make_pair(*scenario.scenario, playbook.playbook);
}

void TestScenarioRunner::loadsATestFile()
{
    const ScenarioLoad load = loadScenarioFile(dataFile(u"rollout.test.yaml"_s));
    QCOMPARE(describe(load.diagnostics), QStringList());
    QVERIFY(load.scenario);
    const ScenarioFile &file = *load.scenario;
    QCOMPARE(file.file, dataFile(u"rollout.test.yaml"_s));
    QCOMPARE(file.playbookFile, QDir::cleanPath(dataFile(u"rollout.yaml"_s)));
    QCOMPARE(file.cases.size(), 7);

    const ScenarioCase &c = file.cases[1];
    QCOMPARE(c.name, u"rollback works"_s);
    QCOMPARE(c.pos.line, 12);
    QCOMPARE(c.pos.column, 5);
    QCOMPARE(show(c.inputs), u"{\"model\":\"ranker\"}"_s);
    QCOMPARE(show(c.results), u"{\"announce\":{\"body\":\"ok\",\"status\":200},"
                              "\"check-errors\":{\"value\":0.2},"
                              "\"rollback\":{\"body\":{\"revision\":\"v41\"},\"status\":200},"
                              "\"verify\":{\"value\":0}}"_s);
    QCOMPARE(show(c.answers), u"{\"pick\":\"Roll back\"}"_s);
    QVERIFY(c.path);
    QCOMPARE(*c.path, (QStringList{u"check-errors"_s, u"pick"_s, u"rollback"_s, u"verify"_s,
                                   u"tidy"_s, u"announce"_s, u"close-mitigated"_s}));
    QVERIFY(!c.visits);
    QCOMPARE(c.outcome, std::optional<QString>(u"mitigated"_s));
    QVERIFY(c.vars);
    QCOMPARE(show(*c.vars), u"{\"revision\":\"v41\"}"_s);

    const ScenarioCase &v = file.cases[2];
    QVERIFY(!v.path);
    QCOMPARE(v.visits, std::optional<QStringList>(QStringList{u"pick"_s, u"page"_s}));
    QVERIFY(!v.vars);

    const ScenarioCase &noOutcome = file.cases[3];
    QVERIFY(!noOutcome.outcome);
    QVERIFY(!noOutcome.vars);
    QCOMPARE(show(noOutcome.answers), u"{\"pick\":\"Roll back\"}"_s);
}

void TestScenarioRunner::loadDiagnostics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("unknown keys")
        << u"bad-keys.test.yaml"_s
        << QStringList{u"5:5: error: unknown key 'answer' in case 1; did you mean 'answers'?"_s,
                       u"10:7: error: unknown key 'outcom' in 'expect' of case 'typo in expect'; "
                       u"did you mean "
                       "'outcome'?"_s,
                       u"10:7: error: 'expect' of case 'typo in expect' names nothing to check; "
                       u"give 'path', "
                       "'visits', 'outcome' or 'vars'"_s};
    QTest::newRow("missing expect")
        << u"bad-missing-expect.test.yaml"_s
        << QStringList{u"3:5: error: missing required key 'expect' in case 1"_s};
    QTest::newRow("bad outcome") << u"bad-outcome.test.yaml"_s
                                 << QStringList{
                                        u"5:16: error: unknown outcome 'fixed'; expected resolved, "
                                        "mitigated, escalated, false-alarm or aborted"_s};
    QTest::newRow("expect names nothing")
        << u"bad-empty-expect.test.yaml"_s
        << QStringList{
               u"4:13: error: 'expect' of case 'expects nothing' names nothing to check; give "
               "'path', 'visits', 'outcome' or 'vars'"_s};
    QTest::newRow("no cases")
        << u"bad-no-cases.test.yaml"_s
        << QStringList{u"2:8: error: 'cases' in the test file must be a non-empty list "
                       "of cases, not an empty list"_s};
    QTest::newRow("top level")
        << u"bad-top.test.yaml"_s
        << QStringList{u"1:1: error: missing required key 'playbook' in the test file"_s,
                       u"4:1: error: unknown key 'tests' in the test file; expected one "
                       "of: playbook, cases"_s};
    QTest::newRow("path and visits")
        << u"bad-path-and-visits.test.yaml"_s
        << QStringList{u"4:46: error: 'expect' of case 'both' gives both 'path' and 'visits'; "
                       u"use one"_s};
    QTest::newRow("empty visits and vars")
        << u"bad-empty-lists.test.yaml"_s
        << QStringList{u"4:14: error: 'visits' of case 'empty' is empty; a walk visits at least "
                       u"its start step"_s,
                       u"4:26: error: 'vars' of case 'empty' is empty; name the values the case "
                       u"must save"_s};
    QTest::newRow("not YAML")
        << u"bad-yaml.test.yaml"_s
        << QStringList{u"4:1: error: YAML syntax error: end of sequence flow not found"_s};
    QTest::newRow("no such file")
        << u"missing.test.yaml"_s
        << QStringList{u"0:0: error: cannot read file: No such file or directory"_s};
}

void TestScenarioRunner::loadDiagnostics()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);

    const ScenarioLoad load = loadScenarioFile(dataFile(file));
    QCOMPARE(describe(load.diagnostics), expected);
    QVERIFY(!load.scenario);
    for (const Diagnostic &d : load.diagnostics)
        QCOMPARE(d.file, dataFile(file));
}

void TestScenarioRunner::cases_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("expectedFailures"); // empty: the case passes

    const QString passing = u"rollout.test.yaml"_s;
    for (const char *name :
         {"errors low, nothing to do", "rollback works", "rollback fails, platform paged",
          "errors stay, the wait times out", "keep watching, the wait needs no result",
          "the read fails, the engineer chooses the way on",
          "the page fails too, the walk still ends"})
        QTest::newRow(name) << passing << QString::fromUtf8(name) << QStringList();

    const QString wrong = u"rollout-wrong.test.yaml"_s;
    auto row = [&wrong](const char *name, const QStringList &failures) {
        QTest::newRow(name) << wrong << QString::fromUtf8(name) << failures;
    };
    row("wrong path", {u"expected path: check-errors → pick → rollback → close-mitigated\n"
                       "  actual path:   check-errors → close-ok"_s});
    row("visits out of order",
        {u"expected visits in order: verify → rollback\n"
         "  actual path:   check-errors → pick → rollback → verify → tidy → announce → close-mitigated"_s});
    row("visit never made", {u"expected visits in order: check-errors → page\n"
                             "  actual path:   check-errors → close-ok"_s});
    row("a step expected twice, visited once",
        {u"expected visits in order: check-errors → check-errors\n"
         "  actual path:   check-errors → close-ok"_s});
    row("wrong outcome", {u"expected outcome 'resolved', got 'mitigated'"_s});
    row("wrong vars", {u"expected vars.revision = \"v40\", got \"v41\""_s,
                       u"expected vars.ticket = 7, got nothing saved"_s});
    row("path and outcome both wrong", {u"expected path: check-errors → close-mitigated\n"
                                        "  actual path:   check-errors → close-ok"_s,
                                        u"expected outcome 'mitigated', got 'resolved'"_s});
    row("no result for the first step",
        {u"step 'check-errors' is automated and the case gives no result for it"_s});
    row("no result for a later step",
        {u"step 'rollback' is automated and the case gives no result for it"_s});
    row("no answer for a decision",
        {u"step 'pick' is a decision and the case gives no answer for it"_s});
    row("inconclusive without an answer",
        {u"step 'check-errors' is inconclusive (no data: the case "
         u"gives no_data) and the case gives no answer "
         "for it; choose one of: pick, close-ok"_s});
    row("answer that is not an option",
        {u"step 'pick': step 'pick' has no option 'Roll forward'; its options are: Roll back, Keep watching"_s});
    row("chosen step that is not a way on",
        {u"step 'check-errors': 'page' is not a way on from step 'check-errors'; choose one of: pick, close-ok"_s});
    row("result that is not a number",
        {u"the result for step 'check-errors' is not valid: 'value' must be a number"_s});
    row("result of no known form", {u"the result for step 'check-errors' is not valid: a result "
                                    u"gives {value}, {no_data: true}, {error} "
                                    "or {status, body}"_s});
    row("bad input", {u"input 'model': 'Bad Model' does not match the pattern [a-z0-9-]+"_s});
    row("result for a step the playbook does not have",
        {u"'results' names step 'chek-errors', which the playbook does not have"_s,
         u"'answers' names step 'pik', which the playbook does not have"_s});
    row("query given an HTTP status",
        {u"the result for step 'check-errors' does not fit it: it reads a query; give {value}, "
         u"{no_data: true} or {error}"_s});
    row("action given a number",
        {u"the result for step 'rollback' does not fit it: it makes an HTTP request; give "
         u"{status, body} or {error}"_s});
}

void TestScenarioRunner::cases()
{
    QFETCH(QString, file);
    QFETCH(QString, name);
    QFETCH(QStringList, expectedFailures);

    const auto loaded = load(file);
    QVERIFY(loaded);
    const auto &[scenario, playbook] = *loaded;
    const auto it = std::find_if(scenario.cases.begin(), scenario.cases.end(),
                                 [&name](const ScenarioCase &c) { return c.name == name; });
    QVERIFY2(it != scenario.cases.end(), qPrintable(name));

    const CaseResult result = runScenarioCase(playbook, *it);
    QCOMPARE(result.name, name);
    QCOMPARE(result.failures, expectedFailures);
    QCOMPARE(result.passed, expectedFailures.isEmpty());
}

void TestScenarioRunner::everyCaseHasARow_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("expectedCases");
    QTest::newRow("passing") << u"rollout.test.yaml"_s << 7;
    QTest::newRow("wrong") << u"rollout-wrong.test.yaml"_s << 19;
}

// A case added to a data file without a row in cases_data() would go untested.
void TestScenarioRunner::everyCaseHasARow()
{
    QFETCH(QString, file);
    QFETCH(int, expectedCases);
    const auto loaded = load(file);
    QVERIFY(loaded);
    QCOMPARE(loaded->first.cases.size(), expectedCases);
}

void TestScenarioRunner::recordsTheWalk()
{
    const auto loaded = load(u"rollout.test.yaml"_s);
    QVERIFY(loaded);
    const CaseResult result = runScenarioCase(loaded->second, loaded->first.cases[1]);
    QVERIFY(result.passed);
    QCOMPARE(result.actualPath,
             (QStringList{u"check-errors"_s, u"pick"_s, u"rollback"_s, u"verify"_s, u"tidy"_s,
                          u"announce"_s, u"close-mitigated"_s}));
    QCOMPARE(result.actualOutcome, std::optional<QString>(u"mitigated"_s));
    QVERIFY(!result.events.isEmpty());
    QCOMPARE(toString(result.events.front().kind), toString(EventKind::IncidentStarted));
    QCOMPARE(toString(result.events.back().kind), toString(EventKind::IncidentEnded));
    // A fixed clock: the same case gives the same timeline every run.
    QCOMPARE(result.events.front().utcMs, 1700000002000);
    const CaseResult again = runScenarioCase(loaded->second, loaded->first.cases[1]);
    QCOMPARE(again.events.size(), result.events.size());
    QCOMPARE(again.events.back().utcMs, result.events.back().utcMs);
    QCOMPARE(result.events.back().actor, u"test"_s);
    // The task's whole checklist is ticked.
    for (const Event &e : result.events) {
        if (e.kind == EventKind::TaskCompleted)
            QCOMPARE(e.text, u"Completed"_s);
    }
}

void TestScenarioRunner::loopingPlaybookStops()
{
    const auto loaded = load(u"loop.test.yaml"_s);
    QVERIFY(loaded);
    const CaseResult result = runScenarioCase(loaded->second, loaded->first.cases[0]);
    QVERIFY(!result.passed);
    QCOMPARE(result.failures,
             QStringList{u"the walk did not end after 10000 steps; does it loop?"_s});
    QCOMPARE(result.actualOutcome, std::nullopt);
    QCOMPARE(result.actualPath.size(), 10001); // the start, then one entry per transition
    QCOMPARE(result.actualPath.first(), u"poll"_s);
}

QTEST_GUILESS_MAIN(TestScenarioRunner)
#include "tst_scenario_runner.moc"
