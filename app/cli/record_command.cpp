#include "app/cli/commands.h"
#include "app/cli/journal_incident.h"
#include "app/shared/journal_location.h"

#include "engine/playbook/library.h"
#include "engine/playbook/loader.h"
#include "engine/scenario/case_recorder.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

using namespace runlane;

namespace {

// The playbook file a test file is for: an existing one names it; a new one goes beside the
// playbook, found by its id in the test file's folder (the journal keeps the playbook's text,
// not where it was loaded from). The one whose text is the incident's snapshot comes first.
struct PlaybookLookup
{
    QString file;
    QString problem;
};

PlaybookLookup playbookFileFor(const QString &testFile, const IncidentRecord &incident)
{
    if (QFileInfo::exists(testFile)) {
        const ScenarioLoad load = loadScenarioFile(testFile);
        if (!load.scenario)
            return {}; // appendCaseToTestFile says why it does not load
        const QString file = load.scenario->playbookFile;
        const LoadResult playbook = loadPlaybookFile(file);
        if (!playbook.playbook)
            return {{}, QStringLiteral("%1 tests %2, which cannot be read").arg(testFile, file)};
        if (playbook.playbook->id.value != incident.playbookId)
            return {{},
                    QStringLiteral("%1 tests playbook '%2' (%3); the incident walked '%4'")
                        .arg(testFile, playbook.playbook->id.value, file, incident.playbookId)};
        return {file, {}};
    }
    const QDir folder = QFileInfo(testFile).absoluteDir();
    QString found;
    for (const QString &name : folder.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")},
                                                QDir::Files, QDir::Name)) {
        if (isPlaybookTestFile(name))
            continue;
        const LoadResult load = loadPlaybookFile(folder.filePath(name));
        if (!load.playbook || load.playbook->id.value != incident.playbookId)
            continue;
        if (load.playbook->source == incident.playbookText)
            return {load.file, {}};
        if (found.isEmpty())
            found = load.file;
    }
    if (found.isEmpty())
        return {{},
                QStringLiteral("no playbook '%1' in %2 for a new test file to name; put the "
                               "test file beside the playbook")
                    .arg(incident.playbookId, QDir::toNativeSeparators(folder.path()))};
    return {found, {}};
}

} // namespace

int recordCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Records an incident of the journal (a drill or a real one) as a test case of its "
        "playbook: the inputs it started with, what each automated step saw, the answers given, "
        "the path walked and the outcome. With --out the case is appended to that test file (a "
        "new one is created beside the playbook); with --print it is written to standard "
        "output. What the case cannot capture exactly is a warning.\nID may be the first "
        "characters of the incident's id.\nExit status: 0 recorded, 1 no such incident, the "
        "journal cannot be read or the test file refused the case, 2 usage."));
    parser.addHelpOption();
    parser.addOption({{QStringLiteral("db"), QStringLiteral("journal")},
                      QStringLiteral("The incident journal (SQLite file). Default: %1")
                          .arg(defaultJournalPath()),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("name"),
                      QStringLiteral("The case's name. Default: \"incident\" and the first "
                                     "characters of its id."),
                      QStringLiteral("NAME")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("out")},
                      QStringLiteral("The test file to append the case to (created beside the "
                                     "playbook when it does not exist)."),
                      QStringLiteral("TEST_FILE")});
    parser.addOption({QStringLiteral("print"),
                      QStringLiteral("Write the case's YAML to standard output instead.")});
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The incident."));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QStringList ids = parser.positionalArguments();
    if (ids.size() != 1 || ids.constFirst().isEmpty()) {
        err << "runlane-cli record-test: name exactly one incident id\n";
        return 2;
    }
    const bool print = parser.isSet(QStringLiteral("print"));
    const QString testFile = parser.value(QStringLiteral("out"));
    if (print == !testFile.isEmpty()) {
        err << "runlane-cli record-test: give --out TEST_FILE (the journal does not record "
               "which file the playbook was loaded from) or --print, not both\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("name")) &&
        parser.value(QStringLiteral("name")).trimmed().isEmpty()) {
        err << "runlane-cli record-test: --name is empty\n";
        return 2;
    }

    const auto read = readCommandIncident(parser.value(QStringLiteral("db")), ids.constFirst(),
                                          QStringLiteral("record-test"), err);
    if (const int *code = std::get_if<int>(&read))
        return *code;
    const IncidentJournal &journal = std::get<IncidentJournal>(read);
    const IncidentRecord &incident = journal.incident;
    // The snapshot the incident was walked with, not today's file.
    const LoadResult snapshot = loadPlaybookText(
        incident.playbookText.toUtf8(), QStringLiteral("incident %1 (playbook '%2' as it started)")
                                            .arg(incident.id, incident.playbookId));
    if (!snapshot.playbook) {
        for (const Diagnostic &d : snapshot.diagnostics)
            err << d.toString() << "\n";
        err << "runlane-cli record-test: the incident's playbook cannot be read\n";
        return 1;
    }
    const QString name = parser.isSet(QStringLiteral("name"))
                             ? parser.value(QStringLiteral("name"))
                             : QStringLiteral("incident %1").arg(incident.id.left(8));
    const auto recorded = recordCase(*snapshot.playbook, journal.events, name);
    if (const auto *error = std::get_if<QString>(&recorded)) {
        err << "runlane-cli record-test: " << *error << "\n";
        return 1;
    }
    const RecordedCase &r = std::get<RecordedCase>(recorded);
    for (const QString &warning : r.warnings)
        err << "runlane-cli record-test: warning: " << warning << "\n";
    if (print) {
        out << caseToYaml(r.scenarioCase);
        return 0;
    }

    const PlaybookLookup lookup = playbookFileFor(testFile, incident);
    if (!lookup.problem.isEmpty()) {
        err << "runlane-cli record-test: " << lookup.problem << "\n";
        return 1;
    }
    const QString &file = lookup.file;
    if (!file.isEmpty()) {
        const LoadResult current = loadPlaybookFile(file);
        if (current.playbook && current.playbook->source != incident.playbookText)
            err << "runlane-cli record-test: warning: " << file
                << " has changed since the incident; the case was recorded from the incident's "
                   "own copy and may not pass against the file\n";
    }
    QString written;
    if (const auto error = appendCaseToTestFile(testFile, file, r.scenarioCase, &written)) {
        err << "runlane-cli record-test: " << *error << "\n";
        return 1;
    }
    out << "Added case '" << written << "' to " << testFile << "\n";
    return 0;
}
