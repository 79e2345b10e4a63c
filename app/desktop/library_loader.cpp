#include "app/desktop/library_loader.h"

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace runlane::desktop {

LibraryLoader::LibraryLoader(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<LoadedLibrary>::finished, this, &LibraryLoader::onFinished);
}

// The worker owns copies of everything it reads; a load still running when the window closes
// finishes on the pool and its result is dropped.
LibraryLoader::~LibraryLoader() = default;

void LibraryLoader::load(const QStringList &paths)
{
    if (m_loading) {
        m_next = paths;
        return;
    }
    m_loading = true;
    start(paths);
    Q_EMIT loadingChanged(true);
}

LoadedLibrary LibraryLoader::loadNow(const QStringList &paths)
{
    LoadedLibrary result;
    result.paths = paths;
    findPlaybookFiles(paths, &result.problems); // loadLibrary skips what it cannot find
    result.library = loadLibrary(paths);
    return result;
}

void LibraryLoader::start(const QStringList &paths)
{
    m_watcher.setFuture(QtConcurrent::run([paths] { return loadNow(paths); }));
}

void LibraryLoader::onFinished()
{
    if (m_next) {
        // The files may have changed since this load began: read them again.
        start(*std::exchange(m_next, std::nullopt));
        return;
    }
    const LoadedLibrary result = m_watcher.result();
    m_loading = false;
    Q_EMIT loadingChanged(false);
    Q_EMIT loaded(result);
}

} // namespace runlane::desktop
