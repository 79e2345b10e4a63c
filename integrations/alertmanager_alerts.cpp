#include "integrations/alertmanager_alerts.h"

#include "actions/http_runner.h"
#include "actions/request_builder.h"
#include "integrations/call_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QPromise>
#include <QThreadPool>
#include <QUrl>

namespace runlane {

namespace {

// A labelSet (labels, annotations): a map of strings. `what` names it in the error.
std::variant<QMap<QString, QString>, QString> readLabelSet(const QJsonValue &value,
                                                           const QString &what)
{
    if (!value.isObject())
        return QStringLiteral("%1 is not a map of strings").arg(what);
    QMap<QString, QString> set;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString())
            return QStringLiteral("%1 '%2' is not a string").arg(what, it.key());
        set.insert(it.key(), it.value().toString());
    }
    return set;
}

std::variant<FiringAlert, QString> readAlert(const QJsonValue &value)
{
    if (!value.isObject())
        return QStringLiteral("is not an object");
    const QJsonObject object = value.toObject();
    FiringAlert alert;

    if (!object.contains(u"labels"))
        return QStringLiteral("labels is missing");
    auto labels = readLabelSet(object.value(u"labels"), QStringLiteral("label"));
    if (auto *error = std::get_if<QString>(&labels))
        return *error;
    alert.labels = std::get<QMap<QString, QString>>(std::move(labels));

    // Required by the API, but an alert without them is still worth showing.
    if (object.contains(u"annotations")) {
        auto annotations = readLabelSet(object.value(u"annotations"), QStringLiteral("annotation"));
        if (auto *error = std::get_if<QString>(&annotations))
            return *error;
        alert.annotations = std::get<QMap<QString, QString>>(std::move(annotations));
    }

    alert.fingerprint = object.value(u"fingerprint").toString();
    if (alert.fingerprint.isEmpty())
        return QStringLiteral("fingerprint is missing");

    const QString startsAt = object.value(u"startsAt").toString();
    alert.startsAt = QDateTime::fromString(startsAt, Qt::ISODateWithMs).toUTC();
    if (!alert.startsAt.isValid())
        return QStringLiteral("startsAt '%1' is not a date-time").arg(excerpt(startsAt, 60));

    alert.state = object.value(u"status").toObject().value(u"state").toString();
    alert.generatorUrl = object.value(u"generatorURL").toString();
    return alert;
}

// Alertmanager's reason for an error answer: its errors are a JSON string, or {code, message}.
QString reasonOf(const QByteArray &body)
{
    const std::optional<QJsonValue> json = parseJson(body);
    if (json && json->isString())
        return json->toString();
    if (json && json->isObject())
        return json->toObject().value(u"message").toString();
    return excerpt(QString::fromUtf8(body));
}

} // namespace

QString FiringAlert::summary() const
{
    const QString text = annotations.value(QStringLiteral("summary"));
    return text.isEmpty() ? annotations.value(QStringLiteral("description")) : text;
}

std::optional<QString> alertmanagerUrlProblem(const QString &baseUrl)
{
    const QString trimmed = baseUrl.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("no Alertmanager URL is set");
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return QStringLiteral("'%1' is not a URL: %2").arg(trimmed, url.errorString());
    if (url.scheme() != u"http" && url.scheme() != u"https")
        return QStringLiteral("'%1' is not an http:// or https:// URL").arg(trimmed);
    if (url.host().isEmpty())
        return QStringLiteral("'%1' names no host").arg(trimmed);
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral("'%1' has a query or fragment; give the address Alertmanager's "
                              "web page is at")
            .arg(trimmed);
    return std::nullopt;
}

HttpRequest firingAlertsRequest(const QString &baseUrl, qint64 timeoutMs)
{
    HttpRequest request = jsonAnswerRequest(
        "GET", joinUrl(baseUrl.trimmed(),
                       QStringLiteral("/api/v2/alerts") +
                           queryString({{QStringLiteral("active"), QStringLiteral("true")},
                                        {QStringLiteral("silenced"), QStringLiteral("false")},
                                        {QStringLiteral("inhibited"), QStringLiteral("false")}})));
    request.timeoutMs = timeoutMs;
    request.connectTimeoutMs = std::min<qint64>(request.connectTimeoutMs, timeoutMs);
    request.retry.attempts = 1;
    return request;
}

std::variant<QList<FiringAlert>, QString> parseFiringAlerts(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("the answer is not JSON (%1 at byte %2)")
            .arg(error.errorString())
            .arg(error.offset);
    if (!document.isArray())
        return QStringLiteral("the answer is not a list of alerts");
    const QJsonArray array = document.array();
    QList<FiringAlert> alerts;
    alerts.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto alert = readAlert(array.at(i));
        if (auto *problem = std::get_if<QString>(&alert))
            return QStringLiteral("alert %1: %2").arg(i + 1).arg(*problem);
        alerts.append(std::get<FiringAlert>(std::move(alert)));
    }
    return alerts;
}

std::variant<QList<FiringAlert>, QString> readFiringAlerts(const HttpResult &result)
{
    if (!result.answered())
        return QStringLiteral("Alertmanager could not be reached: %1").arg(result.errorText);
    if (!isSuccess(result.status)) {
        const QString reason = reasonOf(result.body);
        return QStringLiteral("Alertmanager answered HTTP %1%2")
            .arg(result.status)
            .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
    }
    auto alerts = parseFiringAlerts(result.body);
    if (auto *problem = std::get_if<QString>(&alerts))
        return QStringLiteral("Alertmanager's answer could not be read: %1").arg(*problem);
    return alerts;
}

FiringAlertsFetcher::FiringAlertsFetcher(QObject *parent)
    : QObject(parent)
{
    connect(&m_reading, &QFutureWatcher<FiringAlertsFetch>::finished, this,
            &FiringAlertsFetcher::onRead);
}

FiringAlertsFetcher::~FiringAlertsFetcher() = default;

void FiringAlertsFetcher::fetch(const QString &baseUrl)
{
    cancel();
    if (const std::optional<QString> problem = alertmanagerUrlProblem(baseUrl)) {
        FiringAlertsFetch result{baseUrl, {},          *problem, QDateTime::currentDateTimeUtc(),
                                 0,       m_generation};
        // Queued, as a real fetch's result would be: a caller never sees it inside fetch().
        QMetaObject::invokeMethod(
            this,
            [this, result, generation = m_generation] {
                if (generation == m_generation)
                    Q_EMIT finished(result);
            },
            Qt::QueuedConnection);
        return;
    }
    if (!m_runner)
        m_runner = std::make_unique<HttpRunner>();
    const quint64 generation = m_generation;
    m_current = m_runner->submit(
        firingAlertsRequest(baseUrl, m_timeoutMs),
        [this, baseUrl, generation](const HttpResult &answer) {
            // Reading thousands of alerts takes tens of milliseconds: not on this thread. The
            // pool's task holds only its own copies, so it may outlive this object.
            auto promise = std::make_shared<QPromise<FiringAlertsFetch>>();
            m_reading.setFuture(promise->future());
            promise->start();
            QThreadPool::globalInstance()->start([promise, answer, baseUrl, generation] {
                FiringAlertsFetch result{
                    baseUrl, {}, {}, QDateTime::currentDateTimeUtc(), answer.elapsedMs, generation};
                auto read = readFiringAlerts(answer);
                if (auto *error = std::get_if<QString>(&read))
                    result.error = *error;
                else
                    result.alerts = std::get<QList<FiringAlert>>(std::move(read));
                promise->addResult(std::move(result));
                promise->finish();
            });
        });
}

void FiringAlertsFetcher::onRead()
{
    if (m_reading.future().resultCount() == 0)
        return;
    FiringAlertsFetch result = m_reading.result();
    if (result.generation != m_generation)
        return; // cancelled, or replaced by a newer fetch
    m_current = 0;
    Q_EMIT finished(result);
}

void FiringAlertsFetcher::cancel()
{
    ++m_generation;
    if (m_current != 0 && m_runner)
        m_runner->discard(m_current);
    m_current = 0;
}

} // namespace runlane
