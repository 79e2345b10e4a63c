#include "app/cli/commands.h"

#include "app/cli/run_executor.h"
#include "app/cli/terminal.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/resolved_targets.h"
#include "engine/session/session.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QThread>
#include <QUuid>

using namespace runlane;

namespace {

QString osUser()
{
    for (const char *name : {"USER", "LOGNAME", "USERNAME"}) {
        const QString user = qEnvironmentVariable(name);
        if (!user.isEmpty())
            return user;
    }
    return QStringLiteral("unknown");
}

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

} // namespace

int runCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Walks a playbook as an incident, headless. On a terminal it asks for inputs, "
        "decisions and confirmations; without one, every answer must be given as an "
        "option, and a missing one is an error naming the step.\n"
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
         QStringLiteral(
             "Confirm every action gate and complete tasks with every checklist item ticked.")},
        {QStringLiteral("skip-waits"),
         QStringLiteral("Do not sleep through 'wait' steps with a duration.")},
        {QStringLiteral("db"), QStringLiteral("The incident journal (SQLite file)."),
         QStringLiteral("FILE")},
    });
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The playbook to run."));
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    if (parser.positionalArguments().size() != 1) {
        err << "runlane-cli run: name exactly one playbook file\n";
        return 2;
    }
    if (!QFile::exists(parser.positionalArguments().front())) {
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

    const LoadResult load = loadPlaybookFile(parser.positionalArguments().front());
    for (const Diagnostic &d : load.diagnostics) {
        if (d.isError())
            err << d.toString() << "\n";
    }
    if (!load.ok()) {
        err << "runlane-cli run: the playbook has errors and cannot be run\n";
        return 1;
    }
    const Playbook &playbook = *load.playbook;
    const bool interactive = terminal::isInteractive();
    const bool yes = parser.isSet(QStringLiteral("yes"));
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));

    // Inputs: from options, then asked on a terminal for the required ones still missing.
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
        return 1;
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
                    return 1;
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
        return 1;
    }

    QHash<QString, QString> answers;
    for (const auto &[step, label] : answerPairs)
        answers.insert(step, label);
    QHash<QString, QJsonObject> results;
    for (const auto &[step, json] : resultPairs) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
        if (!doc.isObject()) {
            err << "runlane-cli run: --result " << step << ": not a JSON object"
                << (error.error ? QStringLiteral(" (%1)").arg(error.errorString()) : QString())
                << "\n";
            return 2;
        }
        QString problem;
        if (!RunExecutor::fromJson(doc.object(), &problem)) {
            err << "runlane-cli run: --result " << step << ": " << problem << "\n";
            return 2;
        }
        results.insert(step, doc.object());
    }

    // Environment references in targets are resolved now, before anything runs.
    const ResolvedTargets targets = resolveTargets(playbook, expr::processEnvironment());
    for (const QString &p : targets.problems)
        err << "runlane-cli run: " << (dryRun ? "warning: " : "") << p << "\n";
    if (!targets.problems.isEmpty() && !dryRun)
        return 1;
    const QStringList &secrets = targets.secrets;

    RunPrinter printer(out, secrets);
    Session session(load.playbook, osUser(), [&printer](const Event &e) { printer.print(e); });
    session.setDryRun(dryRun);
    RunExecutor executor(results, interactive, dryRun);
    session.start(QUuid::createUuid().toString(QUuid::WithoutBraces),
                  std::get<QJsonObject>(inputs));

    auto missing = [&err](const QString &what) {
        err << "runlane-cli run: " << what << "\n";
        return 1;
    };
    int guard = 0;
    while (session.waiting() != Session::Waiting::Ended) {
        if (++guard > 100000)
            return missing(QStringLiteral("the walk did not end after 100000 steps"));
        const Step &step = *session.current();
        const QString id = step.id.value;
        std::optional<QString> error;
        switch (session.waiting()) {
        case Session::Waiting::Task: {
            QList<Session::Mark> marks;
            if (!step.body.value.isEmpty())
                out << step.body.value.trimmed() << "\n" << Qt::flush;
            for (const LString &item : step.checklist) {
                const bool ticked =
                    yes || !interactive ||
                    terminal::confirm(QStringLiteral("  [ ] %1 done?").arg(item.value));
                marks.append(ticked ? Session::Mark::Ticked : Session::Mark::Skipped);
            }
            if (!yes && !interactive && !answers.contains(id))
                return missing(
                    QStringLiteral("step '%1' is a task; complete it with --yes, or run on a "
                                   "terminal")
                        .arg(id));
            if (interactive && !yes && step.checklist.isEmpty() &&
                !terminal::ask(QStringLiteral("  Press Enter when done. ")))
                return 1;
            error = session.completeTask(marks);
            break;
        }
        case Session::Waiting::Decision:
        case Session::Waiting::Choice: {
            const bool decision = session.waiting() == Session::Waiting::Decision;
            QStringList choices = session.choices();
            if (decision) {
                choices.clear();
                for (const Option &o : step.options)
                    choices.append(o.label.value);
            } else {
                out << "  " << session.inconclusiveReason() << "\n" << Qt::flush;
            }
            QString answer = answers.value(id); // reused when the walk comes back
            if (answer.isEmpty()) {
                if (!interactive)
                    return missing(
                        decision ? QStringLiteral("step '%1' is a decision; answer it with "
                                                  "--answer %1=LABEL (one of: %2)")
                                       .arg(id, choices.join(QStringLiteral(", ")))
                                 : QStringLiteral("step '%1' is inconclusive; choose the way on "
                                                  "with --answer %1=STEP (one of: %2)")
                                       .arg(id, choices.join(QStringLiteral(", "))));
                const auto chosen = terminal::choose(
                    decision ? step.title.value : QStringLiteral("Which way on?"), choices);
                if (!chosen)
                    return 1;
                answer = *chosen;
            }
            error = decision ? session.decide(answer) : session.choose(answer);
            break;
        }
        case Session::Waiting::Confirm:
            out << "  Action: "
                << (step.call.present ? step.call.value : QStringLiteral("http request"))
                << " on target '" << step.target.value << "'\n"
                << Qt::flush; // before the question: the engineer must see what is confirmed
            if (yes) {
                error = session.confirmAction();
            } else if (!interactive) {
                return missing(
                    QStringLiteral("step '%1' is an action that needs confirmation; pass "
                                   "--yes, or run on a terminal")
                        .arg(id));
            } else {
                const auto choice = terminal::choose(
                    QStringLiteral("Send it?"),
                    {QStringLiteral("confirm"), QStringLiteral("skip"), QStringLiteral("abort")});
                if (!choice || *choice == u"abort")
                    session.abort(QStringLiteral("aborted at the action gate of '%1'").arg(id));
                else
                    error = *choice == u"confirm" ? session.confirmAction() : session.skipAction();
            }
            break;
        case Session::Waiting::Wait:
            if (!step.until) {
                if (!parser.isSet(QStringLiteral("skip-waits")) && !dryRun)
                    QThread::msleep(quint64(step.duration.value.ms));
                error = session.waitElapsed();
                break;
            }
            [[fallthrough]];
        case Session::Waiting::Work: {
            const auto work = session.beginWork();
            if (!executor.hasResultFor(*work) && !interactive)
                return missing(
                    QStringLiteral("step '%1' is automated and needs a result: give --result "
                                   "%1=JSON")
                        .arg(id));
            executor.execute(*work,
                             [&](const WorkResult &r) { error = session.feed(r, work->token); });
            if (!error && session.waiting() == Session::Waiting::Wait && session.current() == &step)
                error = session.waitTimedOut();
            break;
        }
        case Session::Waiting::NotStarted:
        case Session::Waiting::Ended:
            break;
        }
        if (error)
            return missing(QStringLiteral("step '%1': %2").arg(id, *error));
    }
    // Aborted at an action gate (or with no way on): ended, but no end step was reached.
    return session.current() && session.current()->type.value == StepType::End ? 0 : 1;
}
