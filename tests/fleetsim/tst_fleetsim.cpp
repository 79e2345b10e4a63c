#include "fleetsim_process.h"
#include "prometheus_text.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <cmath>
#include <memory>
#include <vector>

// Runs the real runlane-fleetsim and checks, over HTTP on 127.0.0.1, that it answers as the real
// APIs document: status codes, JSON fields, content types and error bodies; that state follows
// the calls; and that faults, idempotent replay and the request log behave as documented.
class TestFleetSim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void torchServeShapes_data();
    void torchServeShapes();
    void torchServeStateFollowsCalls();
    void tritonShapes_data();
    void tritonShapes();
    void tritonStateFollowsCalls();
    void nodesAreSeparate();
    void inferenceServiceCanary();
    void mergePatchNeedsItsContentType_data();
    void mergePatchNeedsItsContentType();
    void kubernetesErrors_data();
    void kubernetesErrors();
    void argoRollouts();
    void argoWithoutStatusSubresource();
    void kubernetesNodesAndHealth();
    void pagerDuty_data();
    void pagerDuty();
    void slackWebhook_data();
    void slackWebhook();
    void metricsExposition();
    void metricsFollowState();
    void metricsWithTraffic();
    void requestLog();
    void idempotentReplay();
    void answerFaults_data();
    void answerFaults();
    void resetFault();
    void resetAfterEffectHasOneEffect();
    void hangFault();
    void faultCountAndRate();
    void faultFlags();
    void httpProtocol_data();
    void httpProtocol();
    void expectContinue();
    void manyKeepAliveConnections();
    void scenarioErrors_data();
    void scenarioErrors();
    void stopsOnSigterm();

private:
    HttpAnswer send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                    const HeaderList &headers = {}, int timeoutMs = 15000)
    {
        return m_client.send(method, m_sim->url(path), body, headers, timeoutMs);
    }
    HttpAnswer patch(const QString &path, const QByteArray &body, const HeaderList &extra = {})
    {
        return send("PATCH", path, body,
                    HeaderList{{"Content-Type", "application/merge-patch+json"}} + extra);
    }
    QJsonArray requests() { return send("GET", QStringLiteral("/_sim/requests")).json().array(); }
    QJsonObject state() { return send("GET", QStringLiteral("/_sim/state")).json().object(); }
    void setFaults(const QByteArray &faults)
    {
        QCOMPARE(send("PUT", QStringLiteral("/_sim/faults"), faults).status, 200);
    }
    Exposition scrape() { return scrape(*m_sim); }
    Exposition scrape(FleetSimProcess &sim);

    std::unique_ptr<FleetSimProcess> m_sim;
    HttpClient m_client;
};

namespace {

const QString kIsvc =
    QStringLiteral("/apis/serving.kserve.io/v1beta1/namespaces/edge-serving/inferenceservices/");
const QString kRollouts =
    QStringLiteral("/apis/argoproj.io/v1alpha1/namespaces/edge-rollouts/rollouts/");

// The value at a JSON pointer ("/a/0/b"); undefined when absent.
QJsonValue at(const QJsonValue &root, const QString &pointer)
{
    QJsonValue value = root;
    for (const QString &part : pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (value.isArray()) {
            bool ok = false;
            const int index = part.toInt(&ok);
            if (!ok || index >= value.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            value = value.toArray().at(index);
        } else if (value.isObject()) {
            if (!value.toObject().contains(part))
                return QJsonValue(QJsonValue::Undefined);
            value = value.toObject().value(part);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return value;
}

QJsonValue root(const HttpAnswer &answer)
{
    const QJsonDocument document = answer.json();
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

// Each check is "POINTER=JSON", e.g. /0/modelVersion="3.2".
void verifyChecks(const HttpAnswer &answer, const QStringList &checks)
{
    const QJsonValue body = root(answer);
    for (const QString &check : checks) {
        const qsizetype equals = check.indexOf(QLatin1Char('='));
        const QString pointer = check.left(equals);
        const QJsonValue expected =
            QJsonDocument::fromJson("[" + check.mid(equals + 1).toUtf8() + "]").array().at(0);
        QVERIFY2(at(body, pointer) == expected,
                 qPrintable(QStringLiteral("%1 in %2").arg(check, QString::fromUtf8(answer.body))));
    }
}

// SIGTERM ends the process with status 0, and nothing (no sanitizer report) on standard error.
void verifyCleanStop(FleetSimProcess &sim)
{
    int exitCode = 0;
    QByteArray standardError;
    QVERIFY(sim.stop(&exitCode, &standardError));
    QVERIFY2(standardError.isEmpty(), standardError.constData());
    QCOMPARE(exitCode, 0);
}

QJsonObject lastRecord(const QJsonArray &log)
{
    return log.isEmpty() ? QJsonObject() : log.last().toObject();
}

} // namespace

void TestFleetSim::initTestCase()
{
    m_sim = std::make_unique<FleetSimProcess>(
        QStringList{QStringLiteral("--nodes"), QStringLiteral("3")});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
    QVERIFY(m_sim->firstLine().startsWith(QLatin1String("listening on http://127.0.0.1:")));
}

void TestFleetSim::init()
{
    // Every test starts from the built-in scenario, with no faults and an empty log.
    QCOMPARE(send("POST", QStringLiteral("/_sim/reset")).status, 200);
}

void TestFleetSim::cleanupTestCase()
{
    verifyCleanStop(*m_sim);
    m_sim.reset();
}

Exposition TestFleetSim::scrape(FleetSimProcess &sim)
{
    const HttpAnswer answer = m_client.send("GET", sim.url(QStringLiteral("/metrics")));
    Exposition exposition;
    QString error;
    if (answer.status != 200 || !parseExposition(answer.body, &exposition, &error))
        qWarning("unreadable /metrics (%d): %s", answer.status, qPrintable(error));
    return exposition;
}

// ---- TorchServe ----

void TestFleetSim::torchServeShapes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("checks");

    const auto row = [](const char *name, const char *method, const char *path, int status,
                        QStringList checks) {
        QTest::newRow(name) << QByteArray(method) << QString::fromLatin1(path) << status << checks;
    };
    row("list models", "GET", "/models", 200,
        {QStringLiteral("/models/0/modelName=\"ocr-legacy\""),
         QStringLiteral("/models/1/modelName=\"ranker\""),
         QStringLiteral("/models/1/modelUrl=\"ranker_3.2.mar\"")});
    row("describe default version", "GET", "/models/ranker", 200,
        {QStringLiteral("/0/modelName=\"ranker\""), QStringLiteral("/0/modelVersion=\"3.2\""),
         QStringLiteral("/0/minWorkers=2"), QStringLiteral("/0/workers/0/status=\"UNLOADING\""),
         QStringLiteral("/0/jobQueueStatus/pendingRequests=0")});
    row("describe a version", "GET", "/models/ranker/3.1", 200,
        {QStringLiteral("/0/modelVersion=\"3.1\""),
         QStringLiteral("/0/workers/1/status=\"READY\"")});
    row("describe all versions", "GET", "/models/ranker/all", 200,
        {QStringLiteral("/0/modelVersion=\"3.1\""), QStringLiteral("/1/modelVersion=\"3.2\"")});
    row("unknown model", "GET", "/models/nope", 404,
        {QStringLiteral("/code=404"), QStringLiteral("/type=\"ModelNotFoundException\""),
         QStringLiteral("/message=\"Model not found: nope\"")});
    row("unknown version", "GET", "/models/ranker/9.9", 404,
        {QStringLiteral("/type=\"ModelVersionNotFoundException\""),
         QStringLiteral("/message=\"Model version: 9.9 does not exist for model: ranker\"")});
    row("set-default to an unknown version", "PUT", "/models/ranker/9.9/set-default", 404,
        {QStringLiteral("/type=\"ModelVersionNotFoundException\"")});
    row("set-default", "PUT", "/models/ranker/3.1/set-default", 200,
        {QStringLiteral("/status=\"Default vesion succsesfully updated for model \\\"ranker\\\" "
                        "to \\\"3.1\\\"\"")});
    row("unregister the default version", "DELETE", "/models/ranker/3.2", 403,
        {QStringLiteral("/code=403"), QStringLiteral("/type=\"InvalidModelVersionException\""),
         QStringLiteral("/message=\"Cannot remove default version for model ranker\"")});
    row("unregister another version", "DELETE", "/models/ranker/3.1", 200,
        {QStringLiteral("/status=\"Model \\\"ranker\\\" unregistered\"")});
    row("scale: max below min", "PUT", "/models/ranker?min_worker=3&max_worker=1", 400,
        {QStringLiteral("/type=\"BadRequestException\""),
         QStringLiteral("/message=\"max_worker cannot be less than min_worker.\"")});
    row("scale: not a number", "PUT", "/models/ranker?min_worker=three", 403,
        {QStringLiteral("/type=\"NumberFormatException\"")});
    row("scale asynchronously", "PUT", "/models/ranker?min_worker=3", 202,
        {QStringLiteral("/status=\"Processing worker updates...\"")});
    row("scale a crash-looping version", "PUT", "/models/ranker?min_worker=3&synchronous=true", 500,
        {QStringLiteral("/type=\"InternalServerException\""),
         QStringLiteral("/message=\"Failed to start workers\"")});
    row("scale a version", "PUT", "/models/ranker/3.1?min_worker=3&max_worker=4&synchronous=true",
        200, {QStringLiteral("/status=\"Workers scaled to 3 for model: ranker, version: 3.1\"")});
    row("ping while a default version crash-loops", "GET", "/ping", 500,
        {QStringLiteral("/status=\"Unhealthy\"")});
    row("method not allowed", "POST", "/models/ranker", 405,
        {QStringLiteral("/type=\"MethodNotAllowedException\"")});
}

void TestFleetSim::torchServeShapes()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QStringList, checks);

    const HttpAnswer answer = send(method, path);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, QByteArray("application/json"));
    verifyChecks(answer, checks);
}

void TestFleetSim::torchServeStateFollowsCalls()
{
    const QMap<QString, QString> ranker{{QStringLiteral("node"), QStringLiteral("edge-fra-07")},
                                        {QStringLiteral("model"), QStringLiteral("ranker")}};
    const QString latency = QStringLiteral("inference_request_duration_seconds");
    QCOMPARE(scrape().quantileBucket(latency, ranker, 0.99), 0.5); // 3.2 answers in ~310 ms

    QCOMPARE(send("PUT", QStringLiteral("/models/ranker/3.1/set-default")).status, 200);
    verifyChecks(send("GET", QStringLiteral("/models/ranker")),
                 {QStringLiteral("/0/modelVersion=\"3.1\"")});
    const HttpAnswer ping = send("GET", QStringLiteral("/ping"));
    QCOMPARE(ping.status, 200);
    verifyChecks(ping, {QStringLiteral("/status=\"Healthy\"")});
    QCOMPARE(scrape().quantileBucket(latency, ranker, 0.99), 0.05); // 3.1 answers in ~45 ms

    QCOMPARE(
        send("PUT", QStringLiteral("/models/ranker?min_worker=3&max_worker=5&synchronous=true"))
            .status,
        200);
    const HttpAnswer described = send("GET", QStringLiteral("/models/ranker/3.1"));
    verifyChecks(described, {QStringLiteral("/0/minWorkers=3"), QStringLiteral("/0/maxWorkers=5")});
    QCOMPARE(at(root(described), QStringLiteral("/0/workers")).toArray().size(), 3);

    QCOMPARE(send("DELETE", QStringLiteral("/models/ranker/3.2")).status, 200);
    QCOMPARE(root(send("GET", QStringLiteral("/models/ranker/all"))).toArray().size(), 1);
    QCOMPARE(send("DELETE", QStringLiteral("/models/ocr-legacy/1.0")).status, 200);
    verifyChecks(send("GET", QStringLiteral("/models")),
                 {QStringLiteral("/models/0/modelName=\"ranker\"")});
    QCOMPARE(at(root(send("GET", QStringLiteral("/models"))), QStringLiteral("/models"))
                 .toArray()
                 .size(),
             1);
}

// ---- Triton ----

void TestFleetSim::tritonShapes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QStringList>("checks");

    const QByteArray json("application/json");
    QTest::newRow("server live") << QByteArray("GET") << QStringLiteral("/v2/health/live")
                                 << QByteArray() << 200 << QByteArray() << QStringList();
    QTest::newRow("server ready") << QByteArray("GET") << QStringLiteral("/v2/health/ready")
                                  << QByteArray() << 200 << QByteArray() << QStringList();
    QTest::newRow("model ready") << QByteArray("GET") << QStringLiteral("/v2/models/detector/ready")
                                 << QByteArray() << 200 << QByteArray() << QStringList();
    QTest::newRow("model version ready")
        << QByteArray("GET") << QStringLiteral("/v2/models/detector/versions/1/ready")
        << QByteArray() << 200 << QByteArray() << QStringList();
    QTest::newRow("model not ready")
        << QByteArray("GET") << QStringLiteral("/v2/models/yolo_shelf/ready") << QByteArray() << 400
        << json << QStringList{QStringLiteral("/error=\"Model version not ready\"")};
    QTest::newRow("unknown model ready")
        << QByteArray("GET") << QStringLiteral("/v2/models/nope/ready") << QByteArray() << 400
        << json
        << QStringList{QStringLiteral("/error=\"Request for unknown model: 'nope' is not found\"")};
    QTest::newRow("repository index")
        << QByteArray("POST") << QStringLiteral("/v2/repository/index") << QByteArray() << 200
        << json
        << QStringList{
               QStringLiteral("/0/name=\"detector\""), QStringLiteral("/0/version=\"1\""),
               QStringLiteral("/0/state=\"READY\""), QStringLiteral("/1/state=\"UNAVAILABLE\""),
               QStringLiteral("/1/reason=\"failed to allocate memory for model instance\"")};
    QTest::newRow("repository index, ready only")
        << QByteArray("POST") << QStringLiteral("/v2/repository/index")
        << QByteArray(R"({"ready":true})") << 200 << json
        << QStringList{QStringLiteral("/1/name=\"pose-v2\"")};
    QTest::newRow("index needs POST")
        << QByteArray("GET") << QStringLiteral("/v2/repository/index") << QByteArray() << 405
        << json << QStringList{QStringLiteral("/error=\"Method Not Allowed\"")};
    QTest::newRow("statistics")
        << QByteArray("GET") << QStringLiteral("/v2/models/detector/stats") << QByteArray() << 200
        << json
        << QStringList{QStringLiteral("/model_stats/0/name=\"detector\""),
                       QStringLiteral("/model_stats/0/version=\"1\""),
                       QStringLiteral("/model_stats/0/inference_stats/success/count=0"),
                       QStringLiteral("/model_stats/0/inference_stats/fail/ns=0")};
    QTest::newRow("statistics of an unknown model")
        << QByteArray("GET") << QStringLiteral("/v2/models/nope/stats") << QByteArray() << 400
        << json
        << QStringList{QStringLiteral("/error=\"Request for unknown model: 'nope' is not found\"")};
    QTest::newRow("load an unknown model")
        << QByteArray("POST") << QStringLiteral("/v2/repository/models/nope/load") << QByteArray()
        << 500 << json
        << QStringList{QStringLiteral(
               "/error=\"failed to load 'nope', failed to poll from model repository\"")};
    QTest::newRow("unload an unknown model")
        << QByteArray("POST") << QStringLiteral("/v2/repository/models/nope/unload") << QByteArray()
        << 200 << json << QStringList();
}

void TestFleetSim::tritonShapes()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QStringList, checks);

    const HttpAnswer answer = send(method, path, body);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, contentType);
    if (checks.isEmpty())
        QCOMPARE(answer.body, QByteArray());
    verifyChecks(answer, checks);
}

void TestFleetSim::tritonStateFollowsCalls()
{
    const HttpAnswer unloaded =
        send("POST", QStringLiteral("/v2/repository/models/detector/unload"));
    QCOMPARE(unloaded.status, 200);
    QCOMPARE(send("GET", QStringLiteral("/v2/models/detector/ready")).status, 400);
    QCOMPARE(send("GET", QStringLiteral("/v2/models/detector/stats")).status, 400);
    verifyChecks(
        send("POST", QStringLiteral("/v2/repository/index")),
        {QStringLiteral("/0/state=\"UNAVAILABLE\""), QStringLiteral("/0/reason=\"unloaded\"")});

    QCOMPARE(send("POST", QStringLiteral("/v2/repository/models/yolo_shelf/load")).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/v2/models/yolo_shelf/ready")).status, 200);
    verifyChecks(send("POST", QStringLiteral("/v2/repository/index")),
                 {QStringLiteral("/1/state=\"READY\"")});
    QVERIFY(
        !at(root(send("POST", QStringLiteral("/v2/repository/index"))), QStringLiteral("/1/reason"))
             .isString());
    QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), false); // a read

    const QJsonArray log = requests();
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("effect")).toBool(), true);
}

// ---- /nodes/<i> ----

void TestFleetSim::nodesAreSeparate()
{
    QCOMPARE(send("PUT", QStringLiteral("/nodes/1/models/ranker/3.1/set-default")).status, 200);
    verifyChecks(send("GET", QStringLiteral("/nodes/1/models/ranker")),
                 {QStringLiteral("/0/modelVersion=\"3.1\"")});
    for (const QString &path :
         {QStringLiteral("/models/ranker"), QStringLiteral("/nodes/0/models/ranker"),
          QStringLiteral("/nodes/2/models/ranker")})
        verifyChecks(send("GET", path), {QStringLiteral("/0/modelVersion=\"3.2\"")});
    QCOMPARE(send("GET", QStringLiteral("/nodes/1/ping")).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/ping")).status, 500);

    QCOMPARE(send("POST", QStringLiteral("/nodes/2/v2/repository/models/detector/unload")).status,
             200);
    QCOMPARE(send("GET", QStringLiteral("/nodes/2/v2/models/detector/ready")).status, 400);
    QCOMPARE(send("GET", QStringLiteral("/v2/models/detector/ready")).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/nodes/1/v2/models/detector/ready")).status, 200);

    QCOMPARE(send("GET", QStringLiteral("/nodes/3/ping")).status, 404); // three nodes: 0, 1, 2
    QCOMPARE(requests().at(0).toObject().value(QStringLiteral("node")).toInt(), 1);

    const QJsonArray nodes = state().value(QStringLiteral("nodes")).toArray();
    QCOMPARE(nodes.size(), 3);
    QCOMPARE(nodes.at(2).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("edge-fra-07-2"));
    // Every fleet node is a Kubernetes node too.
    QCOMPARE(send("GET", QStringLiteral("/api/v1/nodes/edge-fra-07-2")).status, 200);
}

// ---- KServe ----

void TestFleetSim::inferenceServiceCanary()
{
    const HttpAnswer got = send("GET", kIsvc + QStringLiteral("ranker"));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.contentType, QByteArray("application/json"));
    verifyChecks(
        got,
        {QStringLiteral("/apiVersion=\"serving.kserve.io/v1beta1\""),
         QStringLiteral("/kind=\"InferenceService\""),
         QStringLiteral("/metadata/namespace=\"edge-serving\""),
         QStringLiteral("/spec/predictor/canaryTrafficPercent=10"),
         QStringLiteral(
             "/status/components/predictor/latestCreatedRevision=\"ranker-predictor-00004\""),
         QStringLiteral(
             "/status/components/predictor/latestRolledoutRevision=\"ranker-predictor-00003\""),
         QStringLiteral(
             "/status/components/predictor/previousRolledoutRevision=\"ranker-predictor-00002\""),
         QStringLiteral("/status/components/predictor/traffic/0/percent=10"),
         QStringLiteral("/status/components/predictor/traffic/0/latestRevision=true"),
         QStringLiteral("/status/components/predictor/traffic/1/percent=90"),
         QStringLiteral("/status/components/predictor/traffic/1/tag=\"prev\"")});

    const HttpAnswer demoted = patch(kIsvc + QStringLiteral("ranker"),
                                     R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})");
    QCOMPARE(demoted.status, 200);
    verifyChecks(
        demoted,
        {QStringLiteral("/spec/predictor/canaryTrafficPercent=0"),
         QStringLiteral("/metadata/generation=2"),
         QStringLiteral("/status/components/predictor/traffic/0/percent=0"),
         QStringLiteral("/status/components/predictor/traffic/1/percent=100"),
         QStringLiteral(
             "/status/components/predictor/traffic/1/revisionName=\"ranker-predictor-00003\""),
         QStringLiteral(
             "/status/components/predictor/latestRolledoutRevision=\"ranker-predictor-00003\""),
         QStringLiteral(
             "/status/components/predictor/previousRolledoutRevision=\"ranker-predictor-00002\"")});
    QCOMPARE(root(send("GET", kIsvc + QStringLiteral("ranker"))), root(demoted));
    QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), false);
    QCOMPARE(requests().at(1).toObject().value(QStringLiteral("effect")).toBool(), true);

    // The same patch again changes nothing.
    patch(kIsvc + QStringLiteral("ranker"), R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})");
    QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), false);

    // Removing the field (merge-patch null) promotes the canary: the old stable becomes previous.
    const HttpAnswer promoted = patch(kIsvc + QStringLiteral("ranker"),
                                      R"({"spec":{"predictor":{"canaryTrafficPercent":null}}})");
    verifyChecks(
        promoted,
        {QStringLiteral(
             "/status/components/predictor/latestRolledoutRevision=\"ranker-predictor-00004\""),
         QStringLiteral(
             "/status/components/predictor/previousRolledoutRevision=\"ranker-predictor-00003\""),
         QStringLiteral("/status/components/predictor/traffic/0/percent=100")});
    QVERIFY(
        at(root(promoted), QStringLiteral("/spec/predictor/canaryTrafficPercent")).isUndefined());
    // A status in a PATCH of the object is ignored (the status is a subresource).
    const HttpAnswer statusIgnored =
        patch(kIsvc + QStringLiteral("ranker"), R"({"status":{"url":"http://elsewhere"}})");
    verifyChecks(statusIgnored,
                 {QStringLiteral("/status/url=\"http://ranker.edge-serving.example.com\"")});

    const HttpAnswer list = send(
        "GET", QStringLiteral(
                   "/apis/serving.kserve.io/v1beta1/namespaces/edge-serving/inferenceservices"));
    verifyChecks(list, {QStringLiteral("/kind=\"InferenceServiceList\"")});
    QCOMPARE(at(root(list), QStringLiteral("/items")).toArray().size(), 2);
}

void TestFleetSim::mergePatchNeedsItsContentType_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType"); // empty: no Content-Type header at all
    QTest::addColumn<int>("status");

    const QList<std::tuple<const char *, QString, QByteArray>> apis{
        {"kserve", kIsvc + QStringLiteral("ranker"),
         R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})"},
        {"argo", kRollouts + QStringLiteral("ranker/status"), R"({"status":{"abort":true}})"},
        {"node", QStringLiteral("/api/v1/nodes/edge-osl-04"), R"({"spec":{"unschedulable":true}})"},
    };
    const QList<std::pair<QByteArray, int>> types{
        {"application/merge-patch+json", 200},
        {"application/merge-patch+json; charset=utf-8", 200},
        {"application/json", 415},
        {"text/plain", 415},
        {"", 415},
    };
    for (const auto &[api, path, body] : apis) {
        for (const auto &[type, status] : types) {
            QTest::addRow("%s, %s", api, type.isEmpty() ? "no content type" : type.constData())
                << path << body << type << status;
        }
    }
}

void TestFleetSim::mergePatchNeedsItsContentType()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);

    QByteArray received;
    if (contentType.isEmpty()) {
        // A client library would add a Content-Type; the raw socket sends none.
        const QByteArray request = "PATCH " + path.toUtf8() +
                                   " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\nContent-Length: " +
                                   QByteArray::number(body.size()) + "\r\n\r\n" + body;
        received = rawExchange(m_sim->port(), request).received;
        QVERIFY2(received.startsWith("HTTP/1.1 " + QByteArray::number(status)),
                 received.constData());
        received = received.mid(received.indexOf("\r\n\r\n") + 4);
    } else {
        const HttpAnswer answer = send("PATCH", path, body, {{"Content-Type", contentType}});
        QCOMPARE(answer.status, status);
        received = answer.body;
    }
    const QJsonObject object = QJsonDocument::fromJson(received).object();
    if (status == 415) {
        QCOMPARE(object.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
        QCOMPARE(object.value(QStringLiteral("apiVersion")).toString(), QStringLiteral("v1"));
        QCOMPARE(object.value(QStringLiteral("status")).toString(), QStringLiteral("Failure"));
        QCOMPARE(object.value(QStringLiteral("reason")).toString(),
                 QStringLiteral("UnsupportedMediaType"));
        QCOMPARE(object.value(QStringLiteral("code")).toInt(), 415);
        QVERIFY(object.value(QStringLiteral("message"))
                    .toString()
                    .contains(QLatin1String("application/merge-patch+json")));
        QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), false);
    } else {
        QVERIFY(object.contains(QStringLiteral("metadata")));
        QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), true);
    }
}

void TestFleetSim::kubernetesErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("checks");

    QTest::newRow("InferenceService not found")
        << QByteArray("GET") << kIsvc + QStringLiteral("nope") << QByteArray() << 404
        << QStringList{
               QStringLiteral("/reason=\"NotFound\""),
               QStringLiteral(
                   "/message=\"inferenceservices.serving.kserve.io \\\"nope\\\" not found\""),
               QStringLiteral("/details/name=\"nope\""),
               QStringLiteral("/details/group=\"serving.kserve.io\""),
               QStringLiteral("/details/kind=\"inferenceservices\"")};
    QTest::newRow("patch of a missing InferenceService")
        << QByteArray("PATCH") << kIsvc + QStringLiteral("nope") << QByteArray("{}") << 404
        << QStringList{QStringLiteral("/reason=\"NotFound\"")};
    QTest::newRow("canary percent above 100")
        << QByteArray("PATCH") << kIsvc + QStringLiteral("ranker")
        << QByteArray(R"({"spec":{"predictor":{"canaryTrafficPercent":150}}})") << 422
        << QStringList{
               QStringLiteral("/reason=\"Invalid\""),
               QStringLiteral("/details/kind=\"InferenceService\""),
               QStringLiteral("/details/causes/0/reason=\"FieldValueInvalid\""),
               QStringLiteral("/details/causes/0/field=\"spec.predictor.canaryTrafficPercent\"")};
    QTest::newRow("negative canary percent")
        << QByteArray("PATCH") << kIsvc + QStringLiteral("ranker")
        << QByteArray(R"({"spec":{"predictor":{"canaryTrafficPercent":-1}}})") << 422
        << QStringList{QStringLiteral("/reason=\"Invalid\"")};
    QTest::newRow("canary percent as text")
        << QByteArray("PATCH") << kIsvc + QStringLiteral("ranker")
        << QByteArray(R"({"spec":{"predictor":{"canaryTrafficPercent":"ten"}}})") << 422
        << QStringList{QStringLiteral("/reason=\"Invalid\"")};
    QTest::newRow("patch that is not JSON")
        << QByteArray("PATCH") << kIsvc + QStringLiteral("ranker") << QByteArray("{spec") << 400
        << QStringList{QStringLiteral("/reason=\"BadRequest\""), QStringLiteral("/code=400")};
    QTest::newRow("wrong method") << QByteArray("DELETE") << kIsvc + QStringLiteral("ranker")
                                  << QByteArray() << 405
                                  << QStringList{QStringLiteral("/reason=\"MethodNotAllowed\"")};
    QTest::newRow("Rollout not found")
        << QByteArray("GET") << kRollouts + QStringLiteral("nope") << QByteArray() << 404
        << QStringList{QStringLiteral("/message=\"rollouts.argoproj.io \\\"nope\\\" not found\"")};
    QTest::newRow("abort that is not a boolean")
        << QByteArray("PATCH") << kRollouts + QStringLiteral("ranker/status")
        << QByteArray(R"({"status":{"abort":"yes"}})") << 422
        << QStringList{QStringLiteral("/details/causes/0/field=\"status.abort\"")};
    QTest::newRow("node not found")
        << QByteArray("GET") << QStringLiteral("/api/v1/nodes/nope") << QByteArray() << 404
        << QStringList{QStringLiteral("/message=\"nodes \\\"nope\\\" not found\""),
                       QStringLiteral("/details/kind=\"nodes\"")};
}

void TestFleetSim::kubernetesErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QStringList, checks);

    const HttpAnswer answer = method == "PATCH" ? patch(path, body) : send(method, path, body);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, QByteArray("application/json"));
    verifyChecks(answer,
                 {QStringLiteral("/kind=\"Status\""), QStringLiteral("/apiVersion=\"v1\""),
                  QStringLiteral("/status=\"Failure\""), QStringLiteral("/code=%1").arg(status)});
    verifyChecks(answer, checks);
}

// ---- Argo Rollouts ----

void TestFleetSim::argoRollouts()
{
    const QString ranker = kRollouts + QStringLiteral("ranker");
    const HttpAnswer got = send("GET", ranker);
    QCOMPARE(got.status, 200);
    verifyChecks(got,
                 {QStringLiteral("/apiVersion=\"argoproj.io/v1alpha1\""),
                  QStringLiteral("/kind=\"Rollout\""), QStringLiteral("/status/phase=\"Paused\""),
                  QStringLiteral("/status/currentStepIndex=1"),
                  QStringLiteral("/status/canary/weights/canary/weight=20"),
                  QStringLiteral("/status/pauseConditions/0/reason=\"CanaryPauseStep\"")});

    // With the status subresource, a status in a PATCH of the object itself is ignored.
    const HttpAnswer ignored = patch(ranker, R"({"status":{"abort":true}})");
    QCOMPARE(ignored.status, 200);
    verifyChecks(ignored, {QStringLiteral("/status/phase=\"Paused\"")});
    QCOMPARE(lastRecord(requests()).value(QStringLiteral("effect")).toBool(), false);

    // Promote: the next step's weight, then Healthy after the last one.
    const HttpAnswer promoted =
        patch(ranker + QStringLiteral("/status"), R"({"status":{"pauseConditions":null}})");
    QCOMPARE(promoted.status, 200);
    verifyChecks(promoted, {QStringLiteral("/status/phase=\"Paused\""),
                            QStringLiteral("/status/currentStepIndex=3"),
                            QStringLiteral("/status/canary/weights/canary/weight=50")});
    const HttpAnswer healthy =
        patch(ranker + QStringLiteral("/status"), R"({"status":{"pauseConditions":null}})");
    verifyChecks(healthy, {QStringLiteral("/status/phase=\"Healthy\"")});
    QCOMPARE(at(root(healthy), QStringLiteral("/status/stableRS")),
             at(root(healthy), QStringLiteral("/status/currentPodHash")));

    // Abort: all traffic back to stable, phase Degraded.
    const QString shelf = kRollouts + QStringLiteral("shelf-detector/status");
    const HttpAnswer aborted = patch(shelf, R"({"status":{"abort":true}})");
    QCOMPARE(aborted.status, 200);
    verifyChecks(aborted, {QStringLiteral("/status/abort=true"),
                           QStringLiteral("/status/phase=\"Degraded\""),
                           QStringLiteral("/status/canary/weights/canary/weight=0"),
                           QStringLiteral("/status/canary/weights/stable/weight=100")});
    QVERIFY(at(root(aborted), QStringLiteral("/status/message"))
                .toString()
                .startsWith(QLatin1String("RolloutAborted")));
    QVERIFY(at(root(aborted), QStringLiteral("/status/abortedAt")).isString());
    QCOMPARE(scrape().value(QStringLiteral("rollout_info"),
                            {{QStringLiteral("name"), QStringLiteral("shelf-detector")},
                             {QStringLiteral("phase"), QStringLiteral("Degraded")}}),
             1.0);

    // Retry: the steps start again from the first one.
    const HttpAnswer retried = patch(shelf, R"({"status":{"abort":false}})");
    verifyChecks(retried, {QStringLiteral("/status/phase=\"Paused\""),
                           QStringLiteral("/status/currentStepIndex=1"),
                           QStringLiteral("/status/canary/weights/canary/weight=10")});
    QVERIFY(at(root(retried), QStringLiteral("/status/currentPodHash")).isString());

    verifyChecks(
        send("GET", kRollouts + QStringLiteral("fall-detect")),
        {QStringLiteral("/status/phase=\"Degraded\""), QStringLiteral("/status/abort=true")});
    verifyChecks(send("GET", kRollouts + QStringLiteral("ocr")),
                 {QStringLiteral("/status/phase=\"Healthy\"")});
}

void TestFleetSim::argoWithoutStatusSubresource()
{
    FleetSimProcess sim({QStringLiteral("--scenario"),
                         QStringLiteral(RUNLANE_TEST_DATA "/no-status-subresource.yaml")});
    QString error;
    QVERIFY2(sim.waitUntilListening(&error), qPrintable(error));
    const QString ranker = kRollouts + QStringLiteral("ranker");
    const HeaderList mergePatch{{"Content-Type", "application/merge-patch+json"}};

    const HttpAnswer onStatus = m_client.send("PATCH", sim.url(ranker + QStringLiteral("/status")),
                                              R"({"status":{"abort":true}})", mergePatch);
    QCOMPARE(onStatus.status, 404);
    verifyChecks(onStatus,
                 {QStringLiteral("/kind=\"Status\""), QStringLiteral("/reason=\"NotFound\"")});

    const HttpAnswer onObject =
        m_client.send("PATCH", sim.url(ranker), R"({"status":{"abort":true}})", mergePatch);
    QCOMPARE(onObject.status, 200);
    verifyChecks(onObject, {QStringLiteral("/status/abort=true"),
                            QStringLiteral("/status/phase=\"Degraded\"")});
    verifyCleanStop(sim);
}

// ---- Kubernetes core ----

void TestFleetSim::kubernetesNodesAndHealth()
{
    const HttpAnswer ready = send("GET", QStringLiteral("/readyz"));
    QCOMPARE(ready.status, 200);
    QVERIFY(ready.contentType.startsWith("text/plain"));
    QCOMPARE(ready.body, QByteArray("ok"));

    const QString node = QStringLiteral("/api/v1/nodes/edge-osl-04");
    const HttpAnswer cordoned = patch(node, R"({"spec":{"unschedulable":true}})");
    QCOMPARE(cordoned.status, 200);
    verifyChecks(cordoned, {QStringLiteral("/apiVersion=\"v1\""), QStringLiteral("/kind=\"Node\""),
                            QStringLiteral("/metadata/name=\"edge-osl-04\""),
                            QStringLiteral("/spec/unschedulable=true")});
    QCOMPARE(root(send("GET", node)), root(cordoned));
    QCOMPARE(scrape().value(QStringLiteral("kube_node_spec_unschedulable"),
                            {{QStringLiteral("node"), QStringLiteral("edge-osl-04")}}),
             1.0);

    const HttpAnswer uncordoned = patch(node, R"({"spec":{"unschedulable":null}})");
    QVERIFY(at(root(uncordoned), QStringLiteral("/spec/unschedulable")).isUndefined());
    QCOMPARE(patch(node, R"({"spec":{"unschedulable":"yes"}})").status, 400);
    QCOMPARE(
        at(root(send("GET", QStringLiteral("/api/v1/nodes"))), QStringLiteral("/kind")).toString(),
        QStringLiteral("NodeList"));
}

// ---- PagerDuty and Slack ----

void TestFleetSim::pagerDuty_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("checks");

    const QByteArray key = "0123456789abcdef0123456789abcdef";
    const QByteArray payload =
        R"("payload":{"summary":"drift","source":"runlane","severity":"critical"})";
    QTest::newRow("trigger with a dedup key")
        << QByteArray(R"({"routing_key":")" + key +
                      R"(","event_action":"trigger","dedup_key":"inc-1",)" + payload + "}")
        << 202
        << QStringList{QStringLiteral("/status=\"success\""),
                       QStringLiteral("/message=\"Event processed\""),
                       QStringLiteral("/dedup_key=\"inc-1\"")};
    QTest::newRow("trigger without a dedup key")
        << QByteArray(R"({"routing_key":")" + key + R"(","event_action":"trigger",)" + payload +
                      "}")
        << 202 << QStringList{QStringLiteral("/status=\"success\"")};
    QTest::newRow("resolve") << QByteArray(R"({"routing_key":")" + key +
                                           R"(","event_action":"resolve","dedup_key":"inc-1"})")
                             << 202 << QStringList{QStringLiteral("/dedup_key=\"inc-1\"")};
    QTest::newRow("resolve without a dedup key")
        << QByteArray(R"({"routing_key":")" + key + R"(","event_action":"resolve"})") << 400
        << QStringList{QStringLiteral("/errors/0=\"'dedup_key' is missing or blank\"")};
    QTest::newRow("no routing key")
        << QByteArray(R"({"event_action":"trigger",)" + payload + "}") << 400
        << QStringList{QStringLiteral("/errors/0=\"'routing_key' is missing or blank\"")};
    QTest::newRow("short routing key")
        << QByteArray(R"({"routing_key":"abc","event_action":"trigger",)" + payload + "}") << 400
        << QStringList{QStringLiteral(
               "/errors/0=\"Length of 'routing_key' is incorrect (should be 32 characters)\"")};
    QTest::newRow("no event action")
        << QByteArray(R"({"routing_key":")" + key + R"(",)" + payload + "}") << 400
        << QStringList{QStringLiteral("/errors/0=\"'event_action' is missing or blank\"")};
    QTest::newRow("unknown event action")
        << QByteArray(R"({"routing_key":")" + key + R"(","event_action":"fire",)" + payload + "}")
        << 400
        << QStringList{QStringLiteral("/errors/0=\"'event_action' is invalid (must be one of the "
                                      "following: 'trigger', 'acknowledge' or 'resolve')\"")};
    QTest::newRow("no payload")
        << QByteArray(R"({"routing_key":")" + key + R"(","event_action":"trigger"})") << 400
        << QStringList{QStringLiteral("/errors/0=\"'payload' is missing or blank\"")};
    QTest::newRow("incomplete payload")
        << QByteArray(R"({"routing_key":")" + key +
                      R"(","event_action":"trigger","payload":{"severity":"sev1"}})")
        << 400
        << QStringList{
               QStringLiteral("/errors/0=\"'payload.summary' is missing or blank\""),
               QStringLiteral("/errors/1=\"'payload.source' is missing or blank\""),
               QStringLiteral("/errors/2=\"'payload.severity' is invalid (must be one of the "
                              "following: 'critical', 'warning', 'error' or 'info')\"")};
    QTest::newRow("not JSON") << QByteArray("routing_key=x") << 400 << QStringList();
}

void TestFleetSim::pagerDuty()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QStringList, checks);

    const HttpAnswer answer =
        send("POST", QStringLiteral("/v2/enqueue"), body, {{"Content-Type", "application/json"}});
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, QByteArray("application/json"));
    if (status == 400)
        verifyChecks(answer, {QStringLiteral("/status=\"invalid event\""),
                              QStringLiteral("/message=\"Event object is invalid\"")});
    verifyChecks(answer, checks);
    QCOMPARE(at(root(answer), QStringLiteral("/dedup_key")).toString().size() > 0, status == 202);
    QCOMPARE(state().value(QStringLiteral("pagerduty_events")).toArray().size(),
             status == 202 ? 1 : 0);
}

void TestFleetSim::slackWebhook_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");

    QTest::newRow("message") << QStringLiteral("/services/T0001/B0001/XXXXXXXX")
                             << QByteArray(R"({"text":"Canary demoted"})") << 200
                             << QByteArray("ok");
    QTest::newRow("scenario webhook") << QStringLiteral("/services/runlane-sim")
                                      << QByteArray(R"({"text":"hi"})") << 200 << QByteArray("ok");
    QTest::newRow("blocks only") << QStringLiteral("/services/T0001/B0001/XXXXXXXX")
                                 << QByteArray(R"({"blocks":[{"type":"divider"}]})") << 200
                                 << QByteArray("ok");
    QTest::newRow("unknown webhook")
        << QStringLiteral("/services/nope") << QByteArray(R"({"text":"hi"})") << 404
        << QByteArray("no_service");
    QTest::newRow("not JSON") << QStringLiteral("/services/T0001/B0001/XXXXXXXX")
                              << QByteArray("text=hi") << 400 << QByteArray("invalid_payload");
    QTest::newRow("text not a string")
        << QStringLiteral("/services/T0001/B0001/XXXXXXXX") << QByteArray(R"({"text":5})") << 400
        << QByteArray("invalid_payload");
    QTest::newRow("no text") << QStringLiteral("/services/T0001/B0001/XXXXXXXX") << QByteArray("{}")
                             << 400 << QByteArray("no_text");
}

void TestFleetSim::slackWebhook()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    const HttpAnswer reply = send("POST", path, body, {{"Content-Type", "application/json"}});
    QCOMPARE(reply.status, status);
    QVERIFY(reply.contentType.startsWith("text/plain"));
    QCOMPARE(reply.body, answer);
    QCOMPARE(state().value(QStringLiteral("slack_messages")).toArray().size(),
             status == 200 ? 1 : 0);
}

// ---- /metrics ----

void TestFleetSim::metricsExposition()
{
    const HttpAnswer answer = send("GET", QStringLiteral("/metrics"));
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.contentType.startsWith("text/plain; version=0.0.4"),
             answer.contentType.constData());
    Exposition exposition;
    QString error;
    QVERIFY2(parseExposition(answer.body, &exposition, &error), qPrintable(error));

    QCOMPARE(exposition.types.value(QStringLiteral("model_input_psi")), QStringLiteral("gauge"));
    QCOMPARE(exposition.types.value(QStringLiteral("model_request_latency_seconds")),
             QStringLiteral("histogram"));
    QCOMPARE(exposition.types.value(QStringLiteral("model_request_errors_total")),
             QStringLiteral("counter"));
    QCOMPARE(exposition.types.value(QStringLiteral("inference_request_duration_seconds")),
             QStringLiteral("histogram"));
    for (const QString &track : {QStringLiteral("canary"), QStringLiteral("stable")}) {
        const QMap<QString, QString> labels{{QStringLiteral("model"), QStringLiteral("ranker")},
                                            {QStringLiteral("track"), track}};
        QVERIFY(!std::isnan(exposition.value(QStringLiteral("model_input_psi"), labels)));
        QCOMPARE(
            exposition.find(QStringLiteral("model_request_latency_seconds_bucket"), labels).size(),
            12);
        QVERIFY(!std::isnan(
            exposition.value(QStringLiteral("model_request_latency_seconds_sum"), labels)));
        QVERIFY(
            !std::isnan(exposition.value(QStringLiteral("model_request_errors_total"), labels)));
    }
    // The series the shipped playbooks query, with their labels.
    QCOMPARE(exposition.value(QStringLiteral("model_input_psi"),
                              {{QStringLiteral("namespace"), QStringLiteral("edge-serving")},
                               {QStringLiteral("model"), QStringLiteral("ranker")},
                               {QStringLiteral("track"), QStringLiteral("canary")}}),
             0.41);
    QVERIFY(!exposition
                 .find(QStringLiteral("inference_request_duration_seconds_bucket"),
                       {{QStringLiteral("node"), QStringLiteral("edge-fra-07")},
                        {QStringLiteral("model"), QStringLiteral("ranker")}})
                 .isEmpty());
    QCOMPARE(exposition.value(QStringLiteral("rollout_info"),
                              {{QStringLiteral("namespace"), QStringLiteral("edge-rollouts")},
                               {QStringLiteral("name"), QStringLiteral("ocr")},
                               {QStringLiteral("phase"), QStringLiteral("Healthy")}}),
             1.0);
    for (const QString &name :
         {QStringLiteral("revision_request_count"), QStringLiteral("inference_requests_total"),
          QStringLiteral("nv_inference_request_success"), QStringLiteral("DCGM_FI_DEV_GPU_TEMP"),
          QStringLiteral("nv_gpu_memory_used_bytes"),
          QStringLiteral("kube_pod_container_status_restarts_total")})
        QVERIFY2(!exposition.find(name).isEmpty(), qPrintable(name));

    // Deterministic: nothing changed, so a second scrape is the same text.
    QCOMPARE(send("GET", QStringLiteral("/metrics")).body, answer.body);
}

void TestFleetSim::metricsFollowState()
{
    const QMap<QString, QString> canary{{QStringLiteral("model"), QStringLiteral("ranker")},
                                        {QStringLiteral("track"), QStringLiteral("canary")}};
    const QMap<QString, QString> stable{{QStringLiteral("model"), QStringLiteral("ranker")},
                                        {QStringLiteral("track"), QStringLiteral("stable")}};
    const QString psi = QStringLiteral("model_input_psi");
    const QString latency = QStringLiteral("model_request_latency_seconds");

    Exposition before = scrape();
    QCOMPARE(before.value(psi, canary), 0.41);
    QCOMPARE(before.quantileBucket(latency, canary, 0.99), 0.25); // 180 ms
    QCOMPARE(before.quantileBucket(latency, stable, 0.99), 0.1);  // 60 ms

    // No traffic on the canary: it stops being the drifting, slow one.
    QCOMPARE(patch(kIsvc + QStringLiteral("ranker"),
                   R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})")
                 .status,
             200);
    Exposition after = scrape();
    QCOMPARE(after.value(psi, canary), 0.04);
    QCOMPARE(after.quantileBucket(latency, canary, 0.99), 0.1);

    // Control values reach the series (and a canary without traffic follows its stable track).
    const HttpAnswer set = send("PUT", QStringLiteral("/_sim/metrics"),
                                R"([{"model":"ranker","track":"stable","psi":0.3,"p99_ms":400},
                                    {"name":"DCGM_FI_DEV_GPU_TEMP","labels":{"Hostname":"edge-fra-07","gpu":"0"},"value":91}])");
    QCOMPARE(set.status, 200);
    Exposition controlled = scrape();
    QCOMPARE(controlled.value(psi, stable), 0.3);
    QCOMPARE(controlled.value(psi, canary), 0.3);
    QCOMPARE(controlled.quantileBucket(latency, stable, 0.99), 0.5);
    QCOMPARE(controlled.value(QStringLiteral("DCGM_FI_DEV_GPU_TEMP"),
                              {{QStringLiteral("Hostname"), QStringLiteral("edge-fra-07")}}),
             91.0);
    QCOMPARE(send("PUT", QStringLiteral("/_sim/metrics"),
                  R"({"model":"ranker","track":"canary","psi":-1})")
                 .status,
             400);

    const QJsonArray metrics = state().value(QStringLiteral("metrics")).toArray();
    QCOMPARE(at(metrics, QStringLiteral("/0/shown/traffic_share")).toDouble(), 0.0);
}

// With traffic per scrape, counters move as Prometheus would see them: by traffic share.
void TestFleetSim::metricsWithTraffic()
{
    FleetSimProcess sim({QStringLiteral("--requests-per-scrape"), QStringLiteral("100")});
    QString error;
    QVERIFY2(sim.waitUntilListening(&error), qPrintable(error));
    const auto revision = [](const char *name) {
        return QMap<QString, QString>{
            {QStringLiteral("namespace_name"), QStringLiteral("edge-serving")},
            {QStringLiteral("revision_name"), QLatin1String(name)}};
    };
    const QMap<QString, QString> canary{{QStringLiteral("model"), QStringLiteral("ranker")},
                                        {QStringLiteral("track"), QStringLiteral("canary")}};
    const QString requests = QStringLiteral("revision_request_count");
    const QString canaryCount = QStringLiteral("model_request_latency_seconds_count");

    scrape(sim);
    Exposition second = scrape(sim);
    QCOMPARE(second.value(requests, revision("ranker-predictor-00004")), 20.0); // 10% canary
    QCOMPARE(second.value(requests, revision("ranker-predictor-00003")), 180.0);
    QCOMPARE(second.value(canaryCount, canary), 1020.0);

    const HttpAnswer demoted = m_client.send("PATCH", sim.url(kIsvc + QStringLiteral("ranker")),
                                             R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})",
                                             {{"Content-Type", "application/merge-patch+json"}});
    QCOMPARE(demoted.status, 200);
    Exposition third = scrape(sim);
    QCOMPARE(third.value(requests, revision("ranker-predictor-00004")), 20.0); // drained
    QCOMPARE(third.value(requests, revision("ranker-predictor-00003")), 280.0);
    QCOMPARE(third.value(canaryCount, canary), 1020.0);

    QCOMPARE(third.value(QStringLiteral("nv_inference_request_success"),
                         {{QStringLiteral("model"), QStringLiteral("detector")}}),
             300.0);
    QCOMPARE(third.value(QStringLiteral("nv_inference_request_success"),
                         {{QStringLiteral("model"), QStringLiteral("yolo_shelf")}}),
             0.0);
    QCOMPARE(third.value(QStringLiteral("kube_pod_container_status_restarts_total")), 17.0);
    // shelf-detector's canary takes 30% with 8% errors: 2 failures per scrape.
    QCOMPARE(third.value(QStringLiteral("inference_requests_total"),
                         {{QStringLiteral("rollout"), QStringLiteral("shelf-detector")},
                          {QStringLiteral("role"), QStringLiteral("canary")},
                          {QStringLiteral("code"), QStringLiteral("503")}}),
             6.0);
    QVERIFY(!third.types.isEmpty()); // parsed and checked (cumulative buckets) every time
    verifyCleanStop(sim);
}

// ---- request log and idempotency ----

void TestFleetSim::requestLog()
{
    const HttpAnswer first =
        send("PUT", QStringLiteral("/models/ranker/3.1/set-default?reason=drill"), "rollback",
             {{"Idempotency-Key", "inc-7/set-default/1"}, {"Authorization", "Bearer t0ken"}});
    QCOMPARE(first.status, 200);
    send("GET", QStringLiteral("/models/nope"));

    const QJsonArray log = requests();
    QCOMPARE(log.size(), 2); // control calls are not logged
    const QJsonObject put = log.at(0).toObject();
    QCOMPARE(put.value(QStringLiteral("method")).toString(), QStringLiteral("PUT"));
    QCOMPARE(put.value(QStringLiteral("path")).toString(),
             QStringLiteral("/models/ranker/3.1/set-default"));
    QCOMPARE(put.value(QStringLiteral("query")).toString(), QStringLiteral("reason=drill"));
    QCOMPARE(put.value(QStringLiteral("body")).toString(), QStringLiteral("rollback"));
    QCOMPARE(at(put, QStringLiteral("/headers/Idempotency-Key")).toString(),
             QStringLiteral("inc-7/set-default/1"));
    QCOMPARE(at(put, QStringLiteral("/headers/Authorization")).toString(),
             QStringLiteral("Bearer t0ken"));
    QCOMPARE(put.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(put.value(QStringLiteral("effect")).toBool(), true);
    QCOMPARE(put.value(QStringLiteral("replayed")).toBool(), false);
    const QJsonObject get = log.at(1).toObject();
    QCOMPARE(get.value(QStringLiteral("status")).toInt(), 404);
    QCOMPARE(get.value(QStringLiteral("effect")).toBool(), false);
    QVERIFY(get.value(QStringLiteral("seq")).toInteger() >
            put.value(QStringLiteral("seq")).toInteger());

    QCOMPARE(send("DELETE", QStringLiteral("/_sim/requests")).status, 200);
    QCOMPARE(requests().size(), 0);
    send("GET", QStringLiteral("/ping"));
    QVERIFY(requests().at(0).toObject().value(QStringLiteral("seq")).toInteger() >
            get.value(QStringLiteral("seq")).toInteger());
}

void TestFleetSim::idempotentReplay()
{
    const HeaderList key{{"Idempotency-Key", "inc-1/set-default/1"}};
    const HttpAnswer first = send("PUT", QStringLiteral("/models/ranker/3.1/set-default"), {}, key);
    QCOMPARE(first.status, 200);
    QCOMPARE(send("PUT", QStringLiteral("/models/ranker/3.2/set-default"), {},
                  {{"Idempotency-Key", "inc-1/set-default/2"}})
                 .status,
             200);

    // The first key again: the first answer, and no second effect (3.2 stays the default).
    const HttpAnswer again = send("PUT", QStringLiteral("/models/ranker/3.1/set-default"), {}, key);
    QCOMPARE(again.status, first.status);
    QCOMPARE(again.body, first.body);
    verifyChecks(send("GET", QStringLiteral("/models/ranker")),
                 {QStringLiteral("/0/modelVersion=\"3.2\"")});
    const QJsonObject replay = requests().at(2).toObject();
    QCOMPARE(replay.value(QStringLiteral("replayed")).toBool(), true);
    QCOMPARE(replay.value(QStringLiteral("effect")).toBool(), false);

    // The same for a merge patch and a page.
    const HeaderList patchKey{{"Idempotency-Key", "inc-1/demote/1"}};
    const HttpAnswer demoted =
        patch(kIsvc + QStringLiteral("ranker"),
              R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})", patchKey);
    patch(kIsvc + QStringLiteral("ranker"),
          R"({"spec":{"predictor":{"canaryTrafficPercent":30}}})");
    QCOMPARE(patch(kIsvc + QStringLiteral("ranker"),
                   R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})", patchKey)
                 .body,
             demoted.body);
    verifyChecks(send("GET", kIsvc + QStringLiteral("ranker")),
                 {QStringLiteral("/spec/predictor/canaryTrafficPercent=30")});

    const QByteArray page =
        R"({"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger",
        "payload":{"summary":"s","source":"runlane","severity":"error"}})";
    for (int i = 0; i < 3; ++i)
        QCOMPARE(
            send("POST", QStringLiteral("/v2/enqueue"), page, {{"Idempotency-Key", "inc-1/page/1"}})
                .status,
            202);
    QCOMPARE(state().value(QStringLiteral("pagerduty_events")).toArray().size(), 1);

    // Reads are never replayed.
    send("GET", QStringLiteral("/models/ranker"), {}, key);
    QCOMPARE(lastRecord(requests()).value(QStringLiteral("replayed")).toBool(), false);
}

// ---- faults ----

void TestFleetSim::answerFaults_data()
{
    QTest::addColumn<QByteArray>("faults");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<qint64>("minElapsedMs");

    QTest::newRow("latency") << QByteArray(
                                    R"([{"kind":"latency","ms":400,"path":"/v2/health/live"}])")
                             << QByteArray("GET") << QStringLiteral("/v2/health/live") << 200
                             << QByteArray() << qint64(350);
    QTest::newRow("status") << QByteArray(R"([{"kind":"status","status":503,"path":"/models/*",
                                              "body":{"code":503,"type":"ServiceUnavailableException","message":"down"}}])")
                            << QByteArray("GET") << QStringLiteral("/models/ranker") << 503
                            << QByteArray() << qint64(0);
    QTest::newRow("retry-after 429")
        << QByteArray(R"([{"kind":"retry-after","status":429,"retry_after":7}])")
        << QByteArray("PUT") << QStringLiteral("/models/ranker/3.1/set-default") << 429
        << QByteArray("7") << qint64(0);
    QTest::newRow("retry-after 503")
        << QByteArray(R"([{"kind":"retry-after","retry_after":2}])") << QByteArray("GET")
        << QStringLiteral("/ping") << 503 << QByteArray("2") << qint64(0);
    QTest::newRow("method does not match")
        << QByteArray(R"([{"kind":"status","status":500,"method":"PUT"}])") << QByteArray("GET")
        << QStringLiteral("/v2/health/live") << 200 << QByteArray() << qint64(0);
    QTest::newRow("path does not match")
        << QByteArray(R"([{"kind":"status","status":500,"path":"/nodes/1/*"}])")
        << QByteArray("GET") << QStringLiteral("/nodes/2/v2/health/live") << 200 << QByteArray()
        << qint64(0);
}

void TestFleetSim::answerFaults()
{
    QFETCH(QByteArray, faults);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(qint64, minElapsedMs);

    setFaults(faults);
    const HttpAnswer answer = send(method, path);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.header("Retry-After"), retryAfter);
    QVERIFY2(answer.elapsedMs >= minElapsedMs, qPrintable(QString::number(answer.elapsedMs)));
    if (status == 503 && retryAfter.isEmpty())
        verifyChecks(answer, {QStringLiteral("/type=\"ServiceUnavailableException\"")});
    const QJsonObject record = lastRecord(requests());
    QCOMPARE(record.value(QStringLiteral("effect")).toBool(), false);
    QCOMPARE(record.value(QStringLiteral("status")).toInt(), status);
}

void TestFleetSim::resetFault()
{
    // Qt's HTTP client resends a request once or twice when the server closes the connection
    // before answering, so every matching request is reset here.
    setFaults(R"([{"kind":"reset","path":"/v2/health/live"}])");
    const HttpAnswer answer = send("GET", QStringLiteral("/v2/health/live"));
    QCOMPARE(answer.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(answer.status, 0);
    const QJsonObject record = requests().at(0).toObject();
    QCOMPARE(record.value(QStringLiteral("outcome")).toString(), QStringLiteral("reset"));
    QVERIFY(record.value(QStringLiteral("status")).isNull());

    // Other paths still answer.
    QCOMPARE(send("GET", QStringLiteral("/v2/health/ready")).status, 200);
}

void TestFleetSim::resetAfterEffectHasOneEffect()
{
    setFaults(R"([{"kind":"reset","after_effect":true,"count":1,"method":"PUT"}])");
    const HeaderList key{{"Idempotency-Key", "inc-2/set-default/1"}};
    const QString path = QStringLiteral("/models/ranker/3.1/set-default");
    send("PUT", path, {}, key); // the first attempt is reset; the client may resend it
    const HttpAnswer retried = send("PUT", path, {}, key);
    QCOMPARE(retried.status, 200);
    verifyChecks(retried, {QStringLiteral("/status=\"Default vesion succsesfully updated for model "
                                          "\\\"ranker\\\" to \\\"3.1\\\"\"")});

    int effects = 0;
    const QJsonArray log = requests();
    for (const QJsonValue &record : log)
        effects += record.toObject().value(QStringLiteral("effect")).toBool() ? 1 : 0;
    QCOMPARE(effects, 1);
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("reset"));
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("effect")).toBool(), true);
    QCOMPARE(lastRecord(log).value(QStringLiteral("replayed")).toBool(), true);
}

void TestFleetSim::hangFault()
{
    setFaults(R"([{"kind":"hang","path":"/v2/health/ready"}])");
    const HttpAnswer hung = send("GET", QStringLiteral("/v2/health/ready"), {}, {}, 600);
    QVERIFY(hung.timedOut);
    QVERIFY(hung.elapsedMs >= 550);
    QCOMPARE(requests().at(0).toObject().value(QStringLiteral("outcome")).toString(),
             QStringLiteral("hang"));

    // The server itself keeps answering other requests.
    const HttpAnswer live = send("GET", QStringLiteral("/v2/health/live"));
    QCOMPARE(live.status, 200);
    QVERIFY(live.elapsedMs < 5000);
}

void TestFleetSim::faultCountAndRate()
{
    setFaults(R"([{"kind":"status","status":503,"count":2,"path":"/v2/health/live"}])");
    QList<int> statuses;
    for (int i = 0; i < 3; ++i)
        statuses << send("GET", QStringLiteral("/v2/health/live")).status;
    QCOMPARE(statuses, (QList<int>{503, 503, 200}));
    verifyChecks(send("GET", QStringLiteral("/_sim/faults")),
                 {QStringLiteral("/0/seen=3"), QStringLiteral("/0/applied=2")});

    const QByteArray rateFault =
        R"([{"kind":"status","status":503,"rate":0.5,"seed":42,"path":"/v2/health/live"}])";
    const auto draw = [&] {
        setFaults(rateFault);
        QList<int> pattern;
        for (int i = 0; i < 20; ++i)
            pattern << send("GET", QStringLiteral("/v2/health/live")).status;
        return pattern;
    };
    const QList<int> first = draw();
    const QList<int> second = draw(); // replacing the faults starts their counts again
    QCOMPARE(first, second);
    QVERIFY(first.contains(200) && first.contains(503));

    QCOMPARE(send("PUT", QStringLiteral("/_sim/faults"), R"([{"kind":"explode"}])").status, 400);
    QCOMPARE(
        send("PUT", QStringLiteral("/_sim/faults"), R"([{"kind":"status","count":1,"rate":0.5}])")
            .status,
        400);
}

void TestFleetSim::faultFlags()
{
    FleetSimProcess sim({QStringLiteral("--latency"), QStringLiteral("200"),
                         QStringLiteral("--fail-first"), QStringLiteral("1"),
                         QStringLiteral("--fault-path"), QStringLiteral("/v2/*")});
    QString error;
    QVERIFY2(sim.waitUntilListening(&error), qPrintable(error));
    const HttpAnswer first = m_client.send("GET", sim.url(QStringLiteral("/v2/health/live")));
    QCOMPARE(first.status, 503);
    QVERIFY(first.elapsedMs >= 180);
    const HttpAnswer second = m_client.send("GET", sim.url(QStringLiteral("/v2/health/live")));
    QCOMPARE(second.status, 200);
    QVERIFY(second.elapsedMs >= 180);
    QCOMPARE(m_client.send("GET", sim.url(QStringLiteral("/ping"))).status, 500); // not under /v2
    const QJsonArray faults =
        m_client.send("GET", sim.url(QStringLiteral("/_sim/faults"))).json().array();
    QCOMPARE(faults.size(), 2);
    QCOMPARE(at(faults, QStringLiteral("/0/kind")).toString(), QStringLiteral("latency"));
    verifyCleanStop(sim);
}

// ---- HTTP ----

void TestFleetSim::httpProtocol_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<int>("answers");
    QTest::addColumn<bool>("closed");

    const QByteArray live = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::newRow("malformed request line")
        << QByteArray("GARBAGE\r\n\r\n") << QByteArray("HTTP/1.1 400") << 1 << true;
    QTest::newRow("unknown HTTP version")
        << QByteArray("GET / HTTP/2.0\r\n\r\n") << QByteArray("HTTP/1.1 400") << 1 << true;
    QTest::newRow("malformed header") << QByteArray("GET /ping HTTP/1.1\r\nNoColon\r\n\r\n")
                                      << QByteArray("HTTP/1.1 400") << 1 << true;
    QTest::newRow("malformed Content-Length")
        << QByteArray("POST /v2/enqueue HTTP/1.1\r\nContent-Length: ten\r\n\r\n")
        << QByteArray("HTTP/1.1 400") << 1 << true;
    QTest::newRow("body over 1 MiB")
        << QByteArray("POST /v2/enqueue HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n")
        << QByteArray("HTTP/1.1 413") << 1 << true;
    QTest::newRow("chunked body")
        << QByteArray("POST /v2/enqueue HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        << QByteArray("HTTP/1.1 501") << 1 << true;
    QTest::newRow("Connection: close")
        << QByteArray("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        << QByteArray("HTTP/1.1 200") << 1 << true;
    QTest::newRow("HTTP/1.0 closes") << QByteArray("GET /v2/health/live HTTP/1.0\r\n\r\n")
                                     << QByteArray("HTTP/1.1 200") << 1 << true;
    QTest::newRow("keep-alive by default") << live << QByteArray("HTTP/1.1 200") << 1 << false;
    QTest::newRow("pipelined requests")
        << live + live + live << QByteArray("HTTP/1.1 200") << 3 << false;
    QTest::newRow("unknown path") << QByteArray("GET /nowhere HTTP/1.1\r\n\r\n")
                                  << QByteArray("HTTP/1.1 404") << 1 << false;
    QTest::newRow("HEAD has no body")
        << QByteArray("HEAD /readyz HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 200") << 1 << false;
}

void TestFleetSim::httpProtocol()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, statusLine);
    QFETCH(int, answers);
    QFETCH(bool, closed);

    const RawExchange exchange = rawExchange(m_sim->port(), request);
    QVERIFY2(exchange.received.startsWith(statusLine), exchange.received.constData());
    QCOMPARE(int(exchange.received.count("HTTP/1.1 ")), answers);
    QCOMPARE(exchange.closedByServer, closed);
    QVERIFY(exchange.received.contains("Content-Length: "));
    if (closed && statusLine == "HTTP/1.1 200")
        QVERIFY(exchange.received.contains("Connection: close\r\n") ||
                request.contains("HTTP/1.0"));
    if (request.startsWith("HEAD "))
        QVERIFY(exchange.received.endsWith("Content-Length: 2\r\n\r\n"));
}

// curl asks before sending a larger body ("Expect: 100-continue") and waits for the go-ahead.
void TestFleetSim::expectContinue()
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_sim->port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"text":")" + QByteArray(2000, 'x') + R"("})";
    socket.write("POST /services/T1/B1/X1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n");
    QByteArray received;
    const QDeadlineTimer deadline(10000);
    while (!received.contains("\r\n\r\n") && !deadline.hasExpired() &&
           socket.waitForReadyRead(1000))
        received += socket.readAll();
    QCOMPARE(received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write(body);
    received.clear();
    while (!received.endsWith("ok") && !deadline.hasExpired() && socket.waitForReadyRead(1000))
        received += socket.readAll();
    QVERIFY2(received.startsWith("HTTP/1.1 200 OK\r\n"), received.constData());
    QVERIFY(received.endsWith("\r\n\r\nok"));
}

// 64 keep-alive connections send 10,000 requests between them, each one after the previous
// answer: the server must not block per request nor slow down as the log grows.
void TestFleetSim::manyKeepAliveConnections()
{
    constexpr int kConnections = 64;
    constexpr int kRequests = 10000;
    struct Connection
    {
        std::unique_ptr<QTcpSocket> socket;
        QByteArray buffer;
        int sent = 0;
    };
    std::vector<Connection> connections(kConnections);
    int started = 0;
    int answered = 0;
    int ok = 0;
    const auto request = [&](int n) {
        return "GET /nodes/" + QByteArray::number(n % 3) +
               "/v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    };
    const auto sendNext = [&](Connection &c) {
        if (started >= kRequests)
            return;
        c.socket->write(request(started++));
    };
    for (Connection &c : connections) {
        c.socket = std::make_unique<QTcpSocket>();
        Connection *connection = &c;
        connect(c.socket.get(), &QTcpSocket::readyRead, this, [&, connection] {
            connection->buffer += connection->socket->readAll();
            // Answers are "HTTP/1.1 200 OK ... Content-Length: 0\r\n\r\n"
            for (qsizetype end = connection->buffer.indexOf("\r\n\r\n"); end >= 0;
                 end = connection->buffer.indexOf("\r\n\r\n")) {
                ok += connection->buffer.startsWith("HTTP/1.1 200") ? 1 : 0;
                connection->buffer.remove(0, end + 4);
                ++answered;
                sendNext(*connection);
            }
        });
        c.socket->connectToHost(QStringLiteral("127.0.0.1"), m_sim->port());
    }
    for (Connection &c : connections) {
        QVERIFY(c.socket->waitForConnected(10000));
        sendNext(c);
    }
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(answered, kRequests, 120000);
    QCOMPARE(ok, kRequests);
    qInfo("%d requests on %d connections in %lld ms", kRequests, kConnections, clock.elapsed());
    QCOMPARE(requests().size(), kRequests);
}

// ---- scenario files and the process ----

void TestFleetSim::scenarioErrors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("position");
    QTest::addColumn<QString>("message");

    QTest::newRow("YAML syntax") << QStringLiteral("syntax.yaml") << QStringLiteral("4:1")
                                 << QStringLiteral("end of sequence flow not found");
    QTest::newRow("unknown key") << QStringLiteral("unknown-key.yaml") << QStringLiteral("3:5")
                                 << QStringLiteral("unknown key 'torchsrve'");
    QTest::newRow("default not a version")
        << QStringLiteral("bad-default.yaml") << QStringLiteral("5:18")
        << QStringLiteral("default version '9.9'");
    QTest::newRow("bad fault") << QStringLiteral("bad-fault.yaml") << QStringLiteral("4:33")
                               << QStringLiteral("'count' must be a whole number");
    QTest::newRow("canary percent out of range")
        << QStringLiteral("bad-percent.yaml") << QStringLiteral("7:23")
        << QStringLiteral("'canary_percent' must be from 0 to 100");
    QTest::newRow("no nodes") << QStringLiteral("no-nodes.yaml") << QStringLiteral("1:1")
                              << QStringLiteral("needs 'nodes'");
}

void TestFleetSim::scenarioErrors()
{
    QFETCH(QString, file);
    QFETCH(QString, position);
    QFETCH(QString, message);

    const QString path = QStringLiteral(RUNLANE_TEST_DATA "/") + file;
    QProcess process;
    process.start(
        QStringLiteral(FLEETSIM_EXECUTABLE),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--scenario"), path});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromLocal8Bit(process.readAllStandardError());
    QVERIFY2(error.contains(path + QLatin1Char(':') + position + QStringLiteral(": error: ")),
             qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestFleetSim::stopsOnSigterm()
{
    FleetSimProcess sim({});
    QString error;
    QVERIFY2(sim.waitUntilListening(&error), qPrintable(error));
    QCOMPARE(m_client.send("GET", sim.url(QStringLiteral("/readyz"))).status, 200);
    verifyCleanStop(sim);
}

QTEST_GUILESS_MAIN(TestFleetSim)
#include "tst_fleetsim.moc"
