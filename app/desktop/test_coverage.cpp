#include "app/desktop/test_coverage.h"

#include "engine/scenario/coverage.h"
#include "engine/scenario/scenario_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace runlane::desktop {

QString TestCoverage::summary() const
{
    if (testFiles.isEmpty())
        return QCoreApplication::translate("TestCoverage",
                                           "No test file names this playbook (a *.test.yaml "
                                           "beside it with `playbook:` set to it).");
    return QCoreApplication::translate(
               "TestCoverage", "Tests: %1 passed, %2 failed · steps %3/%4, branches %5/%6 covered")
        .arg(passed)
        .arg(failed)
        .arg(coveredSteps)
        .arg(steps)
        .arg(coveredBranches)
        .arg(branches);
}

TestCoverage testCoverageOf(const PlaybookPtr &playbook)
{
    TestCoverage result;
    const QFileInfo file(playbook->file);
    const QString canonical = file.canonicalFilePath();
    Coverage coverage(*playbook);
    const QDir folder = file.absoluteDir();
    const QStringList candidates = folder.entryList(
        {QStringLiteral("*.test.yaml"), QStringLiteral("*.test.yml")}, QDir::Files, QDir::Name);
    for (const QString &name : candidates) {
        const ScenarioLoad load = loadScenarioFile(folder.filePath(name));
        if (!load.scenario ||
            QFileInfo(load.scenario->playbookFile).canonicalFilePath() != canonical)
            continue;
        result.testFiles.append(folder.filePath(name));
        for (const ScenarioCase &c : load.scenario->cases) {
            const CaseResult r = runScenarioCase(playbook, c);
            r.passed ? ++result.passed : ++result.failed;
            coverage.addPath(r.actualPath);
        }
    }
    result.steps = coverage.stepCount();
    result.coveredSteps = coverage.coveredStepCount();
    result.branches = coverage.branchCount();
    result.coveredBranches = coverage.coveredBranchCount();
    if (result.testFiles.isEmpty())
        return result;
    result.overlay.highlighted = coverage.coveredSteps();
    for (const QString &id : coverage.uncoveredSteps())
        result.overlay.notCovered.insert(id);
    for (const Step &step : playbook->steps) {
        for (const Step::Way &way : step.ways()) {
            if (coverage.isCovered(step.id.value, way.next))
                result.overlay.coveredEdges.insert({step.id.value, way.next});
        }
    }
    return result;
}

} // namespace runlane::desktop
