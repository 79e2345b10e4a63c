#pragma once

#include "actions/http_request.h"
#include "engine/session/executor.h"
#include "engine/session/resolved_targets.h"

#include <QDateTime>
#include <QJsonObject>

#include <functional>
#include <optional>
#include <variant>

namespace runlane {

// What a built-in call builds its request from.
struct CallContext
{
    const ResolvedTarget *target = nullptr;
    QString baseUrl;    // the target's url, or a fan-out item's url
    QJsonObject with;   // the step's `with:`, templates already filled in (values keep their type)
    QString incidentId; // pagerduty: the default dedup_key
    QDateTime nowUtc;   // alertmanager.silence: startsAt/endsAt
};

// A built-in call of playbook-format.md's "Calls" table: the documented request, and the
// documented answer read into what the walk sees. One small file per API defines its calls.
struct CallDefinition
{
    QString name; // "torchserve.set-default-version"
    // Method, URL (from ctx.baseUrl), call-specific headers and body. Target-wide settings (auth,
    // timeout, retry, TLS) and the idempotency key are added by the caller (applyTarget).
    // An error text when a `with:` value cannot be used (e.g. "percent: expected 0-100").
    std::function<std::variant<HttpRequest, QString>(const CallContext &)> build;
    // The answer read as the API documents it: success, or an error naming the API's own
    // reason (e.g. TorchServe's {"code","type","message"}). Transport failures too.
    std::function<WorkResult(const HttpResult &)> read;
    // Optional: a second request to send when the first answer calls for it (argo.*: the
    // Rollout object itself when its `/status` subresource answers 404). Its answer is read.
    std::function<std::optional<HttpRequest>(const CallContext &, const HttpResult &first)>
        fallback;
};

// The definition of a built-in call, or null for an unknown name. `http.request` is not here:
// it is the raw `request:` form (buildRawRequest).
const CallDefinition *findCallDefinition(const QString &name);

} // namespace runlane
