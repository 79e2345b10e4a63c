#include "integrations/call.h"
#include "integrations/call_definitions.h"

namespace runlane {

const CallDefinition *findCallDefinition(const QString &name)
{
    static const QList<CallDefinition> definitions = [] {
        QList<CallDefinition> all;
        all += prometheusCalls();
        all += torchserveCalls();
        all += tritonCalls();
        all += kserveCalls();
        all += argoCalls();
        all += kubernetesCalls();
        all += alertmanagerCalls();
        all += pagerdutyCalls();
        all += slackCalls();
        return all;
    }();
    for (const CallDefinition &definition : definitions) {
        if (definition.name == name)
            return &definition;
    }
    return nullptr;
}

} // namespace runlane
