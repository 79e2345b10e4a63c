#include "actions/request_builder.h"
#include "engine/playbook/playbook.h"
#include "integrations/call_definitions.h"
#include "integrations/call_support.h"

#include <QJsonArray>
#include <QRegularExpression>

// Alertmanager API v2 (api/v2/openapi.yaml in prometheus/alertmanager): silences and alerts.
// Its errors are a JSON string, or {"code", "message"} when the request breaks the schema.
namespace runlane {

namespace {

const QString api = QStringLiteral("Alertmanager");

struct Matcher
{
    QString name;
    QString value;
    bool isRegex = false;
};

// `matchers` as the format writes them: label → value, a value written /re/ being a regex.
QList<Matcher> readMatchers(WithReader &with, bool required)
{
    static const QRegularExpression labelName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    QList<Matcher> matchers;
    for (const auto &[name, value] : with.textMap(u"matchers", required)) {
        if (!labelName.match(name).hasMatch()) {
            with.fail(u"matchers", QStringLiteral("'%1' is not a label name").arg(name));
            return {};
        }
        const bool regex = value.size() >= 2 && value.startsWith(u'/') && value.endsWith(u'/');
        matchers.append({name, regex ? value.mid(1, value.size() - 2) : value, regex});
    }
    return matchers;
}

// Alertmanager's matcher syntax: label="value" or label=~"re", the value a quoted string.
QString filterOf(const Matcher &m)
{
    QString quoted = m.value;
    quoted.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'"', QStringLiteral("\\\""))
        .replace(u'\n', QStringLiteral("\\n"));
    return m.name + (m.isRegex ? QStringLiteral("=~\"") : QStringLiteral("=\"")) + quoted + u'"';
}

// RFC 3339 in UTC with milliseconds, as Alertmanager writes its own times.
QString timestamp(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

std::variant<HttpRequest, QString> buildSilence(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QList<Matcher> matchers = readMatchers(with, true);
    const QString durationText = with.text(u"duration");
    const std::optional<QString> comment = with.optionalText(u"comment");
    std::optional<Duration> duration;
    if (with.ok()) {
        duration = parseDuration(durationText);
        if (!duration || duration->ms <= 0)
            with.fail(u"duration", QStringLiteral("expected a duration like 2h, 30m or 90s, "
                                                  "got '%1'")
                                       .arg(durationText));
    }
    if (with.ok() && !ctx.nowUtc.isValid())
        with.fail(u"duration", QStringLiteral("there is no current time to start the silence at"));
    if (!with.ok())
        return with.error();

    QJsonArray list;
    for (const Matcher &m : matchers)
        list.append(QJsonObject{{QStringLiteral("name"), m.name},
                                {QStringLiteral("value"), m.value},
                                {QStringLiteral("isRegex"), m.isRegex},
                                {QStringLiteral("isEqual"), true}});
    const QJsonObject silence{
        {QStringLiteral("matchers"), list},
        {QStringLiteral("startsAt"), timestamp(ctx.nowUtc)},
        {QStringLiteral("endsAt"), timestamp(ctx.nowUtc.addMSecs(duration->ms))},
        {QStringLiteral("createdBy"), QStringLiteral("runlane")},
        {QStringLiteral("comment"),
         comment.value_or(
             QStringLiteral("Silenced by runlane for incident %1").arg(ctx.incidentId))},
    };
    HttpRequest request =
        jsonAnswerRequest("POST", joinUrl(ctx.baseUrl, QStringLiteral("/api/v2/silences")));
    setJsonBody(request, silence);
    return request;
}

std::variant<HttpRequest, QString> buildAlerts(const CallContext &ctx)
{
    WithReader with(ctx.with);
    const QList<Matcher> matchers = readMatchers(with, false);
    if (!with.ok())
        return with.error();
    QList<std::pair<QString, QString>> query{{QStringLiteral("active"), QStringLiteral("true")}};
    for (const Matcher &m : matchers)
        query.append({QStringLiteral("filter"), filterOf(m)});
    return jsonAnswerRequest(
        "GET", joinUrl(ctx.baseUrl, QStringLiteral("/api/v2/alerts") + queryString(query)));
}

// Alertmanager's reason for an error answer, as ": <reason>" (empty when it gave none).
QString alertmanagerReason(const HttpResult &result)
{
    const auto json = parseJson(result.body);
    QString reason;
    if (json && json->isString())
        reason = json->toString();
    else if (json && json->isObject())
        reason = json->toObject().value(u"message").toString();
    else if (!json)
        reason = excerpt(QString::fromUtf8(result.body));
    return reason.isEmpty() ? QString() : QStringLiteral(": ") + reason;
}

// A 2xx JSON answer of the kind `expected` checks, else an error naming Alertmanager's reason.
template<class Check>
WorkResult readAlertmanager(const HttpResult &result, Check expected, const QString &expectedWhat)
{
    const WorkResult plain = workResultOf(result);
    if (!result.answered())
        return plain;
    if (!isSuccess(result.status))
        return failure(plain, QStringLiteral("Alertmanager answered HTTP %1%2")
                                  .arg(result.status)
                                  .arg(alertmanagerReason(result)));
    const auto json = parseJson(result.body);
    if (!json)
        return failure(plain, notJson(api, result.status));
    if (!expected(*json))
        return failure(plain, QStringLiteral("Alertmanager's answer has no %1").arg(expectedWhat));
    return plain;
}

// 200 {"silenceID": "…"}: saved as `silence_id`.
WorkResult readSilence(const HttpResult &result)
{
    return readAlertmanager(
        result,
        [](const QJsonValue &v) { return !v.toObject().value(u"silenceID").toString().isEmpty(); },
        QStringLiteral("silenceID"));
}

// 200 [alert, …]
WorkResult readAlerts(const HttpResult &result)
{
    WorkResult read = readAlertmanager(
        result, [](const QJsonValue &v) { return v.isArray(); }, QStringLiteral("list of alerts"));
    if (read.outcome == WorkResult::Outcome::Ok)
        read.details.insert(QStringLiteral("alerts"), read.body.toArray().size());
    return read;
}

} // namespace

QList<CallDefinition> alertmanagerCalls()
{
    return {
        {QStringLiteral("alertmanager.silence"), buildSilence, readSilence, {}},
        {QStringLiteral("alertmanager.alerts"), buildAlerts, readAlerts, {}},
    };
}

} // namespace runlane
