#pragma once

#include "engine/session/executor.h"

#include <QHash>
#include <QJsonObject>

// Results given on the command line with --result STEP=JSON: for drills and scripts, a step
// given one is not sent; it sees that result instead.
class ScriptedResults
{
public:
    explicit ScriptedResults(QHash<QString, QJsonObject> results);

    bool has(const QString &stepId) const { return m_results.contains(stepId); }
    runlane::WorkResult resultFor(const QString &stepId) const;

    // Turns {value} | {no_data: true} | {error} | {status, body} into a result.
    static std::optional<runlane::WorkResult> fromJson(const QJsonObject &given, QString *problem);

private:
    QHash<QString, QJsonObject> m_results;
};
