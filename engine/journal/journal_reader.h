#pragma once

#include "engine/journal/journal_records.h"

#include <variant>

namespace runlane {

class JournalDatabase;

// Reads what the journal holds, for resume, the incidents list and the exports.

// Incident rows, newest first: the unfinished ones only, or all.
std::variant<QList<IncidentRecord>, QString> listIncidents(JournalDatabase &journal,
                                                           bool includeEnded);

// One incident with its events and action attempts. `id` may be a unique prefix of the id, as
// people type the first characters of a UUID; an ambiguous or unknown one is an error.
std::variant<IncidentJournal, QString> readIncident(JournalDatabase &journal, const QString &id);

} // namespace runlane
