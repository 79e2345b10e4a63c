#include "app/cli/journal_incident.h"

#include "app/shared/journal_location.h"
#include "engine/journal/journal_reader.h"

#include <QFileInfo>

std::variant<runlane::IncidentJournal, int> readJournalIncident(const QString &dbOption,
                                                                const QString &id,
                                                                const QString &command,
                                                                QTextStream &err)
{
    using namespace runlane;
    const QString dbPath = dbOption.isEmpty() ? defaultJournalPath() : dbOption;
    auto opened = openExistingJournal(dbPath);
    if (const auto *error = std::get_if<QString>(&opened)) {
        err << "runlane-cli " << command << ": " << *error << "\n";
        return !dbOption.isEmpty() && !QFileInfo::exists(dbPath) ? 2 : 1;
    }
    auto read = readIncident(*std::get<0>(opened), id);
    if (const auto *error = std::get_if<QString>(&read)) {
        err << "runlane-cli " << command << ": " << *error << "\n";
        return 1;
    }
    return std::get<IncidentJournal>(read);
}
