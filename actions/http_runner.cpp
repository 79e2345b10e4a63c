#include "actions/http_runner.h"

#include "actions/curl_library.h"
#include "actions/curl_transfer.h"
#include "actions/retry_policy.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>

#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace runlane {

namespace {} // namespace

// The runner's thread. Other threads only hand work over, through the mutex, and wake it from
// curl.multiPoll(); everything else here runs on it.
class HttpRunner::Worker
{
public:
    using Deliver = std::function<void(quint64, const HttpResult &)>;

    explicit Worker(Deliver deliver)
        : m_deliver(std::move(deliver))
        , m_random(std::random_device{}())
    {
        m_multi = curl.multiInit();
        // Enough idle connections kept open to reuse them across a fan-out's endpoints.
        curl.multiSetopt(m_multi, CURLMOPT_MAXCONNECTS, 512L);
        m_clock.start();
        m_thread = std::thread([this] { run(); });
    }

    ~Worker()
    {
        post([this] { m_stopping = true; });
        m_thread.join();
        curl.multiCleanup(m_multi);
    }

    void submit(quint64 id, HttpRequest request, quint64 group)
    {
        post([this, id, request = std::move(request), group]() mutable {
            accept(id, std::move(request), group);
        });
    }
    void cancel(quint64 id)
    {
        post([this, id] { cancelJob(id); });
    }
    void openGroup(quint64 group, int limit)
    {
        post([this, group, limit] { m_groups[group].limit = std::max(1, limit); });
    }
    void dropQueued(quint64 group)
    {
        post([this, group] { dropQueuedOf(group); });
    }
    void holdGroup(quint64 group, bool held)
    {
        post([this, group, held] {
            const auto it = m_groups.find(group);
            if (it == m_groups.end())
                return;
            it->second.held = held;
            if (!held) {
                startParkedOf(group);
                startWaitingOf(group);
            }
        });
    }
    void closeGroup(quint64 group)
    {
        post([this, group] {
            dropQueuedOf(group);
            m_groups[group].closing = true;
            forgetGroupIfIdle(group);
        });
    }

private:
    // A request across its attempts, once started.
    struct Job
    {
        HttpRequest request;
        quint64 group = 0;
        QByteArray caBundle;
        QElapsedTimer clock; // since it started
        int attempts = 0;
        std::unique_ptr<CurlTransfer> transfer; // the attempt in flight, if any
        qint64 retryAtMs = -1;                  // on m_clock, while waiting for the next attempt
    };
    // Requests of which at most `limit` are started at once; the rest wait here, in order.
    struct Group
    {
        int limit = 1;
        int started = 0;
        bool closing = false;
        bool held = false;           // nothing more starts until it is released
        std::vector<quint64> parked; // retries due while held
        std::deque<std::pair<quint64, HttpRequest>> waiting;
    };

    void post(std::function<void()> task)
    {
        bool wake = false;
        {
            const std::lock_guard lock(m_mutex);
            wake = m_tasks.empty(); // otherwise a wake-up is pending already
            m_tasks.push_back(std::move(task));
        }
        if (wake)
            curl.multiWakeup(m_multi);
    }

    void run()
    {
        while (!m_stopping) {
            std::vector<std::function<void()>> tasks;
            {
                const std::lock_guard lock(m_mutex);
                tasks.swap(m_tasks);
            }
            for (auto &task : tasks)
                task();
            if (m_stopping)
                break;
            startDueRetries();

            int running = 0;
            curl.multiPerform(m_multi, &running);
            int queued = 0;
            while (CURLMsg *msg = curl.multiInfoRead(m_multi, &queued)) {
                if (msg->msg == CURLMSG_DONE)
                    attemptDone(msg->easy_handle, msg->data.result);
            }

            // Sleep until libcurl has something, a retry is due or another thread posts.
            qint64 waitMs = 1000;
            if (!m_retries.empty())
                waitMs =
                    std::clamp<qint64>(m_retries.begin()->first - m_clock.elapsed(), 0, waitMs);
            curl.multiPoll(m_multi, nullptr, 0, int(waitMs), nullptr);
        }
        // Stopping: whatever is left is dropped without a result (the runner is going away).
        for (auto &[id, job] : m_jobs) {
            if (job.transfer)
                curl.multiRemoveHandle(m_multi, job.transfer->handle());
        }
        m_jobs.clear();
    }

    void accept(quint64 id, HttpRequest request, quint64 group)
    {
        if (group) {
            Group &g = m_groups[group];
            if (g.held || g.started >= g.limit) {
                g.waiting.emplace_back(id, std::move(request));
                return;
            }
            ++g.started;
        }
        start(id, std::move(request), group);
    }

    void start(quint64 id, HttpRequest request, quint64 group)
    {
        Job &job = m_jobs[id];
        job.request = std::move(request);
        job.group = group;
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
        startAttempt(id, job);
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

    void startAttempt(quint64 id, Job &job)
    {
        job.retryAtMs = -1;
        ++job.attempts;
        job.transfer = std::make_unique<CurlTransfer>(job.request, job.caBundle);
        if (const auto &invalid = job.transfer->setupError())
            return finishAttempt(id, job, *invalid);
        m_byHandle[job.transfer->handle()] = id;
        curl.multiAddHandle(m_multi, job.transfer->handle());
    }

    void startDueRetries()
    {
        const qint64 now = m_clock.elapsed();
        while (!m_retries.empty() && m_retries.begin()->first <= now) {
            const quint64 id = m_retries.begin()->second;
            m_retries.erase(m_retries.begin());
            const auto it = m_jobs.find(id);
            if (it == m_jobs.end() || it->second.retryAtMs < 0)
                continue;
            // A held group's retries wait too: held means nothing more is sent.
            const auto group = m_groups.find(it->second.group);
            if (group != m_groups.end() && group->second.held) {
                group->second.parked.push_back(id);
                continue;
            }
            startAttempt(id, it->second);
        }
    }

    // Retries that came due while their group was held.
    void startParkedOf(quint64 group)
    {
        const auto g = m_groups.find(group);
        if (g == m_groups.end())
            return;
        for (const quint64 id : std::exchange(g->second.parked, {})) {
            const auto it = m_jobs.find(id);
            if (it != m_jobs.end() && it->second.retryAtMs >= 0)
                startAttempt(id, it->second);
        }
    }

    void attemptDone(CURL *easy, CURLcode code)
    {
        const auto found = m_byHandle.find(easy);
        if (found == m_byHandle.end())
            return;
        const quint64 id = found->second;
        m_byHandle.erase(found);
        curl.multiRemoveHandle(m_multi, easy);
        Job &job = m_jobs.at(id);
        finishAttempt(id, job, job.transfer->finish(code));
    }

    void finishAttempt(quint64 id, Job &job, HttpResult attempt)
    {
        job.transfer.reset();
        attempt.attempts = job.attempts;
        const auto delay =
            nextAttemptDelayMs(job.request, attempt, QDateTime::currentDateTimeUtc(), m_random);
        if (delay) { // a retry keeps its place in the group: it is still in flight
            job.retryAtMs = m_clock.elapsed() + *delay;
            m_retries.emplace(job.retryAtMs, id);
            return;
        }
        finishJob(id, attempt);
    }

    void finishJob(quint64 id, HttpResult result)
    {
        const auto it = m_jobs.find(id);
        result.elapsedMs = it->second.clock.elapsed();
        result.attempts = std::max(result.attempts, it->second.attempts);
        const quint64 group = it->second.group;
        m_jobs.erase(it);
        m_deliver(id, result);
        if (group)
            startNextOf(group);
    }

    // A place in the group came free: the next waiting request starts at once, here.
    void startNextOf(quint64 group)
    {
        --m_groups[group].started;
        startWaitingOf(group);
    }

    // Starts waiting requests while the group has room and is not held.
    void startWaitingOf(quint64 group)
    {
        // Looked up again each time: a start that fails at once re-enters here.
        for (auto it = m_groups.find(group); it != m_groups.end(); it = m_groups.find(group)) {
            Group &g = it->second;
            if (g.held || g.started >= g.limit || g.waiting.empty())
                break;
            auto [id, request] = std::move(g.waiting.front());
            g.waiting.pop_front();
            ++g.started;
            start(id, std::move(request), group);
        }
        forgetGroupIfIdle(group);
    }

    void forgetGroupIfIdle(quint64 group)
    {
        const auto it = m_groups.find(group);
        if (it != m_groups.end() && it->second.closing && it->second.started == 0 &&
            it->second.waiting.empty())
            m_groups.erase(it);
    }

    void dropQueuedOf(quint64 group)
    {
        if (const auto g = m_groups.find(group); g != m_groups.end()) {
            g->second.held = false; // stopping: what was out goes on to its end, as unheld
            startParkedOf(group);
        }
        const auto it = m_groups.find(group); // again: a start that failed may have ended it
        if (it == m_groups.end())
            return;
        for (auto &[id, request] : it->second.waiting) {
            HttpResult notSent;
            notSent.error = HttpResult::Error::Cancelled;
            notSent.errorText = QStringLiteral("cancelled before it was sent");
            m_deliver(id, notSent); // attempts 0: never sent
        }
        it->second.waiting.clear();
    }

    void cancelJob(quint64 id)
    {
        HttpResult cancelled;
        cancelled.error = HttpResult::Error::Cancelled;
        cancelled.errorText = QStringLiteral("cancelled");
        const auto it = m_jobs.find(id);
        if (it == m_jobs.end()) {
            // Not started yet: waiting in its group.
            for (auto &[group, g] : m_groups) {
                const auto w = std::find_if(g.waiting.begin(), g.waiting.end(),
                                            [id](const auto &entry) { return entry.first == id; });
                if (w != g.waiting.end()) {
                    g.waiting.erase(w);
                    m_deliver(id, cancelled);
                    return;
                }
            }
            return;
        }
        Job &job = it->second;
        if (job.transfer) {
            m_byHandle.erase(job.transfer->handle());
            curl.multiRemoveHandle(m_multi, job.transfer->handle());
            job.transfer.reset();
        }
        finishJob(id, cancelled);
    }

    const CurlLibrary &curl = curlLibrary(); // loaded: the runner exists only when it is
    Deliver m_deliver;
    CURLM *m_multi = nullptr;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_tasks;
    // The runner's thread only:
    bool m_stopping = false;
    QElapsedTimer m_clock;
    std::unordered_map<quint64, Job> m_jobs;
    std::unordered_map<CURL *, quint64> m_byHandle;
    std::multimap<qint64, quint64> m_retries; // due time on m_clock → job
    std::unordered_map<quint64, Group> m_groups;
    std::map<QString, QByteArray> m_caBundles;
    std::mt19937_64 m_random;
};

HttpRunner::HttpRunner(QObject *parent)
    : QObject(parent)
{
    if (!curlLibrary().loaded)
        return; // every request fails with the reason (submit)
    m_worker = std::make_unique<Worker>([this](quint64 id, const HttpResult &result) {
        // To this object's thread, in slices (deliverReady); a result still queued when the
        // runner goes is dropped.
        const std::lock_guard lock(m_readyMutex);
        m_ready.emplace_back(id, result);
        if (!std::exchange(m_drainPosted, true))
            QMetaObject::invokeMethod(this, &HttpRunner::deliverReady, Qt::QueuedConnection);
    });
}

HttpRunner::~HttpRunner()
{
    m_worker.reset(); // joins the thread: nothing is delivered after this
}

quint64 HttpRunner::openGroup(int maxInFlight)
{
    const quint64 group = m_nextGroup++;
    if (m_worker)
        m_worker->openGroup(group, maxInFlight);
    return group;
}

void HttpRunner::dropQueued(quint64 group)
{
    if (m_worker)
        m_worker->dropQueued(group);
}

void HttpRunner::holdGroup(quint64 group, bool held)
{
    if (m_worker)
        m_worker->holdGroup(group, held);
}

void HttpRunner::closeGroup(quint64 group)
{
    if (m_worker)
        m_worker->closeGroup(group);
}

quint64 HttpRunner::submit(HttpRequest request, Done done, quint64 group)
{
    const quint64 id = m_nextId++;
    m_done.insert(id, std::move(done));
    if (!m_worker) {
        HttpResult failed;
        failed.error = HttpResult::Error::Other;
        failed.errorText = curlLibrary().error;
        QMetaObject::invokeMethod(
            this, [this, id, failed] { deliver(id, failed); }, Qt::QueuedConnection);
        return id;
    }
    m_worker->submit(id, std::move(request), group);
    return id;
}

void HttpRunner::cancel(quint64 id)
{
    if (m_worker && m_done.contains(id))
        m_worker->cancel(id);
}

void HttpRunner::discard(quint64 id)
{
    if (m_done.remove(id) && m_worker)
        m_worker->cancel(id); // its result finds no `done`, and is dropped
}

// Thousands of answers can be waiting at once (a fan-out on a fast network): a slice of them per
// turn of the event loop, so that timers and painting run in between.
void HttpRunner::deliverReady()
{
    constexpr qsizetype slice = 64;
    std::vector<std::pair<quint64, HttpResult>> batch;
    {
        const std::lock_guard lock(m_readyMutex);
        const auto n = std::min<qsizetype>(slice, qsizetype(m_ready.size()));
        batch.assign(std::make_move_iterator(m_ready.begin()),
                     std::make_move_iterator(m_ready.begin() + n));
        m_ready.erase(m_ready.begin(), m_ready.begin() + n);
        if (m_ready.empty())
            m_drainPosted = false;
        else // the rest after what else is waiting
            QMetaObject::invokeMethod(this, &HttpRunner::deliverReady, Qt::QueuedConnection);
    }
    const QPointer<HttpRunner> alive(this); // a `done` may end its runner's owner
    for (const auto &[id, result] : batch) {
        if (!alive)
            return;
        deliver(id, result);
    }
}

void HttpRunner::deliver(quint64 id, const HttpResult &result)
{
    const Done done = m_done.take(id);
    if (done)
        done(result);
}

} // namespace runlane
