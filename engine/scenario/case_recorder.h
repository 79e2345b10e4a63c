#pragma once

#include "engine/playbook/playbook.h"
#include "engine/scenario/scenario.h"
#include "engine/session/event.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace runlane {

// A test case recorded from a walk (a drill or a real incident), with what the case could not
// capture exactly: a walk that went back, an incident that has not ended, a step that saw
// different results on its visits (a case gives each step one), a skipped action or wait.
struct RecordedCase
{
    ScenarioCase scenarioCase;
    QStringList warnings;
};

// The case of one incident's events, walked with `playbook` (its snapshot): the inputs it
// started with, each automated step's result in the shape the scenario runner takes for that
// step, the decisions' labels and the ways chosen after inconclusive results as answers, the
// steps entered as expect.path and the outcome of the end as expect.outcome (none while the
// incident goes on). The case is run once as a test would run it; what then differs from the
// walk is a warning. An error when the events are not an incident of this playbook.
std::variant<RecordedCase, QString> recordCase(const Playbook &playbook, const QList<Event> &events,
                                               const QString &name);

// One item of a test file's `cases:` list, in the style of the shipped test files: "  - name:"
// at column 2, fields at column 4, small values as flow maps and lists, text quoted wherever
// YAML would read it as something else. Ends with a newline.
QString caseToYaml(const ScenarioCase &scenarioCase);

// A test file's first line, `playbook:` with the playbook's file relative to the test file's
// folder, quoted where YAML would read it as something else ("drain #2.yaml").
QString playbookLine(const QString &testFile, const QString &playbookFile);

// Where the tests of a playbook live: `<playbook>.test.yaml` beside it.
QString testFileFor(const QString &playbookFile);

// Appends the case to `testFile` without changing a byte of what is there, or creates the file
// with `playbook:` (relative to its folder) and `cases:`. Refused, with the file's name, when the
// file tests another playbook, does not load, or does not end with a block `cases:` list to
// append to. A name the file already has gets " (2)", " (3)"...; `writtenName` says which was
// used. Written atomically.
std::optional<QString> appendCaseToTestFile(const QString &testFile, const QString &playbookFile,
                                            const ScenarioCase &scenarioCase,
                                            QString *writtenName = nullptr);

} // namespace runlane
