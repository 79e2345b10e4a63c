#pragma once

#include <QStringList>

namespace runlane {

// The journal's schema, one migration per version: migration N (1-based) brings a database at
// version N-1 to version N. Statements only: executed in one transaction per migration.
const QList<QStringList> &journalMigrations();

} // namespace runlane
