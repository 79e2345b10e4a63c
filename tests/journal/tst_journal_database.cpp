#include "engine/journal/journal_database.h"
#include "engine/journal/journal_reader.h"
#include "engine/journal/journal_schema.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;

// The journal's file: created and migrated to the current schema, with the pragmas that make it
// crash-safe; events append-only; a file from a newer Runlane refused.
class TestJournalDatabase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsAndMigrates();
    void pragmasHold_data();
    void pragmasHold();
    void reopensWithoutMigrating();
    void eventsAreAppendOnly();
    void foreignKeysHold();
    void newerSchemaIsRefused();
    void unreadableFileIsAnError();
    void migratesEveryEarlierVersion_data();
    void migratesEveryEarlierVersion();

private:
    static std::unique_ptr<JournalDatabase> open(const QString &path);
    static QVariant scalar(QSqlDatabase &db, const QString &sql);
    static bool run(QSqlDatabase &db, const QString &sql, QString *error = nullptr);
    static void addIncident(QSqlDatabase &db, const QString &id);
};

std::unique_ptr<JournalDatabase> TestJournalDatabase::open(const QString &path)
{
    auto opened = JournalDatabase::open(path);
    if (auto *error = std::get_if<QString>(&opened)) {
        qWarning() << *error;
        return nullptr;
    }
    return std::move(std::get<std::unique_ptr<JournalDatabase>>(opened));
}

QVariant TestJournalDatabase::scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return {};
    return query.value(0);
}

bool TestJournalDatabase::run(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    const bool ok = query.exec(sql);
    if (!ok && error)
        *error = query.lastError().text();
    return ok;
}

void TestJournalDatabase::addIncident(QSqlDatabase &db, const QString &id)
{
    QSqlQuery insert(db);
    insert.prepare(u"INSERT INTO incidents (id, playbook_id, title, playbook_text, "
                   "playbook_sha256, inputs, status, started_at) "
                   "VALUES (?, 'p', 'T', 'runlane: 1', 'ab', '{}', 'active', 1)"_s);
    insert.addBindValue(id);
    QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
}

void TestJournalDatabase::createsAndMigrates()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/folder/journal.sqlite"_s); // folders are created
    auto journal = open(path);
    QVERIFY(journal);
    QCOMPARE(journal->versionFound(), 0);
    QCOMPARE(scalar(journal->db(), u"PRAGMA user_version"_s).toInt(),
             JournalDatabase::schemaVersion);
    for (const QString &table : {u"incidents"_s, u"events"_s, u"action_attempts"_s})
        QCOMPARE(
            scalar(
                journal->db(),
                u"SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%1'"_s.arg(table))
                .toInt(),
            1);
}

void TestJournalDatabase::pragmasHold_data()
{
    QTest::addColumn<QString>("pragma");
    QTest::addColumn<QString>("value");
    QTest::newRow("write-ahead log") << u"journal_mode"_s << u"wal"_s;
    QTest::newRow("full synchronous") << u"synchronous"_s << u"2"_s;
    QTest::newRow("foreign keys") << u"foreign_keys"_s << u"1"_s;
    QTest::newRow("busy timeout") << u"busy_timeout"_s << u"5000"_s;
}

void TestJournalDatabase::pragmasHold()
{
    QFETCH(QString, pragma);
    QFETCH(QString, value);
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    QCOMPARE(scalar(journal->db(), u"PRAGMA "_s + pragma).toString().toLower(), value);
}

void TestJournalDatabase::reopensWithoutMigrating()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"j.sqlite"_s);
    {
        auto first = open(path);
        QVERIFY(first);
        addIncident(first->db(), u"inc-1"_s);
    }
    auto again = open(path);
    QVERIFY(again);
    QCOMPARE(again->versionFound(), JournalDatabase::schemaVersion);
    QCOMPARE(scalar(again->db(), u"SELECT count(*) FROM incidents"_s).toInt(), 1);
}

void TestJournalDatabase::eventsAreAppendOnly()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    addIncident(journal->db(), u"inc-1"_s);
    QVERIFY(run(journal->db(),
                u"INSERT INTO events (incident_id, seq, at, kind, actor, text, "
                "details) VALUES ('inc-1', 1, 5, 'note-added', 'me', 'hi', '{}')"_s));
    QString error;
    QVERIFY(!run(journal->db(), u"UPDATE events SET text = 'changed'"_s, &error));
    QVERIFY2(error.contains(u"append-only"_s), qPrintable(error));
    QVERIFY(!run(journal->db(), u"DELETE FROM events"_s, &error));
    QVERIFY2(error.contains(u"append-only"_s), qPrintable(error));
    QCOMPARE(scalar(journal->db(), u"SELECT text FROM events"_s).toString(), u"hi"_s);
}

void TestJournalDatabase::foreignKeysHold()
{
    QTemporaryDir dir;
    auto journal = open(dir.filePath(u"j.sqlite"_s));
    QVERIFY(journal);
    QString error;
    QVERIFY(!run(journal->db(),
                 u"INSERT INTO events (incident_id, seq, at, kind, actor, text, details) "
                 "VALUES ('nobody', 1, 5, 'note-added', 'me', 'hi', '{}')"_s,
                 &error));
    QVERIFY2(error.contains(u"FOREIGN KEY"_s, Qt::CaseInsensitive), qPrintable(error));
}

void TestJournalDatabase::newerSchemaIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"j.sqlite"_s);
    {
        auto journal = open(path);
        QVERIFY(journal);
        QVERIFY(run(journal->db(), u"PRAGMA user_version = 99"_s));
    }
    auto opened = JournalDatabase::open(path);
    QVERIFY(std::holds_alternative<QString>(opened));
    const QString error = std::get<QString>(opened);
    QVERIFY2(error.startsWith(u"journal "_s + path + u": written by a newer Runlane (schema 99"_s),
             qPrintable(error));
}

void TestJournalDatabase::unreadableFileIsAnError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"not-a-database.sqlite"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    auto opened = JournalDatabase::open(path);
    QVERIFY(std::holds_alternative<QString>(opened));
    QVERIFY2(std::get<QString>(opened).startsWith(u"journal "_s + path + u": "_s),
             qPrintable(std::get<QString>(opened)));
}

void TestJournalDatabase::migratesEveryEarlierVersion_data()
{
    QTest::addColumn<int>("version");
    for (int v = 0; v < JournalDatabase::schemaVersion; ++v)
        QTest::addRow("from schema %d", v) << v;
}

// A file as a Runlane of each earlier schema left it, with an incident in it where the schema had
// incidents: opened now, it is migrated, its rows are kept and new columns are filled in.
void TestJournalDatabase::migratesEveryEarlierVersion()
{
    QFETCH(int, version);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"old.sqlite"_s);
    {
        QSqlDatabase old = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old-schema"_s);
        old.setDatabaseName(path);
        QVERIFY(old.open());
        for (int v = 1; v <= version; ++v) {
            for (const QString &statement : journalMigrations().at(v - 1)) {
                QString error;
                QVERIFY2(run(old, statement, &error), qPrintable(error));
            }
        }
        QVERIFY(run(old, u"PRAGMA user_version = %1"_s.arg(version)));
        if (version >= 1) {
            addIncident(old, u"inc-old"_s);
            QVERIFY(run(old, u"INSERT INTO events (incident_id, seq, at, step, lane, kind, actor, "
                             "text, details) VALUES ('inc-old', 1, 5, NULL, NULL, "
                             "'incident-started', 'alice', 'Started', "
                             "'{\"dry_run\":true,\"incident\":\"inc-old\"}')"_s));
            QVERIFY(run(old, u"INSERT INTO action_attempts (incident_id, step, visit, endpoint, "
                             "idempotency_key, request_line, request_headers, intent_at) VALUES "
                             "('inc-old', 'fix', 1, 0, 'inc-old/fix/1/0', 'PUT /x', '', 6)"_s));
        }
        old.close();
    }
    QSqlDatabase::removeDatabase(u"old-schema"_s);

    auto journal = open(path);
    QVERIFY(journal);
    QCOMPARE(journal->versionFound(), version);
    QCOMPARE(scalar(journal->db(), u"PRAGMA user_version"_s).toInt(),
             JournalDatabase::schemaVersion);
    QCOMPARE(scalar(journal->db(), u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    if (version == 0)
        return;
    auto read = readIncident(*journal, u"inc-old"_s);
    QVERIFY2(std::holds_alternative<IncidentJournal>(read),
             qPrintable(std::get_if<QString>(&read) ? *std::get_if<QString>(&read) : QString()));
    const IncidentJournal &j = std::get<IncidentJournal>(read);
    QCOMPARE(j.events.size(), 1);
    QCOMPARE(j.attempts.size(), 1);
    QVERIFY(j.attempts.constFirst().outcomeUnknown());
    // Schema 2's columns, filled in from the start event.
    QCOMPARE(j.incident.startedBy, u"alice"_s);
    QCOMPARE(j.incident.dryRun, true);
}

QTEST_GUILESS_MAIN(TestJournalDatabase)
#include "tst_journal_database.moc"
