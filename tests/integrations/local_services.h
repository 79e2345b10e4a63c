#pragma once

#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

// Debian's real Prometheus and Alertmanager, started on free loopback ports with temporary
// storage for one test, and stopped with it. Each waits (bounded) until the service says it is
// ready; `error()` says why when it did not start.
class LocalService
{
public:
    virtual ~LocalService();
    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

protected:
    // Starts `program` with `arguments` (which may use `%PORT%` and `%DIR%`), then polls
    // `readyPath` until it answers 200.
    void start(const QString &program, QStringList arguments, const QString &readyPath);
    QString dir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

// Prometheus scraping `targets` ("127.0.0.1:PORT") every second.
class LocalPrometheus : public LocalService
{
public:
    explicit LocalPrometheus(const QStringList &targets);
};

class LocalAlertmanager : public LocalService
{
public:
    LocalAlertmanager();
};

// A free loopback port (there is a small window in which another process could take it).
quint16 freeLoopbackPort();
