#include "engine/journal/journal_database.h"

#include "engine/journal/journal_schema.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace runlane {

namespace {

std::optional<QString> exec(QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        return query.lastError().text();
    return std::nullopt;
}

} // namespace

JournalDatabase::JournalDatabase(QSqlDatabase db, QString path, QString connection)
    : m_db(std::move(db))
    , m_path(std::move(path))
    , m_connection(std::move(connection))
{}

JournalDatabase::~JournalDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

std::variant<std::unique_ptr<JournalDatabase>, QString> JournalDatabase::open(const QString &path)
{
    const auto failed = [&path](const QString &what) {
        return QStringLiteral("journal %1: %2").arg(path, what);
    };
    if (!QFileInfo(path).absoluteDir().exists() && !QDir().mkpath(QFileInfo(path).absolutePath()))
        return failed(QStringLiteral("cannot create its folder"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return failed(QStringLiteral("Qt's SQLite driver is missing (Debian: libqt6sql6-sqlite)"));

    // One connection per journal object: Qt SQL connections are per thread and per name.
    const QString connection = QStringLiteral("runlane-journal-") + QUuid::createUuid().toString();
    // No other copy of the connection may outlive the journal: it is removed with it.
    std::unique_ptr<JournalDatabase> journal(new JournalDatabase(
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection), path, connection));
    QSqlDatabase &d = journal->m_db;
    d.setDatabaseName(path);
    if (!d.open())
        return failed(d.lastError().text());

    for (const char *pragma : {"PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON",
                               "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"}) {
        if (const auto error = exec(d, QString::fromLatin1(pragma)))
            return failed(QStringLiteral("%1: %2").arg(QString::fromLatin1(pragma), *error));
    }
    QSqlQuery version(d);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next())
        return failed(
            QStringLiteral("not a database Runlane can read: %1").arg(version.lastError().text()));
    const int found = version.value(0).toInt();
    version.finish();
    journal->m_versionFound = found;
    if (found > schemaVersion)
        return failed(QStringLiteral("written by a newer Runlane (schema %1; this one knows up to "
                                     "%2): not opened, so as not to misread it")
                          .arg(found)
                          .arg(schemaVersion));

    const QList<QStringList> &migrations = journalMigrations();
    for (int to = found + 1; to <= schemaVersion; ++to) {
        if (!d.transaction())
            return failed(d.lastError().text());
        for (const QString &statement : migrations.at(to - 1)) {
            if (const auto error = exec(d, statement)) {
                d.rollback();
                return failed(
                    QStringLiteral("migration to schema %1 failed: %2").arg(to).arg(*error));
            }
        }
        if (const auto error = exec(d, QStringLiteral("PRAGMA user_version = %1").arg(to))) {
            d.rollback();
            return failed(*error);
        }
        if (!d.commit())
            return failed(d.lastError().text());
    }
    return journal;
}

} // namespace runlane
