#include "app/desktop/diagram_view.h"
#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/editor_document.h"
#include "app/desktop/editor/editor_file.h"
#include "app/desktop/editor/live_validation.h"
#include "app/desktop/editor/playbook_editor.h"
#include "app/desktop/editor/playbook_template.h"
#include "app/desktop/editor/step_source_map.h"
#include "app/desktop/editor/test_results_panel.h"
#include "app/desktop/main_window.h"
#include "app/desktop/test_coverage.h"
#include "app/desktop/theme.h"
#include "engine/playbook/loader.h"
#include "engine/scenario/case_recorder.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTimer>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The editor mode: text checked as it is typed, the diagram drawn from it, the two kept in step,
// files written back byte for byte, changes on disk offered, the tests run on unsaved text.
class TestPlaybookEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void saveRoundTripsBytes_data();
    void saveRoundTripsBytes();
    void mixedLineEnds_data();
    void mixedLineEnds();
    void stepLines();
    void typedErrorShowsAtItsLineAndClears();
    void problemListJumps();
    void previewFollowsText();
    void diagramClickMovesCursor();
    void cursorSelectsStepInDiagram();
    void changedOnDiskIsOffered();
    void revertIsUndoable();
    void saveAsGoesOnWithTheNewFile();
    void anotherPlaybookDropsTheOldOnesWork();
    void bothFilesChangedOnDisk();
    void unsavedGuard_data();
    void unsavedGuard();
    void templateIsValidAndCovered();
    void testsRunOnUnsavedText();
    void windowEditsAndCloses();
    void authorsFromTemplateToCoverage();

private:
    QTemporaryDir m_dir;
};

namespace {

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

// An editor showing a copy of a shipped playbook and its test file, checked once.
struct EditorRig
{
    QTemporaryDir dir;
    PlaybookEditor editor;
    QString playbook;
    QString testFile;

    explicit EditorRig(const QString &name = u"triton-model-not-ready"_s)
    {
        playbook = dir.filePath(name + u".yaml"_s);
        testFile = dir.filePath(name + u".test.yaml"_s);
        QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/") + name + u".yaml"_s, playbook);
        QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/") + name + u".test.yaml"_s,
                    testFile);
        QFile::setPermissions(playbook, QFile::ReadOwner | QFile::WriteOwner);
        QFile::setPermissions(testFile, QFile::ReadOwner | QFile::WriteOwner);
        editor.resize(1400, 900);
        editor.show();
    }

    bool open()
    {
        if (editor.open(playbook))
            return false;
        return settle() && editor.lastResult().playbook != nullptr;
    }

    // Waits until both texts are checked and the diagram is laid out (bounded).
    bool settle()
    {
        return QTest::qWaitFor(
            [this] { return !editor.isValidating() && !editor.preview()->isLayingOut(); }, 20000);
    }

    CodeEditor *text() const { return editor.playbookEditor(); }

    // The 1-based line holding `needle` in the playbook's text.
    int lineOf(const QString &needle) const
    {
        const QTextBlock block = text()->document()->find(needle).block();
        return block.isValid() ? block.blockNumber() + 1 : 0;
    }

    void putCursorOnLine(int line)
    {
        QTextCursor cursor(text()->document()->findBlockByNumber(line - 1));
        text()->setTextCursor(cursor);
    }

    // Replaces the first `from` in the playbook's text as if typed (one edit).
    bool replace(const QString &from, const QString &to)
    {
        QTextCursor found = text()->document()->find(from);
        if (found.isNull())
            return false;
        found.insertText(to);
        return true;
    }
};

} // namespace

void TestPlaybookEditor::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Screenshots in either theme (scripts/screenshots); the tests themselves need neither.
    if (const auto theme = themeFromString(qEnvironmentVariable("RUNLANE_SHOT_THEME")))
        applyTheme(*theme);
    QVERIFY(m_dir.isValid());
}

void TestPlaybookEditor::saveRoundTripsBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QDir shipped(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    for (const QString &name : shipped.entryList({u"*.yaml"_s}, QDir::Files, QDir::Name))
        QTest::newRow(qPrintable(name)) << readBytes(shipped.filePath(name));
    const QByteArray small = "runlane: 1\nid: x\n";
    QTest::newRow("no final newline") << QByteArray("runlane: 1\nid: x");
    QTest::newRow("crlf") << QByteArray("runlane: 1\r\nid: x\r\n");
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF") + small;
    QTest::newRow("non-breaking space") << QByteArray("title: a\xC2\xA0"
                                                      "b\n");
    QTest::newRow("trailing blanks and blank lines") << QByteArray("a: 1   \n\n\n  \n");
    QTest::newRow("empty") << QByteArray();
}

void TestPlaybookEditor::mixedLineEnds_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("saved");
    QTest::newRow("mostly LF") << QByteArray("a: 1\r\nb: 2\nc: 3\n")
                               << QByteArray("a: 1\nb: 2\nc: 3\n");
    QTest::newRow("mostly CRLF") << QByteArray("a: 1\r\nb: 2\nc: 3\r\n")
                                 << QByteArray("a: 1\r\nb: 2\r\nc: 3\r\n");
    QTest::newRow("lone CR") << QByteArray("a: 1\rb: 2\n") << QByteArray("a: 1\nb: 2\n");
}

void TestPlaybookEditor::mixedLineEnds()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, saved);
    const QString path = m_dir.filePath(u"mixed.yaml"_s);
    QVERIFY(writeBytes(path, bytes));
    CodeEditor text;
    EditorDocument document(&text);
    QCOMPARE(document.load(path), std::nullopt);
    QCOMPARE(document.bytes(), saved);
    QCOMPARE(document.text().count(u'\n'), saved.count('\n'));
}

void TestPlaybookEditor::saveRoundTripsBytes()
{
    QFETCH(QByteArray, bytes);
    const QString path = m_dir.filePath(u"roundtrip.yaml"_s);
    QVERIFY(writeBytes(path, bytes));
    CodeEditor text;
    EditorDocument document(&text);
    QCOMPARE(document.load(path), std::nullopt);
    QVERIFY(!document.isModified());
    QCOMPARE(document.bytes(), bytes);
    QCOMPARE(document.save(), std::nullopt);
    QCOMPARE(readBytes(path), bytes);
    // And read once more: still the same bytes.
    QCOMPARE(document.load(path), std::nullopt);
    QCOMPARE(document.bytes(), bytes);
}

void TestPlaybookEditor::stepLines()
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/torchserve-crash-loop.yaml"));
    QVERIFY(loaded.playbook);
    const Playbook &p = *loaded.playbook;
    const QStringList lines = p.source.split(u'\n');
    const StepSourceMap map(p);
    for (qsizetype i = 0; i < p.steps.size(); ++i) {
        const Step &step = p.steps[i];
        const StepLines range = map.linesOf(step.id.value);
        QCOMPARE(range.first, step.pos.line);
        QVERIFY(range.last >= range.first);
        // The last line is the step's own, the next step starts after it.
        if (i + 1 < p.steps.size())
            QVERIFY(range.last < p.steps[i + 1].pos.line);
        QVERIFY(!lines[range.last - 1].trimmed().isEmpty());
        QCOMPARE(map.stepAt(range.first), step.id.value);
        QCOMPARE(map.stepAt(range.last), step.id.value);
        // The blank line after a step (before the next one) belongs to none.
        if (i + 1 < p.steps.size() && range.last + 1 < p.steps[i + 1].pos.line)
            QCOMPARE(map.stepAt(range.last + 1), QString());
    }
    QCOMPARE(map.stepAt(1), QString()); // the header
    QCOMPARE(map.linesOf(u"no-such-step"_s).first, 0);
}

void TestPlaybookEditor::typedErrorShowsAtItsLineAndClears()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.editor.lastResult().ok());
    QCOMPARE(rig.text()->diagnostics().size(), 0);

    // A typo typed in a step's `next:` key.
    const int line = rig.lineOf(u"else: restart-triton"_s);
    QVERIFY(line > 0);
    QTextCursor cursor(rig.text()->document()->findBlockByNumber(line - 1));
    cursor.movePosition(QTextCursor::NextWord); // onto `next`
    rig.text()->setTextCursor(cursor);
    rig.text()->setFocus();
    QTest::keyClick(rig.text(), Qt::Key_Right);
    QTest::keyClick(rig.text(), Qt::Key_X);
    QVERIFY(rig.editor.isValidating());
    QVERIFY(rig.settle());
    QVERIFY(!rig.editor.lastResult().ok());
    bool atLine = false;
    for (const Diagnostic &d : rig.text()->diagnostics())
        atLine = atLine || (d.isError() && d.pos.line == line);
    QVERIFY2(atLine, "no error at the typed line");
    QVERIFY(!rig.text()
                 ->diagnosticsAt(line, rig.text()->diagnostics().constFirst().pos.column)
                 .isEmpty());
    QVERIFY(rig.editor.problems()->count() > 0);
    bool listed = false;
    for (int row = 0; row < rig.editor.problems()->count(); ++row)
        listed = listed ||
                 rig.editor.problems()->item(row)->text().startsWith(QString::number(line) + u':');
    QVERIFY(listed);

    // Fixed by Backspace: the diagnostic goes.
    QTest::keyClick(rig.text(), Qt::Key_Backspace);
    QVERIFY(rig.settle());
    QTRY_VERIFY(rig.editor.lastResult().ok());
    QCOMPARE(rig.text()->diagnostics().size(), 0);
    QCOMPARE(rig.editor.problems()->count(), 0);
    QCOMPARE(rig.editor.playbookDocument()->bytes(), readBytes(rig.playbook));
}

void TestPlaybookEditor::problemListJumps()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.replace(u"else: restart-triton"_s, u"else: restart-tritom"_s));
    QVERIFY(rig.settle());
    QVERIFY(rig.editor.problems()->count() > 0);
    rig.putCursorOnLine(1);
    QListWidget *problems = rig.editor.problems();
    problems->setCurrentRow(0);
    problems->setFocus();
    QTest::keyClick(problems, Qt::Key_Return);
    const Diagnostic first = rig.text()->diagnostics().constFirst();
    QCOMPARE(rig.text()->cursorPos().line, first.pos.line);
    QVERIFY(rig.text()->hasFocus());
    // F8 from the top goes to the same problem.
    rig.putCursorOnLine(1);
    rig.editor.nextProblemAction()->trigger();
    QCOMPARE(rig.text()->cursorPos().line, first.pos.line);
}

void TestPlaybookEditor::previewFollowsText()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.editor.preview()->hasDiagram());
    const auto titleOf = [&rig](const QString &id) {
        const NodeBox *node = rig.editor.preview()->diagramPainter()->node(id);
        return node ? node->title : QString();
    };
    const Step *first = rig.editor.lastResult().playbook->step(u"probe-server-ready"_s);
    QVERIFY(first);
    const QString oldTitle = first->title.value;
    QVERIFY(rig.replace(oldTitle, u"Renamed while typing"_s));
    QTRY_COMPARE_WITH_TIMEOUT(titleOf(u"probe-server-ready"_s), u"Renamed while typing"_s, 20000);

    // A text that does not read as YAML keeps the last diagram, with a note.
    rig.text()->moveCursor(QTextCursor::End);
    rig.text()->insertPlainText(u"steps: [unclosed\n"_s);
    QVERIFY(rig.settle());
    QVERIFY(rig.editor.preview()->hasDiagram());
    QCOMPARE(titleOf(u"probe-server-ready"_s), u"Renamed while typing"_s);
}

void TestPlaybookEditor::diagramClickMovesCursor()
{
    EditorRig rig;
    QVERIFY(rig.open());
    DiagramView *view = rig.editor.preview();
    const QString id = u"check-gpu-headroom"_s;
    view->ensureStepVisible(id);
    QTest::qWait(50);
    const NodeBox *node = view->diagramPainter()->node(id);
    QVERIFY(node);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->mapFromLayout(node->rect.center()).toPoint());
    const Step *step = rig.editor.lastResult().playbook->step(id);
    QCOMPARE(rig.text()->cursorPos().line, step->pos.line);
    QVERIFY(rig.text()->hasFocus());
    QVERIFY(rig.text()->textCursor().block().text().contains(id));
}

void TestPlaybookEditor::cursorSelectsStepInDiagram()
{
    EditorRig rig;
    QVERIFY(rig.open());
    const PlaybookPtr p = rig.editor.lastResult().playbook;
    for (const QString &id : {u"load-model"_s, u"wait-ready"_s}) {
        const StepLines lines = StepSourceMap(*p).linesOf(id);
        rig.putCursorOnLine(lines.last); // the step's last line, not its id
        QCOMPARE(rig.editor.preview()->selectedStep(), id);
    }
    rig.putCursorOnLine(1);
    QCOMPARE(rig.editor.preview()->selectedStep(), QString());
}

void TestPlaybookEditor::changedOnDiskIsOffered()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(!rig.editor.reloadBar()->isVisible());
    // Our own save is not news.
    rig.editor.playbookEditor()->insertPlainText(u"# a comment\n"_s);
    QCOMPARE(rig.editor.save(), std::nullopt);
    QTest::qWait(300);
    QVERIFY(!rig.editor.reloadBar()->isVisible());

    QByteArray changed = readBytes(rig.playbook);
    changed.replace("Is the Triton server itself ready?", "Changed elsewhere?");
    QVERIFY(changed != readBytes(rig.playbook));
    QVERIFY(writeBytes(rig.playbook, changed));
    QTRY_VERIFY_WITH_TIMEOUT(rig.editor.reloadBar()->isVisible(), 10000);
    auto *reload = rig.editor.reloadBar()->findChild<QPushButton *>(u"editorReloadButton"_s);
    QVERIFY(reload);
    QTest::mouseClick(reload, Qt::LeftButton);
    QVERIFY(!rig.editor.reloadBar()->isVisible());
    QCOMPARE(rig.editor.playbookDocument()->bytes(), changed);
    QVERIFY(!rig.editor.isModified());

    // Keep Mine: the text stays, and the same change is not offered again.
    rig.editor.playbookEditor()->insertPlainText(u"# mine\n"_s);
    const QByteArray mine = rig.editor.playbookDocument()->bytes();
    QVERIFY(writeBytes(rig.playbook, changed + "# theirs\n"));
    QTRY_VERIFY_WITH_TIMEOUT(rig.editor.reloadBar()->isVisible(), 10000);
    auto *keep = rig.editor.reloadBar()->findChild<QPushButton *>(u"editorKeepButton"_s);
    QTest::mouseClick(keep, Qt::LeftButton);
    QVERIFY(!rig.editor.reloadBar()->isVisible());
    QCOMPARE(rig.editor.playbookDocument()->bytes(), mine);
    QVERIFY(rig.editor.isModified());
}

// Opening another playbook while the first one's test text waits to be checked and its tests
// run: nothing of the first reaches the second.
void TestPlaybookEditor::anotherPlaybookDropsTheOldOnesWork()
{
    EditorRig rig;
    QVERIFY(rig.open());
    const QString other = rig.dir.filePath(u"lonely.yaml"_s);
    QVERIFY(QFile::copy(rig.playbook, other));
    QFile::setPermissions(other, QFile::ReadOwner | QFile::WriteOwner);
    // An edit to the test file taken back: unchanged, so no question, but its check is due.
    rig.editor.testEditor()->insertPlainText(u"# x"_s);
    rig.editor.testEditor()->undo();
    QVERIFY(!rig.editor.isModified());
    rig.editor.runTestsAction()->trigger();
    QCOMPARE(rig.editor.open(other), std::nullopt);
    QVERIFY(!rig.editor.testDocument()); // lonely.yaml has no test file
    QVERIFY(rig.settle());
    QTest::qWait(LiveValidation::defaultDelayMs + 100);
    QTRY_VERIFY(!rig.editor.isRunningTests());
    QVERIFY(rig.editor.testResults()->results().cases.isEmpty());
}

// Both files changed by another program: each is offered, one after the other; until then Save
// refuses to write over the change.
void TestPlaybookEditor::bothFilesChangedOnDisk()
{
    EditorRig rig;
    QVERIFY(rig.open());
    rig.editor.playbookEditor()->insertPlainText(u"# mine\n"_s);
    QVERIFY(writeBytes(rig.playbook, readBytes(rig.playbook) + "# theirs\n"));
    QVERIFY(writeBytes(rig.testFile, readBytes(rig.testFile) + "# theirs too\n"));
    QTRY_VERIFY_WITH_TIMEOUT(rig.editor.reloadBar()->isVisible(), 10000);
    QTest::qWait(300); // both changes seen
    const auto error = rig.editor.playbookDocument()->save();
    QVERIFY(error.has_value());
    QVERIFY(error->contains(u"changed by another program"_s));
    QVERIFY(readBytes(rig.playbook).endsWith("# theirs\n"));

    auto *reload = rig.editor.reloadBar()->findChild<QPushButton *>(u"editorReloadButton"_s);
    auto *keep = rig.editor.reloadBar()->findChild<QPushButton *>(u"editorKeepButton"_s);
    QTest::mouseClick(keep, Qt::LeftButton);      // the first offered: keep mine
    QVERIFY(rig.editor.reloadBar()->isVisible()); // the second is offered now
    QTest::mouseClick(reload, Qt::LeftButton);
    QVERIFY(!rig.editor.reloadBar()->isVisible());
    QVERIFY(rig.editor.testDocument()->bytes().endsWith("# theirs too\n"));
    // Kept: Save now writes the author's text.
    QCOMPARE(rig.editor.playbookDocument()->save(), std::nullopt);
    QVERIFY(readBytes(rig.playbook).startsWith("# mine\n"));
}

void TestPlaybookEditor::saveAsGoesOnWithTheNewFile()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QSignalSpy saved(&rig.editor, &PlaybookEditor::saved);
    QVERIFY(rig.replace(u"Triton server itself"_s, u"edited"_s));
    const QString copy = rig.dir.filePath(u"copy.yaml"_s);
    QCOMPARE(rig.editor.saveAs(copy), std::nullopt);
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.constFirst().constFirst().toString(), copy);
    QCOMPARE(rig.editor.playbookDocument()->path(), copy);
    QCOMPARE(readBytes(copy), rig.editor.playbookDocument()->bytes());
    QVERIFY(!readBytes(rig.playbook).contains("edited")); // the old file as it was
    QVERIFY(!rig.editor.isModified());
    QVERIFY(rig.editor.tabs()->tabText(0).startsWith(u"copy.yaml"_s));
    // The check goes on under the new name.
    QVERIFY(rig.replace(u"edited"_s, u"edited twice"_s));
    QVERIFY(rig.settle());
    QCOMPARE(rig.editor.lastResult().file, copy);
}

void TestPlaybookEditor::revertIsUndoable()
{
    EditorRig rig;
    QVERIFY(rig.open());
    const QByteArray original = readBytes(rig.playbook);
    QVERIFY(rig.replace(u"Triton server itself"_s, u"edited"_s));
    const QByteArray edited = rig.editor.playbookDocument()->bytes();
    QVERIFY(rig.editor.isModified());
    QCOMPARE(rig.editor.revert(), std::nullopt);
    QCOMPARE(rig.editor.playbookDocument()->bytes(), original);
    QVERIFY(!rig.editor.isModified());
    rig.editor.undoAction()->trigger();
    QCOMPARE(rig.editor.playbookDocument()->bytes(), edited);
    QVERIFY(rig.editor.isModified());
    rig.editor.redoAction()->trigger();
    QCOMPARE(rig.editor.playbookDocument()->bytes(), original);
    QVERIFY(!rig.editor.isModified());
}

void TestPlaybookEditor::unsavedGuard_data()
{
    QTest::addColumn<int>("button");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<bool>("written");
    QTest::newRow("save") << int(QMessageBox::Save) << true << true;
    QTest::newRow("discard") << int(QMessageBox::Discard) << true << false;
    QTest::newRow("cancel") << int(QMessageBox::Cancel) << false << false;
}

void TestPlaybookEditor::unsavedGuard()
{
    QFETCH(int, button);
    QFETCH(bool, closes);
    QFETCH(bool, written);
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.editor.maybeClose()); // nothing changed: no question
    const QByteArray original = readBytes(rig.playbook);
    QVERIFY(rig.replace(u"Triton server itself"_s, u"edited"_s));
    QString asked;
    QTimer::singleShot(0, this, [&asked, button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        asked = box->text();
        box->button(QMessageBox::StandardButton(button))->click();
    });
    QCOMPARE(rig.editor.maybeClose(), closes);
    QVERIFY(asked.contains(u"triton-model-not-ready.yaml"_s));
    QCOMPARE(readBytes(rig.playbook) != original, written);
}

void TestPlaybookEditor::templateIsValidAndCovered()
{
    QTemporaryDir dir;
    // A name YAML would misread unquoted ("#" starts a comment).
    const QString path = dir.filePath(u"gpu thermal #2.yaml"_s);
    QCOMPARE(writePlaybookTemplate(path), std::nullopt);
    QVERIFY(writePlaybookTemplate(path).has_value()); // never over an existing file
    const LoadResult loaded = loadPlaybookFile(path);
    QVERIFY2(loaded.ok(),
             qPrintable(loaded.diagnostics.isEmpty() ? QString()
                                                     : loaded.diagnostics.constFirst().toString()));
    QCOMPARE(loaded.diagnostics.size(), 0); // not even a warning
    QCOMPARE(loaded.playbook->id.value, u"gpu-thermal-2"_s);
    QCOMPARE(loaded.playbook->lanes.size(), 3);
    QStringList types;
    for (const Step &s : loaded.playbook->steps)
        types.append(toString(s.type.value));
    QVERIFY(types.contains(u"decision"_s));
    QVERIFY(types.contains(u"action"_s));
    QVERIFY(types.count(u"end"_s) >= 2);

    const TestCoverage c = testCoverageOf(loaded.playbook);
    QCOMPARE(c.testFiles, QStringList{testFileFor(path)});
    QCOMPARE(c.failed, 0);
    QVERIFY(c.passed >= 3);
    QCOMPARE(c.coveredSteps, c.steps);
    QCOMPARE(c.coveredBranches, c.branches);
}

void TestPlaybookEditor::testsRunOnUnsavedText()
{
    EditorRig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.editor.testDocument());
    QSignalSpy finished(&rig.editor, &PlaybookEditor::testsFinished);
    rig.editor.runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    const TestCoverage first = rig.editor.testResults()->results();
    QVERIFY(first.passed > 0);
    QCOMPARE(first.failed, 0);

    // An unsaved change to one case's expected outcome fails that case only.
    CodeEditor *tests = rig.editor.testEditor();
    QTextCursor found = tests->document()->find(u"outcome: false-alarm"_s);
    QVERIFY(!found.isNull());
    found.insertText(u"outcome: resolved"_s);
    QVERIFY(rig.settle());
    rig.editor.runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    const TestCoverage second = rig.editor.testResults()->results();
    QCOMPARE(second.failed, 1);
    QCOMPARE(second.passed, first.passed - 1);
    // The file on disk is untouched.
    QVERIFY(readBytes(rig.testFile).contains("outcome: false-alarm"));

    // An unsaved change to the playbook: a step renamed, the cases that take it now fail.
    QVERIFY(rig.replace(u"- id: close-flapped"_s, u"- id: close-flapped-renamed"_s));
    QVERIFY(rig.replace(u"next: close-flapped"_s, u"next: close-flapped-renamed"_s));
    QVERIFY(rig.settle());
    rig.editor.runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    QVERIFY(rig.editor.testResults()->results().failed >= 1);
}

void TestPlaybookEditor::windowEditsAndCloses()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"triton-model-not-ready.yaml"_s);
    QVERIFY(QFile::copy(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/triton-model-not-ready.yaml"),
                        file));
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    MainWindow window({dir.path()});
    window.setJournalPath(dir.filePath(u"journal.sqlite"_s));
    window.setInitialSelection(file);
    window.resize(1400, 900);
    window.show();
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(20000));

    // F4 edits the selected playbook; Ctrl+W goes back to the library.
    QTest::keyClick(&window, Qt::Key_F4);
    QVERIFY(window.isEditing());
    QCOMPARE(window.editor()->playbookDocument()->path(), file);
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_VERIFY(window.editor()->playbookEditor()->hasFocus());
    QTest::keyClick(window.editor()->playbookEditor(), Qt::Key_W, Qt::ControlModifier);
    QVERIFY(!window.isEditing());

    // New Playbook writes the template and its test file and edits it.
    const QString created = dir.filePath(u"fresh.yaml"_s);
    QCOMPARE(window.newPlaybook(created), std::nullopt);
    QVERIFY(window.isEditing());
    QVERIFY(QFile::exists(testFileFor(created)));
    QVERIFY(window.editor()->testDocument());
    QTRY_VERIFY_WITH_TIMEOUT(window.editor()->lastResult().ok(), 20000);
    QSignalSpy finished(window.editor(), &PlaybookEditor::testsFinished);
    window.coverageAction()->trigger(); // the coverage overlay, on the editor's diagram
    QVERIFY(finished.wait(20000));
    const TestCoverage c = window.editor()->testResults()->results();
    QCOMPARE(c.failed, 0);
    QCOMPARE(c.coveredSteps, c.steps);
    QVERIFY(!window.editor()->preview()->walk().highlighted.isEmpty());
    window.coverageAction()->trigger();
    QVERIFY(window.closeEditor());
}

// The done criterion, in the window: a new playbook from the template, a mistake typed and shown
// where it was made, fixed; a case taken out of the test file leaves a step uncovered, which the
// diagram shows; put back, everything passes and is covered. Screenshots of each moment when
// RUNLANE_SHOT_DIR is set.
void TestPlaybookEditor::authorsFromTemplateToCoverage()
{
    QTemporaryDir dir;
    MainWindow window({dir.path()});
    window.setJournalPath(dir.filePath(u"journal.sqlite"_s));
    window.resize(1500, 950);
    window.show();
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(20000));
    const QString shots = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    const auto shoot = [&window, &shots](const QString &name) {
        if (shots.isEmpty())
            return;
        QTest::qWait(150);
        window.grab().save(shots + u"/editor-"_s + name + u".png"_s);
    };

    const QString file = dir.filePath(u"gpu-thermal-throttle.yaml"_s);
    QCOMPARE(window.newPlaybook(file), std::nullopt);
    PlaybookEditor *editor = window.editor();
    CodeEditor *text = editor->playbookEditor();
    const auto settled = [editor] {
        return QTest::qWaitFor(
            [editor] {
                return !editor->isValidating() && !editor->preview()->isLayingOut() &&
                       !editor->isRunningTests();
            },
            20000);
    };
    QVERIFY(settled());
    QVERIFY(editor->lastResult().ok());

    // Run the tests and look at the preview with the step the cursor is in.
    QSignalSpy finished(editor, &PlaybookEditor::testsFinished);
    editor->runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    QCOMPARE(editor->testResults()->results().failed, 0);
    QTextCursor at = text->document()->find(u"id: is-it-the-node"_s);
    text->setTextCursor(at);
    QCOMPARE(editor->preview()->selectedStep(), u"is-it-the-node"_s);
    shoot(u"preview"_s);

    // A mistake: a way to a step that does not exist, shown at its line, in the list, and gone
    // once fixed.
    QTextCursor typo = text->document()->find(u"next: close-mitigated"_s);
    const int line = typo.blockNumber() + 1;
    typo.insertText(u"next: close-mitigatd"_s);
    QVERIFY(settled());
    QVERIFY(!editor->lastResult().ok());
    bool atLine = false;
    for (const Diagnostic &d : text->diagnostics())
        atLine = atLine ||
                 (d.isError() && d.pos.line == line && d.message.contains(u"close-mitigatd"_s));
    QVERIFY(atLine);
    text->goTo({line, 11});
    shoot(u"error"_s);
    text->undo();
    QVERIFY(settled());
    QVERIFY(editor->lastResult().ok());

    // Coverage, with the false-alarm case taken out (unsaved): that end is not covered.
    window.coverageAction()->trigger();
    QVERIFY(finished.wait(20000));
    QCOMPARE(editor->preview()->walk().notCovered.size(), 0);
    CodeEditor *tests = editor->testEditor();
    QTextCursor lastCase = tests->document()->find(u"  - name: a false alarm"_s);
    QVERIFY(!lastCase.isNull());
    lastCase.movePosition(QTextCursor::StartOfBlock);
    lastCase.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    lastCase.removeSelectedText();
    QVERIFY(settled());
    editor->runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    QVERIFY(settled());
    QVERIFY(editor->preview()->walk().notCovered.contains(u"close-false-alarm"_s));
    const TestCoverage partial = editor->testResults()->results();
    QCOMPARE(partial.coveredSteps, partial.steps - 1);
    editor->tabs()->setCurrentIndex(0);
    shoot(u"coverage"_s);
    tests->undo();
    QVERIFY(settled());
    editor->runTestsAction()->trigger();
    QVERIFY(finished.wait(20000));
    const TestCoverage full = editor->testResults()->results();
    QCOMPARE(full.failed, 0);
    QCOMPARE(full.coveredSteps, full.steps);
    QCOMPARE(full.coveredBranches, full.branches);
    window.coverageAction()->trigger();
    QVERIFY(!editor->isModified());
    QVERIFY(window.closeEditor());
}

QTEST_MAIN(TestPlaybookEditor)
#include "tst_playbook_editor.moc"
