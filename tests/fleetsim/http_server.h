#pragma once

#include "http_message.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace runlane::fleetsim {

using RequestHandler = std::function<HttpReply(const HttpRequest &)>;

// A small HTTP/1.1 server on the event loop: keep-alive by default, one request at a time per
// connection (pipelined requests wait their turn, so answers keep their order).
class HttpServer : public QObject
{
    Q_OBJECT

public:
    explicit HttpServer(RequestHandler handler, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }

private:
    void acceptConnections();

    QTcpServer m_server;
    RequestHandler m_handler;
};

// One client connection: buffers what arrives, parses requests and writes answers in order.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket *socket, const RequestHandler &handler, QObject *parent);

private:
    void readIncoming();
    void processBuffer();
    void finish(const HttpReply &reply, bool keepAlive, bool headOnly);
    void closeAfterWriting();

    QTcpSocket *m_socket;
    const RequestHandler &m_handler;
    QByteArray m_buffer;
    bool m_waiting = false;      // an answer is delayed: later requests wait
    bool m_hung = false;         // a hang fault: nothing more is answered
    bool m_closing = false;      // the connection closes once written
    bool m_sentContinue = false; // "100 Continue" already sent for the pending request
};

} // namespace runlane::fleetsim
