#include "engine/journal/journal_database.h"
#include "engine/journal/journal_reader.h"
#include "engine/journal/journal_writer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(runlane::Event)

// Writing an incident as it happens (events in order, append-only, milestones, secrets kept out
// of the file, action intents and results) and reading it back (by id or prefix, the list).
class TestJournalWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsIncident();
    void duplicateIncidentIsAnError();
    void appendsInOrder_data();
    void appendsInOrder();
    void eventsAreAppendOnly_data();
    void eventsAreAppendOnly();
    void milestones_data();
    void milestones();
    void endedOutcomes_data();
    void endedOutcomes();
    void secretsNeverWritten();
    void intentsThenResults();
    void sameIntentKeyKeepsTheFirst();
    void resultWithoutIntentIsAnError_data();
    void resultWithoutIntentIsAnError();
    void batchOfResultsIsOneCommit();
    void reopenContinuesTheSequence();
    void reopenOfUnknownIncidentIsAnError();
    void readsByIdOrPrefix_data();
    void readsByIdOrPrefix();
    void listsIncidents_data();
    void listsIncidents();

private:
    static std::unique_ptr<JournalDatabase> open(const QString &path);
    static IncidentRecord incident(qint64 startedAtMs = 1000);
    static Event event(EventKind kind, const QString &actor, qint64 utcMs,
                       const QJsonObject &details = {});
    static ActionAttempt intent(const QString &key, qint64 atMs = 2000);
    static ActionAttempt result(const QString &key, int status = 200);
    static IncidentJournal read(JournalDatabase &journal, const QString &id);
    static QList<qint64> sequence(JournalDatabase &journal, const QString &incidentId);
    static QByteArray fileBytes(const QString &path);
};

std::unique_ptr<JournalDatabase> TestJournalWriter::open(const QString &path)
{
    auto opened = JournalDatabase::open(path);
    if (auto *error = std::get_if<QString>(&opened)) {
        qWarning() << *error;
        return nullptr;
    }
    return std::move(std::get<std::unique_ptr<JournalDatabase>>(opened));
}

IncidentRecord TestJournalWriter::incident(qint64 startedAtMs)
{
    IncidentRecord r;
    r.playbookId = u"triton-model-not-ready"_s;
    r.title = u"Triton model not ready"_s;
    r.severity = u"sev2"_s;
    r.playbookText = u"runlane: 1\nid: triton-model-not-ready\n# \u00e9t\u00e9 \t trailing  \n"_s;
    r.playbookSha256 = u"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"_s;
    r.inputs = QJsonObject{{u"model"_s, u"ranker"_s}, {u"replicas"_s, 3}};
    r.drill = true;
    r.startedAtMs = startedAtMs;
    return r;
}

Event TestJournalWriter::event(EventKind kind, const QString &actor, qint64 utcMs,
                               const QJsonObject &details)
{
    Event e;
    e.utcMs = utcMs;
    e.stepId = u"check-model"_s;
    e.lane = u"node"_s;
    e.kind = kind;
    e.actor = actor;
    e.text = u"%1 by %2"_s.arg(toString(kind), actor);
    e.details = details;
    return e;
}

ActionAttempt TestJournalWriter::intent(const QString &key, qint64 atMs)
{
    ActionAttempt a;
    a.step = u"restart-model"_s;
    a.visit = 1;
    a.endpoint = key.size();
    a.idempotencyKey = key;
    a.requestLine = u"POST http://node-1:8000/v2/repository/models/ranker/load"_s;
    a.requestHeaders = u"Content-Type: application/json\nIdempotency-Key: "_s + key;
    a.intentAtMs = atMs;
    return a;
}

ActionAttempt TestJournalWriter::result(const QString &key, int status)
{
    ActionAttempt a = intent(key);
    a.resultAtMs = 2500;
    a.status = status;
    a.attempts = 2;
    a.timings = QJsonObject{{u"connect_ms"_s, 3}, {u"total_ms"_s, 41}};
    a.responseExcerpt = u"{\"loaded\": true}"_s;
    a.error = status >= 400 ? u"HTTP %1"_s.arg(status) : QString();
    return a;
}

IncidentJournal TestJournalWriter::read(JournalDatabase &journal, const QString &id)
{
    auto found = readIncident(journal, id);
    if (auto *error = std::get_if<QString>(&found)) {
        qWarning() << *error;
        return {};
    }
    return std::get<IncidentJournal>(found);
}

QList<qint64> TestJournalWriter::sequence(JournalDatabase &journal, const QString &incidentId)
{
    QSqlQuery q(journal.db());
    q.prepare(u"SELECT seq FROM events WHERE incident_id = ? ORDER BY rowid"_s);
    q.addBindValue(incidentId);
    QList<qint64> out;
    if (!q.exec())
        return out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

QByteArray TestJournalWriter::fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void TestJournalWriter::createsIncident()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident(1234)), std::nullopt);
    QCOMPARE(writer.commits(), 1);

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    const IncidentRecord expected = incident(1234);
    QCOMPARE(j.incident.id, u"inc-1"_s);
    QCOMPARE(j.incident.playbookId, expected.playbookId);
    QCOMPARE(j.incident.title, expected.title);
    QCOMPARE(j.incident.severity, expected.severity);
    QCOMPARE(j.incident.playbookText, expected.playbookText); // byte for byte
    QCOMPARE(j.incident.playbookSha256, expected.playbookSha256);
    QCOMPARE(j.incident.inputs, expected.inputs);
    QCOMPARE(j.incident.status, u"active"_s);
    QVERIFY(!j.incident.ended());
    QCOMPARE(j.incident.outcome, QString());
    QCOMPARE(j.incident.drill, true);
    QCOMPARE(j.incident.startedAtMs, 1234);
    QCOMPARE(j.incident.acknowledgedAtMs, std::nullopt);
    QCOMPARE(j.incident.mitigatedAtMs, std::nullopt);
    QCOMPARE(j.incident.resolvedAtMs, std::nullopt);
    QVERIFY(j.events.isEmpty());
    QVERIFY(j.attempts.isEmpty());
}

void TestJournalWriter::duplicateIncidentIsAnError()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    JournalWriter again(*journal, u"inc-1"_s);
    const auto error = again.createIncident(incident(5000));
    QVERIFY(error);
    QVERIFY2(error->startsWith(u"journal "_s + journal->path() + u": cannot record the incident"_s),
             qPrintable(*error));
    QCOMPARE(read(*journal, u"inc-1"_s).incident.startedAtMs, 1000); // the first is kept
}

void TestJournalWriter::appendsInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one event") << 1;
    QTest::newRow("a few") << 7;
    QTest::newRow("many") << 120;
}

void TestJournalWriter::appendsInOrder()
{
    QFETCH(int, count);
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);

    // Every kind in turn, with and without step and lane, and details of every JSON type.
    QList<Event> written;
    for (int i = 0; i < count; ++i) {
        Event e;
        e.utcMs = 10'000 + i * 7;
        e.kind = EventKind((i + 1) % (int(EventKind::IncidentEnded))); // never IncidentEnded
        e.stepId = i % 3 == 0 ? QString() : u"step-%1"_s.arg(i);
        e.lane = i % 4 == 0 ? QString() : u"lane-%1"_s.arg(i % 3);
        e.actor = i % 2 ? u"runlane"_s : u"alice"_s;
        e.text = u"event %1: quotes \" and ' and \u00fcml\u00e4ut and \U0001F680"_s.arg(i);
        e.details = QJsonObject{
            {u"index"_s, i},
            {u"ratio"_s, i / 4.0},
            {u"ok"_s, i % 2 == 0},
            {u"none"_s, QJsonValue::Null},
            {u"list"_s, QJsonArray{1, u"two"_s, QJsonObject{{u"three"_s, 3}}}},
            {u"nested"_s, QJsonObject{{u"deep"_s, QJsonObject{{u"x"_s, u"y"_s}}}}},
        };
        QCOMPARE(writer.append(e), std::nullopt);
        written.append(e);
    }
    QCOMPARE(writer.commits(), count + 1);

    QList<qint64> expectedSeq;
    for (int i = 1; i <= count; ++i)
        expectedSeq.append(i);
    QCOMPARE(sequence(*journal, u"inc-1"_s), expectedSeq);

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.events.size(), written.size());
    for (qsizetype i = 0; i < written.size(); ++i) {
        const Event &got = j.events.at(i);
        const Event &want = written.at(i);
        QCOMPARE(got.utcMs, want.utcMs);
        QCOMPARE(toString(got.kind), toString(want.kind));
        QCOMPARE(got.stepId, want.stepId);
        QCOMPARE(got.lane, want.lane);
        QCOMPARE(got.actor, want.actor);
        QCOMPARE(got.text, want.text);
        QCOMPARE(got.details, want.details);
    }
}

void TestJournalWriter::eventsAreAppendOnly_data()
{
    QTest::addColumn<QString>("statement");
    QTest::newRow("update the text") << u"UPDATE events SET text = 'changed' WHERE seq = 1"_s;
    QTest::newRow("update the sequence") << u"UPDATE events SET seq = seq + 10"_s;
    QTest::newRow("update the details") << u"UPDATE events SET details = '{}'"_s;
    QTest::newRow("delete one") << u"DELETE FROM events WHERE seq = 2"_s;
    QTest::newRow("delete all") << u"DELETE FROM events"_s;
}

void TestJournalWriter::eventsAreAppendOnly()
{
    QFETCH(QString, statement);
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    QCOMPARE(writer.append(event(EventKind::IncidentStarted, u"runlane"_s, 1001)), std::nullopt);
    QCOMPARE(writer.append(event(EventKind::NoteAdded, u"alice"_s, 1002)), std::nullopt);

    QSqlQuery q(journal->db());
    QVERIFY(!q.exec(statement));
    QVERIFY2(q.lastError().text().contains(u"append-only"_s), qPrintable(q.lastError().text()));

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.events.size(), 2);
    QCOMPARE(j.events.at(0).text, event(EventKind::IncidentStarted, u"runlane"_s, 1001).text);
    QCOMPARE(sequence(*journal, u"inc-1"_s), (QList<qint64>{1, 2}));
    // The writer goes on after the refused statement.
    QCOMPARE(writer.append(event(EventKind::NoteAdded, u"alice"_s, 1003)), std::nullopt);
    QCOMPARE(sequence(*journal, u"inc-1"_s), (QList<qint64>{1, 2, 3}));
}

// Events appended in order (times 1001, 1002, ...); -1: the milestone is not set.
void TestJournalWriter::milestones_data()
{
    QTest::addColumn<QList<Event>>("events");
    QTest::addColumn<qint64>("acknowledged");
    QTest::addColumn<qint64>("mitigated");
    QTest::addColumn<qint64>("resolved");

    const QString runlane = u"runlane"_s;
    const QString alice = u"alice"_s;
    const QString bob = u"bob"_s;
    const QJsonObject changed{{u"label"_s, u"restarted"_s}, {u"fleet_changed"_s, true}};
    const QJsonObject unchanged{{u"label"_s, u"healthy"_s}, {u"fleet_changed"_s, false}};
    using K = EventKind;

    QTest::newRow("only automated events")
        << QList<Event>{event(K::IncidentStarted, runlane, 1001),
                        event(K::StepEntered, runlane, 1002),
                        event(K::WorkRequested, runlane, 1003),
                        event(K::WorkResult, runlane, 1004),
                        event(K::DecisionMade, runlane, 1005),
                        event(K::NoteAdded, runlane, 1006),
                        event(K::BranchTaken, runlane, 1007, unchanged),
                        event(K::BranchTaken, runlane, 1008)}
        << qint64(-1) << qint64(-1) << qint64(-1);
    QTest::newRow("the first person's decision acknowledges")
        << QList<Event>{event(K::IncidentStarted, runlane, 1001),
                        event(K::StepEntered, runlane, 1002), event(K::DecisionMade, alice, 1003),
                        event(K::TaskCompleted, bob, 1004), event(K::DecisionMade, alice, 1005)}
        << qint64(1003) << qint64(-1) << qint64(-1);
    QTest::newRow("a completed task acknowledges")
        << QList<Event>{event(K::StepEntered, runlane, 1001), event(K::TaskCompleted, bob, 1002)}
        << qint64(1002) << qint64(-1) << qint64(-1);
    QTest::newRow("a note by a person acknowledges")
        << QList<Event>{event(K::NoteAdded, runlane, 1001), event(K::NoteAdded, alice, 1002)}
        << qint64(1002) << qint64(-1) << qint64(-1);
    QTest::newRow("a confirmation acknowledges")
        << QList<Event>{event(K::WorkRequested, runlane, 1001),
                        event(K::ActionConfirmed, alice, 1002)}
        << qint64(1002) << qint64(-1) << qint64(-1);
    QTest::newRow("a skipped wait acknowledges")
        << QList<Event>{event(K::WaitStarted, runlane, 1001),
                        event(K::WaitEnded, runlane, 1002, {{u"how"_s, u"elapsed"_s}}),
                        event(K::WaitStarted, runlane, 1003),
                        event(K::WaitEnded, alice, 1004, {{u"how"_s, u"skipped"_s}})}
        << qint64(1004) << qint64(-1) << qint64(-1);
    QTest::newRow("a branch that changed the fleet mitigates")
        << QList<Event>{event(K::BranchTaken, runlane, 1001, unchanged),
                        event(K::BranchTaken, runlane, 1002, changed),
                        event(K::BranchTaken, runlane, 1003, changed)}
        << qint64(-1) << qint64(1002) << qint64(-1);
    QTest::newRow("earlier milestones are kept at the end")
        << QList<Event>{event(K::DecisionMade, alice, 1001),
                        event(K::BranchTaken, runlane, 1002, changed),
                        event(K::DecisionMade, bob, 1003),
                        event(K::IncidentEnded, alice, 1004, {{u"outcome"_s, u"resolved"_s}})}
        << qint64(1001) << qint64(1002) << qint64(1004);
}

void TestJournalWriter::milestones()
{
    QFETCH(QList<Event>, events);
    QFETCH(qint64, acknowledged);
    QFETCH(qint64, mitigated);
    QFETCH(qint64, resolved);
    const auto expected = [](qint64 ms) {
        return ms < 0 ? std::nullopt : std::optional<qint64>(ms);
    };

    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    for (const Event &e : events)
        QCOMPARE(writer.append(e), std::nullopt);

    const IncidentRecord r = read(*journal, u"inc-1"_s).incident;
    QCOMPARE(r.acknowledgedAtMs, expected(acknowledged));
    QCOMPARE(r.mitigatedAtMs, expected(mitigated));
    QCOMPARE(r.resolvedAtMs, expected(resolved));
    const bool ends = !events.isEmpty() && events.back().kind == EventKind::IncidentEnded;
    QCOMPARE(r.status, ends ? u"ended"_s : u"active"_s);

    // The rules the exports use say the same.
    for (const Event &e : events) {
        const Milestones m = milestonesOf(e);
        if (m.acknowledges)
            QVERIFY(r.acknowledgedAtMs && *r.acknowledgedAtMs <= e.utcMs);
        if (m.mitigates)
            QVERIFY(r.mitigatedAtMs && *r.mitigatedAtMs <= e.utcMs);
    }
}

void TestJournalWriter::endedOutcomes_data()
{
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<bool>("mitigates");
    QTest::addColumn<bool>("resolves");
    QTest::newRow("resolved") << u"resolved"_s << true << true;
    QTest::newRow("mitigated") << u"mitigated"_s << true << false;
    QTest::newRow("false alarm") << u"false-alarm"_s << false << true;
    QTest::newRow("escalated") << u"escalated"_s << false << false;
    QTest::newRow("aborted") << u"aborted"_s << false << false;
}

void TestJournalWriter::endedOutcomes()
{
    QFETCH(QString, outcome);
    QFETCH(bool, mitigates);
    QFETCH(bool, resolves);

    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    QCOMPARE(writer.append(event(EventKind::IncidentStarted, u"runlane"_s, 1001)), std::nullopt);
    QCOMPARE(read(*journal, u"inc-1"_s).incident.status, u"active"_s);
    QCOMPARE(writer.append(
                 event(EventKind::IncidentEnded, u"runlane"_s, 1500, {{u"outcome"_s, outcome}})),
             std::nullopt);

    const IncidentRecord r = read(*journal, u"inc-1"_s).incident;
    QCOMPARE(r.status, u"ended"_s);
    QVERIFY(r.ended());
    QCOMPARE(r.outcome, outcome);
    QCOMPARE(r.acknowledgedAtMs, std::nullopt); // runlane ended it: nobody acknowledged
    QCOMPARE(r.mitigatedAtMs, mitigates ? std::optional<qint64>(1500) : std::nullopt);
    QCOMPARE(r.resolvedAtMs, resolves ? std::optional<qint64>(1500) : std::nullopt);

    // Ended incidents leave the default list.
    auto active = listIncidents(*journal, false);
    QVERIFY(std::holds_alternative<QList<IncidentRecord>>(active));
    QVERIFY(std::get<QList<IncidentRecord>>(active).isEmpty());
}

void TestJournalWriter::secretsNeverWritten()
{
    const QString secret = u"s3cr3t-token"_s;
    QTemporaryDir dir;
    const QString path = dir.filePath(u"j.sqlite"_s);
    auto journal = open(path);
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s, {secret});

    IncidentRecord r = incident();
    r.title = u"Token "_s + secret + u" leaked"_s;
    r.inputs = QJsonObject{{u"token"_s, secret},
                           {u"nested"_s, QJsonObject{{u"auth"_s, u"Bearer "_s + secret}}},
                           {u"list"_s, QJsonArray{u"a"_s, secret}},
                           {secret, u"as a key"_s}};
    QCOMPARE(writer.createIncident(r), std::nullopt);

    Event e = event(EventKind::WorkResult, u"runlane"_s, 1001);
    e.text = u"sent with "_s + secret + u" marker-in-text"_s;
    e.details = QJsonObject{
        {u"nested"_s, QJsonObject{{u"deep"_s, QJsonObject{{u"header"_s, u"Bearer "_s + secret}}}}},
        {u"list"_s, QJsonArray{u"x"_s, u"pre-"_s + secret + u"-post"_s,
                               QJsonObject{{u"in"_s, secret}}, QJsonArray{secret}}},
        {secret, u"value under a secret key"_s},
        {u"count"_s, 3}};
    QCOMPARE(writer.append(e), std::nullopt);

    ActionAttempt a = intent(u"key-1"_s);
    a.requestLine = u"GET https://api.example/v1/models?token="_s + secret;
    a.requestHeaders = u"Authorization: Bearer "_s + secret + u"\nX-Trace: 7"_s;
    QCOMPARE(writer.recordIntents({a}), std::nullopt);
    ActionAttempt done = result(u"key-1"_s, 401);
    done.responseExcerpt = u"{\"echo\": \""_s + secret + u"\"}"_s;
    done.error = u"refused: "_s + secret + u" is not valid"_s;
    QCOMPARE(writer.recordResults({done}), std::nullopt);

    // The raw bytes, with the journal still open: what was committed is in the write-ahead log.
    const QByteArray main = fileBytes(path);
    const QByteArray wal = fileBytes(path + u"-wal"_s);
    QVERIFY(!main.isEmpty());
    QVERIFY2(!wal.isEmpty(), "the write-ahead log is expected to hold the commits");
    QVERIFY2((main + wal).contains("marker-in-text"), "the files checked do not hold the events");
    for (const QByteArray &bytes : {main, wal}) {
        QVERIFY(!bytes.contains(secret.toUtf8()));
        QVERIFY(!bytes.contains(
            QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2)));
    }

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.incident.title, u"Token *** leaked"_s);
    QCOMPARE(j.incident.inputs.value(u"token"_s).toString(), u"***"_s);
    QCOMPARE(j.incident.inputs.value(u"nested"_s).toObject().value(u"auth"_s).toString(),
             u"Bearer ***"_s);
    QCOMPARE(j.incident.inputs.value(u"list"_s).toArray(), (QJsonArray{u"a"_s, u"***"_s}));
    QCOMPARE(j.incident.inputs.value(u"***"_s).toString(), u"as a key"_s);

    QCOMPARE(j.events.size(), 1);
    const Event &got = j.events.front();
    QCOMPARE(got.text, u"sent with *** marker-in-text"_s);
    const QJsonObject expectedDetails{
        {u"nested"_s, QJsonObject{{u"deep"_s, QJsonObject{{u"header"_s, u"Bearer ***"_s}}}}},
        {u"list"_s, QJsonArray{u"x"_s, u"pre-***-post"_s, QJsonObject{{u"in"_s, u"***"_s}},
                               QJsonArray{u"***"_s}}},
        {u"***"_s, u"value under a secret key"_s},
        {u"count"_s, 3}};
    QCOMPARE(got.details, expectedDetails);

    QCOMPARE(j.attempts.size(), 1);
    const ActionAttempt &att = j.attempts.front();
    QCOMPARE(att.requestLine, u"GET https://api.example/v1/models?token=***"_s);
    QCOMPARE(att.requestHeaders, u"Authorization: Bearer ***\nX-Trace: 7"_s);
    QCOMPARE(att.responseExcerpt, u"{\"echo\": \"***\"}"_s);
    QCOMPARE(att.error, u"refused: *** is not valid"_s);
    QCOMPARE(att.status, 401);
}

void TestJournalWriter::intentsThenResults()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    QCOMPARE(writer.recordIntents(
                 {intent(u"k-a"_s, 2000), intent(u"k-bb"_s, 2001), intent(u"k-ccc"_s, 2002)}),
             std::nullopt);
    QCOMPARE(writer.commits(), 2);

    IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.attempts.size(), 3);
    for (const ActionAttempt &a : j.attempts) {
        QVERIFY(a.outcomeUnknown());
        QCOMPARE(a.status, 0);
        QCOMPARE(a.attempts, 0);
        QVERIFY(a.timings.isEmpty());
        QVERIFY(a.responseExcerpt.isEmpty());
        QVERIFY(a.error.isEmpty());
    }
    const ActionAttempt first = intent(u"k-a"_s, 2000);
    QCOMPARE(j.attempts.front().idempotencyKey, u"k-a"_s);
    QCOMPARE(j.attempts.front().step, first.step);
    QCOMPARE(j.attempts.front().visit, first.visit);
    QCOMPARE(j.attempts.front().endpoint, first.endpoint);
    QCOMPARE(j.attempts.front().requestLine, first.requestLine);
    QCOMPARE(j.attempts.front().requestHeaders, first.requestHeaders);
    QCOMPARE(j.attempts.front().intentAtMs, 2000);

    QCOMPARE(writer.recordResults({result(u"k-bb"_s, 503)}), std::nullopt);
    QCOMPARE(writer.commits(), 3);
    j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.attempts.size(), 3);
    QVERIFY(j.attempts.at(0).outcomeUnknown());
    QVERIFY(j.attempts.at(2).outcomeUnknown());
    const ActionAttempt &done = j.attempts.at(1);
    QCOMPARE(done.idempotencyKey, u"k-bb"_s);
    QVERIFY(!done.outcomeUnknown());
    QCOMPARE(done.resultAtMs, std::optional<qint64>(2500));
    QCOMPARE(done.status, 503);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(done.timings, (QJsonObject{{u"connect_ms"_s, 3}, {u"total_ms"_s, 41}}));
    QCOMPARE(done.responseExcerpt, u"{\"loaded\": true}"_s);
    QCOMPARE(done.error, u"HTTP 503"_s);
    QCOMPARE(done.intentAtMs, 2001); // the intent's own fields are kept
}

void TestJournalWriter::sameIntentKeyKeepsTheFirst()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    QCOMPARE(writer.recordIntents({intent(u"k-1"_s, 2000)}), std::nullopt);
    QCOMPARE(writer.recordResults({result(u"k-1"_s, 200)}), std::nullopt);

    // A re-send after a resume records the same key again: the first intent (and its result) stay.
    ActionAttempt again = intent(u"k-1"_s, 9000);
    again.requestLine = u"POST http://elsewhere/"_s;
    QCOMPARE(writer.recordIntents({again, intent(u"k-2"_s, 9001)}), std::nullopt);

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.attempts.size(), 2);
    QCOMPARE(j.attempts.at(0).idempotencyKey, u"k-1"_s);
    QCOMPARE(j.attempts.at(0).intentAtMs, 2000);
    QCOMPARE(j.attempts.at(0).requestLine, intent(u"k-1"_s).requestLine);
    QVERIFY(!j.attempts.at(0).outcomeUnknown());
    QCOMPARE(j.attempts.at(0).status, 200);
    QCOMPARE(j.attempts.at(1).idempotencyKey, u"k-2"_s);
    QVERIFY(j.attempts.at(1).outcomeUnknown());
}

void TestJournalWriter::resultWithoutIntentIsAnError_data()
{
    QTest::addColumn<QStringList>("intents");      // recorded for this incident
    QTest::addColumn<QStringList>("otherIntents"); // recorded for another incident
    QTest::addColumn<QStringList>("results");      // one batch
    QTest::addColumn<QString>("missing");
    QTest::newRow("no intent at all")
        << QStringList{} << QStringList{} << QStringList{u"k-9"_s} << u"k-9"_s;
    QTest::newRow("after a good one in the batch")
        << QStringList{u"k-1"_s} << QStringList{} << QStringList{u"k-1"_s, u"k-9"_s} << u"k-9"_s;
    QTest::newRow("the intent of another incident")
        << QStringList{u"k-1"_s} << QStringList{u"k-9"_s} << QStringList{u"k-9"_s} << u"k-9"_s;
}

void TestJournalWriter::resultWithoutIntentIsAnError()
{
    QFETCH(QStringList, intents);
    QFETCH(QStringList, otherIntents);
    QFETCH(QStringList, results);
    QFETCH(QString, missing);

    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter other(*journal, u"inc-other"_s);
    QCOMPARE(other.createIncident(incident()), std::nullopt);
    QList<ActionAttempt> batch;
    for (const QString &key : otherIntents)
        batch.append(intent(key));
    QCOMPARE(other.recordIntents(batch), std::nullopt);

    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);
    batch.clear();
    for (const QString &key : intents)
        batch.append(intent(key));
    QCOMPARE(writer.recordIntents(batch), std::nullopt);
    const qint64 commits = writer.commits();

    batch.clear();
    for (const QString &key : results)
        batch.append(result(key));
    const auto error = writer.recordResults(batch);
    QVERIFY(error);
    QVERIFY2(error->contains(missing), qPrintable(*error));
    QVERIFY2(error->contains(u"never recorded"_s), qPrintable(*error));
    QCOMPARE(writer.commits(), commits);

    // The batch is all or nothing: no result of it was kept, here or in the other incident.
    for (const QString &id : {u"inc-1"_s, u"inc-other"_s}) {
        for (const ActionAttempt &a : read(*journal, id).attempts)
            QVERIFY2(a.outcomeUnknown(), qPrintable(a.idempotencyKey));
    }
    // And the writer can go on.
    QCOMPARE(writer.append(event(EventKind::NoteAdded, u"alice"_s, 3000)), std::nullopt);
    QCOMPARE(read(*journal, u"inc-1"_s).events.size(), 1);
}

void TestJournalWriter::batchOfResultsIsOneCommit()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter writer(*journal, u"inc-1"_s);
    QCOMPARE(writer.createIncident(incident()), std::nullopt);

    QList<ActionAttempt> intents;
    QList<ActionAttempt> results;
    for (int i = 0; i < 1000; ++i) {
        const QString key = u"fanout/%1"_s.arg(i);
        ActionAttempt a = intent(key, 2000);
        a.endpoint = i;
        intents.append(a);
        ActionAttempt r = result(key, i % 10 ? 200 : 500);
        r.endpoint = i;
        results.append(r);
    }
    QCOMPARE(writer.recordIntents(intents), std::nullopt);
    QCOMPARE(writer.commits(), 2);
    QCOMPARE(writer.recordResults(results), std::nullopt);
    QCOMPARE(writer.commits(), 3);

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.attempts.size(), 1000);
    for (qsizetype i = 0; i < j.attempts.size(); ++i) {
        const ActionAttempt &a = j.attempts.at(i);
        QCOMPARE(a.endpoint, i); // by intent time, step, visit, endpoint
        QVERIFY(!a.outcomeUnknown());
        QCOMPARE(a.status, i % 10 ? 200 : 500);
    }
}

void TestJournalWriter::reopenContinuesTheSequence()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"j.sqlite"_s);
    {
        auto journal = open(path);
        QVERIFY(journal);
        JournalWriter writer(*journal, u"inc-1"_s);
        QCOMPARE(writer.createIncident(incident()), std::nullopt);
        QCOMPARE(writer.append(event(EventKind::IncidentStarted, u"runlane"_s, 1001)),
                 std::nullopt);
        QCOMPARE(writer.append(event(EventKind::DecisionMade, u"alice"_s, 1002)), std::nullopt);
        QCOMPARE(writer.append(event(EventKind::BranchTaken, u"runlane"_s, 1003,
                                     {{u"fleet_changed"_s, true}})),
                 std::nullopt);
    }
    // A later process resumes it.
    auto journal = open(path);
    QVERIFY(journal);
    JournalWriter resumed(*journal, u"inc-1"_s);
    QCOMPARE(resumed.reopen(), std::nullopt);
    QCOMPARE(resumed.append(event(EventKind::DecisionMade, u"bob"_s, 2001)), std::nullopt);
    QCOMPARE(resumed.append(
                 event(EventKind::BranchTaken, u"runlane"_s, 2002, {{u"fleet_changed"_s, true}})),
             std::nullopt);
    QCOMPARE(sequence(*journal, u"inc-1"_s), (QList<qint64>{1, 2, 3, 4, 5}));

    const IncidentJournal j = read(*journal, u"inc-1"_s);
    QCOMPARE(j.events.size(), 5);
    QCOMPARE(j.events.at(3).actor, u"bob"_s);
    QCOMPARE(j.events.at(3).utcMs, 2001);
    // The milestones of the first writer stay.
    QCOMPARE(j.incident.acknowledgedAtMs, std::optional<qint64>(1002));
    QCOMPARE(j.incident.mitigatedAtMs, std::optional<qint64>(1003));

    // An incident with no event yet starts at 1.
    JournalWriter fresh(*journal, u"inc-2"_s);
    QCOMPARE(fresh.createIncident(incident()), std::nullopt);
    JournalWriter freshAgain(*journal, u"inc-2"_s);
    QCOMPARE(freshAgain.reopen(), std::nullopt);
    QCOMPARE(freshAgain.append(event(EventKind::IncidentStarted, u"runlane"_s, 3001)),
             std::nullopt);
    QCOMPARE(sequence(*journal, u"inc-2"_s), (QList<qint64>{1}));
}

void TestJournalWriter::reopenOfUnknownIncidentIsAnError()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    JournalWriter known(*journal, u"inc-1"_s);
    QCOMPARE(known.createIncident(incident()), std::nullopt);
    JournalWriter writer(*journal, u"inc-404"_s);
    const auto error = writer.reopen();
    QVERIFY(error);
    QCOMPARE(*error, u"journal "_s + journal->path() + u": no incident inc-404"_s);
}

void TestJournalWriter::readsByIdOrPrefix_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("found");   // empty: an error
    QTest::addColumn<QString>("message"); // part of the error

    const QString none = u"no incident"_s;
    const QString many = u"names more than one incident"_s;
    QTest::newRow("the full id") << u"3f2a9c1e-77aa-4b1c-9d0e-0123456789ab"_s
                                 << u"3f2a9c1e-77aa-4b1c-9d0e-0123456789ab"_s << QString();
    QTest::newRow("a unique prefix")
        << u"3f2a9c"_s << u"3f2a9c1e-77aa-4b1c-9d0e-0123456789ab"_s << QString();
    QTest::newRow("an ambiguous prefix") << u"3f2a"_s << QString() << many;
    QTest::newRow("an unknown id") << u"ffff"_s << QString() << none;
    QTest::newRow("nothing typed") << QString() << QString() << none;
    QTest::newRow("an id that is the prefix of another") << u"abc"_s << u"abc"_s << QString();
    QTest::newRow("underscore is not a wildcard") << u"run_"_s << u"run_1-aaaa"_s << QString();
    QTest::newRow("underscore does not match another character") << u"r_n"_s << QString() << none;
    QTest::newRow("percent is not a wildcard") << u"50%"_s << u"50%-cccc"_s << QString();
    QTest::newRow("percent does not match anything") << u"run%"_s << QString() << none;
    QTest::newRow("a lone percent") << u"%"_s << QString() << none;
    QTest::newRow("a backslash") << u"back\\"_s << u"back\\slash-1"_s << QString();
}

void TestJournalWriter::readsByIdOrPrefix()
{
    QFETCH(QString, typed);
    QFETCH(QString, found);
    QFETCH(QString, message);

    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    const QStringList ids{u"3f2a9c1e-77aa-4b1c-9d0e-0123456789ab"_s,
                          u"3f2a11d0-0000-4000-8000-000000000000"_s,
                          u"abc"_s,
                          u"abcdef"_s,
                          u"run_1-aaaa"_s,
                          u"runX1-bbbb"_s,
                          u"50%-cccc"_s,
                          u"50a-dddd"_s,
                          u"back\\slash-1"_s};
    for (const QString &id : ids) {
        JournalWriter writer(*journal, id);
        QCOMPARE(writer.createIncident(incident()), std::nullopt);
        QCOMPARE(writer.append(event(EventKind::NoteAdded, u"alice"_s, 1001)), std::nullopt);
    }

    const auto got = readIncident(*journal, typed);
    if (found.isEmpty()) {
        QVERIFY(std::holds_alternative<QString>(got));
        const QString error = std::get<QString>(got);
        QVERIFY2(error.startsWith(u"journal "_s + journal->path() + u": "_s), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
        return;
    }
    if (const auto *error = std::get_if<QString>(&got))
        QFAIL(qPrintable(*error));
    const IncidentJournal &j = std::get<IncidentJournal>(got);
    QCOMPARE(j.incident.id, found);
    QCOMPARE(j.events.size(), 1); // its own events only
}

void TestJournalWriter::listsIncidents_data()
{
    QTest::addColumn<bool>("includeEnded");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("active only") << false << QStringList{u"newest"_s, u"oldest"_s};
    QTest::newRow("with the ended ones")
        << true << QStringList{u"newest"_s, u"middle-ended"_s, u"oldest"_s};
}

void TestJournalWriter::listsIncidents()
{
    QFETCH(bool, includeEnded);
    QFETCH(QStringList, expected);

    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    // Written out of order: the list is by start time, not by insertion.
    for (const auto &[id, started] :
         {std::pair{u"oldest"_s, qint64(100)}, std::pair{u"newest"_s, qint64(300)},
          std::pair{u"middle-ended"_s, qint64(200)}}) {
        JournalWriter writer(*journal, id);
        QCOMPARE(writer.createIncident(incident(started)), std::nullopt);
        if (id.endsWith(u"-ended"_s))
            QCOMPARE(writer.append(event(EventKind::IncidentEnded, u"alice"_s, started + 5,
                                         {{u"outcome"_s, u"resolved"_s}})),
                     std::nullopt);
    }

    auto listed = listIncidents(*journal, includeEnded);
    QVERIFY(std::holds_alternative<QList<IncidentRecord>>(listed));
    QStringList ids;
    for (const IncidentRecord &r : std::get<QList<IncidentRecord>>(listed)) {
        ids.append(r.id);
        QCOMPARE(r.ended(), r.id.endsWith(u"-ended"_s));
    }
    QCOMPARE(ids, expected);
}

QTEST_GUILESS_MAIN(TestJournalWriter)
#include "tst_journal_writer.moc"
