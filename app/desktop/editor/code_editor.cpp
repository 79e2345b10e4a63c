#include "app/desktop/editor/code_editor.h"

#include "app/desktop/editor/yaml_highlighter.h"
#include "app/desktop/theme.h"

#include <QFontDatabase>
#include <QHash>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QToolTip>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

constexpr int indentWidth = 2; // the step of YAML indentation the playbooks use

QColor mix(const QColor &from, const QColor &to, qreal amount)
{
    const auto blend = [amount](float a, float b) { return a + (b - a) * float(amount); };
    return QColor::fromRgbF(blend(from.redF(), to.redF()), blend(from.greenF(), to.greenF()),
                            blend(from.blueF(), to.blueF()));
}

// The system's fixed-width font; where the platform answers with a proportional one, the font
// configuration's monospace. Widths are compared because fontconfig reports some monospaced
// fonts (Noto Sans Mono) as not fixed-pitch.
QFont fixedFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QFontMetricsF metrics(font);
    if (metrics.horizontalAdvance(u'i') != metrics.horizontalAdvance(u'M')) {
        font.setFamilies({u"monospace"_s});
        font.setStyleHint(QFont::Monospace);
        font.setFixedPitch(true);
    }
    return font;
}

QColor severityColor(Diagnostic::Severity severity, bool dark)
{
    if (severity == Diagnostic::Severity::Error)
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd3, 0x2f, 0x2f);
    return dark ? QColor(0xf5, 0xb9, 0x3d) : QColor(0xc7, 0x7c, 0x02);
}

qsizetype leadingSpaces(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text[i] == u' ')
        ++i;
    return i;
}

qsizetype firstNonBlank(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text[i].isSpace())
        ++i;
    return i;
}

bool isFlowIndicator(QChar c)
{
    return c == u',' || c == u'[' || c == u']' || c == u'{' || c == u'}';
}

// One past the closing quote of a quoted scalar that opens at pos, or the line's end.
qsizetype quotedEnd(QStringView text, qsizetype pos)
{
    const QChar quote = text[pos];
    for (qsizetype i = pos + 1; i < text.size(); ++i) {
        if (quote == u'"' && text[i] == u'\\')
            ++i;
        else if (text[i] == quote &&
                 !(quote == u'\'' && i + 1 < text.size() && text[i + 1] == u'\''))
            return i + 1;
        else if (text[i] == quote)
            ++i; // '' inside single quotes
    }
    return text.size();
}

// Where a comment starts: a `#` at the line's start or after a space, outside quotes; or -1.
// A quote opens a quoted scalar only where a token starts (`don't` is plain text).
qsizetype commentStart(QStringView line)
{
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        const bool tokenStart = i == 0 || line[i - 1] == u' ' || isFlowIndicator(line[i - 1]);
        if ((c == u'"' || c == u'\'') && tokenStart)
            i = quotedEnd(line, i) - 1;
        else if (c == u'#' && (i == 0 || line[i - 1] == u' '))
            return i;
    }
    return -1;
}

// The part of a diagnostic's line it underlines: from its 0-based column to the end of the token
// there, or the line's text from its first non-blank when the column is not on the line.
std::pair<qsizetype, qsizetype> tokenRange(QStringView text, int column)
{
    const qsizetype n = text.size();
    const auto wholeLine = [&] {
        const qsizetype start = firstNonBlank(text);
        qsizetype end = n;
        while (end > start && text[end - 1].isSpace())
            --end;
        return std::pair{start, end};
    };
    if (column <= 0 || column > n)
        return wholeLine();
    const qsizetype start = column - 1;
    qsizetype i = start;
    while (i < n && text[i].isSpace())
        ++i;
    if (i == n)
        return wholeLine();
    const QChar c = text[i];
    const bool opensTemplate = i + 1 < n && text[i + 1] == u'{' && (c == u'{' || c == u'$');
    qsizetype end = i + 1;
    if (c == u'"' || c == u'\'') {
        end = quotedEnd(text, i);
    } else if (opensTemplate) {
        const qsizetype close = c == u'{' ? text.indexOf(u"}}", i) : text.indexOf(u'}', i);
        end = close < 0 ? n : close + (c == u'{' ? 2 : 1);
    } else if (!isFlowIndicator(c)) {
        end = i;
        while (end < n && !text[end].isSpace() && !isFlowIndicator(text[end]) &&
               !(text[end] == u':' && (end + 1 == n || text[end + 1].isSpace())))
            ++end;
        end = std::max(end, i + 1);
    }
    return {start, end};
}

// The first and last block a cursor's selection touches; a selection ending at a line's start
// does not take that line.
std::pair<QTextBlock, QTextBlock> selectedBlocks(const QTextCursor &cursor)
{
    const QTextDocument *doc = cursor.document();
    const QTextBlock first = doc->findBlock(cursor.selectionStart());
    QTextBlock last = doc->findBlock(cursor.selectionEnd());
    if (last != first && cursor.selectionEnd() == last.position())
        last = last.previous();
    return {first, last};
}

bool spansLines(const QTextCursor &cursor)
{
    return cursor.hasSelection() && cursor.document()->findBlock(cursor.selectionStart()) !=
                                        cursor.document()->findBlock(cursor.selectionEnd());
}

// Whole lines first..last selected, after an edit to each of them.
QTextCursor selectLines(const QTextBlock &first, const QTextBlock &last)
{
    QTextCursor cursor(first);
    cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
    return cursor;
}

// The indentation a new line gets after `before`, the text left of the cursor on its line.
qsizetype indentAfter(QStringView before)
{
    const qsizetype indent = leadingSpaces(before);
    const qsizetype comment = commentStart(before);
    QStringView content = comment < 0 ? before : before.first(comment);
    while (!content.isEmpty() && content.back().isSpace())
        content.chop(1);

    // A list item's content column: `- key: value` continues under `key`.
    qsizetype item = -1;
    for (qsizetype p = indent; p < content.size() && content[p] == u'-' &&
                               (p + 1 == content.size() || content[p + 1] == u' ');) {
        p = p + 1 + leadingSpaces(content.sliced(p + 1));
        item = p;
    }
    const qsizetype node = item >= 0 ? item : indent;

    QStringView indicator = content;
    while (!indicator.isEmpty() &&
           (indicator.back() == u'-' || indicator.back() == u'+' || indicator.back().isDigit()))
        indicator.chop(1);
    const bool opensBlockScalar =
        !indicator.isEmpty() && (indicator.back() == u'|' || indicator.back() == u'>') &&
        (indicator.size() == 1 || indicator[indicator.size() - 2] == u' ');
    if (content.endsWith(u':') || opensBlockScalar)
        return node + indentWidth;
    if (item >= 0 && item < content.size()) {
        qsizetype p = item;
        if (content[p] == u'"' || content[p] == u'\'')
            p = quotedEnd(content, p);
        else if (isFlowIndicator(content[p]))
            return indent;
        const qsizetype colon = content.indexOf(u": ", p);
        if (colon >= 0)
            return item;
    }
    return indent;
}

} // namespace

// The line numbers left of the text, with a marker on each line that has a diagnostic.
class CodeEditor::Gutter : public QWidget
{
public:
    explicit Gutter(CodeEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {}

    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintGutter(event); }

    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip) {
            auto *help = static_cast<QHelpEvent *>(event);
            const int line = m_editor->lineAtGutterY(help->pos().y());
            m_editor->showToolTip(help, line > 0 ? m_editor->diagnosticsAt(line, 0) : QStringList(),
                                  this);
            return true;
        }
        return QWidget::event(event);
    }

    void wheelEvent(QWheelEvent *event) override { m_editor->wheelEvent(event); }

private:
    CodeEditor *m_editor;
};

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new YamlHighlighter(document()))
    , m_gutter(new Gutter(this))
{
    m_gutter->setObjectName(u"lineNumberArea"_s);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(fixedFont());
    m_highlighter->refreshColors(palette());

    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateGutterWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        updateExtraSelections();
        if (textCursor().blockNumber() != m_currentBlock)
            m_gutter->update();
    });
    applyFontMetrics();
    updateExtraSelections();
}

CodeEditor::~CodeEditor() = default;

void CodeEditor::setDiagnostics(const Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    rebuildMarks();
    updateExtraSelections();
    m_gutter->update();
}

const Diagnostics &CodeEditor::diagnostics() const
{
    return m_diagnostics;
}

QStringList CodeEditor::diagnosticsAt(int line, int column) const
{
    const QTextDocument *doc = document();
    if (line < 1 || line > doc->blockCount())
        return {};
    const QTextBlock block = doc->findBlockByNumber(line - 1);
    const int position = block.position() + column - 1;
    QStringList messages;
    for (const Mark &mark : m_marks) {
        const QTextCursor &range = mark.selection.cursor;
        const int start = range.selectionStart();
        const int end = range.selectionEnd();
        // An empty underline (a blank line's diagnostic) stands for its whole line.
        const bool covers = column <= 0 || start == end ? doc->findBlock(start) == block
                                                        : start <= position && position < end;
        if (covers)
            messages.append(m_diagnostics.at(mark.diagnostic).message);
    }
    return messages;
}

void CodeEditor::goTo(SourcePos pos)
{
    const QTextDocument *doc = document();
    const int line = std::clamp(pos.line, 1, doc->blockCount());
    const QTextBlock block = doc->findBlockByNumber(line - 1);
    const QString text = block.text();
    const qsizetype column =
        pos.column <= 0 || pos.column - 1 > text.size() ? firstNonBlank(text) : pos.column - 1;
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + int(column));
    setTextCursor(cursor);
    centerCursor();
    setFocus(Qt::OtherFocusReason);
}

SourcePos CodeEditor::cursorPos() const
{
    const QTextCursor cursor = textCursor();
    return {cursor.blockNumber() + 1, cursor.positionInBlock() + 1};
}

void CodeEditor::setHighlightedLines(int first, int last)
{
    const QTextDocument *doc = document();
    if (last < first)
        std::swap(first, last);
    first = std::max(first, 1);
    last = std::min(last, doc->blockCount());
    m_band = first <= last
                 ? selectLines(doc->findBlockByNumber(first - 1), doc->findBlockByNumber(last - 1))
                 : QTextCursor();
    updateExtraSelections();
}

QWidget *CodeEditor::lineNumberArea() const
{
    return m_gutter;
}

int CodeEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int count = blockCount(); count >= 10; count /= 10)
        ++digits;
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    // A square column for the marker, the numbers, a space before the text.
    return metrics.height() + std::max(digits, 2) * metrics.horizontalAdvance(u'9') +
           metrics.horizontalAdvance(u' ');
}

bool CodeEditor::event(QEvent *event)
{
    // Ctrl+/ is the comment key here, whatever a window's shortcuts say.
    if (event->type() == QEvent::ShortcutOverride && !isReadOnly()) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Slash &&
            (key->modifiers() & ~Qt::KeypadModifier) == Qt::ControlModifier) {
            event->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

bool CodeEditor::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const auto [line, column] = lineColumnAt(help->pos());
        showToolTip(help, line > 0 ? diagnosticsAt(line, column) : QStringList(), viewport());
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    const int key = event->key();
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const bool tabKey = key == Qt::Key_Tab || key == Qt::Key_Backtab;
    if (tabKey && (modifiers & ~Qt::ShiftModifier)) {
        event->ignore(); // Ctrl+Tab and the like are for the window, never a tab character
        return;
    }
    if (!isReadOnly()) {
        bool handled = true;
        if (key == Qt::Key_Tab && modifiers == Qt::NoModifier)
            insertIndent();
        else if (tabKey)
            indentLines(-indentWidth);
        else if ((key == Qt::Key_Return || key == Qt::Key_Enter) &&
                 (modifiers == Qt::NoModifier || modifiers == Qt::ShiftModifier))
            newLine(); // Shift+Enter too: a line separator inside a block would break YAML
        else if (key == Qt::Key_Backspace && modifiers == Qt::NoModifier)
            handled = backspaceIndent();
        else if (key == Qt::Key_Slash && modifiers == Qt::ControlModifier)
            toggleComment();
        else
            handled = false;
        if (handled) {
            ensureCursorVisible();
            event->accept();
            return;
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(contents.left(), contents.top(), lineNumberAreaWidth(),
                          contents.height());
}

void CodeEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->refreshColors(palette()); // re-colours the text when light and dark swap
        for (Mark &mark : m_marks)
            mark.selection.format = underlineFormat(m_diagnostics.at(mark.diagnostic).severity);
        updateExtraSelections();
        m_gutter->update();
    } else if (event->type() == QEvent::FontChange) {
        applyFontMetrics();
    }
}

void CodeEditor::updateExtraSelections()
{
    const QPalette &colors = palette();
    const bool dark = isDark(colors);
    const QColor base = colors.color(QPalette::Base);
    const QColor band = mix(base, colors.color(QPalette::Highlight), dark ? 0.17 : 0.12);
    const QTextCursor cursor = textCursor();

    QList<QTextEdit::ExtraSelection> selections;
    selections.reserve(m_marks.size() + 2);
    bool inBand = false;
    if (!m_band.isNull()) {
        QTextEdit::ExtraSelection selection{m_band, {}};
        selection.format.setBackground(band);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections.append(selection);
        const int start = cursor.document()->findBlock(m_band.selectionStart()).blockNumber();
        const int end = cursor.document()->findBlock(m_band.selectionEnd()).blockNumber();
        inBand = cursor.blockNumber() >= start && cursor.blockNumber() <= end;
    }
    // The current line: a shade of the text colour over whatever lies beneath, so a selection
    // (drawn over it) and the band still read.
    QTextEdit::ExtraSelection current{cursor, {}};
    current.cursor.clearSelection();
    current.format.setBackground(
        mix(inBand ? band : base, colors.color(QPalette::Text), dark ? 0.07 : 0.05));
    current.format.setProperty(QTextFormat::FullWidthSelection, true);
    selections.append(current);
    for (const Mark &mark : std::as_const(m_marks))
        selections.append(mark.selection);
    setExtraSelections(selections);
}

QTextCharFormat CodeEditor::underlineFormat(Diagnostic::Severity severity) const
{
    QTextCharFormat format;
    format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    format.setUnderlineColor(severityColor(severity, isDark(palette())));
    return format;
}

void CodeEditor::rebuildMarks()
{
    m_marks.clear();
    const QTextDocument *doc = document();
    for (qsizetype i = 0; i < m_diagnostics.size(); ++i) {
        const Diagnostic &diagnostic = m_diagnostics.at(i);
        if (diagnostic.pos.line < 1 || diagnostic.pos.line > doc->blockCount())
            continue;
        const QTextBlock block = doc->findBlockByNumber(diagnostic.pos.line - 1);
        const auto [start, end] = tokenRange(block.text(), diagnostic.pos.column);
        QTextCursor range(block);
        range.setPosition(block.position() + int(start));
        range.setPosition(block.position() + int(end), QTextCursor::KeepAnchor);
        m_marks.append({i, {range, underlineFormat(diagnostic.severity)}});
    }
}

void CodeEditor::updateGutterWidth()
{
    const int width = lineNumberAreaWidth();
    if (width == m_gutterWidth)
        return;
    m_gutterWidth = width;
    setViewportMargins(width, 0, 0, 0);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(contents.left(), contents.top(), width, contents.height());
}

void CodeEditor::updateGutter(const QRect &rect, int dy)
{
    if (dy != 0)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
}

void CodeEditor::applyFontMetrics()
{
    setTabStopDistance(QFontMetricsF(font()).horizontalAdvance(u' ') * indentWidth);
    m_gutterWidth = -1;
    updateGutterWidth();
}

void CodeEditor::paintGutter(QPaintEvent *event)
{
    const QPalette &colors = palette();
    const bool dark = isDark(colors);
    const QColor base = colors.color(QPalette::Base);
    const QColor text = colors.color(QPalette::Text);
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), mix(base, colors.color(QPalette::Window), dark ? 0.6 : 0.7));

    // The worst severity on each line with a diagnostic (true: an error).
    QHash<int, bool> markers;
    for (const Mark &mark : std::as_const(m_marks)) {
        const int line =
            document()->findBlock(mark.selection.cursor.selectionStart()).blockNumber();
        markers[line] = markers.value(line) || m_diagnostics.at(mark.diagnostic).isError();
    }

    QFont numberFont = font();
    const QFontMetrics metrics(numberFont);
    const int markerColumn = metrics.height();
    const int numbersRight = m_gutter->width() - metrics.horizontalAdvance(u' ');
    m_currentBlock = textCursor().blockNumber();
    painter.setRenderHint(QPainter::Antialiasing);

    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int number = block.blockNumber();
            const bool current = number == m_currentBlock;
            numberFont.setBold(current);
            painter.setFont(numberFont);
            painter.setPen(current ? text : mix(text, base, dark ? 0.5 : 0.45));
            painter.drawText(QRectF(0, top, numbersRight, metrics.height()),
                             Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
            const auto marker = markers.constFind(number);
            if (marker != markers.cend()) {
                const bool error = *marker;
                const qreal size = metrics.height() * 0.55;
                const QRectF box((markerColumn - size) / 2, top + (metrics.height() - size) / 2,
                                 size, size);
                painter.setPen(Qt::NoPen);
                painter.setBrush(severityColor(
                    error ? Diagnostic::Severity::Error : Diagnostic::Severity::Warning, dark));
                // Shape as well as colour tells them apart: a disc for an error, a triangle
                // for a warning.
                if (error) {
                    painter.drawEllipse(box);
                } else {
                    QPainterPath triangle;
                    triangle.moveTo(box.center().x(), box.top());
                    triangle.lineTo(box.bottomRight());
                    triangle.lineTo(box.bottomLeft());
                    triangle.closeSubpath();
                    painter.drawPath(triangle);
                }
            }
        }
        block = block.next();
        top += height;
    }
}

void CodeEditor::showToolTip(QHelpEvent *event, const QStringList &messages, QWidget *over)
{
    if (messages.isEmpty()) {
        QToolTip::hideText();
        event->ignore();
        return;
    }
    QStringList lines;
    for (const QString &message : messages)
        lines.append(message.toHtmlEscaped());
    // Rich text, escaped: a message may hold `<` and must not be read as markup.
    QToolTip::showText(event->globalPos(), u"<qt>"_s + lines.join(u"<br>"_s) + u"</qt>"_s, over);
}

std::pair<int, int> CodeEditor::lineColumnAt(const QPoint &viewportPos) const
{
    const QTextBlock block = cursorForPosition(viewportPos).block();
    const QRectF geometry = blockBoundingGeometry(block).translated(contentOffset());
    if (!block.isValid() || viewportPos.y() < geometry.top() || viewportPos.y() > geometry.bottom())
        return {-1, -1};
    const QTextLayout *layout = block.layout();
    if (!layout || layout->lineCount() == 0)
        return {-1, -1};
    const QTextLine line = layout->lineAt(0); // lines never wrap here
    const qreal x = viewportPos.x() - geometry.left() - layout->position().x();
    if (x < line.x() || x >= line.x() + line.naturalTextWidth())
        return {-1, -1}; // beside the text, not over it
    return {block.blockNumber() + 1, line.xToCursor(x, QTextLine::CursorOnCharacter) + 1};
}

int CodeEditor::lineAtGutterY(int y) const
{
    const QTextBlock block = cursorForPosition(QPoint(0, y)).block();
    const QRectF geometry = blockBoundingGeometry(block).translated(contentOffset());
    return block.isValid() && y >= geometry.top() && y <= geometry.bottom()
               ? block.blockNumber() + 1
               : -1;
}

void CodeEditor::insertIndent()
{
    QTextCursor cursor = textCursor();
    if (spansLines(cursor)) {
        indentLines(indentWidth);
        return;
    }
    cursor.beginEditBlock();
    cursor.removeSelectedText();
    const int column = cursor.positionInBlock();
    cursor.insertText(QString(indentWidth - column % indentWidth, u' '));
    cursor.endEditBlock();
    setTextCursor(cursor);
}

void CodeEditor::indentLines(int delta)
{
    QTextCursor cursor = textCursor();
    const auto [first, last] = selectedBlocks(cursor);
    cursor.beginEditBlock();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        const QString text = block.text();
        const qsizetype indent = leadingSpaces(text);
        QTextCursor edit(block);
        if (delta > 0 && indent < text.size()) {
            edit.insertText(QString(delta, u' ')); // blank lines get no trailing spaces
        } else if (delta < 0 && indent > 0) {
            edit.setPosition(block.position() + int(std::min<qsizetype>(-delta, indent)),
                             QTextCursor::KeepAnchor);
            edit.removeSelectedText();
        }
        if (block == last)
            break;
    }
    cursor.endEditBlock();
    setTextCursor(spansLines(cursor) ? selectLines(first, last) : cursor);
}

void CodeEditor::newLine()
{
    QTextCursor cursor = textCursor();
    cursor.beginEditBlock();
    cursor.removeSelectedText();
    const QString before = cursor.block().text().left(cursor.positionInBlock());
    const qsizetype indent = indentAfter(before);
    cursor.insertBlock();
    cursor.insertText(QString(indent, u' '));
    cursor.endEditBlock();
    setTextCursor(cursor);
}

bool CodeEditor::backspaceIndent()
{
    QTextCursor cursor = textCursor();
    const int column = cursor.positionInBlock();
    if (cursor.hasSelection() || column == 0 || leadingSpaces(cursor.block().text()) < column)
        return false;
    const int target = (column - 1) / indentWidth * indentWidth;
    cursor.beginEditBlock();
    cursor.setPosition(cursor.position() - (column - target), QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    cursor.endEditBlock();
    setTextCursor(cursor);
    return true;
}

void CodeEditor::toggleComment()
{
    QTextCursor cursor = textCursor();
    const auto [first, last] = selectedBlocks(cursor);
    // Comment out unless every line with text already is a comment; blank lines stay as they are.
    bool allComments = true;
    qsizetype column = -1; // the comment marks line up at the least indented line
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        const QString text = block.text();
        const qsizetype indent = leadingSpaces(text);
        if (indent < text.size()) {
            allComments = allComments && text[indent] == u'#';
            column = column < 0 ? indent : std::min(column, indent);
        }
        if (block == last)
            break;
    }
    if (column < 0)
        return;
    cursor.beginEditBlock();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        const QString text = block.text();
        const qsizetype indent = leadingSpaces(text);
        if (indent < text.size()) {
            QTextCursor edit(block);
            if (allComments) {
                const qsizetype end =
                    indent + 1 < text.size() && text[indent + 1] == u' ' ? indent + 2 : indent + 1;
                edit.setPosition(block.position() + int(indent));
                edit.setPosition(block.position() + int(end), QTextCursor::KeepAnchor);
                edit.removeSelectedText();
            } else {
                edit.setPosition(block.position() + int(column));
                edit.insertText(u"# "_s);
            }
        }
        if (block == last)
            break;
    }
    cursor.endEditBlock();
    setTextCursor(spansLines(cursor) ? selectLines(first, last) : cursor);
}

} // namespace runlane::desktop
