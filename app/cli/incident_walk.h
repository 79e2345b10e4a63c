#pragma once

#include "app/cli/scripted_results.h"
#include "engine/session/session.h"
#include "integrations/http_executor.h"

#include <QHash>
#include <QTextStream>

#include <functional>
#include <optional>

// How `run` answers what the walk asks: from options, or on a terminal.
struct WalkOptions
{
    bool yes = false;         // confirm every gate, tick every checklist item
    bool interactive = false; // a terminal to ask on
    bool dryRun = false;
    bool skipWaits = false;
    QHash<QString, QString> answers; // step id → option label, or the way on after inconclusive
    const ScriptedResults *scripted = nullptr;
    // The journal's first failure: the walk stops there (nothing more is shown or sent).
    std::function<std::optional<QString>()> journalFailure;
};

// Walks the session until it ends, asking or answering at every stop. Returns run's exit code:
// 0 an end step was reached, 1 otherwise.
int walkIncident(runlane::Session &session, runlane::HttpExecutor &http, const WalkOptions &options,
                 QTextStream &out, QTextStream &err);

// The work's result: scripted with --result, or sent (and waited for) by the HTTP executor;
// Ctrl-C stops it.
runlane::WorkResult performWork(const runlane::WorkRequest &work, const WalkOptions &options,
                                runlane::HttpExecutor &http);

// Every line of `text` indented, for requests printed under their step.
QString indented(const QString &text, const QString &indent);
