#pragma once

#include "engine/playbook/diagnostic_sink.h"
#include "engine/playbook/yaml_limits.h"

#include <yaml-cpp/yaml.h>

#include <QByteArray>
#include <QList>

#include <optional>

namespace runlane {

// Parses one YAML document safely: size, encoding and binary checks before parsing, yaml-cpp errors
// as positioned diagnostics, depth and (alias-expanded) node count bounded after. Returns the root
// node, or nothing with the reason in `sink`.
std::optional<YAML::Node> parseYamlDocument(const QByteArray &text, DiagnosticSink &sink,
                                            const YamlLimits &limits = {});

// Reads a file and parses it; a file over the size limit is refused before it is read whole.
std::optional<YAML::Node> parseYamlFile(const QString &path, QByteArray *text, DiagnosticSink &sink,
                                        const YamlLimits &limits = {});

SourcePos positionOf(const YAML::Node &node);

// Where a character of a scalar's text stands in the file, for errors found inside an expression
// or a template. `scalar.pos` is where its text starts (past the opening quote, or past the `|`
// or `>` of a block scalar); the scalar is walked as written (escapes, '' in single quotes,
// folded lines, block indentation), so that the position points at the character itself.
// Columns count UTF-8 bytes, like every position yaml-cpp gives.
class ScalarPositions
{
public:
    explicit ScalarPositions(QByteArray source);

    // `offset` is a QString index into scalar.value.
    SourcePos at(const SourcePos &start, qsizetype offset) const;

private:
    qsizetype indexOf(SourcePos pos) const; // -1 when not in the source
    SourcePos positionAtIndex(qsizetype index) const;
    int lineBreakAt(qsizetype index) const; // bytes of a line break there: 0, 1 or 2
    SourcePos inBlock(qsizetype header, qsizetype offset) const;

    QByteArray m_source;
    QList<qsizetype> m_lineStarts;
};

} // namespace runlane
