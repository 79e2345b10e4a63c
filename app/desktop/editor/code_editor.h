#pragma once

#include "engine/playbook/diagnostic.h"

#include <QList>
#include <QPlainTextEdit>
#include <QStringList>
#include <QTextCursor>
#include <QTextEdit>

class QHelpEvent;

namespace runlane::desktop {

class YamlHighlighter;

// The text widget of the playbook editor: YAML with syntax colours, line numbers, the
// validator's diagnostics drawn where they point, and indentation keys that never type a tab
// (YAML forbids them). It holds no file and runs no validation: the page around it does both
// and hands the diagnostics in.
//
// A keystroke costs work on the edited line, not on the document: the highlighter re-reads that
// line (and the following ones only while a block scalar's extent changes), the diagnostics'
// underlines are cursors the document moves along with edits (handed over again as they are),
// and the gutter paints the visible lines.
class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;

    // Validator diagnostics (1-based line:column): each drawn as a wavy underline, red for an
    // error and amber for a warning, from its column to the end of the token there (the whole
    // line's text when the column is 0 or past the line's end), and as a marker in the gutter.
    // Hovering either shows the messages there. Diagnostics with no line or a line past the end
    // are not drawn. Replaces the previous set; an empty list clears them.
    void setDiagnostics(const runlane::Diagnostics &diagnostics);
    // The set last given, drawn or not.
    const runlane::Diagnostics &diagnostics() const;
    // The messages of the diagnostics whose underline covers a 1-based line:column (column 0:
    // anywhere on the line, as the gutter's tooltip shows them), in the order they were given.
    // Underlines move with the text edited since setDiagnostics().
    QStringList diagnosticsAt(int line, int column) const;

    // Moves the cursor to a 1-based line:column (column 0 or past the line's end: its first
    // non-blank character), centres it and gives the editor focus. Lines out of range clamp.
    void goTo(runlane::SourcePos pos);
    // The cursor as a 1-based line:column.
    runlane::SourcePos cursorPos() const;

    // Tints lines first..last (1-based, inclusive) faintly, e.g. the step selected in the
    // diagram; (0, 0) clears. The band moves with edits until it is set again.
    void setHighlightedLines(int first, int last);

    QWidget *lineNumberArea() const;
    int lineNumberAreaWidth() const;
    YamlHighlighter *highlighter() const { return m_highlighter; }

protected:
    bool event(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    class Gutter;
    // A drawn diagnostic: the index into m_diagnostics and its underline.
    struct Mark
    {
        qsizetype diagnostic;
        QTextEdit::ExtraSelection selection; // its cursor moves with the edits
    };

    // The current line, the highlighted band and the diagnostics, combined in one list.
    void updateExtraSelections();
    void rebuildMarks();
    QTextCharFormat underlineFormat(runlane::Diagnostic::Severity severity) const;
    void updateGutterWidth();
    void updateGutter(const QRect &rect, int dy);
    void applyFontMetrics();
    void paintGutter(QPaintEvent *event);
    void showToolTip(QHelpEvent *event, const QStringList &messages, QWidget *over);
    // The block and the position in it under a viewport point; {-1, -1} outside the text.
    std::pair<int, int> lineColumnAt(const QPoint &viewportPos) const;
    int lineAtGutterY(int y) const;

    // The indentation keys; each change is one undo step. backspaceIndent() returns false when
    // Backspace should do what it does by default.
    void insertIndent();
    void indentLines(int delta);
    void newLine();
    bool backspaceIndent();
    void toggleComment();

    YamlHighlighter *m_highlighter;
    Gutter *m_gutter;
    runlane::Diagnostics m_diagnostics;
    QList<Mark> m_marks;
    QTextCursor m_band; // null when no band is set
    int m_gutterWidth = -1;
    int m_currentBlock = -1; // the line whose number the gutter shows bold
};

} // namespace runlane::desktop
