#include "actions/retry_policy.h"

#include <QTest>

using namespace runlane;

// Which failures are tried again, how long to wait, and what Retry-After means.
class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryable_data();
    void retryable();
    void retryAfter_data();
    void retryAfter();
    void backoffHasFullJitterUnderItsCeiling();
    void nextDelay();
};

void TestRetryPolicy::retryable_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retry");
    const auto none = int(HttpResult::Error::None);
    QTest::newRow("200") << none << 200 << false;
    QTest::newRow("302") << none << 302 << false;
    QTest::newRow("400") << none << 400 << false;
    QTest::newRow("401") << none << 401 << false;
    QTest::newRow("404") << none << 404 << false;
    QTest::newRow("409") << none << 409 << false;
    QTest::newRow("429") << none << 429 << true;
    QTest::newRow("500") << none << 500 << true;
    QTest::newRow("503") << none << 503 << true;
    QTest::newRow("599") << none << 599 << true;
    QTest::newRow("connect") << int(HttpResult::Error::Connect) << 0 << true;
    QTest::newRow("connection") << int(HttpResult::Error::Connection) << 0 << true;
    QTest::newRow("timeout") << int(HttpResult::Error::Timeout) << 0 << true;
    QTest::newRow("tls") << int(HttpResult::Error::Tls) << 0 << false;
    QTest::newRow("too large") << int(HttpResult::Error::BodyTooLarge) << 200 << false;
    QTest::newRow("cancelled") << int(HttpResult::Error::Cancelled) << 0 << false;
    QTest::newRow("invalid") << int(HttpResult::Error::Invalid) << 0 << false;
}

void TestRetryPolicy::retryable()
{
    QFETCH(int, error);
    QFETCH(int, status);
    QFETCH(bool, retry);
    HttpResult r;
    r.error = HttpResult::Error(error);
    r.status = status;
    QCOMPARE(isRetryable(r), retry);
}

void TestRetryPolicy::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("ms"); // -1: none
    QTest::newRow("seconds") << QByteArray("120") << qint64(120000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 3 ") << qint64(3000);
    QTest::newRow("date ahead") << QByteArray("Sun, 29 Nov 2026 12:00:30 GMT") << qint64(30000);
    QTest::newRow("date past") << QByteArray("Sun, 29 Nov 2026 11:00:00 GMT") << qint64(0);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
}

void TestRetryPolicy::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, ms);
    const QDateTime now(QDate(2026, 11, 29), QTime(12, 0, 0), Qt::UTC);
    const auto got = parseRetryAfter(value, now);
    QCOMPARE(got.value_or(-1), ms);
}

void TestRetryPolicy::backoffHasFullJitterUnderItsCeiling()
{
    std::mt19937_64 random(7);
    const RetryPolicy policy{6, 500, 3000};
    for (int failed = 1; failed <= 5; ++failed) {
        const qint64 ceiling = std::min<qint64>(3000, 500LL << (failed - 1));
        qint64 low = ceiling, high = 0;
        for (int i = 0; i < 2000; ++i) {
            const qint64 d = backoffDelayMs(policy, failed, random);
            QVERIFY(d >= 0 && d <= ceiling);
            low = std::min(low, d), high = std::max(high, d);
        }
        // Spread over the whole range, not clustered at the ceiling.
        QVERIFY2(low < ceiling / 10 && high > ceiling * 9 / 10,
                 qPrintable(QStringLiteral("%1..%2 of %3").arg(low).arg(high).arg(ceiling)));
    }
}

void TestRetryPolicy::nextDelay()
{
    std::mt19937_64 random(1);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    HttpRequest request;
    request.retry = {3, 100, 1000};
    HttpResult attempt;
    attempt.status = 503;
    attempt.attempts = 1;
    QVERIFY(nextAttemptDelayMs(request, attempt, now, random).has_value());
    attempt.headers = {{"retry-after", "2"}};
    QCOMPARE(nextAttemptDelayMs(request, attempt, now, random).value_or(-1), 2000);
    attempt.attempts = 3; // used up
    QVERIFY(!nextAttemptDelayMs(request, attempt, now, random));
    attempt.attempts = 1;
    attempt.status = 404;
    QVERIFY(!nextAttemptDelayMs(request, attempt, now, random));
    attempt.status = 500; // Retry-After only counts on 429 and 503
    const auto d = nextAttemptDelayMs(request, attempt, now, random);
    QVERIFY(d && *d <= 100);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
