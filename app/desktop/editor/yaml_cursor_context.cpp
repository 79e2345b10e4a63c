#include "app/desktop/editor/yaml_cursor_context.h"

#include <algorithm>

namespace runlane::desktop {

namespace yaml_lines {

namespace {

// The per-line helpers below read raw UTF-16: they run over every line of a large section on a
// keystroke, and QChar's accessors cost a call each in a debug build.
bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\t';
}

bool isSpace(QChar c)
{
    return isSpace(c.unicode());
}

// The index of the quote closing the one at `open`, or -1 when the line ends first.
qsizetype closingQuote(QStringView s, qsizetype open)
{
    const char16_t *p = s.utf16();
    const qsizetype n = s.size();
    const char16_t quote = p[open];
    for (qsizetype i = open + 1; i < n; ++i) {
        if (quote == u'"' && p[i] == u'\\') {
            ++i;
        } else if (p[i] == quote) {
            if (quote == u'\'' && i + 1 < n && p[i + 1] == u'\'')
                ++i; // '' is a quote inside single quotes
            else
                return i;
        }
    }
    return -1;
}

bool isQuote(char16_t c)
{
    return c == u'"' || c == u'\'';
}

QStringView unquoted(QStringView s)
{
    if (s.isEmpty() || !isQuote(s.utf16()[0]))
        return s;
    if (s.size() >= 2 && s.utf16()[s.size() - 1] == s.utf16()[0])
        return s.mid(1, s.size() - 2);
    return s.mid(1); // still being typed
}

} // namespace

Shape shapeOf(QStringView line)
{
    Shape shape;
    const char16_t *p = line.utf16();
    const qsizetype n = line.size();
    qsizetype i = 0;
    while (i < n && p[i] == u' ')
        ++i;
    shape.indent = int(i);
    while (i < n && p[i] == u'-' && (i + 1 == n || isSpace(p[i + 1]))) {
        if (shape.firstDash < 0)
            shape.firstDash = int(i);
        ++shape.dashCount;
        ++i;
        while (i < n && isSpace(p[i]))
            ++i;
    }
    shape.content = int(i);
    shape.blank = shape.dashCount == 0 && (i == n || p[i] == u'#');
    return shape;
}

QStringView scalarText(QStringView value)
{
    value = value.trimmed();
    const char16_t *p = value.utf16();
    const qsizetype n = value.size();
    if (n == 0 || p[0] == u'#')
        return value.left(0);
    if (isQuote(p[0])) {
        const qsizetype close = closingQuote(value, 0);
        return close < 0 ? value.mid(1) : value.mid(1, close - 1);
    }
    for (qsizetype i = 1; i < n; ++i) {
        if (p[i] == u'#' && isSpace(p[i - 1]))
            return value.left(i).trimmed();
    }
    return value;
}

std::optional<Entry> blockEntry(QStringView content)
{
    const char16_t *p = content.utf16();
    const qsizetype n = content.size();
    if (n == 0 || p[0] == u'{' || p[0] == u'[' || p[0] == u'#')
        return std::nullopt;
    qsizetype colon = -1;
    if (isQuote(p[0])) {
        const qsizetype close = closingQuote(content, 0);
        if (close < 0)
            return std::nullopt;
        colon = close + 1;
        while (colon < n && isSpace(p[colon]))
            ++colon;
        if (colon == n || p[colon] != u':')
            return std::nullopt;
    } else {
        for (qsizetype i = 0; i < n && colon < 0; ++i) {
            if (p[i] == u'#' && i > 0 && isSpace(p[i - 1]))
                return std::nullopt;
            if (p[i] == u':' && (i + 1 == n || isSpace(p[i + 1])))
                colon = i;
        }
        if (colon < 0)
            return std::nullopt;
    }
    if (colon + 1 < n && !isSpace(p[colon + 1]))
        return std::nullopt;
    return Entry{unquoted(content.left(colon).trimmed()), scalarText(content.mid(colon + 1))};
}

QList<Entry> flowMapEntries(QStringView s)
{
    QList<Entry> entries;
    if (s.isEmpty() || s[0] != u'{')
        return entries;
    int depth = 0;
    qsizetype tokenStart = 1;
    qsizetype colon = -1;
    bool atToken = true; // nothing but spaces since the last indicator
    const auto flush = [&](qsizetype end) {
        if (colon < 0)
            return;
        const QStringView key = unquoted(s.mid(tokenStart, colon - tokenStart).trimmed());
        const QStringView value = s.mid(colon + 1, end - colon - 1).trimmed();
        entries.append(
            {key, value.startsWith(u'{') || value.startsWith(u'[') ? value : scalarText(value)});
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (isSpace(c))
            continue;
        if (atToken && (c == u'"' || c == u'\'')) {
            const qsizetype close = closingQuote(s, i);
            if (close < 0)
                break;
            i = close;
            atToken = false;
            continue;
        }
        if (c == u'{' || c == u'[') {
            ++depth;
            atToken = true;
            continue;
        }
        if (c == u'}' || c == u']') {
            if (--depth == 0) {
                flush(i);
                return entries;
            }
            atToken = false;
            continue;
        }
        if (depth == 1 && c == u',') {
            flush(i);
            tokenStart = i + 1;
            colon = -1;
            atToken = true;
            continue;
        }
        if (depth == 1 && c == u':' && colon < 0 &&
            (i + 1 == s.size() || isSpace(s[i + 1]) || s[i + 1] == u',' || s[i + 1] == u'}')) {
            colon = i;
            atToken = true;
            continue;
        }
        atToken = false;
    }
    flush(s.size()); // not closed yet: what was written
    return entries;
}

namespace {

const char16_t *utf16(const QString &text)
{
    return reinterpret_cast<const char16_t *>(text.constData());
}

LineRange rangeOf(const QString &text, qsizetype start, qsizetype end)
{
    if (end > start && utf16(text)[end - 1] == u'\r')
        --end;
    return {int(start), int(end)};
}

} // namespace

LineRange lineAt(const QString &text, int position)
{
    const qsizetype start = position > 0 ? text.lastIndexOf(u'\n', position - 1) + 1 : 0;
    const qsizetype end = text.indexOf(u'\n', position);
    return rangeOf(text, start, end < 0 ? text.size() : end);
}

bool previousLine(const QString &text, LineRange &line)
{
    if (line.start == 0)
        return false;
    const qsizetype end = line.start - 1; // its line break
    const qsizetype start = end > 0 ? text.lastIndexOf(u'\n', end - 1) + 1 : 0;
    line = rangeOf(text, start, end);
    return true;
}

bool nextLine(const QString &text, LineRange &line)
{
    qsizetype lineBreak = line.end;
    if (lineBreak < text.size() && utf16(text)[lineBreak] == u'\r')
        ++lineBreak;
    if (lineBreak >= text.size())
        return false;
    const qsizetype end = text.indexOf(u'\n', lineBreak + 1);
    line = rangeOf(text, lineBreak + 1, end < 0 ? text.size() : end);
    return true;
}

} // namespace yaml_lines

using namespace yaml_lines;

bool YamlCursorContext::inStep() const
{
    return path.size() >= 2 && path[0] == u"steps" && path[1] == u"-";
}

bool YamlCursorContext::pathIs(std::initializer_list<QStringView> keys) const
{
    if (qsizetype(keys.size()) != path.size())
        return false;
    qsizetype i = 0;
    for (const QStringView k : keys) {
        if (k != u"*" && path[i] != k)
            return false;
        ++i;
    }
    return true;
}

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// What the cursor's own line says: the flow collections it is in, and whether it is at a key.
struct CursorLine
{
    QStringList path; // added by the flow maps and lists around the cursor
    bool inKey = true;
    QString key;
    bool inListItem = false;
    bool inComment = false;
    bool inFlowMap = false;
    QStringList flowKeys; // the keys of the flow map the cursor is in, but the one at the cursor
};

CursorLine scanCursorLine(QStringView s, qsizetype at)
{
    struct Frame
    {
        QChar open;
        int added = 0; // path entries this frame added
        QString listKey;
        int id = 0;
    };
    struct FlowKey
    {
        int frame;
        QString key;
        qsizetype start;
        qsizetype end;
    };
    CursorLine out;
    QList<Frame> frames;
    QList<FlowKey> keys;
    QStringList path;
    QString key;
    bool expectKey = true; // the next token is a key: line start, after `{` or `,` in a map
    bool atToken = true;   // nothing but spaces since the last indicator
    bool plain = false;    // a block value that is a plain scalar: no structure after it
    bool skipNext = false;
    QChar quote;
    qsizetype tokenStart = 0;
    int frameIds = 0;
    int cursorFrame = -1;
    bool captured = false;
    const qsizetype n = s.size();

    const auto capture = [&] {
        captured = true;
        out.path = path;
        const Frame *top = frames.isEmpty() ? nullptr : &frames.last();
        out.inListItem = top && top->open == u'[';
        out.inKey = expectKey && !out.inListItem;
        out.key = out.inListItem ? top->listKey : (expectKey ? QString() : key);
        out.inFlowMap = top && top->open == u'{';
        cursorFrame = top ? top->id : -1;
    };

    for (qsizetype i = 0; i <= n; ++i) {
        if (i == at && !captured)
            capture();
        if (i == n)
            break;
        if (captured && (cursorFrame < 0 || frames.isEmpty() ||
                         std::none_of(frames.cbegin(), frames.cend(),
                                      [&](const Frame &f) { return f.id == cursorFrame; })))
            break; // past the cursor, only the keys of its flow map are still wanted
        if (skipNext) {
            skipNext = false;
            continue;
        }
        const QChar c = s[i];
        if (!quote.isNull()) {
            if (quote == u'"' && c == u'\\')
                skipNext = true;
            else if (c == quote && quote == u'\'' && i + 1 < n && s[i + 1] == u'\'')
                skipNext = true;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'#' && (i == 0 || isSpace(s[i - 1]))) {
            out.inComment = !captured;
            break;
        }
        if (plain || isSpace(c))
            continue;
        if (atToken && (c == u'"' || c == u'\'')) {
            quote = c;
            atToken = false;
            continue;
        }
        const Frame *top = frames.isEmpty() ? nullptr : &frames.last();
        if (atToken && (c == u'{' || c == u'[')) {
            Frame f{c, 0, QString(), ++frameIds};
            const bool valueOfKey = !expectKey && !key.isEmpty() && !(top && top->open == u'[');
            if (valueOfKey) {
                path.append(key);
                ++f.added;
            }
            if (c == u'[') {
                path.append(QStringLiteral("-"));
                ++f.added;
                f.listKey = valueOfKey ? key : (top ? top->listKey : QString());
            }
            expectKey = c == u'{';
            key = f.listKey;
            frames.append(f);
            tokenStart = i + 1;
            continue;
        }
        if (top && (c == u'}' || c == u']')) {
            path.resize(path.size() - top->added);
            frames.removeLast();
            expectKey = false;
            atToken = false;
            key = (!frames.isEmpty() && frames.last().open == u'[') ? frames.last().listKey
                                                                    : QString();
            plain = frames.isEmpty(); // what follows a closed block value is not structure
            continue;
        }
        if (top && c == u',') {
            expectKey = top->open == u'{';
            key = top->open == u'[' ? top->listKey : QString();
            atToken = true;
            tokenStart = i + 1;
            continue;
        }
        if (c == u':' && expectKey &&
            (i + 1 == n || isSpace(s[i + 1]) ||
             (top && (s[i + 1] == u',' || s[i + 1] == u'}' || s[i + 1] == u']')))) {
            key = s.mid(tokenStart, i - tokenStart).trimmed().toString();
            if (key.size() >= 2 && (key.front() == u'"' || key.front() == u'\''))
                key = key.mid(1, key.size() - 2);
            if (top && top->open == u'{')
                keys.append({top->id, key, tokenStart, i});
            expectKey = false;
            atToken = true;
            continue;
        }
        if (atToken && !top && !expectKey)
            plain = true; // `promql: sum(x{a="b"})`: braces inside a plain scalar
        atToken = false;
    }
    if (!captured) {
        out.inComment = true;
        out.inKey = false;
    }
    if (out.inFlowMap) {
        for (const FlowKey &k : std::as_const(keys)) {
            if (k.frame == cursorFrame && !(k.start <= at && at <= k.end))
                out.flowKeys.append(k.key);
        }
    }
    return out;
}

struct PathEntry
{
    QString key;
    LineRange item; // for "-": the line the item starts at
    Shape shape;
};

// The enclosing step's id, type and call: its item line, then its lines at the step's key column.
void readStep(const QString &text, LineRange item, const Shape &shape, YamlCursorContext &ctx)
{
    static constexpr QStringView id(u"id"), type(u"type"), call(u"call");
    const auto take = [&ctx](const Entry &e) {
        if (e.key == id)
            ctx.stepId = e.value.toString();
        else if (e.key == type)
            ctx.stepType = e.value.toString();
        else if (e.key == call)
            ctx.stepCall = e.value.toString();
    };
    const QStringView content = lineText(text, item).mid(shape.content);
    if (content.startsWith(u'{')) {
        for (const Entry &e : flowMapEntries(content))
            take(e);
        return;
    }
    if (const auto e = blockEntry(content))
        take(*e);
    int keyColumn = content.isEmpty() ? -1 : shape.content;
    LineRange line = item;
    while (nextLine(text, line)) {
        const QStringView l = lineText(text, line);
        const Shape s = shapeOf(l);
        if (s.blank)
            continue;
        if (s.indent <= shape.firstDash)
            break;
        if (keyColumn < 0)
            keyColumn = s.indent;
        if (s.indent == keyColumn && s.dashCount == 0) {
            if (const auto e = blockEntry(l.mid(s.content)))
                take(*e);
        }
    }
}

} // namespace

YamlCursorContext contextAt(const QString &text, int position)
{
    YamlCursorContext ctx;
    ctx.text = text;
    position = qBound(0, position, int(text.size()));
    ctx.position = position;
    const LineRange cursorLine = lineAt(text, position);
    const QStringView line = lineText(text, cursorLine);
    // (Between a `\r` and its `\n` counts as the end of the line.)
    const int column = std::min(position - cursorLine.start, int(line.size()));
    const QStringView head = line.left(column);

    // The template the cursor is in: `{{` before it on the line and no `}}` after that.
    if (const qsizetype open = head.lastIndexOf(u"{{");
        open >= 0 && head.indexOf(u"}}", open) < 0) {
        const QStringView inside = head.mid(open + 2).trimmed();
        const bool name = head.mid(open + 2).endsWith(inside) &&
                          std::all_of(inside.begin(), inside.end(),
                                      [](QChar c) { return isNameChar(c) || c == u'.'; });
        if (name && (inside.isEmpty() || !head.endsWith(u' '))) {
            ctx.inTemplate = true;
            ctx.templatePrefix = inside.toString();
        }
    }
    const auto wordChar = ctx.inTemplate ? isNameChar : isWordChar;
    int start = column;
    while (start > 0 && wordChar(line[start - 1]))
        --start;
    int end = column;
    while (end < line.size() && wordChar(line[end]))
        ++end;
    ctx.prefix = line.mid(start, column - start).toString();
    ctx.prefixStart = cursorLine.start + start;
    ctx.wordEnd = cursorLine.start + end;

    // The cursor's own line: its item markers, and the flow collections around the cursor.
    const Shape shape = shapeOf(line);
    const bool headBlank = column <= shape.indent;
    int mapColumn = headBlank ? column : shape.content;
    CursorLine cursor;
    if (!headBlank && column >= shape.content)
        cursor = scanCursorLine(line.mid(shape.content), column - shape.content);
    ctx.inComment = cursor.inComment;

    // Up the lines with less indentation, to the top: the keys of the path, innermost first.
    QList<PathEntry> up;
    enum class Look { Map, List } look = Look::Map;
    int need = mapColumn; // the column of the keys (a map) or markers (a list) being climbed out of
    bool ownMap = true;   // still in the cursor's map: its other keys are written keys
    const bool wantKeys = cursor.inKey && !cursor.inFlowMap;
    QStringList keysAbove;
    if (!headBlank && shape.dashCount > 0) {
        for (int i = 0; i < shape.dashCount; ++i)
            up.append({QStringLiteral("-"), cursorLine, shape});
        look = Look::List;
        need = shape.firstDash;
        ownMap = false;
    }
    QString scalarKey; // set once the cursor turns out to be inside a scalar's text
    // A line with less indentation: the key of the map or list being climbed out of.
    const auto parentKey = [&](QStringView content, int keyColumn) {
        const auto entry = blockEntry(content);
        if (!entry)
            return; // text, not a key: keep climbing
        if (!entry->value.isEmpty() && !entry->value.startsWith(u'&') &&
            !entry->value.startsWith(u'!') && !entry->value.startsWith(u'#')) {
            // A key with a value on its line and the cursor below it: a block scalar's text.
            up.clear();
            keysAbove.clear();
            scalarKey = entry->key.toString();
        } else {
            up.append({entry->key.toString(), {}, {}});
        }
        look = Look::Map;
        need = keyColumn;
        ownMap = false;
    };
    LineRange lineAbove = cursorLine;
    while (need > 0 || look == Look::List || (ownMap && wantKeys)) {
        if (!previousLine(text, lineAbove))
            break;
        const QStringView l = lineText(text, lineAbove);
        const Shape s = shapeOf(l);
        if (s.blank)
            continue;
        if (look == Look::Map) {
            if (s.dashCount > 0 && s.firstDash < need) {
                // An item marker left of the map: the map is this item, or inside it.
                if (s.content < need) {
                    parentKey(l.mid(s.content), s.content); // `- with:` with the map under it
                } else if (ownMap && wantKeys) {
                    if (const auto entry = blockEntry(l.mid(s.content)))
                        keysAbove.append(entry->key.toString());
                }
                for (int i = 0; i < s.dashCount; ++i)
                    up.append({QStringLiteral("-"), lineAbove, s});
                look = Look::List;
                need = s.firstDash;
                ownMap = false;
                continue;
            }
            if (s.indent > need || s.dashCount > 0)
                continue; // deeper, or a list under a key of this map
            if (s.indent == need) {
                if (ownMap && wantKeys) {
                    if (const auto entry = blockEntry(l.mid(s.content)))
                        keysAbove.append(entry->key.toString());
                }
                continue;
            }
            parentKey(l.mid(s.content), s.indent);
        } else {
            if (s.dashCount > 0 && s.firstDash >= need)
                continue; // another item of the list, or deeper
            if (s.indent > need)
                continue;
            if (s.dashCount > 0) {
                // A list item holding this list: `- key:` with the list under it.
                parentKey(l.mid(s.content), s.content);
                for (int i = 0; i < s.dashCount; ++i)
                    up.append({QStringLiteral("-"), lineAbove, s});
                look = Look::List;
                need = s.firstDash;
                continue;
            }
            // The key the list is the value of (at the same column for `key:` then `- item`).
            parentKey(l.mid(s.content), s.indent);
        }
    }

    for (qsizetype i = up.size() - 1; i >= 0; --i)
        ctx.path.append(up[i].key);
    if (!scalarKey.isEmpty()) {
        ctx.inScalarText = true;
        ctx.key = scalarKey;
        ctx.inComment = false;
    } else {
        ctx.path += cursor.path;
        ctx.inKey = headBlank || cursor.inKey;
        ctx.key = headBlank ? QString() : cursor.key;
        ctx.inListItem = cursor.inListItem;
        if (cursor.inFlowMap && ctx.inKey) {
            ctx.writtenKeys = cursor.flowKeys;
        } else if (ctx.inKey) {
            std::reverse(keysAbove.begin(), keysAbove.end()); // read bottom-up
            ctx.writtenKeys = keysAbove;
            // And the keys below the cursor, down to the end of its map.
            LineRange below = cursorLine;
            while (nextLine(text, below)) {
                const QStringView l = lineText(text, below);
                const Shape s = shapeOf(l);
                if (s.blank)
                    continue;
                if (s.indent < mapColumn)
                    break;
                if (s.indent == mapColumn && s.dashCount == 0) {
                    if (const auto entry = blockEntry(l.mid(s.content)))
                        ctx.writtenKeys.append(entry->key.toString());
                }
            }
        }
    }

    if (ctx.inStep() && up.size() >= 2 && up[up.size() - 2].key == u"-") {
        const PathEntry &item = up[up.size() - 2];
        readStep(text, item.item, item.shape, ctx);
    }
    return ctx;
}

} // namespace runlane::desktop
