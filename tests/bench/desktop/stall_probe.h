#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

// How long the event loop could not run: a precise timer asks to fire every `intervalMs`, and
// every gap between two ticks beyond that interval is time in which no input, paint or timer of
// the thread could run either. Times are nanoseconds on the clock handed in, so that stalls can
// be matched with what the program was doing then.
class StallProbe : public QObject
{
    Q_OBJECT

public:
    struct Stall
    {
        qint64 startNs = 0; // when the late tick was due
        qint64 lateNs = 0;  // how late it came
    };

    StallProbe(const QElapsedTimer &clock, int intervalMs, QObject *parent = nullptr);

    void start();
    void stop();

    // One lateness per tick, in order (0 for a tick on time).
    const std::vector<Stall> &ticks() const { return m_ticks; }
    qint64 longestNs() const;
    // The lateness that `percentile` % of the ticks stay within (nearest rank).
    qint64 percentileNs(double percentile) const;
    // The `count` ticks that came latest, the latest first.
    std::vector<Stall> worst(std::size_t count) const;

private:
    void tick();

    const QElapsedTimer &m_clock;
    QTimer m_timer;
    qint64 m_intervalNs;
    qint64 m_lastNs = -1;
    std::vector<Stall> m_ticks;
};
