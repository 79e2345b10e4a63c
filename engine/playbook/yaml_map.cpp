#include "engine/playbook/yaml_map.h"

#include "engine/expr/valuetext.h"
#include "engine/playbook/yaml_document.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace runlane {

QString scalarText(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

LString locatedText(const YAML::Node &node)
{
    LString result{scalarText(node), positionOf(node), true};
    if (!isPlainScalar(node))
        ++result.pos.column;
    return result;
}

void collectTexts(const YAML::Node &node, QList<LString> &texts)
{
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            collectTexts(it->second, texts);
    } else if (node.IsSequence()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            collectTexts(*it, texts);
    } else if (node.IsScalar() && yamlToJson(node).isString()) {
        texts.append(locatedText(node));
    }
}

bool isNullNode(const YAML::Node &node)
{
    if (!node.IsDefined() || node.IsNull())
        return true;
    if (!node.IsScalar() || !isPlainScalar(node))
        return false;
    const std::string &s = node.Scalar();
    return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool isPlainScalar(const YAML::Node &node)
{
    // yaml-cpp tags plain scalars "?" and quoted ones "!" (non-specific tags).
    return node.Tag() == "?" || node.Tag().empty();
}

QString kindOf(const YAML::Node &node)
{
    if (isNullNode(node))
        return QStringLiteral("empty");
    if (node.IsMap())
        return node.size() == 0 ? QStringLiteral("an empty map") : QStringLiteral("a map");
    if (node.IsSequence())
        return node.size() == 0 ? QStringLiteral("an empty list") : QStringLiteral("a list");
    return QStringLiteral("'%1'").arg(scalarText(node).left(40));
}

std::optional<double> plainNumber(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)"));
    if (!pattern.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<bool> plainBool(const QString &text)
{
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    return std::nullopt;
}

QJsonValue yamlToJson(const YAML::Node &node, PlainNumbers numbers)
{
    if (isNullNode(node))
        return QJsonValue::Null;
    if (node.IsMap()) {
        QJsonObject object;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString key = scalarText(it->first);
            if (!object.contains(key))
                object.insert(key, yamlToJson(it->second, numbers));
        }
        return object;
    }
    if (node.IsSequence()) {
        QJsonArray array;
        for (auto it = node.begin(); it != node.end(); ++it)
            array.append(yamlToJson(*it, numbers));
        return array;
    }
    const QString text = scalarText(node);
    if (isPlainScalar(node)) {
        if (const auto b = plainBool(text))
            return *b;
        if (const auto n = plainNumber(text)) {
            if (numbers == PlainNumbers::KeepWrittenForm && expr::numberText(*n) != text)
                return text;
            return *n;
        }
    }
    return text;
}

void reportDuplicateKey(const QString &key, const QString &what, const YAML::Node &first,
                        const YAML::Node &again, DiagnosticSink &sink)
{
    sink.error(positionOf(again),
               QStringLiteral("duplicate key '%1' in %2; first given at line %3, column %4")
                   .arg(key, what)
                   .arg(positionOf(first).line)
                   .arg(positionOf(first).column));
    sink.error(positionOf(first),
               QStringLiteral("key '%1' in %2 is given again at line %3, column %4")
                   .arg(key, what)
                   .arg(positionOf(again).line)
                   .arg(positionOf(again).column));
}

void reportDuplicateKeysWithin(const YAML::Node &node, const QString &what, DiagnosticSink &sink)
{
    if (node.IsMap()) {
        QHash<QString, YAML::Node> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first;
            if (key.IsScalar()) {
                const QString text = scalarText(key);
                if (const auto first = seen.constFind(text); first != seen.constEnd())
                    reportDuplicateKey(text, what, *first, key, sink);
                else
                    seen.insert(text, key);
            }
            reportDuplicateKeysWithin(it->second, what, sink);
        }
    } else if (node.IsSequence()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            reportDuplicateKeysWithin(*it, what, sink);
    }
}

YamlMap::YamlMap(const YAML::Node &node, QString what, const QStringList &allowed,
                 DiagnosticSink &sink)
    : m_what(std::move(what))
    , m_sink(sink)
    , m_pos(positionOf(node))
{
    if (!node.IsDefined() || isNullNode(node))
        return; // absent or empty: the caller decides whether that is an error
    if (!node.IsMap()) {
        sink.error(m_pos, QStringLiteral("%1 must be a map of keys and values, not %2")
                              .arg(m_what, kindOf(node)));
        return;
    }
    m_isMap = true;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node keyNode = it->first; // a copy: it-> hands out a temporary
        if (!keyNode.IsScalar()) {
            sink.error(positionOf(keyNode), QStringLiteral("keys in %1 must be plain text, not %2")
                                                .arg(m_what, kindOf(keyNode)));
            continue;
        }
        const QString key = scalarText(keyNode);
        if (const Entry *first = find(key)) {
            reportDuplicateKey(key, m_what, first->keyNode, keyNode, sink);
            continue;
        }
        m_entries.append({key, keyNode, it->second});
        if (allowed.isEmpty() || key.startsWith(u"x-") || allowed.contains(key))
            continue;
        const QString hint = suggestionFor(key, allowed);
        sink.error(positionOf(keyNode),
                   QStringLiteral("unknown key '%1' in %2; %3")
                       .arg(key, m_what,
                            hint.isEmpty() ? QStringLiteral("expected one of: %1")
                                                 .arg(allowed.join(QStringLiteral(", ")))
                                           : hint));
    }
}

const YamlMap::Entry *YamlMap::find(const QString &key) const
{
    for (const Entry &entry : m_entries) {
        if (entry.key == key)
            return &entry;
    }
    return nullptr;
}

bool YamlMap::has(const QString &key) const
{
    return find(key) != nullptr;
}

YAML::Node YamlMap::value(const QString &key) const
{
    const Entry *entry = find(key);
    return entry ? entry->value : YAML::Node(YAML::NodeType::Undefined);
}

SourcePos YamlMap::keyPos(const QString &key) const
{
    const Entry *entry = find(key);
    return entry ? positionOf(entry->keyNode) : m_pos;
}

void YamlMap::missing(const QString &key) const
{
    m_sink.error(m_pos, QStringLiteral("missing required key '%1' in %2").arg(key, m_what));
}

void YamlMap::wrongKind(const QString &key, const YAML::Node &node, const QString &expected) const
{
    // An empty value has the position of whatever follows it, often the next line: use the key's.
    const SourcePos pos = isNullNode(node) ? SourcePos() : positionOf(node);
    m_sink.error(
        pos.isValid() ? pos : keyPos(key),
        QStringLiteral("'%1' in %2 must be %3, not %4").arg(key, m_what, expected, kindOf(node)));
}

LString YamlMap::text(const QString &key, bool required) const
{
    LString result;
    const Entry *entry = find(key);
    if (!entry) {
        if (required)
            missing(key);
        return result;
    }
    const YAML::Node &node = entry->value;
    if (!node.IsScalar() || isNullNode(node)) {
        wrongKind(key, node, QStringLiteral("text"));
        return result;
    }
    return locatedText(node); // inside the quotes, so offsets into the text line up
}

Located<double> YamlMap::number(const QString &key, bool required) const
{
    Located<double> result;
    const LString t = text(key, required);
    if (!t.present)
        return result;
    const auto v = isPlainScalar(value(key)) ? plainNumber(t.value) : std::nullopt;
    if (!v) {
        wrongKind(key, value(key), QStringLiteral("a number"));
        return result;
    }
    return {*v, t.pos, true};
}

Located<int> YamlMap::integer(const QString &key, bool required) const
{
    Located<int> result;
    const Located<double> n = number(key, required);
    if (!n.present)
        return result;
    if (n.value != std::floor(n.value) || std::abs(n.value) > 1e9) {
        wrongKind(key, value(key), QStringLiteral("a whole number"));
        return result;
    }
    return {int(n.value), n.pos, true};
}

Located<bool> YamlMap::boolean(const QString &key) const
{
    Located<bool> result;
    const LString t = text(key);
    if (!t.present)
        return result;
    const auto b = isPlainScalar(value(key)) ? plainBool(t.value) : std::nullopt;
    if (!b) {
        wrongKind(key, value(key), QStringLiteral("true or false"));
        return result;
    }
    return {*b, t.pos, true};
}

LDuration YamlMap::duration(const QString &key, bool required) const
{
    LDuration result;
    const LString t = text(key, required);
    if (!t.present)
        return result;
    const auto d = parseDuration(t.value);
    if (!d) {
        m_sink.error(t.pos, QStringLiteral("'%1' in %2 is not a duration: '%3'; expected a number "
                                           "and a unit ms, s, m, h or d, like 500ms, 90s or 5m")
                                .arg(key, m_what, t.value));
        return result;
    }
    return {*d, t.pos, true};
}

QList<LString> YamlMap::textList(const QString &key, bool required) const
{
    QList<LString> result;
    const Entry *entry = find(key);
    if (!entry) {
        if (required)
            missing(key);
        return result;
    }
    if (!entry->value.IsSequence()) {
        wrongKind(key, entry->value, QStringLiteral("a list of text"));
        return result;
    }
    for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
        const YAML::Node &item = *it;
        if (!item.IsScalar() || isNullNode(item)) {
            m_sink.error(isNullNode(item) ? positionOf(entry->keyNode) : positionOf(item),
                         QStringLiteral("items of '%1' in %2 must be text, not %3")
                             .arg(key, m_what, kindOf(item)));
            continue;
        }
        result.append(locatedText(item));
    }
    return result;
}

Located<QJsonValue> YamlMap::json(const QString &key, bool required) const
{
    Located<QJsonValue> result;
    const Entry *entry = find(key);
    if (!entry) {
        if (required)
            missing(key);
        return result;
    }
    reportDuplicateKeysWithin(entry->value, QStringLiteral("'%1' of %2").arg(key, m_what), m_sink);
    return {yamlToJson(entry->value), positionOf(entry->value), true};
}

} // namespace runlane
