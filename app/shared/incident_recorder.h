#pragma once

#include "engine/journal/journal_database.h"
#include "engine/journal/journal_records.h"
#include "engine/journal/journal_writer.h"
#include "engine/session/session.h"
#include "integrations/http_executor.h"

#include <memory>
#include <optional>

// The journal of one walk (a `run`, or an incident in the desktop app): every event is committed
// before it is shown, every action's intents before its requests are sent, their results when
// they are back. The first write that fails stops the walk (failure()), leaving an incident that
// can be resumed.
class IncidentRecorder
{
public:
    static std::variant<std::unique_ptr<IncidentRecorder>, QString> open(const QString &path);

    runlane::JournalDatabase &database() { return *m_database; }
    const QString &path() const { return m_database->path(); }

    // A new incident: its row, with the playbook's exact text and its SHA-256, written with the
    // session's first event.
    void create(const QString &incidentId, const runlane::Playbook &playbook,
                const QJsonObject &inputs, qint64 startedAtMs, const QString &startedBy,
                bool dryRun, bool drill, const QStringList &secrets);
    // An incident written earlier, to go on with.
    std::optional<QString> reopen(const QString &incidentId, const QStringList &secrets);

    // The session's sink: commits the event, then hands it to `show`. After a failure nothing is
    // shown any more.
    runlane::Session::EventSink sink(std::function<void(const runlane::Event &)> show);
    // Records the executor's action requests (intent first) and results; `walked` tells the
    // visit of the step whose work is out.
    void attach(runlane::HttpExecutor &http, const runlane::Session &walked);

    // Records by hand what became of requests whose outcome was unknown: no status (none was
    // seen), `what` as their note.
    std::optional<QString> recordByHand(const QStringList &keys, const QString &what);

    const std::optional<QString> &failure() const { return m_failure; }

private:
    explicit IncidentRecorder(std::unique_ptr<runlane::JournalDatabase> database);
    void fail(const std::optional<QString> &error);

    std::unique_ptr<runlane::JournalDatabase> m_database;
    std::unique_ptr<runlane::JournalWriter> m_writer;
    std::optional<QString> m_failure;
    std::optional<runlane::IncidentRecord> m_unwrittenIncident;
};

// After a restart: tells the executor what the journal knows of the requests already sent, so
// that those with a result are not sent again and a wave that had begun is not asked again.
void applyEarlierRequests(runlane::HttpExecutor &http,
                          const QList<runlane::ActionAttempt> &attempts);
// The requests of the action the session waits on whose intent is recorded without a result.
QList<runlane::ActionAttempt> unknownOutcomesOf(const runlane::Session &session,
                                                const QList<runlane::ActionAttempt> &attempts);

// How an action request's result is recorded: status, attempts, timings, the first bytes of the
// answer, the error.
runlane::ActionAttempt attemptResultOf(const runlane::ActionResultRecord &record, qint64 atMs);
// And back: what the executor takes as a known result after a restart.
runlane::HttpResult httpResultOf(const runlane::ActionAttempt &attempt);
