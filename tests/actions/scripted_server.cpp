#include "scripted_server.h"

#include <QFile>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>

ScriptedServer::ScriptedServer()
    : m_server(std::make_unique<QTcpServer>())
{
    listen();
}

ScriptedServer::ScriptedServer(const QString &certificateFile, const QString &keyFile)
    : m_tls(true)
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    QFile certificate(certificateFile), key(keyFile);
    if (certificate.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly)) {
        tls.setLocalCertificate(QSslCertificate(certificate.readAll()));
        tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
    }
    server->setSslConfiguration(tls);
    m_server = std::move(server);
    listen();
}

void ScriptedServer::listen()
{
    m_handler = [](const Request &, int) { return answer(200, "ok"); };
    // After the TLS handshake for HTTPS; at once for plain HTTP.
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &ScriptedServer::onConnection);
    m_server->listen(QHostAddress::LocalHost, 0);
}

QString ScriptedServer::url(const QByteArray &path) const
{
    return QStringLiteral("%1://127.0.0.1:%2%3")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(port())
        .arg(QString::fromLatin1(path));
}

ScriptedServer::Reply ScriptedServer::answer(int status, QByteArray body,
                                             QList<std::pair<QByteArray, QByteArray>> headers)
{
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    reply.headers = std::move(headers);
    return reply;
}

void ScriptedServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        const int connection = ++m_connections;
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, connection] {
            buffer->append(socket->readAll());
            for (;;) { // every complete request in the buffer
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                Request request;
                request.connection = connection;
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                request.method = first.value(0);
                request.target = first.value(1);
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const qsizetype colon = lines.at(i).indexOf(':');
                    if (colon > 0)
                        request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                               lines.at(i).mid(colon + 1).trimmed());
                }
                const qsizetype length = request.headers.value("content-length", "0").toLongLong();
                if (buffer->size() < end + 4 + length)
                    return;
                request.body = buffer->mid(end + 4, length);
                buffer->remove(0, end + 4 + length);
                const int index = int(m_requests.size());
                m_requests.append(request);
                m_mostInFlight = std::max(m_mostInFlight, int(m_requests.size()) - m_answered);
                const Reply reply = m_handler(request, index);
                if (reply.kind == Reply::Kind::Reset) {
                    socket->abort();
                    return;
                }
                if (reply.kind == Reply::Kind::Hang)
                    return;
                QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\n";
                for (const auto &[name, value] : reply.headers)
                    out += name + ": " + value + "\r\n";
                out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
                out += reply.body;
                if (reply.delayMs > 0) {
                    QTimer::singleShot(reply.delayMs, socket, [this, socket, out] {
                        ++m_answered;
                        socket->write(out);
                    });
                } else {
                    ++m_answered;
                    socket->write(out);
                }
            }
        });
    }
}
