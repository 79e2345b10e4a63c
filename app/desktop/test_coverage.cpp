#include "app/desktop/test_coverage.h"

#include "engine/playbook/library.h"
#include "engine/playbook/yaml_document.h"
#include "engine/playbook/yaml_map.h"
#include "engine/scenario/coverage.h"
#include "engine/scenario/scenario_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace runlane::desktop {

namespace {

enum class Names { This, Other, Unknown };

// Which playbook a test file that did not load names: its own loader stops at the first error,
// so the file (or its unsaved text) is read again for its `playbook:` alone.
Names namedPlaybook(const QString &testFile, const std::optional<QByteArray> &unsaved,
                    const QString &canonicalPlaybook)
{
    DiagnosticSink ignored(testFile);
    QByteArray text;
    const auto root =
        unsaved ? parseYamlDocument(*unsaved, ignored) : parseYamlFile(testFile, &text, ignored);
    if (!root || !root->IsMap())
        return Names::Unknown;
    const YamlMap top(*root, QStringLiteral("the test file"), {}, ignored);
    const LString named = top.text(QStringLiteral("playbook"));
    if (!named.present)
        return Names::Unknown;
    const QString file = QFileInfo(testFile).dir().filePath(named.value);
    return QFileInfo(file).canonicalFilePath() == canonicalPlaybook ? Names::This : Names::Other;
}

CaseReport reportOf(const QString &file, const ScenarioCase &c, const CaseResult &r)
{
    CaseReport report;
    report.file = file;
    report.name = c.name;
    report.pos = c.pos;
    report.passed = r.passed;
    report.failures = r.failures;
    report.expectedPath = c.path;
    report.expectedVisits = c.visits;
    report.expectedOutcome = c.outcome;
    report.actualPath = r.actualPath;
    report.actualOutcome = r.actualOutcome;
    return report;
}

} // namespace

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

TestCoverage testCoverageOf(const PlaybookPtr &playbook,
                            const QHash<QString, QByteArray> &unsavedTests)
{
    TestCoverage result;
    const QFileInfo file(playbook->file);
    const QString canonical = file.canonicalFilePath();
    Coverage coverage(*playbook);
    const QDir folder = file.absoluteDir();
    // A playbook not on disk (unsaved, or its file gone) has no folder to look in; its empty path
    // would also match every test file naming a playbook that does not exist.
    QStringList candidates =
        canonical.isEmpty()
            ? QStringList()
            : folder.entryList({QStringLiteral("*.test.yaml"), QStringLiteral("*.test.yml")},
                               QDir::Files, QDir::Name);
    QHash<QString, QByteArray> unsaved; // by clean absolute path
    for (auto it = unsavedTests.cbegin(); it != unsavedTests.cend(); ++it) {
        const QFileInfo test(it.key());
        unsaved.insert(QDir::cleanPath(test.absoluteFilePath()), it.value());
        // A test file not yet saved is run too, when it is one of this folder's.
        if (!canonical.isEmpty() && test.absoluteDir() == folder &&
            isPlaybookTestFile(test.fileName()) && !candidates.contains(test.fileName()))
            candidates.append(test.fileName());
    }
    std::sort(candidates.begin(), candidates.end());
    for (const QString &name : std::as_const(candidates)) {
        const QString testFile = folder.filePath(name);
        const auto text = unsaved.constFind(QDir::cleanPath(testFile));
        const std::optional<QByteArray> unsavedText =
            text == unsaved.cend() ? std::nullopt : std::optional<QByteArray>(*text);
        const ScenarioLoad load =
            unsavedText ? loadScenarioText(*unsavedText, testFile) : loadScenarioFile(testFile);
        if (!load.scenario) {
            const Names names = namedPlaybook(testFile, unsavedText, canonical);
            if (names == Names::Other)
                continue;
            result.testFileProblems.append(load.diagnostics);
            if (names == Names::This) {
                result.testFiles.append(testFile);
                ++result.failed; // as runlane-cli test counts it
            }
            continue;
        }
        if (QFileInfo(load.scenario->playbookFile).canonicalFilePath() != canonical)
            continue;
        result.testFiles.append(testFile);
        result.testFileProblems.append(load.diagnostics); // warnings, if any
        for (const ScenarioCase &c : load.scenario->cases) {
            const CaseResult r = runScenarioCase(playbook, c);
            r.passed ? ++result.passed : ++result.failed;
            coverage.addPath(r.actualPath);
            result.cases.append(reportOf(testFile, c, r));
        }
    }
    sortDiagnostics(result.testFileProblems);
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

qsizetype firstPathDifference(const QStringList &expected, const QStringList &actual)
{
    const qsizetype common = std::min(expected.size(), actual.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (expected.at(i) != actual.at(i))
            return i;
    }
    return expected.size() == actual.size() ? -1 : common;
}

QList<qsizetype> visitPositions(const QStringList &visits, const QStringList &actual)
{
    QList<qsizetype> positions(visits.size(), -1);
    qsizetype from = 0;
    for (qsizetype i = 0; i < visits.size(); ++i) {
        const qsizetype at = actual.indexOf(visits.at(i), from);
        if (at < 0)
            break;
        positions[i] = at;
        from = at + 1;
    }
    return positions;
}

qsizetype firstMissedVisit(const QStringList &visits, const QStringList &actual)
{
    return visitPositions(visits, actual).indexOf(-1);
}

} // namespace runlane::desktop
