// The window's incident side: starting one, resuming one, opening a finished one to read its
// walk, and offering the unfinished ones at start-up.
#include "app/desktop/main_window.h"

#include "app/desktop/diagram_view.h"
#include "app/desktop/drill_fleet.h"
#include "app/desktop/export_dialogs.h"
#include "app/desktop/incident_panel.h"
#include "app/desktop/incidents_dock.h"
#include "app/desktop/inputs_dialog.h"
#include "app/desktop/inputs_form.h"
#include "app/desktop/library_loader.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/playbook_filter_model.h"
#include "app/desktop/playbook_list_model.h"
#include "app/desktop/timeline_dock.h"
#include "app/desktop/timeline_model.h"
#include "app/shared/incident_driver.h"
#include "app/shared/journal_location.h"
#include "app/shared/os_user.h"
#include "engine/export/postmortem.h"
#include "engine/export/postmortem_diagram.h"
#include "engine/journal/journal_reader.h"
#include "engine/session/resolved_targets.h"

#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

namespace runlane::desktop {

QString MainWindow::journalPath() const
{
    return m_journalPath.isEmpty() ? defaultJournalPath() : m_journalPath;
}

void MainWindow::setJournalPath(const QString &path)
{
    m_journalPath = path; // the next incident opens it (openRecorder)
    if (!isWalking())     // else once the walk ends: the list shows the walk's journal meanwhile
        m_incidents->setJournalPath(journalPath());
}

bool MainWindow::isWalking() const
{
    return m_driver && m_driver->session() && !m_driver->session()->outcome();
}

std::optional<QString> MainWindow::whyBusy() const
{
    if (isWalking())
        return tr("An incident is under way; end it first.");
    if (m_drill && m_drill->isStarting())
        return tr("A drill is starting; wait for it, or end it first.");
    return std::nullopt;
}

void MainWindow::startFromAlert(const QString &file, const QJsonObject &labels)
{
    if (!closeEditor()) // the author kept the editor (unsaved changes)
        return;
    if (const auto busy = whyBusy()) // the walk keeps the window
        return statusBar()->showMessage(*busy, 8000);
    m_search->clear(); // the playbook must be in the list to be selected
    const QModelIndex index = m_filterModel->mapFromSource(m_listModel->indexOfFile(file));
    if (!index.isValid()) {
        statusBar()->showMessage(tr("%1 is no longer in the library.").arg(file), 8000);
        return;
    }
    m_list->setCurrentIndex(index);
    askAndStartIncident(labels);
}

void MainWindow::askAndStartIncident(const QJsonObject &prefill)
{
    if (!closeEditor())
        return;
    if (const auto busy = whyBusy()) { // before any dialog: the gates must stay answerable
        showWalk();
        return statusBar()->showMessage(*busy, 8000);
    }
    const LoadResult &entry = m_details->entry();
    if (!entry.playbook)
        return;
    if (!entry.ok()) {
        QMessageBox::warning(
            this, tr("Cannot start"),
            tr("%1 has errors; its diagnostics show them.").arg(entry.playbook->title.value));
        return;
    }
    InputsDialog dialog(entry.playbook, this);
    if (!prefill.isEmpty())
        dialog.form()->setValues(prefill);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const auto problem = startIncident(dialog.values(), dialog.dryRun(), dialog.drill()))
        QMessageBox::warning(this, tr("Cannot start"), *problem);
    else if (m_panel) // once the dialog has handed the focus back
        QTimer::singleShot(0, m_panel, &IncidentPanel::focusAction);
}

std::optional<QString> MainWindow::openRecorder()
{
    if (m_recorder && m_recorder->database().path() == journalPath())
        return std::nullopt;
    if (m_recorder) { // another journal was chosen: the finished walk lets go of the old one
        if (m_panel)
            m_panel->setDriver(nullptr);
        m_driver.reset();
        m_recorder.reset();
    }
    auto opened = IncidentRecorder::open(journalPath());
    if (const auto *error = std::get_if<QString>(&opened))
        return *error;
    m_recorder = std::move(std::get<std::unique_ptr<IncidentRecorder>>(opened));
    return std::nullopt;
}

std::optional<QString> MainWindow::startIncident(const QJsonObject &inputs, bool dryRun, bool drill)
{
    const LoadResult &entry = m_details->entry();
    if (!entry.playbook)
        return tr("No playbook is selected.");
    if (!entry.ok())
        return tr("%1 has errors; its diagnostics show them.").arg(entry.playbook->title.value);
    if (const auto busy = whyBusy())
        return busy;
    if (const auto error = openRecorder())
        return error;
    const auto go = [this, walked = entry, inputs, dryRun, drill](const ResolvedTargets &targets) {
        beginWalk(walked, targets, {}, drill);
        m_driver->start(walked.playbook, inputs, osUser(), dryRun, drill);
        m_incidents->refresh();
        m_panel->focusAction();
    };
    if (drill) { // against a simulated fleet the app starts, once it is up
        withDrillFleet(entry.playbook, go);
        return std::nullopt;
    }
    // Environment references in targets are resolved now, before anything runs.
    const ResolvedTargets targets = resolveTargets(*entry.playbook, expr::processEnvironment());
    if (!targets.problems.isEmpty() && !dryRun)
        return tr("These targets cannot be used:\n%1").arg(targets.problems.join(u'\n'));
    go(targets);
    return std::nullopt;
}

std::optional<QString> MainWindow::resumeIncident(const QString &id)
{
    if (!closeEditor())
        return std::nullopt;
    if (const auto busy = whyBusy())
        return busy;
    if (const auto error = openRecorder())
        return error;
    auto read = readIncident(m_recorder->database(), id);
    if (const auto *error = std::get_if<QString>(&read))
        return *error;
    const IncidentJournal &earlier = std::get<IncidentJournal>(read);
    if (earlier.incident.ended())
        return tr("That incident has ended (%1); open it to read it.")
            .arg(earlier.incident.outcome);
    // The exact playbook it was walked with, whatever the library holds now.
    LoadResult snapshot =
        loadPlaybookText(earlier.incident.playbookText.toUtf8(),
                         tr("incident %1 (snapshot)").arg(earlier.incident.id.left(8)));
    if (!snapshot.ok())
        return tr("The playbook this incident was walked with cannot be read back.");
    const auto goOn = [this, snapshot, earlier](const ResolvedTargets &targets) {
        beginWalk(snapshot, targets, earlier.events, earlier.incident.drill);
        if (const auto error = m_driver->resume(earlier, snapshot.playbook, osUser())) {
            m_panel->setDriver(nullptr);
            m_driver.reset();
            if (m_drill)
                m_drill->stop();
            return std::optional<QString>(error);
        }
        m_resumeBar->hide();
        m_incidents->refresh();
        m_panel->focusAction();
        return std::optional<QString>();
    };
    if (earlier.incident.drill) { // a drill goes on against a simulated fleet started anew
        withDrillFleet(snapshot.playbook, [this, goOn](const ResolvedTargets &targets) {
            showOrWarn(goOn(targets), tr("Cannot resume"));
        });
        return std::nullopt;
    }
    const ResolvedTargets targets = resolveTargets(*snapshot.playbook, expr::processEnvironment());
    if (!targets.problems.isEmpty() && !earlier.incident.dryRun)
        return tr("These targets cannot be used:\n%1").arg(targets.problems.join(u'\n'));
    return goOn(targets);
}

void MainWindow::withDrillFleet(PlaybookPtr playbook,
                                std::function<void(const ResolvedTargets &)> then)
{
    if (!m_drill) {
        m_drill = new DrillFleet(this);
        connect(m_drill, &DrillFleet::progress, this,
                [this](const QString &text) { statusBar()->showMessage(text); });
        connect(m_drill, &DrillFleet::ready, this, [this] {
            m_busy->hide();
            statusBar()->showMessage(
                tr("Drill: the simulated fleet answers at %1").arg(m_drill->fleetUrl()), 10000);
            auto go = std::exchange(m_afterDrillReady, {});
            if (go && !isWalking()) // nothing else may have started meanwhile (whyBusy)
                go(m_drill->targets(*m_drillPlaybook));
            else
                m_drill->stop();
        });
        connect(m_drill, &DrillFleet::failed, this, [this](const QString &error) {
            m_busy->hide();
            m_afterDrillReady = {};
            statusBar()->clearMessage();
            auto *box = new QMessageBox(QMessageBox::Warning, tr("The drill cannot start"), error,
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
        connect(m_drill, &DrillFleet::stoppedUnexpectedly, this, [this](const QString &why) {
            statusBar()->showMessage(
                tr("%1: the drill's requests fail from now on. Abort the drill or go on by hand.")
                    .arg(why));
        });
    }
    m_drill->stop();
    m_drillPlaybook = std::move(playbook);
    m_afterDrillReady = std::move(then);
    m_busy->show();
    m_drill->start(*m_drillPlaybook);
}

// The panel and the timeline for a walk of `entry`, with a new driver; a drill's sends only to
// this machine.
void MainWindow::beginWalk(const LoadResult &entry, const ResolvedTargets &targets,
                           const QList<Event> &earlier, bool drill)
{
    ensureTimeline();
    if (!m_panel) {
        m_panel = new IncidentPanel(this);
        connect(m_panel, &IncidentPanel::walkChanged, this, &MainWindow::showWalkOverlay);
        connect(m_panel, &IncidentPanel::exportRequested, this, &MainWindow::exportShownIncident);
    }
    m_panel->setDriver(nullptr);
    m_driver = std::make_unique<IncidentDriver>(*m_recorder, targets);
    m_driver->executor().setLoopbackOnly(drill);
    m_walkEntry = entry;
    m_timeline->model()->clear();
    m_timeline->model()->setPlaybook(entry.playbook);
    m_timeline->model()->setEvents(earlier);
    m_timeline->show();
    m_timeline->raise();
    connect(m_driver.get(), &IncidentDriver::eventRecorded, m_timeline->model(),
            &TimelineModel::append);
    connect(m_driver.get(), &IncidentDriver::stateChanged, this, [this] {
        if (m_driver->session() && m_driver->session()->outcome()) {
            m_incidents->setJournalPath(journalPath()); // it is finished now (a new path applies)
            if (m_drill && m_drill->isRunning())
                m_drill->stop();
        }
    });
    m_panel->setDriver(m_driver.get());
    showWalk();
}

// The incident's playbook, its walk on the diagram and the step panel.
void MainWindow::showWalk()
{
    if (!m_driver || !m_walkEntry.playbook)
        return;
    m_viewedIncident.clear();
    m_details->showEntry(m_walkEntry);
    m_details->showIncident(m_panel);
    showWalkOverlay();
    setWindowTitle(tr("%1 — incident — Runlane").arg(m_walkEntry.playbook->title.value));
}

void MainWindow::showWalkOverlay()
{
    const Session *session = m_driver ? m_driver->session() : nullptr;
    // Only over the walk's own diagram: not over a playbook browsed or an incident opened.
    if (!session || !m_details->isShowingIncident() || !m_viewedIncident.isEmpty())
        return;
    DiagramOverlay walk;
    walk.path = session->path();
    if (!session->outcome() && session->current())
        walk.current = session->current()->id.value;
    if (m_driver->isWorking() && session->current())
        walk.pending.insert(session->current()->id.value);
    m_details->diagram()->setWalk(walk);
}

// A finished (or another) incident to read: the snapshot's diagram with the walked path, and its
// timeline. The walk in progress, if any, stays where it is (Ctrl+J shows it again).
std::optional<QString> MainWindow::openIncident(const QString &id)
{
    if (!closeEditor())
        return std::nullopt;
    // The list's journal, where the id is from.
    const auto read = readJournalIncident(m_incidents->journalPath(), id);
    if (const auto *error = std::get_if<QString>(&read))
        return *error;
    const IncidentJournal &journal = std::get<IncidentJournal>(read);
    if (isWalking() && m_driver->session()->incidentId() == journal.incident.id) {
        showWalk();
        return std::nullopt;
    }
    const Postmortem pm = buildPostmortem(journal, QDateTime::currentMSecsSinceEpoch());
    if (!pm.playbook)
        return tr("The playbook of this incident cannot be read back: %1").arg(pm.snapshotProblem);
    LoadResult snapshot;
    snapshot.playbook = pm.playbook;
    m_details->showIncident(nullptr);
    m_details->showEntry(snapshot);
    m_details->diagram()->setWalk(walkedOverlay(pm));
    ensureTimeline();
    if (!isWalking()) { // the timeline follows the walk in progress otherwise
        m_timeline->model()->clear();
        m_timeline->model()->setPlaybook(pm.playbook);
        m_timeline->model()->setEvents(journal.events);
        m_timeline->show();
    }
    m_viewedIncident = journal.incident.id;
    setWindowTitle(tr("%1 — %2 — Runlane")
                       .arg(pm.playbook->title.value,
                            journal.incident.ended() ? tr("ended %1").arg(journal.incident.outcome)
                                                     : tr("unfinished")));
    statusBar()->showMessage(tr("Incident %1 as walked: %2 steps. Export it from the File menu.")
                                 .arg(journal.incident.id.left(8))
                                 .arg(pm.path.size()),
                             8000);
    return std::nullopt;
}

// At start-up, unfinished incidents are offered in a bar above the library: resuming one is a
// click (or Ctrl+Shift+R), and nothing blocks the window.
void MainWindow::offerResume()
{
    const QList<IncidentRecord> unfinished = m_incidents->unfinished();
    if (unfinished.isEmpty() || isWalking()) {
        m_resumeBar->hide();
        return;
    }
    const IncidentRecord &newest = unfinished.constFirst();
    const QString when =
        QDateTime::fromMSecsSinceEpoch(newest.startedAtMs).toString(QStringLiteral("ddd HH:mm"));
    QString text = tr("<b>An incident did not finish:</b> %1, started %2 by %3%4.")
                       .arg(newest.title.toHtmlEscaped(), when, newest.startedBy.toHtmlEscaped(),
                            newest.drill ? tr(" (drill)") : QString());
    if (unfinished.size() > 1)
        text +=
            tr(" %n more unfinished in the Incidents list.", nullptr, int(unfinished.size() - 1));
    m_resumeText->setText(text);
    m_resumeId = newest.id;
    m_resumeBar->show();
}

void MainWindow::resumeOffered()
{
    if (const auto problem = resumeIncident(m_resumeId))
        QMessageBox::warning(this, tr("Cannot resume"), *problem);
}

void MainWindow::ensureTimeline()
{
    if (m_timeline)
        return;
    m_timeline = new TimelineDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_timeline);
    tabifyDockWidget(m_incidents, m_timeline);
}

// The incident on screen: the one opened from the list, else the walk (in progress or just
// ended), else the one selected in the list.
QString MainWindow::shownIncidentId() const
{
    if (!m_viewedIncident.isEmpty())
        return m_viewedIncident;
    if (m_driver && m_driver->session() && m_details->isShowingIncident())
        return m_driver->session()->incidentId();
    return m_incidents->currentId();
}

void MainWindow::exportShownIncident()
{
    const QString id = shownIncidentId();
    if (id.isEmpty()) {
        statusBar()->showMessage(tr("No incident to export: open one from the Incidents list."),
                                 8000);
        return;
    }
    // The walk's own journal, also when another was chosen since it began.
    const bool walked = m_driver && m_driver->session() && m_driver->session()->incidentId() == id;
    const QString written =
        exportIncident(this, walked ? m_recorder->database().path() : journalPath(), id);
    if (!written.isEmpty())
        statusBar()->showMessage(tr("Exported to %1").arg(written), 10000);
}

void MainWindow::exportShownDiagram()
{
    const DiagramPainter *painter = m_details->diagram()->diagramPainter();
    const Playbook *playbook = m_details->entry().playbook.get();
    if (!painter || !playbook) {
        statusBar()->showMessage(tr("No diagram to export yet."), 8000);
        return;
    }
    const QString written = exportDiagram(this, *painter, playbook->id.value);
    if (!written.isEmpty())
        statusBar()->showMessage(tr("Exported to %1").arg(written), 10000);
}

} // namespace runlane::desktop
