#include "app/cli/scripted_results.h"

using namespace runlane;

ScriptedResults::ScriptedResults(QHash<QString, QJsonObject> results)
    : m_results(std::move(results))
{}

std::optional<WorkResult> ScriptedResults::fromJson(const QJsonObject &given, QString *problem)
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

WorkResult ScriptedResults::resultFor(const QString &stepId) const
{
    QString problem;
    if (const auto r = fromJson(m_results.value(stepId), &problem))
        return *r;
    return WorkResult::error(QStringLiteral("--result %1: %2").arg(stepId, problem));
}
