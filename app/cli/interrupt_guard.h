#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

// While it lives, the first Ctrl-C (SIGINT) calls `onInterrupt` on the event loop instead of
// killing the process, so that automated work can stop cleanly (a fan-out lets the requests in
// flight finish and records them). A second Ctrl-C quits at once, as usual.
class InterruptGuard : public QObject
{
    Q_OBJECT

public:
    explicit InterruptGuard(std::function<void()> onInterrupt);
    ~InterruptGuard() override;

private:
    std::function<void()> m_onInterrupt;
    QSocketNotifier *m_notifier = nullptr;
};
