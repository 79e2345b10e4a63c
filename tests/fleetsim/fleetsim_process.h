#pragma once

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QUrl>

// What the tests drive: the real runlane-fleetsim process, an HTTP client with bounded waits, and
// raw socket exchanges for what a well-behaved client cannot send.

// Starts `runlane-fleetsim --port 0 ARGS...` and reads the port from its first line; the
// destructor stops the process.
class FleetSimProcess
{
public:
    explicit FleetSimProcess(const QStringList &arguments);
    ~FleetSimProcess();
    FleetSimProcess(const FleetSimProcess &) = delete;
    FleetSimProcess &operator=(const FleetSimProcess &) = delete;

    // Waits (bounded) for "listening on http://127.0.0.1:PORT"; false with `error` set otherwise.
    bool waitUntilListening(QString *error, int timeoutMs = 20000);
    quint16 port() const { return m_port; }
    QString firstLine() const { return m_firstLine; }
    QUrl url(const QString &pathAndQuery) const;
    QProcess &process() { return m_process; }
    // Stops the process with SIGTERM (bounded wait); false when it had to be killed. Sanitizer
    // reports of the process end up in `standardError`.
    bool stop(int *exitCode, QByteArray *standardError);

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_firstLine;
};

struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    bool timedOut = false;
    qint64 elapsedMs = 0;

    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray &name) const;
};

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

class HttpClient
{
public:
    HttpClient();
    // Sends one request and waits for the answer at most `timeoutMs`.
    HttpAnswer send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                    const HeaderList &headers = {}, int timeoutMs = 15000);

private:
    QNetworkAccessManager m_manager;
};

struct RawExchange
{
    QByteArray received;
    bool closedByServer = false;
};

// Writes `bytes` on a fresh connection and collects what comes back until the server closes the
// connection or nothing arrives for `quietMs`.
RawExchange rawExchange(quint16 port, const QByteArray &bytes, int quietMs = 700);
