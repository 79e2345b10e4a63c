#pragma once

#include "engine/journal/journal_records.h"

#include <QSqlQuery>
#include <QStringList>

#include <functional>
#include <memory>
#include <variant>

#include <optional>

namespace runlane {

class JournalDatabase;

// Response-time milestones read from the events (journal_writer.cpp documents each rule), so that
// the incident row and the exports agree.
struct Milestones
{
    bool acknowledges = false;
    bool mitigates = false;
    bool resolves = false;
};
Milestones milestonesOf(const Event &event);

// Writes one incident to the journal, each call one transaction that is durable when it returns
// (WAL, synchronous=FULL): the session's events before their effect is shown or sent, an
// action's intents before its requests go out, their results when they are back. Every text is
// stripped of the run's secrets before it is written. Errors name what failed; a run must stop
// when the journal cannot be written.
class JournalWriter
{
public:
    JournalWriter(JournalDatabase &journal, QString incidentId, QStringList secrets = {});

    const QString &incidentId() const { return m_incidentId; }

    // The incident row, written once when the incident starts.
    std::optional<QString> createIncident(const IncidentRecord &incident);
    // The same with the incident's first event in the same transaction: there is never an
    // incident without its start, which resume would have nothing to rebuild from.
    std::optional<QString> createIncident(const IncidentRecord &incident, const Event &started);
    // Goes on with an incident written earlier (resume): the next event follows its last.
    std::optional<QString> reopen();

    // Appends the event (next sequence number) and, in the same transaction, what it changes
    // on the incident row: status and outcome at the end, the response-time milestones.
    std::optional<QString> append(const Event &event);

    // Intents of requests about to be sent, in one transaction. An intent already written (the
    // same idempotency key, as on a re-send after a resume) is kept as it was.
    std::optional<QString> recordIntents(const QList<ActionAttempt> &intents);
    // Results of sent requests, in one transaction: a fan-out's batch costs one fsync.
    std::optional<QString> recordResults(const QList<ActionAttempt> &results);

    // How many events and transactions this writer committed (for the bench and tests).
    qint64 commits() const { return m_commits; }

private:
    std::optional<QString> failed(const QString &what, const QString &error);
    std::optional<QString> insertIncident(const IncidentRecord &incident);
    std::optional<QString> prepareEventStatements();
    // Writes the event and what it changes on the incident row, inside the caller's transaction;
    // gives the milestones it set. committed() then counts it.
    std::variant<Milestones, QString> writeEvent(const Event &event);
    void committed(const Milestones &changed);
    // Runs `statement` once per row, all in one transaction (one fsync). The first failure (or,
    // with mustMatchOne, a row that matched nothing) rolls the whole batch back.
    std::optional<QString>
    eachInOneTransaction(const QString &statement, const QList<ActionAttempt> &rows,
                         const std::function<void(QSqlQuery &, const ActionAttempt &)> &bind,
                         const QString &what, bool mustMatchOne);

    JournalDatabase &m_journal;
    QString m_incidentId;
    QStringList m_secrets;
    qint64 m_nextSeq = 1;
    qint64 m_commits = 0;
    bool m_acknowledged = false;
    bool m_mitigated = false;
    // Prepared once: re-preparing per event cost a third of an append's CPU time.
    std::unique_ptr<QSqlQuery> m_insertEvent;
    std::unique_ptr<QSqlQuery> m_updateIncident;
};

} // namespace runlane
