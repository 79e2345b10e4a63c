#include "actions/http_runner.h"
#include "scripted_server.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace runlane;
using Reply = ScriptedServer::Reply;

// The runner against a loopback server that answers as each test scripts it: retries, backoff,
// Retry-After, idempotency keys, timeouts, resets, the body cap, cancellation, keep-alive.
class TestHttpRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answerWithTimings();
    void sendsMethodHeadersAndBody();
    void retriesWithTheSameKey_data();
    void retriesWithTheSameKey();
    void retryAfterIsHonoured();
    void retryAfterTooLongIsNotWaited();
    void hangTimesOut();
    void bodyOverTheCapFails();
    void refusedConnectionIsRetried();
    void cancelStopsAHang();
    void connectionsAreReused();
    void redirectsAreNotFollowed();
    void unknownMethodIsNotSent();
    void manyInFlightAtOnce();
    void heldGroupStartsNothingUntilReleased();
    void heldGroupParksItsRetries();
    void tlsIsVerified();

private:
    // Runs one request to its final result, pumping events; bounded.
    static HttpResult run(HttpRunner &runner, const HttpRequest &request, int limitMs = 15000);
    static HttpRequest quick(const QString &url); // short backoff, so that retries take little
};

HttpResult TestHttpRunner::run(HttpRunner &runner, const HttpRequest &request, int limitMs)
{
    std::optional<HttpResult> result;
    runner.submit(request, [&result](const HttpResult &r) { result = r; });
    const QDeadlineTimer deadline(limitMs);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!result) {
        HttpResult none;
        none.error = HttpResult::Error::Other;
        none.errorText = QStringLiteral("the test gave up waiting");
        return none;
    }
    return *result;
}

HttpRequest TestHttpRunner::quick(const QString &url)
{
    HttpRequest request;
    request.url = url;
    request.retry = {3, 20, 100};
    request.timeoutMs = 5000;
    return request;
}

void TestHttpRunner::answerWithTimings()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        return ScriptedServer::answer(200, R"({"ok":true})", {{"X-Thing", "1"}});
    });
    HttpRunner runner;
    const HttpResult r = run(runner, quick(server.url("/a?b=c")));
    QVERIFY2(r.answered(), qPrintable(r.errorText));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray(R"({"ok":true})"));
    QCOMPARE(r.header("x-thing"), QByteArray("1"));
    QCOMPARE(r.attempts, 1);
    QVERIFY(r.timings.totalMs > 0);
    QVERIFY(r.timings.firstByteMs > 0 && r.timings.firstByteMs <= r.timings.totalMs);
    QVERIFY(r.timings.connectMs >= 0);
    QCOMPARE(r.timings.tlsMs, -1.0); // plain http
    QCOMPARE(server.requests().constFirst().target, QByteArray("/a?b=c"));
    QCOMPARE(runner.pending(), 0);
}

void TestHttpRunner::sendsMethodHeadersAndBody()
{
    ScriptedServer server;
    HttpRunner runner;
    HttpRequest request = quick(server.url("/apis/x"));
    request.method = "PATCH";
    request.headers = {{"Content-Type", "application/merge-patch+json"},
                       {"Authorization", "Bearer t0k"}};
    request.body = R"({"spec":{"unschedulable":true}})";
    request.idempotencyKey = "incident-1/cordon/1";
    QVERIFY(run(runner, request).answered());
    const auto &got = server.requests().constFirst();
    QCOMPARE(got.method, QByteArray("PATCH"));
    QCOMPARE(got.headers.value("content-type"), QByteArray("application/merge-patch+json"));
    QCOMPARE(got.headers.value("authorization"), QByteArray("Bearer t0k"));
    QCOMPARE(got.headers.value("idempotency-key"), QByteArray("incident-1/cordon/1"));
    QVERIFY(!got.headers.contains("expect"));
    QCOMPARE(got.body, request.body);

    // A body without a Content-Type is JSON, not libcurl's form default.
    request.headers.clear();
    request.method = "POST";
    QVERIFY(run(runner, request).answered());
    QCOMPARE(server.requests().constLast().headers.value("content-type"),
             QByteArray("application/json"));
}

void TestHttpRunner::retriesWithTheSameKey_data()
{
    QTest::addColumn<QList<int>>("statuses"); // what the server answers, in turn (0: reset)
    QTest::addColumn<int>("attempts");
    QTest::addColumn<int>("finalStatus"); // 0: a transport error
    QTest::newRow("500 then 200") << QList<int>{500, 200} << 2 << 200;
    QTest::newRow("503 503 200") << QList<int>{503, 503, 200} << 3 << 200;
    QTest::newRow("502 three times") << QList<int>{502, 502, 502} << 3 << 502;
    QTest::newRow("429 then 200") << QList<int>{429, 200} << 2 << 200;
    QTest::newRow("reset then 200") << QList<int>{0, 200} << 2 << 200;
    QTest::newRow("reset three times") << QList<int>{0, 0, 0} << 3 << 0;
    QTest::newRow("400 not retried") << QList<int>{400, 200} << 1 << 400;
    QTest::newRow("404 not retried") << QList<int>{404, 200} << 1 << 404;
    QTest::newRow("409 not retried") << QList<int>{409, 200} << 1 << 409;
    QTest::newRow("422 not retried") << QList<int>{422, 200} << 1 << 422;
}

void TestHttpRunner::retriesWithTheSameKey()
{
    QFETCH(QList<int>, statuses);
    QFETCH(int, attempts);
    QFETCH(int, finalStatus);
    ScriptedServer server;
    server.setHandler([statuses](const ScriptedServer::Request &, int i) {
        const int status = statuses.value(i, 200);
        if (status == 0) {
            Reply reset;
            reset.kind = Reply::Kind::Reset;
            return reset;
        }
        return ScriptedServer::answer(status, "{}");
    });
    HttpRunner runner;
    HttpRequest request = quick(server.url("/models/m/2/set-default"));
    request.method = "PUT";
    request.idempotencyKey = "inc/step/1";
    const HttpResult r = run(runner, request);
    QCOMPARE(r.attempts, attempts);
    QCOMPARE(server.requests().size(), attempts);
    for (const auto &got : server.requests())
        QCOMPARE(got.headers.value("idempotency-key"), QByteArray("inc/step/1"));
    if (finalStatus == 0) {
        QCOMPARE(toString(r.error), toString(HttpResult::Error::Connection));
        QVERIFY(!r.errorText.isEmpty());
    } else {
        QVERIFY2(r.answered(), qPrintable(r.errorText));
        QCOMPARE(r.status, finalStatus);
    }
}

void TestHttpRunner::retryAfterIsHonoured()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int i) {
        return i == 0 ? ScriptedServer::answer(429, "slow down", {{"Retry-After", "1"}})
                      : ScriptedServer::answer(200, "ok");
    });
    HttpRunner runner;
    QElapsedTimer clock;
    clock.start();
    const HttpResult r = run(runner, quick(server.url()));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.attempts, 2);
    // The backoff alone would be at most 20 ms: the server's second was waited for.
    QVERIFY2(clock.elapsed() >= 950, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(r.elapsedMs >= 950);
}

void TestHttpRunner::retryAfterTooLongIsNotWaited()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        return ScriptedServer::answer(503, "maintenance", {{"Retry-After", "86400"}});
    });
    HttpRunner runner;
    const HttpResult r = run(runner, quick(server.url()));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.attempts, 1);
}

void TestHttpRunner::hangTimesOut()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        Reply hang;
        hang.kind = Reply::Kind::Hang;
        return hang;
    });
    HttpRunner runner;
    HttpRequest request = quick(server.url());
    request.timeoutMs = 300;
    request.retry.attempts = 2;
    const HttpResult r = run(runner, request);
    QCOMPARE(toString(r.error), toString(HttpResult::Error::Timeout));
    QCOMPARE(r.attempts, 2);
    QVERIFY(r.elapsedMs >= 600);
}

void TestHttpRunner::bodyOverTheCapFails()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        return ScriptedServer::answer(200, QByteArray(200 * 1024, 'x'));
    });
    HttpRunner runner;
    HttpRequest request = quick(server.url());
    request.maxBodyBytes = 64 * 1024;
    const HttpResult r = run(runner, request);
    QCOMPARE(toString(r.error), toString(HttpResult::Error::BodyTooLarge));
    QCOMPARE(r.attempts, 1);
    QVERIFY(r.body.isEmpty());
    QVERIFY2(r.errorText.contains(u"MiB"), qPrintable(r.errorText));

    request.maxBodyBytes = 256 * 1024; // the same answer fits under a larger cap
    QCOMPARE(run(runner, request).body.size(), 200 * 1024);
}

void TestHttpRunner::refusedConnectionIsRetried()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    HttpRunner runner;
    const HttpResult r =
        run(runner, quick(QStringLiteral("http://127.0.0.1:%1/ping").arg(closedPort)));
    QCOMPARE(toString(r.error), toString(HttpResult::Error::Connect));
    QCOMPARE(r.attempts, 3);
    QCOMPARE(r.status, 0);
}

void TestHttpRunner::cancelStopsAHang()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        Reply hang;
        hang.kind = Reply::Kind::Hang;
        return hang;
    });
    HttpRunner runner;
    std::optional<HttpResult> result;
    const quint64 id =
        runner.submit(quick(server.url()), [&result](const HttpResult &r) { result = r; });
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, 5000);
    QElapsedTimer clock;
    clock.start();
    runner.cancel(id);
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(toString(result->error), toString(HttpResult::Error::Cancelled));
    QCOMPARE(runner.pending(), 0);
    runner.cancel(id); // finished: nothing happens
}

void TestHttpRunner::connectionsAreReused()
{
    ScriptedServer server;
    HttpRunner runner;
    for (int i = 0; i < 20; ++i)
        QCOMPARE(run(runner, quick(server.url("/ping"))).status, 200);
    QCOMPARE(server.connections(), 1);
}

void TestHttpRunner::redirectsAreNotFollowed()
{
    ScriptedServer server;
    server.setHandler([&server](const ScriptedServer::Request &, int) {
        return ScriptedServer::answer(302, {}, {{"Location", server.url("/elsewhere").toUtf8()}});
    });
    HttpRunner runner;
    const HttpResult r = run(runner, quick(server.url("/here")));
    QCOMPARE(r.status, 302);
    QCOMPARE(server.requests().size(), 1);
}

void TestHttpRunner::unknownMethodIsNotSent()
{
    ScriptedServer server;
    HttpRunner runner;
    HttpRequest request = quick(server.url());
    request.method = "BREW";
    const HttpResult r = run(runner, request);
    QCOMPARE(toString(r.error), toString(HttpResult::Error::Invalid));
    QVERIFY(r.errorText.contains(u"BREW"));
    QCOMPARE(server.requests().size(), 0);
}

void TestHttpRunner::manyInFlightAtOnce()
{
    ScriptedServer server;
    HttpRunner runner;
    int done = 0;
    int ok = 0;
    for (int i = 0; i < 200; ++i) {
        runner.submit(quick(server.url("/n/" + QByteArray::number(i))),
                      [&done, &ok](const HttpResult &r) {
                          ++done;
                          ok += r.status == 200;
                      });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 200, 15000);
    QCOMPARE(ok, 200);
    QCOMPARE(server.requests().size(), 200);
}

// A held group sends nothing; released, it sends what waited, in order, `limit` at a time; a
// hold while requests are out lets those finish.
void TestHttpRunner::heldGroupStartsNothingUntilReleased()
{
    ScriptedServer server;
    server.setHandler([](const ScriptedServer::Request &, int) {
        ScriptedServer::Reply reply = ScriptedServer::answer(200);
        reply.delayMs = 400; // long enough for the test to hold the group while two are out
        return reply;
    });
    HttpRunner runner;
    const quint64 group = runner.openGroup(2);
    runner.holdGroup(group, true);
    QList<int> done;
    for (int i = 0; i < 6; ++i)
        runner.submit(
            quick(server.url("/n/" + QByteArray::number(i))),
            [&done, i](const HttpResult &r) { done.append(r.status == 200 ? i : -1); }, group);
    QTest::qWait(300);
    QCOMPARE(server.requests().size(), 0);
    QVERIFY(done.isEmpty());

    runner.holdGroup(group, false);
    QTRY_VERIFY_WITH_TIMEOUT(server.requests().size() >= 2, 5000);
    runner.holdGroup(group, true); // the two out finish; nothing more starts
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 5000);
    QTest::qWait(300);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(done.size(), 2);

    runner.holdGroup(group, false);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 6, 5000);
    QCOMPARE(done, (QList<int>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(server.mostInFlight(), 2);
    runner.closeGroup(group);
}

// A retry that comes due while its group is held waits for the release.
void TestHttpRunner::heldGroupParksItsRetries()
{
    ScriptedServer server;
    // Retry-After fixes when the retry is due (a backoff's jitter could make it due at once).
    server.setHandler([](const ScriptedServer::Request &, int index) {
        return index == 0 ? ScriptedServer::answer(503, "busy", {{"Retry-After", "1"}})
                          : ScriptedServer::answer(200);
    });
    HttpRunner runner;
    const quint64 group = runner.openGroup(1);
    HttpRequest request = quick(server.url("/flaky"));
    request.retry = {3, 300, 300};
    std::optional<HttpResult> result;
    runner.submit(
        request, [&result](const HttpResult &r) { result = r; }, group);
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, 5000);
    runner.holdGroup(group, true); // before the retry is due, a second after the 503
    QTest::qWait(1500);
    QCOMPARE(server.requests().size(), 1);
    QVERIFY(!result);
    runner.holdGroup(group, false);
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QCOMPARE(result->status, 200);
    QCOMPARE(result->attempts, 2);
    runner.closeGroup(group);
}

// HTTPS against a self-signed certificate: refused by default, trusted once its CA file is
// named (besides the system's CAs), or with verification off.
void TestHttpRunner::tlsIsVerified()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("the openssl tool is needed to make a certificate");
    QTemporaryDir dir;
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    QProcess make;
    make.start(openssl,
               {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
                QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=IP:127.0.0.1")});
    QVERIFY(make.waitForFinished(30000));
    QCOMPARE(make.exitCode(), 0);

    ScriptedServer server(cert, key);
    HttpRunner runner;
    HttpRequest request = quick(server.url("/ping"));
    request.retry.attempts = 1;
    HttpResult r = run(runner, request);
    QCOMPARE(toString(r.error), toString(HttpResult::Error::Tls));
    QVERIFY(!r.errorText.isEmpty());

    request.tlsCaFile = cert;
    r = run(runner, request);
    QVERIFY2(r.answered(), qPrintable(r.errorText));
    QCOMPARE(r.status, 200);
    QVERIFY(r.timings.tlsMs > 0);

    request.tlsCaFile = dir.filePath(QStringLiteral("missing.pem"));
    r = run(runner, request);
    QCOMPARE(toString(r.error), toString(HttpResult::Error::Tls));
    QVERIFY2(r.errorText.contains(u"missing.pem"), qPrintable(r.errorText));

    request.tlsCaFile.clear();
    request.tlsVerify = false;
    QCOMPARE(run(runner, request).status, 200);
}

QTEST_GUILESS_MAIN(TestHttpRunner)
#include "tst_http_runner.moc"
