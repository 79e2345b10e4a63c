#pragma once

#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <variant>

namespace runlane {

// The incident journal's SQLite file, opened and brought to the current schema: WAL, full
// synchronous writes (incident events are few and must survive a crash), foreign keys on, a busy
// timeout for a second Runlane on the same file. The schema version lives in
// `PRAGMA user_version`; migrations only go forward, and a file written by a newer Runlane is
// refused rather than misread.
class JournalDatabase
{
public:
    static constexpr int schemaVersion = 2;

    // Creates the file (and its folder) when missing. Errors name the file and what failed.
    static std::variant<std::unique_ptr<JournalDatabase>, QString> open(const QString &path);
    ~JournalDatabase();
    JournalDatabase(const JournalDatabase &) = delete;
    JournalDatabase &operator=(const JournalDatabase &) = delete;

    QSqlDatabase &db() { return m_db; }
    const QString &path() const { return m_path; }

    // The version the file was at before open() migrated it (0: new).
    int versionFound() const { return m_versionFound; }

private:
    JournalDatabase(QSqlDatabase db, QString path, QString connection);

    QSqlDatabase m_db;
    QString m_path;
    QString m_connection;
    int m_versionFound = 0;
};

} // namespace runlane
