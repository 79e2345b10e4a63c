#include "actions/request_builder.h"

#include <QJsonArray>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;

// Requests as they go on the wire: template values escaped for where they land, base URLs with
// path prefixes, target settings, idempotency keys, and descriptions with secrets hidden.
class TestRequestBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinUrl_data();
    void joinUrl();
    void rawRequestEscapesValues();
    void rawRequestErrorsNameTheField_data();
    void rawRequestErrorsNameTheField();
    void withKeepsTypes();
    void targetSettings_data();
    void targetSettings();
    void descriptionHidesSecrets();
    void idempotencyKeys();
    void answersRead();
};

namespace {

LString text(const QString &value)
{
    return LString(value, {}, true);
}

expr::Scope scope()
{
    return QJsonObject{{u"inputs"_s, QJsonObject{{u"model"_s, u"ranker"_s},
                                                 {u"odd"_s, u"a/../b c&d=e"_s},
                                                 {u"quote"_s, u"say \"hi\"\n"_s},
                                                 {u"percent"_s, 10},
                                                 {u"empty"_s, u""_s}}},
                       {u"vars"_s, QJsonObject{{u"previous"_s, u"3.1"_s}}},
                       {u"incident"_s, QJsonObject{{u"id"_s, u"inc-1"_s}}}};
}

template<class T> QString errorOf(const std::variant<T, QString> &built)
{
    const auto *error = std::get_if<QString>(&built);
    return error ? *error : QString();
}

} // namespace

void TestRequestBuilder::joinUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("url");
    QTest::newRow("plain") << u"http://h:8081"_s << u"/models"_s << u"http://h:8081/models"_s;
    QTest::newRow("trailing slash")
        << u"http://h:8081/"_s << u"/models"_s << u"http://h:8081/models"_s;
    QTest::newRow("path prefix") << u"http://h:8081/nodes/7"_s << u"/models/m"_s
                                 << u"http://h:8081/nodes/7/models/m"_s;
    QTest::newRow("prefix with slash")
        << u"http://h/nodes/7/"_s << u"/ping"_s << u"http://h/nodes/7/ping"_s;
    QTest::newRow("query only") << u"http://h/hook"_s << u"?a=1"_s << u"http://h/hook?a=1"_s;
    QTest::newRow("nothing") << u"http://h/hook"_s << QString() << u"http://h/hook"_s;
    QTest::newRow("no leading slash") << u"http://h"_s << u"ping"_s << u"http://h/ping"_s;
}

void TestRequestBuilder::joinUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, url);
    QCOMPARE(runlane::joinUrl(base, path), url);
}

void TestRequestBuilder::rawRequestEscapesValues()
{
    RequestSpec spec;
    spec.method = text(u"put"_s);
    spec.path = text(u"/models/{{ inputs.odd }}/{{ vars.previous }}/set-default"_s);
    spec.query = {{text(u"reason"_s), text(u"{{ inputs.odd }}"_s)}};
    spec.headers = {{text(u"X-Model"_s), text(u"{{ inputs.model }}"_s)}};
    spec.body =
        Located<QJsonValue>(QJsonObject{{u"note"_s, u"{{ inputs.quote }}"_s},
                                        {u"percent"_s, u"{{ inputs.percent }}"_s},
                                        {u"list"_s, QJsonArray{u"{{ inputs.model }}"_s, 1}}},
                            {}, true);
    const auto built = buildRawRequest(spec, u"http://127.0.0.1:9/nodes/3"_s, scope());
    QVERIFY2(std::holds_alternative<HttpRequest>(built), qPrintable(errorOf(built)));
    const HttpRequest &r = std::get<HttpRequest>(built);
    QCOMPARE(r.method, QByteArray("PUT"));
    // A '/' in a value cannot add a path segment (nor a value of "..", below, climb one).
    QCOMPARE(r.url, u"http://127.0.0.1:9/nodes/3/models/a%2F..%2Fb%20c%26d%3De/3.1/set-default"
                    "?reason=a%2F..%2Fb%20c%26d%3De"_s);
    QCOMPARE(r.headers.size(), 1);
    QCOMPARE(r.headers.constFirst().value, QByteArray("ranker"));
    // JSON-escaped by the JSON writer; a value that is one placeholder keeps its type.
    QCOMPARE(r.body,
             QByteArray("{\"list\":[\"ranker\",1],\"note\":\"say \\\"hi\\\"\\n\",\"percent\":10}"));

    RequestSpec climb;
    climb.path = text(u"/models/{{ inputs.up }}/x"_s);
    expr::Scope up = scope();
    QJsonObject inputs = up.value(u"inputs"_s).toObject();
    inputs.insert(u"up"_s, u".."_s);
    up.insert(u"inputs"_s, inputs);
    QCOMPARE(std::get<HttpRequest>(buildRawRequest(climb, u"http://h"_s, up)).url,
             u"http://h/models/%2E%2E/x"_s);

    // A body written as text: values land JSON-escaped inside it.
    spec.body = Located<QJsonValue>(u"{\"note\": \"{{ inputs.quote }}\"}"_s, {}, true);
    const auto asText = buildRawRequest(spec, u"http://h"_s, scope());
    QVERIFY2(std::holds_alternative<HttpRequest>(asText), qPrintable(errorOf(asText)));
    QCOMPARE(std::get<HttpRequest>(asText).body, QByteArray("{\"note\": \"say \\\"hi\\\"\\n\"}"));
}

void TestRequestBuilder::rawRequestErrorsNameTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown in path")
        << u"path"_s << u"/m/{{ vars.nope }}"_s << u"path: unknown name 'vars.nope'"_s;
    QTest::newRow("empty segment") << u"path"_s << u"/m/{{ inputs.empty }}/x"_s << u"path: "_s;
    QTest::newRow("unknown in query")
        << u"query"_s << u"{{ inputs.nope }}"_s << u"query.q: unknown name 'inputs.nope'"_s;
    QTest::newRow("line break in a header")
        << u"header"_s << u"{{ inputs.quote }}"_s
        << u"headers.X-Note: a header value cannot hold a line break"_s;
    QTest::newRow("unknown in body")
        << u"body"_s << u"{{ vars.nope }}"_s << u"body.b: unknown name 'vars.nope'"_s;
}

void TestRequestBuilder::rawRequestErrorsNameTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, error);
    RequestSpec spec;
    spec.path = text(field == u"path" ? value : u"/x"_s);
    if (field == u"query")
        spec.query = {{text(u"q"_s), text(value)}};
    if (field == u"header")
        spec.headers = {{text(u"X-Note"_s), text(value)}};
    if (field == u"body")
        spec.body = Located<QJsonValue>(QJsonObject{{u"b"_s, value}}, {}, true);
    const auto built = buildRawRequest(spec, u"http://h"_s, scope());
    QVERIFY(std::holds_alternative<QString>(built));
    QVERIFY2(std::get<QString>(built).startsWith(error), qPrintable(errorOf(built)));
}

void TestRequestBuilder::withKeepsTypes()
{
    Step step;
    step.with = {
        {text(u"percent"_s), Located<QJsonValue>(u"{{ inputs.percent }}"_s, {}, true)},
        {text(u"name"_s), Located<QJsonValue>(u"isvc-{{ inputs.model }}"_s, {}, true)},
        {text(u"matchers"_s),
         Located<QJsonValue>(QJsonObject{{u"model"_s, u"{{ inputs.model }}"_s}}, {}, true)}};
    const auto with = renderWith(step, scope());
    QVERIFY(std::holds_alternative<QJsonObject>(with));
    const QJsonObject w = std::get<QJsonObject>(with);
    QCOMPARE(w.value(u"percent"_s), QJsonValue(10));
    QCOMPARE(w.value(u"name"_s), QJsonValue(u"isvc-ranker"_s));
    QCOMPARE(w.value(u"matchers"_s).toObject().value(u"model"_s), QJsonValue(u"ranker"_s));

    step.with.append({text(u"bad"_s), Located<QJsonValue>(u"{{ vars.nope }}"_s, {}, true)});
    const auto failed = renderWith(step, scope());
    QVERIFY(std::get<QString>(failed).startsWith(u"with.bad: unknown name 'vars.nope'"_s));
}

void TestRequestBuilder::targetSettings_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("none") << int(Auth::Kind::None) << QByteArray() << QByteArray();
    QTest::newRow("bearer") << int(Auth::Kind::Bearer) << QByteArray("Authorization")
                            << QByteArray("Bearer tok");
    QTest::newRow("basic") << int(Auth::Kind::Basic) << QByteArray("Authorization")
                           << QByteArray("Basic ") + QByteArray("me:pw").toBase64();
    QTest::newRow("header") << int(Auth::Kind::Header) << QByteArray("X-Api-Key")
                            << QByteArray("k3y");
}

void TestRequestBuilder::targetSettings()
{
    QFETCH(int, kind);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    ResolvedTarget target;
    target.authKind = Auth::Kind(kind);
    target.bearer = u"tok"_s;
    target.user = u"me"_s;
    target.password = u"pw"_s;
    target.headerName = u"X-Api-Key"_s;
    target.headerValue = u"k3y"_s;
    target.timeoutMs = 2500;
    target.retry = {5, 100, 800};
    target.tlsVerify = false;
    target.tlsCa = u"/etc/ca.pem"_s;
    HttpRequest request;
    applyTarget(request, target);
    QCOMPARE(request.headers.size(), header.isEmpty() ? 0 : 1);
    if (!header.isEmpty()) {
        QCOMPARE(request.headers.constFirst().name, header);
        QCOMPARE(request.headers.constFirst().value, value);
        QCOMPARE(request.sensitiveHeaders, QList<QByteArray>{header});
    }
    QCOMPARE(request.timeoutMs, 2500);
    QCOMPARE(request.connectTimeoutMs, 2500);
    QCOMPARE(request.retry.attempts, 5);
    QCOMPARE(request.retry.backoffMs, 100);
    QCOMPARE(request.retry.maxBackoffMs, 800);
    QCOMPARE(request.tlsVerify, false);
    QCOMPARE(request.tlsCaFile, u"/etc/ca.pem"_s);
}

void TestRequestBuilder::descriptionHidesSecrets()
{
    HttpRequest request;
    request.method = "POST";
    request.url = u"https://hooks.example/services/T0/B0/XyZsecret"_s;
    request.headers = {{"Authorization", "Basic bWU6cHc="},
                       {"X-Api-Key", "k3y"},
                       {"Content-Type", "application/json"}};
    request.sensitiveHeaders = {"authorization", "X-Api-Key"};
    request.body = "{\"routing_key\":\"R0UT1NG\",\"text\":\"hi\"}";
    request.idempotencyKey = "inc-1/page/1/0";
    const QStringList secrets{u"https://hooks.example/services/T0/B0/XyZsecret"_s, u"R0UT1NG"_s};
    QCOMPARE(describeRequest(request, secrets), u"POST ***\n"
                                                "Authorization: Basic ***\n"
                                                "X-Api-Key: ***\n"
                                                "Content-Type: application/json\n"
                                                "Idempotency-Key: inc-1/page/1/0\n"
                                                "\n"
                                                "{\"routing_key\":\"***\",\"text\":\"hi\"}"_s);
    QCOMPARE(requestLine(request, secrets), u"POST ***"_s);
}

void TestRequestBuilder::idempotencyKeys()
{
    QCOMPARE(idempotencyKey(u"inc-1"_s, u"demote"_s, 1), QByteArray("inc-1/demote/1/0"));
    QCOMPARE(idempotencyKey(u"inc-1"_s, u"demote"_s, 2, 17), QByteArray("inc-1/demote/2/17"));
}

void TestRequestBuilder::answersRead()
{
    HttpResult answer;
    answer.status = 200;
    answer.body = "{\"a\":{\"b\":[1,2]}}";
    answer.attempts = 2;
    answer.elapsedMs = 42;
    WorkResult r = workResultOf(answer);
    QCOMPARE(int(r.outcome), int(WorkResult::Outcome::Ok));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body.toObject().value(u"a"_s).toObject().value(u"b"_s).toArray().size(), 2);
    QCOMPARE(r.details.value(u"attempts"_s).toInt(), 2);
    QCOMPARE(r.elapsedMs, 42);

    answer.body = "ok"; // not JSON: kept as text
    QCOMPARE(workResultOf(answer).body, QJsonValue(u"ok"_s));

    HttpResult failed;
    failed.error = HttpResult::Error::Connect;
    failed.errorText = u"Connection refused"_s;
    failed.attempts = 3;
    r = workResultOf(failed);
    QCOMPARE(int(r.outcome), int(WorkResult::Outcome::Error));
    QCOMPARE(r.message, u"Connection refused (after 3 attempts)"_s);
    QCOMPARE(r.details.value(u"error"_s).toString(), u"connect"_s);
}

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "tst_request_builder.moc"
