#include "engine/expr/escape.h"
#include "engine/expr/template.h"
#include "engine/expr/valuetext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using runlane::expr::Error;
using runlane::expr::Escape;
using runlane::expr::NameRef;
using runlane::expr::Scope;
using runlane::expr::Template;

Q_DECLARE_METATYPE(runlane::expr::Escape)

namespace {

const char kScope[] = R"({
    "inputs": {
        "model": "ranker",
        "percent": 10,
        "ratio": 0.25,
        "big": 1e20,
        "neg": -7,
        "small": 1.5e-7,
        "tenth": 0.1,
        "nodes": ["n1", "n2"],
        "path": "a/b",
        "spaced": "a b&c=d+e#f?g",
        "unicode": "café ✓",
        "lines": "one\ntwo\tthree\r",
        "ctl": "\u0001\u001f\b\f",
        "dot": ".",
        "dots": "..",
        "empty": "",
        "flag": true,
        "nothing": null,
        "meta": {"a": 1, "b": [true, null]},
        "tilde": "a-b_c.d~e"
    },
    "vars": {"previous": "v1.2"},
    "incident": {"id": "inc-42", "started_at": "2024-05-01T10:00:00Z"},
    "node": "edge-01.local:8080"
})";

Scope scope()
{
    Scope scope = QJsonDocument::fromJson(kScope).object();
    // Set here rather than in kScope: moc misreads a backslash before a quote in a raw string.
    QJsonObject inputs = scope.value(u"inputs"_s).toObject();
    inputs.insert(u"quote"_s, u"say \"hi\"\\ok"_s);
    scope.insert(u"inputs"_s, inputs);
    return scope;
}

QJsonValue json(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8());
    return document.isArray() ? document.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

QString show(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

Template parsed(const QString &text)
{
    auto result = Template::parse(text);
    if (auto *error = std::get_if<Error>(&result))
        qFatal("parse failed at %lld: %s", qlonglong(error->offset), qPrintable(error->message));
    return std::get<Template>(result);
}

} // namespace

class TestTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void render_data();
    void render();
    void renderErrors_data();
    void renderErrors();
    void parseErrors_data();
    void parseErrors();
    void kinds_data();
    void kinds();
    void value_data();
    void value();
    void names_data();
    void names();
    void numberText_data();
    void numberText();
    void defaultConstructed();
};

void TestTemplate::render_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Escape>("escape");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *tag, const QString &text, Escape escape, const QString &expected) {
        QTest::newRow(tag) << text << escape << expected;
    };
    const Escape none = Escape::None;
    const Escape path = Escape::PathSegment;
    const Escape query = Escape::QueryValue;
    const Escape json = Escape::JsonString;

    // Placeholders and literal text, no escaping
    row("plain", u"plain text"_s, none, u"plain text"_s);
    row("empty", u""_s, none, u""_s);
    row("only a name", u"{{ inputs.model }}"_s, none, u"ranker"_s);
    row("no spaces", u"{{inputs.model}}"_s, none, u"ranker"_s);
    row("odd whitespace", u"{{   inputs.model\t}}"_s, none, u"ranker"_s);
    row("two names", u"model={{ inputs.model }}, v={{ vars.previous }}"_s, none,
        u"model=ranker, v=v1.2"_s);
    row("adjacent", u"{{inputs.model}}{{inputs.model}}"_s, none, u"rankerranker"_s);
    row("incident", u"{{ incident.id }} at {{ incident.started_at }}"_s, none,
        u"inc-42 at 2024-05-01T10:00:00Z"_s);
    row("fan-out item", u"http://{{ node }}/ping"_s, none, u"http://edge-01.local:8080/ping"_s);
    row("list item", u"{{ inputs.nodes[1] }}"_s, none, u"n2"_s);
    row("single braces stay", u"a } b }} c { d"_s, none, u"a } b }} c { d"_s);
    row("braces around", u"{ {{ inputs.model }} }"_s, none, u"{ ranker }"_s);
    row("triple braces", u"{{{ inputs.model }}}"_s, none, u"{ranker}"_s);
    row("JSON-ish", u"{\"m\":{{{ inputs.percent }}}}"_s, none, u"{\"m\":{10}}"_s);
    row("promql", u"max(psi{model=\"{{ inputs.model }}\", track=\"canary\"})"_s, none,
        u"max(psi{model=\"ranker\", track=\"canary\"})"_s);
    // Value to text
    row("integer", u"{{ inputs.percent }}%"_s, none, u"10%"_s);
    row("fraction", u"{{ inputs.ratio }}"_s, none, u"0.25"_s);
    row("tenth", u"{{ inputs.tenth }}"_s, none, u"0.1"_s);
    row("large", u"{{ inputs.big }}"_s, none, u"1e+20"_s);
    row("negative", u"{{ inputs.neg }}"_s, none, u"-7"_s);
    row("small", u"{{ inputs.small }}"_s, none, u"1.5e-07"_s);
    row("bool", u"{{ inputs.flag }}"_s, none, u"true"_s);
    row("null is empty", u"x{{ inputs.nothing }}y"_s, none, u"xy"_s);
    row("list", u"{{ inputs.nodes }}"_s, none, uR"(["n1","n2"])"_s);
    row("object", u"{{ inputs.meta }}"_s, none, uR"({"a":1,"b":[true,null]})"_s);
    row("slash unescaped", u"{{ inputs.path }}"_s, none, u"a/b"_s);
    row("quote unescaped", u"{{ inputs.quote }}"_s, none, uR"(say "hi"\ok)"_s);
    // Path segments
    row("path", u"/models/{{ inputs.model }}/set-default"_s, path, u"/models/ranker/set-default"_s);
    row("path slash", u"/models/{{ inputs.path }}"_s, path, u"/models/a%2Fb"_s);
    row("path reserved", u"/m/{{ inputs.spaced }}"_s, path, u"/m/a%20b%26c%3Dd%2Be%23f%3Fg"_s);
    row("path unicode", u"/m/{{ inputs.unicode }}"_s, path, u"/m/caf%C3%A9%20%E2%9C%93"_s);
    row("path quote", u"/m/{{ inputs.quote }}"_s, path, u"/m/say%20%22hi%22%5Cok"_s);
    row("path newlines", u"/m/{{ inputs.lines }}"_s, path, u"/m/one%0Atwo%09three%0D"_s);
    row("path unreserved", u"/m/{{ inputs.tilde }}"_s, path, u"/m/a-b_c.d~e"_s);
    row("path version with dot", u"/m/{{ vars.previous }}"_s, path, u"/m/v1.2"_s);
    row("path dot", u"/m/{{ inputs.dot }}"_s, path, u"/m/%2E"_s);
    row("path dot dot", u"/m/{{ inputs.dots }}/x"_s, path, u"/m/%2E%2E/x"_s);
    row("path number", u"/m/{{ inputs.percent }}"_s, path, u"/m/10"_s);
    row("path list", u"/m/{{ inputs.nodes }}"_s, path, u"/m/%5B%22n1%22%2C%22n2%22%5D"_s);
    row("path literal not escaped", u"/a b/{{ inputs.model }}?x=1"_s, path, u"/a b/ranker?x=1"_s);
    row("path empty after text", u"/m/x{{ inputs.empty }}"_s, path, u"/m/x"_s);
    row("path empty before text", u"/m/{{ inputs.empty }}x/y"_s, path, u"/m/x/y"_s);
    row("path empty beside value", u"/m/{{ inputs.empty }}{{ inputs.model }}"_s, path,
        u"/m/ranker"_s);
    // Query values
    row("query reserved", u"{{ inputs.spaced }}"_s, query, u"a%20b%26c%3Dd%2Be%23f%3Fg"_s);
    row("query slash", u"{{ inputs.path }}"_s, query, u"a%2Fb"_s);
    row("query unicode", u"{{ inputs.unicode }}"_s, query, u"caf%C3%A9%20%E2%9C%93"_s);
    row("query empty is fine", u"{{ inputs.empty }}"_s, query, u""_s);
    row("query dots stay", u"{{ inputs.dots }}"_s, query, u".."_s);
    row("query literal not escaped", u"q={{ inputs.model }}&x y"_s, query, u"q=ranker&x y"_s);
    row("query bool", u"{{ inputs.flag }}"_s, query, u"true"_s);
    row("query newline", u"{{ inputs.lines }}"_s, query, u"one%0Atwo%09three%0D"_s);
    // JSON strings
    row("json plain", u"drift on {{ inputs.model }}"_s, json, u"drift on ranker"_s);
    row("json quote and backslash", u"{{ inputs.quote }}"_s, json, uR"(say \"hi\"\\ok)"_s);
    row("json newlines", u"{{ inputs.lines }}"_s, json, uR"(one\ntwo\tthree\r)"_s);
    row("json control", u"{{ inputs.ctl }}"_s, json, uR"(\u0001\u001f\b\f)"_s);
    row("json unicode stays", u"{{ inputs.unicode }}"_s, json, u"café ✓"_s);
    row("json slash stays", u"{{ inputs.path }}"_s, json, u"a/b"_s);
    row("json object", u"{{ inputs.meta }}"_s, json, uR"({\"a\":1,\"b\":[true,null]})"_s);
    row("json literal not escaped", u"say \"{{ inputs.model }}\"\n"_s, json, u"say \"ranker\"\n"_s);
    row("json null", u"[{{ inputs.nothing }}]"_s, json, u"[]"_s);
    row("json number", u"{{ inputs.ratio }}"_s, json, u"0.25"_s);
}

void TestTemplate::render()
{
    QFETCH(QString, text);
    QFETCH(Escape, escape);
    QFETCH(QString, expected);

    const auto result = parsed(text).render(scope(), escape);
    if (auto *error = std::get_if<Error>(&result))
        QFAIL(qPrintable(u"error at %1: %2"_s.arg(error->offset).arg(error->message)));
    QCOMPARE(std::get<QString>(result), expected);
}

void TestTemplate::renderErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Escape>("escape");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");

    auto row = [](const char *tag, const QString &text, Escape escape, int offset,
                  const QString &message) {
        QTest::newRow(tag) << text << escape << offset << message;
    };
    const QString emptySegment = u"is empty, which would leave an empty segment in the URL path"_s;
    row("unknown root", u"{{ nope }}"_s, Escape::None, 3, u"unknown name 'nope'"_s);
    row("unknown member", u"x {{ inputs.nope }}"_s, Escape::JsonString, 12,
        u"unknown name 'inputs.nope': 'inputs' has no member 'nope'"_s);
    row("index out of range", u"{{ inputs.nodes[5] }}"_s, Escape::QueryValue, 15,
        u"'inputs.nodes' has no index 5 (it has 2 items)"_s);
    row("member of string", u"/m/{{ inputs.model.x }}"_s, Escape::PathSegment, 19,
        u"'inputs.model' is a string, not an object"_s);
    row("second placeholder", u"{{ inputs.model }}/{{ vars.nope }}"_s, Escape::None, 27,
        u"unknown name 'vars.nope': 'vars' has no member 'nope'"_s);
    row("empty segment", u"/m/{{ inputs.empty }}"_s, Escape::PathSegment, 6,
        u"'inputs.empty' "_s + emptySegment);
    row("empty middle segment", u"/m/{{ inputs.empty }}/set-default"_s, Escape::PathSegment, 6,
        emptySegment);
    row("empty whole segment", u"{{ inputs.empty }}"_s, Escape::PathSegment, 3, emptySegment);
    row("null segment", u"/m/{{ inputs.nothing }}/x"_s, Escape::PathSegment, 6,
        u"'inputs.nothing' "_s + emptySegment);
    row("two empties", u"/m/{{ inputs.empty }}{{ inputs.nothing }}/x"_s, Escape::PathSegment, 6,
        u"'inputs.empty' "_s + emptySegment);
    row("empty last segment", u"/{{ inputs.model }}/{{ inputs.empty }}"_s, Escape::PathSegment, 23,
        emptySegment);
}

void TestTemplate::renderErrors()
{
    QFETCH(QString, text);
    QFETCH(Escape, escape);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = parsed(text).render(scope(), escape);
    const auto *error = std::get_if<Error>(&result);
    if (!error)
        QFAIL(qPrintable(u"no error, got "_s + std::get<QString>(result)));
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QCOMPARE(error->offset, offset);
}

void TestTemplate::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");

    auto row = [](const char *tag, const QString &text, int offset, const QString &message) {
        QTest::newRow(tag) << text << offset << message;
    };
    const QString notClosed = u"'{{' is not closed by '}}'"_s;
    row("unclosed", u"{{ inputs.model"_s, 0, notClosed);
    row("unclosed after text", u"abc {{ x } }"_s, 4, notClosed);
    row("second unclosed", u"ok {{ a }} then {{ b"_s, 16, notClosed);
    row("unclosed at end", u"x{{"_s, 1, notClosed);
    row("empty", u"{{ }}"_s, 3, u"expected a name inside '{{ }}'"_s);
    row("empty, no spaces", u"{{}}"_s, 2, u"expected a name inside '{{ }}'"_s);
    row("expression", u"a {{ a + b }} c"_s, 7, u"expected a name inside '{{ }}', found '+'"_s);
    row("string", u"{{ 'x' }}"_s, 3, u"expected a name inside '{{ }}', found '''"_s);
    row("number", u"{{ 1 }}"_s, 3, u"expected a name inside '{{ }}', found '1'"_s);
    row("two names", u"{{ a b }}"_s, 5, u"expected a name inside '{{ }}', found 'b'"_s);
    row("nested open", u"{{ a {{ b }}"_s, 5, u"expected a name inside '{{ }}', found '{'"_s);
    row("minus", u"{{ -a }}"_s, 3, u"expected a name inside '{{ }}', found '-'"_s);
    row("filter", u"{{ a | upper }}"_s, 5, u"expected a name inside '{{ }}', found '|'"_s);
    row("dot without member", u"{{ a. }}"_s, 5, u"expected a member name after '.'"_s);
    row("open index", u"{{ a[ }}"_s, 5, u"expected an index"_s);
    row("unclosed index", u"{{ a[1 }}"_s, 6, u"expected ']' after the index"_s);
    row("error in second", u"{{ a }} {{ ! }}"_s, 11, u"found '!'"_s);
}

void TestTemplate::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = Template::parse(text);
    const auto *error = std::get_if<Error>(&result);
    QVERIFY2(error, "parsed without error");
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QCOMPARE(error->offset, offset);
}

void TestTemplate::kinds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("literal");
    QTest::addColumn<bool>("singleName");

    QTest::newRow("empty") << u""_s << true << false;
    QTest::newRow("plain") << u"plain"_s << true << false;
    QTest::newRow("single braces") << u"{ not } a placeholder"_s << true << false;
    QTest::newRow("name") << u"{{ a }}"_s << false << true;
    QTest::newRow("name, no spaces") << u"{{a}}"_s << false << true;
    QTest::newRow("path, wide spaces") << u"{{  a.b[0]  }}"_s << false << true;
    QTest::newRow("space before") << u" {{ a }}"_s << false << false;
    QTest::newRow("space after") << u"{{ a }} "_s << false << false;
    QTest::newRow("two names") << u"{{ a }}{{ b }}"_s << false << false;
    QTest::newRow("text before") << u"x{{ a }}"_s << false << false;
    QTest::newRow("triple braces") << u"{{{ a }}}"_s << false << false;
}

void TestTemplate::kinds()
{
    QFETCH(QString, text);
    QFETCH(bool, literal);
    QFETCH(bool, singleName);

    const Template t = parsed(text);
    QCOMPARE(t.isLiteral(), literal);
    QCOMPARE(t.isSingleName(), singleName);
    QCOMPARE(t.text(), text);
}

void TestTemplate::value_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // JSON text; empty when an error is expected
    QTest::addColumn<int>("offset");

    auto row = [](const char *tag, const QString &text, const QString &expected, int offset = -1) {
        QTest::newRow(tag) << text << expected << offset;
    };
    row("number stays number", u"{{ inputs.percent }}"_s, u"10"_s);
    row("fraction", u"{{inputs.ratio}}"_s, u"0.25"_s);
    row("list stays list", u"{{ inputs.nodes }}"_s, uR"(["n1","n2"])"_s);
    row("object stays object", u"{{ inputs.meta }}"_s, uR"({"a":1,"b":[true,null]})"_s);
    row("bool stays bool", u"{{ inputs.flag }}"_s, u"true"_s);
    row("null stays null", u"{{ inputs.nothing }}"_s, u"null"_s);
    row("string", u"{{ inputs.model }}"_s, uR"("ranker")"_s);
    row("string not escaped", u"{{ inputs.quote }}"_s, uR"("say \"hi\"\\ok")"_s);
    row("text before makes a string", u" {{ inputs.percent }}"_s, uR"(" 10")"_s);
    row("text after makes a string", u"{{ inputs.percent }}%"_s, uR"("10%")"_s);
    row("list in text", u"n={{ inputs.nodes }}"_s, uR"("n=[\"n1\",\"n2\"]")"_s);
    row("two names make a string", u"{{ inputs.percent }}{{ inputs.percent }}"_s, uR"("1010")"_s);
    row("literal", u"literal"_s, uR"("literal")"_s);
    row("empty", u""_s, uR"("")"_s);
    row("unknown single name", u"{{ nope }}"_s, QString(), 3);
    row("unknown in text", u"x{{ nope }}"_s, QString(), 4);
}

void TestTemplate::value()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(int, offset);

    const auto result = parsed(text).value(scope());
    if (offset >= 0) {
        const auto *error = std::get_if<Error>(&result);
        QVERIFY2(error, "no error");
        QVERIFY2(error->message.contains(u"unknown name 'nope'"_s), qPrintable(error->message));
        QCOMPARE(error->offset, offset);
        return;
    }
    const QJsonValue want = json(expected);
    QVERIFY2(!want.isUndefined(), "the expected value is not JSON");
    if (auto *error = std::get_if<Error>(&result))
        QFAIL(qPrintable(error->message));
    const QJsonValue got = std::get<QJsonValue>(result);
    QCOMPARE(show(got), show(want));
    QCOMPARE(got.type(), want.type());
}

void TestTemplate::names_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // root:member:text@offset

    QTest::newRow("two") << u"/models/{{ inputs.model }}/{{ vars.previous }}/set-default"_s
                         << QStringList{u"inputs:model:inputs.model@11"_s,
                                        u"vars:previous:vars.previous@30"_s};
    QTest::newRow("fan-out item") << u"{{ node }}"_s << QStringList{u"node::node@3"_s};
    QTest::newRow("deep") << u"{{body.a[0].b}}"_s << QStringList{u"body:a:body.a[0].b@2"_s};
    QTest::newRow("index first") << u"{{ body[0] }}"_s << QStringList{u"body::body[0]@3"_s};
    QTest::newRow("dash member") << u"{{ a.b-c }}"_s << QStringList{u"a:b-c:a.b-c@3"_s};
    QTest::newRow("after triple brace") << u"{{{ a }}}"_s << QStringList{u"a::a@4"_s};
    QTest::newRow("none") << u"plain {text}"_s << QStringList();
}

void TestTemplate::names()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);

    QStringList got;
    const Template parsedTemplate = parsed(text); // names() refers into it
    for (const NameRef &ref : parsedTemplate.names())
        got.append(u"%1:%2:%3@%4"_s.arg(ref.root, ref.member, ref.text).arg(ref.offset));
    QCOMPARE(got, expected);
}

void TestTemplate::numberText_data()
{
    QTest::addColumn<double>("number");
    QTest::addColumn<QString>("expected");

    QTest::newRow("zero") << 0.0 << u"0"_s;
    QTest::newRow("minus zero") << -0.0 << u"0"_s;
    QTest::newRow("integer") << 42.0 << u"42"_s;
    QTest::newRow("negative integer") << -7.0 << u"-7"_s;
    QTest::newRow("million") << 1e6 << u"1000000"_s;
    QTest::newRow("milliseconds timestamp") << 1700000000000.0 << u"1700000000000"_s;
    QTest::newRow("2^53") << 9007199254740992.0 << u"9007199254740992"_s;
    QTest::newRow("beyond 2^53") << 1e20 << u"1e+20"_s;
    QTest::newRow("quarter") << 0.25 << u"0.25"_s;
    QTest::newRow("tenth") << 0.1 << u"0.1"_s;
    QTest::newRow("third") << 1.0 / 3 << u"0.3333333333333333"_s;
    QTest::newRow("small") << 1.5e-7 << u"1.5e-07"_s;
    QTest::newRow("negative fraction") << -2.5 << u"-2.5"_s;
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << u"inf"_s;
}

void TestTemplate::numberText()
{
    QFETCH(double, number);
    QFETCH(QString, expected);
    QCOMPARE(runlane::expr::numberText(number), expected);
}

void TestTemplate::defaultConstructed()
{
    const Template empty;
    QVERIFY(empty.isLiteral());
    QVERIFY(!empty.isSingleName());
    QVERIFY(empty.names().isEmpty());
    QVERIFY(empty.text().isEmpty());
    QCOMPARE(std::get<QString>(empty.render(scope(), Escape::PathSegment)), QString());
    QCOMPARE(std::get<QJsonValue>(empty.value(scope())), QJsonValue(QString()));

    Template copy;
    {
        const Template original = parsed(u"/m/{{ inputs.model }}"_s);
        copy = original;
    }
    QCOMPARE(std::get<QString>(copy.render(scope(), Escape::PathSegment)), u"/m/ranker"_s);
}

QTEST_APPLESS_MAIN(TestTemplate)
#include "tst_template.moc"
