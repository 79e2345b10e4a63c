// MainWindow's editor mode: a playbook's YAML and its tests in place of the library.
#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/editor_document.h"
#include "app/desktop/editor/playbook_editor.h"
#include "app/desktop/editor/playbook_template.h"
#include "app/desktop/library_loader.h"
#include "app/desktop/main_window.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

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
        if (!QFileInfo(file).fileName().endsWith(QStringLiteral(".test.yaml")))
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

} // namespace runlane::desktop
