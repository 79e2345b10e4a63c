#include "fleetsim_process.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

FleetSimProcess::FleetSimProcess(const QStringList &arguments)
{
    m_process.setProgram(QStringLiteral(FLEETSIM_EXECUTABLE));
    m_process.setArguments(QStringList{QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    m_process.start();
}

FleetSimProcess::~FleetSimProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool FleetSimProcess::stop(int *exitCode, QByteArray *standardError)
{
    m_process.terminate();
    const bool stopped = m_process.waitForFinished(20000);
    if (!stopped) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    *exitCode = m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    *standardError = m_process.readAllStandardError();
    return stopped;
}

bool FleetSimProcess::waitUntilListening(QString *error, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    if (!m_process.waitForStarted(int(deadline.remainingTime()))) {
        *error = QStringLiteral("could not start: ") + m_process.errorString();
        return false;
    }
    while (!m_process.canReadLine()) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning) {
            *error = QStringLiteral("no port line; stderr: ") +
                     QString::fromLocal8Bit(m_process.readAllStandardError());
            return false;
        }
        m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    m_firstLine = QString::fromUtf8(m_process.readLine()).trimmed();
    static const QRegularExpression pattern(
        QStringLiteral("\\Alistening on http://127\\.0\\.0\\.1:(\\d+)\\z"));
    const QRegularExpressionMatch match = pattern.match(m_firstLine);
    if (!match.hasMatch()) {
        *error = QStringLiteral("unexpected first line: ") + m_firstLine;
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    return true;
}

QUrl FleetSimProcess::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
}

QByteArray HttpAnswer::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpClient::HttpClient()
{
    m_manager.setProxy(QNetworkProxy::NoProxy); // only ever 127.0.0.1
}

HttpAnswer HttpClient::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                            const HeaderList &headers, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);

    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = method == "GET" && body.isEmpty()
                               ? m_manager.get(request)
                               : m_manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();

    HttpAnswer answer;
    answer.elapsedMs = clock.elapsed();
    answer.timedOut = timedOut;
    if (timedOut)
        reply->abort();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = timedOut ? QNetworkReply::TimeoutError : reply->error();
    if (!timedOut)
        answer.body = reply->readAll();
    answer.contentType = reply->rawHeader("Content-Type");
    answer.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return answer;
}

RawExchange rawExchange(quint16 port, const QByteArray &bytes, int quietMs)
{
    RawExchange exchange;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return exchange;
    socket.write(bytes);
    socket.flush();
    const QDeadlineTimer overall(15000);
    while (!overall.hasExpired()) {
        if (socket.waitForReadyRead(quietMs)) {
            exchange.received += socket.readAll();
            continue;
        }
        exchange.received += socket.readAll();
        exchange.closedByServer = socket.state() != QAbstractSocket::ConnectedState;
        break;
    }
    return exchange;
}
