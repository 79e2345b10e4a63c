#include "app/desktop/editor/step_source_map.h"

#include <QStringView>

#include <algorithm>

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

} // namespace

StepSourceMap::StepSourceMap(const Playbook &playbook)
{
    QList<QStringView> lines;
    for (const QStringView line : QStringView(playbook.source).split(QLatin1Char('\n')))
        lines.append(line);
    for (const Step &step : playbook.steps) {
        if (step.pos.isValid() && step.pos.line <= lines.size())
            m_entries.append({step.id.value, {step.pos.line, step.pos.line}});
    }
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry &a, const Entry &b) { return a.lines.first < b.lines.first; });
    // The step's keys start at its map's column; any later line indented less ends the item.
    // Items do not overlap, so each line is looked at once.
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        Entry &entry = m_entries[i];
        const Step *step = playbook.step(entry.id);
        const int keyIndent = step->pos.column - 1;
        const int end =
            i + 1 < m_entries.size() ? m_entries[i + 1].lines.first - 1 : int(lines.size());
        for (int line = entry.lines.first + 1; line <= end; ++line) {
            const int indent = indentOf(lines[line - 1]);
            if (indent < 0)
                continue;
            if (indent < keyIndent)
                break;
            entry.lines.last = line;
        }
    }
}

StepLines StepSourceMap::linesOf(const QString &stepId) const
{
    for (const Entry &entry : m_entries) {
        if (entry.id == stepId)
            return entry.lines;
    }
    return {};
}

QString StepSourceMap::stepAt(int line) const
{
    // The last step starting at or above the line may hold it.
    const auto after =
        std::upper_bound(m_entries.cbegin(), m_entries.cend(), line,
                         [](int l, const Entry &entry) { return l < entry.lines.first; });
    if (after == m_entries.cbegin())
        return {};
    const Entry &candidate = *std::prev(after);
    return line <= candidate.lines.last ? candidate.id : QString();
}

} // namespace runlane::desktop
