#include "actions/request_builder.h"
#include "engine/playbook/call_catalog.h"
#include "integrations/call.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace runlane;
using WorkOutcome = WorkResult::Outcome;

Q_DECLARE_METATYPE(WorkResult::Outcome)

// Every built-in call against the shapes its API documents: the request it builds, the `with:`
// values it refuses, and how it reads the API's own success and error answers. No network.
class TestCalls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCatalogCallIsDefined();
    void missingRequiredValuesAreBuildErrors();
    void build_data();
    void build();
    void buildError_data();
    void buildError();
    void pagerdutyNeedsARoutingKey();
    void read_data();
    void read();
    void transportFailure_data();
    void transportFailure();
    void argoFallback_data();
    void argoFallback();
    void slackUrlIsNeverInAnError();
};

namespace {

const QString nodeBase = QStringLiteral("http://127.0.0.1:9/nodes/7");
const QString k8sBase = QStringLiteral("https://127.0.0.1:6443/clusters/edge");
const QString pdBase = QStringLiteral("https://events.pagerduty.com");
const QString slackUrl =
    QStringLiteral("https://hooks.slack.com/services/T0001/B0002/XXXXWEBHOOKSECRET");
const QString routingKey = QStringLiteral("R01234567890123456789012345678AB");

ResolvedTarget target()
{
    ResolvedTarget t;
    t.name = QStringLiteral("fleet");
    t.routingKey = routingKey;
    return t;
}

const ResolvedTarget &sharedTarget()
{
    static const ResolvedTarget t = target();
    return t;
}

CallContext context(const QByteArray &with, const QString &base,
                    const ResolvedTarget *t = &sharedTarget())
{
    CallContext ctx;
    ctx.target = t;
    ctx.baseUrl = base;
    ctx.with = QJsonDocument::fromJson(with).object();
    ctx.incidentId = QStringLiteral("inc-42");
    ctx.nowUtc = QDateTime(QDate(2024, 11, 29), QTime(6, 0), Qt::UTC);
    return ctx;
}

const CallDefinition &definition(const QString &name)
{
    const CallDefinition *d = findCallDefinition(name);
    if (!d)
        qFatal("no definition for %s", qPrintable(name));
    return *d;
}

QString headerLines(const QList<HttpHeader> &headers)
{
    QStringList lines;
    for (const HttpHeader &h : headers)
        lines.append(QString::fromUtf8(h.name + ": " + h.value));
    return lines.join(u'\n');
}

HttpResult answer(int status, const QByteArray &body)
{
    HttpResult r;
    r.status = status;
    r.body = body;
    r.attempts = 1;
    r.elapsedMs = 12;
    return r;
}

// "body.status.components.predictor.x" or "body.0.name" inside {value, status, body}.
QJsonValue at(const WorkResult &result, const QString &path)
{
    QJsonValue v = QJsonObject{{QStringLiteral("value"), result.value},
                               {QStringLiteral("status"), result.status},
                               {QStringLiteral("body"), result.body}};
    for (const QString &part : path.split(u'.')) {
        bool index = false;
        const int i = part.toInt(&index);
        v = index ? v.toArray().at(i) : v.toObject().value(part);
    }
    return v;
}

QString shown(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

} // namespace

void TestCalls::everyCatalogCallIsDefined()
{
    for (const CallSpec &spec : callCatalog()) {
        const CallDefinition *d = findCallDefinition(spec.name);
        if (spec.usesRequest) {
            QVERIFY2(!d, qPrintable(spec.name));
            continue;
        }
        QVERIFY2(d, qPrintable(spec.name));
        QCOMPARE(d->name, spec.name);
        QVERIFY(d->build);
        QVERIFY(d->read);
    }
    QVERIFY(!findCallDefinition(QStringLiteral("http.request")));
    QVERIFY(!findCallDefinition(QStringLiteral("torchserve.restart")));
}

// The catalog checks required values at load time; a template that renders to nothing must still
// be refused before anything is sent.
void TestCalls::missingRequiredValuesAreBuildErrors()
{
    for (const CallSpec &spec : callCatalog()) {
        if (spec.usesRequest)
            continue;
        const auto built = definition(spec.name).build(context("{}", nodeBase));
        if (spec.required.isEmpty()) {
            QVERIFY2(std::holds_alternative<HttpRequest>(built), qPrintable(spec.name));
            continue;
        }
        QVERIFY2(std::holds_alternative<QString>(built), qPrintable(spec.name));
        const QString error = std::get<QString>(built);
        const bool namesOne =
            std::any_of(spec.required.cbegin(), spec.required.cend(), [&error](const QString &key) {
                return error == key + QStringLiteral(": required");
            });
        QVERIFY2(namesOne, qPrintable(spec.name + QStringLiteral(" → ") + error));
    }
}

void TestCalls::build_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QByteArray>("with");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("headers");
    QTest::addColumn<QByteArray>("body"); // JSON, compared as JSON; empty for none

    const QString accept = QStringLiteral("Accept: application/json");
    const QString json = QStringLiteral("Content-Type: application/json");
    const QString acceptJson = accept + u'\n' + json;
    const QString mergePatch =
        accept + QStringLiteral("\nContent-Type: application/merge-patch+json");
    const QByteArray none;

    QTest::newRow("prometheus.query")
        << QStringLiteral("prometheus.query")
        << QByteArray(
               R"json({"promql":"max(model_input_psi{model=\"ranker\", track=\"canary\"})"})json")
        << QStringLiteral("http://127.0.0.1:9090") << QByteArray("GET")
        << QStringLiteral("http://127.0.0.1:9090/api/v1/query?query=max%28model_input_psi%7Bmodel%"
                          "3D%22ranker%22%2C%20track%3D%22canary%22%7D%29")
        << accept << none;

    QTest::newRow("torchserve.ping")
        << QStringLiteral("torchserve.ping") << QByteArray("{}") << nodeBase << QByteArray("GET")
        << nodeBase + QStringLiteral("/ping") << accept << none;
    QTest::newRow("torchserve.describe default")
        << QStringLiteral("torchserve.describe") << QByteArray(R"({"model":"ranker"})") << nodeBase
        << QByteArray("GET") << nodeBase + QStringLiteral("/models/ranker") << accept << none;
    QTest::newRow("torchserve.describe version")
        << QStringLiteral("torchserve.describe")
        << QByteArray(R"({"model":"ranker","version":"2.0"})") << nodeBase << QByteArray("GET")
        << nodeBase + QStringLiteral("/models/ranker/2.0") << accept << none;
    QTest::newRow("torchserve.describe version all")
        << QStringLiteral("torchserve.describe")
        << QByteArray(R"({"model":"ranker","version":"all"})") << nodeBase << QByteArray("GET")
        << nodeBase + QStringLiteral("/models/ranker/all") << accept << none;
    QTest::newRow("torchserve.describe all: true")
        << QStringLiteral("torchserve.describe") << QByteArray(R"({"model":"ranker","all":true})")
        << nodeBase << QByteArray("GET") << nodeBase + QStringLiteral("/models/ranker/all")
        << accept << none;
    QTest::newRow("torchserve.describe escapes segments")
        << QStringLiteral("torchserve.describe")
        << QByteArray(R"({"model":"a/b c","version":".."})") << nodeBase << QByteArray("GET")
        << nodeBase + QStringLiteral("/models/a%2Fb%20c/%2E%2E") << accept << none;
    QTest::newRow("torchserve.set-default-version")
        << QStringLiteral("torchserve.set-default-version")
        << QByteArray(R"({"model":"ranker","version":"1.2"})") << nodeBase << QByteArray("PUT")
        << nodeBase + QStringLiteral("/models/ranker/1.2/set-default") << accept << none;
    QTest::newRow("torchserve.set-default-version numeric version")
        << QStringLiteral("torchserve.set-default-version")
        << QByteArray(R"({"model":"ranker","version":3})") << nodeBase << QByteArray("PUT")
        << nodeBase + QStringLiteral("/models/ranker/3/set-default") << accept << none;
    QTest::newRow("torchserve.scale-workers")
        << QStringLiteral("torchserve.scale-workers")
        << QByteArray(R"({"model":"ranker","min":2,"max":4})") << nodeBase << QByteArray("PUT")
        << nodeBase + QStringLiteral("/models/ranker?min_worker=2&max_worker=4&synchronous=true")
        << accept << none;
    QTest::newRow("torchserve.scale-workers version, text numbers")
        << QStringLiteral("torchserve.scale-workers")
        << QByteArray(R"({"model":"ranker","version":"2.0","min":"0","max":"0"})") << nodeBase
        << QByteArray("PUT")
        << nodeBase +
               QStringLiteral("/models/ranker/2.0?min_worker=0&max_worker=0&synchronous=true")
        << accept << none;
    QTest::newRow("torchserve.unregister")
        << QStringLiteral("torchserve.unregister")
        << QByteArray(R"({"model":"ranker","version":"1.0"})") << nodeBase << QByteArray("DELETE")
        << nodeBase + QStringLiteral("/models/ranker/1.0") << accept << none;

    QTest::newRow("triton.ready server")
        << QStringLiteral("triton.ready") << QByteArray("{}") << nodeBase << QByteArray("GET")
        << nodeBase + QStringLiteral("/v2/health/ready") << accept << none;
    QTest::newRow("triton.ready model")
        << QStringLiteral("triton.ready") << QByteArray(R"({"model":"resnet 50"})") << nodeBase
        << QByteArray("GET") << nodeBase + QStringLiteral("/v2/models/resnet%2050/ready") << accept
        << none;
    QTest::newRow("triton.load") << QStringLiteral("triton.load")
                                 << QByteArray(R"({"model":"resnet50"})") << nodeBase
                                 << QByteArray("POST")
                                 << nodeBase + QStringLiteral("/v2/repository/models/resnet50/load")
                                 << accept << none;
    QTest::newRow("triton.unload")
        << QStringLiteral("triton.unload") << QByteArray(R"({"model":"resnet50"})") << nodeBase
        << QByteArray("POST") << nodeBase + QStringLiteral("/v2/repository/models/resnet50/unload")
        << accept << none;
    QTest::newRow("triton.stats") << QStringLiteral("triton.stats")
                                  << QByteArray(R"({"model":"resnet50"})") << nodeBase
                                  << QByteArray("GET")
                                  << nodeBase + QStringLiteral("/v2/models/resnet50/stats")
                                  << accept << none;

    const QString isvc =
        k8sBase +
        QStringLiteral("/apis/serving.kserve.io/v1beta1/namespaces/edge/inferenceservices/ranker");
    QTest::newRow("kserve.set-canary-percent")
        << QStringLiteral("kserve.set-canary-percent")
        << QByteArray(R"({"namespace":"edge","name":"ranker","percent":0})") << k8sBase
        << QByteArray("PATCH") << isvc << mergePatch
        << QByteArray(R"({"spec":{"predictor":{"canaryTrafficPercent":0}}})");
    QTest::newRow("kserve.set-canary-percent text percent")
        << QStringLiteral("kserve.set-canary-percent")
        << QByteArray(R"({"namespace":"edge","name":"ranker","percent":"25"})") << k8sBase
        << QByteArray("PATCH") << isvc << mergePatch
        << QByteArray(R"({"spec":{"predictor":{"canaryTrafficPercent":25}}})");
    QTest::newRow("kserve.status")
        << QStringLiteral("kserve.status") << QByteArray(R"({"namespace":"edge","name":"ranker"})")
        << k8sBase << QByteArray("GET") << isvc << accept << none;

    const QString rollout =
        k8sBase + QStringLiteral("/apis/argoproj.io/v1alpha1/namespaces/edge/rollouts/ranker");
    QTest::newRow("argo.abort") << QStringLiteral("argo.abort")
                                << QByteArray(R"({"namespace":"edge","name":"ranker"})") << k8sBase
                                << QByteArray("PATCH") << rollout + QStringLiteral("/status")
                                << mergePatch << QByteArray(R"({"status":{"abort":true}})");
    QTest::newRow("argo.promote") << QStringLiteral("argo.promote")
                                  << QByteArray(R"({"namespace":"edge","name":"ranker"})")
                                  << k8sBase << QByteArray("PATCH")
                                  << rollout + QStringLiteral("/status") << mergePatch
                                  << QByteArray(R"({"status":{"pauseConditions":null}})");
    QTest::newRow("kubernetes.cordon")
        << QStringLiteral("kubernetes.cordon") << QByteArray(R"({"node":"edge-node-7"})") << k8sBase
        << QByteArray("PATCH") << k8sBase + QStringLiteral("/api/v1/nodes/edge-node-7")
        << mergePatch << QByteArray(R"({"spec":{"unschedulable":true}})");

    const QString am = QStringLiteral("http://127.0.0.1:9093");
    QTest::newRow("alertmanager.silence")
        << QStringLiteral("alertmanager.silence")
        << QByteArray(
               R"({"matchers":{"alertname":"ModelInputDrift","model":"/rank.*/"},"duration":"2h"})")
        << am << QByteArray("POST") << am + QStringLiteral("/api/v2/silences") << acceptJson
        << QByteArray(R"({"matchers":[
              {"name":"alertname","value":"ModelInputDrift","isRegex":false,"isEqual":true},
              {"name":"model","value":"rank.*","isRegex":true,"isEqual":true}],
            "startsAt":"2024-11-29T06:00:00.000Z","endsAt":"2024-11-29T08:00:00.000Z",
            "createdBy":"runlane","comment":"Silenced by runlane for incident inc-42"})");
    QTest::newRow("alertmanager.silence comment, 90s")
        << QStringLiteral("alertmanager.silence")
        << QByteArray(
               R"({"matchers":{"node":"edge-7"},"duration":"90s","comment":"reboot of edge-7"})")
        << am << QByteArray("POST") << am + QStringLiteral("/api/v2/silences") << acceptJson
        << QByteArray(
               R"({"matchers":[{"name":"node","value":"edge-7","isRegex":false,"isEqual":true}],
            "startsAt":"2024-11-29T06:00:00.000Z","endsAt":"2024-11-29T06:01:30.000Z",
            "createdBy":"runlane","comment":"reboot of edge-7"})");
    QTest::newRow("alertmanager.alerts")
        << QStringLiteral("alertmanager.alerts") << QByteArray("{}") << am << QByteArray("GET")
        << am + QStringLiteral("/api/v2/alerts?active=true") << accept << none;
    QTest::newRow("alertmanager.alerts matchers")
        << QStringLiteral("alertmanager.alerts")
        << QByteArray(R"({"matchers":{"alertname":"ModelInputDrift","node":"/edge-.*/"}})") << am
        << QByteArray("GET")
        << am + QStringLiteral("/api/v2/alerts?active=true&filter=alertname%3D%22ModelInputDrift%22"
                               "&filter=node%3D~%22edge-.%2A%22")
        << accept << none;
    QTest::newRow("alertmanager.alerts quotes in a value")
        << QStringLiteral("alertmanager.alerts")
        << QByteArray("{\"matchers\":{\"summary\":\"say \\\"hi\\\" \\\\o/\"}}") << am
        << QByteArray("GET")
        << am + QStringLiteral(
                    "/api/v2/"
                    "alerts?active=true&filter=summary%3D%22say%20%5C%22hi%5C%22%20%5C%5Co%2F%22")
        << accept << none;

    QTest::newRow("pagerduty.trigger")
        << QStringLiteral("pagerduty.trigger")
        << QByteArray(
               R"({"summary":"Drift rollback failed for ranker","severity":"critical","source":"runlane"})")
        << pdBase << QByteArray("POST") << pdBase + QStringLiteral("/v2/enqueue") << acceptJson
        << (R"({"routing_key":")" + routingKey.toUtf8() +
            R"(","event_action":"trigger","dedup_key":"inc-42","payload":{
              "summary":"Drift rollback failed for ranker","source":"runlane","severity":"critical"}})");
    QTest::newRow("pagerduty.trigger dedup_key")
        << QStringLiteral("pagerduty.trigger")
        << QByteArray(
               R"({"summary":"s","severity":"info","source":"edge-7","dedup_key":"ranker-drift"})")
        << pdBase << QByteArray("POST") << pdBase + QStringLiteral("/v2/enqueue") << acceptJson
        << (R"({"routing_key":")" + routingKey.toUtf8() +
            R"(","event_action":"trigger","dedup_key":"ranker-drift","payload":{
              "summary":"s","source":"edge-7","severity":"info"}})");
    QTest::newRow("pagerduty.resolve")
        << QStringLiteral("pagerduty.resolve") << QByteArray("{}") << pdBase << QByteArray("POST")
        << pdBase + QStringLiteral("/v2/enqueue") << acceptJson
        << (R"({"routing_key":")" + routingKey.toUtf8() +
            R"(","event_action":"resolve","dedup_key":"inc-42"})");

    QTest::newRow("slack.post") << QStringLiteral("slack.post")
                                << QByteArray("{\"text\":\"Rollback of *ranker* done \\\"ok\\\"\"}")
                                << slackUrl << QByteArray("POST") << slackUrl << json
                                << QByteArray(
                                       "{\"text\":\"Rollback of *ranker* done \\\"ok\\\"\"}");
}

void TestCalls::build()
{
    QFETCH(QString, call);
    QFETCH(QByteArray, with);
    QFETCH(QString, base);
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(QString, headers);
    QFETCH(QByteArray, body);

    const auto built = definition(call).build(context(with, base));
    if (const auto *error = std::get_if<QString>(&built))
        QFAIL(qPrintable(*error));
    const HttpRequest &request = std::get<HttpRequest>(built);
    QCOMPARE(request.method, method);
    QCOMPARE(request.url, url);
    QCOMPARE(headerLines(request.headers), headers);
    if (body.isEmpty()) {
        QVERIFY2(request.body.isEmpty(), request.body.constData());
    } else {
        QJsonParseError expectedError;
        const QJsonDocument expected = QJsonDocument::fromJson(body, &expectedError);
        QVERIFY2(expectedError.error == QJsonParseError::NoError,
                 qPrintable(expectedError.errorString()));
        QCOMPARE(QJsonDocument::fromJson(request.body), expected);
        // Sent compact, as built by QJsonDocument.
        QCOMPARE(request.body,
                 QJsonDocument::fromJson(request.body).toJson(QJsonDocument::Compact));
    }
    // Target-wide settings and the idempotency key belong to the caller.
    QVERIFY(request.idempotencyKey.isEmpty());
    QVERIFY(request.sensitiveHeaders.isEmpty());
}

void TestCalls::buildError_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QByteArray>("with");
    QTest::addColumn<QString>("error"); // a part of it

    auto row = [](const char *name, const char *call, const char *with, const char *error) {
        QTest::newRow(name) << QString::fromUtf8(call) << QByteArray(with)
                            << QString::fromUtf8(error);
    };
    row("promql missing", "prometheus.query", "{}", "promql: required");
    row("model empty", "torchserve.describe", R"({"model":""})",
        "model: required, got an empty value");
    row("model a list", "torchserve.describe", R"({"model":["a"]})",
        "model: expected text, got a list");
    row("version and all", "torchserve.describe", R"({"model":"m","version":"2.0","all":true})",
        "all: give either a version or all: true, not both");
    row("all not a boolean", "torchserve.describe", R"({"model":"m","all":"yes"})",
        "all: expected true or false, got 'yes'");
    row("set-default without version", "torchserve.set-default-version", R"({"model":"m"})",
        "version: required");
    row("negative min", "torchserve.scale-workers", R"({"model":"m","min":-1,"max":2})",
        "min: expected a whole number from 0 to 2147483647, got -1");
    row("fractional min", "torchserve.scale-workers", R"({"model":"m","min":1.5,"max":2})",
        "min: expected a whole number from 0 to 2147483647, got 1.5");
    row("min as a word", "torchserve.scale-workers", R"({"model":"m","min":"two","max":2})",
        "got 'two'");
    row("max below min", "torchserve.scale-workers", R"({"model":"m","min":3,"max":2})",
        "max: 2 is below min (3)");
    row("unregister without version", "torchserve.unregister", R"({"model":"m"})",
        "version: required");
    row("triton model a boolean", "triton.ready", R"({"model":true})",
        "model: expected text, got a boolean");
    row("triton load without model", "triton.load", "{}", "model: required");
    row("percent above 100", "kserve.set-canary-percent",
        R"({"namespace":"edge","name":"ranker","percent":101})",
        "percent: expected a whole number from 0 to 100, got 101");
    row("percent negative", "kserve.set-canary-percent",
        R"({"namespace":"edge","name":"ranker","percent":-5})", "got -5");
    row("percent fractional", "kserve.set-canary-percent",
        R"({"namespace":"edge","name":"ranker","percent":12.5})", "got 12.5");
    row("percent a word", "kserve.set-canary-percent",
        R"({"namespace":"edge","name":"ranker","percent":"half"})", "got 'half'");
    row("percent missing", "kserve.set-canary-percent", R"({"namespace":"edge","name":"ranker"})",
        "percent: required");
    row("kserve namespace missing", "kserve.status", R"({"name":"ranker"})", "namespace: required");
    row("argo name missing", "argo.abort", R"({"namespace":"edge"})", "name: required");
    row("argo namespace a map", "argo.promote", R"({"namespace":{"a":1},"name":"r"})",
        "namespace: expected text, got a map");
    row("cordon without node", "kubernetes.cordon", "{}", "node: required");
    row("silence without matchers", "alertmanager.silence", R"({"duration":"2h"})",
        "matchers: required");
    row("silence with no labels", "alertmanager.silence", R"({"matchers":{},"duration":"2h"})",
        "matchers: needs at least one label");
    row("silence matchers a list", "alertmanager.silence", R"({"matchers":["a"],"duration":"2h"})",
        "matchers: expected a map of label to value, got a list");
    row("silence bad label", "alertmanager.silence",
        R"({"matchers":{"bad-label":"x"},"duration":"1h"})", "'bad-label' is not a label name");
    row("silence value a map", "alertmanager.silence",
        R"({"matchers":{"a":{"b":1}},"duration":"1h"})", "matchers.a: expected text, got a map");
    row("silence bad duration", "alertmanager.silence",
        R"({"matchers":{"alertname":"X"},"duration":"soon"})",
        "duration: expected a duration like 2h, 30m or 90s, got 'soon'");
    row("silence zero duration", "alertmanager.silence",
        R"({"matchers":{"alertname":"X"},"duration":"0s"})", "got '0s'");
    row("silence duration missing", "alertmanager.silence", R"({"matchers":{"alertname":"X"}})",
        "duration: required");
    row("alerts matchers text", "alertmanager.alerts", R"({"matchers":"alertname=X"})",
        "matchers: expected a map of label to value");
    row("severity unknown", "pagerduty.trigger",
        R"({"summary":"s","severity":"high","source":"runlane"})",
        "severity: expected critical, error, warning or info, got 'high'");
    row("severity upper case", "pagerduty.trigger",
        R"({"summary":"s","severity":"CRITICAL","source":"runlane"})", "got 'CRITICAL'");
    row("source missing", "pagerduty.trigger", R"({"summary":"s","severity":"info"})",
        "source: required");
    row("dedup_key too long", "pagerduty.resolve",
        QByteArray(R"({"dedup_key":")" + QByteArray(256, 'k') + R"("})").constData(),
        "dedup_key: at most 255 characters, got 256");
    row("summary too long", "pagerduty.trigger",
        QByteArray(R"({"severity":"info","source":"s","summary":")" + QByteArray(1025, 's') +
                   R"("})")
            .constData(),
        "summary: at most 1024 characters, got 1025");
    row("slack without text", "slack.post", "{}", "text: required");
    row("slack text a list", "slack.post", R"({"text":["a","b"]})",
        "text: expected text, got a list");
}

void TestCalls::buildError()
{
    QFETCH(QString, call);
    QFETCH(QByteArray, with);
    QFETCH(QString, error);

    QVERIFY2(!QJsonDocument::fromJson(with).isNull(), with.constData());
    const auto built = definition(call).build(context(with, nodeBase));
    QVERIFY2(std::holds_alternative<QString>(built), "built a request");
    QVERIFY2(std::get<QString>(built).contains(error), qPrintable(std::get<QString>(built)));
}

void TestCalls::pagerdutyNeedsARoutingKey()
{
    ResolvedTarget keyless = target();
    keyless.routingKey.clear();
    for (const char *call : {"pagerduty.trigger", "pagerduty.resolve"}) {
        const auto built = definition(QString::fromLatin1(call))
                               .build(context(R"({"summary":"s","severity":"info","source":"x"})",
                                              pdBase, &keyless));
        QVERIFY2(std::holds_alternative<QString>(built), call);
        QCOMPARE(std::get<QString>(built),
                 QStringLiteral("routing_key: the target has no routing_key"));
    }
    // Without an incident id and a dedup_key, a resolve would name no alert.
    CallContext ctx = context("{}", pdBase);
    ctx.incidentId.clear();
    const auto built = definition(QStringLiteral("pagerduty.resolve")).build(ctx);
    QVERIFY(std::holds_alternative<QString>(built));
    QVERIFY2(std::get<QString>(built).startsWith(u"dedup_key: required"),
             qPrintable(std::get<QString>(built)));
}

void TestCalls::read_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<WorkOutcome>("outcome");
    QTest::addColumn<QString>("message"); // a part of it; empty: no message expected
    QTest::addColumn<QString>("field");   // a path in {value, status, body}; empty: none
    QTest::addColumn<QString>("value");   // its value, strings bare, others as JSON

    const QString none;
    const auto ok = WorkOutcome::Ok;
    const auto error = WorkOutcome::Error;

    // Prometheus, as its HTTP API documents it.
    QTest::newRow("prometheus.query one series")
        << QStringLiteral("prometheus.query") << 200
        << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[)"
                      R"({"metric":{"model":"ranker"},"value":[1732860000.123,"0.41"]}]}})")
        << ok << none << QStringLiteral("value") << QStringLiteral("0.41");
    QTest::newRow("prometheus.query keeps the body")
        << QStringLiteral("prometheus.query") << 200
        << QByteArray(
               R"({"status":"success","data":{"resultType":"scalar","result":[1732860000,"2"]}})")
        << ok << none << QStringLiteral("body.data.resultType") << QStringLiteral("scalar");
    QTest::newRow("prometheus.query bad_data")
        << QStringLiteral("prometheus.query") << 400
        << QByteArray(
               R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected end of input"})")
        << error << QStringLiteral("HTTP 400: bad_data: invalid parameter")
        << QStringLiteral("status") << QStringLiteral("400");
    QTest::newRow("prometheus.query several series")
        << QStringLiteral("prometheus.query") << 200
        << QByteArray(
               R"({"status":"success","data":{"resultType":"vector","result":[)"
               R"({"metric":{"n":"a"},"value":[1,"1"]},{"metric":{"n":"b"},"value":[1,"2"]}]}})")
        << error << QStringLiteral("2 series") << none << none;

    // TorchServe: the management API's documented answers, and its ErrorResponse.
    QTest::newRow("torchserve.ping healthy")
        << QStringLiteral("torchserve.ping") << 200 << QByteArray("{\n  \"status\": \"Healthy\"\n}")
        << ok << none << QStringLiteral("body.status") << QStringLiteral("Healthy");
    QTest::newRow("torchserve.ping unhealthy")
        << QStringLiteral("torchserve.ping") << 200 << QByteArray(R"({"status": "Unhealthy"})")
        << error << QStringLiteral("TorchServe reports 'Unhealthy'") << QStringLiteral("status")
        << QStringLiteral("200");
    QTest::newRow("torchserve.ping partial")
        << QStringLiteral("torchserve.ping") << 200
        << QByteArray(R"({"status": "Partial Healthy"})") << error
        << QStringLiteral("'Partial Healthy'") << none << none;
    QTest::newRow("torchserve.ping on the management port")
        << QStringLiteral("torchserve.ping") << 404
        << QByteArray(
               R"({"code": 404, "type": "ResourceNotFoundException", "message": "Requested resource is not found, please refer to API document."})")
        << error << QStringLiteral("HTTP 404: ResourceNotFoundException: Requested resource")
        << none << none;
    QTest::newRow("torchserve.describe")
        << QStringLiteral("torchserve.describe") << 200 << QByteArray(R"([
    {
      "modelName": "noop",
      "modelVersion": "2.0",
      "modelUrl": "noop_2.mar",
      "engine": "Torch",
      "runtime": "python",
      "minWorkers": 1,
      "maxWorkers": 1,
      "batchSize": 1,
      "maxBatchDelay": 100,
      "workers": [
        {
          "id": "9000",
          "startTime": "2018-10-02T13:44:53.034Z",
          "status": "READY",
          "gpu": false,
          "memoryUsage": 89247744
        }
      ],
      "jobQueueStatus": {
        "remainingCapacity": 100,
        "pendingRequests": 0
      }
    }
])") << ok
        << none << QStringLiteral("body.0.workers.0.status") << QStringLiteral("READY");
    QTest::newRow("torchserve.describe model not found")
        << QStringLiteral("torchserve.describe") << 404
        << QByteArray(
               "{\n  \"code\": 404,\n  \"type\": \"ModelNotFoundException\",\n  \"message\": "
               "\"Model not found: densenet161\"\n}")
        << error
        << QStringLiteral(
               "TorchServe answered HTTP 404: ModelNotFoundException: Model not found: densenet161")
        << QStringLiteral("body.type") << QStringLiteral("ModelNotFoundException");
    QTest::newRow("torchserve.set-default-version")
        << QStringLiteral("torchserve.set-default-version") << 200
        << QByteArray(
               R"({"status": "Default vesion succsesfully updated for model \"noop\" to \"2.0\""})")
        << ok << none << QStringLiteral("status") << QStringLiteral("200");
    QTest::newRow("torchserve.set-default-version unknown version")
        << QStringLiteral("torchserve.set-default-version") << 404
        << QByteArray(
               R"({"code": 404, "type": "ModelVersionNotFoundException", "message": "Model version 3.0 does not exist for model noop"})")
        << error
        << QStringLiteral("ModelVersionNotFoundException: Model version 3.0 does not exist") << none
        << none;
    QTest::newRow("torchserve.scale-workers")
        << QStringLiteral("torchserve.scale-workers") << 200
        << QByteArray("{\n  \"status\": \"Workers scaled to 3 for model: noop, version: 2.0\"\n}")
        << ok << none << QStringLiteral("body.status")
        << QStringLiteral("Workers scaled to 3 for model: noop, version: 2.0");
    QTest::newRow("torchserve.scale-workers failed")
        << QStringLiteral("torchserve.scale-workers") << 500
        << QByteArray(
               R"({"code": 500, "type": "InternalServerException", "message": "Error while creating workers"})")
        << error
        << QStringLiteral("HTTP 500: InternalServerException: Error while creating workers") << none
        << none;
    QTest::newRow("torchserve.unregister")
        << QStringLiteral("torchserve.unregister") << 200
        << QByteArray("{\n  \"status\": \"Model \\\"noop\\\" unregistered\"\n}") << ok << none
        << QStringLiteral("body.status") << QStringLiteral("Model \"noop\" unregistered");
    QTest::newRow("torchserve proxy page")
        << QStringLiteral("torchserve.unregister") << 502
        << QByteArray("<html><body>Bad gateway</body></html>") << error
        << QStringLiteral("TorchServe answered HTTP 502 with a body that is not JSON") << none
        << none;
    QTest::newRow("torchserve 200 not JSON")
        << QStringLiteral("torchserve.describe") << 200 << QByteArray("OK") << error
        << QStringLiteral("HTTP 200 with a body that is not JSON") << none << none;

    // Triton: status codes per the KServe v2 protocol; errors {"error": "…"}.
    QTest::newRow("triton.ready") << QStringLiteral("triton.ready") << 200 << QByteArray() << ok
                                  << none << QStringLiteral("status") << QStringLiteral("200");
    QTest::newRow("triton.ready not ready") << QStringLiteral("triton.ready") << 400 << QByteArray()
                                            << error << QStringLiteral("not ready (HTTP 400)")
                                            << QStringLiteral("status") << QStringLiteral("400");
    QTest::newRow("triton.ready unavailable")
        << QStringLiteral("triton.ready") << 503 << QByteArray() << error
        << QStringLiteral("not ready (HTTP 503)") << none << none;
    QTest::newRow("triton.ready 204 is not ready")
        << QStringLiteral("triton.ready") << 204 << QByteArray() << error
        << QStringLiteral("not ready (HTTP 204)") << none << none;
    QTest::newRow("triton.ready with Triton's error")
        << QStringLiteral("triton.ready") << 400
        << QByteArray(R"({"error":"Request for unknown model: 'resnet51' is not found"})") << error
        << QStringLiteral("not ready (HTTP 400): Request for unknown model") << none << none;
    QTest::newRow("triton.load") << QStringLiteral("triton.load") << 200 << QByteArray() << ok
                                 << none << QStringLiteral("status") << QStringLiteral("200");
    QTest::newRow("triton.load failed")
        << QStringLiteral("triton.load") << 400
        << QByteArray(
               R"({"error":"failed to load 'resnet50', failed to poll from model repository"})")
        << error
        << QStringLiteral("Triton could not load the model (HTTP 400): failed to load 'resnet50'")
        << QStringLiteral("body.error")
        << QStringLiteral("failed to load 'resnet50', failed to poll from model repository");
    QTest::newRow("triton.unload failed")
        << QStringLiteral("triton.unload") << 400
        << QByteArray(
               R"({"error":"explicit model load / unload is not allowed if polling is enabled"})")
        << error << QStringLiteral("Triton could not unload the model (HTTP 400): explicit model")
        << none << none;
    QTest::newRow("triton.stats")
        << QStringLiteral("triton.stats") << 200
        << QByteArray(
               R"({"model_stats":[{"name":"resnet50","version":"1","last_inference":1732860000123,)"
               R"("inference_count":42,"execution_count":40,"inference_stats":{"success":)"
               R"({"count":42,"ns":123456789},"fail":{"count":0,"ns":0}}}]})")
        << ok << none << QStringLiteral("body.model_stats.0.inference_count")
        << QStringLiteral("42");
    QTest::newRow("triton.stats unknown model")
        << QStringLiteral("triton.stats") << 400
        << QByteArray(R"({"error":"requested model 'resnet51' is not available"})") << error
        << QStringLiteral("Triton answered HTTP 400: requested model 'resnet51' is not available")
        << none << none;
    QTest::newRow("triton.stats without model_stats")
        << QStringLiteral("triton.stats") << 200 << QByteArray(R"({"models":[]})") << error
        << QStringLiteral("no model_stats") << none << none;

    // Kubernetes API server: objects on success, Status objects on failure.
    const QByteArray isvc = R"({"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService",
        "metadata":{"name":"ranker","namespace":"edge"},
        "spec":{"predictor":{"canaryTrafficPercent":0}},
        "status":{"components":{"predictor":{
            "latestReadyRevision":"ranker-predictor-00002",
            "latestRolledoutRevision":"ranker-predictor-00002",
            "previousRolledoutRevision":"ranker-predictor-00001",
            "traffic":[{"latestRevision":true,"percent":100,"revisionName":"ranker-predictor-00002"}]}}}})";
    QTest::newRow("kserve.status")
        << QStringLiteral("kserve.status") << 200 << isvc << ok << none
        << QStringLiteral("body.status.components.predictor.previousRolledoutRevision")
        << QStringLiteral("ranker-predictor-00001");
    QTest::newRow("kserve.set-canary-percent")
        << QStringLiteral("kserve.set-canary-percent") << 200 << isvc << ok << none
        << QStringLiteral("body.spec.predictor.canaryTrafficPercent") << QStringLiteral("0");
    QTest::newRow("kserve not found")
        << QStringLiteral("kserve.set-canary-percent") << 404 << QByteArray(R"({
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "inferenceservices.serving.kserve.io \"ranker\" not found",
  "reason": "NotFound",
  "details": {
    "name": "ranker",
    "group": "serving.kserve.io",
    "kind": "inferenceservices"
  },
  "code": 404
})") << error
        << QStringLiteral(
               "Kubernetes answered HTTP 404: NotFound: inferenceservices.serving.kserve.io "
               "\"ranker\" not found")
        << QStringLiteral("body.reason") << QStringLiteral("NotFound");
    QTest::newRow("kserve forbidden")
        << QStringLiteral("kserve.status") << 403
        << QByteArray(
               R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"inferenceservices.serving.kserve.io \"ranker\" is forbidden: User \"system:serviceaccount:ops:runlane\" cannot get resource \"inferenceservices\" in API group \"serving.kserve.io\" in the namespace \"edge\"","reason":"Forbidden","details":{"name":"ranker","group":"serving.kserve.io","kind":"inferenceservices"},"code":403})")
        << error << QStringLiteral("HTTP 403: Forbidden: inferenceservices.serving.kserve.io")
        << none << none;
    QTest::newRow("kserve invalid percent")
        << QStringLiteral("kserve.set-canary-percent") << 422
        << QByteArray(
               R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"InferenceService.serving.kserve.io \"ranker\" is invalid: spec.predictor.canaryTrafficPercent: Invalid value: 120","reason":"Invalid","code":422})")
        << error << QStringLiteral("HTTP 422: Invalid: InferenceService") << none << none;
    QTest::newRow("argo.abort")
        << QStringLiteral("argo.abort") << 200
        << QByteArray(
               R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"ranker","namespace":"edge"},"status":{"abort":true,"phase":"Degraded"}})")
        << ok << none << QStringLiteral("body.status.abort") << QStringLiteral("true");
    QTest::newRow("argo.promote no status subresource")
        << QStringLiteral("argo.promote") << 404
        << QByteArray(
               R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})")
        << error << QStringLiteral("NotFound: the server could not find the requested resource")
        << none << none;
    QTest::newRow("kubernetes.cordon")
        << QStringLiteral("kubernetes.cordon") << 200
        << QByteArray(
               R"({"kind":"Node","apiVersion":"v1","metadata":{"name":"edge-node-7"},"spec":{"unschedulable":true}})")
        << ok << none << QStringLiteral("body.spec.unschedulable") << QStringLiteral("true");
    QTest::newRow("kubernetes.cordon unauthorized")
        << QStringLiteral("kubernetes.cordon") << 401
        << QByteArray(
               R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})")
        << error << QStringLiteral("Kubernetes answered HTTP 401: Unauthorized: Unauthorized")
        << none << none;
    QTest::newRow("kubernetes proxy page")
        << QStringLiteral("kubernetes.cordon") << 502 << QByteArray("<html>bad gateway</html>")
        << error << QStringLiteral("Kubernetes answered HTTP 502 with a body that is not JSON")
        << none << none;
    QTest::newRow("kubernetes 200 not JSON")
        << QStringLiteral("kserve.status") << 200 << QByteArray("ok") << error
        << QStringLiteral("HTTP 200 with a body that is not JSON") << none << none;

    // Alertmanager API v2.
    QTest::newRow("alertmanager.silence")
        << QStringLiteral("alertmanager.silence") << 200
        << QByteArray(R"({"silenceID":"7d9c7c2a-0f6b-4a5e-9b61-4e2c1d3f5a10"})") << ok << none
        << QStringLiteral("body.silenceID")
        << QStringLiteral("7d9c7c2a-0f6b-4a5e-9b61-4e2c1d3f5a10");
    QTest::newRow("alertmanager.silence refused")
        << QStringLiteral("alertmanager.silence") << 400
        << QByteArray(R"("silence invalid: at least one matcher must not match the empty string")")
        << error
        << QStringLiteral("Alertmanager answered HTTP 400: silence invalid: at least one matcher")
        << none << none;
    QTest::newRow("alertmanager.silence schema error")
        << QStringLiteral("alertmanager.silence") << 422
        << QByteArray(R"({"code":602,"message":"endsAt in body is required"})") << error
        << QStringLiteral("HTTP 422: endsAt in body is required") << none << none;
    QTest::newRow("alertmanager.silence without silenceID")
        << QStringLiteral("alertmanager.silence") << 200 << QByteArray("{}") << error
        << QStringLiteral("no silenceID") << none << none;
    QTest::newRow("alertmanager.alerts")
        << QStringLiteral("alertmanager.alerts") << 200
        << QByteArray(
               R"([{"annotations":{"summary":"PSI above 0.25"},"endsAt":"2024-11-29T06:10:00.000Z",
            "fingerprint":"3a2b1c","receivers":[{"name":"platform"}],"startsAt":"2024-11-29T05:40:00.000Z",
            "status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2024-11-29T06:00:00.000Z",
            "labels":{"alertname":"ModelInputDrift","model":"ranker"}}])")
        << ok << none << QStringLiteral("body.0.labels.alertname")
        << QStringLiteral("ModelInputDrift");
    QTest::newRow("alertmanager.alerts bad filter")
        << QStringLiteral("alertmanager.alerts") << 400
        << QByteArray(R"("bad matcher format: alertname")") << error
        << QStringLiteral("Alertmanager answered HTTP 400: bad matcher format: alertname") << none
        << none;
    QTest::newRow("alertmanager.alerts not a list")
        << QStringLiteral("alertmanager.alerts") << 200 << QByteArray(R"({"alerts":[]})") << error
        << QStringLiteral("no list of alerts") << none << none;

    // PagerDuty Events API v2.
    QTest::newRow("pagerduty.trigger")
        << QStringLiteral("pagerduty.trigger") << 202
        << QByteArray(R"({"status":"success","message":"Event processed","dedup_key":"inc-42"})")
        << ok << none << QStringLiteral("body.dedup_key") << QStringLiteral("inc-42");
    QTest::newRow("pagerduty.resolve")
        << QStringLiteral("pagerduty.resolve") << 202
        << QByteArray(R"({"status":"success","message":"Event processed","dedup_key":"inc-42"})")
        << ok << none << QStringLiteral("status") << QStringLiteral("202");
    QTest::newRow("pagerduty invalid event")
        << QStringLiteral("pagerduty.trigger") << 400
        << QByteArray(
               R"json({"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]})json")
        << error
        << QStringLiteral("PagerDuty answered HTTP 400: invalid event: Event object is invalid "
                          "(Length of 'routing_key' is incorrect (should be 32 characters))")
        << QStringLiteral("body.status") << QStringLiteral("invalid event");
    QTest::newRow("pagerduty throttled")
        << QStringLiteral("pagerduty.trigger") << 429 << QByteArray() << error
        << QStringLiteral("throttling events (HTTP 429)") << none << none;
    QTest::newRow("pagerduty 200 is not 202")
        << QStringLiteral("pagerduty.resolve") << 200
        << QByteArray(R"({"status":"success","message":"Event processed"})") << error
        << QStringLiteral("HTTP 200, not 202") << none << none;
    QTest::newRow("pagerduty 202 not JSON")
        << QStringLiteral("pagerduty.trigger") << 202 << QByteArray("accepted") << error
        << QStringLiteral("HTTP 202 with a body that is not JSON") << none << none;

    // Slack incoming webhook.
    QTest::newRow("slack.post") << QStringLiteral("slack.post") << 200 << QByteArray("ok") << ok
                                << none << QStringLiteral("body") << QStringLiteral("ok");
    QTest::newRow("slack invalid_payload")
        << QStringLiteral("slack.post") << 400 << QByteArray("invalid_payload") << error
        << QStringLiteral("Slack refused the message (HTTP 400): invalid_payload") << none << none;
    QTest::newRow("slack no_service")
        << QStringLiteral("slack.post") << 404 << QByteArray("no_service") << error
        << QStringLiteral("(HTTP 404): no_service") << none << none;
    QTest::newRow("slack 200 but not ok")
        << QStringLiteral("slack.post") << 200 << QByteArray("channel_is_archived") << error
        << QStringLiteral("(HTTP 200): channel_is_archived") << none << none;
    QTest::newRow("slack proxy page")
        << QStringLiteral("slack.post") << 502 << QByteArray("<html>Bad gateway</html>") << error
        << QStringLiteral("Slack answered HTTP 502 without one of its error codes") << none << none;
}

void TestCalls::read()
{
    QFETCH(QString, call);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(WorkOutcome, outcome);
    QFETCH(QString, message);
    QFETCH(QString, field);
    QFETCH(QString, value);

    const WorkResult result = definition(call).read(answer(status, body));
    QVERIFY2(result.outcome == outcome, qPrintable(result.message));
    if (message.isEmpty())
        QVERIFY2(result.message.isEmpty(), qPrintable(result.message));
    else
        QVERIFY2(result.message.contains(message), qPrintable(result.message));
    // Success or not, the answer stays for the record and for `save:`.
    QCOMPARE(result.status, status);
    QCOMPARE(result.elapsedMs, 12);
    QCOMPARE(result.details.value(u"attempts").toInt(), 1);
    QCOMPARE(result.details.value(u"status").toInt(), status);
    if (!field.isEmpty())
        QCOMPARE(shown(at(result, field)), value);
}

void TestCalls::transportFailure_data()
{
    QTest::addColumn<QString>("call");
    for (const CallSpec &spec : callCatalog()) {
        if (!spec.usesRequest)
            QTest::newRow(qPrintable(spec.name)) << spec.name;
    }
}

void TestCalls::transportFailure()
{
    QFETCH(QString, call);
    HttpResult failed;
    failed.error = HttpResult::Error::Connect;
    failed.errorText = QStringLiteral("could not connect: Connection refused");
    failed.attempts = 3;
    failed.elapsedMs = 1500;

    const WorkResult expected = workResultOf(failed);
    const WorkResult result = definition(call).read(failed);
    QCOMPARE(result.outcome, WorkOutcome::Error);
    QCOMPARE(result.message, expected.message);
    QCOMPARE(result.details, expected.details);
    QCOMPARE(result.elapsedMs, 1500);
    QCOMPARE(result.status, 0);
}

void TestCalls::argoFallback_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<int>("status"); // of the first answer; 0: not answered
    QTest::addColumn<bool>("fallsBack");
    QTest::addColumn<QByteArray>("patch");

    const QByteArray abort = R"({"status":{"abort":true}})";
    const QByteArray promote = R"({"status":{"pauseConditions":null}})";
    QTest::newRow("abort, 404") << QStringLiteral("argo.abort") << 404 << true << abort;
    QTest::newRow("promote, 404") << QStringLiteral("argo.promote") << 404 << true << promote;
    QTest::newRow("abort, 200") << QStringLiteral("argo.abort") << 200 << false << abort;
    QTest::newRow("promote, 200") << QStringLiteral("argo.promote") << 200 << false << promote;
    QTest::newRow("abort, 403") << QStringLiteral("argo.abort") << 403 << false << abort;
    QTest::newRow("abort, 422") << QStringLiteral("argo.abort") << 422 << false << abort;
    QTest::newRow("abort, not answered") << QStringLiteral("argo.abort") << 0 << false << abort;
}

void TestCalls::argoFallback()
{
    QFETCH(QString, call);
    QFETCH(int, status);
    QFETCH(bool, fallsBack);
    QFETCH(QByteArray, patch);

    const CallDefinition &d = definition(call);
    QVERIFY(d.fallback);
    const CallContext ctx = context(R"({"namespace":"edge","name":"ranker"})", k8sBase);
    HttpResult first = answer(status, "{}");
    if (status == 0) {
        first.error = HttpResult::Error::Timeout;
        first.errorText = QStringLiteral("timed out");
    }
    const std::optional<HttpRequest> second = d.fallback(ctx, first);
    QCOMPARE(second.has_value(), fallsBack);
    if (!fallsBack)
        return;
    QCOMPARE(second->method, QByteArray("PATCH"));
    QCOMPARE(second->url,
             k8sBase +
                 QStringLiteral("/apis/argoproj.io/v1alpha1/namespaces/edge/rollouts/ranker"));
    QCOMPARE(
        headerLines(second->headers),
        QStringLiteral("Accept: application/json\nContent-Type: application/merge-patch+json"));
    QCOMPARE(QJsonDocument::fromJson(second->body), QJsonDocument::fromJson(patch));
}

// The webhook URL is a secret: no build error and no reading of an answer may name it.
void TestCalls::slackUrlIsNeverInAnError()
{
    const CallDefinition &slack = definition(QStringLiteral("slack.post"));
    const QString secretPart = slackUrl.section(u'/', 4);
    QList<QString> messages;
    for (const QByteArray &with :
         {QByteArray("{}"), QByteArray(R"({"text":["a"]})"), QByteArray(R"({"text":{"a":1}})"),
          QByteArray(R"({"text":""})")}) {
        const auto built = slack.build(context(with, slackUrl));
        QVERIFY(std::holds_alternative<QString>(built));
        messages.append(std::get<QString>(built));
    }
    // A body that repeats the URL, as a proxy's error page might.
    const QByteArray echo = "<html>POST " + slackUrl.toUtf8() + " failed</html>";
    for (const auto &[status, body] :
         QList<std::pair<int, QByteArray>>{{400, "invalid_payload"},
                                           {403, "action_prohibited"},
                                           {404, "no_service"},
                                           {410, "channel_is_archived"},
                                           {500, "rollup_error"},
                                           {502, echo},
                                           {200, echo},
                                           {200, slackUrl.toUtf8()}}) {
        const WorkResult r = slack.read(answer(status, body));
        QCOMPARE(r.outcome, WorkOutcome::Error);
        messages.append(r.message);
    }
    HttpResult failed;
    failed.error = HttpResult::Error::Tls;
    failed.errorText = QStringLiteral("the server's certificate was refused");
    messages.append(slack.read(failed).message);
    for (const QString &m : std::as_const(messages)) {
        QVERIFY2(!m.isEmpty(), "an error without a message");
        QVERIFY2(!m.contains(slackUrl) && !m.contains(secretPart) && !m.contains(u"hooks.slack"),
                 qPrintable(m));
    }
}

QTEST_GUILESS_MAIN(TestCalls)
#include "tst_calls.moc"
