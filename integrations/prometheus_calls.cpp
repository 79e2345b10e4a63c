#include "actions/request_builder.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"
#include "integrations/prometheus_query.h"

// Prometheus HTTP API v1, instant query: GET /api/v1/query?query=<PromQL>.
namespace runlane {

namespace {

std::variant<HttpRequest, QString> buildQuery(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QString promql = with.text(u"promql");
    if (!with.ok())
        return with.error();
    return jsonAnswerRequest(
        "GET", joinUrl(ctx.baseUrl, QStringLiteral("/api/v1/query") +
                                        queryString({{QStringLiteral("query"), promql}})));
}

WorkResult readQuery(const HttpResult &result)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    // A `reduce:` belongs to a check's query, not to the call: several series are an error here.
    return withRecordOf(readPrometheusQuery(result.status, result.body), plain);
}

} // namespace

QList<CallDefinition> prometheusCalls()
{
    return {{QStringLiteral("prometheus.query"), buildQuery, readQuery, {}}};
}

} // namespace runlane
