#pragma once

#include <QHash>
#include <QList>
#include <QTcpServer>

#include <QTimer>
#include <memory>

#include <functional>

// A loopback HTTP/1.1 server for the runner's tests: each request is answered by a handler that
// the test sets, which may also break the connection or never answer. It records what arrived.
class ScriptedServer : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target;                     // path and query
        QHash<QByteArray, QByteArray> headers; // names lower-cased
        QByteArray body;
        int connection = 0; // which connection it came on (1, 2, …)
    };
    struct Reply
    {
        enum class Kind { Answer, Reset, Hang };
        Kind kind = Kind::Answer;
        int status = 200;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        int delayMs = 0; // answer this much later (the connection stays busy meanwhile)
    };
    using Handler = std::function<Reply(const Request &, int index)>; // index: 0-based, per server

    // Plain HTTP; with a certificate and key (PEM files), HTTPS.
    ScriptedServer();
    ScriptedServer(const QString &certificateFile, const QString &keyFile);
    quint16 port() const { return m_server->serverPort(); }
    QString url(const QByteArray &path = "/") const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    const QList<Request> &requests() const { return m_requests; }
    int connections() const { return m_connections; }
    int answered() const { return m_answered; }
    int mostInFlight() const { return m_mostInFlight; } // requests received but not yet answered

    static Reply answer(int status, QByteArray body = {},
                        QList<std::pair<QByteArray, QByteArray>> headers = {});

private:
    void onConnection();

    void listen();

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    Handler m_handler;
    QList<Request> m_requests;
    int m_connections = 0;
    int m_answered = 0;
    int m_mostInFlight = 0;
};
