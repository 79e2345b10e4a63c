#pragma once

#include "engine/playbook/playbook.h"

#include <QString>

namespace runlane::desktop {

// Where each step of a playbook is written in its text: for the editor's cursor to find the step
// it is in, and for a step clicked in the diagram to find its lines.
struct StepLines
{
    int first = 0; // 1-based, inclusive; 0: not written in the text
    int last = 0;
};

// The lines of a step's list item: from its first key to the last line indented under it
// (trailing blank and comment lines left out).
StepLines linesOfStep(const Playbook &playbook, const QString &stepId);
// The step whose lines hold a 1-based line, or an empty string.
QString stepAtLine(const Playbook &playbook, int line);

} // namespace runlane::desktop
