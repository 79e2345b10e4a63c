#include "engine/expr/env.h"

#include <QHash>
#include <QTest>

using namespace Qt::StringLiterals;
using runlane::expr::EnvLookup;
using runlane::expr::Error;

namespace {

// A fixed environment, so that the tests do not depend on the machine's.
EnvLookup fakeEnvironment()
{
    const QHash<QString, QString> variables{
        {u"FLEET_TOKEN"_s, u"s3cret"_s},
        {u"URL"_s, u"http://fleet:8081"_s},
        {u"EMPTY"_s, u""_s},
        {u"SPACE"_s, u" "_s},
        {u"REFERENCE"_s, u"${env:URL}"_s},
        {u"lower_case"_s, u"x"_s},
        {u"_U"_s, u"u"_s},
        {u"A1"_s, u"a1"_s},
    };
    return [variables](const QString &name) -> std::optional<QString> {
        const auto it = variables.constFind(name);
        if (it == variables.constEnd())
            return std::nullopt;
        return *it;
    };
}

} // namespace

class TestEnv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolve_data();
    void resolve();
    void resolveErrors_data();
    void resolveErrors();
    void names_data();
    void names();
    void contains_data();
    void contains();
    void processEnvironment();
    void noLookup();
};

void TestEnv::resolve_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *tag, const QString &text, const QString &expected) {
        QTest::newRow(tag) << text << expected;
    };
    row("plain", u"plain"_s, u"plain"_s);
    row("empty", u""_s, u""_s);
    row("whole", u"${env:FLEET_TOKEN}"_s, u"s3cret"_s);
    row("inside text", u"Bearer ${env:FLEET_TOKEN}"_s, u"Bearer s3cret"_s);
    row("before text", u"${env:URL}/v1"_s, u"http://fleet:8081/v1"_s);
    row("default when unset", u"${env:MISSING:-http://127.0.0.1:8081}"_s,
        u"http://127.0.0.1:8081"_s);
    row("set value wins", u"${env:URL:-http://127.0.0.1:8081}"_s, u"http://fleet:8081"_s);
    row("empty default", u"${env:MISSING:-}"_s, u""_s);
    row("default when empty", u"${env:EMPTY:-fallback}"_s, u"fallback"_s);
    row("empty without default", u"[${env:EMPTY}]"_s, u"[]"_s);
    row("space is not empty", u"${env:SPACE:-x}"_s, u" "_s);
    row("two adjacent", u"${env:URL}${env:FLEET_TOKEN}"_s, u"http://fleet:8081s3cret"_s);
    row("several", u"a ${env:lower_case} b ${env:_U} c ${env:A1:-z} d ${env:NO:-n}"_s,
        u"a x b u c a1 d n"_s);
    row("same twice", u"${env:A1}/${env:A1}"_s, u"a1/a1"_s);
    row("value not scanned again", u"${env:REFERENCE}"_s, u"${env:URL}"_s);
    row("double dollar is no escape", u"$${env:FLEET_TOKEN}"_s, u"$s3cret"_s);
    row("other dollar forms stay", u"$HOME ${HOME} ${ env:X} $env:X ${ENV:X} $"_s,
        u"$HOME ${HOME} ${ env:X} $env:X ${ENV:X} $"_s);
    row("templates stay", u"{{ inputs.model }}"_s, u"{{ inputs.model }}"_s);
    row("default with colon dash", u"${env:MISSING:-a:-b}"_s, u"a:-b"_s);
    row("default with symbols", u"${env:MISSING:-with space & /?=#}"_s, u"with space & /?=#"_s);
    row("default with open brace", u"${env:MISSING:-{}"_s, u"{"_s);
    row("braces around", u"x}${env:A1}}"_s, u"x}a1}"_s);
    row("dollar brace before", u"${${env:A1}"_s, u"${a1"_s);
    row("unicode around", u"ünï ${env:A1} ✓"_s, u"ünï a1 ✓"_s);
}

void TestEnv::resolve()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    const auto result = runlane::expr::resolveEnv(text, fakeEnvironment());
    if (auto *error = std::get_if<Error>(&result))
        QFAIL(qPrintable(u"error at %1: %2"_s.arg(error->offset).arg(error->message)));
    QCOMPARE(std::get<QString>(result), expected);
}

void TestEnv::resolveErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message"); // the whole message

    auto row = [](const char *tag, const QString &text, int offset, const QString &message) {
        QTest::newRow(tag) << text << offset << message;
    };
    const QString notClosed = u"'${env:' is not closed by '}'"_s;
    const QString badName =
        u"expected a variable name after '${env:' (letters, digits and '_', not starting with a digit)"_s;
    row("missing", u"${env:MISSING}"_s, 0, u"environment variable MISSING is not set"_s);
    row("missing inside text", u"Bearer ${env:FLEET_TOKENS}"_s, 7,
        u"environment variable FLEET_TOKENS is not set"_s);
    row("missing second", u"${env:A1} ${env:NOPE}"_s, 10,
        u"environment variable NOPE is not set"_s);
    row("unclosed", u"${env:FLEET_TOKEN"_s, 0, notClosed);
    row("unclosed prefix only", u"x ${env:"_s, 2, notClosed);
    row("unclosed after a good one", u"${env:A1} then ${env:"_s, 15, notClosed);
    row("first problem wins", u"${env:MISSING} ${env:"_s, 0,
        u"environment variable MISSING is not set"_s);
    row("empty name", u"${env:}"_s, 6, badName);
    row("name starts with digit", u"${env:1X}"_s, 6, badName);
    row("empty name with default", u"${env::-x}"_s, 6, badName);
    row("dash in name", u"${env:A-B}"_s, 7, u"expected '}' or ':-default' after '${env:A'"_s);
    row("space in name", u"${env:A B}"_s, 7, u"expected '}' or ':-default' after '${env:A'"_s);
    row("colon without dash", u"${env:A1:default}"_s, 8,
        u"expected '}' or ':-default' after '${env:A1'"_s);
    row("nested reference", u"${env:A:-${env:B}}"_s, 9, u"a default cannot contain '${'"_s);
}

void TestEnv::resolveErrors()
{
    QFETCH(QString, text);
    QFETCH(int, offset);
    QFETCH(QString, message);

    const auto result = runlane::expr::resolveEnv(text, fakeEnvironment());
    const auto *error = std::get_if<Error>(&result);
    if (!error)
        QFAIL(qPrintable(u"no error, got "_s + std::get<QString>(result)));
    QCOMPARE(error->message, message);
    QCOMPARE(error->offset, offset);
}

void TestEnv::names_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << u""_s << QStringList();
    QTest::newRow("plain") << u"http://127.0.0.1:9090"_s << QStringList();
    QTest::newRow("one") << u"${env:A}"_s << QStringList{u"A"_s};
    QTest::newRow("each once, in order")
        << u"${env:A:-x} ${env:B} ${env:A}"_s << QStringList{u"A"_s, u"B"_s};
    QTest::newRow("adjacent") << u"${env:X}${env:Y}"_s << QStringList{u"X"_s, u"Y"_s};
    QTest::newRow("unclosed skipped") << u"${env:A"_s << QStringList();
    QTest::newRow("bad name skipped") << u"${env:} ${env:B}"_s << QStringList{u"B"_s};
    QTest::newRow("bad default skipped") << u"${env:A:x} ${env:C}"_s << QStringList{u"C"_s};
    QTest::newRow("after double dollar") << u"$${env:D}"_s << QStringList{u"D"_s};
    QTest::newRow("nested: only the inner is well-formed")
        << u"${env:A:-${env:B}}"_s << QStringList{u"B"_s};
}

void TestEnv::names()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(runlane::expr::envNames(text), expected);
}

void TestEnv::contains_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");

    QTest::newRow("empty") << u""_s << false;
    QTest::newRow("plain") << u"plain"_s << false;
    QTest::newRow("reference") << u"${env:A}"_s << true;
    QTest::newRow("with default") << u"x ${env:A:-d}"_s << true;
    QTest::newRow("malformed counts") << u"${env:"_s << true;
    QTest::newRow("no braces") << u"$env:A"_s << false;
    QTest::newRow("upper case prefix") << u"${ENV:A}"_s << false;
    QTest::newRow("shell form") << u"${HOME}"_s << false;
    QTest::newRow("template") << u"{{ env.A }}"_s << false;
}

void TestEnv::contains()
{
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(runlane::expr::containsEnv(text), expected);
}

void TestEnv::processEnvironment()
{
    qputenv("RUNLANE_TST_ENV_SET", "from-env ✓");
    qputenv("RUNLANE_TST_ENV_EMPTY", "");
    qunsetenv("RUNLANE_TST_ENV_UNSET");
    const EnvLookup lookup = runlane::expr::processEnvironment();

    QCOMPARE(lookup(u"RUNLANE_TST_ENV_SET"_s), std::optional<QString>(u"from-env ✓"_s));
    QCOMPARE(lookup(u"RUNLANE_TST_ENV_EMPTY"_s), std::optional<QString>(QString()));
    QCOMPARE(lookup(u"RUNLANE_TST_ENV_UNSET"_s), std::optional<QString>());

    const auto resolved = runlane::expr::resolveEnv(
        u"${env:RUNLANE_TST_ENV_SET}|${env:RUNLANE_TST_ENV_EMPTY}|${env:RUNLANE_TST_ENV_UNSET:-d}"_s,
        lookup);
    QVERIFY(std::holds_alternative<QString>(resolved));
    QCOMPARE(std::get<QString>(resolved), u"from-env ✓||d"_s);

    const auto missing = runlane::expr::resolveEnv(u"${env:RUNLANE_TST_ENV_UNSET}"_s, lookup);
    QVERIFY(std::holds_alternative<Error>(missing));
    QCOMPARE(std::get<Error>(missing).message,
             u"environment variable RUNLANE_TST_ENV_UNSET is not set"_s);
    qunsetenv("RUNLANE_TST_ENV_SET");
    qunsetenv("RUNLANE_TST_ENV_EMPTY");
}

void TestEnv::noLookup()
{
    // An empty lookup function means that nothing is set, rather than a crash.
    const auto withDefault = runlane::expr::resolveEnv(u"${env:X:-d}"_s, EnvLookup());
    QCOMPARE(std::get<QString>(withDefault), u"d"_s);
    const auto without = runlane::expr::resolveEnv(u"${env:X}"_s, EnvLookup());
    QVERIFY(std::holds_alternative<Error>(without));
}

QTEST_APPLESS_MAIN(TestEnv)
#include "tst_env.moc"
