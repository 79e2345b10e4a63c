#include "app/desktop/library_folders.h"

#include <QFileInfo>
#include <QStandardPaths>

namespace runlane::desktop {

QStringList defaultLibraryFolders()
{
    const QStringList defaults{QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                   QStringLiteral("/playbooks"),
                               QStringLiteral(RUNLANE_SHIPPED_PLAYBOOKS)};
    QStringList existing;
    for (const QString &folder : defaults) {
        if (QFileInfo(folder).isDir())
            existing.append(folder);
    }
    return existing.isEmpty() ? defaults : existing;
}

bool isInsideFolders(const QString &file, const QStringList &folders)
{
    const QString canonical = QFileInfo(file).canonicalFilePath();
    for (const QString &folder : folders) {
        const QString root = QFileInfo(folder).canonicalFilePath();
        if (!root.isEmpty() && !canonical.isEmpty() &&
            canonical.startsWith(root + QLatin1Char('/')))
            return true;
    }
    return false;
}

} // namespace runlane::desktop
