#pragma once

#include "engine/layout/layout_cache.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace runlane::desktop {

// Lays out playbooks on the thread pool, so that Graphviz never runs on the GUI thread. Only the
// newest request is delivered: a result that arrives after a newer request is dropped, however
// the two finish. The layout options (fonts) are taken on the GUI thread, where fonts live.
class DiagramLayoutJob : public QObject
{
    Q_OBJECT

public:
    explicit DiagramLayoutJob(QObject *parent = nullptr);
    ~DiagramLayoutJob() override;

    // Starts laying out `playbook`, superseding any request still running. A layout the shared
    // cache already holds is delivered before this returns.
    void request(PlaybookPtr playbook);
    // Forgets the running request: its result is dropped.
    void cancel();
    // From request() until its result is delivered.
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(std::shared_ptr<const runlane::LayoutResult> result);

private:
    quint64 m_generation = 0; // of the newest request
    // The same, for the tasks on the pool: a task whose request is no longer the newest skips.
    std::shared_ptr<std::atomic<quint64>> m_latest = std::make_shared<std::atomic<quint64>>(0);
    bool m_running = false;
};

} // namespace runlane::desktop
