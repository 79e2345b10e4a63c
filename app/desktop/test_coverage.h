#pragma once

#include "engine/export/diagram_painter.h"
#include "engine/playbook/diagnostic.h"
#include "engine/playbook/playbook.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace runlane::desktop {

// One case of a test file as it ran: what it expected and what the walk did.
struct CaseReport
{
    QString file; // the test file
    QString name;
    runlane::SourcePos pos; // where the case starts in `file`
    bool passed = false;
    QStringList failures; // what did not hold, one entry each (an entry may span lines)
    std::optional<QStringList> expectedPath;
    std::optional<QStringList> expectedVisits;
    std::optional<QString> expectedOutcome;
    QStringList actualPath;
    std::optional<QString> actualOutcome;
};

// A playbook's test files (the *.test.yaml beside it that name it) run with no network, each
// case's report, and what the cases cover: for the diagram's coverage overlay, the status line
// and the editor's test results.
struct TestCoverage
{
    QStringList testFiles;
    int passed = 0;
    int failed = 0; // cases that failed or could not run, and test files that could not be read
    qsizetype steps = 0, coveredSteps = 0, branches = 0, coveredBranches = 0;
    DiagramOverlay overlay;  // covered steps tinted, covered ways drawn, the rest dotted
    QList<CaseReport> cases; // in file order, then case order
    // Why a test file naming this playbook could not be loaded, and what a test file beside it
    // that cannot be read at all says (it may be this playbook's).
    runlane::Diagnostics testFileProblems;

    // "9 passed, 0 failed · steps 17/17, branches 22/22", or why there is nothing to show.
    QString summary() const;
};

// Runs on any thread: it reads files and walks sessions, nothing else. The playbook must have
// loaded without errors; it may be unsaved text, its `file` says where its tests are looked for.
// `unsavedTests` (absolute path → text) stands in for test files open with unsaved changes, and
// adds a test file of that folder not yet saved.
TestCoverage testCoverageOf(const PlaybookPtr &playbook,
                            const QHash<QString, QByteArray> &unsavedTests = {});

// The index of the first step where an expected path and the walked one differ (where one ends
// counts), or -1 when they are the same.
qsizetype firstPathDifference(const QStringList &expected, const QStringList &actual);

// Where in `actual` each id of `visits` is met, in order and others allowed between, as the
// scenario runner checks it: -1 from the first one not met on.
QList<qsizetype> visitPositions(const QStringList &visits, const QStringList &actual);

// The index in `visits` of the first id the walk did not visit in order, or -1 when it visited all.
qsizetype firstMissedVisit(const QStringList &visits, const QStringList &actual);

} // namespace runlane::desktop
