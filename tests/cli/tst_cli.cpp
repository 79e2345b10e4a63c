#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString dataPath(const QString &name)
{
    return QDir(QStringLiteral(RUNLANE_TEST_DATA)).filePath(name);
}

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
    bool finished = false;
};

// Runs the built runlane-cli with stdin closed (so it is never interactive) and a time limit.
CliRun runCli(const QStringList &arguments,
              const QString &workingDirectory = QStringLiteral(RUNLANE_TEST_DATA))
{
    QProcess process;
    process.setProgram(QStringLiteral(RUNLANE_CLI));
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setWorkingDirectory(workingDirectory);
    process.start();
    CliRun run;
    if (!process.waitForStarted(10000))
        return run;
    run.finished = process.waitForFinished(120000);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString lastLine(const QString &text)
{
    const QStringList lines = text.trimmed().split(u'\n');
    return lines.isEmpty() ? QString() : lines.last();
}

// The full walk of run/incident.yaml, every answer and result given.
QStringList fullWalk()
{
    return {u"run"_s,      dataPath(u"run/incident.yaml"_s),
            u"--input"_s,  u"model=ranker"_s,
            u"--input"_s,  u"nodes=[\"edge-1\", \"edge-2\"]"_s,
            u"--input"_s,  u"percent=10"_s,
            u"--answer"_s, u"pick=Drain"_s,
            u"--result"_s, u"check-errors={\"value\": 0.2}"_s,
            u"--result"_s, u"drain={\"status\": 200, \"body\": {\"ticket\": \"T-1\"}}"_s,
            u"--result"_s, u"second-node={\"value\": 1}"_s,
            u"--result"_s, u"announce={\"status\": 200, \"body\": \"ok\"}"_s,
            u"--yes"_s};
}

// The arguments without `option PREFIX...` (or without the flag `option` when prefix is empty).
QStringList without(QStringList arguments, const QString &option, const QString &prefix)
{
    if (prefix.isEmpty()) {
        arguments.removeAll(option);
        return arguments;
    }
    for (qsizetype i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == option && arguments[i + 1].startsWith(prefix)) {
            arguments.remove(i, 2);
            return arguments;
        }
    }
    return arguments;
}

QStringList replaced(QStringList arguments, const QString &prefix, const QString &value)
{
    for (QString &a : arguments) {
        if (a.startsWith(prefix))
            a = value;
    }
    return arguments;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateExitCodes_data();
    void validateExitCodes();
    void validateText();
    void validateJson();
    void testAllPass();
    void testCoverage_data();
    void testCoverage();
    void testWrongExpectation();
    void testMissingPath();
    void testNoTestFiles();
    void testBadMinimumCoverage();
    void testDefaultsToTheCurrentFolder();
    void testPlaybookWithErrors();
    void runFullWalk();
    void runWalks_data();
    void runWalks();
    void runHeadlessRefusals_data();
    void runHeadlessRefusals();
    void runListInput_data();
    void runListInput();
    void runDryRun();
    void runSendsRequests();
    void help_data();
    void help();
    void version();
    void usageErrors_data();
    void usageErrors();
    void recordTest();
    void recordTestRefusals_data();
    void recordTestRefusals();

private:
    // A journal with the full walk of run/incident.yaml in it, made once for the record-test
    // tests: its incident's id.
    QString recordedIncident();

    QTemporaryDir m_recordDir;
    QString m_recordDb;
    QString m_recordId;
};

void TestCli::validateExitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("expectedExit");

    QTest::newRow("clean folder") << QStringList{u"validate"_s, dataPath(u"validate/clean"_s)} << 0;
    QTest::newRow("clean, strict")
        << QStringList{u"validate"_s, u"--strict"_s, dataPath(u"validate/clean"_s)} << 0;
    QTest::newRow("errors") << QStringList{u"validate"_s, dataPath(u"validate/errors.yaml"_s)} << 1;
    QTest::newRow("warnings only")
        << QStringList{u"validate"_s, dataPath(u"validate/warnings.yaml"_s)} << 0;
    QTest::newRow("warnings, strict")
        << QStringList{u"validate"_s, u"--strict"_s, dataPath(u"validate/warnings.yaml"_s)} << 1;
    QTest::newRow("clean and errors together")
        << QStringList{u"validate"_s, dataPath(u"validate/clean"_s),
                       dataPath(u"validate/errors.yaml"_s)}
        << 1;
    QTest::newRow("unknown option")
        << QStringList{u"validate"_s, u"--bogus"_s, dataPath(u"validate/clean"_s)} << 2;
    QTest::newRow("unknown format")
        << QStringList{u"validate"_s, u"--format"_s, u"xml"_s, dataPath(u"validate/clean"_s)} << 2;
    QTest::newRow("no path") << QStringList{u"validate"_s} << 2;
    QTest::newRow("missing path") << QStringList{u"validate"_s, dataPath(u"validate/nope.yaml"_s)}
                                  << 2;
}

void TestCli::validateExitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, expectedExit);
    const CliRun run = runCli(arguments);
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == expectedExit, qPrintable(run.out + run.err));
    if (expectedExit == 2)
        QVERIFY2(!run.err.isEmpty(), "a usage error says why on stderr");
}

// What validate reports for the two fixtures with problems, one "LINE:COL: severity: message" each.
QStringList errorsYaml()
{
    return {
        u"6:5: error: missing required key 'next' in step 'look'"_s,
        u"6:9: warning: no end step can be reached from step 'look'; an incident there could never finish"_s,
        u"9:5: error: unknown key 'nxet' in step 'look'; did you mean 'next'?"_s,
        u"10:10: warning: step 'close' cannot be reached from the start step 'look'"_s};
}

QStringList warningsYaml()
{
    return {u"10:9: warning: step 'orphan' cannot be reached from the start step 'look'"_s};
}

QString prefixed(const QString &file, const QStringList &lines)
{
    QString text;
    for (const QString &line : lines)
        text += u"%1:%2\n"_s.arg(file, line);
    return text;
}

void TestCli::validateText()
{
    const QString errorsFile = dataPath(u"validate/errors.yaml"_s);
    const CliRun errors = runCli({u"validate"_s, errorsFile});
    QCOMPARE(errors.exitCode, 1);
    QCOMPARE(errors.out, prefixed(errorsFile, errorsYaml()));
    QCOMPARE(errors.err, u"1 playbook, 2 errors, 2 warnings\n"_s);

    const QString warningsFile = dataPath(u"validate/warnings.yaml"_s);
    const CliRun warnings = runCli({u"validate"_s, u"--strict"_s, warningsFile});
    QCOMPARE(warnings.exitCode, 1);
    QCOMPARE(warnings.out, prefixed(warningsFile, warningsYaml()));
    QCOMPARE(warnings.err, u"1 playbook, 0 errors, 1 warning\n"_s);

    const CliRun clean = runCli({u"validate"_s, dataPath(u"validate/clean"_s)});
    QCOMPARE(clean.exitCode, 0);
    QCOMPARE(clean.out, QString());
    QCOMPARE(clean.err, u"1 playbook, 0 errors, 0 warnings\n"_s);

    const QString nope = dataPath(u"validate/nope.yaml"_s);
    const CliRun missing = runCli({u"validate"_s, nope});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.startsWith(u"runlane-cli validate: %1: "_s.arg(nope)),
             qPrintable(missing.err));
}

void TestCli::validateJson()
{
    const QString errorsFile = dataPath(u"validate/errors.yaml"_s);
    const QString warningsFile = dataPath(u"validate/warnings.yaml"_s);
    const CliRun run = runCli({u"validate"_s, u"--format"_s, u"json"_s, errorsFile, warningsFile});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, QString());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(document.isArray());
    QStringList actual;
    for (const QJsonValue item : document.array()) {
        const QJsonObject o = item.toObject();
        QCOMPARE(o.keys(),
                 (QStringList{u"column"_s, u"file"_s, u"line"_s, u"message"_s, u"severity"_s}));
        QVERIFY(o.value(u"line"_s).isDouble());
        QVERIFY(o.value(u"column"_s).isDouble());
        actual.append(
            u"%1:%2:%3: %4: %5"_s.arg(o.value(u"file"_s).toString())
                .arg(o.value(u"line"_s).toInt())
                .arg(o.value(u"column"_s).toInt())
                .arg(o.value(u"severity"_s).toString(), o.value(u"message"_s).toString()));
    }
    QCOMPARE(actual.join(u'\n') + u'\n',
             prefixed(errorsFile, errorsYaml()) + prefixed(warningsFile, warningsYaml()));

    const CliRun strict =
        runCli({u"validate"_s, u"--strict"_s, u"--format"_s, u"json"_s, warningsFile});
    QCOMPARE(strict.exitCode, 1);
    QCOMPARE(QJsonDocument::fromJson(strict.out.toUtf8()).array().size(), 1);

    const CliRun clean =
        runCli({u"validate"_s, u"--format"_s, u"json"_s, dataPath(u"validate/clean"_s)});
    QCOMPARE(clean.exitCode, 0);
    const QJsonDocument empty = QJsonDocument::fromJson(clean.out.toUtf8());
    QVERIFY(empty.isArray());
    QCOMPARE(empty.array().size(), 0);
}

void TestCli::testAllPass()
{
    const CliRun run = runCli({u"test"_s, dataPath(u"test/pass"_s)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QCOMPARE(run.out, u"%1\n  PASS  up\n  PASS  down, restarted\n2 passed, 0 failed\n"_s.arg(
                          dataPath(u"test/pass/triage.test.yaml"_s)));
    QCOMPARE(lastLine(run.out), u"2 passed, 0 failed"_s);
}

void TestCli::testCoverage_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("verdict"); // the line before the last, or "" when none
    QTest::newRow("shown") << QStringList{u"--coverage"_s} << 0 << QString();
    QTest::newRow("at the minimum") << QStringList{u"--min-coverage"_s, u"75"_s} << 0 << QString();
    QTest::newRow("under the minimum")
        << QStringList{u"--min-coverage"_s, u"100"_s} << 1 << u"coverage under 100%: %1"_s;
    QTest::newRow("steps over, branches under")
        << QStringList{u"--min-coverage"_s, u"79.5"_s} << 1 << u"coverage under 79.5%: %1"_s;
}

// triage.yaml's two cases enter 4 of its 5 steps and take 3 of its 4 branches.
void TestCli::testCoverage()
{
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QString, verdict);
    const QString playbook = dataPath(u"test/pass/triage.yaml"_s);
    const CliRun run =
        runCli(QStringList{u"test"_s} + options + QStringList{dataPath(u"test/pass"_s)});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.out.contains(u"coverage:\n  %1: steps 4/5 (80%), branches 3/4 (75%)\n"
                              "    not entered: close-escalated\n"
                              "    not taken: restart → close-escalated\n"_s.arg(playbook)),
             qPrintable(run.out));
    const QStringList lines = run.out.trimmed().split(u'\n');
    if (!verdict.isEmpty())
        QCOMPARE(lines.at(lines.size() - 2), verdict.arg(playbook));
    QCOMPARE(lines.constLast(), u"2 passed, 0 failed"_s);
}

void TestCli::testBadMinimumCoverage()
{
    const CliRun run = runCli({u"test"_s, u"--min-coverage"_s, u"120"_s, dataPath(u"test/pass"_s)});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(u"--min-coverage takes a percentage from 0 to 100, not '120'"_s),
             qPrintable(run.err));
}

void TestCli::testWrongExpectation()
{
    const CliRun run =
        runCli({u"test"_s, dataPath(u"test/pass"_s), dataPath(u"test/fail/triage.test.yaml"_s)});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains(u"  FAIL  down, paged, wrongly expected as restarted  (%1:7)\n"_s.arg(
                 dataPath(u"test/fail/triage.test.yaml"_s))),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(u"    expected path: check-up → restart → close-fixed\n"
                              "      actual path:   check-up → restart → close-escalated\n"
                              "    expected outcome 'resolved', got 'escalated'\n"_s),
             qPrintable(run.out));
    QCOMPARE(lastLine(run.out), u"3 passed, 1 failed"_s);
}

void TestCli::testMissingPath()
{
    const CliRun run = runCli({u"test"_s, dataPath(u"test/nope"_s)});
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err,
             u"runlane-cli test: %1: no such file or folder\n"_s.arg(dataPath(u"test/nope"_s)));
}

void TestCli::testNoTestFiles()
{
    // A folder without tests is a mistake in the command, not a pass.
    const CliRun run = runCli({u"test"_s, dataPath(u"validate"_s)});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, u"runlane-cli test: no test files (*.test.yaml) under %1\n"_s.arg(
                          dataPath(u"validate"_s)));
}

void TestCli::testDefaultsToTheCurrentFolder()
{
    const CliRun run = runCli({u"test"_s}, dataPath(u"test/pass"_s));
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QCOMPARE(run.out,
             u"triage.test.yaml\n  PASS  up\n  PASS  down, restarted\n2 passed, 0 failed\n"_s);
}

void TestCli::testPlaybookWithErrors()
{
    const CliRun run = runCli({u"test"_s, dataPath(u"test/broken"_s)});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains(u"  FAIL  playbook %1 has errors; 1 case(s) not run\n"_s.arg(
                 dataPath(u"validate/errors.yaml"_s))),
             qPrintable(run.out));
    QCOMPARE(lastLine(run.out), u"0 passed, 1 failed"_s);
}

void TestCli::runFullWalk()
{
    const CliRun run = runCli(fullWalk());
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QCOMPARE(run.err, QString());
    QStringList entered;
    for (const QString &line : run.out.split(u'\n')) {
        if (line.startsWith(u'['))
            entered.append(line);
    }
    QCOMPARE(entered, (QStringList{
                          u"[device] look (task): Look at the node dashboard"_s,
                          u"[control-plane] check-errors (check): Errors above 5%?"_s,
                          u"[device] pick (decision): Drain the nodes or wait?"_s,
                          u"[node] drain (action): Drain the nodes"_s,
                          u"[device] second-node (check): Is the second node edge-2?"_s,
                          u"[device] announce (escalate): Tell the channel"_s,
                          u"[device] close-mitigated (end): Drained"_s,
                      }));
    QVERIFY2(run.out.contains(u"  Saved ticket = T-1\n"_s), qPrintable(run.out));
    QVERIFY2(!run.out.contains(u"DRY RUN"_s), qPrintable(run.out));
    QCOMPARE(lastLine(run.out), u"Outcome: mitigated: Reached 'Drained'"_s);
}

void TestCli::runWalks_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("expectedSteps");
    QTest::addColumn<QString>("expectedOutcome");

    QTest::newRow("else: nothing to do")
        << replaced(fullWalk(), u"check-errors="_s, u"check-errors={\"value\": 0.01}"_s)
        << QStringList{u"look"_s, u"check-errors"_s, u"close-ok"_s}
        << u"Outcome: false-alarm: Reached 'Nothing to do'"_s;
    QTest::newRow("inconclusive, answered with a step id")
        << (replaced(fullWalk(), u"check-errors="_s, u"check-errors={\"no_data\": true}"_s)
            << u"--answer"_s << u"check-errors=close-ok"_s)
        << QStringList{u"look"_s, u"check-errors"_s, u"close-ok"_s}
        << u"Outcome: false-alarm: Reached 'Nothing to do'"_s;
    QTest::newRow("action fails, on_failure")
        << replaced(fullWalk(), u"drain="_s, u"drain={\"status\": 409, \"body\": {}}"_s)
        << QStringList{u"look"_s, u"check-errors"_s, u"pick"_s, u"drain"_s, u"close-failed"_s}
        << u"Outcome: escalated: Reached 'Drain failed'"_s;
    QTest::newRow("a wait, skipped with --skip-waits")
        << (replaced(fullWalk(), u"pick="_s, u"pick=Wait"_s) << u"--skip-waits"_s)
        << QStringList{u"look"_s, u"check-errors"_s, u"pick"_s, u"pause"_s, u"close-ok"_s}
        << u"Outcome: false-alarm: Reached 'Nothing to do'"_s;
}

void TestCli::runWalks()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, expectedSteps);
    QFETCH(QString, expectedOutcome);

    const CliRun run = runCli(arguments);
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QStringList steps;
    for (const QString &line : run.out.split(u'\n')) {
        if (line.startsWith(u'['))
            steps.append(line.section(u' ', 1, 1));
    }
    QCOMPARE(steps, expectedSteps);
    QCOMPARE(lastLine(run.out), expectedOutcome);
}

void TestCli::runHeadlessRefusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("expectedExit");
    QTest::addColumn<QString>("expectedError"); // the last line of stderr

    QTest::newRow("missing answer")
        << without(fullWalk(), u"--answer"_s, u"pick="_s) << 1
        << u"runlane-cli run: step 'pick' is a decision; answer it with --answer pick=LABEL (one of: Drain, Wait)"_s;
    QTest::newRow("answer that is not an option")
        << replaced(fullWalk(), u"pick="_s, u"pick=Reboot"_s) << 1
        << u"runlane-cli run: step 'pick': step 'pick' has no option 'Reboot'; its options are: Drain, Wait"_s;
    QTest::newRow("inconclusive without an answer")
        << replaced(fullWalk(), u"check-errors="_s, u"check-errors={\"error\": \"503\"}"_s) << 1
        << u"runlane-cli run: step 'check-errors' is inconclusive; choose the way on with --answer "
           "check-errors=STEP (one of: pick, close-ok)"_s;
    // Without --result the query is sent; Prometheus cannot be reached, so the check is
    // inconclusive, and without a terminal nobody can choose the way on.
    QTest::newRow("unreachable Prometheus")
        << without(fullWalk(), u"--result"_s, u"check-errors="_s) << 1
        << u"runlane-cli run: step 'check-errors' is inconclusive; choose the way on with "
           "--answer check-errors=STEP (one of: pick, close-ok)"_s;
    QTest::newRow("task without --yes")
        << without(fullWalk(), u"--yes"_s, QString()) << 1
        << u"runlane-cli run: step 'look' is a task; complete it with --yes, "
           "or run on a terminal"_s;
    QTest::newRow("bad number input")
        << replaced(fullWalk(), u"percent="_s, u"percent=lots"_s) << 1
        << u"runlane-cli run: input 'percent': 'lots' is not a number"_s;
    QTest::newRow("number input above max")
        << replaced(fullWalk(), u"percent="_s, u"percent=101"_s) << 1
        << u"runlane-cli run: input 'percent': 101 is above the maximum 100"_s;
    QTest::newRow("input not matching its pattern")
        << replaced(fullWalk(), u"model="_s, u"model=Ranker!"_s) << 1
        << u"runlane-cli run: input 'model': 'Ranker!' does not match the pattern [a-z0-9-]+"_s;
    QTest::newRow("required input missing") << without(fullWalk(), u"--input"_s, u"model="_s) << 1
                                            << u"runlane-cli run: input 'model' is required"_s;
    QTest::newRow("unknown input")
        << (fullWalk() << u"--input"_s << u"colour=red"_s) << 1
        << u"runlane-cli run: playbook 'incident' has no input 'colour'"_s;
    QTest::newRow("list input not JSON")
        << replaced(fullWalk(), u"nodes="_s, u"nodes=edge-1,edge-2"_s) << 1
        << u"runlane-cli run: input 'nodes': expected a JSON array of text, like [\"node-1\", \"node-2\"]"_s;
    QTest::newRow("input without =")
        << replaced(fullWalk(), u"percent="_s, u"percent"_s) << 2
        << u"runlane-cli run: --input takes NAME=VALUE, not 'percent'"_s;
    QTest::newRow("result not JSON")
        << replaced(fullWalk(), u"check-errors="_s, u"check-errors=0.2"_s) << 2
        << u"runlane-cli run: --result check-errors: not a JSON object "
           "(illegal value)"_s;
    QTest::newRow("result of no known form")
        << replaced(fullWalk(), u"check-errors="_s, u"check-errors={\"count\": 1}"_s) << 2
        << u"runlane-cli run: --result check-errors: expected {\"value\": N}, {\"no_data\": true}, "
           "{\"error\": \"...\"} or {\"status\": N, \"body\": ...}"_s;
    QTest::newRow("no playbook") << QStringList{u"run"_s} << 2
                                 << u"runlane-cli run: name exactly one playbook file"_s;
    QTest::newRow("no such playbook")
        << QStringList{u"run"_s, dataPath(u"run/nope.yaml"_s)} << 2
        << u"runlane-cli run: %1: no such file"_s.arg(dataPath(u"run/nope.yaml"_s));
    QTest::newRow("playbook with errors")
        << QStringList{u"run"_s, dataPath(u"validate/errors.yaml"_s)} << 1
        << u"runlane-cli run: the playbook has errors and cannot be run"_s;
}

void TestCli::runHeadlessRefusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, expectedExit);
    QFETCH(QString, expectedError);

    const CliRun run = runCli(arguments);
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == expectedExit, qPrintable(run.out + run.err));
    QCOMPARE(lastLine(run.err), expectedError);
    QVERIFY2(!run.out.contains(u"Outcome:"_s), qPrintable(run.out));
}

void TestCli::runListInput_data()
{
    QTest::addColumn<QString>("nodes");
    QTest::addColumn<int>("expectedExit");
    QTest::addColumn<QString>("expected"); // the last line of stdout, or of stderr on failure

    QTest::newRow("JSON array") << u"[\"edge-1\",\"edge-2\"]"_s << 0
                                << u"Outcome: mitigated: Reached 'Drained'"_s;
    QTest::newRow("JSON array, other order")
        << u"[\"edge-2\",\"edge-1\"]"_s << 0 << u"Outcome: escalated: Reached 'Drain failed'"_s;
    QTest::newRow("@FILE, one item a line")
        << u"@"_s + dataPath(u"run/nodes.txt"_s) << 0 << u"Outcome: mitigated: Reached 'Drained'"_s;
    QTest::newRow("@FILE, an item off the pattern")
        << u"@"_s + dataPath(u"run/bad-nodes.txt"_s) << 1
        << u"runlane-cli run: input 'nodes': item 'node-x' does not match the pattern edge-[0-9]+"_s;
    QTest::newRow("@FILE missing")
        << u"@"_s + dataPath(u"run/none.txt"_s) << 1
        << u"runlane-cli run: input 'nodes': cannot read %1: No such file or directory"_s.arg(
               dataPath(u"run/none.txt"_s));
}

void TestCli::runListInput()
{
    QFETCH(QString, nodes);
    QFETCH(int, expectedExit);
    QFETCH(QString, expected);

    const CliRun run = runCli(replaced(fullWalk(), u"nodes="_s, u"nodes="_s + nodes));
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == expectedExit, qPrintable(run.out + run.err));
    QCOMPARE(lastLine(expectedExit == 0 ? run.out : run.err), expected);
}

void TestCli::runDryRun()
{
    QStringList arguments = without(fullWalk(), u"--result"_s, u"drain="_s);
    arguments = without(arguments, u"--result"_s, u"announce="_s);
    arguments.append(u"--dry-run"_s);
    const CliRun run = runCli(arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(
        run.out.contains(
            u"Incident started with playbook 'Edge nodes degraded' (DRY RUN: no request is sent)\n"_s),
        qPrintable(run.out));
    QVERIFY2(run.out.contains(u"  Dry run: confirmed without sending\n"_s), qPrintable(run.out));
    // The gate and the dry run show the exact request: method, URL, headers, body.
    const QString drain = u"    POST http://127.0.0.1:9/drain\n"
                          "    Idempotency-Key: %1/drain/1/0\n"
                          "\n"
                          "    {\"keep\":10}\n"_s;
    const QString incident = run.out.section(u"Incident "_s, 1, 1).section(u':', 0, 0);
    QVERIFY2(run.out.contains(u"  Dry run, not sent:\n"_s + drain.arg(incident)),
             qPrintable(run.out));
    // The webhook URL is a secret: never printed.
    QVERIFY2(run.out.contains(u"  Dry run, not sent:\n    slack.post on target 'chat' (not shown "
                              "exactly: with.text: unknown name 'vars.ticket'"_s),
             qPrintable(run.out));
    QVERIFY2(!run.out.contains(u"secret"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"[device] announce (escalate)"_s), qPrintable(run.out));
    QCOMPARE(lastLine(run.out), u"Outcome: mitigated: Reached 'Drained'"_s);
}

// Without --result an action is sent: the fleet cannot be reached, the request is retried as its
// target says, and the step fails on to its on_failure.
void TestCli::runSendsRequests()
{
    const CliRun run = runCli(without(fullWalk(), u"--result"_s, u"drain="_s));
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    // The gate shows the exact request before it is confirmed, then it is sent.
    const QString incident = run.out.section(u"Incident "_s, 1, 1).section(u':', 0, 0);
    const QString drain = u"    POST http://127.0.0.1:9/drain\n"
                          "    Idempotency-Key: %1/drain/1/0\n"
                          "\n"
                          "    {\"keep\":10}\n"_s.arg(incident);
    QVERIFY2(run.out.contains(u"  Action: http request on target 'fleet'\n"_s + drain),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(u"  Sending:\n"_s + drain), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"(after 2 attempts)"_s), qPrintable(run.out));
    QCOMPARE(lastLine(run.out), u"Outcome: escalated: Reached 'Drain failed'"_s);
}

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedStart");

    QTest::newRow("runlane-cli --help")
        << QStringList{u"--help"_s} << u"Usage: runlane-cli COMMAND"_s;
    QTest::newRow("runlane-cli -h") << QStringList{u"-h"_s} << u"Usage: runlane-cli COMMAND"_s;
    QTest::newRow("validate --help") << QStringList{u"validate"_s, u"--help"_s}
                                     << u"Usage: runlane-cli validate [options] PATH..."_s;
    QTest::newRow("test --help") << QStringList{u"test"_s, u"--help"_s}
                                 << u"Usage: runlane-cli test [options] [PATH...]"_s;
    QTest::newRow("run --help") << QStringList{u"run"_s, u"--help"_s}
                                << u"Usage: runlane-cli run [options] FILE"_s;
}

void TestCli::help()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedStart);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(expectedStart), qPrintable(run.out));
    QCOMPARE(run.err, QString());
    if (arguments.first() == u"run") {
        for (const char *option :
             {"--input", "--answer", "--result", "--dry-run", "--yes", "--skip-waits", "--db"})
            QVERIFY2(run.out.contains(QString::fromLatin1(option)), option);
    }
}

void TestCli::version()
{
    for (const QString &option : {u"--version"_s, u"-v"_s}) {
        const CliRun run = runCli({option});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, u"runlane-cli %1\n"_s.arg(QStringLiteral(RUNLANE_VERSION)));
    }
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no command") << QStringList();
    QTest::newRow("unknown command") << QStringList{u"lint"_s};
    QTest::newRow("test: unknown option") << QStringList{u"test"_s, u"--bogus"_s};
    QTest::newRow("run: unknown option")
        << QStringList{u"run"_s, u"--bogus"_s, dataPath(u"run/incident.yaml"_s)};
    QTest::newRow("run: two files") << QStringList{u"run"_s, dataPath(u"run/incident.yaml"_s),
                                                   dataPath(u"run/incident.yaml"_s)};
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
}

QString TestCli::recordedIncident()
{
    if (!m_recordId.isEmpty() || !m_recordDir.isValid())
        return m_recordId;
    m_recordDb = m_recordDir.filePath(u"journal.sqlite"_s);
    const CliRun run = runCli(fullWalk() << u"--db"_s << m_recordDb);
    if (run.exitCode != 0)
        return {};
    for (const QString &line : run.out.split(u'\n')) {
        if (line.startsWith(u"Incident "_s))
            m_recordId = line.section(u' ', 1, 1).chopped(1); // "Incident ID: ..."
    }
    return m_recordId;
}

// record-test: an incident walked by `run` with scripted results becomes a case that passes.
void TestCli::recordTest()
{
    const QString id = recordedIncident();
    QVERIFY(!id.isEmpty());
    CliRun run = runCli({u"record-test"_s, u"--db"_s, m_recordDb, id.left(8), u"--print"_s,
                         u"--name"_s, u"full walk: drained"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.err, QString());
    QCOMPARE(run.out.split(u'\n'),
             u"  - name: \"full walk: drained\"\n"
             "    inputs: {model: ranker, nodes: [edge-1, edge-2], percent: 10}\n"
             "    results:\n"
             "      check-errors: {value: 0.2}\n"
             "      drain: {status: 200, body: {ticket: T-1}}\n"
             "      second-node: {value: 1}\n"
             "      announce: {status: 200, body: ok}\n"
             "    answers:\n"
             "      pick: Drain\n"
             "    expect:\n"
             "      path: [look, check-errors, pick, drain, second-node, announce, "
             "close-mitigated]\n"
             "      outcome: mitigated\n"_s.split(u'\n'));

    // Appended to a new test file beside the playbook, then to that file again.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(dataPath(u"run/incident.yaml"_s), dir.filePath(u"incident.yaml"_s)));
    const QString testFile = dir.filePath(u"incident.test.yaml"_s);
    const QString name = u"incident "_s + id.left(8);
    run = runCli({u"record-test"_s, u"--journal"_s, m_recordDb, id, u"--out"_s, testFile});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, u"Added case '%1' to %2\n"_s.arg(name, testFile));
    const QByteArray first = readFile(testFile);
    QVERIFY(first.startsWith("playbook: incident.yaml\ncases:\n  - name: " + name.toUtf8()));
    run = runCli({u"record-test"_s, u"--db"_s, m_recordDb, id, u"-o"_s, testFile});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, u"Added case '%1 (2)' to %2\n"_s.arg(name, testFile));
    QVERIFY(readFile(testFile).startsWith(first + "\n  - name: " + name.toUtf8() + " (2)\n"));

    run = runCli({u"test"_s, testFile});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QCOMPARE(lastLine(run.out), u"2 passed, 0 failed"_s);
}

void TestCli::recordTestRefusals_data()
{
    QTest::addColumn<QStringList>("arguments"); // %DB: the journal, %ID: the incident, %DIR: temp
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");

    const QString cmd = u"record-test"_s;
    QTest::newRow("no incident") << QStringList{cmd, u"--db"_s, u"%DB"_s, u"--print"_s} << 2
                                 << u"runlane-cli record-test: name exactly one incident id\n"_s;
    QTest::newRow("two incidents")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s, u"%ID"_s, u"--print"_s} << 2
        << u"runlane-cli record-test: name exactly one incident id\n"_s;
    const QString outOrPrint = u"runlane-cli record-test: give --out TEST_FILE (the journal does "
                               "not record which file the playbook was loaded from) or --print, "
                               "not both\n"_s;
    QTest::newRow("neither --out nor --print")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s} << 2 << outOrPrint;
    QTest::newRow("--out and --print")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s, u"--print"_s, u"-o"_s, u"%DIR/x"_s} << 2
        << outOrPrint;
    QTest::newRow("an empty name")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s, u"--print"_s, u"--name"_s, u" "_s} << 2
        << u"runlane-cli record-test: --name is empty\n"_s;
    QTest::newRow("unknown option") << QStringList{cmd, u"--bogus"_s, u"%ID"_s, u"--print"_s} << 2
                                    << u"runlane-cli record-test: Unknown option 'bogus'.\n"_s;
    QTest::newRow("no such journal")
        << QStringList{cmd, u"--db"_s, u"%DIR/none.sqlite"_s, u"%ID"_s, u"--print"_s} << 2
        << u"runlane-cli record-test: no journal at %DIR/none.sqlite\n"_s;
    QTest::newRow("no such incident")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"ffff"_s, u"--print"_s} << 1
        << u"runlane-cli record-test: journal %DB: no incident ffff\n"_s;
    QTest::newRow("another playbook's test file")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s, u"--out"_s, u"%DIR/triage.test.yaml"_s}
        << 1
        << u"runlane-cli record-test: %DIR/triage.test.yaml tests playbook 'triage' "
           "(%DIR/triage.yaml); the incident walked 'incident'\n"_s;
    QTest::newRow("no playbook beside a new test file")
        << QStringList{cmd, u"--db"_s, u"%DB"_s, u"%ID"_s, u"--out"_s, u"%DIR/new.test.yaml"_s} << 1
        << u"runlane-cli record-test: no playbook 'incident' in %DIR for a new test file to "
           "name; put the test file beside the playbook\n"_s;
}

void TestCli::recordTestRefusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    const QString id = recordedIncident();
    QVERIFY(!id.isEmpty());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &file : {u"triage.yaml"_s, u"triage.test.yaml"_s})
        QVERIFY(QFile::copy(dataPath(u"test/pass/"_s + file), dir.filePath(file)));
    const QByteArray triageTests = readFile(dir.filePath(u"triage.test.yaml"_s));
    const auto fill = [&](QString text) {
        return text.replace(u"%DB"_s, m_recordDb)
            .replace(u"%ID"_s, id)
            .replace(u"%DIR"_s, dir.path());
    };
    for (QString &argument : arguments)
        argument = fill(argument);

    const CliRun run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QCOMPARE(run.err, fill(error));
    QCOMPARE(run.out, QString());
    QCOMPARE(readFile(dir.filePath(u"triage.test.yaml"_s)), triageTests);
    QVERIFY(!QFile::exists(dir.filePath(u"new.test.yaml"_s)));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
