#include "app/desktop/app_settings.h"

#include "app/shared/journal_location.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSettings>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

const QString foldersKey = u"library/folders"_s;
const QString journalKey = u"journal/path"_s;
const QString alertmanagerKey = u"alertmanager/url"_s;
const QString pollKey = u"alertmanager/pollSeconds"_s;
const QString themeKey = u"appearance/theme"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("AppSettings", text);
}

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

AppSettings AppSettings::load()
{
    const QSettings settings;
    return load(settings);
}

AppSettings AppSettings::load(const QSettings &settings)
{
    AppSettings result;
    result.playbookFolders = settings.value(foldersKey).toStringList();
    result.journalPath = settings.value(journalKey).toString();
    result.alertmanagerUrl = settings.value(alertmanagerKey).toString();
    bool ok = false;
    const int seconds = settings.value(pollKey).toInt(&ok);
    if (ok)
        result.alertPollSeconds = std::clamp(seconds, minAlertPollSeconds, maxAlertPollSeconds);
    result.theme = themeFromString(settings.value(themeKey).toString()).value_or(Theme::System);
    return result;
}

void AppSettings::save() const
{
    QSettings settings;
    save(settings);
}

void AppSettings::save(QSettings &settings) const
{
    // An empty list would be stored as an invalid value; no key reads back as empty just the same.
    if (playbookFolders.isEmpty())
        settings.remove(foldersKey);
    else
        settings.setValue(foldersKey, playbookFolders);
    settings.setValue(journalKey, journalPath);
    settings.setValue(alertmanagerKey, alertmanagerUrl);
    settings.setValue(pollKey, alertPollSeconds);
    settings.setValue(themeKey, toString(theme));
}

QStringList AppSettings::effectivePlaybookFolders(const QStringList &defaults) const
{
    return playbookFolders.isEmpty() ? defaults : playbookFolders;
}

QString AppSettings::effectiveJournalPath() const
{
    return journalPath.isEmpty() ? defaultJournalPath() : journalPath;
}

std::optional<QString> AppSettings::playbookFoldersProblem() const
{
    return checkPlaybookFolders(playbookFolders);
}

std::optional<QString> AppSettings::journalPathProblem() const
{
    return checkJournalPath(journalPath);
}

std::optional<QString> AppSettings::alertmanagerUrlProblem() const
{
    return checkAlertmanagerUrl(alertmanagerUrl);
}

std::optional<QString> AppSettings::alertPollSecondsProblem() const
{
    return checkAlertPollSeconds(alertPollSeconds);
}

QStringList AppSettings::problems() const
{
    QStringList result;
    for (const auto &problem : {playbookFoldersProblem(), journalPathProblem(),
                                alertmanagerUrlProblem(), alertPollSecondsProblem()}) {
        if (problem)
            result.append(*problem);
    }
    return result;
}

std::optional<QString> checkPlaybookFolder(const QString &folder)
{
    if (folder.trimmed().isEmpty())
        return tr("A folder has no name.");
    // A relative path would depend on where the app was started from.
    if (QDir::isRelativePath(folder))
        return tr("Give the full path of %1.").arg(shown(folder));
    const QFileInfo info(folder);
    if (!info.exists())
        return tr("%1 does not exist.").arg(shown(folder));
    if (!info.isDir())
        return tr("%1 is not a folder.").arg(shown(folder));
    return std::nullopt;
}

std::optional<QString> checkPlaybookFolders(const QStringList &folders)
{
    QSet<QString> seen;
    for (const QString &folder : folders) {
        if (auto problem = checkPlaybookFolder(folder))
            return problem;
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (seen.contains(canonical))
            return tr("%1 is listed twice.").arg(shown(folder));
        seen.insert(canonical);
    }
    return std::nullopt;
}

std::optional<QString> checkJournalPath(const QString &path)
{
    if (path.isEmpty())
        return std::nullopt; // the default
    if (QDir::isRelativePath(path))
        return tr("Give the full path of the journal file.");
    const QFileInfo info(path);
    if (info.isDir())
        return tr("%1 is a folder: give a file name in it.").arg(shown(path));
    if (info.exists() && !info.isWritable())
        return tr("%1 cannot be written.").arg(shown(path));
    // The journal's folder is made when the journal is first opened: the nearest folder that
    // exists must let it be made.
    QFileInfo folder(info.absolutePath());
    while (!folder.exists()) {
        const QString parent = folder.absolutePath();
        if (parent == folder.absoluteFilePath())
            break; // a root that does not exist
        folder = QFileInfo(parent);
    }
    if (!folder.exists() || !folder.isDir())
        return tr("%1 is not a folder.").arg(shown(folder.absoluteFilePath()));
    if (!folder.isWritable())
        return tr("%1 cannot be written.").arg(shown(folder.absoluteFilePath()));
    return std::nullopt;
}

std::optional<QString> checkAlertmanagerUrl(const QString &url)
{
    if (url.isEmpty())
        return std::nullopt; // polling is off
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid())
        return tr("This is not a valid URL.");
    const QString scheme = parsed.scheme().toLower();
    if (scheme != u"http"_s && scheme != u"https"_s)
        return tr("Use an http:// or https:// URL.");
    if (parsed.host().isEmpty())
        return tr("The URL names no host.");
    return std::nullopt;
}

std::optional<QString> checkAlertPollSeconds(int seconds)
{
    if (seconds < AppSettings::minAlertPollSeconds || seconds > AppSettings::maxAlertPollSeconds)
        return tr("Poll every %1 to %2 seconds.")
            .arg(AppSettings::minAlertPollSeconds)
            .arg(AppSettings::maxAlertPollSeconds);
    return std::nullopt;
}

} // namespace runlane::desktop
