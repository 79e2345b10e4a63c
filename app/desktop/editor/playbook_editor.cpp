#include "app/desktop/editor/playbook_editor.h"

#include "app/desktop/diagram_view.h"
#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/editor_completer.h"
#include "app/desktop/editor/editor_document.h"
#include "app/desktop/editor/live_validation.h"
#include "app/desktop/editor/playbook_template.h"
#include "app/desktop/editor/step_source_map.h"
#include "app/desktop/editor/test_results_panel.h"
#include "app/desktop/icons.h"
#include "app/desktop/step_text.h"
#include "engine/scenario/case_recorder.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace runlane::desktop {

namespace {

constexpr int lineRole = Qt::UserRole;
constexpr int columnRole = Qt::UserRole + 1;

// The test file beside a playbook that names it: "name.test.yaml" first, then any other.
QString testFileOf(const QString &playbookFile)
{
    const QString preferred = testFileFor(playbookFile);
    const QString canonical = QFileInfo(playbookFile).canonicalFilePath();
    const QDir folder = QFileInfo(playbookFile).absoluteDir();
    QStringList candidates = folder.entryList(
        {QStringLiteral("*.test.yaml"), QStringLiteral("*.test.yml")}, QDir::Files, QDir::Name);
    candidates.removeAll(QFileInfo(preferred).fileName());
    if (QFileInfo::exists(preferred))
        candidates.prepend(QFileInfo(preferred).fileName());
    for (const QString &name : candidates) {
        const ScenarioLoad load = loadScenarioFile(folder.filePath(name));
        if (load.scenario &&
            QFileInfo(load.scenario->playbookFile).canonicalFilePath() == canonical)
            return folder.filePath(name);
    }
    return {};
}

} // namespace

PlaybookEditor::PlaybookEditor(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_playbookCheck(new LiveValidation(LiveValidation::Kind::Playbook, this))
    , m_testCheck(new LiveValidation(LiveValidation::Kind::TestFile, this))
    , m_problems(new QListWidget(this))
    , m_checkStatus(new QLabel(this))
    , m_preview(new DiagramView(this))
    , m_previewNote(new QLabel(this))
    , m_results(new TestResultsPanel(this))
{
    setObjectName(QStringLiteral("playbookEditor"));
    m_tabs->setObjectName(QStringLiteral("editorTabs"));
    m_tabs->setDocumentMode(true);
    m_problems->setObjectName(QStringLiteral("editorProblems"));
    m_checkStatus->setObjectName(QStringLiteral("editorCheckStatus"));
    m_preview->setObjectName(QStringLiteral("editorPreview"));
    m_previewNote->setObjectName(QStringLiteral("editorPreviewNote"));
    m_previewNote->setWordWrap(true);
    m_previewNote->hide();

    CodeEditor *text = createEditor();
    text->setObjectName(QStringLiteral("playbookText"));
    m_playbook = new EditorDocument(text, this);
    m_playbookCompleter = new EditorCompleter(text);
    m_tabs->addTab(text, tr("Playbook"));
    m_playbookCheck->setSource([this] { return m_playbook->text().toUtf8(); }, QString());
    connect(text->document(), &QTextDocument::contentsChanged, m_playbookCheck,
            &LiveValidation::textChanged);
    connect(text, &QPlainTextEdit::cursorPositionChanged, this, &PlaybookEditor::followCursor);
    connect(m_playbookCheck, &LiveValidation::playbookValidated, this,
            &PlaybookEditor::onPlaybookValidated);
    connect(m_testCheck, &LiveValidation::testFileValidated, this,
            &PlaybookEditor::onTestFileValidated);
    connect(m_playbook, &EditorDocument::modificationChanged, this, &PlaybookEditor::updateTitle);
    connect(m_playbook, &EditorDocument::pathChanged, this, [this](const QString &path) {
        m_playbookCheck->setFile(path);
        updateTitle();
    });
    connect(m_playbook, &EditorDocument::changedOnDisk, this,
            [this](bool exists) { onChangedOnDisk(m_playbook, exists); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        showProblems();
        updateActions();
    });

    m_problems->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_problems->setWordWrap(true);
    m_problems->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_problems, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { goToProblem(m_problems->row(item)); });
    connect(m_problems, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { goToProblem(m_problems->row(item)); });

    connect(m_preview, &DiagramView::stepSelected, this, &PlaybookEditor::jumpToStep);
    connect(m_preview, &DiagramView::diagramShown, this, [this] {
        if (m_nextPreview)
            m_preview->showPlaybook(std::exchange(m_nextPreview, nullptr));
        // The step the cursor is in, in the new diagram.
        m_followedStep.clear();
        followCursor();
        if (m_coverageShown)
            m_preview->setWalk(m_results->results().overlay);
    });
    connect(m_results, &TestResultsPanel::runRequested, this, &PlaybookEditor::runTests);
    connect(m_results, &TestResultsPanel::caseActivated, this,
            [this](const QString &file, runlane::SourcePos pos) {
                if (auto error = openTestFile(file, pos))
                    QMessageBox::warning(this, tr("Cannot open the test file"), *error);
            });

    // The bar that offers a file changed by another program for reloading.
    m_reloadBar = new QFrame(this);
    m_reloadBar->setObjectName(QStringLiteral("editorReloadBar"));
    m_reloadText = new QLabel(m_reloadBar);
    m_reloadText->setWordWrap(true);
    auto *reload = new QPushButton(tr("&Reload"), m_reloadBar);
    reload->setObjectName(QStringLiteral("editorReloadButton"));
    auto *keep = new QPushButton(tr("&Keep Mine"), m_reloadBar);
    keep->setObjectName(QStringLiteral("editorKeepButton"));
    auto *barLayout = new QHBoxLayout(m_reloadBar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    auto *barIcon = new QLabel(m_reloadBar);
    barIcon->setPixmap(Icons::warning().pixmap(16, 16));
    barLayout->addWidget(barIcon);
    barLayout->addWidget(m_reloadText, 1);
    barLayout->addWidget(reload);
    barLayout->addWidget(keep);
    m_reloadBar->hide();
    connect(reload, &QPushButton::clicked, this, [this] {
        if (m_changedOnDisk.isEmpty())
            return;
        EditorDocument *document = m_changedOnDisk.takeFirst().first;
        if (auto error = document->revert())
            QMessageBox::warning(this, tr("Cannot reload"), *error);
        showChangedOnDisk();
    });
    connect(keep, &QPushButton::clicked, this, [this] {
        if (!m_changedOnDisk.isEmpty())
            m_changedOnDisk.takeFirst().first->keepMine();
        showChangedOnDisk();
    });

    // The text takes the height; the problems under it as many rows as they need, up to eight.
    auto *textPane = new QWidget(this);
    auto *textLayout = new QVBoxLayout(textPane);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->setSpacing(4);
    textLayout->addWidget(m_tabs, 1);
    textLayout->addWidget(m_checkStatus);
    textLayout->addWidget(m_problems);
    m_problems->setMaximumHeight(8 * m_problems->fontMetrics().lineSpacing() + 12);
    m_problems->hide();

    auto *previewPane = new QWidget(this);
    auto *previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->setSpacing(4);
    previewLayout->addWidget(m_previewNote);
    previewLayout->addWidget(m_preview, 1);

    m_side = new QSplitter(Qt::Vertical, this);
    m_side->setChildrenCollapsible(false);
    m_side->addWidget(previewPane);
    m_side->addWidget(m_results);
    m_side->setStretchFactor(0, 1);
    m_side->setStretchFactor(1, 0);
    m_side->setSizes({620, 320});

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("editorSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(textPane);
    m_splitter->addWidget(m_side);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addWidget(m_reloadBar);
    layout->addWidget(m_splitter, 1);

    createActions();
    updateTitle();
}

PlaybookEditor::~PlaybookEditor() = default;

CodeEditor *PlaybookEditor::createEditor()
{
    auto *editor = new CodeEditor(m_tabs);
    connect(editor, &QPlainTextEdit::undoAvailable, this, &PlaybookEditor::updateActions);
    connect(editor, &QPlainTextEdit::redoAvailable, this, &PlaybookEditor::updateActions);
    return editor;
}

void PlaybookEditor::createActions()
{
    auto action = [this](const QString &text, const QString &name, const QKeySequence &key,
                         auto slot) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(key);
        // Only while the editor is shown: the library has its own meaning for some of these keys.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    auto report = [this](const QString &title) {
        return [this, title](const std::optional<QString> &error) {
            if (error)
                QMessageBox::warning(this, title, *error);
        };
    };
    m_save = action(tr("&Save"), QStringLiteral("editorSaveAction"), QKeySequence::Save,
                    [this, report] { report(tr("Cannot save"))(save()); });
    m_saveAs = action(tr("Save &As…"), QStringLiteral("editorSaveAsAction"), QKeySequence::SaveAs,
                      [this, report] { report(tr("Cannot save"))(askSaveAs(currentDocument())); });
    m_revert =
        action(tr("Re&vert"), QStringLiteral("editorRevertAction"), QKeySequence(), [this, report] {
            EditorDocument *document = currentDocument();
            if (!document || !document->isModified())
                return;
            const auto answer =
                QMessageBox::question(this, tr("Revert"),
                                      tr("Drop the changes to %1 and read it from disk again? "
                                         "Undo brings them back.")
                                          .arg(document->fileName()));
            if (answer == QMessageBox::Yes)
                report(tr("Cannot revert"))(revert());
        });
    m_undo = action(tr("&Undo"), QStringLiteral("editorUndoAction"), QKeySequence::Undo,
                    [this] { currentEditor()->undo(); });
    m_redo = action(tr("&Redo"), QStringLiteral("editorRedoAction"), QKeySequence::Redo,
                    [this] { currentEditor()->redo(); });
    m_nextProblem = action(tr("&Next Problem"), QStringLiteral("editorNextProblemAction"),
                           QKeySequence(Qt::Key_F8), [this] { stepProblem(1); });
    m_previousProblem =
        action(tr("&Previous Problem"), QStringLiteral("editorPreviousProblemAction"),
               QKeySequence(Qt::SHIFT | Qt::Key_F8), [this] { stepProblem(-1); });
    // The results panel's own action (its button, Ctrl+T), working anywhere in the editor.
    m_runTests = m_results->runAction();
    m_runTests->setText(tr("Run &Tests"));
    m_runTests->setStatusTip(tr("Run the test file's cases on the playbook as it is typed"));
    addAction(m_runTests);
    // No key of its own: in the window, View > Test Coverage (Ctrl+Shift+T) drives it.
    m_coverage = action(tr("Show Test &Coverage"), QStringLiteral("editorCoverageAction"),
                        QKeySequence(), [this] { setCoverageShown(m_coverage->isChecked()); });
    m_coverage->setCheckable(true);
    m_newTestFile =
        action(tr("New &Test File"), QStringLiteral("editorNewTestFileAction"), QKeySequence(),
               [this, report] { report(tr("Cannot create the test file"))(newTestFile()); });
    // The undo keys belong to the text itself; the actions only mirror them in the menu.
    m_undo->setShortcutContext(Qt::WidgetShortcut);
    m_redo->setShortcutContext(Qt::WidgetShortcut);
    updateActions();
}

CodeEditor *PlaybookEditor::playbookEditor() const
{
    return m_playbook->editor();
}

CodeEditor *PlaybookEditor::testEditor() const
{
    return m_test ? m_test->editor() : nullptr;
}

CodeEditor *PlaybookEditor::currentEditor() const
{
    return currentDocument()->editor();
}

EditorDocument *PlaybookEditor::currentDocument() const
{
    return m_test && m_tabs->currentWidget() == m_test->editor() ? m_test : m_playbook;
}

bool PlaybookEditor::isModified() const
{
    return m_playbook->isModified() || (m_test && m_test->isModified());
}

bool PlaybookEditor::isValidating() const
{
    return m_playbookCheck->isPending() || m_testCheck->isPending();
}

std::optional<QString> PlaybookEditor::open(const QString &playbookFile)
{
    if (!maybeClose())
        return std::nullopt;
    if (auto error = m_playbook->load(playbookFile))
        return error;
    m_lastPlaybook = {};
    m_followedStep.clear();
    m_changedOnDisk.clear();
    m_reloadBar->hide();
    ++m_testRun; // a run still going is for the playbook open before
    m_rerunTests = false;
    m_results->clear();
    m_nextPreview = nullptr;
    m_preview->clear();
    m_preview->showMessage(tr("Laying out…"));
    m_playbookCheck->setFile(playbookFile);
    m_playbookCheck->validateNow();
    closeTestFile();
    if (const QString testFile = testFileOf(playbookFile); !testFile.isEmpty()) {
        if (auto error = openTestFile(testFile))
            return error;
    }
    m_tabs->setCurrentIndex(0);
    playbookEditor()->setFocus();
    updateTitle();
    return std::nullopt;
}

std::optional<QString> PlaybookEditor::openTestFile(const QString &testFile, SourcePos at)
{
    const bool same = m_test && QFileInfo(m_test->path()) == QFileInfo(testFile);
    if (!same) {
        if (!askToSave({m_test}))
            return std::nullopt; // the author keeps the test file open
        closeTestFile();
        CodeEditor *text = createEditor();
        text->setObjectName(QStringLiteral("testText"));
        auto *document = new EditorDocument(text, this);
        if (auto error = document->load(testFile)) {
            delete document;
            delete text;
            return error;
        }
        m_test = document;
        m_tabs->addTab(text, document->fileName());
        m_testCheck->setSource([document] { return document->text().toUtf8(); }, testFile);
        connect(text->document(), &QTextDocument::contentsChanged, m_testCheck,
                &LiveValidation::textChanged);
        connect(m_test, &EditorDocument::modificationChanged, this, &PlaybookEditor::updateTitle);
        connect(m_test, &EditorDocument::pathChanged, this, [this](const QString &path) {
            m_testCheck->setFile(path);
            updateTitle();
        });
        connect(m_test, &EditorDocument::changedOnDisk, this,
                [this, document](bool exists) { onChangedOnDisk(document, exists); });
        m_testCheck->validateNow();
    }
    if (at.isValid()) {
        m_tabs->setCurrentWidget(m_test->editor());
        m_test->editor()->goTo(at);
    }
    updateActions();
    return std::nullopt;
}

void PlaybookEditor::closeTestFile()
{
    if (!m_test)
        return;
    m_changedOnDisk.removeIf([this](const auto &changed) { return changed.first == m_test; });
    showChangedOnDisk();
    // Nothing may read the document once it is gone.
    m_testCheck->cancel();
    m_testCheck->setSource({}, QString());
    m_tabs->removeTab(m_tabs->indexOf(m_test->editor()));
    m_test->editor()->deleteLater();
    m_test->deleteLater();
    m_test = nullptr;
    m_lastTest = {};
}

bool PlaybookEditor::maybeClose()
{
    return askToSave({m_playbook, m_test});
}

bool PlaybookEditor::askToSave(const QList<EditorDocument *> &documents)
{
    QList<EditorDocument *> changed;
    QStringList names;
    for (EditorDocument *document : documents) {
        if (document && document->isModified() && !document->path().isEmpty()) {
            changed.append(document);
            names.append(document->fileName());
        }
    }
    if (changed.isEmpty())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("Save the changes to %1?").arg(names.join(tr(" and "))),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    for (EditorDocument *document : changed) {
        if (answer == QMessageBox::Discard) {
            // Dropped: what stays open must not count as changed any more.
            document->editor()->document()->setModified(false);
        } else if (auto error = saveDocument(document)) {
            QMessageBox::warning(this, tr("Cannot save"), *error);
            return false;
        }
    }
    return true;
}

std::optional<QString> PlaybookEditor::save()
{
    return saveDocument(currentDocument());
}

std::optional<QString> PlaybookEditor::saveDocument(EditorDocument *document)
{
    if (auto error = document->save())
        return error;
    Q_EMIT saved(document->path());
    return std::nullopt;
}

std::optional<QString> PlaybookEditor::saveAs(const QString &path)
{
    EditorDocument *document = currentDocument();
    if (auto error = document->saveAs(path))
        return error;
    Q_EMIT saved(path);
    return std::nullopt;
}

std::optional<QString> PlaybookEditor::askSaveAs(EditorDocument *document)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save As"), document->path(),
                                                      tr("YAML files (*.yaml *.yml)"));
    if (path.isEmpty())
        return std::nullopt;
    if (auto error = document->saveAs(path))
        return error;
    Q_EMIT saved(path);
    return std::nullopt;
}

std::optional<QString> PlaybookEditor::revert()
{
    return currentDocument()->revert();
}

std::optional<QString> PlaybookEditor::newTestFile()
{
    if (m_test) {
        m_tabs->setCurrentWidget(m_test->editor());
        return std::nullopt;
    }
    const QString path = testFileFor(m_playbook->path());
    if (QFileInfo::exists(path))
        return tr("%1 already exists but names another playbook.")
            .arg(QDir::toNativeSeparators(path));
    // One case to start from: the start step, with what the author fills in.
    const PlaybookPtr playbook = m_lastPlaybook.playbook;
    const QString start = playbook && !playbook->start.value.isEmpty() ? playbook->start.value
                                                                       : QStringLiteral("start");
    const QString text =
        playbookLine(path, m_playbook->path()) + QStringLiteral("cases:\n"
                                                                "  - name: the first way through\n"
                                                                "    inputs: {}\n"
                                                                "    results: {}\n"
                                                                "    answers: {}\n"
                                                                "    expect:\n"
                                                                "      visits: [%1]\n")
                                                     .arg(start);
    if (auto error = writeWholeFile(path, text.toUtf8()))
        return error;
    Q_EMIT saved(path);
    if (auto error = openTestFile(path))
        return error;
    m_tabs->setCurrentWidget(m_test->editor());
    m_test->editor()->goTo({4, 5});
    return std::nullopt;
}

void PlaybookEditor::onPlaybookValidated(const LoadResult &result)
{
    m_lastPlaybook = result;
    m_stepLines = result.playbook ? StepSourceMap(*result.playbook) : StepSourceMap();
    Diagnostics own;
    for (const Diagnostic &d : result.diagnostics) {
        if (d.file == m_playbook->path())
            own.append(d);
    }
    playbookEditor()->setDiagnostics(own);
    m_playbookCompleter->setPlaybook(result.playbook);
    const bool drawable = result.playbook && !result.playbook->steps.isEmpty();
    if (drawable) {
        // One layout at a time: a large playbook takes longer to lay out than a pause in typing,
        // and a new request would drop the one running, so the diagram would never follow.
        if (m_preview->isLayingOut())
            m_nextPreview = result.playbook;
        else
            m_preview->showPlaybook(result.playbook);
        m_previewNote->hide();
    } else if (m_preview->hasDiagram()) {
        m_previewNote->setText(
            tr("The text cannot be read as a playbook now; the diagram shows the last version "
               "that could be."));
        m_previewNote->show();
    } else {
        m_preview->showMessage(tr("Nothing to draw until the text reads as a playbook."));
    }
    m_followedStep.clear();
    followCursor();
    if (currentDocument() == m_playbook)
        showProblems();
    if ((m_coverageShown && result.ok()) || m_rerunTests)
        runTests();
    Q_EMIT playbookChecked();
}

void PlaybookEditor::onTestFileValidated(const ScenarioLoad &result)
{
    m_lastTest = result;
    if (!m_test)
        return;
    Diagnostics own;
    for (const Diagnostic &d : result.diagnostics) {
        if (d.file == m_test->path())
            own.append(d);
    }
    m_test->editor()->setDiagnostics(own);
    if (currentDocument() == m_test)
        showProblems();
}

void PlaybookEditor::showProblems()
{
    const bool test = currentDocument() == m_test;
    const Diagnostics &diagnostics = test ? m_lastTest.diagnostics : m_lastPlaybook.diagnostics;
    const QString path = currentDocument()->path();
    m_problems->clear();
    for (const Diagnostic &d : diagnostics) {
        QString where = QStringLiteral("%1:%2").arg(d.pos.line).arg(d.pos.column);
        if (d.file != path)
            where = QFileInfo(d.file).fileName() + QLatin1Char(':') + where;
        auto *item = new QListWidgetItem(d.isError() ? Icons::error() : Icons::warning(),
                                         where + QStringLiteral("  ") + d.message);
        item->setToolTip(d.toString());
        item->setData(lineRole, d.file == path ? d.pos.line : 0);
        item->setData(columnRole, d.pos.column);
        m_problems->addItem(item);
    }
    // An empty list only takes room from the text; the line above it says all is well.
    m_problems->setVisible(m_problems->count() > 0);
    const int errors = countOf(diagnostics, Diagnostic::Severity::Error);
    const int warnings = countOf(diagnostics, Diagnostic::Severity::Warning);
    if (errors == 0 && warnings == 0)
        m_checkStatus->setText(test ? tr("No problems in the test file.")
                                    : tr("No problems: the playbook can be run."));
    else if (errors == 0)
        m_checkStatus->setText(
            tr("%1: the playbook can be run.").arg(StepText::warnings(warnings)));
    else
        m_checkStatus->setText(
            warnings > 0 ? tr("%1, %2 (F8 goes to the next)")
                               .arg(StepText::errors(errors), StepText::warnings(warnings))
                         : tr("%1 (F8 goes to the next)").arg(StepText::errors(errors)));
    m_nextProblem->setEnabled(m_problems->count() > 0);
    m_previousProblem->setEnabled(m_problems->count() > 0);
}

void PlaybookEditor::goToProblem(int row)
{
    QListWidgetItem *item = m_problems->item(row);
    if (!item)
        return;
    m_problems->setCurrentRow(row);
    const int line = item->data(lineRole).toInt();
    if (line > 0)
        currentEditor()->goTo({line, item->data(columnRole).toInt()});
}

void PlaybookEditor::stepProblem(int by)
{
    const int count = m_problems->count();
    if (count == 0)
        return;
    // From the cursor: the next problem below it (or above, going back), wrapping around.
    const int cursorLine = currentEditor()->cursorPos().line;
    const int cursorColumn = currentEditor()->cursorPos().column;
    int target = by > 0 ? 0 : count - 1;
    for (int i = 0; i < count; ++i) {
        const int row = by > 0 ? i : count - 1 - i;
        const int line = m_problems->item(row)->data(lineRole).toInt();
        const int column = m_problems->item(row)->data(columnRole).toInt();
        const bool after = line > cursorLine || (line == cursorLine && column > cursorColumn);
        const bool before = line < cursorLine || (line == cursorLine && column < cursorColumn);
        if ((by > 0 && after) || (by < 0 && before)) {
            target = row;
            break;
        }
    }
    goToProblem(target);
}

void PlaybookEditor::followCursor()
{
    const PlaybookPtr playbook = m_lastPlaybook.playbook;
    if (!playbook)
        return;
    const int line = playbookEditor()->textCursor().blockNumber() + 1;
    const QString step = m_stepLines.stepAt(line);
    if (step == m_followedStep)
        return;
    m_followedStep = step;
    const StepLines lines = m_stepLines.linesOf(step);
    playbookEditor()->setHighlightedLines(lines.first, lines.last);
    if (m_preview->hasDiagram())
        m_preview->setSelectedStep(step);
}

void PlaybookEditor::jumpToStep(const QString &stepId)
{
    const PlaybookPtr playbook = m_lastPlaybook.playbook;
    const Step *step = playbook ? playbook->step(stepId) : nullptr;
    if (!step || !step->pos.isValid())
        return;
    m_tabs->setCurrentWidget(playbookEditor());
    playbookEditor()->goTo(step->id.pos.isValid() ? step->id.pos : step->pos);
}

void PlaybookEditor::onChangedOnDisk(EditorDocument *document, bool exists)
{
    // Each file is offered in turn: a change to the second must not hide the first's.
    m_changedOnDisk.removeIf([document](const auto &changed) { return changed.first == document; });
    m_changedOnDisk.append({document, exists});
    showChangedOnDisk();
}

void PlaybookEditor::showChangedOnDisk()
{
    if (m_changedOnDisk.isEmpty()) {
        m_reloadBar->hide();
        return;
    }
    const auto [document, exists] = m_changedOnDisk.constFirst();
    if (exists) {
        m_reloadText->setText(
            document->isModified()
                ? tr("%1 was changed by another program, and has changes here too. Reload drops "
                     "yours (Undo brings them back).")
                      .arg(document->fileName())
                : tr("%1 was changed by another program.").arg(document->fileName()));
    } else {
        m_reloadText->setText(tr("%1 was removed by another program. Save writes it again.")
                                  .arg(document->fileName()));
    }
    m_reloadBar->findChild<QPushButton *>(QStringLiteral("editorReloadButton"))->setVisible(exists);
    m_reloadBar->show();
}

void PlaybookEditor::updateTitle()
{
    QString title = m_playbook->fileName();
    if (isModified())
        title += QStringLiteral(" •");
    m_tabs->setTabText(0, m_playbook->fileName() +
                              (m_playbook->isModified() ? QStringLiteral(" •") : QString()));
    if (m_test)
        m_tabs->setTabText(m_tabs->indexOf(m_test->editor()),
                           m_test->fileName() +
                               (m_test->isModified() ? QStringLiteral(" •") : QString()));
    updateActions();
    Q_EMIT titleChanged(title);
}

void PlaybookEditor::updateActions()
{
    if (!m_save)
        return;
    EditorDocument *document = currentDocument();
    m_save->setEnabled(!document->path().isEmpty());
    m_saveAs->setEnabled(!document->path().isEmpty());
    m_revert->setEnabled(document->isModified());
    m_undo->setEnabled(document->editor()->document()->isUndoAvailable());
    m_redo->setEnabled(document->editor()->document()->isRedoAvailable());
    m_newTestFile->setEnabled(!m_test && !m_playbook->path().isEmpty());
}

void PlaybookEditor::runTests()
{
    if (m_testsRunning) {
        m_rerunTests = true; // once this run is in, with the text as it is then
        return;
    }
    const PlaybookPtr playbook = m_lastPlaybook.playbook;
    if (!playbook || !m_lastPlaybook.ok() || m_playbookCheck->isPending()) {
        // Run once the text as it stands is checked; a playbook with errors cannot be walked.
        if (m_playbookCheck->isPending()) {
            m_rerunTests = true;
            return;
        }
        m_results->setMessage(tr("The playbook has errors; fix them to run its tests (F8 goes "
                                 "to the first)."));
        return;
    }
    QHash<QString, QByteArray> unsaved;
    if (m_test && m_test->isModified())
        unsaved.insert(QFileInfo(m_test->path()).absoluteFilePath(), m_test->text().toUtf8());
    const quint64 run = ++m_testRun;
    m_testsRunning = true;
    m_rerunTests = false;
    m_results->setRunning(true);
    auto *watcher = new QFutureWatcher<TestCoverage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, run] {
        watcher->deleteLater();
        m_testsRunning = false;
        m_results->setRunning(false);
        if (run == m_testRun)
            showTestResults(watcher->result());
        if (m_rerunTests)
            runTests();
    });
    watcher->setFuture(
        QtConcurrent::run([playbook, unsaved] { return testCoverageOf(playbook, unsaved); }));
}

void PlaybookEditor::showTestResults(const TestCoverage &coverage)
{
    m_results->setResults(coverage);
    if (m_coverageShown)
        m_preview->setWalk(coverage.overlay);
    Q_EMIT testsFinished();
}

void PlaybookEditor::setCoverageShown(bool shown)
{
    m_coverageShown = shown;
    m_coverage->setChecked(shown);
    if (shown)
        runTests();
    else
        m_preview->setWalk({});
}

} // namespace runlane::desktop
