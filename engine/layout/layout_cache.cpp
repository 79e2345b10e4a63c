#include "engine/layout/layout_cache.h"

#include "engine/layout/graphviz_layout.h"

#include <QCryptographicHash>
#include <QHash>
#include <QList>

#include <condition_variable>
#include <mutex>

namespace runlane {

struct LayoutCache::Private
{
    qsizetype capacity;
    mutable std::mutex mutex;
    std::condition_variable finished;
    QHash<QByteArray, std::shared_ptr<const LayoutResult>> entries;
    QList<QByteArray> order;           // least recently used first
    QHash<QByteArray, int> inProgress; // keys being laid out now (waiters block on `finished`)
    qsizetype computed = 0;

    void touch(const QByteArray &key)
    {
        order.removeOne(key);
        order.append(key);
    }
};

LayoutCache::LayoutCache(qsizetype capacity)
    : d(std::make_unique<Private>())
{
    d->capacity = std::max<qsizetype>(capacity, 1);
}

LayoutCache::~LayoutCache() = default;

QByteArray LayoutCache::keyFor(const Playbook &playbook, const LayoutOptions &options)
{
    if (playbook.source.isEmpty())
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(playbook.source.toUtf8());
    // Everything that changes a size: fonts (family, size, weight…) and limits.
    const QString parameters = QStringLiteral("\n%1\n%2\n%3\n%4 %5 %6 %7")
                                   .arg(options.titleFont.toString(), options.labelFont.toString(),
                                        options.laneFont.toString())
                                   .arg(options.maxTitleWidth)
                                   .arg(options.maxLabelWidth)
                                   .arg(options.padding)
                                   .arg(options.iconSize);
    hash.addData(parameters.toUtf8());
    return hash.result();
}

std::shared_ptr<const LayoutResult> LayoutCache::find(const Playbook &playbook,
                                                      const LayoutOptions &options) const
{
    const QByteArray key = keyFor(playbook, options);
    if (key.isEmpty())
        return nullptr;
    const std::lock_guard lock(d->mutex);
    return d->entries.value(key);
}

std::shared_ptr<const LayoutResult> LayoutCache::layout(const Playbook &playbook,
                                                        const LayoutOptions &options)
{
    const QByteArray key = keyFor(playbook, options);
    if (key.isEmpty()) { // never cached: laid out without holding the cache's lock
        {
            const std::lock_guard lock(d->mutex);
            ++d->computed;
        }
        return std::make_shared<const LayoutResult>(layoutPlaybook(playbook, options));
    }
    {
        std::unique_lock lock(d->mutex);
        // Someone else is laying out the same playbook: wait for theirs.
        d->finished.wait(lock, [&] { return !d->inProgress.contains(key); });
        if (auto found = d->entries.value(key)) {
            d->touch(key);
            return found;
        }
        d->inProgress.insert(key, 1);
    }
    auto result = std::make_shared<const LayoutResult>(layoutPlaybook(playbook, options));
    {
        const std::lock_guard lock(d->mutex);
        d->inProgress.remove(key);
        d->entries.insert(key, result);
        d->touch(key);
        ++d->computed;
        while (d->order.size() > d->capacity)
            d->entries.remove(d->order.takeFirst());
    }
    d->finished.notify_all();
    return result;
}

qsizetype LayoutCache::size() const
{
    const std::lock_guard lock(d->mutex);
    return d->entries.size();
}

qsizetype LayoutCache::computed() const
{
    const std::lock_guard lock(d->mutex);
    return d->computed;
}

LayoutCache &LayoutCache::shared()
{
    static LayoutCache cache;
    return cache;
}

} // namespace runlane
