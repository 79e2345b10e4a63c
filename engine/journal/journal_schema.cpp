#include "engine/journal/journal_schema.h"

namespace runlane {

const QList<QStringList> &journalMigrations()
{
    static const QList<QStringList> migrations{
        // 1: incidents, their events (append-only: a correction is a new event) and the
        // attempts of their actions (intent first, result later).
        {
            QStringLiteral("CREATE TABLE incidents ("
                           " id TEXT PRIMARY KEY,"
                           " playbook_id TEXT NOT NULL,"
                           " title TEXT NOT NULL,"
                           " severity TEXT,"
                           " playbook_text TEXT NOT NULL,"
                           " playbook_sha256 TEXT NOT NULL,"
                           " inputs TEXT NOT NULL," // JSON, secrets never in it
                           " status TEXT NOT NULL," // active, ended
                           " outcome TEXT,"
                           " drill INTEGER NOT NULL DEFAULT 0,"
                           " started_at INTEGER NOT NULL," // UTC milliseconds
                           " acknowledged_at INTEGER,"
                           " mitigated_at INTEGER,"
                           " resolved_at INTEGER)"),
            QStringLiteral("CREATE TABLE events ("
                           " incident_id TEXT NOT NULL REFERENCES incidents(id),"
                           " seq INTEGER NOT NULL,"
                           " at INTEGER NOT NULL," // UTC milliseconds
                           " step TEXT,"
                           " lane TEXT,"
                           " kind TEXT NOT NULL,"
                           " actor TEXT NOT NULL,"
                           " text TEXT NOT NULL,"
                           " details TEXT NOT NULL," // JSON
                           " PRIMARY KEY (incident_id, seq))"),
            QStringLiteral("CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
                           " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"),
            QStringLiteral("CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
                           " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"),
            QStringLiteral("CREATE TABLE action_attempts ("
                           " incident_id TEXT NOT NULL REFERENCES incidents(id),"
                           " step TEXT NOT NULL,"
                           " visit INTEGER NOT NULL,"
                           " endpoint INTEGER NOT NULL DEFAULT 0,"
                           " idempotency_key TEXT NOT NULL,"
                           " request_line TEXT NOT NULL,"    // redacted
                           " request_headers TEXT NOT NULL," // redacted
                           " intent_at INTEGER NOT NULL,"
                           " result_at INTEGER," // null: outcome unknown
                           " status INTEGER,"
                           " attempts INTEGER,"
                           " timings TEXT," // JSON
                           " response_excerpt TEXT,"
                           " error TEXT,"
                           " PRIMARY KEY (incident_id, idempotency_key))"),
            QStringLiteral("CREATE INDEX incidents_by_status ON incidents(status, started_at)"),
        },
        // 2: who started the incident and whether it is a dry run, on the row itself (for the
        // incidents list and the exports), filled in for incidents already written from their
        // start event.
        {
            QStringLiteral("ALTER TABLE incidents ADD COLUMN started_by TEXT"),
            QStringLiteral("ALTER TABLE incidents ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral(
                "UPDATE incidents SET"
                " started_by = (SELECT actor FROM events WHERE incident_id = incidents.id AND"
                " kind = 'incident-started' ORDER BY seq LIMIT 1),"
                " dry_run = COALESCE((SELECT json_extract(details, '$.dry_run') FROM"
                " events WHERE incident_id = incidents.id AND kind = 'incident-started' ORDER BY"
                " seq LIMIT 1), 0)"),
        },
    };
    return migrations;
}

} // namespace runlane
