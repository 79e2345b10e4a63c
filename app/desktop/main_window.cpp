#include "app/desktop/main_window.h"

#include "app/desktop/alerts_dock.h"
#include "app/desktop/app_settings.h"
#include "app/desktop/diagram_view.h"
#include "app/desktop/editor/playbook_editor.h"
#include "app/desktop/incident_panel.h"
#include "app/desktop/incidents_dock.h"
#include "app/desktop/inputs_dialog.h"
#include "app/desktop/library_loader.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/playbook_filter_model.h"
#include "app/desktop/playbook_item_delegate.h"
#include "app/desktop/playbook_list_model.h"
#include "app/desktop/settings_dialog.h"
#include "app/desktop/test_coverage.h"
#include "app/desktop/theme.h"
#include "app/desktop/timeline_dock.h"
#include "app/desktop/timeline_model.h"
#include "app/shared/incident_driver.h"
#include "app/shared/journal_location.h"
#include "app/shared/os_user.h"
#include "engine/session/resolved_targets.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFrame>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTime>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace runlane::desktop {

namespace {

const QString geometryKey = QStringLiteral("window/geometry");
const QString splitterKey = QStringLiteral("window/splitter");
const QString detailsKey = QStringLiteral("window/detailsSplitter");
const QString docksKey = QStringLiteral("window/docks");

QString playbooksText(int count)
{
    return count == 1 ? MainWindow::tr("1 playbook") : MainWindow::tr("%1 playbooks").arg(count);
}

} // namespace

MainWindow::MainWindow(QStringList libraryPaths, QWidget *parent)
    : QMainWindow(parent)
    , m_paths(std::move(libraryPaths))
    , m_loader(new LibraryLoader(this))
    , m_listModel(new PlaybookListModel(this))
    , m_filterModel(new PlaybookFilterModel(this))
    , m_details(new PlaybookDetailsView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_busy(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Runlane"));
    m_filterModel->setSourceModel(m_listModel);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(createLibraryPane());
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(createResumeBar());
    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(QStringLiteral("mainPages"));
    m_pages->addWidget(m_splitter);
    m_editor = new PlaybookEditor(m_pages);
    m_pages->addWidget(m_editor);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_incidents = new IncidentsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_incidents);
    m_incidents->hide(); // until asked for (Ctrl+I), offered, or restored with the layout
    m_alerts = new AlertsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_alerts);
    tabifyDockWidget(m_incidents, m_alerts);
    m_alerts->hide(); // shown once an Alertmanager is set (Settings)
    connect(m_alerts, &AlertsDock::startRequested, this, &MainWindow::startFromAlert);
    connect(m_incidents, &IncidentsDock::openRequested, this,
            [this](const QString &id) { showOrWarn(openIncident(id), tr("Cannot open")); });
    connect(m_incidents, &IncidentsDock::resumeRequested, this,
            [this](const QString &id) { showOrWarn(resumeIncident(id), tr("Cannot resume")); });

    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setMaximumWidth(140);
    m_busy->setMaximumHeight(14);
    m_busy->setTextVisible(false);
    m_busy->hide();
    m_status->setObjectName(QStringLiteral("libraryStatus"));
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_busy);

    createActions();

    connect(m_loader, &LibraryLoader::loadingChanged, this, &MainWindow::setLoading);
    connect(m_loader, &LibraryLoader::loaded, this, &MainWindow::showLibrary);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::showCurrent);
    connect(m_list, &QListView::activated, this, &MainWindow::openCurrent);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::filter);
    connect(m_search, &QLineEdit::returnPressed, this, &MainWindow::openCurrent);

    m_details->showPlaceholder(tr("Loading playbooks…"));
    m_list->setFocus();
}

MainWindow::~MainWindow() = default;

QWidget *MainWindow::createLibraryPane()
{
    auto *pane = new QWidget(this);
    m_search = new QLineEdit(pane);
    m_search->setObjectName(QStringLiteral("searchField"));
    m_search->setPlaceholderText(tr("Search title, id, tag or alert label (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_list = new QListView(pane);
    m_list->setObjectName(QStringLiteral("playbookList"));
    m_list->setModel(m_filterModel);
    m_list->setItemDelegate(new PlaybookItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(false);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(8, 8, 0, 8);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    setTabOrder(m_search, m_list);
    setTabOrder(m_list, m_details);
    return pane;
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *reloadAction = file->addAction(tr("&Reload Library"), this, &MainWindow::reload);
    reloadAction->setObjectName(QStringLiteral("reloadAction"));
    reloadAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    reloadAction->setStatusTip(tr("Read the playbook folders again"));
    file->addSeparator();
    QAction *create = file->addAction(tr("&New Playbook…"), this, &MainWindow::askNewPlaybook);
    create->setObjectName(QStringLiteral("newPlaybookAction"));
    create->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    create->setStatusTip(tr("Write a playbook from the template, with a test file, and edit it"));
    QAction *editAction = file->addAction(tr("Edi&t Playbook"), this, [this] {
        if (currentFile().isEmpty())
            return statusBar()->showMessage(tr("Select a playbook to edit."), 8000);
        showOrWarn(editPlaybook(currentFile()), tr("Cannot edit"));
    });
    editAction->setObjectName(QStringLiteral("editPlaybookAction"));
    editAction->setShortcut(QKeySequence(Qt::Key_F4));
    editAction->setStatusTip(tr("Edit the selected playbook's YAML and its tests"));
    file->addSeparator();
    QAction *exportIncident =
        file->addAction(tr("&Export Incident…"), this, &MainWindow::exportShownIncident);
    exportIncident->setObjectName(QStringLiteral("exportIncidentAction"));
    exportIncident->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportIncident->setStatusTip(
        tr("The postmortem of the incident shown: Markdown, HTML, JSON or PDF"));
    QAction *exportPicture =
        file->addAction(tr("Export &Diagram…"), this, &MainWindow::exportShownDiagram);
    exportPicture->setObjectName(QStringLiteral("exportDiagramAction"));
    exportPicture->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportPicture->setStatusTip(tr("The diagram shown, with the walk on it, as SVG or PNG"));
    file->addSeparator();
    QAction *settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(tr("&Find Playbook"), this, [this] {
        if (!closeEditor())
            return;
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));

    // The diagram's own keys (+, -, 0, F) work while it has the focus; these work from anywhere.
    DiagramView *diagram = m_details->diagram();
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *zoomIn = view->addAction(tr("Zoom &In"), this, [this] { shownDiagram()->zoomIn(); });
    zoomIn->setObjectName(QStringLiteral("zoomInAction"));
    zoomIn->setShortcuts(QKeySequence::ZoomIn);
    QAction *zoomOut =
        view->addAction(tr("Zoom &Out"), this, [this] { shownDiagram()->zoomOut(); });
    zoomOut->setObjectName(QStringLiteral("zoomOutAction"));
    zoomOut->setShortcuts(QKeySequence::ZoomOut);
    QAction *actualSize =
        view->addAction(tr("&Actual Size"), this, [this] { shownDiagram()->setZoom(1.0); });
    actualSize->setObjectName(QStringLiteral("actualSizeAction"));
    actualSize->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    // F fits in the diagram only: as a window shortcut it would take the letter from every field.
    QAction *fit = view->addAction(tr("&Fit Diagram") + QLatin1Char('\t') + tr("F"), this,
                                   [this] { shownDiagram()->fitToWindow(); });
    fit->setObjectName(QStringLiteral("fitAction"));
    view->addSeparator();
    m_coverageAction = view->addAction(tr("Test &Coverage"), this, &MainWindow::updateCoverage);
    m_coverageAction->setObjectName(QStringLiteral("coverageAction"));
    m_coverageAction->setCheckable(true);
    m_coverageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_coverageAction->setStatusTip(
        tr("Run the playbook's test files and show the steps and ways they take"));

    createEditorActions();

    QMenu *incident = menuBar()->addMenu(tr("&Incident"));
    QAction *start =
        incident->addAction(tr("&Start Incident…"), this, [this] { askAndStartIncident(); });
    start->setObjectName(QStringLiteral("startIncidentAction"));
    start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    start->setStatusTip(tr("Walk the selected playbook as an incident"));
    QAction *current = incident->addAction(tr("Show the &Walk in Progress"), this, [this] {
        if (closeEditor())
            showWalk();
    });
    current->setObjectName(QStringLiteral("showWalkAction"));
    current->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    QAction *resume = incident->addAction(tr("&Resume Incident"), this, [this] {
        // The one selected in the list when it shows one, else the one offered at start-up.
        const QString selected = m_incidents->isVisible() ? m_incidents->currentId() : QString();
        const auto unfinished = m_incidents->unfinished();
        const bool selectedIsUnfinished =
            std::any_of(unfinished.cbegin(), unfinished.cend(),
                        [&selected](const IncidentRecord &r) { return r.id == selected; });
        const QString id = selectedIsUnfinished    ? selected
                           : !unfinished.isEmpty() ? unfinished.constFirst().id
                                                   : QString();
        if (id.isEmpty())
            return statusBar()->showMessage(tr("No unfinished incident to resume."), 8000);
        showOrWarn(resumeIncident(id), tr("Cannot resume"));
    });
    resume->setObjectName(QStringLiteral("resumeIncidentAction"));
    resume->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    resume->setStatusTip(
        tr("Go on with the unfinished incident selected in the list, or the newest"));
    QAction *record =
        incident->addAction(tr("Record as &Test Case…"), this, &MainWindow::recordShownIncident);
    record->setObjectName(QStringLiteral("recordTestCaseAction"));
    record->setStatusTip(tr("Add the incident shown (a drill or a real one) to its playbook's "
                            "test file: its inputs, results, answers, path and outcome"));
    incident->addSeparator();
    QAction *list = m_incidents->toggleViewAction();
    list->setText(tr("&Incidents List"));
    list->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    incident->addAction(list);
    QAction *alertList = m_alerts->toggleViewAction();
    alertList->setText(tr("&Alerts"));
    alertList->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    incident->addAction(alertList);
    QAction *refresh =
        incident->addAction(tr("&Refresh Incidents"), m_incidents, &IncidentsDock::refresh);
    refresh->setObjectName(QStringLiteral("refreshIncidentsAction"));

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *library = go->addAction(tr("Playbook &List"), this, [this] {
        if (closeEditor())
            m_list->setFocus();
    });
    library->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *toDiagram = go->addAction(
        tr("&Diagram"), this, [this] { shownDiagram()->setFocus(Qt::ShortcutFocusReason); });
    toDiagram->setObjectName(QStringLiteral("diagramAction"));
    toDiagram->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    // Enter on a playbook does this; a real Enter shortcut would take the key from every widget.
    go->addAction(tr("&Steps of the Playbook") + QLatin1Char('\t') + tr("Enter"), this,
                  &MainWindow::openCurrent);
    // Escape in the steps goes back to the list, where Enter came from.
    for (QWidget *steps :
         {static_cast<QWidget *>(m_details->stepTree()), static_cast<QWidget *>(diagram)}) {
        auto *back = new QShortcut(QKeySequence(Qt::Key_Escape), steps);
        back->setContext(Qt::WidgetShortcut);
        connect(back, &QShortcut::activated, this, [this] { m_list->setFocus(); });
    }
}

void MainWindow::reload()
{
    m_loader->load(m_paths);
}

bool MainWindow::isLoading() const
{
    return m_loader->isLoading();
}

void MainWindow::setLoading(bool loading)
{
    m_busy->setVisible(loading);
    if (loading)
        m_status->setText(tr("Loading playbooks…"));
}

void MainWindow::showLibrary(const LoadedLibrary &loaded)
{
    const QString keep = m_selectFile.isEmpty() ? currentFile() : m_selectFile;
    m_selectFile.clear();
    m_listModel->setLibrary(loaded.library);
    m_alerts->setLibrary(loaded.library);

    const qsizetype total = loaded.library.entries.size();
    const auto broken =
        std::count_if(loaded.library.entries.cbegin(), loaded.library.entries.cend(),
                      [](const LoadResult &e) { return !e.ok(); });
    QStringList status{playbooksText(int(total))};
    if (broken > 0)
        status.append(tr("%1 cannot be run").arg(broken));
    for (const Diagnostic &problem : loaded.problems)
        status.append(tr("not found: %1").arg(QDir::toNativeSeparators(problem.file)));
    status.append(
        tr("loaded at %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
    m_status->setText(status.join(QStringLiteral("  ·  ")));

    QStringList folders;
    for (const QString &path : loaded.paths)
        folders.append(QStringLiteral("    ") + QDir::toNativeSeparators(path));
    m_emptyText =
        tr("No playbooks found in:\n%1\n\nPut playbook YAML files in one of these folders, or "
           "start Runlane with --library FOLDER.")
            .arg(folders.join(QLatin1Char('\n')));

    QModelIndex select = m_filterModel->mapFromSource(m_listModel->indexOfFile(keep));
    if (!select.isValid())
        select = m_filterModel->index(0, 0);
    if (select.isValid()) {
        m_list->setCurrentIndex(select);
        m_list->scrollTo(select);
    }
    showCurrent();
    Q_EMIT libraryShown();
}

void MainWindow::showCurrent()
{
    if (isEditing())
        return; // the editor has the window; closing it shows the selection again
    const QModelIndex current = m_filterModel->mapToSource(m_list->currentIndex());
    if (const LoadResult *entry = m_listModel->entry(current)) {
        // The walk's own playbook selected again shows the walk; another one is only browsed.
        const bool walked = isWalking() && m_walkEntry.playbook && entry->playbook &&
                            entry->playbook->file == m_walkEntry.playbook->file;
        if (walked)
            return showWalk();
        m_details->showIncident(nullptr);
        m_details->diagram()->setWalk({});
        m_viewedIncident.clear();
        m_details->showEntry(*entry);
        setWindowTitle(tr("Runlane"));
        updateCoverage();
        return;
    }
    if (m_listModel->rowCount() == 0)
        m_details->showPlaceholder(isLoading() ? tr("Loading playbooks…") : m_emptyText);
    else if (m_filterModel->rowCount() == 0)
        m_details->showPlaceholder(tr("No playbook matches “%1”.").arg(m_search->text()));
    else
        m_details->showPlaceholder(tr("Select a playbook."));
}

void MainWindow::openCurrent()
{
    if (m_list->currentIndex().isValid())
        m_details->openSteps();
}

void MainWindow::filter(const QString &text)
{
    m_filterModel->setQuery(text);
    selectFirstIfNone();
    showCurrent();
}

void MainWindow::selectFirstIfNone()
{
    if (!m_list->currentIndex().isValid() && m_filterModel->rowCount() > 0)
        m_list->setCurrentIndex(m_filterModel->index(0, 0));
}

QString MainWindow::currentFile() const
{
    return m_list->currentIndex().data(PlaybookListModel::FileRole).toString();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Arrow keys in the search field move in the list, so that typing and picking need no mouse.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            QCoreApplication::sendEvent(m_list, event);
            return true;
        case Qt::Key_Escape:
            if (m_search->text().isEmpty())
                m_list->setFocus(Qt::ShortcutFocusReason);
            else
                m_search->clear();
            return true;
        default:
            break;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(geometryKey).toByteArray())) {
        QSize size(1360, 860);
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableSize() * 0.92);
        resize(size);
    }
    if (!m_splitter->restoreState(settings.value(splitterKey).toByteArray()))
        m_splitter->setSizes({width() / 4, width() * 3 / 4}); // the diagram needs the room
    m_details->restoreState(settings.value(detailsKey).toByteArray());
    restoreState(settings.value(docksKey).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(splitterKey, m_splitter->saveState());
    settings.setValue(detailsKey, m_details->saveState());
    settings.setValue(docksKey, saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (isEditing() && !m_editor->maybeClose())
        return event->ignore();
    saveSettings();
    event->accept();
}

QWidget *MainWindow::createResumeBar()
{
    m_resumeBar = new QFrame(this);
    m_resumeBar->setObjectName(QStringLiteral("resumeBar"));
    m_resumeBar->setAutoFillBackground(true);
    QPalette bar = m_resumeBar->palette();
    bar.setColor(QPalette::Window, bar.color(QPalette::AlternateBase));
    m_resumeBar->setPalette(bar);
    m_resumeText = new QLabel(m_resumeBar);
    m_resumeText->setWordWrap(true);
    m_resumeText->setTextFormat(Qt::RichText);
    auto *resume = new QPushButton(tr("Resume"), m_resumeBar);
    resume->setObjectName(QStringLiteral("resumeOffered"));
    connect(resume, &QPushButton::clicked, this, &MainWindow::resumeOffered);
    auto *list = new QPushButton(tr("Show Incidents"), m_resumeBar);
    connect(list, &QPushButton::clicked, this, [this] {
        m_incidents->show();
        m_incidents->raise();
        m_incidents->setFocus(Qt::OtherFocusReason);
    });
    auto *dismiss = new QPushButton(tr("Not Now"), m_resumeBar);
    connect(dismiss, &QPushButton::clicked, m_resumeBar, &QWidget::hide);
    auto *layout = new QHBoxLayout(m_resumeBar);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_resumeText, 1);
    layout->addWidget(resume);
    layout->addWidget(list);
    layout->addWidget(dismiss);
    m_resumeBar->hide();
    return m_resumeBar;
}

void MainWindow::showOrWarn(const std::optional<QString> &problem, const QString &title)
{
    if (problem)
        QMessageBox::warning(this, title, *problem);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(AppSettings::load(), this);
    dialog.setDefaultPlaybookFolders(m_defaultFolders);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AppSettings chosen = dialog.settings();
    chosen.save();
    applySettings(chosen);
}

void MainWindow::applySettings(const AppSettings &settings)
{
    if (!m_foldersGiven) {
        const QStringList folders = settings.effectivePlaybookFolders(m_defaultFolders);
        if (folders != m_paths) {
            m_paths = folders;
            reload();
        }
    }
    if (settings.journalPath != m_journalPath && isWalking())
        statusBar()->showMessage(
            tr("The new journal is used from the next incident; this one stays in %1.")
                .arg(journalPath()),
            10000);
    setJournalPath(settings.journalPath);
    const bool alertsWereOff = m_alerts->alertmanagerUrl().isEmpty();
    m_alerts->setPollInterval(settings.alertPollSeconds * 1000);
    m_alerts->setAlertmanagerUrl(settings.alertmanagerUrl);
    if (alertsWereOff && !settings.alertmanagerUrl.isEmpty())
        m_alerts->show();
}

void MainWindow::updateCoverage()
{
    if (isEditing())
        return m_editor->setCoverageShown(m_coverageAction->isChecked());
    const quint64 run = ++m_coverageRun;
    const PlaybookPtr playbook = m_details->entry().playbook;
    // Only over a playbook browsed in the library: a walk or an opened incident has its own.
    const bool browsing = !m_details->isShowingIncident() && m_viewedIncident.isEmpty();
    if (!m_coverageAction->isChecked() || !playbook || !browsing) {
        if (browsing)
            m_details->diagram()->setWalk({});
        return;
    }
    statusBar()->showMessage(tr("Running the tests of %1…").arg(playbook->title.value));
    auto *watcher = new QFutureWatcher<TestCoverage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, run, playbook] {
        watcher->deleteLater();
        if (run != m_coverageRun || m_details->entry().playbook != playbook)
            return; // another playbook is shown by now
        const TestCoverage coverage = watcher->result();
        m_details->diagram()->setWalk(coverage.overlay);
        statusBar()->showMessage(coverage.summary());
    });
    watcher->setFuture(QtConcurrent::run([playbook] { return testCoverageOf(playbook); }));
}

} // namespace runlane::desktop
