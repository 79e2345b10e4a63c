#include "app/cli/commands.h"

#include "engine/playbook/library.h"
#include "engine/scenario/scenario_runner.h"

#include <QCommandLineParser>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QTextStream>

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

} // namespace

int testCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs playbook tests (*.test.yaml) with no network: each case walks its "
                       "playbook with the results and answers it gives and checks the path, "
                       "outcome and vars. The last line reads 'N passed, N failed'.\n"
                       "Exit status: 0 all passed, 1 any failed or could not run, 2 usage."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("PATH"),
        QStringLiteral("Test files or folders (default: the current folder)."),
        QStringLiteral("[PATH...]"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
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
        for (const ScenarioCase &sc : load.scenario->cases) {
            const CaseResult r = runScenarioCase(playbook.playbook, sc);
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
    out << passed << " passed, " << failed << " failed\n";
    return failed == 0 ? 0 : 1;
}
