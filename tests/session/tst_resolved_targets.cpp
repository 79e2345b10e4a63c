#include "engine/playbook/loader.h"
#include "engine/session/resolved_targets.h"

#include <QHash>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

const char kPlaybook[] = R"(runlane: 1
id: targets-test
title: Targets
targets:
  fleet:
    kind: torchserve
    url: ${env:FLEET_URL:-http://127.0.0.1:8081}
    auth: {bearer: "${env:FLEET_TOKEN}"}
  api:
    kind: http
    url: http://127.0.0.1:9000
    auth: {basic: {user: ops, password: "${env:API_PASSWORD}"}}
  pd: {kind: pagerduty, url: https://events.pagerduty.com, routing_key: "${env:PD_KEY}"}
  chat: {kind: slack, url: "${env:SLACK_WEBHOOK}"}
start: close
steps:
  - {id: close, type: end, title: Close, outcome: resolved}
)";

expr::EnvLookup lookupIn(const QHash<QString, QString> &env)
{
    return [env](const QString &name) -> std::optional<QString> {
        if (!env.contains(name))
            return std::nullopt;
        return env.value(name);
    };
}

} // namespace

class TestResolvedTargets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const LoadResult load = loadPlaybookText(QByteArray(kPlaybook), u"targets.yaml"_s);
        QVERIFY2(load.ok(), qPrintable(load.diagnostics.value(0).toString()));
        m_playbook = load.playbook;
    }

    void resolvesEveryTarget()
    {
        const auto result = resolveTargets(
            *m_playbook, lookupIn({{u"FLEET_TOKEN"_s, u"tok-123"_s},
                                   {u"API_PASSWORD"_s, u"hunter2"_s},
                                   {u"PD_KEY"_s, u"R0UT1NG"_s},
                                   {u"SLACK_WEBHOOK"_s, u"https://hooks.example/T/B/X"_s}}));
        QCOMPARE(result.problems, QStringList());
        const ResolvedTargets &targets = result;
        QCOMPARE(targets.byName.value(u"fleet"_s).url, u"http://127.0.0.1:8081"_s);
        QCOMPARE(targets.byName.value(u"fleet"_s).bearer, u"tok-123"_s);
        QCOMPARE(targets.byName.value(u"api"_s).user, u"ops"_s);
        QCOMPARE(targets.byName.value(u"api"_s).password, u"hunter2"_s);
        QCOMPARE(targets.byName.value(u"pd"_s).routingKey, u"R0UT1NG"_s);
        QCOMPARE(targets.byName.value(u"chat"_s).url, u"https://hooks.example/T/B/X"_s);
        // Every auth value but a user name, the routing key and the webhook URL are secrets;
        // plain URLs are not.
        QStringList secrets = targets.secrets;
        secrets.sort();
        QCOMPARE(secrets, (QStringList{u"R0UT1NG"_s, u"https://hooks.example/T/B/X"_s, u"hunter2"_s,
                                       u"tok-123"_s}));
    }

    void reportsEveryMissingVariable()
    {
        const auto result = resolveTargets(*m_playbook, lookupIn({{u"PD_KEY"_s, u"k3y"_s}}));
        // What did resolve is still known as a secret, so that a dry run can go on redacting.
        QCOMPARE(result.secrets, (QStringList{u"k3y"_s}));
        QCOMPARE(result.problems,
                 (QStringList{
                     u"target 'fleet', auth bearer: environment variable FLEET_TOKEN is not set"_s,
                     u"target 'api', auth password: environment variable API_PASSWORD is not set"_s,
                     u"target 'chat', url: environment variable SLACK_WEBHOOK is not set"_s}));
    }

    void redacts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("secrets");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << u"GET /ping"_s << QStringList{} << u"GET /ping"_s;
        QTest::newRow("header") << u"Authorization: Bearer tok-123"_s << QStringList{u"tok-123"_s}
                                << u"Authorization: Bearer ***"_s;
        QTest::newRow("twice") << u"a tok1 b tok1"_s << QStringList{u"tok1"_s} << u"a *** b ***"_s;
        // A one-letter value would star every word that has the letter (e.g. a test token "t").
        QTest::newRow("too short to look for")
            << u"Content-Type: text/plain"_s << QStringList{u"t"_s}
            << u"Content-Type: text/plain"_s;
        QTest::newRow("longest first")
            << u"POST https://hooks.example/T/B/X"_s
            << QStringList{u"B"_s, u"https://hooks.example/T/B/X"_s} << u"POST ***"_s;
        QTest::newRow("empty secret ignored") << u"text"_s << QStringList{QString()} << u"text"_s;
    }

    void redacts()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, secrets);
        QFETCH(QString, expected);
        QCOMPARE(redactSecrets(text, secrets), expected);
    }

private:
    PlaybookPtr m_playbook;
};

QTEST_GUILESS_MAIN(TestResolvedTargets)
#include "tst_resolved_targets.moc"
