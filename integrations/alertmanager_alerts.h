#pragma once

#include "actions/http_request.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <variant>

// The alerts firing in an Alertmanager, for alert intake: GET /api/v2/alerts with
// active=true&silenced=false&inhibited=false, read as its API documents gettableAlert
// (api/v2/openapi.yaml in prometheus/alertmanager).
namespace runlane {

class HttpRunner;

struct FiringAlert
{
    QString fingerprint;
    QMap<QString, QString> labels;
    QMap<QString, QString> annotations;
    QDateTime startsAt; // UTC
    QString state;      // "active", or "unprocessed" just after it arrived
    QString generatorUrl;

    QString name() const { return labels.value(QStringLiteral("alertname")); }
    QString severity() const { return labels.value(QStringLiteral("severity")); }
    // The `summary` annotation, else `description`; empty when it has neither.
    QString summary() const;
};

// Why `baseUrl` cannot be an Alertmanager's address, or nullopt when it can: http or https with a
// host (a path prefix is kept, for one behind a reverse proxy).
std::optional<QString> alertmanagerUrlProblem(const QString &baseUrl);

// The request for the firing alerts. Each attempt ends after `timeoutMs`, and there is one
// attempt: the next poll is the retry.
HttpRequest firingAlertsRequest(const QString &baseUrl, qint64 timeoutMs = 5000);

// Alertmanager's JSON array of alerts, or what is wrong with it ("alert 3: labels is missing").
std::variant<QList<FiringAlert>, QString> parseFiringAlerts(const QByteArray &json);

// An answer to firingAlertsRequest(): the alerts, or why there are none to show (not reached,
// an HTTP error with Alertmanager's reason, an unreadable body).
std::variant<QList<FiringAlert>, QString> readFiringAlerts(const HttpResult &result);

// One poll's outcome.
struct FiringAlertsFetch
{
    QString baseUrl;
    QList<FiringAlert> alerts;
    QString error;        // empty when the alerts were read
    QDateTime finishedAt; // UTC
    qint64 elapsedMs = 0;
    quint64 generation = 0; // which fetch of its fetcher it answers

    bool ok() const { return error.isEmpty(); }
};

// Fetches the firing alerts without waiting: the request runs on an HttpRunner's own thread, the
// answer is read on the thread pool, and `finished` comes back on this object's thread. One fetch
// at a time; a new one replaces the one in flight, whose result is dropped.
class FiringAlertsFetcher : public QObject
{
    Q_OBJECT

public:
    explicit FiringAlertsFetcher(QObject *parent = nullptr);
    ~FiringAlertsFetcher() override;

    void setTimeoutMs(qint64 timeoutMs) { m_timeoutMs = timeoutMs; }
    qint64 timeoutMs() const { return m_timeoutMs; }

    // An invalid URL finishes at once (queued) with the problem as the error.
    void fetch(const QString &baseUrl);
    // Drops the fetch in flight; no `finished` for it.
    void cancel();
    bool isFetching() const { return m_current != 0; }

Q_SIGNALS:
    void finished(const runlane::FiringAlertsFetch &result);

private:
    void onRead();

    std::unique_ptr<HttpRunner> m_runner; // created on the first fetch: it owns a thread
    quint64 m_current = 0;                // the request in flight, until its answer is read
    QFutureWatcher<FiringAlertsFetch> m_reading;
    quint64 m_generation = 0; // counts cancels (each fetch cancels the one before): a result
                              // of an earlier generation is dropped
    qint64 m_timeoutMs = 5000;
};

} // namespace runlane
