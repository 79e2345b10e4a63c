#include "app/cli/journal_location.h"

#include <QFileInfo>
#include <QStandardPaths>

QString defaultJournalPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/journal.sqlite");
}

std::variant<std::unique_ptr<runlane::JournalDatabase>, QString>
openExistingJournal(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return QStringLiteral("no journal at %1").arg(path);
    return runlane::JournalDatabase::open(path);
}
