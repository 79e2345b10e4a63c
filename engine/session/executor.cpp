#include "engine/session/executor.h"

namespace runlane {

WorkResult WorkResult::ofValue(double v)
{
    WorkResult r;
    r.value = v;
    return r;
}

WorkResult WorkResult::noData(const QString &why)
{
    WorkResult r;
    r.outcome = Outcome::NoData;
    r.message = why;
    return r;
}

WorkResult WorkResult::error(const QString &why)
{
    WorkResult r;
    r.outcome = Outcome::Error;
    r.message = why;
    return r;
}

WorkResult WorkResult::response(int status, const QJsonValue &body, qint64 elapsedMs)
{
    WorkResult r;
    r.status = status;
    r.body = body;
    r.elapsedMs = elapsedMs;
    return r;
}

bool isExpectedStatus(const Step &step, int status)
{
    const RequestSpec *request = step.request ? &*step.request : nullptr;
    if (!request && step.read.probe)
        request = &step.read.probe->request;
    if (request && !request->expectStatus.isEmpty())
        return request->expectStatus.contains(status);
    return status >= 200 && status < 300;
}

} // namespace runlane
