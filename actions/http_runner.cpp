#include "actions/http_runner.h"

#include "actions/curl_transfer.h"
#include "actions/retry_policy.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace runlane {

namespace {

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

// Everything below runs on the worker thread, except post() and stop(), which hand work over
// through the mutex and wake the thread from curl_multi_poll().
class HttpRunner::Worker
{
public:
    using Deliver = std::function<void(quint64, const HttpResult &)>;

    explicit Worker(Deliver deliver)
        : m_deliver(std::move(deliver))
        , m_random(std::random_device{}())
    {
        initCurlOnce();
        m_multi = curl_multi_init();
        // Enough idle connections kept open to reuse them across a fan-out's endpoints.
        curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, 512L);
        m_thread = std::thread([this] { run(); });
    }

    ~Worker()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        curl_multi_wakeup(m_multi);
        m_thread.join();
        curl_multi_cleanup(m_multi);
    }

    void submit(quint64 id, HttpRequest request)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_submitted.push_back({id, std::move(request)});
        }
        curl_multi_wakeup(m_multi);
    }

    void cancel(quint64 id)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_cancelled.push_back(id);
        }
        curl_multi_wakeup(m_multi);
    }

private:
    // A request across its attempts.
    struct Job
    {
        quint64 id = 0;
        HttpRequest request;
        QByteArray caBundle;
        QElapsedTimer clock; // since submission
        int attempts = 0;
        std::unique_ptr<CurlTransfer> transfer; // the attempt in flight, if any
        qint64 retryAtMs = -1;                  // when waiting for the next attempt
    };

    void run()
    {
        for (;;) {
            std::vector<std::pair<quint64, HttpRequest>> submitted;
            std::vector<quint64> cancelled;
            {
                const std::lock_guard lock(m_mutex);
                if (m_stopping)
                    break;
                submitted.swap(m_submitted);
                cancelled.swap(m_cancelled);
            }
            for (auto &[id, request] : submitted)
                accept(id, std::move(request));
            for (quint64 id : cancelled)
                cancelJob(id);
            startDueRetries();

            int running = 0;
            curl_multi_perform(m_multi, &running);
            int queued = 0;
            while (CURLMsg *msg = curl_multi_info_read(m_multi, &queued)) {
                if (msg->msg == CURLMSG_DONE)
                    attemptDone(msg->easy_handle, msg->data.result);
            }

            // Sleep until libcurl has something, a retry is due or another thread wakes us.
            qint64 waitMs = 1000;
            for (const auto &[id, job] : m_jobs) {
                if (job.retryAtMs >= 0)
                    waitMs = std::clamp<qint64>(job.retryAtMs - job.clock.elapsed(), 0, waitMs);
            }
            curl_multi_poll(m_multi, nullptr, 0, int(waitMs), nullptr);
        }
        // Stopping: whatever is left is dropped without a result (the runner is going away).
        for (auto &[id, job] : m_jobs) {
            if (job.transfer)
                curl_multi_remove_handle(m_multi, job.transfer->handle());
        }
        m_jobs.clear();
    }

    void accept(quint64 id, HttpRequest request)
    {
        Job &job = m_jobs[id];
        job.id = id;
        job.request = std::move(request);
        job.clock.start();
        if (!job.request.tlsCaFile.isEmpty()) {
            QString error;
            job.caBundle = caBundleFor(job.request.tlsCaFile, &error);
            if (job.caBundle.isEmpty()) {
                HttpResult failed;
                failed.error = HttpResult::Error::Tls;
                failed.errorText = error;
                return finishJob(id, failed);
            }
        }
        startAttempt(job);
    }

    QByteArray caBundleFor(const QString &file, QString *error)
    {
        auto it = m_caBundles.find(file);
        if (it == m_caBundles.end()) {
            QByteArray bundle = caBundleWith(file, error);
            if (bundle.isEmpty())
                return {};
            it = m_caBundles.emplace(file, bundle).first;
        }
        return it->second;
    }

    void startAttempt(Job &job)
    {
        job.retryAtMs = -1;
        ++job.attempts;
        job.transfer = std::make_unique<CurlTransfer>(job.request, job.caBundle);
        if (const auto &invalid = job.transfer->setupError())
            return finishAttempt(job, *invalid);
        m_byHandle[job.transfer->handle()] = job.id;
        curl_multi_add_handle(m_multi, job.transfer->handle());
    }

    void startDueRetries()
    {
        std::vector<quint64> due;
        for (const auto &[id, job] : m_jobs) {
            if (job.retryAtMs >= 0 && job.clock.elapsed() >= job.retryAtMs)
                due.push_back(id);
        }
        for (quint64 id : due)
            startAttempt(m_jobs.at(id));
    }

    void attemptDone(CURL *easy, CURLcode code)
    {
        const auto found = m_byHandle.find(easy);
        if (found == m_byHandle.end())
            return;
        Job &job = m_jobs.at(found->second);
        m_byHandle.erase(found);
        curl_multi_remove_handle(m_multi, easy);
        const HttpResult attempt = job.transfer->finish(code);
        finishAttempt(job, attempt);
    }

    void finishAttempt(Job &job, HttpResult attempt)
    {
        job.transfer.reset();
        attempt.attempts = job.attempts;
        const auto delay =
            nextAttemptDelayMs(job.request, attempt, QDateTime::currentDateTimeUtc(), m_random);
        if (delay) {
            job.retryAtMs = job.clock.elapsed() + *delay;
            return;
        }
        finishJob(job.id, attempt);
    }

    void finishJob(quint64 id, HttpResult result)
    {
        const auto it = m_jobs.find(id);
        result.elapsedMs = it->second.clock.elapsed();
        result.attempts = std::max(result.attempts, it->second.attempts);
        m_jobs.erase(it);
        m_deliver(id, result);
    }

    void cancelJob(quint64 id)
    {
        const auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return;
        Job &job = it->second;
        if (job.transfer) {
            m_byHandle.erase(job.transfer->handle());
            curl_multi_remove_handle(m_multi, job.transfer->handle());
            job.transfer.reset();
        }
        HttpResult cancelled;
        cancelled.error = HttpResult::Error::Cancelled;
        cancelled.errorText = QStringLiteral("cancelled");
        finishJob(id, cancelled);
    }

    Deliver m_deliver;
    CURLM *m_multi = nullptr;
    std::thread m_thread;
    std::mutex m_mutex;
    bool m_stopping = false;
    std::vector<std::pair<quint64, HttpRequest>> m_submitted;
    std::vector<quint64> m_cancelled;
    // Worker thread only:
    std::map<quint64, Job> m_jobs;
    std::map<CURL *, quint64> m_byHandle;
    std::map<QString, QByteArray> m_caBundles;
    std::mt19937_64 m_random;
};

HttpRunner::HttpRunner(QObject *parent)
    : QObject(parent)
{
    m_worker = std::make_unique<Worker>([this](quint64 id, const HttpResult &result) {
        // To this object's thread; a result still queued when the runner goes is dropped.
        QMetaObject::invokeMethod(
            this, [this, id, result] { deliver(id, result); }, Qt::QueuedConnection);
    });
}

HttpRunner::~HttpRunner()
{
    m_worker.reset(); // joins the thread: nothing is delivered after this
}

quint64 HttpRunner::submit(HttpRequest request, Done done)
{
    const quint64 id = m_nextId++;
    m_done.insert(id, std::move(done));
    m_worker->submit(id, std::move(request));
    return id;
}

void HttpRunner::cancel(quint64 id)
{
    if (m_done.contains(id))
        m_worker->cancel(id);
}

void HttpRunner::discard(quint64 id)
{
    if (m_done.remove(id))
        m_worker->cancel(id); // its result finds no `done`, and is dropped
}

void HttpRunner::deliver(quint64 id, const HttpResult &result)
{
    const Done done = m_done.take(id);
    if (done)
        done(result);
}

} // namespace runlane
