#include "engine/playbook/library.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QSet>

namespace runlane {

bool isPlaybookTestFile(const QString &path)
{
    return path.endsWith(u".test.yaml") || path.endsWith(u".test.yml");
}

QStringList findPlaybookFiles(const QStringList &paths, Diagnostics *problems)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList found;
            QDirIterator it(path, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                            QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
            while (it.hasNext()) {
                const QString file = it.next();
                if (!isPlaybookTestFile(file))
                    found.append(QDir::cleanPath(file));
            }
            found.sort();
            files += found;
        } else if (info.isFile()) {
            files.append(QDir::cleanPath(path));
        } else if (problems) {
            problems->append(
                {path, {}, Diagnostic::Severity::Error, QStringLiteral("no such file or folder")});
        }
    }
    // One entry per file, however it was named: in a folder and on its own, or through a link.
    QStringList unique;
    QSet<QString> seen;
    for (const QString &file : files) {
        const QString canonical = QFileInfo(file).canonicalFilePath();
        if (!seen.contains(canonical)) {
            seen.insert(canonical);
            unique.append(file);
        }
    }
    return unique;
}

Diagnostics Library::diagnostics() const
{
    Diagnostics all;
    for (const LoadResult &entry : entries)
        all += entry.diagnostics;
    sortDiagnostics(all);
    return all;
}

const LoadResult *Library::byId(const QString &id) const
{
    for (const LoadResult &entry : entries) {
        if (entry.playbook && entry.playbook->id.value == id)
            return &entry;
    }
    return nullptr;
}

Library loadLibrary(const QStringList &paths)
{
    Library library;
    for (const QString &file : findPlaybookFiles(paths))
        library.entries.append(loadPlaybookFile(file));

    QHash<QString, qsizetype> firstWithId;
    for (qsizetype i = 0; i < library.entries.size(); ++i) {
        LoadResult &entry = library.entries[i];
        if (!entry.playbook || !entry.playbook->id.present)
            continue;
        const QString id = entry.playbook->id.value;
        const auto it = firstWithId.constFind(id);
        if (it == firstWithId.constEnd()) {
            firstWithId.insert(id, i);
            continue;
        }
        LoadResult &first = library.entries[*it];
        entry.diagnostics.append({entry.playbook->file, entry.playbook->id.pos,
                                  Diagnostic::Severity::Error,
                                  QStringLiteral("playbook id '%1' is already used by %2")
                                      .arg(id, first.playbook->file)});
        first.diagnostics.append(
            {first.playbook->file, first.playbook->id.pos, Diagnostic::Severity::Error,
             QStringLiteral("playbook id '%1' is used again by %2").arg(id, entry.playbook->file)});
        sortDiagnostics(entry.diagnostics);
        sortDiagnostics(first.diagnostics);
    }
    return library;
}

} // namespace runlane
