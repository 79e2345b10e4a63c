#include "app/cli/commands.h"

#include "engine/playbook/library.h"
#include "engine/scenario/coverage.h"
#include "engine/scenario/scenario_runner.h"

#include <QCommandLineParser>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QTextStream>

#include <cmath>
#include <optional>

namespace {

QStringList findTestFiles(const QStringList &paths, QStringList *missing)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList found;
            QDirIterator it(path, {QStringLiteral("*.test.yaml"), QStringLiteral("*.test.yml")},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                found.append(QDir::cleanPath(it.next()));
            found.sort();
            files += found;
        } else if (info.isFile()) {
            files.append(path);
        } else {
            missing->append(path);
        }
    }
    return files;
}

// "4/5 (80%)": the percentage rounded down, so that 99.6 never reads as 100.
QString share(qsizetype covered, qsizetype total, double percent)
{
    return QStringLiteral("%1/%2 (%3%)").arg(covered).arg(total).arg(int(std::floor(percent)));
}

} // namespace

int testCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs playbook tests (*.test.yaml) with no network: each case walks its "
                       "playbook with the results and answers it gives and checks the path, "
                       "outcome and vars. The last line reads 'N passed, N failed'.\n"
                       "Exit status: 0 all passed, 1 any failed or could not run (or coverage "
                       "is under --min-coverage), 2 usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("coverage"),
                      QStringLiteral("Print each playbook's step and branch coverage: the steps "
                                     "the cases enter and the ways between steps they take.")});
    parser.addOption({QStringLiteral("min-coverage"),
                      QStringLiteral("Fail when a playbook's step or branch coverage is under "
                                     "PERCENT (implies --coverage)."),
                      QStringLiteral("PERCENT")});
    parser.addPositionalArgument(
        QStringLiteral("PATH"),
        QStringLiteral("Test files or folders (default: the current folder)."),
        QStringLiteral("[PATH...]"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    std::optional<double> minimum;
    if (parser.isSet(QStringLiteral("min-coverage"))) {
        bool ok = false;
        const double value = parser.value(QStringLiteral("min-coverage")).toDouble(&ok);
        if (!ok || value < 0 || value > 100) {
            err << "runlane-cli test: --min-coverage takes a percentage from 0 to 100, not '"
                << parser.value(QStringLiteral("min-coverage")) << "'\n";
            return 2;
        }
        minimum = value;
    }
    const bool showCoverage = minimum || parser.isSet(QStringLiteral("coverage"));
    QStringList paths = parser.positionalArguments();
    if (paths.isEmpty())
        paths.append(QStringLiteral("."));
    QStringList missing;
    const QStringList files = findTestFiles(paths, &missing);
    for (const QString &m : missing)
        err << "runlane-cli test: " << m << ": no such file or folder\n";
    if (!missing.isEmpty())
        return 2;
    if (files.isEmpty()) {
        err << "runlane-cli test: no test files (*.test.yaml) under "
            << paths.join(QStringLiteral(", ")) << "\n";
        return 1;
    }

    int passed = 0;
    int failed = 0;
    QHash<QString, LoadResult> playbooks;
    QStringList covered; // playbook files, in the order first tested
    QHash<QString, Coverage> coverage;
    for (const QString &file : files) {
        out << file << "\n";
        const ScenarioLoad load = loadScenarioFile(file);
        for (const Diagnostic &d : load.diagnostics)
            out << "  " << d.toString() << "\n";
        if (!load.scenario) {
            ++failed;
            out << "  FAIL  the test file could not be read\n";
            continue;
        }
        const QString playbookFile = load.scenario->playbookFile;
        if (!playbooks.contains(playbookFile))
            playbooks.insert(playbookFile, loadPlaybookFile(playbookFile));
        const LoadResult &playbook = playbooks[playbookFile];
        if (!playbook.ok()) {
            for (const Diagnostic &d : playbook.diagnostics) {
                if (d.isError())
                    out << "  " << d.toString() << "\n";
            }
            out << "  FAIL  playbook " << playbookFile << " has errors; "
                << load.scenario->cases.size() << " case(s) not run\n";
            failed += int(load.scenario->cases.size());
            continue;
        }
        if (!coverage.contains(playbookFile)) {
            covered.append(playbookFile);
            coverage.insert(playbookFile, Coverage(*playbook.playbook));
        }
        for (const ScenarioCase &sc : load.scenario->cases) {
            const CaseResult r = runScenarioCase(playbook.playbook, sc);
            coverage.find(playbookFile)->addPath(r.actualPath);
            if (r.passed) {
                ++passed;
                out << "  PASS  " << sc.name << "\n";
                continue;
            }
            ++failed;
            out << "  FAIL  " << sc.name << "  (" << file << ":" << sc.pos.line << ")\n";
            for (const QString &f : r.failures)
                out << "    " << QString(f).replace(QStringLiteral("\n"), QStringLiteral("\n    "))
                    << "\n";
        }
    }
    QStringList under;
    if (showCoverage && !covered.isEmpty()) {
        out << "coverage:\n";
        for (const QString &file : std::as_const(covered)) {
            const Coverage &c = *coverage.constFind(file);
            out << "  " << file << ": steps "
                << share(c.coveredStepCount(), c.stepCount(), c.stepPercent()) << ", branches "
                << share(c.coveredBranchCount(), c.branchCount(), c.branchPercent()) << "\n";
            if (const QStringList steps = c.uncoveredSteps(); !steps.isEmpty())
                out << "    not entered: " << steps.join(QStringLiteral(", ")) << "\n";
            if (const QStringList ways = c.uncoveredBranches(); !ways.isEmpty())
                out << "    not taken: " << ways.join(QStringLiteral(", ")) << "\n";
            if (minimum && (c.stepPercent() < *minimum || c.branchPercent() < *minimum))
                under.append(file);
        }
        if (!under.isEmpty())
            out << "coverage under " << *minimum << "%: " << under.join(QStringLiteral(", "))
                << "\n";
    }
    out << passed << " passed, " << failed << " failed\n";
    return failed == 0 && under.isEmpty() ? 0 : 1;
}
