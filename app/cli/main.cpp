#include "app/cli/commands.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <cstring>
#include <memory>

namespace {

const char *usage = R"(Usage: runlane-cli COMMAND [OPTIONS]

Incident playbooks for edge ML fleets, headless.

Commands:
  validate   check playbooks and print diagnostics (FILE:LINE:COL: error|warning: message)
  test       run the playbooks' *.test.yaml scenario tests
  run        walk a playbook as an incident, on the terminal or from arguments
  render     draw a playbook as a diagram (svg, png, pdf; dot, json for tools)
  incidents  list the incidents of the journal (the active ones, or --all)
  export     write an incident's postmortem (md, html, json, pdf)
  record-test  record an incident of the journal as a test case of its playbook

Run 'runlane-cli COMMAND --help' for a command's options.
Options:
  -h, --help     show this help
  -v, --version  show the version
)";

QtMessageHandler defaultHandler = nullptr;

// Headless, Qt's platform code warns that there is no XDG_RUNTIME_DIR, which is normal for a
// command-line tool in a container or over SSH: that one line is noise in scripts' output.
void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.contains(u"XDG_RUNTIME_DIR"))
        return;
    defaultHandler(type, context, message);
}

} // namespace

int main(int argc, char *argv[])
{
    // render and export measure text with the application font (export also lays out a PDF),
    // which needs a QGuiApplication; headless by default. The other commands stay GUI-free.
    const bool gui =
        argc >= 2 && (std::strcmp(argv[1], "render") == 0 || std::strcmp(argv[1], "export") == 0);
    if (gui && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (gui)
        defaultHandler = qInstallMessageHandler(quietHandler);
    std::unique_ptr<QCoreApplication> app;
    if (gui)
        app = std::make_unique<QGuiApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("runlane-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RUNLANE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("Runlane"));

    QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() < 2) {
        err << usage;
        return 2;
    }
    const QString command = args.at(1);
    if (command == u"-h" || command == u"--help" || command == u"help") {
        out << usage;
        return 0;
    }
    if (command == u"-v" || command == u"--version") {
        out << "runlane-cli " << RUNLANE_VERSION << "\n";
        return 0;
    }
    args.removeAt(1);
    args[0] = QStringLiteral("runlane-cli %1").arg(command);
    if (command == u"validate")
        return validateCommand(args);
    if (command == u"test")
        return testCommand(args);
    if (command == u"run")
        return runCommand(args);
    if (command == u"render")
        return renderCommand(args);
    if (command == u"incidents")
        return incidentsCommand(args);
    if (command == u"export")
        return exportCommand(args);
    if (command == u"record-test")
        return recordCommand(args);
    err << "runlane-cli: unknown command '" << command << "'\n\n" << usage;
    return 2;
}
