#include "app/cli/journal_incident.h"

#include "app/shared/journal_location.h"

#include <QFileInfo>

std::variant<runlane::IncidentJournal, int> readCommandIncident(const QString &dbOption,
                                                                const QString &id,
                                                                const QString &command,
                                                                QTextStream &err)
{
    auto read = readJournalIncident(dbOption, id);
    if (const auto *error = std::get_if<QString>(&read)) {
        err << "runlane-cli " << command << ": " << *error << "\n";
        return !dbOption.isEmpty() && !QFileInfo::exists(dbOption) ? 2 : 1;
    }
    return std::get<runlane::IncidentJournal>(std::move(read));
}
