#pragma once

#include "engine/journal/journal_database.h"
#include "engine/journal/journal_records.h"

#include <QString>

#include <memory>
#include <variant>

// Where the incident journal lives when --db does not say: the user's application data folder
// (QStandardPaths::AppDataLocation of the desktop app, which the CLI shares), "journal.sqlite".
QString defaultJournalPath();

// Opens a journal that must exist already, for the commands that only read it: a mistyped --db
// must not leave an empty journal behind.
std::variant<std::unique_ptr<runlane::JournalDatabase>, QString>
openExistingJournal(const QString &path);

// One incident of the journal at `path` (empty: the default journal), which must exist; `id` may
// be a unique prefix of the incident's id. For the exports, the recorder of test cases and the
// incidents opened in the window and by the CLI.
std::variant<runlane::IncidentJournal, QString> readJournalIncident(const QString &path,
                                                                    const QString &id);
