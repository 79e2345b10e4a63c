#include "actions/request_builder.h"

#include "engine/expr/escape.h"
#include "engine/expr/template.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace runlane {

namespace {

using expr::Escape;

bool hasLineBreak(const QString &text)
{
    return text.contains(u'\r') || text.contains(u'\n');
}

} // namespace

RenderedText renderTemplate(const QString &text, const expr::Scope &scope, expr::Escape escape,
                            const QString &field)
{
    const auto parsed = expr::Template::parse(text);
    if (const auto *error = std::get_if<expr::Error>(&parsed))
        return {QString(), field + QStringLiteral(": ") + error->message};
    const auto rendered = std::get<expr::Template>(parsed).render(scope, escape);
    if (const auto *error = std::get_if<expr::Error>(&rendered))
        return {QString(), field + QStringLiteral(": ") + error->message};
    return {std::get<QString>(rendered), QString()};
}

std::variant<QJsonValue, QString>
renderTemplateValue(const QJsonValue &value, const expr::Scope &scope, const QString &field)
{
    if (value.isString()) {
        const auto parsed = expr::Template::parse(value.toString());
        if (const auto *error = std::get_if<expr::Error>(&parsed))
            return field + QStringLiteral(": ") + error->message;
        const auto rendered = std::get<expr::Template>(parsed).value(scope);
        if (const auto *error = std::get_if<expr::Error>(&rendered))
            return field + QStringLiteral(": ") + error->message;
        return std::get<QJsonValue>(rendered);
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray()) {
            auto r = renderTemplateValue(item, scope, field);
            if (const auto *error = std::get_if<QString>(&r))
                return *error;
            out.append(std::get<QJsonValue>(r));
        }
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            auto r = renderTemplateValue(it.value(), scope, field + u'.' + it.key());
            if (const auto *error = std::get_if<QString>(&r))
                return *error;
            out.insert(it.key(), std::get<QJsonValue>(r));
        }
        return out;
    }
    return value;
}

void applyTarget(HttpRequest &request, const ResolvedTarget &target)
{
    switch (target.authKind) {
    case Auth::Kind::None:
        break;
    case Auth::Kind::Bearer:
        request.headers.append({"Authorization", "Bearer " + target.bearer.toUtf8()});
        request.sensitiveHeaders.append("Authorization");
        break;
    case Auth::Kind::Basic:
        request.headers.append(
            {"Authorization",
             "Basic " + (target.user + u':' + target.password).toUtf8().toBase64()});
        request.sensitiveHeaders.append("Authorization");
        break;
    case Auth::Kind::Header:
        request.headers.append({target.headerName.toUtf8(), target.headerValue.toUtf8()});
        request.sensitiveHeaders.append(target.headerName.toUtf8());
        break;
    }
    request.timeoutMs = target.timeoutMs;
    request.connectTimeoutMs = std::min<qint64>(request.connectTimeoutMs, target.timeoutMs);
    request.retry = {target.retry.attempts, target.retry.backoffMs, target.retry.maxBackoffMs};
    request.tlsVerify = target.tlsVerify;
    request.tlsCaFile = target.tlsCa;
}

QString joinUrl(const QString &base, const QString &pathAndQuery)
{
    QString url = base;
    while (url.endsWith(u'/'))
        url.chop(1);
    if (pathAndQuery.isEmpty())
        return url;
    return pathAndQuery.startsWith(u'/') || pathAndQuery.startsWith(u'?')
               ? url + pathAndQuery
               : url + u'/' + pathAndQuery;
}

QString pathSegment(const QString &value)
{
    return expr::escaped(value, Escape::PathSegment);
}

QString queryString(const QList<std::pair<QString, QString>> &items)
{
    QString out;
    for (const auto &[key, value] : items) {
        out += out.isEmpty() ? u'?' : u'&';
        out += expr::escaped(key, Escape::QueryValue) + u'=' +
               expr::escaped(value, Escape::QueryValue);
    }
    return out;
}

std::variant<HttpRequest, QString> buildRawRequest(const RequestSpec &spec, const QString &baseUrl,
                                                   const expr::Scope &scope)
{
    HttpRequest request;
    request.method = spec.method.present ? spec.method.value.toUpper().toLatin1() : "GET";
    const RenderedText path =
        renderTemplate(spec.path.value, scope, Escape::PathSegment, QStringLiteral("path"));
    if (!path.ok())
        return path.error;
    QList<std::pair<QString, QString>> query;
    for (const auto &[key, value] : spec.query) {
        const RenderedText v = renderTemplate(value.value, scope, Escape::None,
                                              QStringLiteral("query.%1").arg(key.value));
        if (!v.ok())
            return v.error;
        query.append({key.value, v.text});
    }
    request.url = joinUrl(baseUrl, path.text + queryString(query));
    bool json = true;
    for (const auto &[name, value] : spec.headers) {
        const RenderedText v = renderTemplate(value.value, scope, Escape::None,
                                              QStringLiteral("headers.%1").arg(name.value));
        if (!v.ok())
            return v.error;
        if (hasLineBreak(v.text))
            return QStringLiteral("headers.%1: a header value cannot hold a line break")
                .arg(name.value);
        if (name.value.compare(u"Content-Type", Qt::CaseInsensitive) == 0)
            json = v.text.contains(u"json", Qt::CaseInsensitive);
        request.headers.append({name.value.toUtf8(), v.text.toUtf8()});
    }
    if (spec.body.present) {
        const QJsonValue &body = spec.body.value;
        if (body.isString()) {
            // Text written by the author: values land in it JSON-escaped when it is JSON.
            const RenderedText v =
                renderTemplate(body.toString(), scope, json ? Escape::JsonString : Escape::None,
                               QStringLiteral("body"));
            if (!v.ok())
                return v.error;
            request.body = v.text.toUtf8();
        } else {
            auto v = renderTemplateValue(body, scope, QStringLiteral("body"));
            if (const auto *error = std::get_if<QString>(&v))
                return *error;
            const QJsonValue rendered = std::get<QJsonValue>(v);
            request.body = rendered.isArray()
                               ? QJsonDocument(rendered.toArray()).toJson(QJsonDocument::Compact)
                               : QJsonDocument(rendered.toObject()).toJson(QJsonDocument::Compact);
        }
    }
    return request;
}

std::variant<QJsonObject, QString> renderWith(const Step &step, const expr::Scope &scope)
{
    QJsonObject with;
    for (const auto &[key, value] : step.with) {
        auto v = renderTemplateValue(value.value, scope, QStringLiteral("with.%1").arg(key.value));
        if (const auto *error = std::get_if<QString>(&v))
            return *error;
        with.insert(key.value, std::get<QJsonValue>(v));
    }
    return with;
}

QByteArray idempotencyKey(const QString &incidentId, const QString &stepId, int visit,
                          qsizetype endpoint)
{
    return QStringLiteral("%1/%2/%3/%4").arg(incidentId, stepId).arg(visit).arg(endpoint).toUtf8();
}

QString requestLine(const HttpRequest &request, const QStringList &secrets)
{
    return redactSecrets(QString::fromLatin1(request.method) + u' ' + request.url, secrets);
}

QString describeRequest(const HttpRequest &request, const QStringList &secrets)
{
    QString text = requestLine(request, secrets);
    QList<HttpHeader> headers = request.headers;
    if (!request.idempotencyKey.isEmpty())
        headers.append({"Idempotency-Key", request.idempotencyKey});
    for (const HttpHeader &h : std::as_const(headers)) {
        const bool sensitive =
            std::any_of(request.sensitiveHeaders.cbegin(), request.sensitiveHeaders.cend(),
                        [&h](const QByteArray &name) {
                            return name.compare(h.name, Qt::CaseInsensitive) == 0;
                        });
        QString value = QString::fromUtf8(h.value);
        if (sensitive) // keep the scheme word ("Bearer ***"): it says which auth was sent
            value = value.contains(u' ') ? value.section(u' ', 0, 0) + QStringLiteral(" ***")
                                         : QStringLiteral("***");
        text += u'\n' + QString::fromUtf8(h.name) + QStringLiteral(": ") +
                redactSecrets(value, secrets);
    }
    if (!request.body.isEmpty())
        text += QStringLiteral("\n\n") + redactSecrets(QString::fromUtf8(request.body), secrets);
    return text;
}

WorkResult workResultOf(const HttpResult &result)
{
    QJsonObject details{{QStringLiteral("attempts"), result.attempts},
                        {QStringLiteral("elapsed_ms"), result.elapsedMs}};
    const HttpTimings &t = result.timings;
    details.insert(QStringLiteral("timings_ms"),
                   QJsonObject{{QStringLiteral("dns"), t.dnsMs},
                               {QStringLiteral("connect"), t.connectMs},
                               {QStringLiteral("tls"), t.tlsMs},
                               {QStringLiteral("first_byte"), t.firstByteMs},
                               {QStringLiteral("total"), t.totalMs}});
    if (!result.answered()) {
        details.insert(QStringLiteral("error"), toString(result.error));
        WorkResult failed =
            WorkResult::error(result.attempts > 1 ? QStringLiteral("%1 (after %2 attempts)")
                                                        .arg(result.errorText)
                                                        .arg(result.attempts)
                                                  : result.errorText);
        failed.elapsedMs = result.elapsedMs;
        failed.details = details;
        return failed;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(result.body, &parseError);
    QJsonValue body;
    if (parseError.error == QJsonParseError::NoError)
        body = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    else if (!result.body.isEmpty())
        body = QString::fromUtf8(result.body);
    WorkResult r = WorkResult::response(result.status, body, result.elapsedMs);
    details.insert(QStringLiteral("status"), result.status);
    r.details = details;
    return r;
}

} // namespace runlane
