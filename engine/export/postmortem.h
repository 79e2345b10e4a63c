#pragma once

#include "engine/journal/journal_records.h"
#include "engine/playbook/playbook.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace runlane {

// What a postmortem shows, computed once from the journal of one incident and the playbook
// snapshot it was walked with: every export (Markdown, HTML, JSON, PDF) only formats this.
// Times are UTC milliseconds since the epoch.

struct PostmortemLane
{
    QString id;
    QString title;
};

struct TimelineRow
{
    qint64 utcMs = 0;
    QString lane;
    QString stepId;
    QString stepTitle;
    EventKind kind = EventKind::NoteAdded;
    QString actor;
    QString text;
    QJsonObject details;
};

// One response-time milestone against the playbook's budget.
struct MilestoneRow
{
    QString name;                    // acknowledge, mitigate, resolve
    std::optional<qint64> atMs;      // when it was reached
    std::optional<qint64> elapsedMs; // from the start to atMs
    std::optional<qint64> budgetMs;  // the playbook's budget, when it sets one
    QString status;                  // met, overrun, pending, not-reached, no-budget
    bool overrun() const { return status == u"overrun"; }
};

// A person's choice: a decision, a way on after an inconclusive result, an action gate.
struct DecisionRow
{
    qint64 utcMs = 0;
    QString stepId;
    QString stepTitle;
    QString lane;
    QString actor;
    QString kind;   // decision, choice, confirmed, skipped, went-back
    QString choice; // the option label, or what was done
    QString next;   // the step it led to
};

struct NoteRow
{
    qint64 utcMs = 0;
    QString stepId;
    QString actor;
    QString text;
};

struct AttemptRow
{
    ActionAttempt attempt;
    QString outcome; // succeeded, failed, unknown (an intent without a result)
};

// The requests of one visit of an action step: one, or a fan-out's many endpoints.
struct ActionRow
{
    QString stepId;
    QString stepTitle;
    QString lane;
    int visit = 1;
    qsizetype succeeded = 0;
    qsizetype failed = 0;
    qsizetype unknown = 0;
    qint64 firstIntentMs = 0;
    std::optional<qint64> lastResultMs;
    QList<AttemptRow> attempts; // every endpoint, by endpoint index
    QList<AttemptRow> shown;    // the first few and every failure or unknown outcome
    qsizetype endpoints() const { return attempts.size(); }
    std::optional<qint64> durationMs() const;
};

// One visit of a step: a bar on its lane's row of the timeline chart.
struct StepBar
{
    QString lane;
    QString stepId;
    QString title;
    QString type;
    int visit = 1;
    qint64 startMs = 0;
    qint64 endMs = 0;
    bool failed = false;
    bool skipped = false;
};

// A point on a lane's row: an action's request or a person's decision.
struct ChartMarker
{
    enum class Kind { Action, ActionFailed, Decision };
    Kind kind = Kind::Decision;
    QString lane;
    qint64 utcMs = 0;
    QString label;
};

struct Postmortem
{
    IncidentRecord incident;
    PlaybookPtr playbook; // the snapshot, loaded; null when it cannot be read
    QString playbookTitle;
    QString snapshotProblem; // why the snapshot could not be read, if so
    QList<PostmortemLane> lanes;
    QStringList responders; // the people who acted, in order of their first move
    std::optional<qint64> endedAtMs;
    qint64 asOfMs = 0; // the end, or the export time of an incident still active
    QList<MilestoneRow> milestones;
    QList<TimelineRow> timeline; // by time
    QList<DecisionRow> decisions;
    QList<ActionRow> actions;
    QList<NoteRow> notes;
    QList<StepBar> bars;
    QList<ChartMarker> markers;
    QStringList path; // steps entered, in order
    QSet<QString> failedSteps;
    QSet<QString> skippedSteps;

    // "resolved", or "active, not ended".
    QString statusText() const;
    QString laneTitle(const QString &laneId) const;
    QString stepTitle(const QString &stepId) const;
};

// `nowUtcMs` is the "as of" time of an incident still active (its budgets run until then).
Postmortem buildPostmortem(const IncidentJournal &journal, qint64 nowUtcMs);

// How many endpoints of a fan-out are listed one by one before only failures and unknowns are,
// and how many of those at most: a fan-out that failed on 10,000 nodes is not 10,000 rows (the
// JSON export lists every one).
constexpr qsizetype shownEndpoints = 3;
constexpr qsizetype listedProblems = 50;

// "2023-11-14 22:13:20.123" in UTC (the exports state the zone once, in their headers).
QString formatUtc(qint64 utcMs);
// "2023-11-14T22:13:20.123Z"
QString isoUtc(qint64 utcMs);
// "350 ms", "12.4 s", "4 min 05 s", "2 h 03 min".
QString formatElapsed(qint64 ms);
// An input's value as a reader reads it: text as it is, other values as JSON; a long list shows its
// first items and how many there are (a fan-out over 10,000 nodes is not a summary line).
QString inputValueText(const QJsonValue &value);
// "Time to acknowledge" etc.
QString milestoneTitle(const QString &name);
// A timeline row's kind as a reader reads it: "step entered", "decision", ...
QString eventTitle(EventKind kind);

} // namespace runlane
