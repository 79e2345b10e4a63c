#include "engine/export/postmortem_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace runlane {

namespace {

// Text in a table cell: one line, no cell separator, no raw HTML (renderers pass it through).
// Text from people and playbooks as plain text in a table cell: no HTML, no links or images
// (a note with ![x](https://…) must not load anything), no emphasis, one line.
QString cell(QString text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : std::as_const(text)) {
        switch (c.unicode()) {
        case '&':
            out += QStringLiteral("&amp;");
            break;
        case '<':
            out += QStringLiteral("&lt;");
            break;
        case '>':
            out += QStringLiteral("&gt;");
            break;
        case '\\':
        case '|':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '(':
        case ')':
        case '!':
        case '#':
        case '~':
            out += u'\\';
            out += c;
            break;
        case '\r':
        case '\n':
            out += u' ';
            break;
        default:
            out += c;
        }
    }
    return out.trimmed().isEmpty() ? QStringLiteral("–") : out;
}

// An id or a hash in a code span: shown as it is (only the table's | needs escaping).
QString code(QString text)
{
    text.replace(u'`', u'\'').replace(u'|', QStringLiteral("\\|"));
    return u'`' + text + u'`';
}

QString inputsText(const QJsonObject &inputs)
{
    QStringList parts;
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
        const QString value = inputValueText(it.value());
        parts.append(QStringLiteral("%1 = %2").arg(it.key(), value));
    }
    return parts.join(QStringLiteral(", "));
}

void summary(QTextStream &out, const Postmortem &pm)
{
    const IncidentRecord &i = pm.incident;
    out << "| | |\n|---|---|\n";
    out << "| Incident | " << cell(i.id) << (i.drill ? " (drill)" : "")
        << (i.dryRun ? " (DRY RUN: nothing was sent)" : "") << " |\n";
    out << "| Playbook | " << cell(pm.playbookTitle) << " (" << code(i.playbookId) << ") |\n";
    out << "| Severity | " << cell(i.severity) << " |\n";
    out << "| Status | " << cell(pm.statusText()) << " |\n";
    out << "| Started | " << formatUtc(i.startedAtMs) << " UTC |\n";
    out << "| Ended | "
        << (pm.endedAtMs ? formatUtc(*pm.endedAtMs) + QStringLiteral(" UTC")
                         : QStringLiteral("not ended"))
        << " |\n";
    out << "| Duration | " << formatElapsed(pm.asOfMs - i.startedAtMs)
        << (pm.endedAtMs ? "" : " so far") << " |\n";
    out << "| Inputs | " << cell(inputsText(i.inputs)) << " |\n";
    out << "| Started by | " << cell(i.startedBy) << " |\n";
    out << "| Responders | " << cell(pm.responders.join(QStringLiteral(", "))) << " |\n";
    out << "| Playbook snapshot | SHA-256 " << code(i.playbookSha256) << " |\n\n";
    if (!pm.snapshotProblem.isEmpty())
        out << "> The playbook snapshot cannot be read: " << cell(pm.snapshotProblem) << "\n\n";
}

void responseTimes(QTextStream &out, const Postmortem &pm)
{
    out << "## Response times\n\n";
    out << "| Milestone | Reached (UTC) | Elapsed | Budget | Result |\n|---|---|---|---|---|\n";
    for (const MilestoneRow &m : pm.milestones) {
        out << "| " << milestoneTitle(m.name) << " | "
            << (m.atMs ? formatUtc(*m.atMs) : QStringLiteral("not reached")) << " | "
            << (m.elapsedMs ? formatElapsed(*m.elapsedMs) : QStringLiteral("–")) << " | "
            << (m.budgetMs ? formatElapsed(*m.budgetMs) : QStringLiteral("none")) << " | "
            << (m.overrun() ? QStringLiteral("**OVERRUN**") : m.status) << " |\n";
    }
    out << "\n";
}

void timeline(QTextStream &out, const Postmortem &pm)
{
    out << "## Timeline\n\nAll times are UTC, sorted by time.\n\n";
    out << "| Time (UTC) | Lane | Step | Event | Who | What |\n|---|---|---|---|---|---|\n";
    for (const TimelineRow &r : pm.timeline) {
        out << "| " << formatUtc(r.utcMs) << " | " << cell(pm.laneTitle(r.lane)) << " | "
            << cell(r.stepTitle) << " | " << eventTitle(r.kind) << " | " << cell(r.actor) << " | "
            << cell(r.text) << " |\n";
    }
    out << "\n";
}

void decisions(QTextStream &out, const Postmortem &pm)
{
    out << "## Decisions\n\n";
    if (pm.decisions.isEmpty()) {
        out << "No decision was made.\n\n";
        return;
    }
    out << "| Time (UTC) | Step | Who | Kind | Choice | Led to |\n|---|---|---|---|---|---|\n";
    for (const DecisionRow &d : pm.decisions) {
        out << "| " << formatUtc(d.utcMs) << " | " << cell(d.stepTitle) << " | " << cell(d.actor)
            << " | " << d.kind << " | " << cell(d.choice) << " | " << cell(d.next) << " |\n";
    }
    out << "\n";
}

QString attemptLine(const AttemptRow &a)
{
    const ActionAttempt &t = a.attempt;
    QString result = a.outcome == u"unknown" ? QStringLiteral("outcome unknown") : a.outcome;
    const QString status = QStringLiteral("HTTP %1").arg(t.status);
    if (t.status != 0 && !t.error.contains(status))
        result += QStringLiteral(", ") + status;
    if (!t.error.isEmpty())
        result += QStringLiteral(", ") + t.error;
    const QString duration =
        t.resultAtMs ? formatElapsed(*t.resultAtMs - t.intentAtMs) : QStringLiteral("–");
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
        .arg(t.endpoint)
        .arg(cell(t.requestLine), cell(result),
             t.resultAtMs ? QString::number(t.attempts) : QStringLiteral("–"), duration);
}

void actions(QTextStream &out, const Postmortem &pm)
{
    out << "## Actions\n\n";
    if (pm.actions.isEmpty()) {
        out << "No request was sent.\n\n";
        return;
    }
    for (const ActionRow &a : pm.actions) {
        out << "### " << cell(a.stepTitle) << " (" << code(a.stepId) << ", visit " << a.visit
            << ")\n\n";
        out << a.endpoints() << (a.endpoints() == 1 ? " request" : " endpoints") << ": "
            << a.succeeded << " succeeded, " << a.failed << " failed, " << a.unknown
            << " outcome unknown; started " << formatUtc(a.firstIntentMs) << " UTC, took "
            << (a.durationMs() ? formatElapsed(*a.durationMs()) : QStringLiteral("–")) << ".\n\n";
        out << "| Endpoint | Request | Result | Attempts | Duration |\n|---|---|---|---|---|\n";
        for (const AttemptRow &row : a.shown)
            out << attemptLine(row);
        if (a.shown.size() < a.attempts.size())
            out << "\n"
                << a.attempts.size() - a.shown.size()
                << " more endpoints not listed (the JSON export lists every one).\n";
        out << "\n";
    }
}

void notes(QTextStream &out, const Postmortem &pm)
{
    out << "## Notes\n\n";
    if (pm.notes.isEmpty()) {
        out << "No notes.\n";
        return;
    }
    for (const NoteRow &n : pm.notes) {
        out << "- " << formatUtc(n.utcMs) << " UTC, " << cell(n.actor)
            << (n.stepId.isEmpty() ? QString() : QStringLiteral(" at %1").arg(code(n.stepId)))
            << ": " << cell(n.text) << "\n";
    }
}

} // namespace

QString postmortemMarkdown(const Postmortem &pm)
{
    QString text;
    QTextStream out(&text);
    out << "# Postmortem: " << cell(pm.incident.title) << "\n\n";
    summary(out, pm);
    responseTimes(out, pm);
    out << "## Path walked\n\n";
    QStringList steps;
    for (const QString &id : pm.path)
        steps.append(cell(pm.stepTitle(id)));
    out << (steps.isEmpty() ? QStringLiteral("No step was entered.")
                            : steps.join(QStringLiteral(" → ")))
        << "\n\n";
    timeline(out, pm);
    decisions(out, pm);
    actions(out, pm);
    notes(out, pm);
    out.flush();
    return text;
}

} // namespace runlane
