// runlane: the desktop app. Parses the command line and shows the main window; everything else
// lives in the runlane_desktop library.
#include "app/desktop/app_settings.h"
#include "app/desktop/icons.h"
#include "app/desktop/library_folders.h"
#include "app/desktop/main_window.h"
#include "app/desktop/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Runlane"));
    QApplication::setApplicationName(QStringLiteral("runlane"));
    QApplication::setApplicationDisplayName(QStringLiteral("Runlane"));
    QApplication::setApplicationVersion(QStringLiteral(RUNLANE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("runlane"));
    QApplication::setWindowIcon(runlane::desktop::Icons::app());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Incident playbooks for edge ML fleets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption library(
        {QStringLiteral("l"), QStringLiteral("library")},
        QApplication::translate("main", "Load playbooks from DIR (repeatable). Default: your "
                                        "playbooks folder and the shipped library."),
        QApplication::translate("main", "DIR"));
    parser.addOption(library);
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QApplication::translate("main", "Playbook files to open."),
                                 QApplication::translate("main", "[FILE...]"));
    parser.process(app);

    const runlane::desktop::AppSettings settings = runlane::desktop::AppSettings::load();
    runlane::desktop::applyTheme(settings.theme);
    const QStringList given = parser.values(library);
    QStringList paths =
        given.isEmpty()
            ? settings.effectivePlaybookFolders(runlane::desktop::defaultLibraryFolders())
            : given;
    const QStringList files = parser.positionalArguments();
    for (const QString &file : files) {
        if (!runlane::desktop::isInsideFolders(file, paths))
            paths.append(QDir::cleanPath(file));
    }

    runlane::desktop::MainWindow window(paths);
    window.setDefaultLibraryFolders(runlane::desktop::defaultLibraryFolders());
    window.setFoldersFromCommandLine(!given.isEmpty() || !files.isEmpty());
    window.applySettings(settings);
    window.offerResume();
    if (!files.isEmpty())
        window.setInitialSelection(QDir::cleanPath(files.front()));
    window.restoreSettings();
    window.show();
    window.reload();
    return QApplication::exec();
}
