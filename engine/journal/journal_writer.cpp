#include "engine/journal/journal_writer.h"

#include "engine/journal/journal_database.h"
#include "engine/session/resolved_targets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace runlane {

namespace {

QString json(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QVariant orNull(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant textOrNull(const QString &text)
{
    return text.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

// A JSON value with the secrets taken out of every string in it, however deep.
QJsonValue redactedValue(const QJsonValue &value, const QStringList &secrets)
{
    if (value.isString())
        return redactSecrets(value.toString(), secrets);
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(redactedValue(v, secrets));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(redactSecrets(it.key(), secrets), redactedValue(it.value(), secrets));
        return out;
    }
    return value;
}

// The object as compact JSON text without the secrets. The walk through every string is only
// taken when a secret shows in the text, or could hide in it behind JSON's escapes of quotes,
// backslashes and control characters: most events hold none, and the walk was a fifth of an
// append's CPU time.
QString redactedJson(const QJsonObject &object, const QStringList &secrets)
{
    const QString text = json(object);
    const bool mayHide = std::any_of(secrets.cbegin(), secrets.cend(), [&text](const QString &s) {
        return text.contains(s) || std::any_of(s.cbegin(), s.cend(), [](QChar c) {
                   return c == u'"' || c == u'\\' || c.unicode() < 0x20;
               });
    });
    return mayHide ? json(redactedValue(object, secrets).toObject()) : text;
}

bool isPersonsMove(const Event &event)
{
    switch (event.kind) {
    case EventKind::TaskCompleted:
    case EventKind::DecisionMade:
    case EventKind::ChoiceMade:
    case EventKind::ActionConfirmed:
    case EventKind::ActionSkipped:
    case EventKind::WentBack:
        return event.actor != u"runlane";
    case EventKind::NoteAdded:
        return event.actor != u"runlane";
    case EventKind::WaitEnded:
        return event.details.value(QStringLiteral("how")).toString() == u"skipped";
    default:
        return false;
    }
}

} // namespace

// acknowledged: the first move of a person after the start (a task done, a decision, a
// confirmation, a note ...): someone is on it. mitigated: the first action that changed the fleet
// and succeeded, or the end with outcome mitigated or resolved. resolved: the end with outcome
// resolved or false-alarm.
Milestones milestonesOf(const Event &event)
{
    Milestones m;
    m.acknowledges = isPersonsMove(event);
    if (event.kind == EventKind::BranchTaken)
        m.mitigates = event.details.value(QStringLiteral("fleet_changed")).toBool();
    if (event.kind == EventKind::IncidentEnded) {
        const QString outcome = event.details.value(QStringLiteral("outcome")).toString();
        m.mitigates = outcome == u"mitigated" || outcome == u"resolved";
        m.resolves = outcome == u"resolved" || outcome == u"false-alarm";
    }
    return m;
}

JournalWriter::JournalWriter(JournalDatabase &journal, QString incidentId, QStringList secrets)
    : m_journal(journal)
    , m_incidentId(std::move(incidentId))
    , m_secrets(std::move(secrets))
{}

std::optional<QString> JournalWriter::failed(const QString &what, const QString &error)
{
    QSqlDatabase &db = m_journal.db();
    if (db.driver()->hasFeature(QSqlDriver::Transactions))
        db.rollback();
    return QStringLiteral("journal %1: %2: %3").arg(m_journal.path(), what, error);
}

std::optional<QString> JournalWriter::insertIncident(const IncidentRecord &incident)
{
    QSqlQuery q(m_journal.db());
    q.prepare(
        QStringLiteral("INSERT INTO incidents (id, playbook_id, title, severity, playbook_text, "
                       "playbook_sha256, inputs, status, outcome, drill, started_at, dry_run, "
                       "started_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?, ?)"));
    q.addBindValue(m_incidentId);
    q.addBindValue(incident.playbookId);
    q.addBindValue(redactSecrets(incident.title, m_secrets));
    q.addBindValue(incident.severity);
    q.addBindValue(incident.playbookText);
    q.addBindValue(incident.playbookSha256);
    q.addBindValue(redactedJson(incident.inputs, m_secrets));
    q.addBindValue(incident.drill ? 1 : 0);
    q.addBindValue(incident.startedAtMs);
    q.addBindValue(incident.dryRun ? 1 : 0);
    q.addBindValue(incident.startedBy);
    if (!q.exec())
        return failed(QStringLiteral("cannot record the incident"), q.lastError().text());
    return std::nullopt;
}

std::optional<QString> JournalWriter::createIncident(const IncidentRecord &incident)
{
    if (const auto error = insertIncident(incident))
        return error;
    ++m_commits;
    m_nextSeq = 1;
    return std::nullopt;
}

std::optional<QString> JournalWriter::createIncident(const IncidentRecord &incident,
                                                     const Event &started)
{
    QSqlDatabase &db = m_journal.db();
    if (const auto error = prepareEventStatements())
        return error;
    if (!db.transaction())
        return failed(QStringLiteral("cannot begin a transaction"), db.lastError().text());
    m_nextSeq = 1;
    if (const auto error = insertIncident(incident))
        return error;
    const auto written = writeEvent(started);
    if (const auto *error = std::get_if<QString>(&written))
        return *error;
    if (!db.commit())
        return failed(QStringLiteral("cannot commit the incident"), db.lastError().text());
    committed(std::get<Milestones>(written));
    return std::nullopt;
}

std::optional<QString> JournalWriter::reopen()
{
    QSqlQuery q(m_journal.db());
    q.prepare(QStringLiteral("SELECT (SELECT COALESCE(MAX(seq), 0) FROM events WHERE "
                             "incident_id = ?), acknowledged_at, mitigated_at FROM incidents "
                             "WHERE id = ?"));
    q.addBindValue(m_incidentId);
    q.addBindValue(m_incidentId);
    if (!q.exec())
        return failed(QStringLiteral("cannot read incident %1").arg(m_incidentId),
                      q.lastError().text());
    if (!q.next())
        return QStringLiteral("journal %1: no incident %2").arg(m_journal.path(), m_incidentId);
    m_nextSeq = q.value(0).toLongLong() + 1;
    m_acknowledged = !q.value(1).isNull();
    m_mitigated = !q.value(2).isNull();
    return std::nullopt;
}

std::optional<QString> JournalWriter::prepareEventStatements()
{
    if (m_insertEvent)
        return std::nullopt;
    QSqlDatabase &db = m_journal.db();
    m_insertEvent = std::make_unique<QSqlQuery>(db);
    m_updateIncident = std::make_unique<QSqlQuery>(db);
    if (m_insertEvent->prepare(
            QStringLiteral("INSERT INTO events (incident_id, seq, at, step, lane, kind, actor, "
                           "text, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) &&
        m_updateIncident->prepare(
            QStringLiteral("UPDATE incidents SET"
                           " acknowledged_at = COALESCE(acknowledged_at, ?),"
                           " mitigated_at = COALESCE(mitigated_at, ?),"
                           " resolved_at = COALESCE(resolved_at, ?),"
                           " status = CASE WHEN ? THEN 'ended' ELSE status END,"
                           " outcome = CASE WHEN ? THEN ? ELSE outcome END"
                           " WHERE id = ?")))
        return std::nullopt;
    const QString error = m_insertEvent->lastError().isValid()
                              ? m_insertEvent->lastError().text()
                              : m_updateIncident->lastError().text();
    m_insertEvent.reset();
    m_updateIncident.reset();
    return failed(QStringLiteral("cannot prepare its statements"), error);
}

std::variant<Milestones, QString> JournalWriter::writeEvent(const Event &event)
{
    QSqlQuery &q = *m_insertEvent;
    q.bindValue(0, m_incidentId);
    q.bindValue(1, m_nextSeq);
    q.bindValue(2, event.utcMs);
    q.bindValue(3, textOrNull(event.stepId.isEmpty() ? QString() : event.stepId));
    q.bindValue(4, textOrNull(event.lane.isEmpty() ? QString() : event.lane));
    q.bindValue(5, toString(event.kind));
    q.bindValue(6, event.actor);
    q.bindValue(7, redactSecrets(event.text, m_secrets));
    q.bindValue(8, redactedJson(event.details, m_secrets));
    if (!q.exec())
        return *failed(QStringLiteral("cannot append an event"), q.lastError().text());

    // What the event changes on the incident row, in the same transaction.
    const Milestones m = milestonesOf(event);
    Milestones changed;
    changed.acknowledges = m.acknowledges && !m_acknowledged;
    changed.mitigates = m.mitigates && !m_mitigated;
    changed.resolves = m.resolves;
    const bool ends = event.kind == EventKind::IncidentEnded;
    if (changed.acknowledges || changed.mitigates || ends) {
        QSqlQuery &u = *m_updateIncident;
        u.bindValue(0, orNull(changed.acknowledges ? std::optional(event.utcMs) : std::nullopt));
        u.bindValue(1, orNull(changed.mitigates ? std::optional(event.utcMs) : std::nullopt));
        u.bindValue(2, orNull(m.resolves ? std::optional(event.utcMs) : std::nullopt));
        u.bindValue(3, ends ? 1 : 0);
        u.bindValue(4, ends ? 1 : 0);
        u.bindValue(5, event.details.value(QStringLiteral("outcome")).toString());
        u.bindValue(6, m_incidentId);
        if (!u.exec())
            return *failed(QStringLiteral("cannot update the incident"), u.lastError().text());
    }
    return changed;
}

void JournalWriter::committed(const Milestones &changed)
{
    ++m_nextSeq;
    ++m_commits;
    m_acknowledged = m_acknowledged || changed.acknowledges;
    m_mitigated = m_mitigated || changed.mitigates;
}

std::optional<QString> JournalWriter::append(const Event &event)
{
    QSqlDatabase &db = m_journal.db();
    if (const auto error = prepareEventStatements())
        return error;
    if (!db.transaction())
        return failed(QStringLiteral("cannot begin a transaction"), db.lastError().text());
    const auto written = writeEvent(event);
    if (const auto *error = std::get_if<QString>(&written))
        return *error;
    if (!db.commit())
        return failed(QStringLiteral("cannot commit an event"), db.lastError().text());
    committed(std::get<Milestones>(written));
    return std::nullopt;
}

std::optional<QString> JournalWriter::eachInOneTransaction(
    const QString &statement, const QList<ActionAttempt> &rows,
    const std::function<void(QSqlQuery &, const ActionAttempt &)> &bind, const QString &what,
    bool mustMatchOne)
{
    if (rows.isEmpty())
        return std::nullopt;
    QSqlDatabase &db = m_journal.db();
    if (!db.transaction())
        return failed(QStringLiteral("cannot begin a transaction"), db.lastError().text());
    QSqlQuery q(db);
    if (!q.prepare(statement))
        return failed(QStringLiteral("cannot prepare a statement"), q.lastError().text());
    for (const ActionAttempt &a : rows) {
        bind(q, a);
        if (!q.exec())
            return failed(what.arg(a.idempotencyKey), q.lastError().text());
        if (mustMatchOne && q.numRowsAffected() != 1)
            return failed(what.arg(a.idempotencyKey),
                          QStringLiteral("its intent was never recorded"));
    }
    if (!db.commit())
        return failed(QStringLiteral("cannot commit"), db.lastError().text());
    ++m_commits;
    return std::nullopt;
}

std::optional<QString> JournalWriter::recordIntents(const QList<ActionAttempt> &intents)
{
    return eachInOneTransaction(
        QStringLiteral("INSERT INTO action_attempts (incident_id, step, visit, endpoint, "
                       "idempotency_key, request_line, request_headers, intent_at) VALUES (?, ?, "
                       "?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, idempotency_key) DO NOTHING"),
        intents,
        [this](QSqlQuery &q, const ActionAttempt &a) {
            q.bindValue(0, m_incidentId);
            q.bindValue(1, a.step);
            q.bindValue(2, a.visit);
            q.bindValue(3, qint64(a.endpoint));
            q.bindValue(4, a.idempotencyKey);
            q.bindValue(5, redactSecrets(a.requestLine, m_secrets));
            q.bindValue(6, redactSecrets(a.requestHeaders, m_secrets));
            q.bindValue(7, a.intentAtMs);
        },
        QStringLiteral("cannot record the intent of %1"), false);
}

std::optional<QString> JournalWriter::recordResults(const QList<ActionAttempt> &results)
{
    return eachInOneTransaction(
        QStringLiteral("UPDATE action_attempts SET result_at = ?, status = ?, attempts = ?, "
                       "timings = ?, response_excerpt = ?, error = ? WHERE incident_id = ? AND "
                       "idempotency_key = ?"),
        results,
        [this](QSqlQuery &q, const ActionAttempt &a) {
            q.bindValue(0, orNull(a.resultAtMs));
            q.bindValue(1, a.status);
            q.bindValue(2, a.attempts);
            q.bindValue(3, json(a.timings));
            q.bindValue(4, redactSecrets(a.responseExcerpt, m_secrets));
            q.bindValue(
                5, textOrNull(a.error.isEmpty() ? QString() : redactSecrets(a.error, m_secrets)));
            q.bindValue(6, m_incidentId);
            q.bindValue(7, a.idempotencyKey);
        },
        QStringLiteral("cannot record the result of %1"), true);
}

} // namespace runlane
