#include "stall_probe.h"

#include <algorithm>
#include <cmath>

StallProbe::StallProbe(const QElapsedTimer &clock, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_intervalNs(qint64(intervalMs) * 1000 * 1000)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_ticks.clear();
    m_ticks.reserve(1 << 16);
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start();
}

void StallProbe::stop()
{
    m_timer.stop();
}

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 due = m_lastNs + m_intervalNs;
    m_ticks.push_back({due, std::max<qint64>(0, now - due)});
    m_lastNs = now;
}

qint64 StallProbe::longestNs() const
{
    qint64 longest = 0;
    for (const Stall &s : m_ticks)
        longest = std::max(longest, s.lateNs);
    return longest;
}

qint64 StallProbe::percentileNs(double percentile) const
{
    if (m_ticks.empty())
        return 0;
    std::vector<qint64> late;
    late.reserve(m_ticks.size());
    for (const Stall &s : m_ticks)
        late.push_back(s.lateNs);
    const auto rank = std::size_t(std::ceil(percentile / 100.0 * double(late.size())));
    const std::size_t index = std::clamp<std::size_t>(rank, 1, late.size()) - 1;
    std::nth_element(late.begin(), late.begin() + std::ptrdiff_t(index), late.end());
    return late[index];
}

std::vector<StallProbe::Stall> StallProbe::worst(std::size_t count) const
{
    std::vector<Stall> sorted = m_ticks;
    const std::size_t n = std::min(count, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + std::ptrdiff_t(n), sorted.end(),
                      [](const Stall &a, const Stall &b) { return a.lateNs > b.lateNs; });
    sorted.resize(n);
    return sorted;
}
