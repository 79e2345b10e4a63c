#include "engine/export/postmortem_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace runlane {

namespace {

// docs/export-json.md: a change that breaks a reader raises this.
constexpr int schemaVersion = 1;

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue msOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(double(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonValue isoOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoUtc(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject incidentObject(const Postmortem &pm)
{
    const IncidentRecord &i = pm.incident;
    return {
        {QStringLiteral("id"), i.id},
        {QStringLiteral("title"), i.title},
        {QStringLiteral("playbook"), i.playbookId},
        {QStringLiteral("playbook_title"), pm.playbookTitle},
        {QStringLiteral("playbook_sha256"), i.playbookSha256},
        {QStringLiteral("severity"), orNull(i.severity)},
        {QStringLiteral("status"), i.status},
        {QStringLiteral("outcome"), orNull(i.outcome)},
        {QStringLiteral("drill"), i.drill},
        {QStringLiteral("dry_run"), i.dryRun},
        {QStringLiteral("started_by"), orNull(i.startedBy)},
        {QStringLiteral("started_at"), isoUtc(i.startedAtMs)},
        {QStringLiteral("started_at_ms"), double(i.startedAtMs)},
        {QStringLiteral("ended_at"), isoOrNull(pm.endedAtMs)},
        {QStringLiteral("ended_at_ms"), msOrNull(pm.endedAtMs)},
        {QStringLiteral("duration_ms"), double(pm.asOfMs - i.startedAtMs)},
        {QStringLiteral("inputs"), i.inputs},
        {QStringLiteral("responders"), QJsonArray::fromStringList(pm.responders)},
    };
}

QJsonArray responseTimes(const Postmortem &pm)
{
    QJsonArray out;
    for (const MilestoneRow &m : pm.milestones) {
        out.append(QJsonObject{
            {QStringLiteral("milestone"), m.name},
            {QStringLiteral("at"), isoOrNull(m.atMs)},
            {QStringLiteral("at_ms"), msOrNull(m.atMs)},
            {QStringLiteral("elapsed_ms"), msOrNull(m.elapsedMs)},
            {QStringLiteral("budget_ms"), msOrNull(m.budgetMs)},
            {QStringLiteral("status"), m.status},
            {QStringLiteral("overrun"), m.overrun()},
        });
    }
    return out;
}

QJsonArray timeline(const Postmortem &pm)
{
    QJsonArray out;
    for (const TimelineRow &r : pm.timeline) {
        out.append(QJsonObject{
            {QStringLiteral("at"), isoUtc(r.utcMs)},
            {QStringLiteral("at_ms"), double(r.utcMs)},
            {QStringLiteral("offset_ms"), double(r.utcMs - pm.incident.startedAtMs)},
            {QStringLiteral("lane"), orNull(r.lane)},
            {QStringLiteral("step"), orNull(r.stepId)},
            {QStringLiteral("kind"), toString(r.kind)},
            {QStringLiteral("actor"), r.actor},
            {QStringLiteral("text"), r.text},
            {QStringLiteral("details"), r.details},
        });
    }
    return out;
}

QJsonArray decisions(const Postmortem &pm)
{
    QJsonArray out;
    for (const DecisionRow &d : pm.decisions) {
        out.append(QJsonObject{
            {QStringLiteral("at"), isoUtc(d.utcMs)},
            {QStringLiteral("at_ms"), double(d.utcMs)},
            {QStringLiteral("step"), d.stepId},
            {QStringLiteral("kind"), d.kind},
            {QStringLiteral("actor"), d.actor},
            {QStringLiteral("choice"), d.choice},
            {QStringLiteral("next"), orNull(d.next)},
        });
    }
    return out;
}

QJsonObject attemptObject(const AttemptRow &row)
{
    const ActionAttempt &a = row.attempt;
    return {
        {QStringLiteral("endpoint"), double(a.endpoint)},
        {QStringLiteral("idempotency_key"), a.idempotencyKey},
        {QStringLiteral("request"), a.requestLine},
        {QStringLiteral("outcome"), row.outcome},
        {QStringLiteral("intent_at_ms"), double(a.intentAtMs)},
        {QStringLiteral("result_at_ms"), msOrNull(a.resultAtMs)},
        {QStringLiteral("duration_ms"),
         msOrNull(a.resultAtMs ? std::optional(*a.resultAtMs - a.intentAtMs) : std::nullopt)},
        {QStringLiteral("status"), a.status != 0 ? QJsonValue(a.status) : QJsonValue()},
        {QStringLiteral("attempts"), a.attempts},
        {QStringLiteral("error"), orNull(a.error)},
    };
}

QJsonArray actions(const Postmortem &pm)
{
    QJsonArray out;
    for (const ActionRow &a : pm.actions) {
        QJsonArray attempts;
        for (const AttemptRow &row : a.attempts)
            attempts.append(attemptObject(row));
        out.append(QJsonObject{
            {QStringLiteral("step"), a.stepId},
            {QStringLiteral("visit"), a.visit},
            {QStringLiteral("endpoints"), double(a.endpoints())},
            {QStringLiteral("succeeded"), double(a.succeeded)},
            {QStringLiteral("failed"), double(a.failed)},
            {QStringLiteral("unknown"), double(a.unknown)},
            {QStringLiteral("started_at_ms"), double(a.firstIntentMs)},
            {QStringLiteral("ended_at_ms"), msOrNull(a.lastResultMs)},
            {QStringLiteral("duration_ms"), msOrNull(a.durationMs())},
            {QStringLiteral("requests"), attempts},
        });
    }
    return out;
}

QJsonArray notes(const Postmortem &pm)
{
    QJsonArray out;
    for (const NoteRow &n : pm.notes) {
        out.append(QJsonObject{{QStringLiteral("at"), isoUtc(n.utcMs)},
                               {QStringLiteral("at_ms"), double(n.utcMs)},
                               {QStringLiteral("step"), orNull(n.stepId)},
                               {QStringLiteral("actor"), n.actor},
                               {QStringLiteral("text"), n.text}});
    }
    return out;
}

QJsonArray steps(const Postmortem &pm)
{
    QJsonArray out;
    for (const StepBar &b : pm.bars) {
        out.append(QJsonObject{{QStringLiteral("step"), b.stepId},
                               {QStringLiteral("title"), b.title},
                               {QStringLiteral("lane"), orNull(b.lane)},
                               {QStringLiteral("type"), b.type},
                               {QStringLiteral("visit"), b.visit},
                               {QStringLiteral("entered_at_ms"), double(b.startMs)},
                               {QStringLiteral("left_at_ms"), double(b.endMs)},
                               {QStringLiteral("failed"), b.failed},
                               {QStringLiteral("skipped"), b.skipped}});
    }
    return out;
}

} // namespace

QByteArray postmortemJson(const Postmortem &pm)
{
    QJsonArray lanes;
    for (const PostmortemLane &lane : pm.lanes)
        lanes.append(
            QJsonObject{{QStringLiteral("id"), lane.id}, {QStringLiteral("title"), lane.title}});
    const QJsonObject root{
        {QStringLiteral("schema_version"), schemaVersion},
        {QStringLiteral("incident"), incidentObject(pm)},
        {QStringLiteral("response_times"), responseTimes(pm)},
        {QStringLiteral("lanes"), lanes},
        {QStringLiteral("path"), QJsonArray::fromStringList(pm.path)},
        {QStringLiteral("steps"), steps(pm)},
        {QStringLiteral("timeline"), timeline(pm)},
        {QStringLiteral("decisions"), decisions(pm)},
        {QStringLiteral("actions"), actions(pm)},
        {QStringLiteral("notes"), notes(pm)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace runlane
