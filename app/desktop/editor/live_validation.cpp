#include "app/desktop/editor/live_validation.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace runlane::desktop {

LiveValidation::LiveValidation(Kind kind, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(defaultDelayMs);
    connect(m_timer, &QTimer::timeout, this, &LiveValidation::start);
}

LiveValidation::~LiveValidation()
{
    // A task still running finds itself superseded and its result goes nowhere.
    m_latest->store(~quint64(0));
}

void LiveValidation::setSource(std::function<QByteArray()> text, const QString &file)
{
    m_source = std::move(text);
    m_file = file;
}

void LiveValidation::textChanged()
{
    m_pending = true;
    m_timer->start();
}

void LiveValidation::validateNow()
{
    m_pending = true;
    m_timer->stop();
    start();
}

void LiveValidation::cancel()
{
    m_timer->stop();
    m_latest->store(++m_generation);
    m_pending = false;
}

void LiveValidation::setDelay(int ms)
{
    m_timer->setInterval(ms);
}

void LiveValidation::start()
{
    const QByteArray text = m_source ? m_source() : QByteArray();
    if (m_kind == Kind::Playbook) {
        run([text, file = m_file] { return loadPlaybookText(text, file); },
            [this](const LoadResult &result) { Q_EMIT playbookValidated(result); });
    } else {
        run([text, file = m_file] { return loadScenarioText(text, file); },
            [this](const ScenarioLoad &result) { Q_EMIT testFileValidated(result); });
    }
}

template<class Check, class Deliver> void LiveValidation::run(Check check, Deliver deliver)
{
    using Result = std::invoke_result_t<Check>;
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    auto *watcher = new QFutureWatcher<std::optional<Result>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, deliver] {
        watcher->deleteLater();
        const std::optional<Result> result = watcher->result();
        if (!result || generation != m_generation)
            return;
        m_pending = false;
        deliver(*result);
    });
    watcher->setFuture(
        QtConcurrent::run([latest = m_latest, generation, check]() -> std::optional<Result> {
            if (latest->load() != generation)
                return std::nullopt; // superseded while it waited for a thread
            return check();
        }));
}

} // namespace runlane::desktop
