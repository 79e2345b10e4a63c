#include "app/shared/journal_location.h"

#include "engine/journal/journal_reader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

QString defaultJournalPath()
{
    // The desktop app's data folder, so that both see the same incidents: AppDataLocation is
    // named after the application, and this one is called runlane-cli.
    const QString cli = QCoreApplication::applicationName();
    QCoreApplication::setApplicationName(QStringLiteral("runlane"));
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QCoreApplication::setApplicationName(cli);
    return folder + QStringLiteral("/journal.sqlite");
}

std::variant<std::unique_ptr<runlane::JournalDatabase>, QString>
openExistingJournal(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return QStringLiteral("no journal at %1").arg(path);
    return runlane::JournalDatabase::open(path);
}

std::variant<runlane::IncidentJournal, QString> readJournalIncident(const QString &path,
                                                                    const QString &id)
{
    auto opened = openExistingJournal(path.isEmpty() ? defaultJournalPath() : path);
    if (const auto *error = std::get_if<QString>(&opened))
        return *error;
    return runlane::readIncident(*std::get<0>(opened), id);
}
