#include "engine/session/session.h"

#include "engine/expr/expression.h"
#include "engine/playbook/call_catalog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace runlane {

QString toString(Session::Waiting waiting)
{
    switch (waiting) {
    case Session::Waiting::NotStarted:
        return QStringLiteral("not-started");
    case Session::Waiting::Task:
        return QStringLiteral("task");
    case Session::Waiting::Decision:
        return QStringLiteral("decision");
    case Session::Waiting::Choice:
        return QStringLiteral("choice");
    case Session::Waiting::Confirm:
        return QStringLiteral("confirm");
    case Session::Waiting::Work:
        return QStringLiteral("work");
    case Session::Waiting::Wait:
        return QStringLiteral("wait");
    case Session::Waiting::Ended:
        return QStringLiteral("ended");
    }
    return {};
}

namespace {

QString describe(const WorkResult &result)
{
    switch (result.outcome) {
    case WorkResult::Outcome::NoData:
        return QStringLiteral("no data (%1)").arg(result.message);
    case WorkResult::Outcome::Error:
        return QStringLiteral("error: %1").arg(result.message);
    case WorkResult::Outcome::Ok:
        break;
    }
    if (result.status != 0)
        return QStringLiteral("HTTP %1").arg(result.status);
    if (result.value.isDouble())
        return QStringLiteral("value %1").arg(result.value.toDouble());
    return result.message.isEmpty() ? QStringLiteral("done") : result.message;
}

QJsonObject resultDetails(const WorkResult &result)
{
    QJsonObject d = result.details;
    // The fields below are what a replay reads back as the result: an HTTP status the record
    // carries for a result that has none of its own (a query's) must not read as one.
    if (result.status == 0 && d.contains(QStringLiteral("status")))
        d.insert(QStringLiteral("http_status"), d.take(QStringLiteral("status")));
    static const char *const outcomes[] = {"ok", "no-data", "error"};
    d.insert(QStringLiteral("outcome"), QString::fromLatin1(outcomes[int(result.outcome)]));
    if (!result.value.isUndefined() && !result.value.isNull())
        d.insert(QStringLiteral("value"), result.value);
    if (result.status != 0)
        d.insert(QStringLiteral("status"), result.status);
    if (!result.body.isUndefined())
        d.insert(QStringLiteral("body"), result.body);
    if (result.elapsedMs != 0)
        d.insert(QStringLiteral("elapsed_ms"), double(result.elapsedMs));
    if (!result.message.isEmpty())
        d.insert(QStringLiteral("message"), result.message);
    return d;
}

} // namespace

Session::Session(PlaybookPtr playbook, QString actor, EventSink sink, Clock clock)
    : m_playbook(std::move(playbook))
    , m_actor(std::move(actor))
    , m_sink(std::move(sink))
    , m_clock(std::move(clock))
{
    if (!m_clock.nowUtcMs)
        m_clock.nowUtcMs = [] { return QDateTime::currentMSecsSinceEpoch(); };
}

void Session::setClock(Clock clock)
{
    m_clock = std::move(clock);
    if (!m_clock.nowUtcMs)
        m_clock.nowUtcMs = [] { return QDateTime::currentMSecsSinceEpoch(); };
}

void Session::record(EventKind kind, const QString &text, const QJsonObject &details,
                     const QString &actor)
{
    Event event;
    event.utcMs = m_clock.nowUtcMs();
    event.kind = kind;
    event.text = text;
    event.details = details;
    event.actor = actor.isEmpty() ? m_actor : actor;
    if (m_current) {
        event.stepId = m_current->id.value;
        event.lane = m_playbook->laneOf(*m_current);
    }
    if (m_sink)
        m_sink(event);
}

void Session::start(const QString &incidentId, const QJsonObject &inputs)
{
    m_incidentId = incidentId;
    m_inputs = inputs;
    m_startedAtMs = m_clock.nowUtcMs();
    record(EventKind::IncidentStarted,
           QStringLiteral("Incident started with playbook '%1'").arg(m_playbook->title.value),
           {{QStringLiteral("playbook"), m_playbook->id.value},
            {QStringLiteral("incident"), incidentId},
            {QStringLiteral("inputs"), inputs},
            {QStringLiteral("dry_run"), m_dryRun}});
    enter(m_playbook->start.value);
}

expr::Scope Session::scope() const
{
    return {{QStringLiteral("inputs"), m_inputs},
            {QStringLiteral("vars"), m_vars},
            {QStringLiteral("incident"),
             QJsonObject{{QStringLiteral("id"), m_incidentId},
                         {QStringLiteral("started_at"),
                          QDateTime::fromMSecsSinceEpoch(m_startedAtMs, Qt::UTC)
                              .toString(Qt::ISODateWithMs)}}}};
}

void Session::enter(const QString &stepId)
{
    const Step *step = m_playbook->step(stepId);
    if (!step) {
        // Only a playbook with errors can get here; loading refuses to run those.
        m_current = nullptr;
        end(Outcome::Aborted, QStringLiteral("step '%1' does not exist").arg(stepId));
        return;
    }
    m_current = step;
    ++m_entry; // results of work handed out before this are stale from now on
    m_stepEnteredAtMs = m_clock.nowUtcMs();
    m_path.append(stepId);
    const int visit = ++m_visits[stepId];
    m_reason.clear();
    m_choices.clear();
    record(
        EventKind::StepEntered, step->title.value,
        {{QStringLiteral("type"), toString(step->type.value)}, {QStringLiteral("visit"), visit}});

    switch (step->type.value) {
    case StepType::Task:
        m_waiting = Waiting::Task;
        break;
    case StepType::Decision:
        m_waiting = Waiting::Decision;
        break;
    case StepType::Check:
        m_waiting = Waiting::Work;
        break;
    case StepType::Action:
    case StepType::Escalate:
        m_waiting = (step->confirm.value && !m_dryRun) ? Waiting::Confirm : Waiting::Work;
        if (m_waiting == Waiting::Work && step->confirm.value)
            record(EventKind::ActionConfirmed, QStringLiteral("Dry run: confirmed without sending"),
                   {}, QStringLiteral("runlane")); // nobody confirmed: not an acknowledgement
        break;
    case StepType::Wait: {
        m_waiting = Waiting::Wait;
        QJsonObject details;
        if (step->until)
            details.insert(QStringLiteral("until"), step->until->condition.value);
        else
            details.insert(QStringLiteral("duration_ms"), double(step->duration.value.ms));
        if (step->timeout.present)
            details.insert(QStringLiteral("timeout_ms"), double(step->timeout.value.ms));
        record(EventKind::WaitStarted,
               step->until ? QStringLiteral("Waiting until %1").arg(step->until->condition.value)
                           : QStringLiteral("Waiting %1").arg(formatDuration(step->duration.value)),
               details);
        break;
    }
    case StepType::End:
        end(step->outcome.value, QStringLiteral("Reached '%1'").arg(step->title.value));
        break;
    }
}

void Session::leaveTo(const QString &stepId)
{
    enter(stepId);
}

void Session::end(Outcome outcome, const QString &why)
{
    m_outcome = outcome;
    m_waiting = Waiting::Ended;
    record(EventKind::IncidentEnded, QStringLiteral("%1: %2").arg(toString(outcome), why),
           {{QStringLiteral("outcome"), toString(outcome)}, {QStringLiteral("why"), why}});
}

std::optional<QString> Session::expectWaiting(Waiting state, const char *what) const
{
    if (m_waiting == state)
        return std::nullopt;
    return QStringLiteral("cannot %1 now: the incident is waiting for %2")
        .arg(QString::fromLatin1(what), toString(m_waiting));
}

std::optional<WorkRequest> Session::pendingWork() const
{
    if (m_waiting != Waiting::Work && m_waiting != Waiting::Wait)
        return std::nullopt;
    return workOfCurrentStep();
}

std::optional<WorkRequest> Session::gatedWork() const
{
    if (m_waiting != Waiting::Confirm)
        return std::nullopt;
    return workOfCurrentStep();
}

std::optional<WorkRequest> Session::workOfCurrentStep() const
{
    if (!m_current)
        return std::nullopt;
    WorkRequest request;
    request.step = m_current;
    request.incidentId = m_incidentId;
    request.stepVisit = m_visits.value(m_current->id.value, 1);
    request.token = m_entry;
    request.scope = scope();
    request.dryRun = m_dryRun;
    switch (m_current->type.value) {
    case StepType::Check:
        request.read = &m_current->read;
        request.kind = m_current->read.query ? WorkRequest::Kind::Query : WorkRequest::Kind::Probe;
        return request;
    case StepType::Action:
    case StepType::Escalate:
        request.kind = WorkRequest::Kind::Action;
        return request;
    case StepType::Wait:
        if (!m_current->until)
            return std::nullopt;
        request.kind = WorkRequest::Kind::Poll;
        request.read = &m_current->until->read;
        return request;
    case StepType::Task:
    case StepType::Decision:
    case StepType::End:
        break;
    }
    return std::nullopt;
}

std::optional<WorkRequest> Session::beginWork()
{
    auto request = pendingWork();
    if (!request)
        return request;
    static const char *const kinds[] = {"query", "probe", "action", "poll"};
    const QString kind = QString::fromLatin1(kinds[int(request->kind)]);
    record(
        EventKind::WorkRequested,
        request->kind == WorkRequest::Kind::Action
            ? QStringLiteral("Requested %1%2")
                  .arg(m_current->call.present ? m_current->call.value : QStringLiteral("request"),
                       m_dryRun ? QStringLiteral(" (dry run)") : QString())
            : QStringLiteral("Requested a %1").arg(kind),
        {{QStringLiteral("kind"), kind},
         {QStringLiteral("visit"), request->stepVisit},
         {QStringLiteral("dry_run"), m_dryRun}},
        QStringLiteral("runlane"));
    return request;
}

std::optional<QString> Session::completeTask(const QList<Mark> &checklist)
{
    if (auto e = expectWaiting(Waiting::Task, "complete a task"))
        return e;
    if (checklist.size() != m_current->checklist.size())
        return QStringLiteral("step '%1' has %2 checklist items; %3 were marked")
            .arg(m_current->id.value)
            .arg(m_current->checklist.size())
            .arg(checklist.size());
    QJsonArray items;
    int skipped = 0;
    for (qsizetype i = 0; i < checklist.size(); ++i) {
        const bool ticked = checklist[i] == Mark::Ticked;
        skipped += ticked ? 0 : 1;
        items.append(QJsonObject{{QStringLiteral("item"), m_current->checklist[i].value},
                                 {QStringLiteral("state"),
                                  ticked ? QStringLiteral("ticked") : QStringLiteral("skipped")}});
    }
    record(EventKind::TaskCompleted,
           skipped ? QStringLiteral("Completed, %1 checklist item(s) skipped").arg(skipped)
                   : QStringLiteral("Completed"),
           {{QStringLiteral("checklist"), items}});
    leaveTo(m_current->next.value);
    return std::nullopt;
}

std::optional<QString> Session::decide(const QString &label)
{
    if (auto e = expectWaiting(Waiting::Decision, "decide"))
        return e;
    for (const Option &option : m_current->options) {
        if (option.label.value == label) {
            record(EventKind::DecisionMade, QStringLiteral("Chose '%1'").arg(label),
                   {{QStringLiteral("label"), label}, {QStringLiteral("next"), option.next.value}});
            leaveTo(option.next.value);
            return std::nullopt;
        }
    }
    QStringList labels;
    for (const Option &option : m_current->options)
        labels.append(option.label.value);
    return QStringLiteral("step '%1' has no option '%2'; its options are: %3")
        .arg(m_current->id.value, label, labels.join(QStringLiteral(", ")));
}

std::optional<QString> Session::choose(const QString &stepId)
{
    if (auto e = expectWaiting(Waiting::Choice, "choose a way on"))
        return e;
    if (!m_choices.contains(stepId))
        return QStringLiteral("'%1' is not a way on from step '%2'; choose one of: %3")
            .arg(stepId, m_current->id.value, m_choices.join(QStringLiteral(", ")));
    record(EventKind::ChoiceMade, QStringLiteral("Chose to go on to '%1'").arg(stepId),
           {{QStringLiteral("next"), stepId}, {QStringLiteral("reason"), m_reason}});
    leaveTo(stepId);
    return std::nullopt;
}

std::optional<QString> Session::confirmAction()
{
    if (auto e = expectWaiting(Waiting::Confirm, "confirm an action"))
        return e;
    record(EventKind::ActionConfirmed, QStringLiteral("Confirmed"));
    m_waiting = Waiting::Work;
    return std::nullopt;
}

std::optional<QString> Session::skipAction()
{
    if (auto e = expectWaiting(Waiting::Confirm, "skip an action"))
        return e;
    record(EventKind::ActionSkipped, QStringLiteral("Skipped: nothing was sent"));
    leaveTo(m_current->next.value);
    return std::nullopt;
}

std::optional<QString> Session::skipWait()
{
    if (auto e = expectWaiting(Waiting::Wait, "skip a wait"))
        return e;
    record(EventKind::WaitEnded, QStringLiteral("Wait skipped"),
           {{QStringLiteral("how"), QStringLiteral("skipped")}});
    leaveTo(m_current->next.value);
    return std::nullopt;
}

std::optional<QString> Session::waitElapsed()
{
    if (auto e = expectWaiting(Waiting::Wait, "end a wait"))
        return e;
    if (m_current->until)
        return QStringLiteral("step '%1' waits until a condition holds, not for a fixed time")
            .arg(m_current->id.value);
    record(EventKind::WaitEnded,
           QStringLiteral("Waited %1").arg(formatDuration(m_current->duration.value)),
           {{QStringLiteral("how"), QStringLiteral("elapsed")}});
    leaveTo(m_current->next.value);
    return std::nullopt;
}

std::optional<QString> Session::waitTimedOut()
{
    if (auto e = expectWaiting(Waiting::Wait, "time out a wait"))
        return e;
    if (!m_current->until)
        return QStringLiteral("step '%1' is a plain wait; it has no timeout")
            .arg(m_current->id.value);
    record(EventKind::WaitEnded, QStringLiteral("Timed out before the condition held"),
           {{QStringLiteral("how"), QStringLiteral("timeout")}});
    if (m_current->onTimeout.present) {
        leaveTo(m_current->onTimeout.value);
    } else {
        inconclusive(QStringLiteral("the wait timed out and the step has no 'on_timeout'"), {});
    }
    return std::nullopt;
}

std::optional<QString> Session::goBack(const QString &stepId)
{
    if (m_waiting == Waiting::Ended || m_waiting == Waiting::NotStarted)
        return QStringLiteral("cannot go back: the incident is %1").arg(toString(m_waiting));
    if (m_waiting == Waiting::Work)
        return QStringLiteral("cannot go back while automated work is under way");
    if (!m_path.contains(stepId))
        return QStringLiteral("cannot go back to '%1': it was not visited in this incident")
            .arg(stepId);
    const QString from = m_current ? m_current->id.value : QString();
    record(EventKind::WentBack, QStringLiteral("Went back to '%1'").arg(stepId),
           {{QStringLiteral("from"), from}, {QStringLiteral("to"), stepId}});
    leaveTo(stepId);
    return std::nullopt;
}

void Session::addNote(const QString &text, const QString &actor)
{
    record(EventKind::NoteAdded, text, {}, actor);
}

void Session::abort(const QString &reason)
{
    if (m_waiting == Waiting::Ended)
        return;
    end(Outcome::Aborted, reason.isEmpty() ? QStringLiteral("aborted by the engineer") : reason);
}

QStringList Session::branchTargets(const Step &step) const
{
    QStringList targets;
    for (const Step::Way &way : step.ways()) {
        if (!targets.contains(way.next))
            targets.append(way.next);
    }
    return targets;
}

void Session::inconclusive(const QString &reason, const QJsonObject &details, bool retry)
{
    m_reason = reason;
    m_choices = branchTargets(*m_current);
    if (retry && !m_choices.contains(m_current->id.value))
        m_choices.append(m_current->id.value);
    QJsonObject d = details;
    d.insert(QStringLiteral("reason"), reason);
    d.insert(QStringLiteral("choices"), QJsonArray::fromStringList(m_choices));
    record(EventKind::Inconclusive, QStringLiteral("Inconclusive: %1").arg(reason), d,
           QStringLiteral("runlane"));
    if (m_choices.isEmpty()) {
        end(Outcome::Aborted, QStringLiteral("no way on from '%1'").arg(m_current->id.value));
        return;
    }
    m_waiting = Waiting::Choice;
}

expr::Scope Session::resultScope(const WorkResult &result) const
{
    expr::Scope s = scope();
    if (result.value.isDouble())
        s.insert(QStringLiteral("value"), result.value);
    if (result.status != 0) {
        s.insert(QStringLiteral("status"), result.status);
        s.insert(QStringLiteral("body"), result.body.isUndefined() ? QJsonValue() : result.body);
        s.insert(QStringLiteral("elapsed_ms"), double(result.elapsedMs));
    }
    return s;
}

std::optional<QString> Session::feed(const WorkResult &result, quint64 token)
{
    const bool polling = m_waiting == Waiting::Wait && m_current && m_current->until;
    if (m_waiting != Waiting::Work && !polling)
        return QStringLiteral("no automated work is pending (the incident waits for %1)")
            .arg(toString(m_waiting));
    if (token != 0 && token != m_entry)
        return QStringLiteral("a result arrived for work of an earlier step; it was not used");
    record(EventKind::WorkResult, describe(result), resultDetails(result),
           QStringLiteral("runlane"));
    switch (m_current->type.value) {
    case StepType::Check:
        feedCheck(result);
        break;
    case StepType::Action:
    case StepType::Escalate:
        feedAction(result);
        break;
    case StepType::Wait:
        feedPoll(result);
        break;
    case StepType::Task:
    case StepType::Decision:
    case StepType::End:
        break;
    }
    return std::nullopt;
}

void Session::feedCheck(const WorkResult &result)
{
    const Step &step = *m_current;
    auto follow = [this](const LString &way, const QString &label, const QString &reason,
                         const QJsonObject &details) {
        if (way.present && way.value != u"ask") {
            record(EventKind::BranchTaken, QStringLiteral("%1 → %2").arg(label, way.value),
                   {{QStringLiteral("label"), label}, {QStringLiteral("next"), way.value}},
                   QStringLiteral("runlane"));
            leaveTo(way.value);
        } else {
            inconclusive(reason, details);
        }
    };
    if (result.outcome == WorkResult::Outcome::NoData)
        return follow(step.noData, QStringLiteral("no data"),
                      QStringLiteral("no data: %1").arg(result.message), {});
    if (result.outcome == WorkResult::Outcome::Error)
        return follow(step.onError, QStringLiteral("error"),
                      QStringLiteral("error: %1").arg(result.message), {});

    const expr::Scope s = resultScope(result);
    QJsonObject details;
    if (result.value.isDouble())
        details.insert(QStringLiteral("value"), result.value);
    for (const Branch &branch : step.when) {
        const auto parsed = expr::Expression::parse(branch.condition.value);
        const auto *expression = std::get_if<expr::Expression>(&parsed);
        if (!expression)
            return follow(step.onError, QStringLiteral("error"),
                          QStringLiteral("error: cannot read '%1'").arg(branch.condition.value),
                          details);
        const auto holds = expression->test(s);
        if (const auto *error = std::get_if<expr::Error>(&holds))
            return follow(
                step.onError, QStringLiteral("error"),
                QStringLiteral("error in '%1': %2").arg(branch.condition.value, error->message),
                details);
        if (std::get<bool>(holds))
            return follow(branch.next, branch.condition.value, QString(), details);
    }
    follow(step.elseNext, QStringLiteral("else"),
           QStringLiteral("no branch holds for %1").arg(describe(result)), details);
}

std::optional<QString> Session::saveVars(const WorkResult &result)
{
    const expr::Scope s = resultScope(result);
    QList<std::pair<QString, QString>> saves;
    for (const SaveEntry &save : m_current->save)
        saves.append({save.name.value, save.path.value});
    if (const CallSpec *spec = findCall(m_current->call.value)) {
        for (const auto &entry : spec->saves)
            saves.append(entry);
    }
    for (const auto &[name, path] : saves) {
        const auto parsed = expr::Expression::parse(path);
        const auto *expression = std::get_if<expr::Expression>(&parsed);
        if (!expression)
            return QStringLiteral("cannot read '%1'").arg(path);
        const auto value = expression->evaluate(s);
        if (const auto *error = std::get_if<expr::Error>(&value)) {
            if (m_dryRun)
                continue; // nothing was sent, so there is no response to save from
            return QStringLiteral("cannot save '%1' from %2: %3").arg(name, path, error->message);
        }
        const QJsonValue v = std::get<QJsonValue>(value);
        m_vars.insert(name, v);
        record(EventKind::VarSaved,
               QStringLiteral("Saved %1 = %2")
                   .arg(name, v.isString()
                                  ? v.toString()
                                  : QString::fromUtf8(
                                        QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
                                        .mid(1)
                                        .chopped(1)),
               {{QStringLiteral("name"), name}, {QStringLiteral("value"), v}},
               QStringLiteral("runlane"));
    }
    return std::nullopt;
}

void Session::feedAction(const WorkResult &result)
{
    const Step &step = *m_current;
    QString failure;
    if (result.outcome != WorkResult::Outcome::Ok)
        failure = result.message.isEmpty() ? QStringLiteral("the request failed") : result.message;
    else if (result.status != 0 && !isExpectedStatus(step, result.status))
        failure = QStringLiteral("HTTP %1 is not an expected status").arg(result.status);
    else if (auto problem = saveVars(result)) {
        // The change was applied: its failure branch would act as if it had not been. The
        // engineer decides how to go on without the value.
        inconclusive(
            QStringLiteral("the action succeeded (%1) but %2").arg(describe(result), *problem), {});
        return;
    }

    if (failure.isEmpty()) {
        QJsonObject details{{QStringLiteral("label"), QStringLiteral("success")},
                            {QStringLiteral("next"), step.next.value}};
        // The response-time milestone "mitigated": a change to the fleet went through.
        if (step.type.value == StepType::Action && !m_dryRun)
            details.insert(QStringLiteral("fleet_changed"), true);
        record(EventKind::BranchTaken, QStringLiteral("Succeeded → %1").arg(step.next.value),
               details, QStringLiteral("runlane"));
        leaveTo(step.next.value);
        return;
    }
    if (step.type.value == StepType::Escalate) {
        // A failed notification must not stop the response: record it and go on.
        record(EventKind::BranchTaken,
               QStringLiteral("Notification failed (%1) → %2").arg(failure, step.next.value),
               {{QStringLiteral("label"), QStringLiteral("failed")},
                {QStringLiteral("next"), step.next.value}},
               QStringLiteral("runlane"));
        leaveTo(step.next.value);
        return;
    }
    if (step.onFailure.present) {
        record(EventKind::BranchTaken,
               QStringLiteral("Failed (%1) → %2").arg(failure, step.onFailure.value),
               {{QStringLiteral("label"), QStringLiteral("on failure")},
                {QStringLiteral("next"), step.onFailure.value},
                {QStringLiteral("failure"), failure}},
               QStringLiteral("runlane"));
        leaveTo(step.onFailure.value);
        return;
    }
    inconclusive(
        QStringLiteral("the action failed (%1) and the step has no 'on_failure'").arg(failure), {},
        true);
}

void Session::feedPoll(const WorkResult &result)
{
    const Step &step = *m_current;
    if (result.outcome != WorkResult::Outcome::Ok)
        return; // keep polling until the condition holds or the timeout runs out
    const auto parsed = expr::Expression::parse(step.until->condition.value);
    const auto *expression = std::get_if<expr::Expression>(&parsed);
    if (!expression)
        return;
    const auto holds = expression->test(resultScope(result));
    if (const auto *error = std::get_if<expr::Error>(&holds)) {
        // No on_error on a wait: say why in the timeline and keep polling until the timeout.
        record(EventKind::NoteAdded,
               QStringLiteral("Cannot evaluate '%1': %2")
                   .arg(step.until->condition.value, error->message),
               {{QStringLiteral("error"), error->message}}, QStringLiteral("runlane"));
        return;
    }
    if (const bool *b = std::get_if<bool>(&holds); b && *b) {
        record(EventKind::WaitEnded,
               QStringLiteral("Condition holds: %1").arg(step.until->condition.value),
               {{QStringLiteral("how"), QStringLiteral("condition")}});
        leaveTo(step.next.value);
    }
}

} // namespace runlane
