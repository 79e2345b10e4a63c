#include "integrations/call_support.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace runlane {

namespace {

QString kindOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("a map");
    default:
        return QStringLiteral("a value");
    }
}

std::optional<qint64> wholeNumber(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return qint64(d);
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return u'\'' + value.toString() + u'\'';
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return kindOf(value);
}

} // namespace

std::optional<QString> WithReader::textOf(QStringView key, const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        // YAML reads `version: 2` as a number: it goes out as the text it was written as.
        if (const auto whole = wholeNumber(value))
            return QString::number(*whole);
        return QString::number(value.toDouble(), 'g', 15);
    }
    fail(key, QStringLiteral("expected text, got %1").arg(kindOf(value)));
    return std::nullopt;
}

QString WithReader::text(QStringView key)
{
    if (!ok())
        return {};
    const QJsonValue value = m_with.value(key);
    if (value.isUndefined() || value.isNull()) {
        fail(key, QStringLiteral("required"));
        return {};
    }
    const auto t = textOf(key, value);
    if (t && t->isEmpty())
        fail(key, QStringLiteral("required, got an empty value"));
    return t.value_or(QString());
}

std::optional<QString> WithReader::optionalText(QStringView key)
{
    if (!ok())
        return std::nullopt;
    const QJsonValue value = m_with.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    auto t = textOf(key, value);
    if (t && t->isEmpty())
        return std::nullopt;
    return t;
}

std::optional<qint64> WithReader::integer(QStringView key, qint64 min, qint64 max)
{
    if (!ok())
        return std::nullopt;
    const QJsonValue value = m_with.value(key);
    if (value.isUndefined() || value.isNull()) {
        fail(key, QStringLiteral("required"));
        return std::nullopt;
    }
    const auto n = wholeNumber(value);
    if (!n || *n < min || *n > max) {
        fail(key, QStringLiteral("expected a whole number from %1 to %2, got %3")
                      .arg(min)
                      .arg(max)
                      .arg(shown(value)));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> WithReader::optionalBool(QStringView key)
{
    if (!ok())
        return std::nullopt;
    const QJsonValue value = m_with.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isBool()) {
        fail(key, QStringLiteral("expected true or false, got %1").arg(shown(value)));
        return std::nullopt;
    }
    return value.toBool();
}

QList<std::pair<QString, QString>> WithReader::textMap(QStringView key, bool required)
{
    QList<std::pair<QString, QString>> entries;
    if (!ok())
        return entries;
    const QJsonValue value = m_with.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            fail(key, QStringLiteral("required"));
        return entries;
    }
    if (!value.isObject()) {
        fail(key, QStringLiteral("expected a map of label to value, got %1").arg(kindOf(value)));
        return entries;
    }
    const QJsonObject map = value.toObject();
    if (map.isEmpty() && required) {
        fail(key, QStringLiteral("needs at least one label"));
        return entries;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
        const QString entryKey = key.toString() + u'.' + it.key();
        const auto t = textOf(entryKey, it.value());
        if (!t)
            return {};
        entries.append({it.key(), *t});
    }
    return entries;
}

void WithReader::fail(QStringView key, const QString &problem)
{
    if (m_error.isEmpty())
        m_error = key.toString() + QStringLiteral(": ") + problem;
}

HttpRequest jsonAnswerRequest(const QByteArray &method, const QString &url)
{
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.headers.append(HttpHeader{"Accept", "application/json"});
    return request;
}

void setJsonBody(HttpRequest &request, const QJsonObject &body, const QByteArray &contentType)
{
    request.headers.append(HttpHeader{"Content-Type", contentType});
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::optional<QJsonValue> parseJson(const QByteArray &body)
{
    // Wrapped in a list, so that a bare string or number parses as well as a map or a list.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson('[' + body + ']', &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

WorkResult failure(WorkResult plain, const QString &why)
{
    plain.outcome = WorkResult::Outcome::Error;
    plain.message = why;
    return plain;
}

WorkResult withRecordOf(WorkResult read, const WorkResult &plain)
{
    read.status = plain.status;
    read.body = plain.body;
    read.elapsedMs = plain.elapsedMs;
    QJsonObject details = plain.details;
    for (auto it = read.details.begin(); it != read.details.end(); ++it)
        details.insert(it.key(), it.value());
    read.details = details;
    return read;
}

QString excerpt(const QString &text, qsizetype max)
{
    QString line = text.simplified();
    if (line.size() > max)
        line = line.left(max - 1) + u'…';
    return line;
}

QString notJson(const QString &api, int status)
{
    return QStringLiteral("%1 answered HTTP %2 with a body that is not JSON").arg(api).arg(status);
}

} // namespace runlane
