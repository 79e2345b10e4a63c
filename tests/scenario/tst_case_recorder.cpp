#include "engine/playbook/loader.h"
#include "engine/scenario/case_recorder.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/scenario_runner.h"
#include "engine/session/session.h"

#include "scenario_test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

// Everything a test file says about a case, as one comparable text.
QString describe(const ScenarioCase &c)
{
    return u"name=%1 inputs=%2 results=%3 answers=%4 path=%5 visits=%6 outcome=%7 vars=%8"_s.arg(
        c.name, show(c.inputs), show(c.results), show(c.answers),
        c.path ? c.path->join(u',') : u"-"_s, c.visits ? c.visits->join(u',') : u"-"_s,
        c.outcome.value_or(u"-"_s), c.vars ? show(*c.vars) : u"-"_s);
}

// The error a variant holds, or nothing (QVERIFY2 evaluates its message either way).
template<class T> QString errorOf(const std::variant<T, QString> &v)
{
    const QString *error = std::get_if<QString>(&v);
    return error ? *error : QString();
}

PlaybookPtr loadPlaybook(const QString &path)
{
    const LoadResult load = loadPlaybookFile(path);
    for (const Diagnostic &d : load.diagnostics) {
        if (d.isError())
            qWarning("%s", qPrintable(d.toString()));
    }
    return load.ok() ? load.playbook : nullptr;
}

// The case a test file holds once `item` (one entry of `cases:`) is its only case.
std::optional<ScenarioCase> loadItem(const QString &folder, const QString &item)
{
    const QString path = QDir(folder).filePath(u"item.test.yaml"_s);
    if (!writeAll(path, (u"playbook: none.yaml\ncases:\n"_s + item).toUtf8()))
        return std::nullopt;
    const ScenarioLoad load = loadScenarioFile(path);
    for (const Diagnostic &d : load.diagnostics)
        qWarning("%s", qPrintable(d.toString()));
    if (!load.scenario || load.scenario->cases.size() != 1)
        return std::nullopt;
    return load.scenario->cases.constFirst();
}

// A walk of recorder/walk.yaml driven move by move, as a person and an executor would:
// "value:N", "status:N", "decide:LABEL", "choose:STEP", "confirm", "skip", "back:STEP", "abort".
std::variant<QList<Event>, QString> walk(const PlaybookPtr &playbook, const QStringList &moves,
                                         bool dryRun = false)
{
    QList<Event> events;
    qint64 now = 1'700'000'000'000;
    Session session(playbook, u"tester"_s, [&events](const Event &e) { events.append(e); },
                    {[&now] { return now += 1000; }});
    session.setDryRun(dryRun);
    session.start(u"walk-1"_s, {});
    for (const QString &move : moves) {
        const QString verb = move.section(u':', 0, 0);
        const QString arg = move.section(u':', 1);
        std::optional<QString> error;
        if (verb == u"value" || verb == u"status" || verb == u"nodata") {
            const auto work = session.beginWork();
            if (!work)
                return u"no work at '%1'"_s.arg(move);
            error = session.feed(verb == u"value"    ? WorkResult::ofValue(arg.toDouble())
                                 : verb == u"nodata" ? WorkResult::noData(u"dry run"_s)
                                                     : WorkResult::response(arg.toInt(), {}),
                                 work->token);
        } else if (verb == u"decide") {
            error = session.decide(arg);
        } else if (verb == u"choose") {
            error = session.choose(arg);
        } else if (verb == u"confirm") {
            error = session.confirmAction();
        } else if (verb == u"skip") {
            error = session.skipAction();
        } else if (verb == u"back") {
            error = session.goBack(arg);
        } else if (verb == u"abort") {
            session.abort(QString());
        } else {
            error = u"unknown move"_s;
        }
        if (error)
            return u"%1: %2"_s.arg(move, *error);
    }
    return events;
}

} // namespace

class TestCaseRecorder : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_shippedCases = 0;
    int m_roundTrips = 0;
    QElapsedTimer m_clock;

private Q_SLOTS:
    void initTestCase();
    void shippedCases_data();
    void shippedCases();
    void trickyText_data();
    void trickyText();
    void numbers();
    void shippedStyle();
    void walks_data();
    void walks();
    void refusesOtherIncidents();
    void testFileName();
    void appendKeepsBytes_data();
    void appendKeepsBytes();
    void appendCreatesFile();
    void appendRefuses_data();
    void appendRefuses();
    void appendDeduplicatesNames();
    void cleanupTestCase();
};

void TestCaseRecorder::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_clock.start();
}

void TestCaseRecorder::cleanupTestCase()
{
    qInfo("%d shipped cases recorded back from their walks, %d written as YAML and read back, "
          "in %lld ms",
          m_shippedCases, m_roundTrips, qint64(m_clock.elapsed()));
}

// Every case of every shipped test file: walked by the runner, recorded from that walk, run
// again; the recorded case and the shipped one each read back from their YAML unchanged.
void TestCaseRecorder::shippedCases_data()
{
    QTest::addColumn<QString>("testFile");
    QTest::addColumn<int>("index");
    const QDir playbooks(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    const QStringList files = playbooks.entryList({u"*.test.yaml"_s}, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &name : files) {
        const ScenarioLoad load = loadScenarioFile(playbooks.filePath(name));
        QVERIFY2(load.scenario, qPrintable(name));
        for (qsizetype i = 0; i < load.scenario->cases.size(); ++i)
            QTest::addRow("%s: %s", qPrintable(name), qPrintable(load.scenario->cases.at(i).name))
                << playbooks.filePath(name) << int(i);
    }
}

void TestCaseRecorder::shippedCases()
{
    QFETCH(QString, testFile);
    QFETCH(int, index);
    const ScenarioLoad load = loadScenarioFile(testFile);
    QVERIFY(load.scenario);
    const ScenarioCase shipped = load.scenario->cases.at(index);
    const PlaybookPtr playbook = loadPlaybook(load.scenario->playbookFile);
    QVERIFY(playbook);

    const CaseResult walked = runScenarioCase(playbook, shipped);
    QVERIFY2(walked.passed, qPrintable(walked.failures.join(u'\n')));
    const auto recorded = recordCase(*playbook, walked.events, shipped.name);
    QVERIFY2(std::holds_alternative<RecordedCase>(recorded), qPrintable(errorOf(recorded)));
    const RecordedCase &r = std::get<RecordedCase>(recorded);
    QCOMPARE(r.warnings, QStringList());
    QCOMPARE(r.scenarioCase.path, std::optional<QStringList>(walked.actualPath));
    QCOMPARE(r.scenarioCase.outcome, walked.actualOutcome);

    const CaseResult again = runScenarioCase(playbook, r.scenarioCase);
    QVERIFY2(again.passed, qPrintable(again.failures.join(u'\n')));
    QCOMPARE(again.actualPath, walked.actualPath);
    QCOMPARE(again.actualOutcome, walked.actualOutcome);
    ++m_shippedCases;

    for (const ScenarioCase &c : {r.scenarioCase, shipped}) {
        const auto read = loadItem(m_dir.path(), caseToYaml(c));
        QVERIFY(read);
        QCOMPARE(describe(*read), describe(c));
        ++m_roundTrips;
    }
}

// Text YAML would read as something else, in every place a case holds text.
void TestCaseRecorder::trickyText_data()
{
    QTest::addColumn<QString>("text");
    // clang-format off
    const char16_t *const texts[] = {
        u"yes", u"No", u"off", u"true", u"False", u"null", u"~", u"", u"1.0", u"007", u"2.0",
        u"1e3", u".5", u"-1", u"+1", u"0x1F", u".inf", u".NaN", u"2024-05-01", u"1:30", u"a: b",
        u"a:b", u"x:", u":", u"# x", u"a #b", u"a#b", u"- item", u"-", u"---", u"...", u"? key",
        u"{x}", u"[1]", u"a, b", u"a]b", u"key: {v}", u"*alias", u"&anchor", u"!tag", u"|", u">",
        u"%TAG", u"@at", u"`tick`", u"'single'", u"\"double\"", u"it's", u"say \"hi\"",
        u"back\\slash", u" lead", u"trail ", u"tab\there", u"line1\nline2", u"line\n", u"cr\r\nlf",
        u"bell\a", u"<<", u"=", u"50%", u"é → … ✓", u"emoji 😀", u"sep\u2028x", u"nbsp\u00a0x",
        u"Hand over: data team"};
    // clang-format on
    for (const char16_t *t : texts)
        QTest::addRow("%s", qPrintable(show(QString::fromUtf16(t)))) << QString::fromUtf16(t);
}

void TestCaseRecorder::trickyText()
{
    QFETCH(QString, text);
    ScenarioCase c;
    c.name = text.isEmpty() ? u"empty"_s : text;
    c.inputs = {{u"given"_s, text}, {u"list"_s, QJsonArray{text, text}}};
    QJsonObject body{{u"text"_s, text}, {u"nested"_s, QJsonObject{{u"list"_s, QJsonArray{text}}}}};
    if (!text.isEmpty())
        body.insert(text, text); // as a key too
    c.results = {{u"probe"_s, QJsonObject{{u"status"_s, 200}, {u"body"_s, body}}},
                 {u"err"_s, QJsonObject{{u"error"_s, text}}}};
    c.answers = {{u"pick"_s, text}};
    c.path = QStringList{u"probe"_s, u"pick"_s};
    c.outcome = u"resolved"_s;
    c.vars = QJsonObject{{u"saved"_s, text}};
    const QString yaml = caseToYaml(c);
    const auto read = loadItem(m_dir.path(), yaml);
    QVERIFY2(read, qPrintable(yaml));
    QCOMPARE(describe(*read), describe(c));

    // A body too long for one line goes on lines, and still reads back.
    c.results = {{u"probe"_s, QJsonObject{{u"status"_s, 200},
                                          {u"body"_s, QJsonArray{body, body, body, text,
                                                                 QJsonArray{text, body}}}}}};
    const QString longer = caseToYaml(c);
    const auto readLonger = loadItem(m_dir.path(), longer);
    QVERIFY2(readLonger, qPrintable(longer));
    QCOMPARE(describe(*readLonger), describe(c));
}

void TestCaseRecorder::numbers()
{
    ScenarioCase c;
    c.name = u"numbers"_s;
    const QJsonArray values{
        0, 0.41, -3, 1e20, 1.5e-7, 0.1 + 0.2, 1e15, 2e-5, 9007199254740993.0, -0.0, 123456.789};
    c.results = {{u"check"_s, QJsonObject{{u"value"_s, 0.41}}},
                 {u"probe"_s,
                  QJsonObject{{u"status"_s, 503}, {u"body"_s, values}, {u"elapsed_ms"_s, 1234}}}};
    c.path = QStringList{u"check"_s};
    const QString yaml = caseToYaml(c);
    const auto read = loadItem(m_dir.path(), yaml);
    QVERIFY2(read, qPrintable(yaml));
    QCOMPARE(describe(*read), describe(c));
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(read->results.value(u"probe"_s)[u"body"_s][i].toDouble(), values.at(i).toDouble());
}

// The layout of the shipped files: results and answers in the order the path meets them, a
// result's keys in the order people write them, small values on one line.
void TestCaseRecorder::shippedStyle()
{
    ScenarioCase c;
    c.name = u"failing requests, reload works"_s;
    c.inputs = {{u"instance"_s, u"edge-17:8002"_s}};
    c.results = {
        {u"reload-model"_s, QJsonObject{{u"status"_s, 200}, {u"body"_s, u"ok"_s}}},
        {u"check-failures"_s, QJsonObject{{u"value"_s, 0.8}}},
        {u"demote"_s,
         QJsonObject{
             {u"status"_s, 200},
             {u"body"_s, QJsonObject{{u"status"_s, QJsonObject{{u"latestRolledoutRevision"_s,
                                                                u"ranker-predictor-00041"_s},
                                                               {u"latestCreatedRevision"_s,
                                                                u"ranker-predictor-00042"_s}}}}}}}};
    c.answers = {{u"choose-fix"_s, u"Reload the model, then watch"_s}};
    c.path = QStringList{u"check-failures"_s, u"look-at-cameras"_s, u"choose-fix"_s,
                         u"reload-model"_s,   u"demote"_s,          u"close-fixed"_s};
    c.outcome = u"resolved"_s;
    // Line by line, so that a difference names its line.
    QCOMPARE(caseToYaml(c).split(u'\n'),
             u"  - name: failing requests, reload works\n"
             "    inputs: {instance: \"edge-17:8002\"}\n"
             "    results:\n"
             "      check-failures: {value: 0.8}\n"
             "      reload-model: {status: 200, body: ok}\n"
             "      demote:\n"
             "        status: 200\n"
             "        body:\n"
             "          status:\n"
             "            latestCreatedRevision: ranker-predictor-00042\n"
             "            latestRolledoutRevision: ranker-predictor-00041\n"
             "    answers:\n"
             "      choose-fix: Reload the model, then watch\n"
             "    expect:\n"
             "      path: [check-failures, look-at-cameras, choose-fix, reload-model, demote, "
             "close-fixed]\n"
             "      outcome: resolved\n"_s.split(u'\n'));
}

// Walks that a case cannot repeat move for move: what is recorded, and what it warns of.
void TestCaseRecorder::walks_data()
{
    QTest::addColumn<QStringList>("moves");
    QTest::addColumn<bool>("dryRun");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<QString>("outcome"); // empty: none
    QTest::addColumn<QString>("results");
    QTest::addColumn<QString>("answers");
    QTest::addColumn<QStringList>("warnings"); // the start of each, in order
    QTest::addColumn<bool>("passes");

    QTest::newRow("straight")
        << QStringList{u"value:2"_s, u"decide:Restart"_s, u"confirm"_s, u"status:200"_s} << false
        << QStringList{u"check"_s, u"choose"_s, u"restart"_s, u"close-fixed"_s} << u"resolved"_s
        << u"{\"check\":{\"value\":2},\"restart\":{\"status\":200}}"_s
        << u"{\"choose\":\"Restart\"}"_s << QStringList() << true;
    QTest::newRow("went back from the gate, handed over")
        << QStringList{u"value:2"_s, u"decide:Restart"_s, u"back:choose"_s,
                       u"decide:Hand over: data team"_s}
        << false << QStringList{u"check"_s, u"choose"_s, u"close-handed"_s} << u"escalated"_s
        << u"{\"check\":{\"value\":2}}"_s << u"{\"choose\":\"Hand over: data team\"}"_s
        << QStringList{u"the walk went back from 'restart' to 'choose'; a case cannot go back"_s}
        << true;
    QTest::newRow("went back to the start, read again")
        << QStringList{u"value:2"_s, u"back:check"_s, u"value:0"_s} << false
        << QStringList{u"check"_s, u"close-fine"_s} << u"false-alarm"_s
        << u"{\"check\":{\"value\":0}}"_s << u"{}"_s
        << QStringList{u"the walk went back from 'choose' to 'check'"_s} << true;
    QTest::newRow("not ended")
        << QStringList{u"value:2"_s} << false << QStringList{u"check"_s, u"choose"_s} << QString()
        << u"{\"check\":{\"value\":2}}"_s << u"{}"_s
        << QStringList{u"the incident has not ended (it is at step 'choose'): the case has no "
                       "outcome"_s}
        << false;
    QTest::newRow("ended by hand")
        << QStringList{u"value:2"_s, u"abort"_s} << false << QStringList{u"check"_s, u"choose"_s}
        << u"aborted"_s << u"{\"check\":{\"value\":2}}"_s << u"{}"_s
        << QStringList{u"the incident was ended by hand at step 'choose' (aborted)"_s,
                       u"as recorded, the case does not pass: step 'choose' is a decision and "
                       "the case gives no answer for it"_s}
        << false;
    QTest::newRow("action skipped at its gate")
        << QStringList{u"value:2"_s, u"decide:Restart"_s, u"skip"_s} << false
        << QStringList{u"check"_s, u"choose"_s, u"restart"_s, u"close-fixed"_s} << u"resolved"_s
        << u"{\"check\":{\"value\":2},\"restart\":{\"status\":200}}"_s
        << u"{\"choose\":\"Restart\"}"_s
        << QStringList{u"action 'restart' was skipped at its gate"_s} << true;
    QTest::newRow("action failed, tried again")
        << QStringList{u"value:2"_s,        u"decide:Restart"_s, u"confirm"_s,   u"status:500"_s,
                       u"choose:restart"_s, u"confirm"_s,        u"status:200"_s}
        << false
        << QStringList{u"check"_s, u"choose"_s, u"restart"_s, u"restart"_s, u"close-fixed"_s}
        << u"resolved"_s << u"{\"check\":{\"value\":2},\"restart\":{\"status\":200}}"_s
        << u"{\"choose\":\"Restart\",\"restart\":\"restart\"}"_s
        << QStringList{u"step 'restart' saw different results on its visits (HTTP 500, then "
                       "HTTP 200); a case gives a step one result, so it has the last"_s,
                       u"as recorded, the case does not pass: expected path: check → choose → "
                       "restart → restart → close-fixed actual path: check → choose → restart → "
                       "close-fixed"_s}
        << false;
    QTest::newRow("dry run") << QStringList{u"nodata"_s, u"choose:choose"_s, u"decide:Restart"_s,
                                            u"status:0"_s}
                             << true
                             << QStringList{u"check"_s, u"choose"_s, u"restart"_s, u"close-fixed"_s}
                             << u"resolved"_s
                             << u"{\"check\":{\"no_data\":true},\"restart\":{\"status\":200}}"_s
                             << u"{\"check\":\"choose\",\"choose\":\"Restart\"}"_s
                             << QStringList{u"the incident was a dry run: nothing was sent"_s}
                             << true;
}

void TestCaseRecorder::walks()
{
    QFETCH(QStringList, moves);
    QFETCH(bool, dryRun);
    QFETCH(QStringList, path);
    QFETCH(QString, outcome);
    QFETCH(QString, results);
    QFETCH(QString, answers);
    QFETCH(QStringList, warnings);
    QFETCH(bool, passes);

    const PlaybookPtr playbook = loadPlaybook(dataFile(u"recorder/walk.yaml"_s));
    QVERIFY(playbook);
    const auto walked = walk(playbook, moves, dryRun);
    QVERIFY2(std::holds_alternative<QList<Event>>(walked), qPrintable(errorOf(walked)));
    const auto recorded = recordCase(*playbook, std::get<QList<Event>>(walked), u"a walk"_s);
    QVERIFY2(std::holds_alternative<RecordedCase>(recorded), qPrintable(errorOf(recorded)));
    const RecordedCase &r = std::get<RecordedCase>(recorded);
    const ScenarioCase &c = r.scenarioCase;
    QCOMPARE(c.name, u"a walk"_s);
    QCOMPARE(c.path, std::optional<QStringList>(path));
    QCOMPARE(c.outcome.value_or(QString()), outcome);
    QCOMPARE(show(c.results), results);
    QCOMPARE(show(c.answers), answers);
    QCOMPARE(r.warnings.size(), warnings.size());
    for (qsizetype i = 0; i < warnings.size(); ++i)
        QVERIFY2(r.warnings.at(i).startsWith(warnings.at(i)), qPrintable(r.warnings.at(i)));
    QCOMPARE(runScenarioCase(playbook, c).passed, passes);
}

void TestCaseRecorder::refusesOtherIncidents()
{
    const PlaybookPtr playbook = loadPlaybook(dataFile(u"recorder/walk.yaml"_s));
    QVERIFY(playbook);
    const auto events = std::get<QList<Event>>(walk(playbook, {u"value:0"_s}));

    auto recorded = recordCase(*playbook, {}, u"x"_s);
    QCOMPARE(std::get<QString>(recorded), u"the events do not begin with the incident's start"_s);
    recorded = recordCase(*playbook, events, u" "_s);
    QCOMPARE(std::get<QString>(recorded), u"a test case needs a name"_s);

    Playbook other = *playbook;
    other.id.value = u"another"_s;
    recorded = recordCase(other, events, u"x"_s);
    QCOMPARE(std::get<QString>(recorded),
             u"the incident walked playbook 'recorder-walk', not 'another'"_s);
    other.id.value = u"recorder-walk"_s;
    other.steps.removeIf([](const Step &s) { return s.id.value == u"close-fine"; });
    recorded = recordCase(other, events, u"x"_s);
    QCOMPARE(std::get<QString>(recorded),
             u"the incident entered step 'close-fine', which playbook 'recorder-walk' does not "
             "have"_s);
}

void TestCaseRecorder::testFileName()
{
    QCOMPARE(testFileFor(u"/lib/canary.yaml"_s), u"/lib/canary.test.yaml"_s);
    QCOMPARE(testFileFor(u"/lib/canary.yml"_s), u"/lib/canary.test.yaml"_s);
    QCOMPARE(testFileFor(u"canary"_s), u"canary.test.yaml"_s);
}

// An existing file keeps every byte; the case goes at the end, at the column of its neighbours.
void TestCaseRecorder::appendKeepsBytes_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("separator"); // what goes between the old bytes and the case

    const QByteArray shipped =
        readAll(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/triton-model-not-ready.test.yaml"))
            .replace("playbook: triton-model-not-ready.yaml", "playbook: walk.yaml");
    QVERIFY(shipped.endsWith('\n'));
    const QByteArray one = "# yaml-language-server: $schema=x.json\n"
                           "playbook: walk.yaml   # the one beside\n"
                           "cases:\n"
                           "  - name: first\n"
                           "    results: {check: {value: 0}}\n"
                           "    expect: {outcome: false-alarm}\n";
    QTest::newRow("a shipped file") << shipped << QByteArray("\n");
    QTest::newRow("no newline at the end") << one.chopped(1) << QByteArray("\n\n");
    QTest::newRow("a blank line at the end") << one + "\n" << QByteArray();
    QTest::newRow("a comment at the end") << one + "\n# more cases below\n" << QByteArray("\n");
    QTest::newRow("items at column 0")
        << QByteArray("playbook: walk.yaml\ncases:\n- name: first\n  results: {check: {value: "
                      "0}}\n  expect: {outcome: false-alarm}\n")
        << QByteArray("\n");
    QByteArray crlf = one;
    crlf.replace("\n", "\r\n");
    QTest::newRow("CRLF line ends") << crlf << QByteArray("\r\n");
}

void TestCaseRecorder::appendKeepsBytes()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, separator);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString playbookFile = dir.filePath(u"walk.yaml"_s);
    QVERIFY(QFile::copy(dataFile(u"recorder/walk.yaml"_s), playbookFile));
    const QString testFile = dir.filePath(u"walk.test.yaml"_s);
    QVERIFY(writeAll(testFile, before));
    const ScenarioLoad earlier = loadScenarioFile(testFile);
    QVERIFY(earlier.scenario);

    ScenarioCase c;
    c.name = u"recorded: \"the\" walk"_s;
    c.inputs = {{u"note"_s, u"a: b\nc"_s}};
    c.results = {{u"check"_s, QJsonObject{{u"value"_s, 2}}}};
    c.answers = {{u"choose"_s, u"Hand over: data team"_s}};
    c.path = QStringList{u"check"_s, u"choose"_s, u"close-handed"_s};
    c.outcome = u"escalated"_s;
    QString written;
    const auto error = appendCaseToTestFile(testFile, playbookFile, c, &written);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(written, c.name);

    const QByteArray after = readAll(testFile);
    QVERIFY(after.startsWith(before + separator));
    QVERIFY(after.endsWith('\n'));
    QCOMPARE(after.contains("\r\n"), before.contains("\r\n"));
    if (before.contains("\r\n"))
        QCOMPARE(after.count("\r\n"), after.count("\n"));
    const ScenarioLoad load = loadScenarioFile(testFile);
    QVERIFY(load.scenario);
    QCOMPARE(load.scenario->cases.size(), earlier.scenario->cases.size() + 1);
    for (qsizetype i = 0; i < earlier.scenario->cases.size(); ++i)
        QCOMPARE(describe(load.scenario->cases.at(i)), describe(earlier.scenario->cases.at(i)));
    QCOMPARE(describe(load.scenario->cases.constLast()), describe(c));
}

void TestCaseRecorder::appendCreatesFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(u"lib/tests"_s));
    const QString playbookFile = dir.filePath(u"lib/walk.yaml"_s);
    QVERIFY(QFile::copy(dataFile(u"recorder/walk.yaml"_s), playbookFile));
    const PlaybookPtr playbook = loadPlaybook(playbookFile);
    const auto events = std::get<QList<Event>>(walk(playbook, {u"value:0"_s}));
    const RecordedCase r = std::get<RecordedCase>(recordCase(*playbook, events, u"fine"_s));

    for (const QString &testFile :
         {testFileFor(playbookFile), dir.filePath(u"lib/tests/walk.test.yaml"_s)}) {
        const auto error = appendCaseToTestFile(testFile, playbookFile, r.scenarioCase);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        const QString relative =
            testFile.contains(u"/tests/"_s) ? u"../walk.yaml"_s : u"walk.yaml"_s;
        QCOMPARE(QString::fromUtf8(readAll(testFile)),
                 u"playbook: %1\ncases:\n"_s.arg(relative) + caseToYaml(r.scenarioCase));
        const ScenarioLoad load = loadScenarioFile(testFile);
        QVERIFY(load.scenario);
        QCOMPARE(load.scenario->playbookFile, QDir::cleanPath(playbookFile));
        QCOMPARE(load.scenario->cases.size(), 1);
        QVERIFY(runScenarioCase(playbook, load.scenario->cases.constFirst()).passed);
    }
}

void TestCaseRecorder::appendRefuses_data()
{
    QTest::addColumn<QByteArray>("before"); // empty: no file
    QTest::addColumn<QString>("testFile");
    QTest::addColumn<QString>("expected"); // %1: the test file, %2: the folder

    const QByteArray good = "playbook: walk.yaml\ncases:\n  - name: first\n"
                            "    expect: {outcome: resolved}\n";
    QTest::newRow("another playbook's file")
        << QByteArray(good).replace("walk.yaml", "other.yaml") << u"walk.test.yaml"_s
        << u"%1 tests %2/other.yaml, not %2/walk.yaml"_s;
    QTest::newRow("cases as a flow list")
        << QByteArray("playbook: walk.yaml\ncases: [{name: first, expect: {outcome: resolved}}]\n")
        << u"walk.test.yaml"_s
        << u"%1 does not end with a 'cases:' list a case can be appended to: 'cases' is not a "
           "list written on lines"_s;
    QTest::newRow("a key after the cases")
        << QByteArray("cases:\n  - name: first\n    expect: {outcome: resolved}\n"
                      "playbook: walk.yaml\n")
        << u"walk.test.yaml"_s
        << u"%1 does not end with a 'cases:' list a case can be appended to: 'cases:' is not "
           "its last key"_s;
    QTest::newRow("a flow map")
        << QByteArray("{playbook: walk.yaml, cases: [{name: a, expect: {outcome: resolved}}]}\n")
        << u"walk.test.yaml"_s
        << u"%1 does not end with a 'cases:' list a case can be appended to: it is not a YAML "
           "map written on lines"_s;
    QTest::newRow("does not load")
        << QByteArray("playbook: walk.yaml\ncases:\n  - name: first\n    expect: {}\n")
        << u"walk.test.yaml"_s
        << u"%1 does not load; fix it before adding a case: %1:4:13: error: 'expect' of case "
           "'first' names nothing to check; give 'path', 'visits', 'outcome' or 'vars'"_s;
    QTest::newRow("no such folder") << QByteArray() << u"missing/walk.test.yaml"_s
                                    << u"cannot create %1: there is no folder %2/missing"_s;
}

void TestCaseRecorder::appendRefuses()
{
    QFETCH(QByteArray, before);
    QFETCH(QString, testFile);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString playbookFile = dir.filePath(u"walk.yaml"_s);
    QVERIFY(QFile::copy(dataFile(u"recorder/walk.yaml"_s), playbookFile));
    const QString path = dir.filePath(testFile);
    if (!before.isEmpty())
        QVERIFY(writeAll(path, before));
    ScenarioCase c;
    c.name = u"new"_s;
    c.outcome = u"resolved"_s;
    const auto error = appendCaseToTestFile(path, playbookFile, c);
    QCOMPARE(error.value_or(QString()),
             expected.replace(u"%1"_s, path).replace(u"%2"_s, dir.path()));
    QCOMPARE(readAll(path), before);
}

void TestCaseRecorder::appendDeduplicatesNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString playbookFile = dir.filePath(u"walk.yaml"_s);
    QVERIFY(QFile::copy(dataFile(u"recorder/walk.yaml"_s), playbookFile));
    const QString testFile = testFileFor(playbookFile);
    ScenarioCase c;
    c.name = u"night of the 4th"_s;
    c.outcome = u"resolved"_s;
    QStringList names;
    for (int i = 0; i < 3; ++i) {
        QString written;
        QCOMPARE(appendCaseToTestFile(testFile, playbookFile, c, &written), std::nullopt);
        names.append(written);
    }
    QCOMPARE(names, (QStringList{u"night of the 4th"_s, u"night of the 4th (2)"_s,
                                 u"night of the 4th (3)"_s}));
    const ScenarioLoad load = loadScenarioFile(testFile);
    QVERIFY(load.scenario);
    QStringList loaded;
    for (const ScenarioCase &sc : load.scenario->cases)
        loaded.append(sc.name);
    QCOMPARE(loaded, names);
}

QTEST_GUILESS_MAIN(TestCaseRecorder)
#include "tst_case_recorder.moc"
