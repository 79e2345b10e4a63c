// MainWindow's editor mode: a playbook's YAML and its tests in place of the library.
#include "app/desktop/diagram_view.h"
#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/editor_document.h"
#include "app/desktop/editor/playbook_editor.h"
#include "app/desktop/editor/playbook_template.h"
#include "app/desktop/incidents_dock.h"
#include "app/desktop/library_loader.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/playbook_list_model.h"
#include "app/shared/incident_driver.h"
#include "app/shared/incident_recorder.h"
#include "app/shared/journal_location.h"
#include "engine/export/postmortem.h"
#include "engine/playbook/library.h"
#include "engine/scenario/case_recorder.h"
#include "engine/session/session.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

void MainWindow::createEditorActions()
{
    m_editorMenu = menuBar()->addMenu(tr("Edit&or"));
    m_editorMenu->setObjectName(QStringLiteral("editorMenu"));
    m_editorMenu->addAction(m_editor->saveAction());
    m_editorMenu->addAction(m_editor->saveAsAction());
    m_editorMenu->addAction(m_editor->revertAction());
    m_editorMenu->addSeparator();
    m_editorMenu->addAction(m_editor->undoAction());
    m_editorMenu->addAction(m_editor->redoAction());
    m_editorMenu->addSeparator();
    m_editorMenu->addAction(m_editor->nextProblemAction());
    m_editorMenu->addAction(m_editor->previousProblemAction());
    m_editorMenu->addSeparator();
    m_editorMenu->addAction(m_editor->runTestsAction());
    m_editorMenu->addAction(m_coverageAction); // View > Test Coverage, on the editor's diagram
    m_editorMenu->addAction(m_editor->newTestFileAction());
    m_editorMenu->addSeparator();
    QAction *close = m_editorMenu->addAction(tr("&Close Editor"), this, [this] { closeEditor(); });
    close->setObjectName(QStringLiteral("closeEditorAction"));
    close->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    close->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_editor->addAction(close);
    m_editorMenu->menuAction()->setVisible(false);

    connect(m_editor, &PlaybookEditor::saved, this, [this](const QString &file) {
        // The library shows what was written; the file stays selected.
        if (!isPlaybookTestFile(file))
            m_selectFile = file;
        reload();
    });
    connect(m_editor, &PlaybookEditor::titleChanged, this, [this](const QString &title) {
        if (isEditing())
            setWindowTitle(tr("%1 — Runlane").arg(title));
    });
}

bool MainWindow::isEditing() const
{
    return m_pages->currentWidget() == m_editor;
}

DiagramView *MainWindow::shownDiagram() const
{
    return isEditing() ? m_editor->preview() : m_details->diagram();
}

std::optional<QString> MainWindow::editPlaybook(const QString &file)
{
    if (auto error = m_editor->open(file))
        return error;
    if (m_editor->playbookDocument()->path() != file)
        return std::nullopt; // the author cancelled at the unsaved-changes question
    m_pages->setCurrentWidget(m_editor);
    m_editorMenu->menuAction()->setVisible(true);
    m_editor->setCoverageShown(m_coverageAction->isChecked());
    m_editor->playbookEditor()->setFocus(Qt::OtherFocusReason);
    setWindowTitle(tr("%1 — Runlane").arg(m_editor->playbookDocument()->fileName()));
    statusBar()->showMessage(
        tr("Editing %1: Ctrl+S saves, Ctrl+T runs the tests, F8 goes to the next problem, Ctrl+W "
           "closes the editor.")
            .arg(QDir::toNativeSeparators(file)),
        15000);
    return std::nullopt;
}

std::optional<QString> MainWindow::newPlaybook(const QString &file)
{
    if (auto error = writePlaybookTemplate(file))
        return error;
    m_selectFile = file;
    reload();
    return editPlaybook(file);
}

void MainWindow::askNewPlaybook()
{
    // In the first library folder that is a folder, where the library will find it.
    QString folder = QDir::homePath();
    for (const QString &path : m_paths) {
        if (QFileInfo(path).isDir()) {
            folder = path;
            break;
        }
    }
    const QString file = QFileDialog::getSaveFileName(
        this, tr("New Playbook"), QDir(folder).filePath(QStringLiteral("new-playbook.yaml")),
        tr("Playbooks (*.yaml)"));
    if (file.isEmpty())
        return;
    showOrWarn(newPlaybook(file), tr("Cannot create the playbook"));
}

bool MainWindow::closeEditor()
{
    if (!isEditing())
        return true;
    if (!m_editor->maybeClose())
        return false;
    m_pages->setCurrentWidget(m_splitter);
    m_editorMenu->menuAction()->setVisible(false);
    setWindowTitle(tr("Runlane"));
    showCurrent();
    m_list->setFocus(Qt::OtherFocusReason);
    return true;
}

std::variant<MainWindow::RecordedTestCase, QString>
MainWindow::recordTestCase(const QString &incidentId, const QString &name)
{
    // The walk's own journal, also when another was chosen since it began.
    const bool walked =
        m_driver && m_driver->session() && m_driver->session()->incidentId() == incidentId;
    const auto read =
        readJournalIncident(walked ? m_recorder->database().path() : journalPath(), incidentId);
    if (const auto *error = std::get_if<QString>(&read))
        return *error;
    const IncidentJournal &journal = std::get<IncidentJournal>(read);
    const Postmortem pm = buildPostmortem(journal, QDateTime::currentMSecsSinceEpoch());
    if (!pm.playbook)
        return tr("The playbook of this incident cannot be read back: %1").arg(pm.snapshotProblem);
    // The journal keeps the playbook's text, not its file: the library's playbook of that id.
    const LoadResult *entry = m_listModel->library().byId(pm.playbook->id.value);
    if (!entry)
        return tr("No playbook with the id '%1' is in the library, so there is no test file to "
                  "add the case to. runlane-cli record-test --out FILE writes it elsewhere.")
            .arg(pm.playbook->id.value);
    const auto recorded = recordCase(*pm.playbook, journal.events, name);
    if (const auto *error = std::get_if<QString>(&recorded))
        return *error;
    const RecordedCase &r = std::get<RecordedCase>(recorded);
    RecordedTestCase result{testFileFor(entry->file), entry->file, name, r.warnings};
    if (entry->playbook && entry->playbook->source != pm.playbook->source)
        result.warnings.append(tr("The playbook file has changed since this incident; the case "
                                  "was recorded against the version it was walked with."));
    // The test file open in the editor: its text there must not be saved over the new case.
    EditorDocument *open = m_editor->testDocument();
    const bool isOpen = open && QFileInfo(open->path()) == QFileInfo(result.testFile);
    if (isOpen && open->isModified())
        return tr("%1 is open in the editor with unsaved changes. Save or revert them, then "
                  "record the case.")
            .arg(open->fileName());
    if (auto error =
            appendCaseToTestFile(result.testFile, entry->file, r.scenarioCase, &result.name))
        return *error;
    if (isOpen) {
        if (auto error = open->revert()) // the file with the new case, as one undoable edit
            return *error;
    }
    return result;
}

void MainWindow::recordShownIncident()
{
    const QString id = shownIncidentId();
    if (id.isEmpty()) {
        statusBar()->showMessage(
            tr("No incident to record: open one from the Incidents list (Ctrl+I)."), 8000);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Record as Test Case"),
        tr("The case's name in the playbook's test file (what this walk shows):"),
        QLineEdit::Normal,
        tr("recorded from incident %1 on %2")
            .arg(id.left(8), QDate::currentDate().toString(Qt::ISODate)),
        &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    const auto recorded = recordTestCase(id, name.trimmed());
    if (const auto *error = std::get_if<QString>(&recorded))
        return (void)QMessageBox::warning(this, tr("Cannot record the test case"), *error);
    const RecordedTestCase &r = std::get<RecordedTestCase>(recorded);
    QMessageBox box(
        QMessageBox::Information, tr("Test case recorded"),
        tr("“%1” is now a case of %2.").arg(r.name, QDir::toNativeSeparators(r.testFile)),
        QMessageBox::Close, this);
    if (!r.warnings.isEmpty())
        box.setInformativeText(tr("Check it, because:\n• %1").arg(r.warnings.join(u"\n• "_s)));
    QPushButton *edit = box.addButton(tr("Open in the Editor"), QMessageBox::AcceptRole);
    box.setDefaultButton(edit);
    box.exec();
    if (box.clickedButton() == edit)
        showOrWarn(editPlaybook(r.playbookFile), tr("Cannot edit"));
}

} // namespace runlane::desktop
