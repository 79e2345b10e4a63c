#include "app/desktop/editor/step_source_map.h"

#include <QStringView>

namespace runlane::desktop {

namespace {

// Leading spaces of a line, or -1 for a line that is blank or only a comment.
int indentOf(QStringView line)
{
    int i = 0;
    while (i < line.size() && line[i] == QLatin1Char(' '))
        ++i;
    if (i == line.size() || line[i] == QLatin1Char('#') || line[i] == QLatin1Char('\r'))
        return -1;
    return i;
}

StepLines linesOf(const QList<QStringView> &lines, const Step &step)
{
    if (!step.pos.isValid() || step.pos.line > lines.size())
        return {};
    // The step's keys start at its map's column; any later line indented less ends the item.
    const int keyIndent = step.pos.column - 1;
    StepLines result{step.pos.line, step.pos.line};
    for (int line = step.pos.line + 1; line <= lines.size(); ++line) {
        const int indent = indentOf(lines[line - 1]);
        if (indent < 0)
            continue;
        if (indent < keyIndent)
            break;
        result.last = line;
    }
    return result;
}

QList<QStringView> splitLines(const QString &text)
{
    QList<QStringView> lines;
    for (const QStringView line : QStringView(text).split(QLatin1Char('\n')))
        lines.append(line);
    return lines;
}

} // namespace

StepLines linesOfStep(const Playbook &playbook, const QString &stepId)
{
    const Step *step = playbook.step(stepId);
    if (!step)
        return {};
    return linesOf(splitLines(playbook.source), *step);
}

QString stepAtLine(const Playbook &playbook, int line)
{
    // Steps are written in order; the last one starting at or above the line may hold it.
    const Step *candidate = nullptr;
    for (const Step &step : playbook.steps) {
        if (step.pos.isValid() && step.pos.line <= line &&
            (!candidate || step.pos.line >= candidate->pos.line))
            candidate = &step;
    }
    if (!candidate)
        return {};
    const StepLines lines = linesOf(splitLines(playbook.source), *candidate);
    return line >= lines.first && line <= lines.last ? candidate->id.value : QString();
}

} // namespace runlane::desktop
