#include "engine/expr/expression.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using runlane::expr::Error;
using runlane::expr::Expression;
using runlane::expr::NameRef;
using runlane::expr::Scope;

namespace {

// What a check step and a probe see, plus inputs and vars.
const char kScope[] = R"({
    "value": 0.41,
    "status": 200,
    "elapsed_ms": 12.5,
    "body": {
        "a": {"b": [10, 20, {"c": "deep"}]},
        "items": [1, 2],
        "one": ["x"],
        "empty": [],
        "nothing": null,
        "flag": true,
        "name": "ranker",
        "x-y": 5,
        "0": "zero",
        "nested": [[1, 2], [3]],
        "obj": {"k": [1, {"z": null}]}
    },
    "inputs": {"model": "ranker", "percent": 10, "nodes": ["n1", "n2"], "backup_taken": false},
    "vars": {"previous": "v1.2", "count": 3},
    "_private": "u"
})";

Scope scope()
{
    return QJsonDocument::fromJson(kScope).object();
}

// A JSON text as a value; Undefined when the text is not JSON (a typo in a test row).
QJsonValue json(const QString &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8());
    return document.isArray() ? document.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

QString show(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

QString show(const NameRef &ref)
{
    return u"%1:%2:%3@%4"_s.arg(ref.root, ref.member, ref.text).arg(ref.offset);
}

Expression parsed(const QString &text)
{
    auto result = Expression::parse(text);
    if (auto *error = std::get_if<Error>(&result))
        qFatal("parse failed at %lld: %s", qlonglong(error->offset), qPrintable(error->message));
    return std::get<Expression>(result);
}

} // namespace

class TestExpression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void values_data();
    void values();
    void evaluationErrors_data();
    void evaluationErrors();
    void parseErrors_data();
    void parseErrors();
    void conditions_data();
    void conditions();
    void names_data();
    void names();
    void limits_data();
    void limits();
    void copiesShareTheTree();
    void defaultConstructed();
};

void TestExpression::values_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("expected"); // JSON text

    auto row = [](const char *tag, const QString &expression, const QString &expected) {
        QTest::newRow(tag) << expression << expected;
    };
    // Numbers
    row("integer", u"1"_s, u"1"_s);
    row("fraction", u"0.25"_s, u"0.25"_s);
    row("exponent", u"1e3"_s, u"1000"_s);
    row("negative exponent", u"1E-2"_s, u"0.01"_s);
    row("signed exponent", u"2.5e+1"_s, u"25"_s);
    row("unary minus", u"-2"_s, u"-2"_s);
    row("unary minus with space", u"- 2"_s, u"-2"_s);
    row("double minus", u"--2"_s, u"2"_s);
    row("leading zeros", u"007"_s, u"7"_s);
    row("negated name", u"-value"_s, u"-0.41"_s);
    // Strings
    row("single quoted", u"'abc'"_s, uR"("abc")"_s);
    row("double quoted", uR"("abc")"_s, uR"("abc")"_s);
    row("empty string", u"''"_s, uR"("")"_s);
    row("escaped single quote", uR"('it\'s')"_s, uR"("it's")"_s);
    row("escaped double quote", uR"("say \"hi\"")"_s, uR"("say \"hi\"")"_s);
    row("escaped backslash", uR"('a\\b')"_s, uR"("a\\b")"_s);
    row("escaped newline", uR"('line\nbreak')"_s, uR"("line\nbreak")"_s);
    row("escaped tab", uR"('tab\there')"_s, uR"("tab\there")"_s);
    row("double quote in single", uR"('"')"_s, uR"("\"")"_s);
    row("single quote in double", uR"("'")"_s, uR"("'")"_s);
    row("unicode", u"'café ✓'"_s, u"\"café ✓\""_s);
    row("operators inside string", u"'a && b || !c'"_s, uR"("a && b || !c")"_s);
    // Keywords
    row("true", u"true"_s, u"true"_s);
    row("false", u"false"_s, u"false"_s);
    row("null", u"null"_s, u"null"_s);
    // Names
    row("root number", u"value"_s, u"0.41"_s);
    row("root integer", u"status"_s, u"200"_s);
    row("root with underscore", u"elapsed_ms"_s, u"12.5"_s);
    row("root starting with underscore", u"_private"_s, uR"("u")"_s);
    row("member", u"inputs.model"_s, uR"("ranker")"_s);
    row("index", u"body.a.b[0]"_s, u"10"_s);
    row("index then member", u"body.a.b[2].c"_s, uR"("deep")"_s);
    row("two indexes", u"body.nested[1][0]"_s, u"3"_s);
    row("member with dash", u"body.x-y"_s, u"5"_s);
    row("numeric member", u"body.0"_s, uR"("zero")"_s);
    row("explicit null", u"body.nothing"_s, u"null"_s);
    row("null inside list", u"body.obj.k[1].z"_s, u"null"_s);
    row("list", u"body.items"_s, u"[1,2]"_s);
    row("object", u"body.a"_s, uR"({"b":[10,20,{"c":"deep"}]})"_s);
    row("list input item", u"inputs.nodes[1]"_s, uR"("n2")"_s);
    // Logic
    row("not true", u"!true"_s, u"false"_s);
    row("not false", u"!false"_s, u"true"_s);
    row("not not", u"!!true"_s, u"true"_s);
    row("and true", u"true && true"_s, u"true"_s);
    row("and false", u"true && false"_s, u"false"_s);
    row("or true", u"false || true"_s, u"true"_s);
    row("or false", u"false || false"_s, u"false"_s);
    row("not name", u"!inputs.backup_taken"_s, u"true"_s);
    // Short-circuit: the right side is not evaluated, so neither its names nor its type matter
    row("and skips unknown", u"false && unknown.name"_s, u"false"_s);
    row("or skips unknown", u"true || unknown.name"_s, u"true"_s);
    row("and skips non-bool", u"false && 3"_s, u"false"_s);
    row("or skips non-bool", u"true || 'x'"_s, u"true"_s);
    row("or skips via name", u"body.flag || missing"_s, u"true"_s);
    row("guard protects lookup", u"status == 404 && body.missing.deep > 1"_s, u"false"_s);
    row("chain short-circuits", u"false && nope || true"_s, u"true"_s);
    // Precedence and associativity
    row("and before or", u"true || false && false"_s, u"true"_s);
    row("parentheses first", u"(true || false) && false"_s, u"false"_s);
    row("and before or, left", u"false && false || true"_s, u"true"_s);
    row("not before and", u"!false && false"_s, u"false"_s);
    row("not of group", u"!(false && false)"_s, u"true"_s);
    row("comparison before equality", u"1 < 2 == true"_s, u"true"_s);
    row("comparison before equality, right", u"true == 1 < 2"_s, u"true"_s);
    row("equality before and", u"status == 200 && value > 0.25"_s, u"true"_s);
    row("minus before comparison", u"-1 < 0"_s, u"true"_s);
    row("not of comparison", u"!(1 > 2) == true"_s, u"true"_s);
    row("equality left-associative", u"1 == 1 == true"_s, u"true"_s);
    row("mixed", u"value > 0.25 || inputs.percent > 100 && false"_s, u"true"_s);
    row("minus binds to primary", u"-2 < -1"_s, u"true"_s);
    row("not equal chain", u"true != false == true"_s, u"true"_s);
    // Comparisons
    row("less", u"1 < 2"_s, u"true"_s);
    row("not less", u"2 < 1"_s, u"false"_s);
    row("less equal", u"2 <= 2"_s, u"true"_s);
    row("greater equal false", u"3 >= 4"_s, u"false"_s);
    row("greater equal true", u"4 >= 4"_s, u"true"_s);
    row("greater fraction", u"3 > 2.5"_s, u"true"_s);
    row("greater false", u"2.5 > 3"_s, u"false"_s);
    row("drift above threshold", u"value > 0.25"_s, u"true"_s);
    row("strings ordered", u"'abc' < 'abd'"_s, u"true"_s);
    row("uppercase first", u"'B' < 'a'"_s, u"true"_s);
    row("prefix first", u"'a' < 'ab'"_s, u"true"_s);
    row("strings equal greater equal", u"'b' >= 'b'"_s, u"true"_s);
    row("strings greater", u"'b' > 'abc'"_s, u"true"_s);
    row("names compared", u"body.items[1] > body.items[0]"_s, u"true"_s);
    // Equality
    row("int equals float", u"1 == 1.0"_s, u"true"_s);
    row("exponent equals int", u"1e3 == 1000"_s, u"true"_s);
    row("minus zero", u"-0 == 0"_s, u"true"_s);
    row("numbers differ", u"1 != 2"_s, u"true"_s);
    row("strings equal", u"'a' == 'a'"_s, u"true"_s);
    row("strings differ", u"'a' != 'b'"_s, u"true"_s);
    row("quotes do not matter", uR"('a' == "a")"_s, u"true"_s);
    row("case matters", u"'A' == 'a'"_s, u"false"_s);
    row("bools equal", u"true == true"_s, u"true"_s);
    row("bools differ", u"true != false"_s, u"true"_s);
    row("null equals null", u"null == null"_s, u"true"_s);
    row("data null equals null", u"body.nothing == null"_s, u"true"_s);
    row("null differs from number", u"null != 1"_s, u"true"_s);
    row("string is not null", u"'x' == null"_s, u"false"_s);
    row("false is not null", u"null == false"_s, u"false"_s);
    row("empty string is not null", u"'' == null"_s, u"false"_s);
    row("list equals itself", u"body.items == body.items"_s, u"true"_s);
    row("object equals itself", u"body.a == body.a"_s, u"true"_s);
    row("lists equal by content", u"body.nested[0] == body.items"_s, u"true"_s);
    row("lists differ", u"body.items != body.one"_s, u"true"_s);
    row("name equals name", u"inputs.model == body.name"_s, u"true"_s);
    row("name equals literal", u"vars.count == 3"_s, u"true"_s);
    row("string name equals literal", u"vars.previous == 'v1.2'"_s, u"true"_s);
    // Whitespace and parentheses
    row("no spaces", u"value>0.25"_s, u"true"_s);
    row("surrounding spaces", u"  value > 0.25  "_s, u"true"_s);
    row("tabs and newlines", u"\tstatus\n==\n200"_s, u"true"_s);
    row("nested parentheses", u"(((1)))"_s, u"1"_s);
    row("spaces in parentheses", u"( value )"_s, u"0.41"_s);
}

void TestExpression::values()
{
    QFETCH(QString, expression);
    QFETCH(QString, expected);
    const QJsonValue want = json(expected);
    QVERIFY2(!want.isUndefined(), "the expected value is not JSON");

    const auto result = parsed(expression).evaluate(scope());
    if (auto *error = std::get_if<Error>(&result))
        QFAIL(qPrintable(u"error at %1: %2"_s.arg(error->offset).arg(error->message)));
    const QJsonValue got = std::get<QJsonValue>(result);
    QCOMPARE(show(got), show(want));
    QCOMPARE(got.type(), want.type());
}

void TestExpression::evaluationErrors_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message"); // a substring of the message

    auto row = [](const char *tag, const QString &expression, int offset, const QString &message) {
        QTest::newRow(tag) << expression << offset << message;
    };
    // Logic operators take bools; the error points at the operand
    row("and, left number", u"3 && true"_s, 0, u"'&&' needs true or false, got number 3"_s);
    row("and, right number", u"true && 3"_s, 8, u"'&&' needs true or false, got number 3"_s);
    row("or, left string", u"'x' || true"_s, 0, u"'||' needs true or false, got string 'x'"_s);
    row("or, right null", u"false || null"_s, 9, u"'||' needs true or false, got null"_s);
    row("or, right object", u"false || body.a"_s, 9,
        u"got object {\"b\":[10,20,{\"c\":\"deep\"}]}"_s);
    row("and, parenthesised operand", u"true && (1)"_s, 8, u"got number 1"_s);
    row("not number", u"!1"_s, 1, u"'!' needs true or false, got number 1"_s);
    row("not list", u"!body.items"_s, 1, u"'!' needs true or false, got list [1,2]"_s);
    row("not string", u"! 'yes'"_s, 2, u"got string 'yes'"_s);
    row("minus string", u"-'a'"_s, 1, u"'-' needs a number, got string 'a'"_s);
    row("minus bool", u"-true"_s, 1, u"'-' needs a number, got true"_s);
    row("minus null", u"-body.nothing"_s, 1, u"'-' needs a number, got null"_s);
    row("minus group", u"-(true)"_s, 1, u"'-' needs a number, got true"_s);
    row("long string shortened", u"!'0123456789012345678901234567890123456789xyz'"_s, 1,
        u"got string '0123456789012345678901234567890123456...'"_s);
    // Equality needs one kind, or null; the error points at the operator
    row("number equals string", u"1 == '1'"_s, 2,
        u"'==' cannot compare number 1 with string '1'"_s);
    row("status equals string", u"status != '200'"_s, 7,
        u"'!=' cannot compare number 200 with string '200'"_s);
    row("string equals number", u"inputs.model == 3"_s, 13,
        u"'==' cannot compare string 'ranker' with number 3"_s);
    row("bool equals number", u"true == 1"_s, 5, u"'==' cannot compare true with number 1"_s);
    row("bool equals string", u"false != 'false'"_s, 6,
        u"cannot compare false with string 'false'"_s);
    row("list equals object", u"body.items == body.a"_s, 11,
        u"cannot compare list [1,2] with object"_s);
    row("string equals object", u"'a' == body.a"_s, 4, u"cannot compare string 'a' with object"_s);
    row("list equals string", u"inputs.nodes == 'n1'"_s, 13, u"cannot compare list"_s);
    // Ordering needs two numbers or two strings
    row("number less string", u"1 < 'a'"_s, 2,
        u"'<' needs two numbers or two strings, got number 1 and string 'a'"_s);
    row("string less equal number", u"'a' <= 1"_s, 4,
        u"'<=' needs two numbers or two strings, got string 'a' and number 1"_s);
    row("bools greater", u"true > false"_s, 5,
        u"'>' needs two numbers or two strings, got true and false"_s);
    row("null greater equal", u"null >= 1"_s, 5,
        u"'>=' needs two numbers or two strings, got null and number 1"_s);
    row("lists less", u"body.items < body.items"_s, 11, u"got list [1,2] and list [1,2]"_s);
    row("chained comparison", u"1 < 2 < 3"_s, 6,
        u"'<' needs two numbers or two strings, got true and number 3"_s);
    row("string name greater number", u"vars.previous > 1"_s, 14,
        u"got string 'v1.2' and number 1"_s);
    // Unknown names, at every depth; the error points at the missing part
    row("unknown root", u"nope"_s, 0, u"unknown name 'nope'"_s);
    row("unknown root with member", u"nope.x"_s, 0, u"unknown name 'nope.x': there is no 'nope'"_s);
    row("unknown root with index", u"nope[0]"_s, 0,
        u"unknown name 'nope[0]': there is no 'nope'"_s);
    row("unknown member", u"body.missing"_s, 5,
        u"unknown name 'body.missing': 'body' has no member 'missing'"_s);
    row("unknown second member", u"body.a.x"_s, 7,
        u"unknown name 'body.a.x': 'body.a' has no member 'x'"_s);
    row("unknown input", u"inputs.missing"_s, 7, u"'inputs' has no member 'missing'"_s);
    row("unknown var", u"value > 0.25 && vars.nope"_s, 21, u"unknown name 'vars.nope'"_s);
    row("index out of range", u"body.a.b[3]"_s, 8,
        u"unknown name 'body.a.b[3]': 'body.a.b' has no index 3 (it has 3 items)"_s);
    row("index out of range, one item", u"body.one[1]"_s, 8,
        u"'body.one' has no index 1 (it has 1 item)"_s);
    row("index into empty list", u"body.empty[0]"_s, 10,
        u"'body.empty' has no index 0 (it has 0 items)"_s);
    row("second index out of range", u"body.nested[1][1]"_s, 14,
        u"'body.nested[1]' has no index 1 (it has 1 item)"_s);
    row("member of string", u"body.a.b[2].c.d"_s, 14,
        u"'body.a.b[2].c' is a string, not an object"_s);
    row("index of string", u"body.name[0]"_s, 9, u"'body.name' is a string, not a list"_s);
    row("index of object", u"body.a[0]"_s, 6, u"'body.a' is an object, not a list"_s);
    row("member of list", u"body.items.x"_s, 11, u"'body.items' is a list, not an object"_s);
    row("member of null", u"body.nothing.x"_s, 13, u"'body.nothing' is null, not an object"_s);
    row("member of bool", u"body.flag.x"_s, 10, u"'body.flag' is a bool, not an object"_s);
    row("member of number", u"status.code"_s, 7, u"'status' is a number, not an object"_s);
    row("member of null in list", u"body.obj.k[1].z.q"_s, 16,
        u"'body.obj.k[1].z' is null, not an object"_s);
    row("numeric member missing", u"body.1"_s, 5, u"'body' has no member '1'"_s);
    row("unknown after parenthesis", u"(1 == 1) && nope"_s, 12, u"unknown name 'nope'"_s);
    row("left side evaluated first", u"nope || true"_s, 0, u"unknown name 'nope'"_s);
    row("unknown in equality", u"1 == nope"_s, 5, u"unknown name 'nope'"_s);
    row("keyword with member", u"true.x"_s, 0, u"unknown name 'true.x'"_s);
    row("unknown under not", u"!nope"_s, 1, u"unknown name 'nope'"_s);
    row("unknown under minus", u"-nope"_s, 1, u"unknown name 'nope'"_s);
}

void TestExpression::evaluationErrors()
{
    QFETCH(QString, expression);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = parsed(expression).evaluate(scope());
    const auto *error = std::get_if<Error>(&result);
    if (!error)
        QFAIL(qPrintable(u"no error, got "_s + show(std::get<QJsonValue>(result))));
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QCOMPARE(error->offset, offset);
}

void TestExpression::parseErrors_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");

    auto row = [](const char *tag, const QString &expression, int offset, const QString &message) {
        QTest::newRow(tag) << expression << offset << message;
    };
    row("empty", u""_s, 0, u"expected an expression"_s);
    row("blank", u"   "_s, 3, u"expected an expression"_s);
    row("starts with operator", u"&& true"_s, 0, u"expected an expression, found '&&'"_s);
    row("starts with parenthesis", u")"_s, 0, u"expected an expression, found ')'"_s);
    row("and without operand", u"1 &&"_s, 4, u"expected an operand after '&&'"_s);
    row("and then parenthesis", u"1 && )"_s, 5, u"expected an operand after '&&', found ')'"_s);
    row("or without operand", u"true ||"_s, 7, u"expected an operand after '||'"_s);
    row("equal without operand", u"1 =="_s, 4, u"expected an operand after '=='"_s);
    row("not equal without operand", u"1 != "_s, 5, u"expected an operand after '!='"_s);
    row("less without operand", u"1 <"_s, 3, u"expected an operand after '<'"_s);
    row("less equal without operand", u"1 <="_s, 4, u"expected an operand after '<='"_s);
    row("greater without operand", u"1 >"_s, 3, u"expected an operand after '>'"_s);
    row("greater equal without operand", u"1 >= &&"_s, 5,
        u"expected an operand after '>=', found '&&'"_s);
    row("not without operand", u"!"_s, 1, u"expected an operand after '!'"_s);
    row("minus without operand", u"-"_s, 1, u"expected an operand after '-'"_s);
    row("name then equal", u"inputs.model =="_s, 15, u"expected an operand after '=='"_s);
    row("empty parentheses", u"()"_s, 1, u"expected an expression after '(', found ')'"_s);
    row("not open parenthesis", u"!("_s, 2, u"expected an expression after '('"_s);
    row("missing close", u"(1"_s, 2, u"expected ')' to close the '('"_s);
    row("missing close, found", u"(1 2)"_s, 3, u"expected ')' to close the '(', found '2'"_s);
    row("missing one of two", u"((1)"_s, 4, u"expected ')' to close the '('"_s);
    row("extra close", u"1)"_s, 1, u"unexpected ')' after the end of the expression"_s);
    row("two numbers", u"1 2"_s, 2, u"unexpected '2' after the end of the expression"_s);
    row("name then name", u"value x"_s, 6, u"unexpected 'x' after the end of the expression"_s);
    row("three names", u"a b c"_s, 2, u"unexpected 'b' after the end of the expression"_s);
    row("trailing string", u"1 'abc'"_s, 2,
        u"unexpected ''abc'' after the end of the expression"_s);
    row("trailing long string", u"1 'abcdefghijklmnopqrstuvwxyz'"_s, 2,
        u"unexpected ''abcdefghijklmnop...' after"_s);
    row("trailing not", u"true !"_s, 5, u"unexpected '!' after the end of the expression"_s);
    row("unterminated single", u"'abc"_s, 0, u"unterminated string: expected a closing '"_s);
    row("unterminated double", u"1 == \"abc"_s, 5, u"unterminated string: expected a closing \""_s);
    row("quote escaped away", uR"('abc\')"_s, 0, u"unterminated string"_s);
    row("backslash at end", uR"('abc\)"_s, 0, u"unterminated string"_s);
    row("other quote does not close", uR"('abc")"_s, 0, u"unterminated string"_s);
    row("unknown escape", uR"('a\qb')"_s, 2, uR"(unknown escape '\q' in a string)"_s);
    row("carriage return escape", uR"('\r')"_s, 1, uR"(unknown escape '\r')"_s);
    row("hash", u"1 # 2"_s, 2, u"unexpected character '#'"_s);
    row("plus", u"1 + 2"_s, 2, u"unexpected character '+'"_s);
    row("bracket", u"[1]"_s, 0, u"unexpected character '['"_s);
    row("non-ASCII letter", u"é"_s, 0, u"unexpected character 'é'"_s);
    row("single equal", u"a = 1"_s, 2, u"unexpected '=' (use '==' to compare)"_s);
    row("single ampersand", u"a & b"_s, 2, u"unexpected '&' (use '&&')"_s);
    row("triple ampersand", u"value > 0.25 &&& true"_s, 15, u"unexpected '&' (use '&&')"_s);
    row("single bar", u"a | b"_s, 2, u"unexpected '|' (use '||')"_s);
    row("leading dot", u"value > .5"_s, 8, u"unexpected character '.'"_s);
    row("trailing dot", u"1."_s, 2, u"expected a digit after '.' in the number"_s);
    row("dot then letter", u"1.x"_s, 2, u"expected a digit after '.' in the number"_s);
    row("empty exponent", u"1e"_s, 2, u"expected digits in the number's exponent"_s);
    row("signed empty exponent", u"1e+"_s, 3, u"expected digits in the number's exponent"_s);
    row("letter after number", u"1x"_s, 1, u"unexpected character 'x' in a number"_s);
    row("two dots", u"1.2.3"_s, 3, u"unexpected character '.' in a number"_s);
    row("number too large", u"1e999"_s, 0, u"the number is out of range"_s);
    row("number too small", u"1 == 1e-999"_s, 5, u"the number is out of range"_s);
    row("dot without member", u"body."_s, 5, u"expected a member name after '.'"_s);
    row("two dots in name", u"body..a"_s, 5, u"expected a member name after '.'"_s);
    row("space after dot", u"body. a"_s, 5, u"expected a member name after '.'"_s);
    row("open index at end", u"body.a["_s, 7, u"expected an index (0, 1, ...) after '['"_s);
    row("name as index", u"body.a[x]"_s, 7, u"expected an index"_s);
    row("negative index", u"body.a[-1]"_s, 7, u"expected an index"_s);
    row("unclosed index", u"body.a[1"_s, 8, u"expected ']' after the index"_s);
    row("space before index", u"body.a [0]"_s, 7, u"unexpected character '['"_s);
    row("index too large", u"body[99999999999999999999]"_s, 5, u"the index is too large"_s);
}

void TestExpression::parseErrors()
{
    QFETCH(QString, expression);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = Expression::parse(expression);
    const auto *error = std::get_if<Error>(&result);
    QVERIFY2(error, "parsed without error");
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QCOMPARE(error->offset, offset);
}

void TestExpression::conditions_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 an error
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");

    auto row = [](const char *tag, const QString &expression, int expected, int offset = 0,
                  const QString &message = QString()) {
        QTest::newRow(tag) << expression << expected << offset << message;
    };
    row("holds", u"value > 0.25"_s, 1);
    row("does not hold", u"value < 0.1"_s, 0);
    row("literal true", u"true"_s, 1);
    row("data bool", u"inputs.backup_taken"_s, 0);
    row("probe", u"status == 200 && elapsed_ms < 100"_s, 1);
    row("number", u"1"_s, -1, 0, u"the condition must be true or false, got number 1"_s);
    row("string after spaces", u"  'yes'"_s, -1, 2,
        u"the condition must be true or false, got string 'yes'"_s);
    row("list in parentheses", u"(body.items)"_s, -1, 0, u"got list [1,2]"_s);
    row("negated number", u"-value"_s, -1, 0, u"got number -0.41"_s);
    row("null", u"body.nothing"_s, -1, 0, u"got null"_s);
    row("unknown name", u"nope"_s, -1, 0, u"unknown name 'nope'"_s);
    row("type error", u"status == 'ok'"_s, -1, 7, u"cannot compare number 200 with string 'ok'"_s);
}

void TestExpression::conditions()
{
    QFETCH(QString, expression);
    QFETCH(int, expected);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = parsed(expression).test(scope());
    if (expected < 0) {
        const auto *error = std::get_if<Error>(&result);
        QVERIFY2(error, "no error");
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
        QCOMPARE(error->offset, offset);
    } else {
        const auto *error = std::get_if<Error>(&result);
        QVERIFY2(!error, error ? qPrintable(error->message) : "");
        QCOMPARE(std::get<bool>(result), expected == 1);
    }
}

void TestExpression::names_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QStringList>("expected"); // root:member:text@offset

    QTest::newRow("one") << u"value > 0.25"_s << QStringList{u"value::value@0"_s};
    QTest::newRow("several in order")
        << u"inputs.model == 'x' && body.a.b[0] > vars.count"_s
        << QStringList{u"inputs:model:inputs.model@0"_s, u"body:a:body.a.b[0]@23"_s,
                       u"vars:count:vars.count@37"_s};
    QTest::newRow("index first") << u"body[0].x"_s << QStringList{u"body::body[0].x@0"_s};
    QTest::newRow("skipped by short-circuit")
        << u"false && nope.x"_s << QStringList{u"nope:x:nope.x@9"_s};
    QTest::newRow("none") << u"true || false"_s << QStringList();
    QTest::newRow("repeated") << u"a == a"_s << QStringList{u"a::a@0"_s, u"a::a@5"_s};
    QTest::newRow("inside a string is not a name") << u"'inputs.model'"_s << QStringList();
    QTest::newRow("dash member") << u"x.y-z[2]"_s << QStringList{u"x:y-z:x.y-z[2]@0"_s};
    QTest::newRow("in parentheses")
        << u"!(  vars.previous  )"_s << QStringList{u"vars:previous:vars.previous@4"_s};
    QTest::newRow("keywords are not names") << u"null == true"_s << QStringList();
}

void TestExpression::names()
{
    QFETCH(QString, expression);
    QFETCH(QStringList, expected);

    QStringList got;
    const Expression parsedExpression = parsed(expression); // names() refers into it
    for (const NameRef &ref : parsedExpression.names())
        got.append(show(ref));
    QCOMPARE(got, expected);
}

void TestExpression::limits_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("offset"); // -1: parses and evaluates to true
    QTest::addColumn<QString>("message");

    const QString hundredAnds = u"true"_s + u" && true"_s.repeated(99);
    QTest::newRow("99 operators") << hundredAnds << -1 << QString();
    // The 100th '&&' starts at 4 + 99 * 8 + 1.
    QTest::newRow("100 operators")
        << hundredAnds + u" && true"_s << 797 << u"the expression is too long"_s;
    QTest::newRow("99 parentheses")
        << u"("_s.repeated(99) + u"true"_s + u")"_s.repeated(99) << -1 << QString();
    QTest::newRow("150 parentheses")
        << u"("_s.repeated(150) + u"true"_s + u")"_s.repeated(150) << 100 << u"nested too deeply"_s;
    QTest::newRow("98 nots") << u"!"_s.repeated(98) + u"true"_s << -1 << QString();
    QTest::newRow("150 nots") << u"!"_s.repeated(150) + u"true"_s << 100 << u"nested too deeply"_s;
    QTest::newRow("100000 parentheses") << u"("_s.repeated(100000) << 100 << u"nested too deeply"_s;
}

void TestExpression::limits()
{
    QFETCH(QString, expression);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = Expression::parse(expression);
    if (offset < 0) {
        QVERIFY(std::holds_alternative<Expression>(result));
        const auto value = std::get<Expression>(result).test(scope());
        QVERIFY(std::holds_alternative<bool>(value));
        QCOMPARE(std::get<bool>(value), true);
    } else {
        const auto *error = std::get_if<Error>(&result);
        QVERIFY2(error, "parsed without error");
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
        QCOMPARE(error->offset, offset);
    }
}

void TestExpression::copiesShareTheTree()
{
    Expression copy;
    {
        const Expression original = parsed(u"status == 200"_s);
        copy = original;
    }
    QCOMPARE(copy.text(), u"status == 200"_s);
    QCOMPARE(copy.names().size(), 1);
    const auto result = copy.test(scope());
    QVERIFY(std::holds_alternative<bool>(result));
    QCOMPARE(std::get<bool>(result), true);
}

void TestExpression::defaultConstructed()
{
    const Expression empty;
    QVERIFY(empty.text().isEmpty());
    QVERIFY(empty.names().isEmpty());
    const auto value = empty.evaluate(scope());
    QVERIFY(std::holds_alternative<Error>(value));
    QCOMPARE(std::get<Error>(value).message, u"expected an expression"_s);
    QVERIFY(std::holds_alternative<Error>(empty.test(scope())));
}

QTEST_APPLESS_MAIN(TestExpression)
#include "tst_expression.moc"
