#include "fleet_router.h"

#include "api_request.h"
#include "argo_api.h"
#include "kserve_api.h"
#include "kubernetes_api.h"
#include "metrics_api.h"
#include "pagerduty_api.h"
#include "sim_control_api.h"
#include "slack_api.h"
#include "torchserve_api.h"
#include "triton_api.h"

#include <QUrl>

namespace runlane::fleetsim {

namespace {

QStringList decodeSegments(const QByteArray &path)
{
    QStringList segments;
    const QList<QByteArray> raw = path.split('/');
    for (qsizetype i = 1; i < raw.size(); ++i) // raw[0] is before the leading slash
        segments.append(QUrl::fromPercentEncoding(raw[i]));
    return segments;
}

bool isMutating(QByteArrayView method)
{
    return method == "PUT" || method == "POST" || method == "PATCH" || method == "DELETE";
}

ApiResult notFound()
{
    return answer(HttpResponse::text(404, "404 page not found\n"));
}

ApiResult dispatch(FleetState &state, ApiRequest &request)
{
    if (request.segments.size() >= 2 && request.segments[0] == QLatin1String("nodes")) {
        bool ok = false;
        const int node = request.segments[1].toInt(&ok);
        if (!ok || node < 0 || node >= state.nodes.size())
            return notFound();
        request.node = node;
        request.segments = request.segments.mid(2);
        if (ApiAnswer result = handleTorchServe(state.nodes[node], request))
            return *result;
        if (ApiAnswer result = handleTriton(state.nodes[node], request))
            return *result;
        return notFound();
    }
    // /v2/enqueue is PagerDuty's, every other /v2 path Triton's.
    for (const auto handler : {handlePagerDuty, handleMetrics, handleKubernetesCore, handleKServe,
                               handleArgoRollouts, handleSlack}) {
        if (ApiAnswer result = handler(state, request))
            return *result;
    }
    if (!state.nodes.isEmpty()) {
        if (ApiAnswer result = handleTorchServe(state.nodes[0], request))
            return *result;
        if (ApiAnswer result = handleTriton(state.nodes[0], request))
            return *result;
    }
    return notFound();
}

HttpResponse faultResponse(const Fault &fault)
{
    HttpResponse response{fault.status, fault.contentType, fault.body, {}};
    if (fault.kind == Fault::Kind::RetryAfter) {
        response = HttpResponse::text(fault.status, reasonPhrase(fault.status) + '\n');
        response.headers.append({"Retry-After", QByteArray::number(fault.retryAfterSeconds)});
    }
    return response;
}

} // namespace

HttpReply routeRequest(SimContext &context, const HttpRequest &request)
{
    ApiRequest api{request, decodeSegments(request.path),
                   QUrlQuery(QString::fromUtf8(request.query)), 0};
    if (!api.segments.isEmpty() && api.segments[0] == QLatin1String("_sim")) {
        const ApiAnswer result = handleSimControl(context, api);
        return {HttpReply::Action::Answer, result ? result->response : notFound().response, 0};
    }

    RequestRecord &record = context.log.append(request);
    const FaultDecision decision = context.faults.decide(request.method, request.path);
    record.faults = decision.hits;
    record.delayMs = decision.delayMs;
    HttpReply reply;
    reply.delayMs = decision.delayMs;

    const std::optional<Fault> &fault = decision.outcome;
    const bool resetAfterEffect = fault && fault->kind == Fault::Kind::Reset && fault->afterEffect;
    if (fault && !resetAfterEffect) {
        // The API never sees the request: no effect, and no answer kept for replay, so a retry
        // with the same Idempotency-Key still gets its one effect.
        switch (fault->kind) {
        case Fault::Kind::Reset:
            reply.action = HttpReply::Action::Reset;
            record.outcome = QStringLiteral("reset");
            return reply;
        case Fault::Kind::Hang:
            reply.action = HttpReply::Action::Hang;
            record.outcome = QStringLiteral("hang");
            return reply;
        default:
            reply.response = faultResponse(*fault);
            record.status = reply.response.status;
            return reply;
        }
    }

    const QByteArray key = request.header("Idempotency-Key");
    const bool replayable = isMutating(request.method) && !key.isEmpty();
    const auto kept = replayable ? context.answersByIdempotencyKey.constFind(key)
                                 : context.answersByIdempotencyKey.cend();
    if (kept != context.answersByIdempotencyKey.cend()) {
        record.replayed = true;
        reply.response = *kept;
    } else {
        const ApiResult result = dispatch(context.state, api);
        record.node = api.node;
        record.effect = result.effect;
        reply.response = result.response;
        if (replayable)
            context.answersByIdempotencyKey.insert(key, result.response);
    }
    if (resetAfterEffect) {
        reply.action = HttpReply::Action::Reset;
        record.outcome = QStringLiteral("reset");
        return reply;
    }
    record.status = reply.response.status;
    return reply;
}

} // namespace runlane::fleetsim
