#include "engine/scenario/scenario_runner.h"

#include "engine/session/input_values.h"
#include "engine/session/session.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace runlane {

namespace {

constexpr int maxTransitions = 10000; // a case that loops forever fails instead of hanging

QString compact(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

// A case's result for one step, as the executor would have returned it.
std::optional<WorkResult> resultFor(const QJsonObject &given, QString *problem)
{
    if (given.contains(QStringLiteral("no_data")) &&
        given.value(QStringLiteral("no_data")).toBool())
        return WorkResult::noData(QStringLiteral("the case gives no_data"));
    if (given.contains(QStringLiteral("error")))
        return WorkResult::error(given.value(QStringLiteral("error")).toVariant().toString());
    if (given.contains(QStringLiteral("status"))) {
        const QJsonValue status = given.value(QStringLiteral("status"));
        if (!status.isDouble()) {
            *problem = QStringLiteral("'status' must be a number");
            return std::nullopt;
        }
        return WorkResult::response(status.toInt(), given.value(QStringLiteral("body")),
                                    qint64(given.value(QStringLiteral("elapsed_ms")).toDouble()));
    }
    if (given.contains(QStringLiteral("value"))) {
        const QJsonValue value = given.value(QStringLiteral("value"));
        if (!value.isDouble()) {
            *problem = QStringLiteral("'value' must be a number");
            return std::nullopt;
        }
        return WorkResult::ofValue(value.toDouble());
    }
    *problem = QStringLiteral("a result gives {value}, {no_data: true}, {error} or {status, body}");
    return std::nullopt;
}

// A query reads a number, an HTTP step a status: a result of the other shape is a test mistake.
QString resultMismatch(const WorkRequest &request, const WorkResult &result)
{
    if (result.outcome != WorkResult::Outcome::Ok)
        return {};
    const bool readsQuery = request.read && request.read->query;
    const bool gaveStatus = result.status != 0;
    if (readsQuery && gaveStatus)
        return QStringLiteral("it reads a query; give {value}, {no_data: true} or {error}");
    if (!readsQuery && !gaveStatus)
        return QStringLiteral("it makes an HTTP request; give {status, body} or {error}");
    return {};
}

} // namespace

CaseResult runScenarioCase(const PlaybookPtr &playbook, const ScenarioCase &sc)
{
    CaseResult result;
    result.name = sc.name;
    auto fail = [&result](const QString &message) { result.failures.append(message); };

    // A result or answer for a step the playbook does not have is a typo that would go unseen.
    for (const auto &[what, given] :
         {std::pair{"results", &sc.results}, std::pair{"answers", &sc.answers}}) {
        for (auto it = given->begin(); it != given->end(); ++it) {
            if (!playbook->step(it.key()))
                fail(QStringLiteral("'%1' names step '%2', which the playbook does not have")
                         .arg(QString::fromLatin1(what), it.key()));
        }
    }
    if (!result.failures.isEmpty())
        return result;

    const auto inputs = checkInputs(*playbook, sc.inputs);
    if (const auto *problems = std::get_if<QList<InputProblem>>(&inputs)) {
        for (const InputProblem &p : *problems)
            fail(p.message);
        return result;
    }

    qint64 now = 1'700'000'000'000; // a fixed clock: test runs are repeatable
    Session session(playbook, QStringLiteral("test"),
                    [&result](const Event &e) { result.events.append(e); },
                    {[&now] { return now += 1000; }});
    session.start(QStringLiteral("test-incident"), std::get<QJsonObject>(inputs));

    int transitions = 0;
    while (session.waiting() != Session::Waiting::Ended && result.failures.isEmpty()) {
        if (++transitions > maxTransitions) {
            fail(QStringLiteral("the walk did not end after %1 steps; does it loop?")
                     .arg(maxTransitions));
            break;
        }
        const Step &step = *session.current();
        const QString id = step.id.value;
        std::optional<QString> error;
        switch (session.waiting()) {
        case Session::Waiting::Task:
            error = session.completeTask(
                QList<Session::Mark>(step.checklist.size(), Session::Mark::Ticked));
            break;
        case Session::Waiting::Decision:
        case Session::Waiting::Choice:
            if (!sc.answers.contains(id)) {
                fail(session.waiting() == Session::Waiting::Decision
                         ? QStringLiteral(
                               "step '%1' is a decision and the case gives no answer for it")
                               .arg(id)
                         : QStringLiteral(
                               "step '%1' is inconclusive (%2) and the case gives no answer "
                               "for it; choose one of: %3")
                               .arg(id, session.inconclusiveReason(),
                                    session.choices().join(QStringLiteral(", "))));
                break;
            }
            error = session.waiting() == Session::Waiting::Decision
                        ? session.decide(sc.answers.value(id).toVariant().toString())
                        : session.choose(sc.answers.value(id).toVariant().toString());
            break;
        case Session::Waiting::Confirm:
            error = session.confirmAction();
            break;
        case Session::Waiting::Wait:
            if (!step.until) {
                error = session.waitElapsed();
                break;
            }
            [[fallthrough]];
        case Session::Waiting::Work: {
            if (!sc.results.contains(id)) {
                fail(QStringLiteral("step '%1' is automated and the case gives no result for it")
                         .arg(id));
                break;
            }
            QString problem;
            const auto work = resultFor(sc.results.value(id).toObject(), &problem);
            if (!work) {
                fail(QStringLiteral("the result for step '%1' is not valid: %2").arg(id, problem));
                break;
            }
            const auto request = session.beginWork();
            if (const QString mismatch = resultMismatch(*request, *work); !mismatch.isEmpty()) {
                fail(QStringLiteral("the result for step '%1' does not fit it: %2")
                         .arg(id, mismatch));
                break;
            }
            error = session.feed(*work, request->token);
            if (!error && session.waiting() == Session::Waiting::Wait && session.current() == &step)
                error = session.waitTimedOut(); // the condition did not hold: the timeout runs out
            break;
        }
        case Session::Waiting::NotStarted:
        case Session::Waiting::Ended:
            break;
        }
        if (error)
            fail(QStringLiteral("step '%1': %2").arg(id, *error));
        now += 1000;
    }

    result.actualPath = session.path();
    if (session.outcome())
        result.actualOutcome = toString(*session.outcome());
    if (!result.failures.isEmpty())
        return result;

    const QString arrow = QStringLiteral(" → ");
    if (sc.path && *sc.path != result.actualPath)
        fail(QStringLiteral("expected path: %1\n  actual path:   %2")
                 .arg(sc.path->join(arrow), result.actualPath.join(arrow)));
    if (sc.visits) {
        qsizetype at = 0;
        for (const QString &id : *sc.visits) {
            at = result.actualPath.indexOf(id, at);
            if (at < 0) {
                fail(QStringLiteral("expected visits in order: %1\n  actual path:   %2")
                         .arg(sc.visits->join(arrow), result.actualPath.join(arrow)));
                break;
            }
            ++at;
        }
    }
    if (sc.outcome && sc.outcome != result.actualOutcome)
        fail(QStringLiteral("expected outcome '%1', got '%2'")
                 .arg(*sc.outcome, result.actualOutcome.value_or(QStringLiteral("none"))));
    if (sc.vars) {
        for (auto it = sc.vars->begin(); it != sc.vars->end(); ++it) {
            const QJsonValue actual = session.vars().value(it.key());
            if (actual != it.value())
                fail(QStringLiteral("expected vars.%1 = %2, got %3")
                         .arg(it.key(), compact(it.value()),
                              actual.isUndefined() ? QStringLiteral("nothing saved")
                                                   : compact(actual)));
        }
    }
    result.passed = result.failures.isEmpty();
    return result;
}

} // namespace runlane
