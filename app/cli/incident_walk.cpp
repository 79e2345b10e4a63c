#include "app/cli/incident_walk.h"

#include "app/cli/interrupt_guard.h"
#include "app/cli/terminal.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QThread>

using namespace runlane;

QString indented(const QString &text, const QString &indent)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        if (!line.isEmpty())
            line.prepend(indent);
    }
    return lines.join(u'\n');
}

WorkResult performWork(const WorkRequest &work, const WalkOptions &options, HttpExecutor &http)
{
    if (options.scripted && options.scripted->has(work.step->id.value))
        return options.scripted->resultFor(work.step->id.value);
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

namespace {

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

int walkIncident(Session &session, HttpExecutor &http, const WalkOptions &options, QTextStream &out,
                 QTextStream &err)
{
    auto missing = [&err](const QString &what) {
        err << "runlane-cli run: " << what << "\n";
        return 1;
    };
    // Nothing is shown or sent after the journal failed to record what came before.
    const auto journalStopped = [&]() -> std::optional<int> {
        const auto failure = options.journalFailure ? options.journalFailure() : std::nullopt;
        if (!failure)
            return std::nullopt;
        err << "runlane-cli run: " << *failure << "\n"
            << "runlane-cli run: stopped: the journal cannot be written. Once it can, go on with "
               "run --resume "
            << session.incidentId() << "\n";
        return 1;
    };
    // What is left of a wait's time: it runs from when the step was entered, also across a
    // resume, so that a restart neither waits again nor stretches a timeout.
    const auto remainingOf = [&session](qint64 ms) {
        return std::max<qint64>(
            0, ms - (QDateTime::currentMSecsSinceEpoch() - session.stepEnteredAtMs()));
    };
    int guard = 0;
    while (session.waiting() != Session::Waiting::Ended) {
        if (const auto stopped = journalStopped())
            return *stopped;
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
                    options.yes || !options.interactive ||
                    terminal::confirm(QStringLiteral("  [ ] %1 done?").arg(item.value));
                marks.append(ticked ? Session::Mark::Ticked : Session::Mark::Skipped);
            }
            if (!options.yes && !options.interactive && !options.answers.contains(id))
                return missing(
                    QStringLiteral("step '%1' is a task; complete it with --yes, or run on a "
                                   "terminal")
                        .arg(id));
            if (options.interactive && !options.yes && step.checklist.isEmpty() &&
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
            QString answer = options.answers.value(id); // reused when the walk comes back
            if (answer.isEmpty()) {
                if (!options.interactive)
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
            if (options.yes) {
                error = session.confirmAction();
            } else if (!options.interactive) {
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
                if (!options.skipWaits && !options.dryRun)
                    QThread::msleep(quint64(remainingOf(step.duration.value.ms)));
                error = session.waitElapsed();
                break;
            }
            [[fallthrough]];
        case Session::Waiting::Work: {
            const auto work = session.beginWork();
            if (const auto stopped = journalStopped())
                return *stopped;
            error = session.feed(performWork(*work, options, http), work->token);
            if (error || session.waiting() != Session::Waiting::Wait || session.current() != &step)
                break;
            // A wait with `until` polls every `every` until its condition holds (the session
            // moves on) or its timeout runs out. Without real time to wait (a dry run,
            // --skip-waits, a scripted result) one poll decides.
            const bool polls = !options.dryRun && !options.skipWaits &&
                               !(options.scripted && options.scripted->has(id));
            const QDeadlineTimer timeout(polls ? remainingOf(step.timeout.value.ms) : 0);
            while (!error && session.waiting() == Session::Waiting::Wait &&
                   session.current() == &step && !timeout.hasExpired()) {
                QThread::msleep(quint64(std::min<qint64>(
                    step.until->every.value.ms, std::max<qint64>(0, timeout.remainingTime()))));
                if (timeout.hasExpired())
                    break;
                const auto poll = session.beginWork();
                if (const auto stopped = journalStopped())
                    return *stopped;
                error = session.feed(performWork(*poll, options, http), poll->token);
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
    if (const auto stopped = journalStopped())
        return *stopped;
    return session.current() && session.current()->type.value == StepType::End ? 0 : 1;
}
