#include "engine/journal/journal_reader.h"

#include "engine/journal/journal_database.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace runlane {

namespace {

QJsonObject objectOf(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

std::optional<qint64> optionalMs(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional(value.toLongLong());
}

const QString incidentColumns = QStringLiteral(
    "id, playbook_id, title, severity, playbook_text, playbook_sha256, inputs, status, outcome, "
    "drill, started_at, acknowledged_at, mitigated_at, resolved_at, dry_run, started_by");

IncidentRecord incidentOf(const QSqlQuery &q)
{
    IncidentRecord r;
    r.id = q.value(0).toString();
    r.playbookId = q.value(1).toString();
    r.title = q.value(2).toString();
    r.severity = q.value(3).toString();
    r.playbookText = q.value(4).toString();
    r.playbookSha256 = q.value(5).toString();
    r.inputs = objectOf(q.value(6));
    r.status = q.value(7).toString();
    r.outcome = q.value(8).toString();
    r.drill = q.value(9).toInt() != 0;
    r.startedAtMs = q.value(10).toLongLong();
    r.acknowledgedAtMs = optionalMs(q.value(11));
    r.mitigatedAtMs = optionalMs(q.value(12));
    r.resolvedAtMs = optionalMs(q.value(13));
    r.dryRun = q.value(14).toInt() != 0;
    r.startedBy = q.value(15).toString();
    return r;
}

QString failure(JournalDatabase &journal, const QString &what, const QSqlQuery &q)
{
    return QStringLiteral("journal %1: %2: %3").arg(journal.path(), what, q.lastError().text());
}

} // namespace

std::variant<QList<IncidentRecord>, QString> listIncidents(JournalDatabase &journal,
                                                           bool includeEnded)
{
    QSqlQuery q(journal.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM incidents %2 ORDER BY started_at DESC, id")
                  .arg(incidentColumns,
                       includeEnded ? QString() : QStringLiteral("WHERE status = 'active'")));
    if (!q.exec())
        return failure(journal, QStringLiteral("cannot list incidents"), q);
    QList<IncidentRecord> out;
    while (q.next())
        out.append(incidentOf(q));
    return out;
}

std::variant<IncidentJournal, QString> readIncident(JournalDatabase &journal, const QString &id)
{
    IncidentJournal result;
    {
        QSqlQuery q(journal.db());
        q.setForwardOnly(true);
        // A prefix match: LIKE's wildcards in what was typed are escaped.
        QString pattern = id;
        pattern.replace(u'\\', QStringLiteral("\\\\"))
            .replace(u'%', QStringLiteral("\\%"))
            .replace(u'_', QStringLiteral("\\_"));
        q.prepare(QStringLiteral("SELECT %1 FROM incidents WHERE id = ? OR id LIKE ? ESCAPE '\\' "
                                 "ORDER BY id = ? DESC LIMIT 3")
                      .arg(incidentColumns));
        q.addBindValue(id);
        q.addBindValue(pattern + u'%');
        q.addBindValue(id);
        if (!q.exec())
            return failure(journal, QStringLiteral("cannot read incident %1").arg(id), q);
        QList<IncidentRecord> found;
        while (q.next())
            found.append(incidentOf(q));
        if (found.isEmpty() || id.isEmpty())
            return QStringLiteral("journal %1: no incident %2").arg(journal.path(), id);
        if (found.size() > 1 && found.front().id != id)
            return QStringLiteral("journal %1: '%2' names more than one incident; give more of "
                                  "its id")
                .arg(journal.path(), id);
        result.incident = found.front();
    }
    const QString &incidentId = result.incident.id;
    {
        QSqlQuery q(journal.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT at, step, lane, kind, actor, text, details FROM events "
                                 "WHERE incident_id = ? ORDER BY seq"));
        q.addBindValue(incidentId);
        if (!q.exec())
            return failure(journal, QStringLiteral("cannot read the events of %1").arg(incidentId),
                           q);
        while (q.next()) {
            Event e;
            e.utcMs = q.value(0).toLongLong();
            e.stepId = q.value(1).toString();
            e.lane = q.value(2).toString();
            const auto kind = eventKindFromString(q.value(3).toString());
            if (!kind)
                return QStringLiteral("journal %1: incident %2 has an event of unknown kind '%3'")
                    .arg(journal.path(), incidentId, q.value(3).toString());
            e.kind = *kind;
            e.actor = q.value(4).toString();
            e.text = q.value(5).toString();
            e.details = objectOf(q.value(6));
            result.events.append(e);
        }
    }
    {
        QSqlQuery q(journal.db());
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT step, visit, endpoint, idempotency_key, request_line, request_headers, "
            "intent_at, result_at, status, attempts, timings, response_excerpt, error "
            "FROM action_attempts WHERE incident_id = ? ORDER BY intent_at, step, visit, "
            "endpoint"));
        q.addBindValue(incidentId);
        if (!q.exec())
            return failure(journal, QStringLiteral("cannot read the actions of %1").arg(incidentId),
                           q);
        while (q.next()) {
            ActionAttempt a;
            a.step = q.value(0).toString();
            a.visit = q.value(1).toInt();
            a.endpoint = q.value(2).toLongLong();
            a.idempotencyKey = q.value(3).toString();
            a.requestLine = q.value(4).toString();
            a.requestHeaders = q.value(5).toString();
            a.intentAtMs = q.value(6).toLongLong();
            a.resultAtMs = optionalMs(q.value(7));
            a.status = q.value(8).toInt();
            a.attempts = q.value(9).toInt();
            a.timings = objectOf(q.value(10));
            a.responseExcerpt = q.value(11).toString();
            a.error = q.value(12).toString();
            result.attempts.append(a);
        }
    }
    return result;
}

} // namespace runlane
