#pragma once

#include <QStringList>

namespace runlane::desktop {

// The user's playbooks folder and the library shipped with the build: those that exist, or both
// when neither does, so that the window can say where to put files.
QStringList defaultLibraryFolders();

// A FILE inside one of `folders` is loaded with that folder already; adding it again under
// another spelling of its path would report it as a duplicate of itself.
bool isInsideFolders(const QString &file, const QStringList &folders);

} // namespace runlane::desktop
