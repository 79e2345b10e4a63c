#pragma once

#include "faults.h"
#include "fleet_state.h"
#include "request_log.h"

#include <QHash>

namespace runlane::fleetsim {

// Everything one running simulator holds: the fleet, how it started, the faults, the request
// log and the answers kept for idempotent replay.
struct SimContext
{
    FleetState state;
    FleetState initialState;
    FaultSet faults;
    QList<Fault> initialFaults;
    RequestLog log;
    QHash<QByteArray, HttpResponse> answersByIdempotencyKey;

    // Back to the scenario's start: state, faults, log and kept answers.
    void reset()
    {
        state = initialState;
        faults.replace(initialFaults);
        log.clear();
        answersByIdempotencyKey.clear();
    }
};

} // namespace runlane::fleetsim
