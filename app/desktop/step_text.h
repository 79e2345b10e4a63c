#pragma once

#include "engine/playbook/playbook.h"

#include <QCoreApplication>

namespace runlane::desktop {

// How the app words parts of a playbook for people: severity badges, diagnostic counts and where
// each way out of a step leads. Shared by the list, the step tree and the step details.
class StepText
{
    Q_DECLARE_TR_FUNCTIONS(runlane::desktop::StepText)

public:
    static QString severity(Severity severity); // "SEV2"
    static QString errors(int count);           // "1 error", "3 errors"
    static QString warnings(int count);
    static QString steps(int count);
    static QString outcome(Outcome outcome);

    // Why the walk takes this way: "if value > 0.25", "else", "“Demote the canary”", or empty for
    // the one plain `next` of a step.
    static QString wayReason(const Step &step, const Step::Way &way);
    // "→ demote-canary (if value > 0.25)"
    static QString way(const Step &step, const Step::Way &way);
    // Every way of the step, one a line; an end step names its outcome instead.
    static QString ways(const Step &step);
};

} // namespace runlane::desktop
