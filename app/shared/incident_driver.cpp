#include "app/shared/incident_driver.h"

#include "engine/journal/journal_writer.h"
#include "engine/session/session_replay.h"

#include <QDateTime>
#include <QUuid>

using namespace runlane;

IncidentDriver::IncidentDriver(IncidentRecorder &recorder, ResolvedTargets targets, QObject *parent)
    : QObject(parent)
    , m_recorder(recorder)
    , m_http(std::make_unique<HttpExecutor>(std::move(targets)))
{
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        if (auto onTimeout = std::exchange(m_onWaitTimeout, {}))
            onTimeout();
    });
    m_http->onFanoutProgress = [this](const FanoutProgress &p) {
        m_lastProgress = p;
        Q_EMIT fanoutProgressed(p);
    };
    m_http->waveGate = [this](const FanoutProgress &p, std::function<void(bool)> proceed) {
        m_waveGate = std::move(proceed);
        Q_EMIT waveGateReached(p);
    };
}

IncidentDriver::~IncidentDriver()
{
    m_http.reset(); // drops what is in flight before the session goes
}

void IncidentDriver::start(PlaybookPtr playbook, const QJsonObject &inputs, const QString &actor,
                           bool dryRun, bool drill)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_recorder.create(id, *playbook, inputs, QDateTime::currentMSecsSinceEpoch(), actor, dryRun,
                      drill, m_http->secrets());
    m_times = {QDateTime::currentMSecsSinceEpoch(), {}, {}, {}};
    m_session = std::make_unique<Session>(playbook, actor, recordedSink());
    m_session->setDryRun(dryRun);
    m_http->setDryRun(dryRun);
    m_recorder.attach(*m_http, *m_session);
    m_session->start(id, inputs);
    advance();
}

std::optional<QString> IncidentDriver::resume(const IncidentJournal &earlier, PlaybookPtr playbook,
                                              const QString &actor)
{
    if (earlier.incident.ended())
        return QStringLiteral("incident %1 has ended (%2)")
            .arg(earlier.incident.id, earlier.incident.outcome);
    auto replayed = replaySession(std::move(playbook), actor, earlier.events);
    if (const auto *error = std::get_if<QString>(&replayed))
        return QStringLiteral("incident %1 cannot be resumed: %2").arg(earlier.incident.id, *error);
    ReplayedSession &r = std::get<ReplayedSession>(replayed);
    if (const auto error = m_recorder.reopen(earlier.incident.id, m_http->secrets()))
        return error;
    m_session = std::move(r.session);
    m_http->setDryRun(m_session->dryRun());
    const IncidentRecord &row = earlier.incident;
    m_times = {row.startedAtMs, row.acknowledgedAtMs, row.mitigatedAtMs, row.resolvedAtMs};
    const auto sink = recordedSink();
    m_session->setEventSink(sink);
    for (const Event &e : std::as_const(r.unrecorded)) // the rest of the move it stopped in
        sink(e);
    if (!m_session->outcome())
        m_session->addNote(QStringLiteral("Resumed by %1 after the walk stopped").arg(actor),
                           QStringLiteral("runlane"));
    m_recorder.attach(*m_http, *m_session);
    applyEarlierRequests(*m_http, earlier.attempts);
    m_unknown = unknownOutcomesOf(*m_session, earlier.attempts);
    advance();
    return m_recorder.failure();
}

Session::EventSink IncidentDriver::recordedSink()
{
    return m_recorder.sink([this](const Event &e) {
        const Milestones m = milestonesOf(e);
        if (m.acknowledges && !m_times.acknowledgedAtMs)
            m_times.acknowledgedAtMs = e.utcMs;
        if (m.mitigates && !m_times.mitigatedAtMs)
            m_times.mitigatedAtMs = e.utcMs;
        if (m.resolves && !m_times.resolvedAtMs)
            m_times.resolvedAtMs = e.utcMs;
        Q_EMIT eventRecorded(e);
    });
}

void IncidentDriver::resendUnknown()
{
    m_unknown.clear();
    advance();
}

std::optional<QString> IncidentDriver::recordUnknown(bool succeeded, const QString &who)
{
    const auto work = m_session->pendingWork();
    if (m_unknown.isEmpty() || !work)
        return QStringLiteral("no request has an unknown outcome");
    if (work->step->fanout)
        return QStringLiteral("a fan-out goes on from where it stopped: re-send its requests");
    const QString why =
        QStringLiteral("recorded by hand by %1: %2")
            .arg(who, succeeded ? QStringLiteral("succeeded") : QStringLiteral("failed"));
    QStringList keys;
    for (const ActionAttempt &a : std::as_const(m_unknown))
        keys.append(a.idempotencyKey);
    if (const auto error = m_recorder.recordByHand(keys, why))
        return error;
    m_unknown.clear();
    const auto begun = m_session->beginWork();
    WorkResult result = succeeded ? WorkResult() : WorkResult::error(why);
    result.message = why;
    result.details = {{QStringLiteral("by_hand"), true}};
    return moved(m_session->feed(result, begun->token));
}

std::optional<QString> IncidentDriver::moved(std::optional<QString> error)
{
    if (!error) {
        ++m_generation;
        m_waitTimer.stop();
        advance();
    }
    return error;
}

std::optional<QString> IncidentDriver::completeTask(const QList<Session::Mark> &checklist)
{
    return moved(m_session->completeTask(checklist));
}

std::optional<QString> IncidentDriver::decide(const QString &label)
{
    return moved(m_session->decide(label));
}

std::optional<QString> IncidentDriver::choose(const QString &stepId)
{
    return moved(m_session->choose(stepId));
}

std::optional<QString> IncidentDriver::confirmAction()
{
    return moved(m_session->confirmAction());
}

std::optional<QString> IncidentDriver::skipAction()
{
    return moved(m_session->skipAction());
}

std::optional<QString> IncidentDriver::skipWait()
{
    return moved(m_session->skipWait());
}

std::optional<QString> IncidentDriver::goBack(const QString &stepId)
{
    return moved(m_session->goBack(stepId));
}

void IncidentDriver::addNote(const QString &text)
{
    m_session->addNote(text);
}

void IncidentDriver::abort(const QString &reason)
{
    stopWork();
    m_session->abort(reason);
    moved(std::nullopt);
}

void IncidentDriver::continueWaves(bool proceed)
{
    auto gate = std::exchange(m_waveGate, {});
    if (!gate)
        return;
    if (proceed && m_fanoutHeld) // starting the next wave is continuing
        holdFanout(false);
    gate(proceed);
}

void IncidentDriver::stopWork()
{
    continueWaves(false);
    m_http->cancel();
}

std::optional<QString> IncidentDriver::holdFanout(bool held)
{
    if (held == m_fanoutHeld)
        return std::nullopt;
    if (!m_working || !m_http->isFanoutRunning())
        return tr("No fan-out is running.");
    const FanoutProgress &p = m_lastProgress;
    // In the journal first, as every move: the timeline says so before it takes effect.
    m_session->addNote(
        held ? tr("Paused the fan-out at %1 of %2 done (%3 failed); requests already sent "
                  "finish, nothing more is sent.")
                   .arg(p.done())
                   .arg(p.total)
                   .arg(p.failed)
             : tr("Continued the fan-out at %1 of %2 done.").arg(p.done()).arg(p.total));
    if (const auto failure = m_recorder.failure())
        return failure;
    m_http->holdFanout(held);
    m_fanoutHeld = held;
    Q_EMIT stateChanged();
    return std::nullopt;
}

// Hands out automated work and schedules waits; otherwise the walk waits for the engineer.
void IncidentDriver::advance()
{
    if (const auto failure = m_recorder.failure()) {
        m_waitTimer.stop();
        Q_EMIT journalFailed(*failure);
        Q_EMIT stateChanged();
        return;
    }
    const Step *step = m_session->current();
    switch (m_session->waiting()) {
    case Session::Waiting::Work:
        if (!m_working && m_unknown.isEmpty()) // unknown outcomes wait for the engineer
            runWork();
        break;
    case Session::Waiting::Wait: {
        if (step->until) {
            if (!m_working && !m_waitTimer.isActive())
                runWork(); // the first poll now, the next ones every `every`
            break;
        }
        // Counted from when the step was entered, also after a resume.
        const qint64 left = step->duration.value.ms -
                            (QDateTime::currentMSecsSinceEpoch() - m_session->stepEnteredAtMs());
        const quint64 generation = m_generation;
        m_onWaitTimeout = [this, generation] {
            if (generation == m_generation)
                moved(m_session->waitElapsed());
        };
        m_waitTimer.start(int(std::clamp<qint64>(left, 0, std::numeric_limits<int>::max())));
        break;
    }
    default:
        break;
    }
    Q_EMIT stateChanged();
}

void IncidentDriver::runWork()
{
    const auto work = m_session->beginWork();
    if (!work || m_recorder.failure())
        return advance();
    m_working = true;
    const quint64 generation = m_generation;
    m_http->execute(*work, [this, token = work->token, generation](const WorkResult &result) {
        // Queued: the executor may answer before execute() returns (a dry run, a known result).
        QMetaObject::invokeMethod(
            this,
            [this, token, generation, result] {
                m_working = false;
                m_fanoutHeld = false;
                if (generation != m_generation) // the walk moved on (a skipped wait)
                    return advance();
                m_session->feed(result, token);
                ++m_generation;
                const Step *step = m_session->current();
                if (m_session->waiting() == Session::Waiting::Wait && step && step->until)
                    return pollLater();
                advance();
            },
            Qt::QueuedConnection);
    });
    Q_EMIT stateChanged();
}

// An `until` that does not hold yet: the next poll after `every`, or the timeout.
void IncidentDriver::pollLater()
{
    const Step &step = *m_session->current();
    const qint64 sinceEntered = QDateTime::currentMSecsSinceEpoch() - m_session->stepEnteredAtMs();
    const qint64 timeoutLeft = step.timeout.value.ms - sinceEntered;
    const quint64 generation = m_generation;
    m_onWaitTimeout = [this, generation] {
        if (generation != m_generation)
            return;
        const Step &s = *m_session->current();
        if (QDateTime::currentMSecsSinceEpoch() - m_session->stepEnteredAtMs() >=
            s.timeout.value.ms)
            moved(m_session->waitTimedOut());
        else
            runWork();
    };
    m_waitTimer.start(int(std::clamp<qint64>(std::min(step.until->every.value.ms, timeoutLeft), 0,
                                             std::numeric_limits<int>::max())));
    Q_EMIT stateChanged();
}
