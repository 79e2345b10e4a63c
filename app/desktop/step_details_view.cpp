#include "app/desktop/step_details_view.h"

#include "app/desktop/markdown.h"
#include "app/desktop/step_text.h"

namespace runlane::desktop {

namespace {

// Plain text (titles, labels) placed into generated Markdown.
QString escaped(const QString &text)
{
    static const QString special = QStringLiteral("\\`*_[]<>#|~");
    QString result;
    for (const QChar c : text.simplified()) {
        if (special.contains(c))
            result += QLatin1Char('\\');
        result += c;
    }
    return result;
}

// Inline code; a text holding a backtick needs a double-backtick span with spaces inside.
QString code(const QString &text)
{
    if (text.contains(QLatin1Char('`')))
        return QStringLiteral("`` %1 ``").arg(text.simplified());
    return QStringLiteral("`%1`").arg(text.simplified());
}

// An indented code block needs no fence that the text could close early.
QString codeBlock(const QString &text)
{
    QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    for (QString &line : lines)
        line.prepend(QStringLiteral("    "));
    return lines.join(QLatin1Char('\n'));
}

QString laneTitle(const Playbook &playbook, const Step &step)
{
    const QString laneId = playbook.laneOf(step);
    const Lane *lane = playbook.lane(laneId);
    return lane && !lane->title.value.isEmpty() ? lane->title.value : laneId;
}

} // namespace

StepDetailsView::StepDetailsView(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setOpenLinks(true);
    document()->setDocumentMargin(12);
}

void StepDetailsView::showStep(const PlaybookPtr &playbook, const Step *step)
{
    if (!playbook || !step) {
        showHint(tr("Select a step to see its instructions."));
        return;
    }
    setPlaybookMarkdown(document(), markdown(*playbook, *step));
}

void StepDetailsView::showHint(const QString &text)
{
    setPlaybookMarkdown(document(), QStringLiteral("*%1*").arg(escaped(text)));
}

QString StepDetailsView::markdown(const Playbook &playbook, const Step &step)
{
    QStringList parts;
    const QString title =
        step.title.value.trimmed().isEmpty() ? tr("(untitled)") : step.title.value;
    parts.append(QStringLiteral("### ") + escaped(title));

    QStringList facts{code(step.id.value), QStringLiteral("**%1**").arg(toString(step.type.value)),
                      tr("lane: %1").arg(escaped(laneTitle(playbook, step)))};
    if (step.timeout.present)
        facts.append(tr("timeout: %1").arg(formatDuration(step.timeout.value)));
    if (playbook.start.value == step.id.value)
        facts.append(tr("first step"));
    parts.append(facts.join(QStringLiteral(" · ")));

    if (!step.body.value.trimmed().isEmpty())
        parts.append(step.body.value.trimmed());

    if (!step.checklist.isEmpty()) {
        QStringList items;
        for (const LString &item : step.checklist)
            items.append(QStringLiteral("- [ ] ") + escaped(item.value));
        parts.append(QStringLiteral("**%1**").arg(tr("Checklist")));
        parts.append(items.join(QLatin1Char('\n')));
    }

    const ReadSpec &read =
        step.type.value == StepType::Wait && step.until ? step.until->read : step.read;
    if (read.query) {
        parts.append(tr("**Reads** %1 from target %2:")
                         .arg(tr("a PromQL query"), code(read.query->target.value)));
        parts.append(codeBlock(read.query->promql.value));
    } else if (read.probe) {
        const RequestSpec &request = read.probe->request;
        const QString method =
            request.method.present ? request.method.value : QStringLiteral("GET");
        parts.append(tr("**Reads** %1 from target %2")
                         .arg(code(method + QLatin1Char(' ') + request.path.value),
                              code(read.probe->target.value)));
    }
    if (step.type.value == StepType::Wait && step.until && step.until->condition.present)
        parts.append(
            tr("**Waits until** %1, checking every %2")
                .arg(code(step.until->condition.value), formatDuration(step.until->every.value)));
    else if (step.type.value == StepType::Wait && step.duration.present)
        parts.append(tr("**Waits** %1").arg(formatDuration(step.duration.value)));

    if (step.call.present) {
        QString line =
            tr("**Calls** %1 on target %2").arg(code(step.call.value), code(step.target.value));
        if (step.confirm.value)
            line += QStringLiteral(" · ") + tr("asks for confirmation before sending");
        parts.append(line);
    } else if (step.request) {
        const QString method =
            step.request->method.present ? step.request->method.value : QStringLiteral("GET");
        parts.append(tr("**Sends** %1 to target %2")
                         .arg(code(method + QLatin1Char(' ') + step.request->path.value),
                              code(step.target.value)));
    }
    if (step.fanout)
        parts.append(
            tr("Fans out over many targets, %1 at a time.").arg(step.fanout->concurrency.value));

    const QList<Step::Way> ways = step.ways();
    if (step.type.value == StepType::End) {
        parts.append(StepText::ways(step));
    } else if (!ways.isEmpty()) {
        QStringList items;
        for (const Step::Way &way : ways) {
            const QString reason = StepText::wayReason(step, way);
            items.append(reason.isEmpty()
                             ? QStringLiteral("- %1").arg(code(way.next))
                             : QStringLiteral("- %1 — %2").arg(code(way.next), escaped(reason)));
        }
        parts.append(QStringLiteral("**%1**").arg(tr("Leads to")));
        parts.append(items.join(QLatin1Char('\n')));
    }
    return parts.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
}

} // namespace runlane::desktop
