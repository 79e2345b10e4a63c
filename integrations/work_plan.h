#pragma once

#include "actions/fanout_run.h"
#include "engine/session/executor.h"
#include "engine/session/resolved_targets.h"
#include "integrations/call.h"

#include <variant>

namespace runlane {

// What HTTP one piece of automated work means: the request (one per endpoint for a fan-out),
// and how its answer is read. Built before anything is sent, so that the action gate and a dry
// run show exactly what the run sends.
struct WorkPlan
{
    enum class Reading {
        Query, // Prometheus instant query: one number (readPrometheusQuery)
        Call,  // a built-in call reads its API's answer
        Raw,   // a raw request or probe: status and body
    };

    Reading reading = Reading::Raw;
    const Step *step = nullptr;
    const CallDefinition *call = nullptr;
    QString reduce;                        // Query: how several series fold into one number
    QList<HttpRequest> requests;           // one, or one per fan-out endpoint
    QList<CallContext> contexts;           // Call: the context each request was built from
    QStringList endpoints;                 // fan-out: each endpoint's item, in order
    std::optional<FanoutRun::Plan> fanout; // the fan-out's settings (requests left empty)
    QString targetName;

    bool isFanout() const { return fanout.has_value(); }
};

// Builds the plan from the work, the incident's targets and the time (alertmanager silences
// start now). Errors say what could not be built, e.g. "path: unknown name 'vars.previous'".
std::variant<WorkPlan, QString> planWork(const WorkRequest &work, const ResolvedTargets &targets,
                                         const QDateTime &nowUtc);

// One answer read as the plan says (the call's own reading, a query's number, or the plain
// status and body), with the record in `details`: the request line (secrets as ***), the
// idempotency key, attempts and timings.
WorkResult readAnswer(const WorkPlan &plan, qsizetype index, const HttpResult &result,
                      const QStringList &secrets);

// Whether one fan-out endpoint's answer counts as a success for the step.
bool endpointSucceeded(const WorkPlan &plan, const HttpResult &result);

} // namespace runlane
