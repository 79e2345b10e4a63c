#pragma once

#include "engine/playbook/playbook.h"
#include "engine/scenario/scenario.h"
#include "engine/session/event.h"

namespace runlane {

struct CaseResult
{
    QString name;
    bool passed = false;
    QStringList failures;   // what did not hold, one line each
    QStringList actualPath; // every step entered
    std::optional<QString> actualOutcome;
    QList<Event> events;
};

// Runs one case against a loaded playbook with no network: automated steps get the case's
// results, decisions and inconclusive results the case's answers, tasks are completed with their
// whole checklist ticked, confirmations are given, waits elapse at once.
CaseResult runScenarioCase(const PlaybookPtr &playbook, const ScenarioCase &scenarioCase);

} // namespace runlane
