#include "app/cli/commands.h"

#include "app/cli/incident_walk.h"
#include "app/cli/scripted_results.h"
#include "app/cli/terminal.h"
#include "app/shared/incident_recorder.h"
#include "app/shared/journal_location.h"
#include "app/shared/os_user.h"
#include "engine/journal/journal_reader.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/resolved_targets.h"
#include "engine/session/session.h"
#include "engine/session/session_replay.h"
#include "integrations/http_executor.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QUuid>

using namespace runlane;

namespace {

// NAME=VALUE pairs of a repeated option; a malformed one is a usage error.
bool splitPairs(const QStringList &values, const QString &option,
                QList<std::pair<QString, QString>> *out, QTextStream &err)
{
    for (const QString &v : values) {
        const qsizetype eq = v.indexOf(u'=');
        if (eq <= 0) {
            err << "runlane-cli run: --" << option << " takes NAME=VALUE, not '" << v << "'\n";
            return false;
        }
        out->append({v.left(eq), v.mid(eq + 1)});
    }
    return true;
}

// A list input from the command line: a JSON array, or @FILE with one item per line.
std::variant<QJsonValue, QString> listFromArgument(const Input &input, const QString &text)
{
    if (!text.startsWith(u'@'))
        return parseInputText(input, text);
    QFile file(text.mid(1));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
    QJsonArray items;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QString item = QString::fromUtf8(line).trimmed();
        if (!item.isEmpty())
            items.append(item);
    }
    return QJsonValue(items);
}

class RunPrinter
{
public:
    RunPrinter(QTextStream &out, QStringList secrets)
        : m_out(out)
        , m_secrets(std::move(secrets))
    {}

    void print(const Event &original)
    {
        Event e = original; // secrets never reach the terminal
        e.text = redactSecrets(e.text, m_secrets);
        switch (e.kind) {
        case EventKind::StepEntered:
            m_out << "\n[" << e.lane << "] " << e.stepId << " ("
                  << e.details.value(QStringLiteral("type")).toString() << "): " << e.text << "\n";
            break;
        case EventKind::IncidentStarted:
            m_out << "Incident " << e.details.value(QStringLiteral("incident")).toString() << ": "
                  << e.text;
            if (e.details.value(QStringLiteral("dry_run")).toBool())
                m_out << " (DRY RUN: no request is sent)";
            m_out << "\n";
            break;
        case EventKind::IncidentEnded:
            m_out << "\nOutcome: " << e.text << "\n";
            break;
        case EventKind::WorkRequested:
            break;
        default:
            m_out << "  " << e.text << "\n";
            break;
        }
        m_out.flush();
    }

private:
    QTextStream &m_out;
    QStringList m_secrets;
};

// The inputs of a new incident: from options, then asked on a terminal for the required ones
// still missing, then checked. Problems are printed; nothing is returned then.
std::optional<QJsonObject> gatherInputs(const Playbook &playbook,
                                        const QList<std::pair<QString, QString>> &inputPairs,
                                        bool interactive, QTextStream &out, QTextStream &err)
{
    QJsonObject given;
    bool inputsOk = true;
    for (const auto &[name, text] : inputPairs) {
        const Input *input = playbook.input(name);
        if (!input) {
            given.insert(name, text); // reported by checkInputs with the others
            continue;
        }
        const auto value = input->type.value == InputType::List ? listFromArgument(*input, text)
                                                                : parseInputText(*input, text);
        if (const auto *problem = std::get_if<QString>(&value)) {
            err << "runlane-cli run: input '" << name << "': " << *problem << "\n";
            inputsOk = false;
        } else {
            given.insert(name, std::get<QJsonValue>(value));
        }
    }
    if (!inputsOk)
        return std::nullopt;
    if (interactive) {
        for (const Input &input : playbook.inputs) {
            if (given.contains(input.name.value))
                continue;
            const QString prompt = input.prompt.present ? input.prompt.value : input.name.value;
            const QString def =
                input.defaultValue.present
                    ? QString::fromUtf8(QJsonDocument(QJsonArray{input.defaultValue.value})
                                            .toJson(QJsonDocument::Compact))
                          .mid(1)
                          .chopped(1)
                    : QString();
            for (;;) {
                const auto answer =
                    input.type.value == InputType::Choice
                        ? terminal::choose(prompt,
                                           [&] {
                                               QStringList c;
                                               for (const LString &l : input.choices)
                                                   c.append(l.value);
                                               return c;
                                           }())
                        : terminal::ask(def.isEmpty()
                                            ? prompt + QStringLiteral(": ")
                                            : QStringLiteral("%1 [%2]: ").arg(prompt, def));
                if (!answer)
                    return std::nullopt;
                if (answer->isEmpty() && input.defaultValue.present)
                    break;
                const auto value = parseInputText(input, *answer);
                if (const auto *problem = std::get_if<QString>(&value)) {
                    out << "  " << *problem << "\n" << Qt::flush;
                    continue;
                }
                given.insert(input.name.value, std::get<QJsonValue>(value));
                break;
            }
        }
    }
    const auto inputs = checkInputs(playbook, given);
    if (const auto *problems = std::get_if<QList<InputProblem>>(&inputs)) {
        for (const InputProblem &p : *problems)
            err << "runlane-cli run: " << p.message << "\n";
        return std::nullopt;
    }
    return std::get<QJsonObject>(inputs);
}

// --result STEP=JSON pairs, each checked; nothing after a usage error (printed).
std::optional<QHash<QString, QJsonObject>>
parseResults(const QList<std::pair<QString, QString>> &resultPairs, QTextStream &err)
{
    QHash<QString, QJsonObject> results;
    for (const auto &[step, json] : resultPairs) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
        if (!doc.isObject()) {
            err << "runlane-cli run: --result " << step << ": not a JSON object"
                << (error.error ? QStringLiteral(" (%1)").arg(error.errorString()) : QString())
                << "\n";
            return std::nullopt;
        }
        QString problem;
        if (!ScriptedResults::fromJson(doc.object(), &problem)) {
            err << "runlane-cli run: --result " << step << ": " << problem << "\n";
            return std::nullopt;
        }
        results.insert(step, doc.object());
    }
    return results;
}

QString utcTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

// After a restart: the action the walk waits on had requests whose intent was recorded and whose
// result was not. The engineer sees each and re-sends them with the same keys (--yes, or on a
// terminal), or records by hand what happened. Returns the result recorded by hand, if any;
// `abort` is set when the walk must not go on.
std::optional<WorkResult> settleUnknownOutcomes(const Session &session,
                                                const QList<ActionAttempt> &attempts,
                                                IncidentRecorder &journal,
                                                const WalkOptions &options, QTextStream &out,
                                                QTextStream &err, int *exitCode)
{
    const QList<ActionAttempt> unknown = unknownOutcomesOf(session, attempts);
    if (unknown.isEmpty())
        return std::nullopt;
    const auto work = session.pendingWork();
    out << "  Outcome unknown: " << unknown.size()
        << " request(s) of this action were recorded as about to be sent, but no result was "
           "recorded (the run stopped in between):\n";
    for (qsizetype i = 0; i < unknown.size() && i < 10; ++i)
        out << "    " << unknown.at(i).requestLine << "  (Idempotency-Key "
            << unknown.at(i).idempotencyKey << ", " << utcTime(unknown.at(i).intentAtMs) << ")\n";
    if (unknown.size() > 10)
        out << "    ... and " << unknown.size() - 10 << " more\n";
    out << Qt::flush;
    if (options.yes) {
        out << "  Re-sending with the same idempotency keys (--yes)\n" << Qt::flush;
        return std::nullopt;
    }
    if (!options.interactive) {
        err << "runlane-cli run: step '" << work->step->id.value
            << "': outcome unknown; re-send with the same keys with --yes, or resume on a "
               "terminal to record what happened by hand\n";
        *exitCode = 1;
        return std::nullopt;
    }
    // By hand only for a single request: a fan-out goes on from where it stopped, and its
    // budget and waves must judge the endpoints still to be sent.
    QStringList choices{QStringLiteral("re-send with the same keys")};
    if (!work->step->fanout)
        choices << QStringLiteral("record: it succeeded") << QStringLiteral("record: it failed");
    choices << QStringLiteral("stop here");
    const auto choice = terminal::choose(QStringLiteral("What now?"), choices);
    if (!choice || *choice == u"stop here") {
        *exitCode = 1;
        return std::nullopt;
    }
    if (choice->startsWith(u"re-send"))
        return std::nullopt;
    const bool succeeded = *choice == u"record: it succeeded";
    const QString why =
        QStringLiteral("recorded by hand by %1: %2")
            .arg(osUser(), succeeded ? QStringLiteral("succeeded") : QStringLiteral("failed"));
    QStringList keys;
    for (const ActionAttempt &a : unknown)
        keys.append(a.idempotencyKey);
    if (const auto error = journal.recordByHand(keys, why)) {
        err << "runlane-cli run: " << *error << "\n";
        *exitCode = 1;
        return std::nullopt;
    }
    WorkResult result = succeeded ? WorkResult() : WorkResult::error(why);
    result.message = why;
    result.details = {{QStringLiteral("by_hand"), true}};
    return result;
}

} // namespace

int runCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Walks a playbook as an incident, headless, and journals every step, answer, request and "
        "result before it takes effect. On a terminal it asks for inputs, decisions and "
        "confirmations; without one, every answer must be given as an option, and a missing one "
        "is an error naming the step. An incident that stopped (a crash, Ctrl-C, a missing "
        "answer) goes on with --resume ID.\n"
        "Exit status: 0 an end step was reached, 1 otherwise, 2 usage."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("input"),
         QStringLiteral("An input value; a list takes a JSON array or @FILE (one item per line)."),
         QStringLiteral("NAME=VALUE")},
        {QStringLiteral("answer"),
         QStringLiteral(
             "A decision's option label, or the step chosen after an inconclusive result."),
         QStringLiteral("STEP=LABEL")},
        {QStringLiteral("result"),
         QStringLiteral("What an automated step sees, as JSON: {\"value\":N}, {\"no_data\":true}, "
                        "{\"error\":\"...\"} or {\"status\":N,\"body\":...}."),
         QStringLiteral("STEP=JSON")},
        {QStringLiteral("dry-run"),
         QStringLiteral("Send nothing: actions are shown and taken as succeeded.")},
        {QStringLiteral("yes"),
         QStringLiteral("Confirm every action gate, complete tasks with every checklist item "
                        "ticked, and on resume re-send requests whose outcome is unknown (with "
                        "their same idempotency keys).")},
        {QStringLiteral("skip-waits"),
         QStringLiteral("Do not sleep through 'wait' steps with a duration.")},
        {QStringLiteral("db"),
         QStringLiteral("The incident journal (SQLite file). Default: %1")
             .arg(defaultJournalPath()),
         QStringLiteral("FILE")},
        {QStringLiteral("drill"),
         QStringLiteral("Mark the incident as a drill (an exercise, e.g. against "
                        "runlane-fleetsim): the incidents list and the exports say so.")},
        {QStringLiteral("resume"),
         QStringLiteral("Go on with an incident that did not end (its id, or the first characters "
                        "of it), from its journal: no playbook file is named."),
         QStringLiteral("ID")},
    });
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The playbook to run."));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const bool resume = parser.isSet(QStringLiteral("resume"));
    if (resume && !parser.positionalArguments().isEmpty()) {
        err << "runlane-cli run: --resume goes on with the playbook the incident started with; "
               "name no playbook file\n";
        return 2;
    }
    if (!resume && parser.positionalArguments().size() != 1) {
        err << "runlane-cli run: name exactly one playbook file\n";
        return 2;
    }
    if (!resume && !QFile::exists(parser.positionalArguments().front())) {
        // A usage error like validate's and test's missing paths, not a playbook with errors.
        err << "runlane-cli run: " << parser.positionalArguments().front() << ": no such file\n";
        return 2;
    }
    QList<std::pair<QString, QString>> inputPairs, answerPairs, resultPairs;
    if (!splitPairs(parser.values(QStringLiteral("input")), QStringLiteral("input"), &inputPairs,
                    err) ||
        !splitPairs(parser.values(QStringLiteral("answer")), QStringLiteral("answer"), &answerPairs,
                    err) ||
        !splitPairs(parser.values(QStringLiteral("result")), QStringLiteral("result"), &resultPairs,
                    err))
        return 2;
    if (resume && !inputPairs.isEmpty()) {
        err << "runlane-cli run: --resume keeps the incident's inputs; --input does not apply\n";
        return 2;
    }
    const auto results = parseResults(resultPairs, err);
    if (!results)
        return 2;

    const QString dbPath = parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db"))
                                                              : defaultJournalPath();
    if (resume && !QFileInfo(dbPath).isFile()) { // a mistyped --db must not leave a new file
        err << "runlane-cli run: no journal at " << dbPath << "\n";
        return 2;
    }
    auto opened = IncidentRecorder::open(dbPath);
    if (const auto *error = std::get_if<QString>(&opened)) {
        err << "runlane-cli run: " << *error << "\n";
        return 1;
    }
    IncidentRecorder &journal = *std::get<std::unique_ptr<IncidentRecorder>>(opened);

    // The playbook: the file named, or the snapshot the resumed incident started with.
    std::optional<IncidentJournal> earlier;
    if (resume) {
        auto read = readIncident(journal.database(), parser.value(QStringLiteral("resume")));
        if (const auto *error = std::get_if<QString>(&read)) {
            err << "runlane-cli run: " << *error << "\n";
            return 1;
        }
        earlier = std::move(std::get<IncidentJournal>(read));
        if (earlier->incident.ended()) {
            err << "runlane-cli run: incident " << earlier->incident.id << " has ended ("
                << earlier->incident.outcome << "); there is nothing to resume\n";
            return 1;
        }
    }
    const LoadResult load =
        resume ? loadPlaybookText(earlier->incident.playbookText.toUtf8(),
                                  QStringLiteral("incident %1 (playbook '%2' as it started)")
                                      .arg(earlier->incident.id, earlier->incident.playbookId))
               : loadPlaybookFile(parser.positionalArguments().front());
    for (const Diagnostic &d : load.diagnostics) {
        if (d.isError())
            err << d.toString() << "\n";
    }
    if (!load.ok()) {
        err << "runlane-cli run: the playbook has errors and cannot be run\n";
        return 1;
    }
    const Playbook &playbook = *load.playbook;
    WalkOptions options;
    options.interactive = terminal::isInteractive();
    options.yes = parser.isSet(QStringLiteral("yes"));
    options.skipWaits = parser.isSet(QStringLiteral("skip-waits"));
    for (const auto &[step, label] : answerPairs)
        options.answers.insert(step, label);
    const ScriptedResults scripted(*results);
    options.scripted = &scripted;
    options.journalFailure = [&journal] { return journal.failure(); };

    // A resumed incident is rebuilt by replaying its events: same step, vars, visits and times.
    std::unique_ptr<Session> session;
    QList<Event> unrecorded;
    if (resume) {
        auto replayed = replaySession(load.playbook, osUser(), earlier->events);
        if (const auto *error = std::get_if<QString>(&replayed)) {
            err << "runlane-cli run: incident " << earlier->incident.id
                << " cannot be resumed: " << *error << "\n";
            return 1;
        }
        session = std::move(std::get<ReplayedSession>(replayed).session);
        unrecorded = std::get<ReplayedSession>(replayed).unrecorded;
        options.dryRun = session->dryRun();
        if (parser.isSet(QStringLiteral("dry-run")) && !options.dryRun) {
            err << "runlane-cli run: incident " << earlier->incident.id
                << " is not a dry run; it cannot go on as one\n";
            return 2;
        }
    } else {
        options.dryRun = parser.isSet(QStringLiteral("dry-run"));
    }
    std::optional<QJsonObject> inputs;
    if (!resume) {
        inputs = gatherInputs(playbook, inputPairs, options.interactive, out, err);
        if (!inputs)
            return 1;
    }

    // Environment references in targets are resolved now, before anything runs.
    const ResolvedTargets targets = resolveTargets(playbook, expr::processEnvironment());
    for (const QString &p : targets.problems)
        err << "runlane-cli run: " << (options.dryRun ? "warning: " : "") << p << "\n";
    if (!targets.problems.isEmpty() && !options.dryRun)
        return 1;
    const QStringList &secrets = targets.secrets;

    RunPrinter printer(out, secrets);
    const auto sink = journal.sink([&printer](const Event &e) { printer.print(e); });
    if (!resume)
        session = std::make_unique<Session>(load.playbook, osUser(), sink);
    session->setDryRun(options.dryRun);
    HttpExecutor http(targets);
    http.setDryRun(options.dryRun);
    journal.attach(http, *session);
    http.onRequest = [&out, &options](const QString &description) {
        out << (options.dryRun ? "  Dry run, not sent:\n" : "  Sending:\n")
            << indented(description, QStringLiteral("    ")) << "\n"
            << Qt::flush;
    };
    QElapsedTimer progressClock;
    progressClock.start();
    http.onFanoutProgress = [&out, &progressClock](const FanoutProgress &p) {
        // At most a line a second, and the last one.
        if (progressClock.elapsed() < 1000 && p.done() < p.total)
            return;
        progressClock.restart();
        out << "  Fan-out: " << p.done() << "/" << p.total << " done, " << p.failed << " failed, "
            << p.inFlight << " in flight, wave " << p.wave + 1 << " of " << p.waves << "\n"
            << Qt::flush;
    };
    http.waveGate = [&out, &options](const FanoutProgress &p, std::function<void(bool)> proceed) {
        out << "  Wave " << p.wave + 1 << " of " << p.waves << " done: " << p.succeeded
            << " succeeded, " << p.failed << " failed\n"
            << Qt::flush;
        if (options.yes)
            return proceed(true);
        proceed(options.interactive &&
                terminal::confirm(
                    QStringLiteral("  Start wave %1 of %2?").arg(p.wave + 2).arg(p.waves)));
    };

    if (!resume) {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        journal.create(id, playbook, *inputs, QDateTime::currentMSecsSinceEpoch(), osUser(),
                       options.dryRun, parser.isSet(QStringLiteral("drill")), secrets);
        out << "Journal: " << journal.path() << "\n" << Qt::flush;
        session->start(id, *inputs);
        return walkIncident(*session, http, options, out, err);
    }

    const IncidentRecord &incident = earlier->incident;
    if (const auto error = journal.reopen(incident.id, secrets)) {
        err << "runlane-cli run: " << *error << "\n";
        return 1;
    }
    out << "Resuming incident " << incident.id << ": " << incident.title << " (started "
        << utcTime(incident.startedAtMs) << ", " << earlier->events.size() << " events replayed)"
        << (session->dryRun() ? " (DRY RUN: no request is sent)" : "")
        << "\nJournal: " << journal.path() << "\n"
        << Qt::flush;
    session->setEventSink(sink);
    for (const Event &e : std::as_const(unrecorded)) // the rest of the move the run stopped in
        sink(e);
    // The stop and who went on are part of the record (runlane's note: not an acknowledgement).
    if (!session->outcome())
        session->addNote(QStringLiteral("Resumed by %1 after the run stopped (last recorded %2)")
                             .arg(osUser(), utcTime(earlier->events.constLast().utcMs)),
                         QStringLiteral("runlane"));
    if (const auto failure = journal.failure()) {
        err << "runlane-cli run: " << *failure << "\n";
        return 1;
    }
    if (const Step *step = session->current(); step && !session->outcome())
        out << "\n[" << playbook.laneOf(*step) << "] " << step->id.value << " ("
            << toString(step->type.value) << "): " << step->title.value << "  <- here\n";
    out << Qt::flush;

    applyEarlierRequests(http, earlier->attempts);
    int exitCode = 0;
    const auto byHand =
        settleUnknownOutcomes(*session, earlier->attempts, journal, options, out, err, &exitCode);
    if (exitCode != 0)
        return exitCode;
    if (byHand) {
        const auto work = session->beginWork();
        if (const auto error = session->feed(*byHand, work->token)) {
            err << "runlane-cli run: " << *error << "\n";
            return 1;
        }
    }
    return walkIncident(*session, http, options, out, err);
}
