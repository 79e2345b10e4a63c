#include "app/desktop/editor/yaml_highlighter.h"

#include "app/desktop/theme.h"

#include <QGuiApplication>
#include <QVarLengthArray>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

constexpr int outsideBlockScalar = -1; // QSyntaxHighlighter's state for a line with none set

struct Span
{
    qsizetype start;
    qsizetype length;
    YamlToken token;
};
using Spans = QVarLengthArray<Span, 16>;

bool isFlowIndicator(QChar c)
{
    return c == u',' || c == u'[' || c == u']' || c == u'{' || c == u'}';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// YAML 1.2's core schema: decimal and hex numbers, true/false/null in their three spellings, ~.
bool isLiteral(QStringView word)
{
    static const QStringList words = {u"true"_s,  u"True"_s, u"TRUE"_s, u"false"_s, u"False"_s,
                                      u"FALSE"_s, u"null"_s, u"Null"_s, u"NULL"_s,  u"~"_s};
    if (word.isEmpty())
        return false;
    if (words.contains(word))
        return true;
    qsizetype i = 0;
    if (word[0] == u'-' || word[0] == u'+')
        ++i;
    if (word.sliced(i).startsWith(u"0x")) {
        i += 2;
        if (i == word.size())
            return false;
        for (; i < word.size(); ++i) {
            if (!isDigit(word[i]) && !(word[i].toLower() >= u'a' && word[i].toLower() <= u'f'))
                return false;
        }
        return true;
    }
    qsizetype digits = 0;
    for (; i < word.size() && isDigit(word[i]); ++i)
        ++digits;
    if (i < word.size() && word[i] == u'.') {
        for (++i; i < word.size() && isDigit(word[i]); ++i)
            ++digits;
    }
    if (digits == 0)
        return false;
    if (i < word.size() && (word[i] == u'e' || word[i] == u'E')) {
        ++i;
        if (i < word.size() && (word[i] == u'-' || word[i] == u'+'))
            ++i;
        const qsizetype exponentStart = i;
        while (i < word.size() && isDigit(word[i]))
            ++i;
        if (i == exponentStart)
            return false;
    }
    return i == word.size();
}

// Reads one line into spans. Every character is looked at a bounded number of times: a key is
// found by one scan up to its `:` and the value is scanned from there.
class LineLexer
{
public:
    LineLexer(QStringView text, Spans &spans)
        : m_text(text)
        , m_n(text.size())
        , m_spans(spans)
    {}

    // A block scalar's text line: all of it from the indentation, templates marked inside.
    void blockText(qsizetype indent)
    {
        if (indent < m_n)
            add(indent, m_n, YamlToken::BlockText);
        markTemplates(indent, m_n);
    }

    // A line outside block scalars; returns the indentation a block scalar this line opens
    // needs its text to exceed, or outsideBlockScalar.
    int line(qsizetype indent)
    {
        qsizetype pos = indent;
        if (pos == 0 && m_n >= 3 && (m_text.startsWith(u"---") || m_text.startsWith(u"...")) &&
            (m_n == 3 || m_text[3] == u' ')) {
            add(0, 3, YamlToken::DocumentMarker);
            pos = skipSpaces(3);
        }
        qsizetype node = pos;
        while (pos < m_n && m_text[pos] == u'-' && (pos + 1 == m_n || m_text[pos + 1] == u' ')) {
            add(pos, pos + 1, YamlToken::Dash);
            node = pos;
            pos = skipSpaces(pos + 1);
        }
        if (pos == m_n)
            return outsideBlockScalar;
        if (m_text[pos] == u'#') {
            add(pos, m_n, YamlToken::Comment);
            return outsideBlockScalar;
        }
        const qsizetype colon = keyColon(pos);
        if (colon >= 0) {
            add(pos, trimEnd(pos, colon), YamlToken::Key);
            if (m_text[pos] == u'"' || m_text[pos] == u'\'')
                markTemplates(pos, colon);
            node = pos;
            pos = colon + 1;
        }
        return value(skipSpaces(pos), int(node));
    }

private:
    void add(qsizetype start, qsizetype end, YamlToken token)
    {
        if (end > start)
            m_spans.append({start, end - start, token});
    }

    qsizetype skipSpaces(qsizetype pos) const
    {
        while (pos < m_n && m_text[pos] == u' ')
            ++pos;
        return pos;
    }

    qsizetype trimEnd(qsizetype start, qsizetype end) const
    {
        while (end > start && m_text[end - 1] == u' ')
            --end;
        return end;
    }

    bool startsComment(qsizetype pos) const
    {
        return m_text[pos] == u'#' && (pos == 0 || m_text[pos - 1] == u' ');
    }

    // Whether a `:` at pos ends a key: followed by a space, the line's end, or (in a flow
    // collection) a flow indicator.
    bool isKeyColon(qsizetype pos, bool inFlow) const
    {
        if (m_text[pos] != u':')
            return false;
        if (pos + 1 == m_n || m_text[pos + 1] == u' ')
            return true;
        return inFlow && isFlowIndicator(m_text[pos + 1]);
    }

    // The end (one past the closing quote) of a quoted scalar starting at pos, or the line's end.
    qsizetype quotedEnd(qsizetype pos) const
    {
        const QChar quote = m_text[pos];
        for (qsizetype i = pos + 1; i < m_n; ++i) {
            if (quote == u'"' && m_text[i] == u'\\') {
                ++i;
            } else if (m_text[i] == quote) {
                if (quote == u'\'' && i + 1 < m_n && m_text[i + 1] == u'\'')
                    ++i; // '' is a quote inside single quotes
                else
                    return i + 1;
            }
        }
        return m_n;
    }

    // The end of a `{{ … }}` or `${…}` starting at pos, or -1 when none starts there.
    qsizetype templateEnd(qsizetype pos) const
    {
        if (pos + 1 >= m_n || m_text[pos + 1] != u'{')
            return -1;
        if (m_text[pos] == u'{') {
            const qsizetype close = m_text.indexOf(u"}}", pos + 2);
            return close < 0 ? m_n : close + 2;
        }
        if (m_text[pos] == u'$') {
            const qsizetype close = m_text.indexOf(u'}', pos + 2);
            return close < 0 ? m_n : close + 1;
        }
        return -1;
    }

    void markTemplates(qsizetype start, qsizetype end)
    {
        for (qsizetype i = start; i < end; ++i) {
            const qsizetype stop = templateEnd(i);
            if (stop >= 0) {
                add(i, std::min(stop, end), YamlToken::Template);
                i = stop - 1;
            }
        }
    }

    // The `:` ending a block mapping key that starts at pos, or -1 when the line holds none.
    qsizetype keyColon(qsizetype pos) const
    {
        const QChar first = m_text[pos];
        if (first == u'"' || first == u'\'') {
            const qsizetype end = skipSpaces(quotedEnd(pos));
            return end < m_n && isKeyColon(end, false) ? end : -1;
        }
        if (isFlowIndicator(first) || first == u'|' || first == u'>' || first == u'?' ||
            first == u'&' || first == u'*' || first == u'!' || first == u'%' || first == u'@' ||
            first == u'`')
            return -1;
        for (qsizetype i = pos; i < m_n; ++i) {
            if (isKeyColon(i, false))
                return i;
            if (startsComment(i))
                return -1;
        }
        return -1;
    }

    // A value from pos: a block scalar indicator, or flow content up to the line's end.
    int value(qsizetype pos, int node)
    {
        if (pos == m_n)
            return outsideBlockScalar;
        if (m_text[pos] == u'|' || m_text[pos] == u'>') {
            qsizetype end = pos + 1;
            while (end < m_n &&
                   (m_text[end] == u'-' || m_text[end] == u'+' || isDigit(m_text[end])))
                ++end;
            const qsizetype next = skipSpaces(end);
            if (next == m_n || (next > end && m_text[next] == u'#')) {
                add(pos, end, YamlToken::BlockIndicator);
                add(next, m_n, YamlToken::Comment);
                return node;
            }
        }
        flow(pos);
        return outsideBlockScalar;
    }

    // Scalars, flow collections and comments to the end of the line.
    void flow(qsizetype pos)
    {
        int depth = 0; // nesting of `[` and `{`
        while (pos < m_n) {
            const QChar c = m_text[pos];
            if (c == u' ') {
                ++pos;
            } else if (startsComment(pos)) {
                add(pos, m_n, YamlToken::Comment);
                return;
            } else if (c == u'"' || c == u'\'') {
                const qsizetype end = quotedEnd(pos);
                const qsizetype after = skipSpaces(end);
                const bool key = depth > 0 && after < m_n && isKeyColon(after, true);
                add(pos, end, key ? YamlToken::Key : YamlToken::String);
                markTemplates(pos, end);
                pos = key ? after + 1 : end;
            } else if (templateEnd(pos) >= 0) {
                pos = plain(pos, depth);
            } else if (c == u'[' || c == u'{') {
                ++depth;
                ++pos;
            } else if (c == u']' || c == u'}') {
                depth = std::max(0, depth - 1);
                ++pos;
            } else if (c == u',' && depth > 0) {
                ++pos;
            } else {
                pos = plain(pos, depth);
            }
        }
    }

    // A plain scalar from pos (a key inside a flow mapping when a `:` ends it); returns where
    // the scan goes on.
    qsizetype plain(qsizetype pos, int depth)
    {
        const bool inFlow = depth > 0;
        qsizetype i = pos;
        qsizetype end = pos; // past the last non-space character
        bool hasTemplate = false;
        while (i < m_n) {
            const QChar c = m_text[i];
            if (c == u' ') {
                if (i + 1 < m_n && m_text[i + 1] == u'#')
                    break;
                ++i;
                continue;
            }
            const qsizetype stop = templateEnd(i);
            if (stop >= 0) {
                add(i, stop, YamlToken::Template);
                hasTemplate = true;
                i = end = stop;
                continue;
            }
            if (inFlow && (isFlowIndicator(c) || isKeyColon(i, true)))
                break;
            end = ++i;
        }
        if (inFlow && i < m_n && m_text[i] == u':') {
            if (!hasTemplate)
                add(pos, end, YamlToken::Key);
            return i + 1;
        }
        if (!hasTemplate && isLiteral(m_text.sliced(pos, end - pos)))
            add(pos, end, YamlToken::Literal);
        return i;
    }

    QStringView m_text;
    qsizetype m_n;
    Spans &m_spans;
};

qsizetype indentOf(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text[i] == u' ')
        ++i;
    return i;
}

QTextCharFormat makeFormat(YamlToken token, const QColor &color, bool bold = false,
                           bool italic = false)
{
    QTextCharFormat format;
    format.setForeground(color);
    if (bold)
        format.setFontWeight(QFont::Bold);
    if (italic)
        format.setFontItalic(true);
    format.setProperty(yamlTokenProperty, int(token));
    return format;
}

} // namespace

QString toString(YamlToken token)
{
    switch (token) {
    case YamlToken::Key:
        return u"key"_s;
    case YamlToken::String:
        return u"string"_s;
    case YamlToken::Literal:
        return u"literal"_s;
    case YamlToken::Comment:
        return u"comment"_s;
    case YamlToken::Template:
        return u"template"_s;
    case YamlToken::Dash:
        return u"dash"_s;
    case YamlToken::BlockIndicator:
        return u"block-indicator"_s;
    case YamlToken::BlockText:
        return u"block-text"_s;
    case YamlToken::DocumentMarker:
        return u"document-marker"_s;
    }
    return {};
}

YamlHighlighter::YamlHighlighter(QTextDocument *doc)
    : QSyntaxHighlighter(doc)
{
    setColors(false);
    refreshColors();
}

void YamlHighlighter::refreshColors()
{
    refreshColors(QGuiApplication::palette());
}

void YamlHighlighter::refreshColors(const QPalette &palette)
{
    const bool dark = isDark(palette);
    if (dark == m_dark)
        return;
    setColors(dark);
    rehighlight();
}

void YamlHighlighter::setColors(bool dark)
{
    m_dark = dark;
    // Each pair is chosen for at least 4.5:1 against the light and the dark theme's base colour.
    const auto pick = [dark](QRgb light, QRgb darkColor) {
        return QColor(dark ? darkColor : light);
    };
    m_formats[int(YamlToken::Key)] = makeFormat(YamlToken::Key, pick(0x174ea6, 0x7cb4ff));
    m_formats[int(YamlToken::String)] = makeFormat(YamlToken::String, pick(0x1e7a34, 0x8fd19e));
    m_formats[int(YamlToken::Literal)] = makeFormat(YamlToken::Literal, pick(0xa64300, 0xf2a65a));
    m_formats[int(YamlToken::Comment)] =
        makeFormat(YamlToken::Comment, pick(0x6a737d, 0x9399a1), false, true);
    m_formats[int(YamlToken::Template)] =
        makeFormat(YamlToken::Template, pick(0x8a2bb8, 0xd7a1ff), true);
    m_formats[int(YamlToken::Dash)] = makeFormat(YamlToken::Dash, pick(0x8a5a00, 0xe0b45e), true);
    m_formats[int(YamlToken::BlockIndicator)] =
        makeFormat(YamlToken::BlockIndicator, pick(0xb0126a, 0xff8cc6), true);
    m_formats[int(YamlToken::BlockText)] =
        makeFormat(YamlToken::BlockText, pick(0x3b4a3f, 0xc3d1c6));
    m_formats[int(YamlToken::DocumentMarker)] =
        makeFormat(YamlToken::DocumentMarker, pick(0x6a737d, 0x9399a1), true);
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    Spans spans;
    LineLexer lexer(text, spans);
    const qsizetype indent = indentOf(text);
    const int scalarIndent = previousBlockState();
    if (scalarIndent >= 0 && (indent == text.size() || indent > scalarIndent)) {
        lexer.blockText(indent);
        setCurrentBlockState(scalarIndent);
    } else {
        setCurrentBlockState(lexer.line(indent));
    }
    for (const Span &span : spans)
        setFormat(int(span.start), int(span.length), m_formats.at(int(span.token)));
}

} // namespace runlane::desktop
