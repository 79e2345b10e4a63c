#include "app/desktop/diagram_layout_job.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace runlane::desktop {

using LayoutFuture = QFutureWatcher<std::shared_ptr<const LayoutResult>>;

DiagramLayoutJob::DiagramLayoutJob(QObject *parent)
    : QObject(parent)
{}

// A layout still running finishes on the pool with its own copies; its watcher dies with us, so
// nothing is delivered.
DiagramLayoutJob::~DiagramLayoutJob() = default;

void DiagramLayoutJob::request(PlaybookPtr playbook)
{
    const quint64 generation = ++m_generation;
    m_latest->store(generation);
    if (!playbook) {
        m_running = false;
        return;
    }
    const LayoutOptions options = LayoutOptions::defaults();
    if (auto cached = LayoutCache::shared().find(*playbook, options)) {
        m_running = false;
        Q_EMIT finished(std::move(cached));
        return;
    }
    m_running = true;
    // One watcher per request: a stale result can then be told apart by its generation.
    auto *watcher = new LayoutFuture(this);
    connect(watcher, &LayoutFuture::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_running = false;
        Q_EMIT finished(watcher->result());
    });
    // A request superseded before it started is skipped (arrowing through a list of large
    // playbooks must not queue one layout per playbook passed over).
    watcher->setFuture(
        QtConcurrent::run([playbook = std::move(playbook), options, latest = m_latest,
                           generation]() -> std::shared_ptr<const LayoutResult> {
            if (latest->load() != generation)
                return nullptr;
            return LayoutCache::shared().layout(*playbook, options);
        }));
}

void DiagramLayoutJob::cancel()
{
    m_latest->store(++m_generation);
    m_running = false;
}

} // namespace runlane::desktop
