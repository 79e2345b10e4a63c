#pragma once

#include "app/desktop/editor/step_source_map.h"
#include "app/desktop/test_coverage.h"
#include "engine/playbook/loader.h"
#include "engine/scenario/scenario.h"

#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QListWidget;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace runlane::desktop {

class CodeEditor;
class DiagramView;
class EditorCompleter;
class EditorDocument;
class LiveValidation;
class TestResultsPanel;

// The editor mode: a playbook's YAML and its test file in tabs, checked as the author types
// (underlines and a list of problems), the diagram drawn beside the text as it is written, and
// the test cases run on the text as it stands, with their coverage on the diagram.
//
// A click on a step in the diagram puts the cursor on its YAML; the step the cursor is in is
// selected in the diagram.
class PlaybookEditor : public QWidget
{
    Q_OBJECT

public:
    explicit PlaybookEditor(QWidget *parent = nullptr);
    ~PlaybookEditor() override;

    // Opens a playbook file, and its test file when one beside it names it. Asks first whether
    // to save what is open and changed; nothing when the author cancels. The error names the file.
    std::optional<QString> open(const QString &playbookFile);
    // Opens a test file in the test tab (at a place, when given).
    std::optional<QString> openTestFile(const QString &testFile, runlane::SourcePos at = {});
    // Asks to save changed files: Save, Discard or Cancel. False when the author cancels (or a
    // save fails), true when nothing is left unsaved or it may be dropped.
    bool maybeClose();
    // Asks to save those of `documents` that have unsaved changes: Save, Discard or Cancel.
    bool askToSave(const QList<EditorDocument *> &documents);
    bool isModified() const;

    EditorDocument *playbookDocument() const { return m_playbook; }
    EditorDocument *testDocument() const { return m_test; }
    CodeEditor *playbookEditor() const;
    CodeEditor *testEditor() const;
    CodeEditor *currentEditor() const;
    DiagramView *preview() const { return m_preview; }
    QListWidget *problems() const { return m_problems; }
    TestResultsPanel *testResults() const { return m_results; }
    QWidget *reloadBar() const { return m_reloadBar; }
    QTabWidget *tabs() const { return m_tabs; }
    // The newest result of checking the playbook's text, and of the test file's.
    const runlane::LoadResult &lastResult() const { return m_lastPlaybook; }
    const runlane::ScenarioLoad &lastTestResult() const { return m_lastTest; }
    // True while a check of either file's text is waiting or running.
    bool isValidating() const;
    bool isRunningTests() const { return m_testsRunning; }

    // Runs the test file's cases on the playbook's text as it stands (unsaved edits included).
    void runTests();
    void setCoverageShown(bool shown);
    bool isCoverageShown() const { return m_coverageShown; }

    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }
    QAction *revertAction() const { return m_revert; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    QAction *nextProblemAction() const { return m_nextProblem; }
    QAction *previousProblemAction() const { return m_previousProblem; }
    QAction *runTestsAction() const { return m_runTests; }
    QAction *coverageAction() const { return m_coverage; }
    QAction *newTestFileAction() const { return m_newTestFile; }

    std::optional<QString> save();
    std::optional<QString> saveAs(const QString &path);
    std::optional<QString> revert();

Q_SIGNALS:
    // A file was written (the library may want to read it again).
    void saved(const QString &file);
    // The title to show: the file name, with a mark when it has unsaved changes.
    void titleChanged(const QString &title);
    // The test run finished and its results are shown.
    void testsFinished();
    // A check of the playbook's text is shown (diagnostics, completion; the diagram follows).
    void playbookChecked();

private:
    void createActions();
    CodeEditor *createEditor();
    void closeTestFile();
    void onPlaybookValidated(const runlane::LoadResult &result);
    void onTestFileValidated(const runlane::ScenarioLoad &result);
    void showProblems();
    void goToProblem(int row);
    void stepProblem(int by);
    void followCursor();
    void jumpToStep(const QString &stepId);
    void onChangedOnDisk(EditorDocument *document, bool exists);
    void showChangedOnDisk();
    void updateTitle();
    void updateActions();
    void showTestResults(const TestCoverage &coverage);
    std::optional<QString> newTestFile();
    std::optional<QString> saveDocument(EditorDocument *document);
    std::optional<QString> askSaveAs(EditorDocument *document);
    EditorDocument *currentDocument() const;

    QTabWidget *m_tabs = nullptr;
    EditorDocument *m_playbook = nullptr;
    EditorDocument *m_test = nullptr; // null while the playbook has no test file open
    LiveValidation *m_playbookCheck = nullptr;
    LiveValidation *m_testCheck = nullptr;
    EditorCompleter *m_playbookCompleter = nullptr;
    QListWidget *m_problems = nullptr;
    QLabel *m_checkStatus = nullptr;
    QWidget *m_reloadBar = nullptr;
    QLabel *m_reloadText = nullptr;
    // Files changed by another program, offered one at a time; false: removed.
    QList<std::pair<EditorDocument *, bool>> m_changedOnDisk;
    QSplitter *m_splitter = nullptr;
    QSplitter *m_side = nullptr;
    DiagramView *m_preview = nullptr;
    QLabel *m_previewNote = nullptr;
    TestResultsPanel *m_results = nullptr;
    runlane::PlaybookPtr m_nextPreview; // to lay out once the layout running is shown
    runlane::LoadResult m_lastPlaybook;
    StepSourceMap m_stepLines; // of m_lastPlaybook
    runlane::ScenarioLoad m_lastTest;
    QString m_followedStep; // the step the cursor is in, as last shown in the diagram
    bool m_testsRunning = false;
    bool m_rerunTests = false;
    bool m_coverageShown = false;
    quint64 m_testRun = 0;

    QAction *m_save = nullptr;
    QAction *m_saveAs = nullptr;
    QAction *m_revert = nullptr;
    QAction *m_undo = nullptr;
    QAction *m_redo = nullptr;
    QAction *m_nextProblem = nullptr;
    QAction *m_previousProblem = nullptr;
    QAction *m_runTests = nullptr;
    QAction *m_coverage = nullptr;
    QAction *m_newTestFile = nullptr;
};

} // namespace runlane::desktop
