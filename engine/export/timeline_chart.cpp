#include "engine/export/timeline_chart.h"

#include <QDateTime>
#include <QTextStream>

#include <algorithm>
#include <array>

namespace runlane {

namespace {

constexpr qreal width = 1000;
constexpr qreal labelWidth = 150;
constexpr qreal plotLeft = 160;
constexpr qreal plotRight = width - 24;
constexpr qreal topArea = 50; // one label line per milestone
constexpr qreal rowHeight = 58;
constexpr qreal axisHeight = 44;
constexpr qreal legendHeight = 30;
constexpr qreal charWidth = 6.2; // an average glyph of the 11 px sans-serif, for fitting labels

const QString textColor = QStringLiteral("#1f2933");
const QString mutedColor = QStringLiteral("#616e7c");
const QString barColor = QStringLiteral("#3d6fb4");
const QString failedColor = QStringLiteral("#c0392b");
const QString skippedColor = QStringLiteral("#9aa5b1");
const QString decisionColor = QStringLiteral("#7b3fa0");
const QString actionColor = QStringLiteral("#1f2933");
const QString milestoneColor = QStringLiteral("#2e7d32");

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString num(qreal v)
{
    return QString::number(v, 'f', 1);
}

// A tick interval that gives at most about eight ticks over `spanMs`.
qint64 tickStep(qint64 spanMs)
{
    static constexpr std::array<qint64, 17> steps{
        1'000,     2'000,     5'000,      10'000,     15'000,    30'000,
        60'000,    120'000,   300'000,    600'000,    900'000,   1'800'000,
        3'600'000, 7'200'000, 21'600'000, 43'200'000, 86'400'000};
    for (const qint64 step : steps) {
        if (spanMs / step <= 8)
            return step;
    }
    return steps.back() * (spanMs / (steps.back() * 8) + 1);
}

// `text` cut to fit `room` pixels, with an ellipsis; empty when not even a few letters fit.
QString fitted(const QString &text, qreal room)
{
    const qsizetype fits = qsizetype(room / charWidth);
    if (text.size() <= fits)
        return text;
    if (fits < 5)
        return QString();
    return text.left(fits - 1) + u'…';
}

struct Chart
{
    const Postmortem &pm;
    QTextStream &out;
    qint64 t0 = 0;
    qint64 t1 = 0;

    qreal x(qint64 ms) const
    {
        return plotLeft + qreal(ms - t0) / qreal(t1 - t0) * (plotRight - plotLeft);
    }
    qreal rowTop(const QString &lane) const
    {
        for (qsizetype i = 0; i < pm.lanes.size(); ++i) {
            if (pm.lanes.at(i).id == lane)
                return topArea + qreal(i) * rowHeight;
        }
        return topArea;
    }

    void text(qreal tx, qreal ty, const QString &s, const QString &color, int size = 11,
              const QString &extra = {})
    {
        out << "<text x=\"" << num(tx) << "\" y=\"" << num(ty) << "\" font-size=\"" << size
            << "\" fill=\"" << color << "\"" << extra << ">" << esc(s) << "</text>\n";
    }

    void rows()
    {
        for (qsizetype i = 0; i < pm.lanes.size(); ++i) {
            const qreal top = topArea + qreal(i) * rowHeight;
            out << "<rect x=\"0\" y=\"" << num(top) << "\" width=\"" << num(width) << "\" height=\""
                << num(rowHeight) << "\" fill=\""
                << (i % 2 ? QStringLiteral("#ffffff") : QStringLiteral("#f3f5f8")) << "\"/>\n";
            text(8, top + 26, fitted(pm.lanes.at(i).title, labelWidth - 12), textColor, 12,
                 QStringLiteral(" font-weight=\"bold\""));
            text(8, top + 42, fitted(pm.lanes.at(i).id, labelWidth - 12), mutedColor, 10);
        }
    }

    void axis(qreal bottom)
    {
        out << "<line x1=\"" << num(plotLeft) << "\" y1=\"" << num(bottom) << "\" x2=\""
            << num(plotRight) << "\" y2=\"" << num(bottom) << "\" stroke=\"" << mutedColor
            << "\" stroke-width=\"1\"/>\n";
        const qint64 step = tickStep(t1 - t0);
        const bool seconds = step < 60'000;
        for (qint64 t = (t0 / step + 1) * step; t <= t1; t += step) {
            const qreal tx = x(t);
            out << "<line x1=\"" << num(tx) << "\" y1=\"" << num(topArea) << "\" x2=\"" << num(tx)
                << "\" y2=\"" << num(bottom + 4) << "\" stroke=\"#d5dae1\" stroke-width=\"1\"/>\n";
            const QString label =
                QDateTime::fromMSecsSinceEpoch(t, Qt::UTC)
                    .toString(seconds ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
            text(tx, bottom + 17, label, mutedColor, 10, QStringLiteral(" text-anchor=\"middle\""));
        }
        text(8, bottom + 17,
             QStringLiteral("UTC, ") +
                 QDateTime::fromMSecsSinceEpoch(t0, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd")),
             mutedColor, 10);
        text(8, bottom + 33,
             QStringLiteral("start ") +
                 QDateTime::fromMSecsSinceEpoch(t0, Qt::UTC).toString(QStringLiteral("HH:mm:ss")),
             mutedColor, 10);
    }

    void bars()
    {
        for (const StepBar &b : pm.bars) {
            const qreal top = rowTop(b.lane) + 8;
            const qreal left = x(b.startMs);
            const qreal w = std::max<qreal>(3, x(b.endMs) - left);
            const QString color = b.failed ? failedColor : b.skipped ? skippedColor : barColor;
            // Failed and skipped bars also differ by outline, not by colour alone.
            const QString dash = b.failed    ? QStringLiteral(" stroke-dasharray=\"4 2\"")
                                 : b.skipped ? QStringLiteral(" stroke-dasharray=\"1 2\"")
                                             : QString();
            out << "<g><title>" << esc(b.title) << " (" << esc(b.stepId) << ", visit " << b.visit
                << "): " << esc(formatElapsed(b.endMs - b.startMs))
                << (b.failed    ? ", failed"
                    : b.skipped ? ", skipped"
                                : "")
                << "</title>\n";
            out << "<rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(w)
                << "\" height=\"22\" rx=\"3\" fill=\"" << color << "\" fill-opacity=\"0.85\""
                << " stroke=\"" << color << "\" stroke-width=\"1.5\"" << dash << "/>\n";
            QString label = (b.failed ? QStringLiteral("✕ ") : QString()) + b.title;
            const QString inside = fitted(label, w - 8);
            if (!inside.isEmpty())
                text(left + 4, top + 15, inside, QStringLiteral("#ffffff"), 11);
            out << "</g>\n";
        }
    }

    void markers()
    {
        for (const ChartMarker &m : pm.markers) {
            const qreal cx = x(m.utcMs);
            const qreal cy = rowTop(m.lane) + 44;
            out << "<g><title>" << esc(m.label) << " at " << esc(formatUtc(m.utcMs))
                << " UTC</title>";
            if (m.kind == ChartMarker::Kind::Decision) {
                out << "<polygon points=\"" << num(cx) << "," << num(cy - 6) << " " << num(cx + 6)
                    << "," << num(cy) << " " << num(cx) << "," << num(cy + 6) << " " << num(cx - 6)
                    << "," << num(cy) << "\" fill=\"" << decisionColor << "\"/>";
            } else {
                const bool failed = m.kind == ChartMarker::Kind::ActionFailed;
                const QString color = failed ? failedColor : actionColor;
                out << "<polygon points=\"" << num(cx - 6) << "," << num(cy - 5) << " "
                    << num(cx + 6) << "," << num(cy - 5) << " " << num(cx) << "," << num(cy + 6)
                    << "\" fill=\"" << (failed ? QStringLiteral("#ffffff") : color)
                    << "\" stroke=\"" << color << "\" stroke-width=\"1.5\"/>";
            }
            out << "</g>\n";
        }
    }

    void milestones(qreal bottom)
    {
        int line = 0;
        for (const MilestoneRow &m : pm.milestones) {
            ++line;
            if (!m.atMs)
                continue;
            const qreal mx = x(*m.atMs);
            const qreal labelY = 14.0 * line;
            out << "<line x1=\"" << num(mx) << "\" y1=\"" << num(labelY + 3) << "\" x2=\""
                << num(mx) << "\" y2=\"" << num(bottom) << "\" stroke=\"" << milestoneColor
                << "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n";
            const QString label =
                QStringLiteral("%1 +%2%3")
                    .arg(m.name == u"acknowledge" ? QStringLiteral("acknowledged")
                         : m.name == u"mitigate"  ? QStringLiteral("mitigated")
                                                  : QStringLiteral("resolved"),
                         formatElapsed(*m.elapsedMs),
                         m.overrun() ? QStringLiteral(" (over budget)") : QString());
            // Near the right edge the label goes to the left of its line.
            const bool right = mx + label.size() * charWidth < width;
            text(right ? mx + 4 : mx - 4, labelY, label, m.overrun() ? failedColor : milestoneColor,
                 11, right ? QString() : QStringLiteral(" text-anchor=\"end\""));
        }
    }

    void legend(qreal top)
    {
        qreal lx = plotLeft;
        const auto item = [&](const QString &shape, const QString &label) {
            out << shape;
            text(lx + 16, top + 14, label, textColor, 11);
            lx += 28 + label.size() * charWidth;
        };
        const QString y = num(top + 4);
        item(QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"12\" height=\"12\" fill=\"%3\"/>")
                 .arg(num(lx), y, barColor),
             QStringLiteral("step"));
        item(QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"12\" height=\"12\" fill=\"%3\" "
                            "stroke=\"%3\" stroke-dasharray=\"4 2\"/>")
                 .arg(num(lx), y, failedColor),
             QStringLiteral("step failed"));
        item(QStringLiteral("<polygon points=\"%1,%2 %3,%2 %4,%5\" fill=\"%6\"/>")
                 .arg(num(lx), y, num(lx + 12), num(lx + 6), num(top + 15), actionColor),
             QStringLiteral("action request"));
        item(QStringLiteral("<polygon points=\"%1,%2 %3,%2 %4,%5\" fill=\"#ffffff\" stroke=\"%6\" "
                            "stroke-width=\"1.5\"/>")
                 .arg(num(lx), y, num(lx + 12), num(lx + 6), num(top + 15), failedColor),
             QStringLiteral("action failed"));
        item(QStringLiteral("<polygon points=\"%1,%2 %3,%4 %1,%5 %6,%4\" fill=\"%7\"/>")
                 .arg(num(lx + 6), y, num(lx + 12), num(top + 10), num(top + 16), num(lx),
                      decisionColor),
             QStringLiteral("decision"));
        item(QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" "
                            "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>")
                 .arg(num(lx + 6), y, num(top + 16), milestoneColor),
             QStringLiteral("milestone"));
    }
};

} // namespace

QString timelineChartSvg(const Postmortem &pm)
{
    QString svg;
    QTextStream out(&svg);
    Chart chart{pm, out};
    chart.t0 = pm.incident.startedAtMs;
    chart.t1 = std::max(pm.asOfMs, chart.t0 + 1000);
    for (const TimelineRow &row : pm.timeline)
        chart.t1 = std::max(chart.t1, row.utcMs);
    const qreal bottom = topArea + qreal(std::max<qsizetype>(1, pm.lanes.size())) * rowHeight;
    const qreal height = bottom + axisHeight + legendHeight;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width) << " "
        << num(height) << "\" width=\"" << num(width) << "\" height=\"" << num(height)
        << "\" font-family=\"sans-serif\" role=\"img\">\n";
    out << "<title>Timeline by lane of incident " << esc(pm.incident.id) << " (UTC)</title>\n";
    out << "<rect x=\"0\" y=\"0\" width=\"" << num(width) << "\" height=\"" << num(height)
        << "\" fill=\"#ffffff\"/>\n";
    chart.rows();
    chart.axis(bottom);
    chart.bars();
    chart.markers();
    chart.milestones(bottom);
    chart.legend(bottom + axisHeight - 6);
    out << "</svg>\n";
    out.flush();
    return svg;
}

} // namespace runlane
