#pragma once

#include "actions/http_request.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace runlane {

// Sends HTTP requests on one thread of its own that owns a libcurl multi handle: no thread per
// request, connections kept alive and reused across requests (HTTP/2 where the server offers it).
// Each request is retried by its RetryPolicy (retry_policy.h) with the same Idempotency-Key; its
// `done` runs once, on the thread the runner lives in, with the final result.
//
// submit() and cancel() are called from the runner's own thread. Destroying the runner cancels
// everything still pending; no `done` runs after that.
class HttpRunner : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const HttpResult &)>;

    explicit HttpRunner(QObject *parent = nullptr);
    ~HttpRunner() override;

    // `group`: 0, or one from openGroup().
    quint64 submit(HttpRequest request, Done done, quint64 group = 0);

    // A group of requests of which at most `maxInFlight` are in flight at once (a request
    // waiting to be retried counts). The runner's thread starts the next one as soon as one
    // ends, in the order submitted, without a round trip to the caller.
    quint64 openGroup(int maxInFlight);
    // The group's requests not started yet end at once with Error::Cancelled and 0 attempts
    // (never sent); those in flight go on.
    void dropQueued(quint64 group);
    // Held, the group starts nothing more; those in flight go on. Released, it starts again.
    void holdGroup(quint64 group, bool held);
    // Done with the group: what is queued is dropped as by dropQueued(), and the group is
    // forgotten once its last request ends.
    void closeGroup(quint64 group);
    // Stops a request now, even mid-transfer: its `done` gets Error::Cancelled. A no-op for a
    // request already finished.
    void cancel(quint64 id);
    // Stops a request and drops its `done` unrun: for an owner that goes away before it ends.
    void discard(quint64 id);
    // Requests submitted whose `done` has not run yet.
    qsizetype pending() const { return m_done.size(); }

private:
    void deliverReady();
    void deliver(quint64 id, const HttpResult &result);

    class Worker;
    std::unique_ptr<Worker> m_worker;
    QHash<quint64, Done> m_done;
    quint64 m_nextId = 1;
    quint64 m_nextGroup = 1;
    // Results from the worker's thread, waiting for this object's.
    std::mutex m_readyMutex;
    std::deque<std::pair<quint64, HttpResult>> m_ready;
    bool m_drainPosted = false;
};

} // namespace runlane
