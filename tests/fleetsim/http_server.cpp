#include "http_server.h"

#include "http_parser.h"

#include <QTcpSocket>
#include <QTimer>

namespace runlane::fleetsim {

HttpServer::HttpServer(RequestHandler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    // Many clients connect at once in load tests; the default backlog of 50 would make some wait
    // for a SYN retry.
    m_server.setListenBacklogSize(1024);
    m_server.setMaxPendingConnections(1024);
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::acceptConnections);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

void HttpServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection())
        new HttpConnection(socket, m_handler, this);
}

HttpConnection::HttpConnection(QTcpSocket *socket, const RequestHandler &handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readIncoming);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (m_socket->bytesAvailable() > 0)
        readIncoming();
}

void HttpConnection::readIncoming()
{
    const QByteArray incoming = m_socket->readAll();
    if (m_hung || m_closing)
        return; // nothing more is answered on this connection
    m_buffer += incoming;
    processBuffer();
}

void HttpConnection::processBuffer()
{
    while (!m_waiting && !m_hung && !m_closing && !m_buffer.isEmpty()) {
        HttpRequest request;
        const HttpParseResult parsed = parseHttpRequest(m_buffer, request);
        if (parsed.state == HttpParseResult::State::NeedMore) {
            if (parsed.expectsContinue && !m_sentContinue) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                m_sentContinue = true;
            }
            return;
        }
        if (parsed.state == HttpParseResult::State::Invalid) {
            // The stream cannot be trusted after a bad request: answer, then close.
            const HttpResponse error =
                HttpResponse::text(parsed.errorStatus, parsed.errorMessage + '\n');
            m_socket->write(serializeResponse(error, true));
            closeAfterWriting();
            return;
        }
        m_buffer.remove(0, parsed.consumed);
        m_sentContinue = false;
        const HttpReply reply = m_handler(request);
        const bool keepAlive = request.keepAlive();
        const bool headOnly = request.method == "HEAD";
        if (reply.delayMs > 0) {
            m_waiting = true;
            QTimer::singleShot(reply.delayMs, this, [this, reply, keepAlive, headOnly] {
                m_waiting = false;
                finish(reply, keepAlive, headOnly);
                processBuffer();
            });
            return;
        }
        finish(reply, keepAlive, headOnly);
    }
}

void HttpConnection::finish(const HttpReply &reply, bool keepAlive, bool headOnly)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    switch (reply.action) {
    case HttpReply::Action::Reset:
        m_closing = true;
        m_socket->abort();
        deleteLater();
        return;
    case HttpReply::Action::Hang:
        m_hung = true;
        m_buffer.clear();
        return;
    case HttpReply::Action::Answer:
        m_socket->write(serializeResponse(reply.response, !keepAlive, headOnly));
        if (!keepAlive)
            closeAfterWriting();
        return;
    }
}

void HttpConnection::closeAfterWriting()
{
    m_closing = true;
    m_buffer.clear();
    m_socket->disconnectFromHost(); // flushes what is written, then emits disconnected
}

} // namespace runlane::fleetsim
