#pragma once

#include "engine/playbook/diagnostic_sink.h"
#include "engine/playbook/playbook.h"

#include <yaml-cpp/yaml.h>

#include <QJsonValue>
#include <QStringList>

namespace runlane {

// One YAML map read for the loader: checks that the node is a map, reports duplicate keys (both
// positions) and unknown keys (with a suggestion), and hands out values by key. Read-only: it never
// uses yaml-cpp's inserting operator[].
class YamlMap
{
public:
    struct Entry
    {
        QString key;
        YAML::Node keyNode;
        YAML::Node value;
    };

    // `what` names the map in messages ("step 'first'", "the playbook"). With an empty `allowed`
    // list every key is accepted (maps of user-chosen names).
    YamlMap(const YAML::Node &node, QString what, const QStringList &allowed, DiagnosticSink &sink);

    bool isMap() const { return m_isMap; }
    const QString &what() const { return m_what; }
    SourcePos pos() const { return m_pos; }
    DiagnosticSink &sink() const { return m_sink; }

    bool has(const QString &key) const;
    YAML::Node value(const QString &key) const; // an undefined node when absent
    SourcePos keyPos(const QString &key) const;
    const QList<Entry> &entries() const { return m_entries; } // first occurrence of each key

    // Typed readers: report a missing required key or a value of the wrong kind, and return what
    // could be read (with `present` false when absent or wrong).
    LString text(const QString &key, bool required = false) const;
    Located<double> number(const QString &key, bool required = false) const;
    Located<int> integer(const QString &key, bool required = false) const;
    Located<bool> boolean(const QString &key) const;
    LDuration duration(const QString &key, bool required = false) const;
    QList<LString> textList(const QString &key, bool required = false) const;
    Located<QJsonValue> json(const QString &key, bool required = false) const;

    void missing(const QString &key) const;
    void wrongKind(const QString &key, const YAML::Node &node, const QString &expected) const;

private:
    const Entry *find(const QString &key) const;

    QString m_what;
    DiagnosticSink &m_sink;
    SourcePos m_pos;
    bool m_isMap = false;
    QList<Entry> m_entries;
};

// Reports a key given twice in one map, at both places ("duplicate key" and "given again").
void reportDuplicateKey(const QString &key, const QString &what, const YAML::Node &first,
                        const YAML::Node &again, DiagnosticSink &sink);
// The same for every map nested in a free-form value (a request body, a `with` value), which is
// read as JSON, where a later key would silently replace the first.
void reportDuplicateKeysWithin(const YAML::Node &node, const QString &what, DiagnosticSink &sink);

// What a node is, in words, for messages: "a map", "a list", "text", "null".
QString kindOf(const YAML::Node &node);
bool isPlainScalar(const YAML::Node &node);
bool isNullNode(const YAML::Node &node);
QString scalarText(const YAML::Node &node);
// A scalar's text with the position where the text starts: inside the quotes of a quoted scalar,
// past the `|` or `>` of a block scalar.
LString locatedText(const YAML::Node &node);
// Every scalar in `node` that yamlToJson() makes a string, in document order.
void collectTexts(const YAML::Node &node, QList<LString> &texts);

// How yamlToJson() types a plain scalar that reads as a number.
enum class PlainNumbers {
    Numbers,
    // A number whose written form would not come back when the value is put in a path or text
    // (`version: 2.0` would be sent as "2", `1.10` as "1.1", `007` as "7") stays the text as
    // written: `with:` values end up in URLs and bodies.
    KeepWrittenForm,
};

// A YAML value as JSON with YAML 1.2 core-schema typing of plain scalars (quoted stays a string).
QJsonValue yamlToJson(const YAML::Node &node, PlainNumbers numbers = PlainNumbers::Numbers);
// Typed scalars, YAML 1.2 core schema; nullopt when the text is not of that type.
std::optional<double> plainNumber(const QString &text);
std::optional<bool> plainBool(const QString &text);

} // namespace runlane
