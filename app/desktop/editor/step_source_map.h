#pragma once

#include "engine/playbook/playbook.h"

#include <QList>
#include <QString>

namespace runlane::desktop {

// Where each step of a playbook is written in its text: for the editor's cursor to find the step
// it is in, and for a step clicked in the diagram to find its lines.
struct StepLines
{
    int first = 0; // 1-based, inclusive; 0: not written in the text
    int last = 0;
};

// The lines of every step's list item: from its first key to the last line indented under it
// (trailing blank and comment lines left out). Built once per checked text, in one pass over
// it, so that a cursor move is a lookup.
class StepSourceMap
{
public:
    StepSourceMap() = default;
    explicit StepSourceMap(const Playbook &playbook);

    StepLines linesOf(const QString &stepId) const;
    // The step whose lines hold a 1-based line, or an empty string.
    QString stepAt(int line) const;

private:
    struct Entry
    {
        QString id;
        StepLines lines;
    };
    QList<Entry> m_entries; // by first line
};

} // namespace runlane::desktop
