#pragma once

#include <QElapsedTimer>
#include <QString>

#include <functional>
#include <utility>
#include <vector>

// Calls timed on the event loop's thread, on the same clock as the stall probe: a stall that
// falls inside one of them is that call's doing (or the doing of what it called).
class SpanLog
{
public:
    struct Span
    {
        QString name;
        qint64 startNs = 0;
        qint64 endNs = 0;
    };

    explicit SpanLog(const QElapsedTimer &clock)
        : m_clock(clock)
    {}

    template<typename F> decltype(auto) time(const QString &name, F &&call)
    {
        struct Closer
        {
            SpanLog &log;
            QString name;
            qint64 start;
            ~Closer() { log.m_spans.push_back({name, start, log.m_clock.nsecsElapsed()}); }
        } closer{*this, name, m_clock.nsecsElapsed()};
        return std::forward<F>(call)();
    }

    // Replaces `hook` by itself timed as `name`; an unset hook stays unset.
    template<typename R, typename... A> void wrap(std::function<R(A...)> &hook, const QString &name)
    {
        if (!hook)
            return;
        hook = [this, inner = std::move(hook), name](A... args) -> R {
            return time(name, [&]() -> R { return inner(std::forward<A>(args)...); });
        };
    }

    const std::vector<Span> &spans() const { return m_spans; }

private:
    const QElapsedTimer &m_clock;
    std::vector<Span> m_spans;
};
