#pragma once

#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

// The window on a library `folder` with `selected` (a file in it) selected, writing incidents to
// `journal`: shown, active and loaded; null when it did not get there (bounded).
inline std::unique_ptr<runlane::desktop::MainWindow>
openWindow(const QString &folder, const QString &journal, const QString &selected)
{
    auto window = std::make_unique<runlane::desktop::MainWindow>(QStringList{folder});
    window->setJournalPath(journal);
    window->setInitialSelection(folder + u'/' + selected);
    window->resize(1400, 900);
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get()))
        return nullptr;
    QSignalSpy shown(window.get(), &runlane::desktop::MainWindow::libraryShown);
    window->reload();
    if (!shown.wait(20000) || !window->details()->entry().playbook)
        return nullptr;
    return window;
}
