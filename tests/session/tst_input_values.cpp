#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

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

const char kPlaybook[] = R"(runlane: 1
id: inputs-test
title: Inputs
inputs:
  model: {prompt: Model, type: string, pattern: '[a-z]+'}
  percent: {prompt: Percent, type: number, default: 10, min: 0, max: 100}
  region: {prompt: Region, type: choice, choices: [eu-west-1, us-east-1], default: eu-west-1}
  nodes: {prompt: Nodes, type: list, default: [], pattern: 'node-[0-9]+'}
  backup: {prompt: Backup taken, type: boolean, default: false}
  note: {prompt: Note, type: string, default: 5}
start: close
steps:
  - {id: close, type: end, title: Close, outcome: resolved}
)";

} // namespace

class TestInputValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parseInputText_data();
    void parseInputText();
    void checkInputs_data();
    void checkInputs();

private:
    PlaybookPtr m_playbook;
};

void TestInputValues::initTestCase()
{
    const LoadResult load = loadPlaybookText(QByteArray(kPlaybook), u"inputs.yaml"_s);
    for (const Diagnostic &d : load.diagnostics)
        qWarning("%s", qPrintable(d.toString()));
    QVERIFY(load.ok());
    m_playbook = load.playbook;
}

void TestInputValues::parseInputText_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // the value as JSON, or "error: message"

    const int number = int(InputType::Number);
    const int boolean = int(InputType::Boolean);
    const int list = int(InputType::List);
    const int string = int(InputType::String);
    const int choice = int(InputType::Choice);

    QTest::newRow("number") << number << u"42"_s << u"42"_s;
    QTest::newRow("number, decimal with spaces") << number << u" 0.25 "_s << u"0.25"_s;
    QTest::newRow("number, negative exponent") << number << u"-1e3"_s << u"-1000"_s;
    QTest::newRow("number, text") << number << u"ten"_s << u"error: 'ten' is not a number"_s;
    QTest::newRow("number, empty") << number << QString() << u"error: '' is not a number"_s;
    QTest::newRow("number, trailing text")
        << number << u"10%"_s << u"error: '10%' is not a number"_s;
    QTest::newRow("number, infinite") << number << u"inf"_s << u"error: 'inf' is not a number"_s;
    QTest::newRow("number, nan") << number << u"nan"_s << u"error: 'nan' is not a number"_s;
    QTest::newRow("boolean true") << boolean << u"true"_s << u"true"_s;
    QTest::newRow("boolean TRUE") << boolean << u"TRUE"_s << u"true"_s;
    QTest::newRow("boolean yes") << boolean << u"yes"_s << u"true"_s;
    QTest::newRow("boolean y") << boolean << u"y"_s << u"true"_s;
    QTest::newRow("boolean false") << boolean << u"false"_s << u"false"_s;
    QTest::newRow("boolean No") << boolean << u" No "_s << u"false"_s;
    QTest::newRow("boolean n") << boolean << u"n"_s << u"false"_s;
    QTest::newRow("boolean 1") << boolean << u"1"_s << u"error: '1' is not true or false"_s;
    QTest::newRow("boolean maybe")
        << boolean << u"maybe"_s << u"error: 'maybe' is not true or false"_s;
    QTest::newRow("list") << list << u"[\"node-1\", \"node-2\"]"_s << u"[\"node-1\",\"node-2\"]"_s;
    QTest::newRow("list, empty") << list << u"[]"_s << u"[]"_s;
    QTest::newRow("list of numbers parses; checkInputs refuses it")
        << list << u"[1, 2]"_s << u"[1,2]"_s;
    const QString notAList =
        u"error: expected a JSON array of text, like [\"node-1\", \"node-2\"]"_s;
    QTest::newRow("list, comma separated") << list << u"node-1,node-2"_s << notAList;
    QTest::newRow("list, an object") << list << u"{\"a\": 1}"_s << notAList;
    QTest::newRow("list, broken JSON") << list << u"[\"node-1\""_s << notAList;
    QTest::newRow("string kept as typed") << string << u" ranker "_s << u"\" ranker \""_s;
    QTest::newRow("string that looks like a number") << string << u"42"_s << u"\"42\""_s;
    QTest::newRow("choice") << choice << u"eu-west-1"_s << u"\"eu-west-1\""_s;
}

void TestInputValues::parseInputText()
{
    QFETCH(int, type);
    QFETCH(QString, text);
    QFETCH(QString, expected);

    Input input;
    input.name = LString(u"x"_s);
    input.type = Located<InputType>(InputType(type));
    const auto parsed = runlane::parseInputText(input, text);
    if (const auto *error = std::get_if<QString>(&parsed)) {
        QCOMPARE(u"error: "_s + *error, expected);
        return;
    }
    QCOMPARE(show(std::get<QJsonValue>(parsed)), expected);
}

void TestInputValues::checkInputs_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("expectedValues");       // JSON object, when there is no problem
    QTest::addColumn<QStringList>("expectedProblems"); // "input: message"

    const QString defaults =
        uR"({"backup":false,"model":"%1","nodes":[],"note":"5","percent":10,"region":"eu-west-1"})"_s;
    QTest::newRow("defaults applied")
        << u"{\"model\": \"ranker\"}"_s << defaults.arg(u"ranker"_s) << QStringList();
    QTest::newRow("all given") << uR"({"model": "abc", "percent": 100, "region": "us-east-1",
                                      "nodes": ["node-1", "node-22"], "backup": true, "note": "hi"})"_s
                               << uR"({"backup":true,"model":"abc","nodes":["node-1","node-22"],)"
                                  uR"("note":"hi","percent":100,"region":"us-east-1"})"_s
                               << QStringList();
    QTest::newRow("min is allowed")
        << u"{\"model\": \"a\", \"percent\": 0}"_s
        << defaults.arg(u"a"_s).replace(u"\"percent\":10"_s, u"\"percent\":0"_s) << QStringList();
    QTest::newRow("required missing")
        << u"{}"_s << QString() << QStringList{u"model: input 'model' is required"_s};
    QTest::newRow("unknown name") << u"{\"model\": \"a\", \"colour\": \"red\"}"_s << QString()
                                  << QStringList{
                                         u"colour: playbook 'inputs-test' has no input 'colour'"_s};
    QTest::newRow("pattern must match the whole value")
        << u"{\"model\": \"ranker-2\"}"_s << QString()
        << QStringList{u"model: input 'model': 'ranker-2' does not match the pattern [a-z]+"_s};
    QTest::newRow("pattern: a match inside is not enough")
        << u"{\"model\": \"2ranker\"}"_s << QString()
        << QStringList{u"model: input 'model': '2ranker' does not match the pattern [a-z]+"_s};
    QTest::newRow("below min") << u"{\"model\": \"a\", \"percent\": -1}"_s << QString()
                               << QStringList{
                                      u"percent: input 'percent': -1 is below the minimum 0"_s};
    QTest::newRow("above max")
        << u"{\"model\": \"a\", \"percent\": 100.5}"_s << QString()
        << QStringList{u"percent: input 'percent': 100.5 is above the maximum 100"_s};
    QTest::newRow("number given as text")
        << u"{\"model\": \"a\", \"percent\": \"10\"}"_s << QString()
        << QStringList{u"percent: input 'percent': expected a number"_s};
    QTest::newRow("not a choice")
        << u"{\"model\": \"a\", \"region\": \"eu-west-2\"}"_s << QString()
        << QStringList{
               u"region: input 'region': 'eu-west-2' is not one of: eu-west-1, us-east-1"_s};
    QTest::newRow("choice given as a number")
        << u"{\"model\": \"a\", \"region\": 1}"_s << QString()
        << QStringList{
               u"region: input 'region': '(not text)' is not one of: eu-west-1, us-east-1"_s};
    QTest::newRow("list item pattern")
        << u"{\"model\": \"a\", \"nodes\": [\"node-1\", \"node-x\"]}"_s << QString()
        << QStringList{
               u"nodes: input 'nodes': item 'node-x' does not match the pattern node-[0-9]+"_s};
    QTest::newRow("list of numbers")
        << u"{\"model\": \"a\", \"nodes\": [1]}"_s << QString()
        << QStringList{u"nodes: input 'nodes': expected a list of text"_s};
    QTest::newRow("list given as text")
        << u"{\"model\": \"a\", \"nodes\": \"node-1\"}"_s << QString()
        << QStringList{u"nodes: input 'nodes': expected a list of text"_s};
    QTest::newRow("boolean given as text")
        << u"{\"model\": \"a\", \"backup\": \"yes\"}"_s << QString()
        << QStringList{u"backup: input 'backup': expected true or false"_s};
    QTest::newRow("all problems at once")
        << u"{\"colour\": \"red\", \"percent\": 500, \"region\": \"mars\", \"nodes\": [\"x\"]}"_s
        << QString()
        << QStringList{u"colour: playbook 'inputs-test' has no input 'colour'"_s,
                       u"model: input 'model' is required"_s,
                       u"percent: input 'percent': 500 is above the maximum 100"_s,
                       u"region: input 'region': 'mars' is not one of: eu-west-1, us-east-1"_s,
                       u"nodes: input 'nodes': item 'x' does not match the pattern node-[0-9]+"_s};
}

void TestInputValues::checkInputs()
{
    QFETCH(QString, given);
    QFETCH(QString, expectedValues);
    QFETCH(QStringList, expectedProblems);

    const QJsonValue givenValue = json(given);
    QVERIFY(givenValue.isObject());
    const auto checked = runlane::checkInputs(*m_playbook, givenValue.toObject());
    QStringList problems;
    if (const auto *list = std::get_if<QList<InputProblem>>(&checked)) {
        for (const InputProblem &p : *list)
            problems.append(u"%1: %2"_s.arg(p.input, p.message));
    }
    QCOMPARE(problems, expectedProblems);
    if (expectedProblems.isEmpty())
        QCOMPARE(show(std::get<QJsonObject>(checked)), expectedValues);
}

QTEST_GUILESS_MAIN(TestInputValues)
#include "tst_input_values.moc"
