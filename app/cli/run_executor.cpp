#include "app/cli/run_executor.h"

#include "app/cli/terminal.h"

#include <QJsonDocument>
#include <QTextStream>

using namespace runlane;

RunExecutor::RunExecutor(QHash<QString, QJsonObject> results, bool interactive, bool dryRun)
    : m_results(std::move(results))
    , m_interactive(interactive)
    , m_dryRun(dryRun)
{}

std::optional<WorkResult> RunExecutor::fromJson(const QJsonObject &given, QString *problem)
{
    if (given.value(QStringLiteral("no_data")).toBool())
        return WorkResult::noData(QStringLiteral("given with --result"));
    if (given.contains(QStringLiteral("error")))
        return WorkResult::error(given.value(QStringLiteral("error")).toVariant().toString());
    if (given.value(QStringLiteral("status")).isDouble())
        return WorkResult::response(given.value(QStringLiteral("status")).toInt(),
                                    given.value(QStringLiteral("body")));
    if (given.value(QStringLiteral("value")).isDouble())
        return WorkResult::ofValue(given.value(QStringLiteral("value")).toDouble());
    *problem =
        QStringLiteral("expected {\"value\": N}, {\"no_data\": true}, {\"error\": \"...\"} or "
                       "{\"status\": N, \"body\": ...}");
    return std::nullopt;
}

bool RunExecutor::hasResultFor(const WorkRequest &request) const
{
    return m_results.contains(request.step->id.value) ||
           (m_dryRun && request.kind == WorkRequest::Kind::Action);
}

void RunExecutor::execute(const WorkRequest &request, std::function<void(const WorkResult &)> done)
{
    const QString id = request.step->id.value;
    QTextStream out(stdout);
    QString problem;
    if (m_results.contains(id)) {
        if (const auto r = fromJson(m_results.value(id), &problem))
            return done(*r);
        return done(WorkResult::error(QStringLiteral("--result %1: %2").arg(id, problem)));
    }
    if (m_dryRun && request.kind == WorkRequest::Kind::Action) {
        const Step &step = *request.step;
        out << "  dry run: would "
            << (step.call.present ? step.call.value : QStringLiteral("send a request"))
            << " on target '" << step.target.value << "'; nothing sent\n"
            << Qt::flush; // before done(): the session prints what follows
        WorkResult sent;
        sent.message = QStringLiteral("dry run: nothing sent");
        return done(sent);
    }
    if (m_interactive) {
        out << "  Step '" << id << "' needs a result (the HTTP runner is not part of this build).\n"
            << Qt::flush;
        for (;;) {
            const auto line =
                terminal::ask(QStringLiteral("  Result as JSON, e.g. {\"value\": 0.3} or "
                                             "{\"status\": 200}: "));
            if (!line)
                return done(WorkResult::error(QStringLiteral("no result given")));
            const QJsonDocument doc = QJsonDocument::fromJson(line->toUtf8());
            if (const auto r = doc.isObject() ? fromJson(doc.object(), &problem) : std::nullopt)
                return done(*r);
            out << "  Not understood: "
                << (problem.isEmpty() ? QStringLiteral("not a JSON object") : problem) << "\n"
                << Qt::flush;
        }
    }
    done(WorkResult::error(
        QStringLiteral("no result for step '%1': give --result %1=JSON (this build "
                       "sends no HTTP requests)")
            .arg(id)));
}
