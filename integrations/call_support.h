#pragma once

#include "actions/http_request.h"
#include "engine/session/executor.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

// What every built-in call does alike: read its `with:` values, start a request that expects
// JSON, and turn an answer into a result that keeps the record.
namespace runlane {

// Reads a call's `with:` values. The first problem is kept as the build error and names the key
// ("percent: expected a whole number from 0 to 100, got 150"); later reads return empty values.
class WithReader
{
public:
    explicit WithReader(const QJsonObject &with)
        : m_with(with)
    {}

    // A string, or a number written as text (2 → "2", 0.5 → "0.5"). Required and non-empty.
    QString text(QStringView key);
    // The same, or nullopt when the key is absent, null or empty.
    std::optional<QString> optionalText(QStringView key);
    // A whole number (or a string holding one) in [min, max]. Required.
    std::optional<qint64> integer(QStringView key, qint64 min, qint64 max);
    // true/false; nullopt when absent or null.
    std::optional<bool> optionalBool(QStringView key);
    // A map of text values (alertmanager matchers); empty when absent.
    QList<std::pair<QString, QString>> textMap(QStringView key, bool required);

    void fail(QStringView key, const QString &problem);
    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }

private:
    std::optional<QString> textOf(QStringView key, const QJsonValue &value);

    QJsonObject m_with;
    QString m_error;
};

// A request to `url` whose answer the API documents as JSON (it carries `Accept`).
HttpRequest jsonAnswerRequest(const QByteArray &method, const QString &url);
// `body` as the request's compact JSON body, with its `Content-Type`.
void setJsonBody(HttpRequest &request, const QJsonObject &body,
                 const QByteArray &contentType = "application/json");

// The body parsed as JSON of any kind, a bare string too (Alertmanager's errors are one);
// nullopt when it is not JSON (an empty body is not JSON either).
std::optional<QJsonValue> parseJson(const QByteArray &body);

bool isSuccess(int status);

// `plain` (an answer as workResultOf read it) turned into an error saying `why`; its status, body,
// time and details stay for the record and for `save:`.
WorkResult failure(WorkResult plain, const QString &why);

// What a reader found (e.g. a query's value) with the record of the answer it came from.
WorkResult withRecordOf(WorkResult read, const WorkResult &plain);

// A server's text quoted in an error: one line, at most `max` characters.
QString excerpt(const QString &text, qsizetype max = 200);

// "<api> answered HTTP <status> with a body that is not JSON"
QString notJson(const QString &api, int status);

} // namespace runlane
