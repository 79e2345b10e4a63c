#pragma once

#include "engine/session/executor.h"

#include <QHash>
#include <QJsonObject>

// The executor behind `runlane-cli run` until the HTTP runner lands: results given with
// --result STEP=JSON, asked on the terminal, or (dry run) printed and taken as success.
class RunExecutor : public runlane::Executor
{
public:
    RunExecutor(QHash<QString, QJsonObject> results, bool interactive, bool dryRun);
    void execute(const runlane::WorkRequest &request,
                 std::function<void(const runlane::WorkResult &)> done) override;

    // Whether a result can be had for this work without a terminal to ask on.
    bool hasResultFor(const runlane::WorkRequest &request) const;

    // Turns {value} | {no_data: true} | {error} | {status, body} into a result.
    static std::optional<runlane::WorkResult> fromJson(const QJsonObject &given, QString *problem);

private:
    QHash<QString, QJsonObject> m_results;
    bool m_interactive;
    bool m_dryRun;
};
