#include "app/cli/commands.h"

#include "app/cli/interrupt_guard.h"
#include "app/cli/scripted_results.h"
#include "app/cli/terminal.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/resolved_targets.h"
#include "engine/session/session.h"
#include "integrations/http_executor.h"

#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
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

// Every line of `text` indented, for requests printed under their step.
QString indented(const QString &text, const QString &indent)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        if (!line.isEmpty())
            line.prepend(indent);
    }
    return lines.join(u'\n');
}

// The work's result: given with --result, or sent (and waited for) by the HTTP executor.
WorkResult performWork(const WorkRequest &work, const ScriptedResults &scripted, HttpExecutor &http)
{
    if (scripted.has(work.step->id.value))
        return scripted.resultFor(work.step->id.value);
    std::optional<WorkResult> result;
    QEventLoop loop;
    // Ctrl-C stops the work: a request is cancelled, a fan-out sends nothing more and waits for
    // what is in flight. A second Ctrl-C quits.
    const InterruptGuard interrupt([&http] {
        QTextStream(stdout) << "  Stopping: nothing more is sent; waiting for what is in flight "
                               "(Ctrl-C again quits now)\n"
                            << Qt::flush;
        http.cancel();
    });
    http.execute(work, [&](const WorkResult &r) {
        result = r;
        loop.quit();
    });
    if (!result) // every request ends: by its answer, its timeout, or its retries running out
        loop.exec();
    return *result;
}

// What an action gate shows: the exact request, or for a fan-out the first one and the waves.
void printGate(QTextStream &out, const Step &step, const std::optional<WorkRequest> &work,
               const HttpExecutor &http)
{
    out << "  Action: " << (step.call.present ? step.call.value : QStringLiteral("http request"))
        << " on target '" << step.target.value << "'\n";
    if (!work)
        return;
    const auto preview = http.preview(*work);
    if (const auto *error = std::get_if<QString>(&preview)) {
        out << "  It cannot be sent: " << *error << "\n";
        return;
    }
    const QStringList &requests = std::get<QStringList>(preview);
    if (requests.isEmpty())
        return;
    out << indented(requests.constFirst(), QStringLiteral("    ")) << "\n";
    if (step.fanout) {
        const Fanout &f = *step.fanout;
        QStringList waves;
        qsizetype from = 0;
        for (const qsizetype end : FanoutRun::waveEnds(requests.size(), f.waves)) {
            waves.append(QString::number(end - from));
            from = end;
        }
        out << "  Fan-out: " << requests.size() << " endpoints (one request each, like the above), "
            << f.concurrency.value << " at a time, waves of " << waves.join(QStringLiteral(", "))
            << "; stops before the next wave once more than "
            << QString::number(f.maxFailures.value * 100, 'g', 3) << "% have failed\n";
    }
}

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
        if (!ScriptedResults::fromJson(doc.object(), &problem)) {
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
    const ScriptedResults scripted(results);
    HttpExecutor http(targets);
    http.setDryRun(dryRun);
    http.onRequest = [&out, dryRun](const QString &description) {
        out << (dryRun ? "  Dry run, not sent:\n" : "  Sending:\n")
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
    http.waveGate = [&out, yes, interactive](const FanoutProgress &p,
                                             std::function<void(bool)> proceed) {
        out << "  Wave " << p.wave + 1 << " of " << p.waves << " done: " << p.succeeded
            << " succeeded, " << p.failed << " failed\n"
            << Qt::flush;
        if (yes)
            return proceed(true);
        proceed(interactive &&
                terminal::confirm(
                    QStringLiteral("  Start wave %1 of %2?").arg(p.wave + 2).arg(p.waves)));
    };
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
            // Before the question: the engineer must see exactly what is confirmed.
            printGate(out, step, session.gatedWork(), http);
            out.flush();
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
            error = session.feed(performWork(*work, scripted, http), work->token);
            if (error || session.waiting() != Session::Waiting::Wait || session.current() != &step)
                break;
            // A wait with `until` polls every `every` until its condition holds (the session
            // moves on) or its timeout runs out. Without real time to wait (a dry run,
            // --skip-waits, a scripted result) one poll decides.
            const bool polls =
                !dryRun && !parser.isSet(QStringLiteral("skip-waits")) && !scripted.has(id);
            const QDeadlineTimer timeout(polls ? step.timeout.value.ms : 0);
            while (!error && session.waiting() == Session::Waiting::Wait &&
                   session.current() == &step && !timeout.hasExpired()) {
                QThread::msleep(quint64(std::min<qint64>(
                    step.until->every.value.ms, std::max<qint64>(0, timeout.remainingTime()))));
                if (timeout.hasExpired())
                    break;
                const auto poll = session.beginWork();
                error = session.feed(performWork(*poll, scripted, http), poll->token);
            }
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
