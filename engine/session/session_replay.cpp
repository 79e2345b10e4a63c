#include "engine/session/session_replay.h"

#include <QJsonArray>

namespace runlane {

WorkResult workResultFromEvent(const Event &event)
{
    QJsonObject d = event.details;
    WorkResult r;
    const QString outcome = d.take(QStringLiteral("outcome")).toString();
    r.outcome = outcome == u"no-data" ? WorkResult::Outcome::NoData
                : outcome == u"error" ? WorkResult::Outcome::Error
                                      : WorkResult::Outcome::Ok;
    if (d.contains(QStringLiteral("value")))
        r.value = d.take(QStringLiteral("value"));
    r.status = d.take(QStringLiteral("status")).toInt();
    if (d.contains(QStringLiteral("body")))
        r.body = d.take(QStringLiteral("body"));
    r.elapsedMs = qint64(d.take(QStringLiteral("elapsed_ms")).toDouble());
    r.message = d.take(QStringLiteral("message")).toString();
    r.details = d;
    return r;
}

namespace {

struct Replay
{
    const QList<Event> &events;
    qsizetype next = 0; // the journal event the session's next emission must match
    QString mismatch;
    QList<Event> unrecorded; // emitted after the journal's last event: the rest of its move

    qint64 now() const
    {
        return next < events.size() ? events.at(next).utcMs
                                    : (events.isEmpty() ? 0 : events.constLast().utcMs);
    }

    void emitted(const Event &e)
    {
        if (!mismatch.isEmpty())
            return;
        if (next >= events.size()) {
            unrecorded.append(e);
            return;
        }
        const Event &expected = events.at(next);
        if (expected.kind != e.kind || expected.stepId != e.stepId) {
            mismatch =
                QStringLiteral("event %1 is '%2' at step '%3', but the playbook's walk "
                               "gives '%4' at step '%5'")
                    .arg(next + 1)
                    .arg(toString(expected.kind), expected.stepId, toString(e.kind), e.stepId);
            return;
        }
        ++next;
    }
};

QList<Session::Mark> marksOf(const Event &e)
{
    QList<Session::Mark> marks;
    for (const QJsonValue &item : e.details.value(QStringLiteral("checklist")).toArray())
        marks.append(item.toObject().value(QStringLiteral("state")).toString() == u"skipped"
                         ? Session::Mark::Skipped
                         : Session::Mark::Ticked);
    return marks;
}

// Performs the move `e` records; the session then emits `e` itself (and what follows from it).
std::optional<QString> perform(Session &s, const Event &e)
{
    const auto detail = [&e](const char *key) {
        return e.details.value(QString::fromLatin1(key)).toString();
    };
    switch (e.kind) {
    case EventKind::IncidentStarted:
        if (s.waiting() != Session::Waiting::NotStarted)
            return QStringLiteral("a second start");
        s.setDryRun(e.details.value(QStringLiteral("dry_run")).toBool());
        s.start(detail("incident"), e.details.value(QStringLiteral("inputs")).toObject());
        return std::nullopt;
    case EventKind::TaskCompleted:
        return s.completeTask(marksOf(e));
    case EventKind::DecisionMade:
        return s.decide(detail("label"));
    case EventKind::ChoiceMade:
        return s.choose(detail("next"));
    case EventKind::ActionConfirmed:
        return s.confirmAction();
    case EventKind::ActionSkipped:
        return s.skipAction();
    case EventKind::WorkRequested:
        if (!s.beginWork())
            return QStringLiteral("no work is pending");
        return std::nullopt;
    case EventKind::WorkResult:
        return s.feed(workResultFromEvent(e));
    case EventKind::WaitEnded: {
        const QString how = detail("how");
        if (how == u"skipped")
            return s.skipWait();
        if (how == u"elapsed")
            return s.waitElapsed();
        if (how == u"timeout")
            return s.waitTimedOut();
        break;
    }
    case EventKind::WentBack:
        return s.goBack(detail("to"));
    case EventKind::NoteAdded:
        s.addNote(e.text, e.actor);
        return std::nullopt;
    case EventKind::IncidentEnded:
        s.abort(detail("why"));
        return std::nullopt;
    default:
        break;
    }
    return QStringLiteral("the session does not emit it here");
}

} // namespace

std::variant<ReplayedSession, QString> replaySession(PlaybookPtr playbook, const QString &actor,
                                                     const QList<Event> &events)
{
    if (events.isEmpty() || events.constFirst().kind != EventKind::IncidentStarted)
        return QStringLiteral("the journal's events do not begin with the incident's start");
    auto replay = std::make_shared<Replay>(Replay{events, 0, QString(), {}});
    auto session = std::make_unique<Session>(
        std::move(playbook), actor, [replay](const Event &e) { replay->emitted(e); },
        Session::Clock{[replay] { return replay->now(); }});
    while (replay->next < events.size()) {
        const qsizetype at = replay->next;
        const Event &e = events.at(at);
        if (const auto error = perform(*session, e))
            return QStringLiteral("cannot replay event %1 ('%2' at step '%3'): %4")
                .arg(at + 1)
                .arg(toString(e.kind), e.stepId, *error);
        if (!replay->mismatch.isEmpty())
            return QStringLiteral("the journal and its playbook disagree: %1")
                .arg(replay->mismatch);
        if (replay->next == at) // the move emitted nothing: it cannot have been recorded so
            return QStringLiteral("cannot replay event %1 ('%2' at step '%3')")
                .arg(at + 1)
                .arg(toString(e.kind), e.stepId);
    }
    session->setEventSink({});
    session->setClock({});
    return ReplayedSession{std::move(session), replay->unrecorded};
}

} // namespace runlane
