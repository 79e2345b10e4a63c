#include "engine/playbook/yaml_document.h"

#include <yaml-cpp/depthguard.h>

#include <QFile>
#include <QStringDecoder>

#include <algorithm>

namespace runlane {

SourcePos positionOf(const YAML::Node &node)
{
    if (!node.IsDefined())
        return {};
    const YAML::Mark mark = node.Mark();
    if (mark.is_null())
        return {};
    return {mark.line + 1, mark.column + 1};
}

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// The bytes of the UTF-8 sequence led by `lead`, and the QString units it decodes to.
std::pair<int, int> utf8Step(uchar lead)
{
    if (lead >= 0xF0)
        return {4, 2};
    if (lead >= 0xE0)
        return {3, 1};
    if (lead >= 0xC0)
        return {2, 1};
    return {1, 1};
}

} // namespace

ScalarPositions::ScalarPositions(QByteArray source)
    : m_source(std::move(source))
{
    m_lineStarts.append(0);
    for (qsizetype i = 0; i < m_source.size(); ++i) {
        if (m_source[i] == '\n')
            m_lineStarts.append(i + 1);
    }
}

qsizetype ScalarPositions::indexOf(SourcePos pos) const
{
    if (pos.line < 1 || pos.line > m_lineStarts.size() || pos.column < 1)
        return -1;
    const qsizetype index = m_lineStarts[pos.line - 1] + pos.column - 1;
    return index <= m_source.size() ? index : -1;
}

SourcePos ScalarPositions::positionAtIndex(qsizetype index) const
{
    const auto next = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), index);
    const qsizetype line = next - m_lineStarts.begin();
    return {int(line), int(index - m_lineStarts[line - 1] + 1)};
}

int ScalarPositions::lineBreakAt(qsizetype i) const
{
    if (i < m_source.size() && m_source[i] == '\n')
        return 1;
    if (i + 1 < m_source.size() && m_source[i] == '\r' && m_source[i + 1] == '\n')
        return 2;
    return 0;
}

SourcePos ScalarPositions::at(const SourcePos &start, qsizetype offset) const
{
    const qsizetype begin = indexOf(start);
    if (begin < 0) // not from this source: assume the text stands on one line as written
        return start.isValid() ? SourcePos{start.line, start.column + int(offset)} : start;
    const char opener = begin > 0 ? m_source[begin - 1] : '\0';
    if (opener == '|' || opener == '>')
        return inBlock(begin, offset);

    // A plain or quoted scalar: a line break and the blanks around it fold into one space (n
    // breaks in a row into n - 1 newlines); escapes and '' stand for one character.
    const QByteArray &s = m_source;
    const qsizetype end = s.size();
    qsizetype i = begin;
    qsizetype units = 0;
    while (i < end) {
        if (units >= offset)
            return positionAtIndex(i);
        if (isBlank(s[i]) || lineBreakAt(i)) {
            qsizetype j = i;
            int breaks = 0;
            while (j < end) {
                if (isBlank(s[j])) {
                    ++j;
                } else if (const int b = lineBreakAt(j)) {
                    ++breaks;
                    j += b;
                } else {
                    break;
                }
            }
            if (breaks > 0) {
                const int folded = breaks == 1 ? 1 : breaks - 1;
                if (units + folded > offset)
                    return positionAtIndex(j);
                units += folded;
                i = j;
                continue;
            }
        }
        if (opener == '"' && s[i] == '\\' && i + 1 < end) {
            if (const int b = lineBreakAt(i + 1)) { // an escaped line break stands for nothing
                i += 1 + b;
                while (i < end && isBlank(s[i]))
                    ++i;
                continue;
            }
            const char e = s[i + 1];
            i += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
            units += e == 'U' ? 2 : 1;
            continue;
        }
        if (opener == '\'' && s[i] == '\'' && i + 1 < end && s[i + 1] == '\'') {
            i += 2;
            ++units;
            continue;
        }
        const auto [bytes, decoded] = utf8Step(uchar(s[i]));
        i += bytes;
        units += decoded;
    }
    return positionAtIndex(std::min(i, end));
}

// A block scalar (`|` or `>`): its text starts on the line after the header, each line without
// the indentation of the first non-empty one.
SourcePos ScalarPositions::inBlock(qsizetype header, qsizetype offset) const
{
    const QByteArray &s = m_source;
    const qsizetype end = s.size();
    const qsizetype firstLine = s.indexOf('\n', header);
    if (firstLine < 0)
        return positionAtIndex(header);
    qsizetype indent = -1;
    for (qsizetype line = firstLine + 1; line < end && indent < 0;) {
        qsizetype k = line;
        while (k < end && s[k] == ' ')
            ++k;
        if (k < end && !lineBreakAt(k))
            indent = k - line;
        const qsizetype next = s.indexOf('\n', k);
        if (next < 0)
            break;
        line = next + 1;
    }
    if (indent < 0)
        return positionAtIndex(header);
    qsizetype i = firstLine + 1;
    qsizetype units = 0;
    while (i < end) {
        for (qsizetype skipped = 0; skipped < indent && i < end && s[i] == ' '; ++skipped)
            ++i;
        while (i < end && !lineBreakAt(i)) {
            if (units >= offset)
                return positionAtIndex(i);
            const auto [bytes, decoded] = utf8Step(uchar(s[i]));
            i += bytes;
            units += decoded;
        }
        if (units >= offset || i >= end)
            return positionAtIndex(std::min(i, end));
        ++units;
        i += lineBreakAt(i);
    }
    return positionAtIndex(std::min(i, end));
}

namespace {

SourcePos positionAtOffset(const QByteArray &text, qsizetype offset)
{
    SourcePos pos{1, 1};
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column; // columns count bytes, as yaml-cpp's do
        }
    }
    return pos;
}

// Walks the tree as a consumer would see it (aliases expanded), stopping at the bounds.
class TreeBounds
{
public:
    explicit TreeBounds(const YamlLimits &limits)
        : m_limits(limits)
    {}

    bool check(const YAML::Node &node, int depth)
    {
        if (++m_nodes > m_limits.maxNodes) {
            m_problem = QStringLiteral("the document has more than %1 nodes once aliases are "
                                       "expanded; a playbook never needs that many")
                            .arg(m_limits.maxNodes);
            m_where = node;
            return false;
        }
        if (depth > m_limits.maxDepth) {
            m_problem =
                QStringLiteral("the document nests deeper than %1 levels").arg(m_limits.maxDepth);
            m_where = node;
            return false;
        }
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!check(it->first, depth + 1) || !check(it->second, depth + 1))
                    return false;
            }
        } else if (node.IsSequence()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!check(*it, depth + 1))
                    return false;
            }
        }
        return true;
    }

    QString m_problem;
    YAML::Node m_where;

private:
    const YamlLimits &m_limits;
    int m_nodes = 0;
};

} // namespace

std::optional<YAML::Node> parseYamlDocument(const QByteArray &text, DiagnosticSink &sink,
                                            const YamlLimits &limits)
{
    if (text.size() > limits.maxBytes) {
        sink.error({1, 1}, QStringLiteral("file is %1 bytes; playbooks are limited to %2 bytes")
                               .arg(text.size())
                               .arg(limits.maxBytes));
        return std::nullopt;
    }
    if (const qsizetype nul = text.indexOf('\0'); nul >= 0) {
        sink.error(positionAtOffset(text, nul),
                   QStringLiteral("file contains a NUL byte; expected a UTF-8 YAML text file"));
        return std::nullopt;
    }
    {
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString decoded = decoder.decode(text);
        if (decoder.hasError()) {
            const qsizetype bad = decoded.indexOf(QChar::ReplacementCharacter);
            const QByteArray prefix = decoded.left(std::max<qsizetype>(bad, 0)).toUtf8();
            sink.error(positionAtOffset(text, prefix.size()),
                       QStringLiteral("file is not valid UTF-8; playbooks are UTF-8 text"));
            return std::nullopt;
        }
    }
    if (text.trimmed().isEmpty()) {
        sink.error({1, 1}, QStringLiteral("file is empty; expected a playbook (a YAML map with "
                                          "'runlane: 1', 'id', 'title', 'start' and 'steps')"));
        return std::nullopt;
    }

    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text.toStdString());
    } catch (const YAML::DeepRecursion &e) {
        // yaml-cpp's own recursion guard, whose message is a bare "bad file".
        const SourcePos pos =
            e.mark.is_null() ? SourcePos{1, 1} : SourcePos{e.mark.line + 1, e.mark.column + 1};
        sink.error(pos,
                   QStringLiteral("the document nests deeper than %1 levels").arg(limits.maxDepth));
        return std::nullopt;
    } catch (const YAML::Exception &e) {
        const SourcePos pos =
            e.mark.is_null() ? SourcePos{1, 1} : SourcePos{e.mark.line + 1, e.mark.column + 1};
        sink.error(pos, QStringLiteral("YAML syntax error: %1").arg(QString::fromStdString(e.msg)));
        return std::nullopt;
    } catch (const std::exception &e) {
        sink.error({1, 1},
                   QStringLiteral("YAML could not be read: %1").arg(QString::fromUtf8(e.what())));
        return std::nullopt;
    }
    if (documents.empty() || documents.front().IsNull()) {
        sink.error({1, 1}, QStringLiteral("file holds no YAML document; expected a playbook map"));
        return std::nullopt;
    }
    if (documents.size() > 1) {
        sink.error(positionOf(documents[1]),
                   QStringLiteral("file holds %1 YAML documents; a playbook file holds exactly one")
                       .arg(documents.size()));
        return std::nullopt;
    }

    TreeBounds bounds(limits);
    if (!bounds.check(documents.front(), 0)) {
        const SourcePos pos = positionOf(bounds.m_where);
        sink.error(pos.isValid() ? pos : SourcePos{1, 1}, bounds.m_problem);
        return std::nullopt;
    }
    return documents.front();
}

std::optional<YAML::Node> parseYamlFile(const QString &path, QByteArray *text, DiagnosticSink &sink,
                                        const YamlLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        sink.error({}, QStringLiteral("cannot read file: %1").arg(file.errorString()));
        return std::nullopt;
    }
    if (file.size() > limits.maxBytes) {
        sink.error({1, 1}, QStringLiteral("file is %1 bytes; playbooks are limited to %2 bytes")
                               .arg(file.size())
                               .arg(limits.maxBytes));
        return std::nullopt;
    }
    // Read what the file holds, not a buffer the size of the limit: the text stays with the loaded
    // playbook, and a 4 MiB buffer per playbook (8 MiB once Qt rounds it up) added up. A file of
    // unknown size (a pipe, /proc) is read up to the limit; parseYamlDocument checks the size.
    const qint64 size = file.size();
    *text = file.read(size > 0 ? std::min<qint64>(size, limits.maxBytes) + 1 : limits.maxBytes + 1);
    text->squeeze();
    return parseYamlDocument(*text, sink, limits);
}

} // namespace runlane
