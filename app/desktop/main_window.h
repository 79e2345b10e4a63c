#pragma once

#include "engine/playbook/loader.h"
#include "engine/session/event.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

class IncidentDriver;
class IncidentRecorder;

namespace runlane {
struct ResolvedTargets;
}

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QProgressBar;
class QSplitter;
class QStackedWidget;

namespace runlane::desktop {

class IncidentPanel;
class IncidentsDock;
class DrillFleet;
class AlertsDock;
struct AppSettings;
class LibraryLoader;
class TimelineDock;
class PlaybookDetailsView;
class PlaybookFilterModel;
class PlaybookListModel;
class PlaybookEditor;
class DiagramView;
struct LoadedLibrary;

// The library on the left (search field over the playbook list), the selected playbook on the
// right. Loading runs in the background; the window stays responsive throughout.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QStringList libraryPaths, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The file to select once the library is loaded (a FILE given on the command line).
    void setInitialSelection(const QString &file) { m_selectFile = file; }
    QStringList libraryPaths() const { return m_paths; }

    void reload();
    bool isLoading() const;

    void restoreSettings();
    void saveSettings() const;

    PlaybookListModel *listModel() const { return m_listModel; }
    PlaybookFilterModel *filterModel() const { return m_filterModel; }
    PlaybookDetailsView *details() const { return m_details; }

    // The folders the library is read from when neither --library nor the settings name any.
    void setDefaultLibraryFolders(const QStringList &folders) { m_defaultFolders = folders; }
    // Folders given on the command line win over the settings' until the next start.
    void setFoldersFromCommandLine(bool given) { m_foldersGiven = given; }
    // Takes the settings: folders (reloading the library), journal, Alertmanager.
    void applySettings(const AppSettings &settings);
    void openSettings();

    // Starts an incident on the selected playbook: its inputs already typed (startIncident asks
    // for them in a dialog). Returns why it cannot start: errors in the playbook, a target whose
    // environment variable is not set, a journal that cannot be opened.
    std::optional<QString> startIncident(const QJsonObject &inputs, bool dryRun, bool drill);
    // Asks for the inputs (pre-filled with `prefill` where names match, e.g. an alert's labels),
    // then starts.
    void askAndStartIncident(const QJsonObject &prefill = {});
    // Selects the playbook of `file` and asks to start it with an alert's labels as inputs.
    void startFromAlert(const QString &file, const QJsonObject &labels);
    AlertsDock *alerts() const { return m_alerts; }
    DrillFleet *drillFleet() const { return m_drill; }
    QAction *coverageAction() const { return m_coverageAction; }
    // Goes on with an unfinished incident of the journal, with the playbook it was walked with.
    std::optional<QString> resumeIncident(const QString &id);
    // Shows an incident as walked (diagram and timeline), without walking it.
    std::optional<QString> openIncident(const QString &id);
    // Shows the walk in progress again after browsing the library.
    void showWalk();
    // Offers the newest unfinished incident in a bar above the library (none: hides the bar).
    void offerResume();

    // Editor mode: the playbook's YAML and its tests in place of the library. Asks to save what
    // is open first; the error names the file.
    std::optional<QString> editPlaybook(const QString &file);
    // Writes a new playbook from the template (and its test file) and opens it in the editor.
    std::optional<QString> newPlaybook(const QString &file);
    // Back to the library; false when the author cancels at the unsaved-changes question.
    bool closeEditor();
    bool isEditing() const;
    // The diagram on screen: the editor's preview while editing, else the library's.
    DiagramView *shownDiagram() const;
    PlaybookEditor *editor() const { return m_editor; }

    // An incident of the journal recorded as a test case of its playbook's test file (the file
    // of the library's playbook with the incident's playbook id): where it went, its name, and
    // what the case could not capture exactly.
    struct RecordedTestCase
    {
        QString testFile;
        QString playbookFile;
        QString name;
        QStringList warnings;
    };
    std::variant<RecordedTestCase, QString> recordTestCase(const QString &incidentId,
                                                           const QString &name);

    IncidentDriver *incident() const { return m_driver.get(); }
    IncidentPanel *incidentPanel() const { return m_panel; }
    TimelineDock *timeline() const { return m_timeline; }
    IncidentsDock *incidents() const { return m_incidents; }
    QWidget *resumeBar() const { return m_resumeBar; }
    // The journal incidents are written to (default: the user's data folder).
    void setJournalPath(const QString &path);
    QString journalPath() const;
    bool isWalking() const;
    // Why nothing else may start now (a walk, a drill starting), or nothing.
    std::optional<QString> whyBusy() const;

Q_SIGNALS:
    // A load finished and its playbooks are shown.
    void libraryShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createLibraryPane();
    void createActions();
    void setLoading(bool loading);
    void showLibrary(const LoadedLibrary &loaded);
    void showCurrent();
    void openCurrent();
    void filter(const QString &text);
    void selectFirstIfNone();
    QString currentFile() const;
    QWidget *createResumeBar();
    std::optional<QString> openRecorder();
    void beginWalk(const LoadResult &entry, const runlane::ResolvedTargets &targets,
                   const QList<runlane::Event> &earlier, bool drill);
    void showWalkOverlay();
    void resumeOffered();
    void ensureTimeline();
    QString shownIncidentId() const;
    void exportShownIncident();
    void exportShownDiagram();
    // Starts the drill's local fleet for `playbook`, then runs `then` with targets aimed at it.
    void withDrillFleet(runlane::PlaybookPtr playbook,
                        std::function<void(const runlane::ResolvedTargets &)> then);
    // The selected playbook's test coverage on its diagram, when View > Test Coverage is on.
    void updateCoverage();
    void showOrWarn(const std::optional<QString> &problem, const QString &title);
    void createEditorActions();
    void askNewPlaybook();
    // Incident > Record as Test Case: the incident shown, named by the engineer.
    void recordShownIncident();

    QStringList m_paths;
    QString m_selectFile;
    LibraryLoader *m_loader = nullptr;
    PlaybookListModel *m_listModel = nullptr;
    PlaybookFilterModel *m_filterModel = nullptr;
    QLineEdit *m_search = nullptr;
    QListView *m_list = nullptr;
    PlaybookDetailsView *m_details = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_pages = nullptr; // the library and the selected playbook, or the editor
    PlaybookEditor *m_editor = nullptr;
    QMenu *m_editorMenu = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_status = nullptr;
    QString m_emptyText;
    QString m_journalPath;
    std::unique_ptr<IncidentRecorder> m_recorder;
    std::unique_ptr<IncidentDriver> m_driver;
    IncidentPanel *m_panel = nullptr;
    TimelineDock *m_timeline = nullptr;
    IncidentsDock *m_incidents = nullptr;
    AlertsDock *m_alerts = nullptr;
    DrillFleet *m_drill = nullptr; // a drill's runlane-fleetsim (and Prometheus), while it runs
    std::function<void(const runlane::ResolvedTargets &)> m_afterDrillReady;
    runlane::PlaybookPtr m_drillPlaybook;
    QWidget *m_resumeBar = nullptr;
    QLabel *m_resumeText = nullptr;
    QString m_resumeId;
    LoadResult m_walkEntry; // the playbook of the walk in progress
    QString m_viewedIncident;
    QAction *m_coverageAction = nullptr;
    quint64 m_coverageRun = 0; // the latest coverage asked for; older results are dropped
    QStringList m_defaultFolders;
    bool m_foldersGiven = false;
};

} // namespace runlane::desktop
