#include "local_services.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

LocalService::~LocalService()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

void LocalService::start(const QString &program, QStringList arguments, const QString &readyPath)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty()) {
        m_error = QStringLiteral("%1 is not installed (Debian package %1)").arg(program);
        return;
    }
    m_port = freeLoopbackPort();
    for (QString &a : arguments) {
        a.replace(QStringLiteral("%PORT%"), QString::number(m_port));
        a.replace(QStringLiteral("%DIR%"), m_dir.path());
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(path, arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("%1 did not start: %2").arg(program, m_process.errorString());
        return;
    }
    QNetworkAccessManager manager;
    const QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_error = QStringLiteral("%1 exited: %2")
                          .arg(program, QString::fromUtf8(m_process.readAll().right(2000)));
            return;
        }
        QNetworkReply *reply = manager.get(QNetworkRequest(QUrl(url() + readyPath)));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->abort();
        reply->deleteLater();
        if (status == 200)
            return;
        QThread::msleep(200);
    }
    m_error = QStringLiteral("%1 was not ready on %2 within 60 s: %3")
                  .arg(program, url(), QString::fromUtf8(m_process.readAll().right(2000)));
}

LocalPrometheus::LocalPrometheus(const QStringList &targets)
{
    QFile config(dir() + QStringLiteral("/prometheus.yml"));
    config.open(QIODevice::WriteOnly);
    QByteArray list;
    for (const QString &t : targets)
        list += (list.isEmpty() ? "'" : ", '") + t.toUtf8() + "'";
    config.write("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                 "scrape_configs:\n"
                 "  - job_name: fleetsim\n"
                 "    static_configs: [{targets: [" +
                 list + "]}]\n");
    config.close();
    start(QStringLiteral("prometheus"),
          {QStringLiteral("--config.file=%DIR%/prometheus.yml"),
           QStringLiteral("--storage.tsdb.path=%DIR%/data"),
           QStringLiteral("--web.listen-address=127.0.0.1:%PORT%")},
          QStringLiteral("/-/ready"));
}

LocalAlertmanager::LocalAlertmanager()
{
    QFile config(dir() + QStringLiteral("/alertmanager.yml"));
    config.open(QIODevice::WriteOnly);
    config.write("route: {receiver: nobody}\nreceivers: [{name: nobody}]\n");
    config.close();
    // --cluster.listen-address= (empty): a single instance, no gossip port.
    start(QStringLiteral("prometheus-alertmanager"),
          {QStringLiteral("--config.file=%DIR%/alertmanager.yml"),
           QStringLiteral("--storage.path=%DIR%/data"),
           QStringLiteral("--web.listen-address=127.0.0.1:%PORT%"),
           QStringLiteral("--cluster.listen-address=")},
          QStringLiteral("/-/ready"));
}
