#include "app/shared/incident_recorder.h"

#include <QCryptographicHash>
#include <QDateTime>

using namespace runlane;

namespace {

// An answer is kept whole up to this size, so that it can be read again after a restart.
constexpr qsizetype excerptBytes = 64 * 1024;

} // namespace

ActionAttempt attemptResultOf(const ActionResultRecord &record, qint64 atMs)
{
    const HttpResult &r = record.result;
    ActionAttempt a;
    a.idempotencyKey = record.idempotencyKey;
    a.resultAtMs = atMs;
    a.status = r.status;
    a.attempts = r.attempts;
    a.timings = {{QStringLiteral("dns_ms"), double(r.timings.dnsMs)},
                 {QStringLiteral("connect_ms"), double(r.timings.connectMs)},
                 {QStringLiteral("tls_ms"), double(r.timings.tlsMs)},
                 {QStringLiteral("first_byte_ms"), double(r.timings.firstByteMs)},
                 {QStringLiteral("total_ms"), double(r.timings.totalMs)},
                 {QStringLiteral("elapsed_ms"), double(r.elapsedMs)}};
    a.responseExcerpt = QString::fromUtf8(r.body.left(excerptBytes));
    if (r.body.size() > excerptBytes)
        a.timings.insert(QStringLiteral("truncated"), true);
    if (!record.sent)
        a.error = QStringLiteral("not sent: the fan-out was stopped first");
    else if (!r.answered())
        a.error = r.errorText.isEmpty() ? toString(r.error) : r.errorText;
    return a;
}

HttpResult httpResultOf(const ActionAttempt &attempt)
{
    HttpResult r;
    r.status = attempt.status;
    r.attempts = attempt.attempts;
    r.body = attempt.responseExcerpt.toUtf8();
    r.elapsedMs = qint64(attempt.timings.value(QStringLiteral("elapsed_ms")).toDouble());
    if (attempt.status == 0) {
        r.error = HttpResult::Error::Other;
        r.errorText = attempt.error.isEmpty() ? QStringLiteral("no answer") : attempt.error;
    }
    return r;
}

IncidentRecorder::IncidentRecorder(std::unique_ptr<JournalDatabase> database)
    : m_database(std::move(database))
{}

std::variant<std::unique_ptr<IncidentRecorder>, QString> IncidentRecorder::open(const QString &path)
{
    auto opened = JournalDatabase::open(path);
    if (auto *error = std::get_if<QString>(&opened))
        return *error;
    return std::unique_ptr<IncidentRecorder>(
        new IncidentRecorder(std::move(std::get<std::unique_ptr<JournalDatabase>>(opened))));
}

void IncidentRecorder::create(const QString &incidentId, const Playbook &playbook,
                              const QJsonObject &inputs, qint64 startedAtMs,
                              const QString &startedBy, bool dryRun, bool drill,
                              const QStringList &secrets)
{
    m_writer = std::make_unique<JournalWriter>(*m_database, incidentId, secrets);
    IncidentRecord row;
    row.id = incidentId;
    row.playbookId = playbook.id.value;
    row.title = playbook.title.value;
    row.severity = toString(playbook.severity.value);
    row.playbookText = playbook.source;
    row.playbookSha256 = QString::fromLatin1(
        QCryptographicHash::hash(playbook.source.toUtf8(), QCryptographicHash::Sha256).toHex());
    row.inputs = inputs;
    row.startedAtMs = startedAtMs;
    row.startedBy = startedBy;
    row.dryRun = dryRun;
    row.drill = drill;
    m_unwrittenIncident = row; // written with the incident's first event, in one transaction
}

std::optional<QString> IncidentRecorder::reopen(const QString &incidentId,
                                                const QStringList &secrets)
{
    m_writer = std::make_unique<JournalWriter>(*m_database, incidentId, secrets);
    const auto error = m_writer->reopen();
    fail(error);
    return error;
}

void IncidentRecorder::fail(const std::optional<QString> &error)
{
    if (error && !m_failure)
        m_failure = error;
}

Session::EventSink IncidentRecorder::sink(std::function<void(const Event &)> show)
{
    return [this, show = std::move(show)](const Event &event) {
        if (m_failure || !m_writer)
            return;
        if (m_unwrittenIncident) {
            fail(
                m_writer->createIncident(*std::exchange(m_unwrittenIncident, std::nullopt), event));
        } else {
            fail(m_writer->append(event));
        }
        if (!m_failure)
            show(event);
    };
}

void IncidentRecorder::attach(HttpExecutor &http, const Session &walked)
{
    http.beforeSend = [this, &walked](const QList<ActionRequestRecord> &requests) {
        if (m_failure || !m_writer)
            return false;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto work = walked.pendingWork();
        const int visit = work ? work->stepVisit : 1;
        QList<ActionAttempt> intents;
        intents.reserve(requests.size());
        for (const ActionRequestRecord &r : requests) {
            ActionAttempt a;
            a.step = r.step;
            a.visit = visit;
            a.endpoint = r.endpoint;
            a.idempotencyKey = r.idempotencyKey;
            a.requestLine = r.requestLine;
            a.requestHeaders = r.requestRest;
            a.intentAtMs = now;
            intents.append(a);
        }
        fail(m_writer->recordIntents(intents));
        return !m_failure;
    };
    http.afterResults = [this](const QList<ActionResultRecord> &results) {
        if (m_failure || !m_writer)
            return;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<ActionAttempt> rows;
        rows.reserve(results.size());
        for (const ActionResultRecord &r : results)
            rows.append(attemptResultOf(r, now));
        fail(m_writer->recordResults(rows));
    };
}

std::optional<QString> IncidentRecorder::recordByHand(const QStringList &keys, const QString &what)
{
    if (!m_writer)
        return QStringLiteral("no incident is open");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<ActionAttempt> rows;
    for (const QString &key : keys) {
        ActionAttempt a;
        a.idempotencyKey = key;
        a.resultAtMs = now;
        a.error = what;
        rows.append(a);
    }
    const auto error = m_writer->recordResults(rows);
    fail(error);
    return error;
}

void applyEarlierRequests(HttpExecutor &http, const QList<ActionAttempt> &attempts)
{
    QHash<QString, HttpResult> known;
    QSet<QString> intended;
    for (const ActionAttempt &a : attempts) {
        intended.insert(a.idempotencyKey);
        // An answer kept only in part cannot be read again as it was: sent again, same key.
        if (!a.outcomeUnknown() && !a.timings.value(QStringLiteral("truncated")).toBool())
            known.insert(a.idempotencyKey, httpResultOf(a));
    }
    http.setKnownResults(known, intended);
}

QList<ActionAttempt> unknownOutcomesOf(const Session &session, const QList<ActionAttempt> &attempts)
{
    QList<ActionAttempt> unknown;
    const auto work = session.pendingWork();
    if (!work || work->kind != WorkRequest::Kind::Action)
        return unknown;
    for (const ActionAttempt &a : attempts) {
        if (a.step == work->step->id.value && a.visit == work->stepVisit && a.outcomeUnknown())
            unknown.append(a);
    }
    return unknown;
}
