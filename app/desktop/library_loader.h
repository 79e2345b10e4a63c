#pragma once

#include "engine/playbook/library.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <optional>

namespace runlane::desktop {

// One finished load: the library, and the given paths that could not be read at all.
struct LoadedLibrary
{
    QStringList paths;
    Library library;
    Diagnostics problems;
};

// Loads a playbook library on the thread pool, so that reading and validating many files never
// blocks the window. A load asked for while one runs starts when it ends; only the newest result
// is delivered.
class LibraryLoader : public QObject
{
    Q_OBJECT

public:
    explicit LibraryLoader(QObject *parent = nullptr);
    ~LibraryLoader() override;

    void load(const QStringList &paths);
    // From load() until its result is delivered.
    bool isLoading() const { return m_loading; }

    // What the worker runs; also usable directly where blocking is fine.
    static LoadedLibrary loadNow(const QStringList &paths);

Q_SIGNALS:
    void loadingChanged(bool loading);
    void loaded(const runlane::desktop::LoadedLibrary &result);

private:
    void start(const QStringList &paths);
    void onFinished();

    QFutureWatcher<LoadedLibrary> m_watcher;
    std::optional<QStringList> m_next;
    bool m_loading = false;
};

} // namespace runlane::desktop
