#include "engine/export/postmortem_html.h"

#include "engine/export/postmortem_export.h"
#include "engine/export/timeline_chart.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace runlane {

namespace {

// Light, print-friendly, no external font or resource: system fonts only.
const char *browserStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1f2933;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
    "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 40px 48px; }
header { border-bottom: 3px solid #1f2933; padding-bottom: 14px; margin-bottom: 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: #616e7c;
  margin: 0 0 4px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d5dae1; }
h3 { font-size: 15px; margin: 22px 0 6px; }
.sub { margin: 0; color: #3e4c59; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 13px;
  font-weight: 600; border: 1px solid currentColor; }
.badge.active { color: #b45309; background: #fff7e6; }
.badge.ended { color: #2e7d32; background: #edf7ee; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 6px 9px; border-bottom: 1px solid #e4e7eb;
  overflow-wrap: anywhere; }
th { background: #f3f5f8; font-weight: 600; color: #3e4c59; border-bottom: 2px solid #cbd2d9; }
table.kv th { width: 180px; background: none; border-bottom: 1px solid #e4e7eb; }
td.time, td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 12.5px; word-break: break-all; }
.overrun { color: #b91c1c; font-weight: 700; }
.met { color: #2e7d32; font-weight: 600; }
.failed { color: #b91c1c; font-weight: 600; }
.unknown { color: #b45309; font-weight: 600; }
.muted { color: #616e7c; }
figure { margin: 8px 0 0; padding: 12px; border: 1px solid #e4e7eb; border-radius: 6px;
  background: #ffffff; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 13px; color: #616e7c; margin-top: 8px; }
.path { font-size: 14px; }
footer { margin-top: 40px; font-size: 12px; color: #616e7c; border-top: 1px solid #e4e7eb;
  padding-top: 8px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
)css";

// QTextDocument's subset of CSS.
const char *printStyle = R"css(
body { color: #1f2933; }
h1 { font-size: 20pt; }
h2 { font-size: 13pt; margin-top: 16px; }
h3 { font-size: 11pt; }
th { background-color: #eef1f5; font-weight: bold; text-align: left; }
.overrun { color: #b91c1c; font-weight: bold; }
.met { color: #2e7d32; font-weight: bold; }
.failed { color: #b91c1c; font-weight: bold; }
.unknown { color: #b45309; font-weight: bold; }
.muted { color: #616e7c; }
.eyebrow { color: #616e7c; }
.time, .num { white-space: nowrap; }
)css";

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString orDash(const QString &text)
{
    return text.trimmed().isEmpty() ? QStringLiteral("–") : esc(text);
}

struct Html
{
    const Postmortem &pm;
    const PostmortemHtmlFlavour &flavour;
    QTextStream &out;

    void tableOpen(const QStringList &headers, const QString &cls = {})
    {
        if (flavour.print)
            out << "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
                   "style=\"border-collapse: collapse; border-color: #cbd2d9\">";
        else
            out << "<table"
                << (cls.isEmpty() ? QString() : QStringLiteral(" class=\"%1\"").arg(cls)) << ">";
        if (headers.isEmpty())
            return;
        out << "<thead><tr>";
        for (const QString &h : headers)
            out << "<th>" << h << "</th>";
        out << "</tr></thead>\n<tbody>\n";
    }

    void tableClose(bool body = true) { out << (body ? "</tbody>" : "") << "</table>\n"; }

    void kv(const QString &key, const QString &valueHtml)
    {
        out << "<tr><th>" << key << "</th><td>" << valueHtml << "</td></tr>\n";
    }

    QString inputsHtml() const
    {
        const QJsonObject &inputs = pm.incident.inputs;
        if (inputs.isEmpty())
            return QStringLiteral("–");
        QStringList parts;
        for (auto it = inputs.begin(); it != inputs.end(); ++it) {
            const QString value = inputValueText(it.value());
            parts.append(QStringLiteral("<code>%1</code> = %2").arg(esc(it.key()), esc(value)));
        }
        return parts.join(QStringLiteral("<br>"));
    }

    void header()
    {
        const IncidentRecord &i = pm.incident;
        out << "<header>\n<p class=\"eyebrow\">Incident postmortem" << (i.drill ? " · drill" : "")
            << (i.dryRun ? " · <strong class=\"overrun\">dry run: nothing was sent</strong>" : "")
            << "</p>\n<h1>" << orDash(i.title) << "</h1>\n<p class=\"sub\">"
            << esc(pm.playbookTitle) << " · " << orDash(i.severity) << " · <span class=\"badge "
            << (i.ended() ? "ended" : "active") << "\">" << esc(pm.statusText())
            << "</span></p>\n</header>\n";
    }

    void summary()
    {
        const IncidentRecord &i = pm.incident;
        out << "<section>\n<h2>Summary</h2>\n";
        tableOpen({}, QStringLiteral("kv"));
        kv(QStringLiteral("Incident"), QStringLiteral("<code>%1</code>").arg(esc(i.id)));
        kv(QStringLiteral("Playbook"),
           QStringLiteral("%1 (<code>%2</code>)").arg(esc(pm.playbookTitle), esc(i.playbookId)));
        kv(QStringLiteral("Severity"), orDash(i.severity));
        kv(QStringLiteral("Status"), esc(pm.statusText()));
        kv(QStringLiteral("Started"), esc(formatUtc(i.startedAtMs)) + QStringLiteral(" UTC"));
        kv(QStringLiteral("Ended"), pm.endedAtMs
                                        ? esc(formatUtc(*pm.endedAtMs)) + QStringLiteral(" UTC")
                                        : QStringLiteral("not ended"));
        kv(QStringLiteral("Duration"), esc(formatElapsed(pm.asOfMs - i.startedAtMs)) +
                                           (pm.endedAtMs ? QString() : QStringLiteral(" so far")));
        kv(QStringLiteral("Inputs"), inputsHtml());
        kv(QStringLiteral("Started by"), orDash(i.startedBy));
        kv(QStringLiteral("Responders"), orDash(pm.responders.join(QStringLiteral(", "))));
        kv(QStringLiteral("Playbook snapshot"),
           QStringLiteral("SHA-256 <code>%1</code>").arg(esc(i.playbookSha256)));
        tableClose(false);
        if (!pm.snapshotProblem.isEmpty())
            out << "<p class=\"failed\">The playbook snapshot cannot be read: "
                << esc(pm.snapshotProblem) << "</p>\n";
        out << "</section>\n";
    }

    void responseTimes()
    {
        out << "<section>\n<h2>Response times</h2>\n";
        tableOpen({QStringLiteral("Milestone"), QStringLiteral("Reached (UTC)"),
                   QStringLiteral("Elapsed"), QStringLiteral("Budget"), QStringLiteral("Result")});
        for (const MilestoneRow &m : pm.milestones) {
            const QString result =
                m.overrun()          ? QStringLiteral("<span class=\"overrun\">OVERRUN</span>")
                : m.status == u"met" ? QStringLiteral("<span class=\"met\">met</span>")
                                     : QStringLiteral("<span class=\"muted\">%1</span>")
                                           .arg(QString(m.status).replace(u'-', u' '));
            out << "<tr><td>" << milestoneTitle(m.name) << "</td><td class=\"time\">"
                << (m.atMs ? esc(formatUtc(*m.atMs)) : QStringLiteral("not reached"))
                << "</td><td class=\"num\">"
                << (m.elapsedMs ? formatElapsed(*m.elapsedMs) : QStringLiteral("–"))
                << "</td><td class=\"num\">"
                << (m.budgetMs ? formatElapsed(*m.budgetMs) : QStringLiteral("none")) << "</td><td>"
                << result << "</td></tr>\n";
        }
        tableClose();
        out << "</section>\n";
    }

    void figure(const QString &inlineSvg, const QString &printImage, const QString &caption)
    {
        if (flavour.print) {
            const int w = printImage == printDiagramName ? flavour.diagramPrintWidth
                                                         : flavour.timelinePrintWidth;
            out << "<p><img src=\"" << printImage << "\" width=\"" << w
                << "\"></p><p class=\"muted\">" << caption << "</p>\n";
            return;
        }
        out << "<figure>\n"
            << inlineSvg << "\n<figcaption>" << caption << "</figcaption>\n</figure>\n";
    }

    void diagram()
    {
        // In print, the diagram starts a page with its heading rather than leave it alone below.
        out << "<section>\n<h2" << (flavour.print ? " style=\"page-break-before: always\"" : "")
            << ">Walked path</h2>\n";
        if (flavour.hasDiagram) {
            // The SVG writer's XML prolog has no place inside HTML.
            const qsizetype svgStart = flavour.diagramSvg.indexOf(u"<svg");
            figure(svgStart < 0 ? QString() : flavour.diagramSvg.mid(svgStart), printDiagramName,
                   QStringLiteral("The playbook as walked: visited steps have a heavier outline "
                                  "and their visit numbers, walked edges a heavier line."));
        } else {
            out << "<p class=\"muted\">No diagram: " << esc(flavour.diagramProblem) << "</p>\n";
        }
        QStringList steps;
        for (const QString &id : pm.path)
            steps.append(esc(pm.stepTitle(id)));
        out << "<p class=\"path\">"
            << (steps.isEmpty() ? QStringLiteral("No step was entered.")
                                : steps.join(QStringLiteral(" → ")))
            << "</p>\n</section>\n";
    }

    void chart()
    {
        out << "<section>\n<h2>Timeline by lane</h2>\n";
        figure(timelineChartSvg(pm), printTimelineName,
               QStringLiteral("Time across (UTC), one row per lane: each step visit a bar, action "
                              "requests ▼ and decisions ◆ below it, milestones as dashed lines."));
        out << "</section>\n";
    }

    void timeline()
    {
        out << "<section>\n<h2>Timeline</h2>\n<p class=\"muted\">All times are UTC, sorted by "
               "time; +elapsed from the start.</p>\n";
        tableOpen({QStringLiteral("Time (UTC)"), QStringLiteral("+"), QStringLiteral("Lane"),
                   QStringLiteral("Step"), QStringLiteral("Event"), QStringLiteral("Who"),
                   QStringLiteral("What")});
        for (const TimelineRow &r : pm.timeline) {
            out << "<tr><td class=\"time\">" << esc(formatUtc(r.utcMs)) << "</td><td class=\"num\">"
                << esc(formatElapsed(r.utcMs - pm.incident.startedAtMs)) << "</td><td>"
                << orDash(pm.laneTitle(r.lane)) << "</td><td>" << orDash(r.stepTitle) << "</td><td>"
                << esc(eventTitle(r.kind)) << "</td><td>" << orDash(r.actor) << "</td><td>"
                << orDash(r.text) << "</td></tr>\n";
        }
        tableClose();
        out << "</section>\n";
    }

    void decisions()
    {
        out << "<section>\n<h2>Decisions</h2>\n";
        if (pm.decisions.isEmpty()) {
            out << "<p class=\"muted\">No decision was made.</p>\n</section>\n";
            return;
        }
        tableOpen({QStringLiteral("Time (UTC)"), QStringLiteral("Step"), QStringLiteral("Who"),
                   QStringLiteral("Kind"), QStringLiteral("Choice"), QStringLiteral("Led to")});
        for (const DecisionRow &d : pm.decisions) {
            out << "<tr><td class=\"time\">" << esc(formatUtc(d.utcMs)) << "</td><td>"
                << orDash(d.stepTitle) << "</td><td>" << orDash(d.actor) << "</td><td>"
                << esc(QString(d.kind).replace(u'-', u' ')) << "</td><td>" << orDash(d.choice)
                << "</td><td>"
                << (d.next.isEmpty() ? QStringLiteral("–") : esc(pm.stepTitle(d.next)))
                << "</td></tr>\n";
        }
        tableClose();
        out << "</section>\n";
    }

    void attempt(const AttemptRow &row)
    {
        const ActionAttempt &a = row.attempt;
        QString result = row.outcome == u"unknown"
                             ? QStringLiteral("<span class=\"unknown\">outcome unknown</span>")
                         : row.outcome == u"failed"
                             ? QStringLiteral("<span class=\"failed\">failed</span>")
                             : QStringLiteral("succeeded");
        const QString status = QStringLiteral("HTTP %1").arg(a.status);
        if (a.status != 0 && !a.error.contains(status))
            result += u", "_s + status;
        if (!a.error.isEmpty())
            result += QStringLiteral(", ") + esc(a.error);
        out << "<tr><td class=\"num\">" << a.endpoint << "</td><td><code>" << esc(a.requestLine)
            << "</code></td><td>" << result << "</td><td class=\"num\">"
            << (a.resultAtMs ? QString::number(a.attempts) : QStringLiteral("–"))
            << "</td><td class=\"num\">"
            << (a.resultAtMs ? formatElapsed(*a.resultAtMs - a.intentAtMs) : QStringLiteral("–"))
            << "</td></tr>\n";
    }

    void actions()
    {
        out << "<section>\n<h2>Actions</h2>\n";
        if (pm.actions.isEmpty())
            out << "<p class=\"muted\">No request was sent.</p>\n";
        for (const ActionRow &a : pm.actions) {
            out << "<h3>" << esc(a.stepTitle) << " <span class=\"muted\">(<code>" << esc(a.stepId)
                << "</code>, visit " << a.visit << ")</span></h3>\n<p>" << a.endpoints()
                << (a.endpoints() == 1 ? " request" : " endpoints") << ": " << a.succeeded
                << " succeeded, "
                << (a.failed
                        ? QStringLiteral("<span class=\"failed\">%1 failed</span>").arg(a.failed)
                        : QStringLiteral("0 failed"))
                << ", "
                << (a.unknown ? QStringLiteral("<span class=\"unknown\">%1 outcome unknown</span>")
                                    .arg(a.unknown)
                              : QStringLiteral("0 outcome unknown"))
                << "; started " << esc(formatUtc(a.firstIntentMs)) << " UTC, took "
                << (a.durationMs() ? formatElapsed(*a.durationMs()) : QStringLiteral("–"))
                << ".</p>\n";
            tableOpen({QStringLiteral("Endpoint"), QStringLiteral("Request"),
                       QStringLiteral("Result"), QStringLiteral("Attempts"),
                       QStringLiteral("Duration")});
            for (const AttemptRow &row : a.shown)
                attempt(row);
            tableClose();
            if (a.shown.size() < a.attempts.size())
                out << "<p class=\"muted\">" << a.attempts.size() - a.shown.size()
                    << " more endpoints not listed (the JSON export lists every one).</p>\n";
        }
        out << "</section>\n";
    }

    void notes()
    {
        out << "<section>\n<h2>Notes</h2>\n";
        if (pm.notes.isEmpty()) {
            out << "<p class=\"muted\">No notes.</p>\n</section>\n";
            return;
        }
        tableOpen({QStringLiteral("Time (UTC)"), QStringLiteral("Who"), QStringLiteral("Step"),
                   QStringLiteral("Note")});
        for (const NoteRow &n : pm.notes) {
            out << "<tr><td class=\"time\">" << esc(formatUtc(n.utcMs)) << "</td><td>"
                << orDash(n.actor) << "</td><td>"
                << (n.stepId.isEmpty() ? QStringLiteral("–") : esc(pm.stepTitle(n.stepId)))
                << "</td><td>" << orDash(n.text) << "</td></tr>\n";
        }
        tableClose();
        out << "</section>\n";
    }
};

} // namespace

QString postmortemHtmlDocument(const Postmortem &pm, const PostmortemHtmlFlavour &flavour)
{
    QString text;
    QTextStream out(&text);
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>Postmortem: "
        << esc(pm.incident.title) << "</title>\n<style>"
        << (flavour.print ? printStyle : browserStyle) << "</style>\n</head>\n<body>\n<main>\n";
    Html html{pm, flavour, out};
    html.header();
    html.summary();
    html.responseTimes();
    html.diagram();
    html.chart();
    html.timeline();
    html.decisions();
    html.actions();
    html.notes();
    out << "<footer>Postmortem of incident <code>" << esc(pm.incident.id)
        << "</code>, written by Runlane from its journal"
        << (pm.endedAtMs ? QString()
                         : QStringLiteral(" while still active (as of %1 UTC)")
                               .arg(esc(formatUtc(pm.asOfMs))))
        << ".</footer>\n</main>\n</body>\n</html>\n";
    out.flush();
    return text;
}

QString postmortemHtml(const Postmortem &pm, const QByteArray &diagramSvg,
                       const QString &diagramProblem)
{
    PostmortemHtmlFlavour flavour;
    flavour.diagramSvg = QString::fromUtf8(diagramSvg);
    flavour.hasDiagram = !diagramSvg.isEmpty();
    flavour.diagramProblem = diagramProblem;
    return postmortemHtmlDocument(pm, flavour);
}

} // namespace runlane
