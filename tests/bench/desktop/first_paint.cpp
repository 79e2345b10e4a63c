// runlane-desktop-first-paint: `runlane FILE` up to the first paint of FILE's diagram, then exit.
// Starts as app/desktop/main.cpp does (the same application set-up, the same library folders:
// the user's playbooks folder and the shipped library when no --library is given, plus FILE;
// MainWindow with FILE selected, its saved settings, shown, loaded), and exits the moment the
// diagram's viewport has been painted with a laid-out diagram. The whole process is what the
// bench times, from outside; the phases inside are printed to standard error.
//
//   runlane-desktop-first-paint [--library DIR]... [--shot PNG] FILE
//
// --shot saves the window as it was at that paint, for a person to check what was painted.
// Exit status: 0 once painted, 1 when nothing was painted within --timeout seconds (default 120).
#include "app/desktop/diagram_view.h"
#include "app/desktop/icons.h"
#include "app/desktop/library_folders.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

QElapsedTimer sinceMain;

void phase(const char *what)
{
    std::fprintf(stderr, "%8.1f ms  %s\n", double(sinceMain.nsecsElapsed()) / 1e6, what);
}

// Sees the viewport's paint events; the first one with a laid-out diagram ends the process once
// that paint is done (and, on a real display, flushed to the window).
class FirstPaint : public QObject
{
public:
    FirstPaint(runlane::desktop::DiagramView *view, const QString &shot)
        : QObject(view)
        , m_view(view)
        , m_shot(shot)
    {
        view->viewport()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (!m_seen && watched == m_view->viewport() && event->type() == QEvent::Paint &&
            m_view->diagramPainter()) {
            m_seen = true;
            phase("first paint of the diagram");
            QTimer::singleShot(0, [this] {
                phase("painted");
                if (!m_shot.isEmpty())
                    m_view->window()->grab().save(m_shot);
                std::fputs("painted\n", stdout);
                std::fflush(stdout);
                std::fflush(stderr);
                std::_Exit(0); // what follows the first paint is not start-up
            });
        }
        return false;
    }

private:
    runlane::desktop::DiagramView *m_view;
    QString m_shot;
    bool m_seen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    sinceMain.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Runlane"_s);
    QApplication::setApplicationName(u"runlane"_s);
    QApplication::setApplicationDisplayName(u"Runlane"_s);
    QApplication::setApplicationVersion(QStringLiteral(RUNLANE_VERSION));
    QGuiApplication::setDesktopFileName(u"runlane"_s);
    QApplication::setWindowIcon(runlane::desktop::Icons::app());
    phase("application");

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption library({u"l"_s, u"library"_s}, u"Load playbooks from DIR."_s,
                                     u"DIR"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds to wait for the paint."_s, u"S"_s,
                                     u"120"_s);
    const QCommandLineOption shot(u"shot"_s, u"Save the window as painted to PNG."_s, u"PNG"_s);
    parser.addOptions({library, timeout, shot});
    parser.addPositionalArgument(u"file"_s, u"The playbook whose diagram is waited for."_s);
    parser.process(app);
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        parser.showHelp(2);

    const QStringList given = parser.values(library);
    QStringList paths = given.isEmpty() ? runlane::desktop::defaultLibraryFolders() : given;
    if (!runlane::desktop::isInsideFolders(files.front(), paths))
        paths.append(QDir::cleanPath(files.front()));

    runlane::desktop::MainWindow window(paths);
    window.setInitialSelection(QDir::cleanPath(files.front()));
    runlane::desktop::DiagramView *diagram = window.details()->diagram();
    new FirstPaint(diagram, parser.value(shot));
    QObject::connect(&window, &runlane::desktop::MainWindow::libraryShown, &app,
                     [] { phase("library shown"); });
    QObject::connect(diagram, &runlane::desktop::DiagramView::diagramShown, &app,
                     [] { phase("diagram laid out"); });
    window.restoreSettings();
    window.show();
    window.reload();
    phase("window shown, library loading");
    QTimer::singleShot(std::max(1, parser.value(timeout).toInt()) * 1000, &app, [] {
        phase("timed out: no diagram was painted");
        std::_Exit(1);
    });
    return QApplication::exec();
}
