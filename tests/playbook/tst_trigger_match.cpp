// Which playbooks an alert suggests: a trigger's labels all match (exact, or /re/ over the whole
// value), and the playbooks come most specific first, those with errors included but marked.

#include "engine/playbook/trigger_match.h"

#include "test_support.h"

#include <QTest>

using namespace runlane;
using runlane::test::minimalPlaybook;
using namespace Qt::StringLiterals;

namespace {

// "name=value" pairs, split at the first '=' (a pattern may hold more).
AlertLabels labelsOf(const QStringList &pairs)
{
    AlertLabels labels;
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        labels.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return labels;
}

Trigger triggerOf(const QStringList &pairs)
{
    Trigger trigger;
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        trigger.labels.append({LString(pair.left(eq)), Located<QString>(pair.mid(eq + 1))});
    }
    return trigger;
}

// A minimal playbook with `id` and the given `triggers:` lines (YAML flow maps); `broken` adds an
// unknown key, an error that still leaves the playbook readable.
LoadResult playbook(const QByteArray &id, const QList<QByteArray> &triggers, bool broken = false)
{
    QByteArray text = minimalPlaybook();
    text.replace("id: minimal", "id: " + id);
    text.replace("title: Minimal", "title: Playbook " + id);
    QByteArray list;
    for (const QByteArray &t : triggers)
        list += "  - " + t + "\n";
    if (!list.isEmpty())
        text.replace("start: first\n", "triggers:\n" + list + "start: first\n");
    if (broken)
        text.replace("start: first\n", "start: first\nnxet: oops\n");
    return loadPlaybookText(text, QString::fromLatin1(id + ".yaml"));
}

QStringList idsOf(const QList<PlaybookMatch> &matches)
{
    QStringList ids;
    for (const PlaybookMatch &m : matches)
        ids.append(m.entry->playbook->id.value + (m.runnable() ? QString() : QStringLiteral("!")) +
                   QStringLiteral(":%1").arg(m.labelsMatched));
    return ids;
}

} // namespace

class TestTriggerMatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void triggerMatches_data();
    void triggerMatches();
    void matchingPlaybooks_data();
    void matchingPlaybooks();
    void matcherAgreesWithTriggerMatches();

private:
    Library m_library;
};

void TestTriggerMatch::initTestCase()
{
    m_library.entries = {
        playbook("no-triggers", {}),
        playbook("drift-any", {"{alertname: ModelInputDrift}"}),
        playbook("drift-fleet7", {"{alertname: ModelInputDrift, cohort: fleet-7}"}),
        playbook("drift-family", {"{alertname: '/Model(Input|Output)Drift/', severity: critical}",
                                  "{alertname: ModelOutputDrift}"}),
        playbook("thermal-broken", {"{alertname: JetsonThermalThrottle}"}, true),
        playbook("bad-regex", {"{alertname: '/(unclosed/'}"}),
        playbook("cohort-re", {"{cohort: '/fleet-[0-9]+/', alertname: '/.*Drift/'}"}),
    };
    // The fixtures are what they claim: errors exactly where meant.
    for (const LoadResult &entry : std::as_const(m_library.entries)) {
        QVERIFY2(entry.playbook, qPrintable(entry.file));
        const bool meantBroken =
            entry.file.startsWith(u"thermal-broken") || entry.file.startsWith(u"bad-regex");
        QVERIFY2(entry.ok() != meantBroken,
                 qPrintable(entry.file + u": "_s +
                            runlane::test::describe(entry.diagnostics).join(u"; ")));
    }
}

void TestTriggerMatch::triggerMatches_data()
{
    QTest::addColumn<QStringList>("trigger");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<bool>("matches");

    const QStringList drift{u"alertname=ModelInputDrift"_s, u"severity=warning"_s,
                            u"cohort=fleet-7"_s};
    QTest::newRow("exact") << QStringList{u"alertname=ModelInputDrift"_s} << drift << true;
    QTest::newRow("exact is case-sensitive")
        << QStringList{u"alertname=modelinputdrift"_s} << drift << false;
    QTest::newRow("exact is not a prefix")
        << QStringList{u"alertname=ModelInput"_s} << drift << false;
    QTest::newRow("every label must match")
        << QStringList{u"alertname=ModelInputDrift"_s, u"cohort=fleet-8"_s} << drift << false;
    QTest::newRow("two labels") << QStringList{u"alertname=ModelInputDrift"_s, u"cohort=fleet-7"_s}
                                << drift << true;
    QTest::newRow("missing label")
        << QStringList{u"alertname=ModelInputDrift"_s, u"model=resnet50"_s} << drift << false;
    QTest::newRow("missing label, match-all pattern")
        << QStringList{u"model=/.*/"_s} << drift << false;
    QTest::newRow("empty value, match-all pattern")
        << QStringList{u"model=/.*/"_s} << QStringList{u"model="_s} << true;
    QTest::newRow("regex full match")
        << QStringList{u"alertname=/Model.*Drift/"_s} << drift << true;
    QTest::newRow("regex partial match is no match")
        << QStringList{u"alertname=/Drift/"_s} << drift << false;
    QTest::newRow("regex prefix is no match")
        << QStringList{u"alertname=/Model/"_s} << drift << false;
    QTest::newRow("regex alternation is anchored as a whole")
        << QStringList{u"alertname=/Foo|ModelInput/"_s} << drift << false;
    QTest::newRow("regex alternation, one branch whole")
        << QStringList{u"alertname=/Foo|ModelInputDrift/"_s} << drift << true;
    QTest::newRow("regex character class")
        << QStringList{u"cohort=/fleet-[0-9]+/"_s} << drift << true;
    QTest::newRow("regex with '=' in it")
        << QStringList{u"expr=/a=b+/"_s} << QStringList{u"expr=a=bbb"_s} << true;
    QTest::newRow("invalid regex never matches") << QStringList{u"alertname=/(unclosed/"_s}
                                                 << QStringList{u"alertname=(unclosed"_s} << false;
    QTest::newRow("invalid regex never matches its own text")
        << QStringList{u"alertname=/[/"_s} << QStringList{u"alertname=/[/"_s} << false;
    QTest::newRow("'//' is the empty pattern")
        << QStringList{u"team=//"_s} << QStringList{u"team="_s} << true;
    QTest::newRow("'//' does not match text")
        << QStringList{u"team=//"_s} << QStringList{u"team=ml"_s} << false;
    QTest::newRow("a lone slash is plain text")
        << QStringList{u"path=/"_s} << QStringList{u"path=/"_s} << true;
    QTest::newRow("a leading slash only is plain text")
        << QStringList{u"path=/srv/models"_s} << QStringList{u"path=/srv/models"_s} << true;
    QTest::newRow("no labels matches nothing") << QStringList{} << drift << false;
    QTest::newRow("no alert labels") << QStringList{u"alertname=X"_s} << QStringList{} << false;
}

void TestTriggerMatch::triggerMatches()
{
    QFETCH(QStringList, trigger);
    QFETCH(QStringList, labels);
    QFETCH(bool, matches);
    QCOMPARE(runlane::triggerMatches(triggerOf(trigger), labelsOf(labels)), matches);
}

void TestTriggerMatch::matchingPlaybooks_data()
{
    // Expected: "id:labels matched", with '!' after an id that cannot be run.
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("most specific first")
        << QStringList{u"alertname=ModelInputDrift"_s, u"cohort=fleet-7"_s}
        << QStringList{u"drift-fleet7:2"_s, u"cohort-re:2"_s, u"drift-any:1"_s};
    QTest::newRow("other cohort") << QStringList{u"alertname=ModelInputDrift"_s,
                                                 u"cohort=fleet-12"_s}
                                  << QStringList{u"cohort-re:2"_s, u"drift-any:1"_s};
    QTest::newRow("cohort pattern must match whole")
        << QStringList{u"alertname=ModelInputDrift"_s, u"cohort=fleet-7b"_s}
        << QStringList{u"drift-any:1"_s};
    QTest::newRow("several triggers, the best counts")
        << QStringList{u"alertname=ModelOutputDrift"_s, u"severity=critical"_s}
        << QStringList{u"drift-family:2"_s};
    QTest::newRow("several triggers, the other one")
        << QStringList{u"alertname=ModelOutputDrift"_s, u"severity=warning"_s}
        << QStringList{u"drift-family:1"_s};
    QTest::newRow("a playbook with errors is suggested, marked")
        << QStringList{u"alertname=JetsonThermalThrottle"_s} << QStringList{u"thermal-broken!:1"_s};
    QTest::newRow("an invalid pattern suggests nothing")
        << QStringList{u"alertname=(unclosed"_s} << QStringList{};
    QTest::newRow("unknown alert") << QStringList{u"alertname=DiskFull"_s} << QStringList{};
    QTest::newRow("no labels") << QStringList{} << QStringList{};
}

void TestTriggerMatch::matchingPlaybooks()
{
    QFETCH(QStringList, labels);
    QFETCH(QStringList, expected);
    QCOMPARE(idsOf(runlane::matchingPlaybooks(m_library, labelsOf(labels))), expected);
}

// The compiled matcher and the one-trigger function agree on every playbook and alert above.
void TestTriggerMatch::matcherAgreesWithTriggerMatches()
{
    const PlaybookMatcher matcher(m_library);
    const QList<QStringList> alerts{
        {u"alertname=ModelInputDrift"_s, u"cohort=fleet-7"_s},
        {u"alertname=ModelOutputDrift"_s, u"severity=critical"_s},
        {u"alertname=JetsonThermalThrottle"_s},
        {u"alertname=(unclosed"_s},
    };
    for (const QStringList &alert : alerts) {
        const AlertLabels labels = labelsOf(alert);
        QStringList byFunction;
        for (const LoadResult &entry : std::as_const(m_library.entries)) {
            for (const Trigger &trigger : entry.playbook->triggers) {
                if (runlane::triggerMatches(trigger, labels)) {
                    byFunction.append(entry.playbook->id.value);
                    break;
                }
            }
        }
        QStringList byMatcher;
        for (const PlaybookMatch &m : matcher.match(labels))
            byMatcher.append(m.entry->playbook->id.value);
        byFunction.sort();
        byMatcher.sort();
        QCOMPARE(byMatcher, byFunction);
    }
}

QTEST_GUILESS_MAIN(TestTriggerMatch)
#include "tst_trigger_match.moc"
