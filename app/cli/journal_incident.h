#pragma once

#include "engine/journal/journal_records.h"

#include <QString>
#include <QTextStream>

#include <variant>

// One incident read from the journal a command names with --db (empty: the default journal).
// Returns it, or the exit code after saying why not on `err` as "runlane-cli COMMAND: why": 2
// for a --db that does not exist, 1 for anything else.
std::variant<runlane::IncidentJournal, int> readCommandIncident(const QString &dbOption,
                                                                const QString &id,
                                                                const QString &command,
                                                                QTextStream &err);
