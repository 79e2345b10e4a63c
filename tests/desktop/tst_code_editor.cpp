#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/yaml_highlighter.h"
#include "app/desktop/theme.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolTip>

#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The playbook editor's text widget, offscreen. Texts in the tables mark the cursor with `@` and
// the selection's anchor with `^`; keys are typed as text, with <tab>, <backtab>, <enter>,
// <shift-enter>, <bs> and <comment> (Ctrl+/) for the keys that text cannot carry.
class TestCodeEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixedFontWithoutWrapping();
    void typedIndentation_data();
    void typedIndentation();
    void eachIndentationIsOneUndoStep_data();
    void eachIndentationIsOneUndoStep();
    void neverTypesATab();
    void highlighting_data();
    void highlighting();
    void paletteChangeRecolours();
    void diagnosticsAt_data();
    void diagnosticsAt();
    void diagnosticsUnderlineTheirBlock();
    void clearingDiagnosticsRemovesThem();
    void diagnosticsPastTheEndAreIgnored();
    void underlinesMoveWithEdits();
    void tooltipShowsTheMessages();
    void gutterTooltipShowsTheLinesMessages();
    void gutterGrowsWithLineCount();
    void goTo_data();
    void goTo();
    void goToCentresAndFocuses();
    void highlightedLinesAddABand();
    void typingALargePlaybookStaysFast();
    void rendersInBothThemes();

private:
    // A shown editor of 640×400 holding `text` (markers applied).
    static std::unique_ptr<CodeEditor> openEditor(const QString &text);
    static void setMarkedText(CodeEditor &editor, QString text);
    static QString markedText(const CodeEditor &editor);
    static void typeKeys(CodeEditor &editor, const QString &keys);
    // The token the highlighter gave a 0-based line:column ("" for none).
    static QString tokenAt(const QTextDocument &doc, int line, int column);
    static QList<QTextEdit::ExtraSelection> wavySelections(const CodeEditor &editor);
    static QTextCursor cursorAt(const CodeEditor &editor, int line, int column);
    static Diagnostic diagnostic(int line, int column, const QString &message,
                                 Diagnostic::Severity severity = Diagnostic::Severity::Error);
    // A playbook of `steps` steps, 12 lines each.
    static QString largePlaybook(int steps);
};

namespace {

// Counts the paint events a widget receives.
class PaintCounter : public QObject
{
public:
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

// Lines 1–7: a step with a misspelt type (line 5, column 11) and a template (line 6).
const QString sample = u"runlane: 1\n"
                       "id: demo\n"
                       "steps:\n"
                       "  - id: probe\n"
                       "    type: chek\n"
                       "    path: \"/a/{{ inputs.x }}\"\n"
                       "\n"
                       "start: probe"_s;

} // namespace

std::unique_ptr<CodeEditor> TestCodeEditor::openEditor(const QString &text)
{
    auto editor = std::make_unique<CodeEditor>();
    editor->resize(640, 400);
    setMarkedText(*editor, text);
    editor->show();
    if (!QTest::qWaitForWindowExposed(editor.get()))
        qWarning("editor not exposed");
    return editor;
}

void TestCodeEditor::setMarkedText(CodeEditor &editor, QString text)
{
    qsizetype anchor = text.indexOf(u'^');
    if (anchor >= 0)
        text.remove(anchor, 1);
    qsizetype position = text.indexOf(u'@');
    if (position >= 0)
        text.remove(position, 1);
    if (anchor > position && position >= 0)
        --anchor;
    editor.setPlainText(text);
    QTextCursor cursor(editor.document());
    cursor.setPosition(int(anchor >= 0 ? anchor : std::max<qsizetype>(position, 0)));
    if (position >= 0)
        cursor.setPosition(int(position), QTextCursor::KeepAnchor);
    editor.setTextCursor(cursor);
}

QString TestCodeEditor::markedText(const CodeEditor &editor)
{
    QString text = editor.toPlainText();
    const QTextCursor cursor = editor.textCursor();
    const int position = cursor.position();
    const int anchor = cursor.hasSelection() ? cursor.anchor() : -1;
    if (anchor > position)
        text.insert(anchor, u'^');
    text.insert(position, u'@');
    if (anchor >= 0 && anchor < position)
        text.insert(anchor, u'^');
    return text;
}

void TestCodeEditor::typeKeys(CodeEditor &editor, const QString &keys)
{
    static const QRegularExpression special(u"<([a-z-]+)>"_s);
    qsizetype done = 0;
    for (const QRegularExpressionMatch &match : special.globalMatch(keys)) {
        if (match.capturedStart() > done)
            QTest::keyClicks(&editor, keys.mid(done, match.capturedStart() - done));
        done = match.capturedEnd();
        const QString name = match.captured(1);
        if (name == u"tab")
            QTest::keyClick(&editor, Qt::Key_Tab);
        else if (name == u"backtab")
            QTest::keyClick(&editor, Qt::Key_Backtab, Qt::ShiftModifier);
        else if (name == u"enter")
            QTest::keyClick(&editor, Qt::Key_Return);
        else if (name == u"shift-enter")
            QTest::keyClick(&editor, Qt::Key_Return, Qt::ShiftModifier);
        else if (name == u"bs")
            QTest::keyClick(&editor, Qt::Key_Backspace);
        else if (name == u"comment")
            QTest::keyClick(&editor, Qt::Key_Slash, Qt::ControlModifier);
        else
            qWarning("unknown key <%s>", qPrintable(name));
    }
    if (done < keys.size())
        QTest::keyClicks(&editor, keys.mid(done));
}

QString TestCodeEditor::tokenAt(const QTextDocument &doc, int line, int column)
{
    const QTextBlock block = doc.findBlockByNumber(line);
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (column >= range.start && column < range.start + range.length &&
            range.format.hasProperty(yamlTokenProperty))
            return toString(YamlToken(range.format.intProperty(yamlTokenProperty)));
    }
    return {};
}

QList<QTextEdit::ExtraSelection> TestCodeEditor::wavySelections(const CodeEditor &editor)
{
    QList<QTextEdit::ExtraSelection> wavy;
    for (const QTextEdit::ExtraSelection &selection : editor.extraSelections()) {
        if (selection.format.underlineStyle() == QTextCharFormat::WaveUnderline)
            wavy.append(selection);
    }
    return wavy;
}

QTextCursor TestCodeEditor::cursorAt(const CodeEditor &editor, int line, int column)
{
    const QTextBlock block = editor.document()->findBlockByNumber(line - 1);
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + column - 1);
    return cursor;
}

Diagnostic TestCodeEditor::diagnostic(int line, int column, const QString &message,
                                      Diagnostic::Severity severity)
{
    return Diagnostic{u"demo.yaml"_s, {line, column}, severity, message};
}

QString TestCodeEditor::largePlaybook(int steps)
{
    QString text = u"runlane: 1\nid: large\ntitle: A large playbook\nstart: step-0\nsteps:\n"_s;
    for (int i = 0; i < steps; ++i) {
        const QString id = QString::number(i);
        text += u"  - id: step-"_s + id + u"\n    lane: node\n    type: check\n"_s +
                u"    title: \"Step "_s + id + u" reads {{ inputs.namespace }}\"\n"_s +
                u"    timeout: 1m\n    body: |\n      Reads the state of the fleet.\n"_s +
                u"          kubectl get pods -n edge  # by hand\n"_s +
                u"    probe: {target: k8s, path: \"/api/{{ inputs.namespace }}/pods\"}\n"_s +
                u"    when:\n      - {if: status == 200, next: step-"_s + QString::number(i + 1) +
                u"}\n    on_error: ask\n"_s;
    }
    return text;
}

void TestCodeEditor::fixedFontWithoutWrapping()
{
    CodeEditor editor;
    const QFontMetricsF metrics(editor.font());
    QCOMPARE(metrics.horizontalAdvance(u'i'), metrics.horizontalAdvance(u'M'));
    QCOMPARE(editor.lineWrapMode(), QPlainTextEdit::NoWrap);
    QCOMPARE(editor.tabStopDistance(), QFontMetricsF(editor.font()).horizontalAdvance(u' ') * 2);
}

void TestCodeEditor::typedIndentation_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("keys");
    QTest::addColumn<QString>("expected");

    QTest::newRow("tab at a line's start") << u"@a: 1"_s << u"<tab>"_s << u"  @a: 1"_s;
    QTest::newRow("tab to the next even column") << u"a@b"_s << u"<tab>"_s << u"a @b"_s;
    QTest::newRow("tab at an even column") << u"ab@"_s << u"<tab>"_s << u"ab  @"_s;
    QTest::newRow("tab replaces a selection in a line") << u"a^bc@"_s << u"<tab>"_s << u"a @"_s;
    QTest::newRow("tab indents selected lines")
        << u"^a: 1\nb: 2@"_s << u"<tab>"_s << u"^  a: 1\n  b: 2@"_s;
    QTest::newRow("tab leaves blank lines blank")
        << u"^a:\n\n  b: 1@"_s << u"<tab>"_s << u"^  a:\n\n    b: 1@"_s;
    QTest::newRow("tab: a selection ending at a line's start leaves that line")
        << u"^a\nb\n@c"_s << u"<tab>"_s << u"^  a\n  b@\nc"_s;
    QTest::newRow("backtab dedents a line") << u"    a@"_s << u"<backtab>"_s << u"  a@"_s;
    QTest::newRow("backtab dedents by up to 2") << u" a@"_s << u"<backtab>"_s << u"a@"_s;
    QTest::newRow("backtab on no indentation") << u"a@"_s << u"<backtab>"_s << u"a@"_s;
    QTest::newRow("backtab dedents selected lines")
        << u"^    a\n  b\nc@"_s << u"<backtab>"_s << u"^  a\nb\nc@"_s;
    QTest::newRow("enter keeps the indentation")
        << u"  a: 1@"_s << u"<enter>"_s << u"  a: 1\n  @"_s;
    QTest::newRow("enter after a key indents") << u"steps:@"_s << u"<enter>"_s << u"steps:\n  @"_s;
    QTest::newRow("enter after a key and a comment")
        << u"  when:  # the branches@"_s << u"<enter>"_s << u"  when:  # the branches\n    @"_s;
    QTest::newRow("enter: a colon in quotes before a comment")
        << u"  title: \"a:\" # b:@"_s << u"<enter>"_s << u"  title: \"a:\" # b:\n  @"_s;
    QTest::newRow("enter: a hash in quotes is no comment")
        << u"  a: \"x # y:\"@"_s << u"<enter>"_s << u"  a: \"x # y:\"\n  @"_s;
    QTest::newRow("enter after a list item's key lines up under it")
        << u"  - id: probe@"_s << u"<enter>"_s << u"  - id: probe\n    @"_s;
    QTest::newRow("enter after a list item opening a map")
        << u"  - if:@"_s << u"<enter>"_s << u"  - if:\n      @"_s;
    QTest::newRow("enter after a plain list item")
        << u"  - kubectl get pods@"_s << u"<enter>"_s << u"  - kubectl get pods\n  @"_s;
    QTest::newRow("enter after a flow item")
        << u"  - {a: 1}@"_s << u"<enter>"_s << u"  - {a: 1}\n  @"_s;
    QTest::newRow("enter after a block scalar indicator")
        << u"    body: |@"_s << u"<enter>"_s << u"    body: |\n      @"_s;
    QTest::newRow("enter after a folded indicator with chomping")
        << u"body: >-@"_s << u"<enter>"_s << u"body: >-\n  @"_s;
    QTest::newRow("enter inside a line") << u"a: @b"_s << u"<enter>"_s << u"a: \n  @b"_s;
    QTest::newRow("enter then typing") << u"steps:@"_s << u"<enter>- id: a<enter>type: task"_s
                                       << u"steps:\n  - id: a\n    type: task@"_s;
    QTest::newRow("shift+enter is a new line too")
        << u"a:@"_s << u"<shift-enter>"_s << u"a:\n  @"_s;
    QTest::newRow("backspace in indentation") << u"    @a"_s << u"<bs>"_s << u"  @a"_s;
    QTest::newRow("backspace to an even column") << u"   @a"_s << u"<bs>"_s << u"  @a"_s;
    QTest::newRow("backspace in a blank line") << u"a:\n    @"_s << u"<bs>"_s << u"a:\n  @"_s;
    QTest::newRow("backspace after text") << u"  ab  @"_s << u"<bs>"_s << u"  ab @"_s;
    QTest::newRow("backspace at a line's start") << u"a\n@b"_s << u"<bs>"_s << u"a@b"_s;
    QTest::newRow("comment a line") << u"  a: 1@"_s << u"<comment>"_s << u"  # a: 1@"_s;
    QTest::newRow("uncomment a line") << u"  # a: 1@"_s << u"<comment>"_s << u"  a: 1@"_s;
    QTest::newRow("uncomment without a space") << u"#a@"_s << u"<comment>"_s << u"a@"_s;
    QTest::newRow("comment lines at the least indentation")
        << u"^  a:\n\n    b: 1@"_s << u"<comment>"_s << u"^  # a:\n\n  #   b: 1@"_s;
    QTest::newRow("uncomment lines")
        << u"^  # a:\n  #   b: 1@"_s << u"<comment>"_s << u"^  a:\n    b: 1@"_s;
    QTest::newRow("comment lines when some are not")
        << u"^# a\nb@"_s << u"<comment>"_s << u"^# # a\n# b@"_s;
}

void TestCodeEditor::typedIndentation()
{
    QFETCH(QString, text);
    QFETCH(QString, keys);
    QFETCH(QString, expected);

    CodeEditor editor;
    setMarkedText(editor, text);
    typeKeys(editor, keys);
    QCOMPARE(markedText(editor), expected);
    QVERIFY(!editor.toPlainText().contains(u'\t'));
    QVERIFY(!editor.toPlainText().contains(QChar::LineSeparator));
}

void TestCodeEditor::eachIndentationIsOneUndoStep_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("keys");

    QTest::newRow("tab") << u"a@"_s << u"<tab>"_s;
    QTest::newRow("tab on lines") << u"^a:\n  b: 1\nc: 2@"_s << u"<tab>"_s;
    QTest::newRow("backtab on lines") << u"^  a:\n    b: 1\n  c: 2@"_s << u"<backtab>"_s;
    QTest::newRow("enter with indentation") << u"  - id: a@"_s << u"<enter>"_s;
    QTest::newRow("enter replacing a selection") << u"  a: ^bc@"_s << u"<enter>"_s;
    QTest::newRow("backspace in indentation") << u"    @a"_s << u"<bs>"_s;
    QTest::newRow("comment lines") << u"^a:\n  b: 1\nc: 2@"_s << u"<comment>"_s;
    QTest::newRow("uncomment lines") << u"^# a:\n#   b: 1@"_s << u"<comment>"_s;
}

void TestCodeEditor::eachIndentationIsOneUndoStep()
{
    QFETCH(QString, text);
    QFETCH(QString, keys);

    CodeEditor editor;
    setMarkedText(editor, text);
    const QString before = editor.toPlainText();
    typeKeys(editor, keys);
    QVERIFY(editor.toPlainText() != before);
    QVERIFY(editor.document()->isUndoAvailable());
    editor.undo();
    QCOMPARE(editor.toPlainText(), before);
    QVERIFY(!editor.document()->isUndoAvailable());
}

void TestCodeEditor::neverTypesATab()
{
    CodeEditor editor;
    setMarkedText(editor, u"a:@"_s);
    QTest::keyClick(&editor, Qt::Key_Tab, Qt::ControlModifier);
    QTest::keyClick(&editor, Qt::Key_Tab);
    QCOMPARE(editor.toPlainText(), u"a:"_s + QString(2, u' '));
    // Pasted text is left as it is.
    editor.insertPlainText(u"\tx"_s);
    QVERIFY(editor.toPlainText().endsWith(u"\tx"_s));
}

void TestCodeEditor::highlighting_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");   // 0-based
    QTest::addColumn<int>("column"); // 0-based
    QTest::addColumn<QString>("token");

    QTest::newRow("key") << u"  timeout: 1m"_s << 0 << 2 << u"key"_s;
    QTest::newRow("a plain value is plain") << u"  timeout: 1m"_s << 0 << 11 << QString();
    QTest::newRow("the colon is not the key") << u"id: a"_s << 0 << 2 << QString();
    QTest::newRow("comment") << u"a: 1 # note"_s << 0 << 7 << u"comment"_s;
    QTest::newRow("comment line") << u"# note: x"_s << 0 << 3 << u"comment"_s;
    QTest::newRow("number") << u"max: 0.01"_s << 0 << 6 << u"literal"_s;
    QTest::newRow("integer") << u"- if: 404"_s << 0 << 7 << u"literal"_s;
    QTest::newRow("true") << u"enabled: true"_s << 0 << 10 << u"literal"_s;
    QTest::newRow("null") << u"x: null # none"_s << 0 << 3 << u"literal"_s;
    QTest::newRow("a duration is no number") << u"budget: 15m"_s << 0 << 8 << QString();
    QTest::newRow("double-quoted string") << u"path: \"/a#b\" # c"_s << 0 << 7 << u"string"_s;
    QTest::newRow("hash inside double quotes") << u"path: \"/a#b\" # c"_s << 0 << 9 << u"string"_s;
    QTest::newRow("comment after a string") << u"path: \"/a#b\" # c"_s << 0 << 13 << u"comment"_s;
    QTest::newRow("hash inside single quotes") << u"x: 'a # b' # c"_s << 0 << 5 << u"string"_s;
    QTest::newRow("doubled single quote") << u"x: 'it''s # a' # c"_s << 0 << 10 << u"string"_s;
    QTest::newRow("apostrophe in plain text") << u"title: Don't # c"_s << 0 << 13 << u"comment"_s;
    QTest::newRow("template in a string")
        << u"path: \"/r/{{ inputs.x }}\""_s << 0 << 13 << u"template"_s;
    QTest::newRow("string around a template")
        << u"path: \"/r/{{ inputs.x }}\""_s << 0 << 8 << u"string"_s;
    QTest::newRow("template in plain text")
        << u"name: run {{ inputs.x }} now"_s << 0 << 12 << u"template"_s;
    QTest::newRow("env reference")
        << u"url: ${env:PROM_URL:-http://127.0.0.1:9090}"_s << 0 << 5 << u"template"_s;
    QTest::newRow("env reference default")
        << u"url: ${env:PROM_URL:-http://127.0.0.1:9090}"_s << 0 << 30 << u"template"_s;
    QTest::newRow("list dash") << u"  - id: probe"_s << 0 << 2 << u"dash"_s;
    QTest::newRow("key after a dash") << u"  - id: probe"_s << 0 << 4 << u"key"_s;
    QTest::newRow("nested dashes") << u"- - a"_s << 0 << 2 << u"dash"_s;
    QTest::newRow("a hyphenated value is no dash") << u"id: -a"_s << 0 << 4 << QString();
    QTest::newRow("quoted key") << u"\"a b\": 1"_s << 0 << 1 << u"key"_s;
    QTest::newRow("flow mapping key") << u"  - {alertname: X, ns: y}"_s << 0 << 5 << u"key"_s;
    QTest::newRow("flow mapping second key")
        << u"  - {alertname: X, ns: y}"_s << 0 << 19 << u"key"_s;
    QTest::newRow("flow mapping value") << u"  - {alertname: X, ns: y}"_s << 0 << 16 << QString();
    QTest::newRow("flow sequence item") << u"tags: [a, 2]"_s << 0 << 10 << u"literal"_s;
    QTest::newRow("block indicator") << u"body: |"_s << 0 << 6 << u"block-indicator"_s;
    QTest::newRow("folded indicator") << u"body: >- # c"_s << 0 << 7 << u"block-indicator"_s;
    QTest::newRow("a pipe in text is no indicator") << u"q: a | b"_s << 0 << 5 << QString();
    QTest::newRow("document marker") << u"---\na: 1"_s << 0 << 1 << u"document-marker"_s;
    QTest::newRow("document end") << u"a: 1\n..."_s << 1 << 0 << u"document-marker"_s;
    QTest::newRow("block text") << u"body: |\n  a: b # no\nnext: 1"_s << 1 << 2 << u"block-text"_s;
    QTest::newRow("no comment in block text")
        << u"body: |\n  a: b # no\nnext: 1"_s << 1 << 8 << u"block-text"_s;
    QTest::newRow("blank line inside block text")
        << u"body: |\n  a\n\n  b: c\nnext: 1"_s << 3 << 2 << u"block-text"_s;
    QTest::newRow("block text ends at its parent's indentation")
        << u"body: |\n  a: b\nnext: 1"_s << 2 << 0 << u"key"_s;
    QTest::newRow("block text of a list item's key")
        << u"  - body: |\n      x: y\n    next: a"_s << 1 << 6 << u"block-text"_s;
    QTest::newRow("list item's key after block text")
        << u"  - body: |\n      x: y\n    next: a"_s << 2 << 4 << u"key"_s;
    QTest::newRow("template in block text")
        << u"body: |\n  run {{ inputs.x }}"_s << 1 << 8 << u"template"_s;
}

void TestCodeEditor::highlighting()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, token);

    QTextDocument doc;
    doc.documentLayout(); // a document tells of changes (and gets highlighted) once it has one
    YamlHighlighter highlighter(&doc);
    doc.setPlainText(text);
    QCOMPARE(tokenAt(doc, line, column), token);
}

void TestCodeEditor::paletteChangeRecolours()
{
    CodeEditor editor;
    editor.setPalette(lightPalette());
    editor.setPlainText(u"key: 1 # c"_s);
    const auto colorAt = [&](int column) {
        for (const auto &range : editor.document()->firstBlock().layout()->formats()) {
            if (column >= range.start && column < range.start + range.length)
                return range.format.foreground().color();
        }
        return QColor();
    };
    QVERIFY(!editor.highlighter()->isDarkColors());
    const QColor lightKey = colorAt(0);
    QCOMPARE(lightKey, editor.highlighter()->tokenFormat(YamlToken::Key).foreground().color());

    editor.setPalette(darkPalette());
    QVERIFY(editor.highlighter()->isDarkColors());
    const QColor darkKey = colorAt(0);
    QCOMPARE(darkKey, editor.highlighter()->tokenFormat(YamlToken::Key).foreground().color());
    QVERIFY(darkKey != lightKey);
    // Light text for the dark base, dark text for the light one.
    QVERIFY(darkKey.lightness() > lightKey.lightness());
    QVERIFY(colorAt(8).lightness() > 110);
}

void TestCodeEditor::diagnosticsAt_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("atLine");
    QTest::addColumn<int>("atColumn");
    QTest::addColumn<bool>("covered");

    QTest::newRow("the token's start") << 5 << 11 << 5 << 11 << true;
    QTest::newRow("the token's end") << 5 << 11 << 5 << 14 << true;
    QTest::newRow("after the token") << 5 << 11 << 5 << 15 << false;
    QTest::newRow("before the token") << 5 << 11 << 5 << 10 << false;
    QTest::newRow("another line") << 5 << 11 << 4 << 11 << false;
    QTest::newRow("column 0 asks for the line") << 5 << 11 << 5 << 0 << true;
    QTest::newRow("a key stops at its colon") << 4 << 5 << 4 << 7 << false;
    QTest::newRow("a key's last letter") << 4 << 5 << 4 << 6 << true;
    QTest::newRow("a quoted token") << 6 << 11 << 6 << 28 << true;
    QTest::newRow("a template token") << 6 << 15 << 6 << 28 << true;
    QTest::newRow("no column: the line's text") << 5 << 0 << 5 << 5 << true;
    QTest::newRow("no column: not the indentation") << 5 << 0 << 5 << 4 << false;
    QTest::newRow("a column past the end: the line's text") << 5 << 40 << 5 << 12 << true;
    QTest::newRow("a blank line") << 7 << 1 << 7 << 1 << true;
}

void TestCodeEditor::diagnosticsAt()
{
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, atLine);
    QFETCH(int, atColumn);
    QFETCH(bool, covered);

    CodeEditor editor;
    editor.setPlainText(sample);
    editor.setDiagnostics({diagnostic(line, column, u"unknown step type"_s)});
    QCOMPARE(editor.diagnosticsAt(atLine, atColumn),
             covered ? QStringList{u"unknown step type"_s} : QStringList());
}

void TestCodeEditor::diagnosticsUnderlineTheirBlock()
{
    CodeEditor editor;
    editor.setPalette(lightPalette());
    editor.setPlainText(sample);
    editor.setDiagnostics({diagnostic(5, 11, u"unknown step type \"chek\""_s),
                           diagnostic(2, 1, u"id is unused"_s, Diagnostic::Severity::Warning),
                           diagnostic(5, 11, u"did you mean check?"_s)});
    QCOMPARE(editor.diagnostics().size(), 3);
    const auto wavy = wavySelections(editor);
    QCOMPARE(wavy.size(), 3);
    QCOMPARE(wavy.at(0).cursor.blockNumber(), 4);
    QCOMPARE(wavy.at(0).cursor.selectedText(), u"chek"_s);
    QCOMPARE(wavy.at(1).cursor.blockNumber(), 1);
    QCOMPARE(wavy.at(1).cursor.selectedText(), u"id"_s);
    const QColor error = wavy.at(0).format.underlineColor();
    const QColor warning = wavy.at(1).format.underlineColor();
    QVERIFY(error.red() > 2 * error.green());                                    // red
    QVERIFY(warning.red() > warning.blue() && warning.green() > warning.blue()); // amber
    QCOMPARE(editor.diagnosticsAt(5, 12),
             (QStringList{u"unknown step type \"chek\""_s, u"did you mean check?"_s}));

    // Still readable on the dark theme: lighter underlines.
    editor.setPalette(darkPalette());
    const auto dark = wavySelections(editor);
    QCOMPARE(dark.size(), 3);
    QVERIFY(dark.at(0).format.underlineColor().lightness() > error.lightness());
}

void TestCodeEditor::clearingDiagnosticsRemovesThem()
{
    CodeEditor editor;
    editor.setPlainText(sample);
    editor.setDiagnostics({diagnostic(5, 11, u"unknown step type"_s)});
    QCOMPARE(wavySelections(editor).size(), 1);
    editor.setDiagnostics({});
    QVERIFY(wavySelections(editor).isEmpty());
    QVERIFY(editor.diagnostics().isEmpty());
    QVERIFY(editor.diagnosticsAt(5, 11).isEmpty());
    // The current line's tint stays.
    QCOMPARE(editor.extraSelections().size(), 1);
}

void TestCodeEditor::diagnosticsPastTheEndAreIgnored()
{
    CodeEditor editor;
    editor.setPlainText(sample);
    editor.setDiagnostics({diagnostic(99, 1, u"past the end"_s), diagnostic(0, 0, u"no line"_s),
                           diagnostic(8, 1, u"last line"_s)});
    QCOMPARE(editor.diagnostics().size(), 3);
    const auto wavy = wavySelections(editor);
    QCOMPARE(wavy.size(), 1);
    QCOMPARE(wavy.at(0).cursor.blockNumber(), 7);
    QCOMPARE(editor.diagnosticsAt(8, 0), QStringList{u"last line"_s});
    QVERIFY(editor.diagnosticsAt(99, 1).isEmpty());
}

void TestCodeEditor::underlinesMoveWithEdits()
{
    CodeEditor editor;
    editor.setPlainText(sample);
    editor.setDiagnostics({diagnostic(5, 11, u"unknown step type"_s)});
    QTextCursor top(editor.document());
    top.insertText(u"# a new first line\n"_s);
    QVERIFY(editor.diagnosticsAt(5, 11).isEmpty());
    QCOMPARE(editor.diagnosticsAt(6, 11), QStringList{u"unknown step type"_s});
    QCOMPARE(wavySelections(editor).at(0).cursor.blockNumber(), 5);
}

void TestCodeEditor::tooltipShowsTheMessages()
{
    auto editor = openEditor(sample);
    editor->setDiagnostics({diagnostic(5, 11, u"unknown step type <chek>"_s)});
    const int charWidth = editor->fontMetrics().horizontalAdvance(u'x');
    const QPoint onToken =
        editor->cursorRect(cursorAt(*editor, 5, 12)).center() + QPoint(charWidth / 2, 0);
    QHelpEvent help(QEvent::ToolTip, onToken, editor->viewport()->mapToGlobal(onToken));
    QCoreApplication::sendEvent(editor->viewport(), &help);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QVERIFY(QToolTip::text().contains(u"unknown step type &lt;chek&gt;"_s));

    // Elsewhere on the line: no tooltip.
    const QPoint offToken =
        editor->cursorRect(cursorAt(*editor, 5, 6)).center() + QPoint(charWidth / 2, 0);
    QHelpEvent away(QEvent::ToolTip, offToken, editor->viewport()->mapToGlobal(offToken));
    QCoreApplication::sendEvent(editor->viewport(), &away);
    QTRY_VERIFY_WITH_TIMEOUT(!QToolTip::isVisible(), 5000);
}

void TestCodeEditor::gutterTooltipShowsTheLinesMessages()
{
    auto editor = openEditor(sample);
    editor->setDiagnostics(
        {diagnostic(5, 11, u"unknown step type"_s),
         diagnostic(5, 5, u"type is required"_s, Diagnostic::Severity::Warning)});
    QWidget *gutter = editor->lineNumberArea();
    const QPoint point(gutter->width() / 2,
                       editor->cursorRect(cursorAt(*editor, 5, 1)).center().y());
    QHelpEvent help(QEvent::ToolTip, point, gutter->mapToGlobal(point));
    QCoreApplication::sendEvent(gutter, &help);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QVERIFY(QToolTip::text().contains(u"unknown step type"_s));
    QVERIFY(QToolTip::text().contains(u"type is required"_s));
    QToolTip::hideText();
}

void TestCodeEditor::gutterGrowsWithLineCount()
{
    auto editor = openEditor(u"a: 1"_s);
    const auto widthFor = [&](int lines) {
        QStringList text;
        for (int i = 0; i < lines; ++i)
            text.append(u"a: 1"_s);
        editor->setPlainText(text.join(u'\n'));
        return editor->lineNumberAreaWidth();
    };
    const int two = widthFor(9);
    QCOMPARE(widthFor(99), two); // room for two digits from the start
    const int three = widthFor(150);
    const int four = widthFor(1500);
    QVERIFY(three > two);
    QVERIFY(four > three);
    QCOMPARE(editor->lineNumberArea()->width(), four);
    QVERIFY(editor->viewport()->geometry().left() >= four);
}

void TestCodeEditor::goTo_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("expectedLine");
    QTest::addColumn<int>("expectedColumn");

    QTest::newRow("a place") << 5 << 11 << 5 << 11;
    QTest::newRow("the line's end") << 5 << 15 << 5 << 15;
    QTest::newRow("no column: first non-blank") << 5 << 0 << 5 << 5;
    QTest::newRow("past the end: first non-blank") << 5 << 40 << 5 << 5;
    QTest::newRow("a blank line") << 7 << 0 << 7 << 1;
    QTest::newRow("line 0 clamps to the first") << 0 << 3 << 1 << 3;
    QTest::newRow("a line past the end clamps to the last") << 99 << 1 << 8 << 1;
}

void TestCodeEditor::goTo()
{
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, expectedLine);
    QFETCH(int, expectedColumn);

    CodeEditor editor;
    editor.setPlainText(sample);
    editor.goTo({line, column});
    const SourcePos expected{expectedLine, expectedColumn};
    QCOMPARE(editor.cursorPos(), expected);
}

void TestCodeEditor::goToCentresAndFocuses()
{
    auto editor = openEditor(largePlaybook(100));
    editor->activateWindow();
    editor->goTo({600, 0});
    QCOMPARE(editor->cursorPos().line, 600);
    QTRY_VERIFY_WITH_TIMEOUT(editor->hasFocus(), 5000);
    const int middle = editor->viewport()->height() / 2;
    const int lineHeight = editor->fontMetrics().height();
    QVERIFY(qAbs(editor->cursorRect().center().y() - middle) <= 2 * lineHeight);
}

void TestCodeEditor::highlightedLinesAddABand()
{
    CodeEditor editor;
    editor.setPlainText(sample);
    const auto bands = [&] {
        QList<QTextEdit::ExtraSelection> found;
        for (const auto &selection : editor.extraSelections()) {
            if (selection.cursor.hasSelection() &&
                selection.format.boolProperty(QTextFormat::FullWidthSelection))
                found.append(selection);
        }
        return found;
    };
    QVERIFY(bands().isEmpty());
    editor.setHighlightedLines(4, 6);
    QCOMPARE(bands().size(), 1);
    const QTextCursor band = bands().at(0).cursor;
    const QTextDocument *doc = editor.document();
    QCOMPARE(doc->findBlock(band.selectionStart()).blockNumber(), 3);
    QCOMPARE(doc->findBlock(band.selectionEnd()).blockNumber(), 5);
    QVERIFY(bands().at(0).format.background().color() != editor.palette().color(QPalette::Base));

    editor.setHighlightedLines(6, 99); // clamps
    QCOMPARE(doc->findBlock(bands().at(0).cursor.selectionEnd()).blockNumber(), 7);
    editor.setHighlightedLines(0, 0);
    QVERIFY(bands().isEmpty());
    QCOMPARE(editor.extraSelections().size(), 1); // the current line
}

void TestCodeEditor::typingALargePlaybookStaysFast()
{
    QElapsedTimer load;
    load.start();
    auto editor = openEditor(largePlaybook(500));
    const qint64 loadMs = load.elapsed();
    QVERIFY(editor->blockCount() > 6000);
    Diagnostics diagnostics;
    for (int line = 100; line < 6000; line += 300)
        diagnostics.append(diagnostic(line, 5, u"a problem"_s));
    editor->setDiagnostics(diagnostics);
    editor->goTo({2997, 0}); // a title line in the middle
    QCoreApplication::processEvents();

    PaintCounter counter;
    editor->viewport()->installEventFilter(&counter);
    constexpr int keystrokes = 50;
    qint64 worst = 0;
    qint64 total = 0;
    QElapsedTimer timer;
    for (int i = 0; i < keystrokes; ++i) {
        timer.start();
        QTest::keyClick(editor.get(), i % 10 == 9 ? Qt::Key_Space : Qt::Key_X);
        QCoreApplication::processEvents(); // the repaint it causes
        const qint64 elapsed = timer.nsecsElapsed();
        worst = std::max(worst, elapsed);
        total += elapsed;
    }
    qInfo("%lld lines loaded and highlighted in %lld ms; %d keystrokes: max %.2f ms, mean %.2f ms",
          qint64(editor->blockCount()), loadMs, keystrokes, double(worst) / 1e6,
          double(total) / keystrokes / 1e6);
    QCOMPARE(editor->cursorPos().column, 5 + keystrokes);
    QVERIFY(counter.paints >= keystrokes / 2); // the timings include painting
    QVERIFY2(worst < 200'000'000, "a keystroke took 200 ms or more");
}

void TestCodeEditor::rendersInBothThemes()
{
    const QString text =
        u"runlane: 1\n"
        "id: triton-model-not-ready  # the file's name\n"
        "---\n"
        "targets:\n"
        "  triton:\n"
        "    kind: triton\n"
        "    url: ${env:TRITON_URL:-http://127.0.0.1:8000}\n"
        "steps:\n"
        "  - id: probe-model\n"
        "    lane: edge\n"
        "    type: chek\n"
        "    timeout: 1m\n"
        "    retries: 3\n"
        "    body: |\n"
        "      Reads the model's readiness. By hand:\n"
        "          curl -s {{ targets.triton.url }}/v2/models/resnet/ready\n"
        "    probe: {target: triton, path: \"/v2/models/{{ inputs.model }}/ready\"}\n"
        "    when:\n"
        "      - if: status == 200 && body.ready == true\n"
        "        next: close  # nothing to do\n"
        "    on_error: null\n"_s;
    const QString snapshots = qEnvironmentVariable("RUNLANE_EDITOR_SNAPSHOTS");
    for (const bool dark : {false, true}) {
        CodeEditor editor;
        editor.setPalette(dark ? darkPalette() : lightPalette());
        editor.resize(720, 440);
        editor.setPlainText(text);
        editor.setDiagnostics(
            {diagnostic(11, 11, u"unknown step type \"chek\""_s),
             diagnostic(19, 30, u"body.ready is never set"_s, Diagnostic::Severity::Warning)});
        editor.setHighlightedLines(9, 21);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.goTo({13, 14});
        QTextCursor selection = editor.textCursor();
        selection.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        editor.setTextCursor(selection);
        const QImage image = editor.grab().toImage();
        QVERIFY(!image.isNull());
        // The text area's background follows the theme.
        const QPoint background = editor.viewport()->geometry().bottomRight() - QPoint(4, 4);
        QCOMPARE(isDark(editor.palette()), dark);
        QCOMPARE(QColor(image.pixel(background)).lightness() < 128, dark);
        if (!snapshots.isEmpty()) {
            const QString path =
                QDir(snapshots).filePath(dark ? u"editor-dark.png"_s : u"editor-light.png"_s);
            QVERIFY(image.save(path));
            qInfo("saved %s", qPrintable(path));
        }
    }
}

QTEST_MAIN(TestCodeEditor)
#include "tst_code_editor.moc"
