#include "engine/export/postmortem.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "engine/playbook/loader.h"
#include "engine/session/executor.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace runlane {

namespace {

const QString automated = QStringLiteral("runlane");

void loadSnapshot(Postmortem &pm)
{
    const IncidentRecord &incident = pm.incident;
    LoadResult loaded = loadPlaybookText(
        incident.playbookText.toUtf8(), QStringLiteral("snapshot of incident %1").arg(incident.id));
    pm.playbook = loaded.playbook;
    for (const Diagnostic &d : loaded.diagnostics) {
        if (d.severity == Diagnostic::Severity::Error) {
            pm.snapshotProblem = d.toString();
            break;
        }
    }
    if (!pm.playbook && pm.snapshotProblem.isEmpty())
        pm.snapshotProblem = QStringLiteral("the playbook snapshot cannot be read");
    pm.playbookTitle = pm.playbook ? pm.playbook->title.value : incident.title;
    if (pm.playbook) {
        for (const Lane &lane : pm.playbook->lanes)
            pm.lanes.append({lane.id.value, lane.title.value});
    }
}

std::optional<qint64> budgetOf(const Postmortem &pm, const QString &name)
{
    if (!pm.playbook)
        return std::nullopt;
    const Budget &b = pm.playbook->budget;
    const LDuration &d = name == u"acknowledge" ? b.acknowledge
                         : name == u"mitigate"  ? b.mitigate
                                                : b.resolve;
    return d.present ? std::optional(d.value.ms) : std::nullopt;
}

void computeMilestones(Postmortem &pm)
{
    const IncidentRecord &incident = pm.incident;
    const std::pair<QString, std::optional<qint64>> reached[] = {
        {QStringLiteral("acknowledge"), incident.acknowledgedAtMs},
        {QStringLiteral("mitigate"), incident.mitigatedAtMs},
        {QStringLiteral("resolve"), incident.resolvedAtMs},
    };
    for (const auto &[name, at] : reached) {
        MilestoneRow row;
        row.name = name;
        row.atMs = at;
        row.budgetMs = budgetOf(pm, name);
        if (at)
            row.elapsedMs = *at - incident.startedAtMs;
        // Not reached: the budget still runs until the end (or now, while the incident is open).
        const qint64 spent = at ? *row.elapsedMs : pm.asOfMs - incident.startedAtMs;
        if (row.budgetMs && spent > *row.budgetMs)
            row.status = QStringLiteral("overrun");
        else if (at)
            row.status = row.budgetMs ? QStringLiteral("met") : QStringLiteral("no-budget");
        else
            row.status = pm.endedAtMs ? QStringLiteral("not-reached") : QStringLiteral("pending");
        pm.milestones.append(row);
    }
}

QString attemptOutcome(const ActionAttempt &a, const Step *step)
{
    if (a.outcomeUnknown())
        return QStringLiteral("unknown");
    const bool expected =
        step ? isExpectedStatus(*step, a.status) : (a.status >= 200 && a.status < 300);
    return a.error.isEmpty() && a.status != 0 && expected ? QStringLiteral("succeeded")
                                                          : QStringLiteral("failed");
}

void computeActions(Postmortem &pm, const QList<ActionAttempt> &attempts)
{
    QHash<QString, qsizetype> rowOf; // "step\nvisit" → index in pm.actions
    for (const ActionAttempt &a : attempts) {
        const QString key = a.step + u'\n' + QString::number(a.visit);
        auto it = rowOf.find(key);
        if (it == rowOf.end()) {
            ActionRow row;
            row.stepId = a.step;
            row.stepTitle = pm.stepTitle(a.step);
            const Step *step = pm.playbook ? pm.playbook->step(a.step) : nullptr;
            row.lane = step ? pm.playbook->laneOf(*step) : QString();
            row.visit = a.visit;
            row.firstIntentMs = a.intentAtMs;
            it = rowOf.insert(key, pm.actions.size());
            pm.actions.append(row);
        }
        ActionRow &row = pm.actions[*it];
        const Step *step = pm.playbook ? pm.playbook->step(a.step) : nullptr;
        AttemptRow attempt{a, attemptOutcome(a, step)};
        row.firstIntentMs = std::min(row.firstIntentMs, a.intentAtMs);
        if (a.resultAtMs)
            row.lastResultMs = std::max(row.lastResultMs.value_or(*a.resultAtMs), *a.resultAtMs);
        (attempt.outcome == u"succeeded" ? row.succeeded
         : attempt.outcome == u"failed"  ? row.failed
                                         : row.unknown)++;
        row.attempts.append(attempt);
    }
    for (ActionRow &row : pm.actions) {
        std::stable_sort(row.attempts.begin(), row.attempts.end(),
                         [](const AttemptRow &a, const AttemptRow &b) {
                             return a.attempt.endpoint < b.attempt.endpoint;
                         });
        qsizetype problems = 0;
        for (qsizetype i = 0; i < row.attempts.size(); ++i) {
            const bool problem = row.attempts.at(i).outcome != u"succeeded";
            if (i < shownEndpoints || (problem && problems < listedProblems))
                row.shown.append(row.attempts.at(i));
            problems += problem ? 1 : 0;
        }
    }
}

// Bars, markers, decisions, notes and the path, in one pass over the events by time.
void walkTimeline(Postmortem &pm)
{
    qsizetype lastAction = -1;
    for (const TimelineRow &row : std::as_const(pm.timeline)) {
        switch (row.kind) {
        case EventKind::StepEntered:
            if (!pm.bars.isEmpty())
                pm.bars.last().endMs = row.utcMs;
            pm.bars.append({row.lane, row.stepId, row.stepTitle,
                            row.details.value(QStringLiteral("type")).toString(),
                            row.details.value(QStringLiteral("visit")).toInt(1), row.utcMs,
                            row.utcMs, false, false});
            break;
        case EventKind::WorkRequested:
            if (row.details.value(QStringLiteral("kind")).toString() == u"action") {
                lastAction = pm.markers.size();
                pm.markers.append({ChartMarker::Kind::Action, row.lane, row.utcMs, row.text});
            }
            break;
        case EventKind::BranchTaken: {
            const QString label = row.details.value(QStringLiteral("label")).toString();
            if (label == u"on failure" || label == u"failed" || label == u"error") {
                if (!pm.bars.isEmpty())
                    pm.bars.last().failed = true;
                if (lastAction >= 0 && pm.markers.at(lastAction).lane == row.lane)
                    pm.markers[lastAction].kind = ChartMarker::Kind::ActionFailed;
            }
            break;
        }
        case EventKind::ActionSkipped:
            if (!pm.bars.isEmpty())
                pm.bars.last().skipped = true;
            break;
        default:
            break;
        }
        const auto decision = [&](const QString &kind, const QString &choice, const QString &next) {
            pm.decisions.append(
                {row.utcMs, row.stepId, row.stepTitle, row.lane, row.actor, kind, choice, next});
            pm.markers.append({ChartMarker::Kind::Decision, row.lane, row.utcMs,
                               QStringLiteral("%1: %2").arg(row.actor, choice)});
        };
        const QString next = row.details.value(QStringLiteral("next")).toString();
        switch (row.kind) {
        case EventKind::DecisionMade:
            decision(QStringLiteral("decision"),
                     row.details.value(QStringLiteral("label")).toString(), next);
            break;
        case EventKind::ChoiceMade:
            decision(QStringLiteral("choice"), QStringLiteral("go on to '%1'").arg(next), next);
            break;
        case EventKind::ActionConfirmed:
            pm.decisions.append({row.utcMs, row.stepId, row.stepTitle, row.lane, row.actor,
                                 QStringLiteral("confirmed"), row.text, QString()});
            break;
        case EventKind::ActionSkipped:
            decision(QStringLiteral("skipped"), QStringLiteral("skipped the action"), QString());
            break;
        case EventKind::WentBack: {
            const QString to = row.details.value(QStringLiteral("to")).toString();
            decision(QStringLiteral("went-back"), QStringLiteral("went back to '%1'").arg(to), to);
            break;
        }
        case EventKind::NoteAdded:
            pm.notes.append({row.utcMs, row.stepId, row.actor, row.text});
            break;
        default:
            break;
        }
    }
    if (!pm.bars.isEmpty() && pm.bars.last().endMs == pm.bars.last().startMs &&
        pm.bars.last().type != u"end")
        pm.bars.last().endMs = std::max(pm.bars.last().startMs, pm.asOfMs);
    for (const StepBar &bar : std::as_const(pm.bars)) {
        if (bar.failed)
            pm.failedSteps.insert(bar.stepId);
        if (bar.skipped)
            pm.skippedSteps.insert(bar.stepId);
    }
}

} // namespace

std::optional<qint64> ActionRow::durationMs() const
{
    if (!lastResultMs)
        return std::nullopt;
    return *lastResultMs - firstIntentMs;
}

QString Postmortem::statusText() const
{
    if (!incident.ended())
        return QStringLiteral("active, not ended");
    return incident.outcome.isEmpty() ? QStringLiteral("ended") : incident.outcome;
}

QString Postmortem::laneTitle(const QString &laneId) const
{
    for (const PostmortemLane &lane : lanes) {
        if (lane.id == laneId)
            return lane.title.isEmpty() ? lane.id : lane.title;
    }
    return laneId;
}

QString Postmortem::stepTitle(const QString &stepId) const
{
    if (playbook) {
        if (const Step *step = playbook->step(stepId))
            return step->title.value;
    }
    for (const TimelineRow &row : timeline) {
        if (row.stepId == stepId && row.kind == EventKind::StepEntered)
            return row.text;
    }
    return stepId;
}

Postmortem buildPostmortem(const IncidentJournal &journal, qint64 nowUtcMs)
{
    Postmortem pm;
    pm.incident = journal.incident;
    loadSnapshot(pm);

    QHash<QString, QString> titles; // step → its title as the journal recorded it
    qint64 lastEventMs = pm.incident.startedAtMs;
    for (const Event &e : journal.events) {
        if (e.kind == EventKind::StepEntered) {
            titles.insert(e.stepId, e.text);
            pm.path.append(e.stepId);
        }
        if (e.kind == EventKind::IncidentEnded)
            pm.endedAtMs = e.utcMs;
        if (!e.actor.isEmpty() && e.actor != automated && !pm.responders.contains(e.actor))
            pm.responders.append(e.actor);
        if (!e.lane.isEmpty() &&
            std::none_of(pm.lanes.cbegin(), pm.lanes.cend(),
                         [&e](const PostmortemLane &l) { return l.id == e.lane; }))
            pm.lanes.append({e.lane, e.lane});
        lastEventMs = std::max(lastEventMs, e.utcMs);
        const Step *step = pm.playbook ? pm.playbook->step(e.stepId) : nullptr;
        pm.timeline.append({e.utcMs, e.lane, e.stepId,
                            step ? step->title.value : titles.value(e.stepId, e.stepId), e.kind,
                            e.actor, e.text, e.details});
    }
    if (!pm.endedAtMs && pm.incident.ended())
        pm.endedAtMs = lastEventMs;
    pm.asOfMs = pm.endedAtMs ? *pm.endedAtMs : std::max(nowUtcMs, lastEventMs);
    // Sorted by time; events of the same millisecond keep the order they were written in.
    std::stable_sort(pm.timeline.begin(), pm.timeline.end(),
                     [](const TimelineRow &a, const TimelineRow &b) { return a.utcMs < b.utcMs; });

    computeMilestones(pm);
    computeActions(pm, journal.attempts);
    walkTimeline(pm);
    return pm;
}

QString formatUtc(qint64 utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString isoUtc(qint64 utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString inputValueText(const QJsonValue &value)
{
    constexpr qsizetype shownItems = 5;
    const auto json = [](const QJsonValue &v) {
        return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    };
    if (value.isString())
        return value.toString();
    if (value.isArray() && value.toArray().size() > shownItems + 1) {
        const QJsonArray items = value.toArray();
        QStringList shown;
        for (qsizetype i = 0; i < shownItems; ++i)
            shown.append(json(items.at(i)));
        return QStringLiteral("[%1, … (%2 items)]")
            .arg(shown.join(QStringLiteral(", ")))
            .arg(items.size());
    }
    return json(value);
}

QString formatElapsed(qint64 ms)
{
    const QString sign = ms < 0 ? QStringLiteral("-") : QString();
    ms = std::abs(ms);
    if (ms < 1000)
        return sign + QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return sign + QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return sign + QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
    return sign +
           QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar(u'0'));
}

QString milestoneTitle(const QString &name)
{
    return QStringLiteral("Time to %1").arg(name);
}

QString eventTitle(EventKind kind)
{
    return toString(kind).replace(u'-', u' ');
}

} // namespace runlane
