#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/session.h"
#include "integrations/http_executor.h"
#include "local_services.h"
#include "tests/fleetsim/fleetsim_process.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;

// Playbooks walked against real components on loopback: Debian's Prometheus scraping
// runlane-fleetsim, Debian's Alertmanager, and fleetsim's fleet APIs with injected faults.
class TestLiveFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void driftCheckFollowsPrometheus();
    void p99CheckReadsAHistogram();
    void silenceIsListedByAlertmanager();
    void faultMatrix_data();
    void faultMatrix();
    void headlessRunOfAShippedPlaybook();
    void argoFallbackIsARequestOfItsOwn();

private:
    struct Walk
    {
        QStringList path;
        QJsonObject vars;
        QList<Event> events;
        QString error;
    };
    Walk walk(const QString &file, const QString &incidentId, const QJsonObject &inputs = {});
    QJsonValue simJson(const QByteArray &method, const QString &path, const QJsonValue &body = {});
    // Polls Prometheus until `promql` gives `expected` (bounded): a scrape has seen the change.
    bool prometheusShows(const QString &promql, double expected);

    std::unique_ptr<FleetSimProcess> m_sim;
    std::unique_ptr<LocalPrometheus> m_prometheus;
    std::unique_ptr<LocalAlertmanager> m_alertmanager;
    HttpClient m_http;
    QHash<QString, QString> m_env;
};

void TestLiveFleet::initTestCase()
{
    m_sim = std::make_unique<FleetSimProcess>(QStringList{});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
    m_prometheus =
        std::make_unique<LocalPrometheus>(QStringList{u"127.0.0.1:%1"_s.arg(m_sim->port())});
    QVERIFY2(m_prometheus->ok(),
             qPrintable(m_prometheus->error() + u" (./dev test installs it)"_s));
    m_alertmanager = std::make_unique<LocalAlertmanager>();
    QVERIFY2(m_alertmanager->ok(),
             qPrintable(m_alertmanager->error() + u" (./dev test installs it)"_s));
    m_env = {{u"PROMETHEUS_URL"_s, m_prometheus->url()},
             {u"ALERTMANAGER_URL"_s, m_alertmanager->url()},
             {u"FLEET_URL"_s, u"http://127.0.0.1:%1"_s.arg(m_sim->port())},
             {u"FLEET_TOKEN"_s, u"s3cr3t-fleet-token"_s}};
}

void TestLiveFleet::cleanupTestCase()
{
    m_prometheus.reset();
    m_alertmanager.reset();
    m_sim.reset();
}

TestLiveFleet::Walk TestLiveFleet::walk(const QString &file, const QString &incidentId,
                                        const QJsonObject &inputs)
{
    Walk w;
    const LoadResult loaded = loadPlaybookFile(QStringLiteral(RUNLANE_TEST_DATA "/") + file);
    if (!loaded.ok()) {
        w.error = u"the playbook has errors"_s;
        return w;
    }
    const QHash<QString, QString> env = m_env;
    const ResolvedTargets targets =
        resolveTargets(*loaded.playbook, [env](const QString &name) -> std::optional<QString> {
            if (env.contains(name))
                return env.value(name);
            return std::nullopt;
        });
    if (!targets.problems.isEmpty()) {
        w.error = targets.problems.join(u'\n');
        return w;
    }
    const auto values = checkInputs(*loaded.playbook, inputs);
    if (!std::holds_alternative<QJsonObject>(values)) {
        w.error = u"bad inputs"_s;
        return w;
    }
    Session session(loaded.playbook, u"tester"_s, [&w](const Event &e) { w.events.append(e); });
    HttpExecutor http(targets);
    session.start(incidentId, std::get<QJsonObject>(values));
    for (int guard = 0; guard < 50 && session.waiting() != Session::Waiting::Ended; ++guard) {
        std::optional<QString> problem;
        switch (session.waiting()) {
        case Session::Waiting::Confirm:
            problem = session.confirmAction();
            break;
        case Session::Waiting::Work: {
            const auto work = session.beginWork();
            std::optional<WorkResult> result;
            http.execute(*work, [&result](const WorkResult &r) { result = r; });
            const QDeadlineTimer deadline(60000);
            while (!result && !deadline.hasExpired())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            if (!result) {
                w.error = u"no result within 60 s"_s;
                return w;
            }
            problem = session.feed(*result, work->token);
            break;
        }
        default:
            w.error = u"the walk waits for %1"_s.arg(toString(session.waiting()));
            w.path = session.path();
            return w;
        }
        if (problem) {
            w.error = *problem;
            return w;
        }
    }
    w.path = session.path();
    w.vars = session.vars();
    return w;
}

QJsonValue TestLiveFleet::simJson(const QByteArray &method, const QString &path,
                                  const QJsonValue &body)
{
    QByteArray bytes;
    if (body.isObject())
        bytes = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        bytes = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    const HttpAnswer answer =
        m_http.send(method, m_sim->url(path), bytes, {{"Content-Type", "application/json"}});
    const QJsonDocument doc = answer.json();
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

bool TestLiveFleet::prometheusShows(const QString &promql, double expected)
{
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        QUrl url(m_prometheus->url() + u"/api/v1/query"_s);
        url.setQuery(u"query="_s + QString::fromLatin1(QUrl::toPercentEncoding(promql)));
        const QJsonObject answer = m_http.send("GET", url).json().object();
        const QJsonArray result = answer.value(u"data"_s).toObject().value(u"result"_s).toArray();
        if (result.size() == 1) {
            const double value =
                result.at(0).toObject().value(u"value"_s).toArray().at(1).toString().toDouble();
            if (qAbs(value - expected) < 1e-9)
                return true;
        }
        QTest::qWait(300);
    }
    return false;
}

// The same check takes one branch, then the other once fleetsim's drift changes and Prometheus
// has scraped it.
void TestLiveFleet::driftCheckFollowsPrometheus()
{
    const QString canary = u"max(model_input_psi{model=\"ranker\", track=\"canary\"})"_s;
    simJson("PUT", u"/_sim/metrics"_s,
            QJsonObject{{u"namespace"_s, u"edge-serving"_s},
                        {u"model"_s, u"ranker"_s},
                        {u"track"_s, u"canary"_s},
                        {u"psi"_s, 0.4}});
    QVERIFY(prometheusShows(canary, 0.4));
    Walk w = walk(u"drift-check.yaml"_s, u"drift-1"_s);
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.path, (QStringList{u"check-drift"_s, u"drifting"_s}));

    simJson("PUT", u"/_sim/metrics"_s,
            QJsonObject{{u"namespace"_s, u"edge-serving"_s},
                        {u"model"_s, u"ranker"_s},
                        {u"track"_s, u"canary"_s},
                        {u"psi"_s, 0.05}});
    QVERIFY(prometheusShows(canary, 0.05));
    w = walk(u"drift-check.yaml"_s, u"drift-2"_s);
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.path, (QStringList{u"check-drift"_s, u"steady"_s}));

    // A model nobody serves: an empty vector, so no data.
    w = walk(u"drift-check.yaml"_s, u"drift-3"_s, {{u"model"_s, u"nobody"_s}});
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.path, (QStringList{u"check-drift"_s, u"no-data"_s}));
}

void TestLiveFleet::p99CheckReadsAHistogram()
{
    const auto setP99 = [this](int ms) {
        simJson("PUT", u"/_sim/metrics"_s,
                QJsonObject{{u"namespace"_s, u"edge-serving"_s},
                            {u"model"_s, u"ranker"_s},
                            {u"track"_s, u"canary"_s},
                            {u"p99_ms"_s, ms}});
    };
    const auto waitForBranch = [this](const QString &expected) {
        // The histogram changes over a scrape or two: walk until the branch shows (bounded).
        const QDeadlineTimer deadline(30000);
        QStringList path;
        while (!deadline.hasExpired()) {
            const Walk w = walk(u"p99-check.yaml"_s, u"p99"_s);
            path = w.path;
            if (w.error.isEmpty() && path.value(1) == expected)
                return true;
            QTest::qWait(500);
        }
        qWarning() << "last path" << path;
        return false;
    };
    setP99(400);
    QVERIFY(waitForBranch(u"slow"_s));
    setP99(20);
    QVERIFY(waitForBranch(u"fast"_s));
}

// alertmanager.silence creates a silence that Alertmanager's own API then lists, with the
// matchers as written (a /re/ value as a regular expression) and the id the step saved.
void TestLiveFleet::silenceIsListedByAlertmanager()
{
    const Walk w = walk(u"silence.yaml"_s, u"silence-1"_s);
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.path, (QStringList{u"silence"_s, u"done"_s}));
    const QString id = w.vars.value(u"silence_id"_s).toString();
    QVERIFY(!id.isEmpty());

    const QJsonArray silences =
        m_http.send("GET", QUrl(m_alertmanager->url() + u"/api/v2/silences"_s)).json().array();
    QJsonObject found;
    for (const QJsonValue &s : silences) {
        if (s.toObject().value(u"id"_s).toString() == id)
            found = s.toObject();
    }
    QVERIFY2(!found.isEmpty(), qPrintable(u"silence %1 not listed"_s.arg(id)));
    QCOMPARE(found.value(u"status"_s).toObject().value(u"state"_s).toString(), u"active"_s);
    QCOMPARE(found.value(u"comment"_s).toString(), u"rollback in progress"_s);
    QHash<QString, QJsonObject> matchers;
    for (const QJsonValue &m : found.value(u"matchers"_s).toArray())
        matchers.insert(m.toObject().value(u"name"_s).toString(), m.toObject());
    QCOMPARE(matchers.value(u"alertname"_s).value(u"value"_s).toString(), u"ModelInputDrift"_s);
    QCOMPARE(matchers.value(u"alertname"_s).value(u"isRegex"_s).toBool(), false);
    QCOMPARE(matchers.value(u"model"_s).value(u"value"_s).toString(), u"ranker|detector-v5"_s);
    QCOMPARE(matchers.value(u"model"_s).value(u"isRegex"_s).toBool(), true);
    const QDateTime starts =
        QDateTime::fromString(found.value(u"startsAt"_s).toString(), Qt::ISODateWithMs);
    const QDateTime ends =
        QDateTime::fromString(found.value(u"endsAt"_s).toString(), Qt::ISODateWithMs);
    QVERIFY(qAbs(starts.secsTo(ends) - 7200) <= 2);
}

void TestLiveFleet::faultMatrix_data()
{
    QTest::addColumn<QJsonObject>("fault"); // empty: none
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("end");
    QTest::addColumn<int>("effects");
    QTest::addColumn<int>("atLeastMs");

    const auto fault = [](std::initializer_list<std::pair<QString, QJsonValue>> keys) {
        QJsonObject f{{u"path"_s, u"*/set-default"_s}};
        for (const auto &[k, v] : keys)
            f.insert(k, v);
        return f;
    };
    QTest::newRow("no fault") << QJsonObject() << u"3.1"_s << 1 << u"done"_s << 1 << 0;
    QTest::newRow("503 twice, then through")
        << fault({{u"kind"_s, u"status"_s}, {u"status"_s, 503}, {u"count"_s, 2}}) << u"3.1"_s << 3
        << u"done"_s << 1 << 0;
    QTest::newRow("500 every time") << fault({{u"kind"_s, u"status"_s}, {u"status"_s, 500}})
                                    << u"3.1"_s << 3 << u"failed"_s << 0 << 0;
    QTest::newRow("429 with Retry-After 1") << fault({{u"kind"_s, u"retry-after"_s},
                                                      {u"status"_s, 429},
                                                      {u"retry_after"_s, 1},
                                                      {u"count"_s, 1}})
                                            << u"3.1"_s << 2 << u"done"_s << 1 << 950;
    QTest::newRow("connection reset before the effect")
        << fault({{u"kind"_s, u"reset"_s}, {u"count"_s, 1}}) << u"3.1"_s << 2 << u"done"_s << 1
        << 0;
    QTest::newRow("connection reset after the effect: the retry is a replay")
        << fault({{u"kind"_s, u"reset"_s}, {u"after_effect"_s, true}, {u"count"_s, 1}}) << u"3.1"_s
        << 2 << u"done"_s << 1 << 0;
    QTest::newRow("hang, then through (1 s timeout)")
        << fault({{u"kind"_s, u"hang"_s}, {u"count"_s, 1}}) << u"3.1"_s << 2 << u"done"_s << 1
        << 950;
    QTest::newRow("added latency") << fault({{u"kind"_s, u"latency"_s}, {u"ms"_s, 300}}) << u"3.1"_s
                                   << 1 << u"done"_s << 1 << 300;
    QTest::newRow("404 from the API is not retried")
        << QJsonObject() << u"9.9"_s << 1 << u"failed"_s << 0 << 0;
    QTest::newRow("400 from a fault is not retried")
        << fault({{u"kind"_s, u"status"_s}, {u"status"_s, 400}}) << u"3.1"_s << 1 << u"failed"_s
        << 0 << 0;
}

// Each fault gives the expected attempts, outcome and recorded result; never two effects for one
// idempotency key, and every attempt carries the same key and the target's auth.
void TestLiveFleet::faultMatrix()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, version);
    QFETCH(int, attempts);
    QFETCH(QString, end);
    QFETCH(int, effects);
    QFETCH(int, atLeastMs);

    simJson("POST", u"/_sim/reset"_s);
    simJson("PUT", u"/_sim/faults"_s, fault.isEmpty() ? QJsonArray() : QJsonArray{fault});
    QString incident = u"fault-"_s + QString::fromUtf8(QTest::currentDataTag());
    for (QChar &c : incident) {
        if (!c.isLetterOrNumber())
            c = u'-';
    }
    QElapsedTimer clock;
    clock.start();
    const Walk w = walk(u"set-default.yaml"_s, incident, {{u"version"_s, version}});
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.path.value(1), end);
    QVERIFY2(clock.elapsed() >= atLeastMs, qPrintable(QString::number(clock.elapsed())));

    // The result as recorded: attempts and the redacted request line, no secret anywhere.
    const auto result = std::find_if(w.events.cbegin(), w.events.cend(), [](const Event &e) {
        return e.kind == EventKind::WorkResult;
    });
    QVERIFY(result != w.events.cend());
    QCOMPARE(result->details.value(u"attempts"_s).toInt(), attempts);
    QVERIFY(result->details.value(u"request"_s)
                .toString()
                .startsWith(u"PUT http://127.0.0.1:%1/models/ranker/"_s.arg(m_sim->port())));
    for (const Event &e : w.events) {
        const QString all = e.text + QString::fromUtf8(QJsonDocument(e.details).toJson());
        QVERIFY2(!all.contains(u"s3cr3t"_s), qPrintable(all));
    }

    const QByteArray key = (incident + u"/roll-back/1/0"_s).toUtf8();
    int sent = 0, applied = 0;
    for (const QJsonValue &v : simJson("GET", u"/_sim/requests"_s).toArray()) {
        const QJsonObject r = v.toObject();
        const QJsonObject headers = r.value(u"headers"_s).toObject();
        QString keyHeader, auth;
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            if (it.key().compare(u"Idempotency-Key"_s, Qt::CaseInsensitive) == 0)
                keyHeader = it.value().toString();
            if (it.key().compare(u"Authorization"_s, Qt::CaseInsensitive) == 0)
                auth = it.value().toString();
        }
        if (keyHeader.toUtf8() != key)
            continue;
        ++sent;
        applied += r.value(u"effect"_s).toBool();
        QCOMPARE(auth, u"Bearer s3cr3t-fleet-token"_s);
        QCOMPARE(r.value(u"method"_s).toString(), u"PUT"_s);
    }
    QCOMPARE(sent, attempts);
    QCOMPARE(applied, effects);
    simJson("PUT", u"/_sim/faults"_s, QJsonArray());
}

// A shipped playbook run headless, as an engineer would, against Prometheus and fleetsim: the
// documented requests go out with auth and idempotency keys, and no secret is printed.
void TestLiveFleet::headlessRunOfAShippedPlaybook()
{
    simJson("POST", u"/_sim/reset"_s);
    QVERIFY(prometheusShows(u"max(model_input_psi{model=\"ranker\", track=\"canary\"})"_s, 0.41));
    const QString sim = u"http://127.0.0.1:%1"_s.arg(m_sim->port());
    const QString token = u"k8s-t0ken-do-not-print"_s;
    const QString routingKey = u"R0UT1NGKEY0123456789abcdef012345"_s;
    const QString webhook = sim + u"/services/runlane-sim"_s;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PROMETHEUS_URL"_s, m_prometheus->url());
    env.insert(u"K8S_API_URL"_s, sim);
    env.insert(u"K8S_TOKEN"_s, token);
    env.insert(u"PAGERDUTY_EVENTS_URL"_s, sim);
    env.insert(u"PAGERDUTY_ROUTING_KEY"_s, routingKey);
    env.insert(u"SLACK_WEBHOOK_URL"_s, webhook);
    QProcess run;
    run.setProcessEnvironment(env);
    run.start(QStringLiteral(RUNLANE_CLI),
              {u"run"_s, QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"),
               u"--input"_s, u"model=ranker"_s, u"--yes"_s});
    QVERIFY(run.waitForFinished(120000));
    const QString out = QString::fromUtf8(run.readAllStandardOutput());
    const QString err = QString::fromUtf8(run.readAllStandardError());
    QVERIFY2(run.exitCode() == 0, qPrintable(out + err));
    QVERIFY2(
        out.trimmed().endsWith(u"Outcome: mitigated: Reached 'Canary demoted and rolled back'"_s),
        qPrintable(out));
    for (const QString &secret : {token, routingKey, webhook, u"/services/runlane-sim"_s})
        QVERIFY2(!out.contains(secret) && !err.contains(secret), qPrintable(secret));
    const QString incident = out.section(u"Incident "_s, 1, 1).section(u':', 0, 0);
    QVERIFY(!incident.isEmpty());

    QJsonObject patch, post;
    for (const QJsonValue &v : simJson("GET", u"/_sim/requests"_s).toArray()) {
        const QJsonObject r = v.toObject();
        if (r.value(u"method"_s) == u"PATCH"_s)
            patch = r;
        if (r.value(u"path"_s) == u"/services/runlane-sim"_s)
            post = r;
    }
    const auto header = [](const QJsonObject &r, const QString &name) {
        const QJsonObject headers = r.value(u"headers"_s).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            if (it.key().compare(name, Qt::CaseInsensitive) == 0)
                return it.value().toString();
        }
        return QString();
    };
    QCOMPARE(patch.value(u"path"_s).toString(),
             u"/apis/serving.kserve.io/v1beta1/namespaces/edge-serving/inferenceservices/ranker"_s);
    QCOMPARE(header(patch, u"Content-Type"_s), u"application/merge-patch+json"_s);
    QCOMPARE(header(patch, u"Authorization"_s), u"Bearer "_s + token);
    QCOMPARE(header(patch, u"Idempotency-Key"_s), incident + u"/demote-canary/1/0"_s);
    QCOMPARE(QJsonDocument::fromJson(patch.value(u"body"_s).toString().toUtf8()).object(),
             QJsonObject(
                 {{u"spec"_s,
                   QJsonObject{{u"predictor"_s, QJsonObject{{u"canaryTrafficPercent"_s, 0}}}}}}));
    QCOMPARE(patch.value(u"status"_s).toInt(), 200);
    QCOMPARE(post.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(header(post, u"Idempotency-Key"_s), incident + u"/announce-rollback/1/0"_s);
    const QString text = QJsonDocument::fromJson(post.value(u"body"_s).toString().toUtf8())
                             .object()
                             .value(u"text"_s)
                             .toString();
    QVERIFY2(text.contains(u"canary ranker-predictor-00004 demoted"_s), qPrintable(text));
}

// On a cluster whose Rollout CRD has no status subresource, argo.abort's PATCH of /status answers
// 404 and the same patch goes to the object itself: a request of its own, with its own key, its
// intent handed to the journal before it is sent and its result after.
void TestLiveFleet::argoFallbackIsARequestOfItsOwn()
{
    FleetSimProcess sim(
        {u"--scenario"_s, QStringLiteral(RUNLANE_TEST_DATA "/rollouts-without-status.yaml")});
    QString error;
    QVERIFY2(sim.waitUntilListening(&error), qPrintable(error));
    const LoadResult loaded =
        loadPlaybookFile(QStringLiteral(RUNLANE_TEST_DATA "/argo-abort.yaml"));
    QVERIFY(loaded.ok());
    const QString base = u"http://127.0.0.1:%1"_s.arg(sim.port());
    const ResolvedTargets targets =
        resolveTargets(*loaded.playbook, [base](const QString &name) -> std::optional<QString> {
            if (name == u"K8S_URL")
                return base;
            if (name == u"FLEET_TOKEN")
                return u"k8s-t0ken-do-not-print"_s;
            return std::nullopt;
        });
    QVERIFY(targets.problems.isEmpty());
    HttpClient client;
    const auto simRequests = [&client, &sim] {
        return client.send("GET", sim.url(u"/_sim/requests"_s)).json().array();
    };
    QStringList intents, results;
    QList<qsizetype> sentBeforeIntent;
    HttpExecutor http(targets);
    http.beforeSend = [&](const QList<ActionRequestRecord> &requests) {
        for (const ActionRequestRecord &r : requests) {
            intents.append(r.idempotencyKey.section(u'/', 1) + u' ' +
                           r.requestLine.section(u' ', 0, 0));
            sentBeforeIntent.append(simRequests().size());
        }
        return true;
    };
    http.afterResults = [&](const QList<ActionResultRecord> &done) {
        for (const ActionResultRecord &r : done)
            results.append(r.idempotencyKey.section(u'/', 1) + u' ' +
                           QString::number(r.result.status));
    };
    Session session(loaded.playbook, u"tester"_s, {});
    session.start(u"inc-argo"_s, {});
    QVERIFY(!session.confirmAction());
    const auto work = session.beginWork();
    std::optional<WorkResult> result;
    http.execute(*work, [&result](const WorkResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    QVERIFY(!session.feed(*result, work->token));
    QCOMPARE(session.path().constLast(), u"done"_s);
    QCOMPARE(intents, (QStringList{u"abort/1/0 PATCH"_s, u"abort/1/0+fallback PATCH"_s}));
    QCOMPARE(results, (QStringList{u"abort/1/0 404"_s, u"abort/1/0+fallback 200"_s}));
    QCOMPARE(sentBeforeIntent, (QList<qsizetype>{0, 1})); // each intent before its request
    const QJsonArray seen = simRequests();
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(1).toObject().value(u"effect"_s).toBool(), true);
    QVERIFY(seen.at(1).toObject().value(u"path"_s).toString().endsWith(u"/rollouts/ranker"_s));
}

QTEST_GUILESS_MAIN(TestLiveFleet)
#include "tst_live_fleet.moc"
