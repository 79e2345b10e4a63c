#pragma once

#include "engine/export/diagram_painter.h"
#include "engine/playbook/playbook.h"

#include <QString>
#include <QStringList>

namespace runlane::desktop {

// A playbook's test files (the *.test.yaml beside it that name it) run with no network, and what
// their cases cover: for the diagram's coverage overlay and the status line.
struct TestCoverage
{
    QStringList testFiles;
    int passed = 0;
    int failed = 0; // cases that failed or could not run
    qsizetype steps = 0, coveredSteps = 0, branches = 0, coveredBranches = 0;
    DiagramOverlay overlay; // covered steps tinted, covered ways drawn, the rest dotted

    // "9 passed, 0 failed · steps 17/17, branches 22/22", or why there is nothing to show.
    QString summary() const;
};

// Runs on any thread: it reads files and walks sessions, nothing else.
TestCoverage testCoverageOf(const PlaybookPtr &playbook);

} // namespace runlane::desktop
