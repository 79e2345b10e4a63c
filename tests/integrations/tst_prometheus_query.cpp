#include "integrations/prometheus_query.h"

#include <QTest>

#include <cmath>

using namespace runlane;
using WorkOutcome = WorkResult::Outcome;

Q_DECLARE_METATYPE(WorkResult::Outcome)

// The answers are shaped as Prometheus's HTTP API documents them (values are strings).
class TestPrometheusQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void read_data();
    void read();
};

namespace {

QByteArray vector(const QList<const char *> &values)
{
    QByteArray series;
    for (const char *v : values) {
        if (!series.isEmpty())
            series += ',';
        series +=
            R"({"metric":{"instance":"n"},"value":[1732860000.123,")" + QByteArray(v) + R"("]})";
    }
    return R"({"status":"success","data":{"resultType":"vector","result":[)" + series + "]}}";
}

} // namespace

void TestPrometheusQuery::read_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reduce");
    QTest::addColumn<WorkOutcome>("outcome");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message"); // a part of the message

    const QString none;
    QTest::newRow("one series") << 200 << vector({"0.41"}) << none << WorkOutcome::Ok << 0.41
                                << none;
    QTest::newRow("scalar") << 200
                            << QByteArray(R"({"status":"success","data":{"resultType":"scalar",)"
                                          R"("result":[1732860000,"12.5"]}})")
                            << none << WorkOutcome::Ok << 12.5 << none;
    QTest::newRow("exponent") << 200 << vector({"1.5e-3"}) << none << WorkOutcome::Ok << 0.0015
                              << none;
    QTest::newRow("empty vector") << 200 << vector({}) << none << WorkOutcome::NoData << 0.0
                                  << QStringLiteral("no series");
    QTest::newRow("NaN") << 200 << vector({"NaN"}) << none << WorkOutcome::NoData << 0.0
                         << QStringLiteral("NaN");
    QTest::newRow("+Inf") << 200 << vector({"+Inf"}) << none << WorkOutcome::NoData << 0.0
                          << QStringLiteral("+Inf");
    QTest::newRow("-Inf") << 200 << vector({"-Inf"}) << none << WorkOutcome::NoData << 0.0
                          << QStringLiteral("-Inf");
    QTest::newRow("two series, no reduce")
        << 200 << vector({"1", "3"}) << none << WorkOutcome::Error << 0.0
        << QStringLiteral("2 series");
    QTest::newRow("max") << 200 << vector({"1", "3", "2"}) << QStringLiteral("max")
                         << WorkOutcome::Ok << 3.0 << none;
    QTest::newRow("min") << 200 << vector({"1", "3", "2"}) << QStringLiteral("min")
                         << WorkOutcome::Ok << 1.0 << none;
    QTest::newRow("sum") << 200 << vector({"1", "3", "2"}) << QStringLiteral("sum")
                         << WorkOutcome::Ok << 6.0 << none;
    QTest::newRow("avg") << 200 << vector({"1", "3", "2"}) << QStringLiteral("avg")
                         << WorkOutcome::Ok << 2.0 << none;
    QTest::newRow("max skips NaN") << 200 << vector({"NaN", "3", "+Inf"}) << QStringLiteral("max")
                                   << WorkOutcome::Ok << 3.0 << none;
    QTest::newRow("all NaN") << 200 << vector({"NaN", "NaN"}) << QStringLiteral("sum")
                             << WorkOutcome::NoData << 0.0 << QStringLiteral("finite");
    QTest::newRow("bad_data 400")
        << 400
        << QByteArray(
               R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"})")
        << none << WorkOutcome::Error << 0.0
        << QStringLiteral("HTTP 400: bad_data: invalid parameter");
    QTest::newRow("execution 422")
        << 422
        << QByteArray(R"({"status":"error","errorType":"execution","error":"query timed out"})")
        << none << WorkOutcome::Error << 0.0 << QStringLiteral("execution: query timed out");
    QTest::newRow("unavailable 503")
        << 503 << QByteArray(R"({"status":"error","errorType":"unavailable","error":"not ready"})")
        << none << WorkOutcome::Error << 0.0 << QStringLiteral("HTTP 503");
    QTest::newRow("proxy page") << 502 << QByteArray("<html><body>Bad gateway</body></html>")
                                << none << WorkOutcome::Error << 0.0
                                << QStringLiteral("HTTP 502 with a body that is not its JSON");
    QTest::newRow("matrix") << 200
                            << QByteArray(R"({"status":"success","data":{"resultType":"matrix",)"
                                          R"("result":[]}})")
                            << none << WorkOutcome::Error << 0.0 << QStringLiteral("'matrix'");
    QTest::newRow("value not a number") << 200 << vector({"fast"}) << none << WorkOutcome::Error
                                        << 0.0 << QStringLiteral("'fast' is not a number");
}

void TestPrometheusQuery::read()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, reduce);
    QFETCH(WorkOutcome, outcome);
    QFETCH(double, value);
    QFETCH(QString, message);

    const WorkResult result = readPrometheusQuery(status, body, reduce);
    QCOMPARE(result.outcome, outcome);
    if (outcome == WorkOutcome::Ok)
        QCOMPARE(result.value.toDouble(), value);
    QVERIFY2(result.message.contains(message), qPrintable(result.message));
}

QTEST_GUILESS_MAIN(TestPrometheusQuery)
#include "tst_prometheus_query.moc"
