#pragma once

#include "actions/http_request.h"
#include "engine/expr/env.h"
#include "engine/expr/escape.h"
#include "engine/playbook/playbook.h"
#include "engine/session/executor.h"
#include "engine/session/resolved_targets.h"

#include <variant>

namespace runlane {

// Target-wide settings onto a request: the auth header, the timeout, the retry policy, TLS.
void applyTarget(HttpRequest &request, const ResolvedTarget &target);

// `base` + `pathAndQuery` (already escaped, starting with '/'): a base URL may carry a path
// prefix, "http://h:8081/nodes/7" + "/models/m" → "http://h:8081/nodes/7/models/m".
QString joinUrl(const QString &base, const QString &pathAndQuery);

// One path segment, percent-encoded so that a value cannot add a segment or climb one.
QString pathSegment(const QString &value);

// "?k=v&k2=v2" with every key and value percent-encoded; empty for no items.
QString queryString(const QList<std::pair<QString, QString>> &items);

// A template string filled in from `scope` and escaped for where it lands; on failure, an error
// naming `field`, e.g. "path: unknown name 'vars.previous'".
struct RenderedText
{
    QString text;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
RenderedText renderTemplate(const QString &text, const expr::Scope &scope, expr::Escape escape,
                            const QString &field);

// Every string in a JSON value filled in as a template; a string that is one placeholder keeps
// its value's type (a number stays a number, a list a list). Errors name `field` and the key.
std::variant<QJsonValue, QString>
renderTemplateValue(const QJsonValue &value, const expr::Scope &scope, const QString &field);

// The request of a raw `request:` (an action or `http.request`) or of a `probe:`: the path,
// query, header and body templates filled in from `scope`, each value escaped for where it lands
// (playbook-format.md, "Templates"). Errors name the field, e.g. "path: unknown name 'vars.x'".
std::variant<HttpRequest, QString> buildRawRequest(const RequestSpec &spec, const QString &baseUrl,
                                                   const expr::Scope &scope);

// The `with:` values with their templates filled in; a value that is one placeholder keeps its
// type (a number stays a number).
std::variant<QJsonObject, QString> renderWith(const Step &step, const expr::Scope &scope);

// Unique to (incident, step, the step's visit, endpoint) and the same on every retry and after a
// resume: "<incident>/<step>/<visit>/<endpoint>", the endpoint being the fan-out item's index
// (0 without a fan-out).
QByteArray idempotencyKey(const QString &incidentId, const QString &stepId, int visit,
                          qsizetype endpoint = 0);

// The request as a person reads it and as it is recorded: "METHOD URL", one line per header,
// then the body; sensitive headers and every secret replaced by ***.
QString describeRequest(const HttpRequest &request, const QStringList &secrets);
// Only "METHOD URL", secrets replaced.
QString requestLine(const HttpRequest &request, const QStringList &secrets);

// A plain reading of an answer: a transport failure is an error saying what failed; otherwise
// the status, the body parsed as JSON (kept as a string when it is not JSON) and the time taken.
// `details` gets the record: attempts, timings, the error kind.
WorkResult workResultOf(const HttpResult &result);

} // namespace runlane
