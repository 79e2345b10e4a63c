#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace runlane::desktop {

// Where the cursor is in playbook YAML, read from the text alone so that it works on half-typed
// text that does not parse. Reads the cursor's line, the lines above it up to its top-level key
// and, inside a step, that step's lines: never the whole document on a keystroke.
struct YamlCursorContext
{
    QString text; // the whole text (shared, not copied): completion scans it for names
    int position = 0;
    // Keys from the top to the map the cursor is in; "-" stands for a list item:
    // {"steps", "-", "with"} under a step's `with:`.
    QStringList path;
    bool inKey = false;        // typing a key; otherwise a value
    QString key;               // a value: the key it is the value of (a list item: the list's key)
    bool inListItem = false;   // a scalar item of a flow list: `tags: [a, |]`
    bool inScalarText = false; // inside a block scalar (`body: |`) or a multi-line value
    bool inComment = false;
    QString prefix;      // the word typed before the cursor (in a template: after the last dot)
    int prefixStart = 0; // where `prefix` starts in the text
    int wordEnd = 0;     // where the word the cursor is in ends: accepting replaces up to here
    bool inTemplate = false;
    QString templatePrefix;  // the dotted name typed so far inside `{{ `: "inputs.no"
    QStringList writtenKeys; // the other keys already written in the cursor's map (key position)
    // The step the cursor is in (path starts with steps, -), as far as it is written.
    QString stepId;
    QString stepType;
    QString stepCall;

    bool inStep() const;
    bool pathIs(std::initializer_list<QStringView> keys) const; // "*" matches any key
};

YamlCursorContext contextAt(const QString &text, int position);

// Reading YAML block structure one line at a time; shared with the completion's scans for names.
namespace yaml_lines {

struct Shape
{
    int indent = 0;     // column of the first non-space character
    int firstDash = -1; // column of the first `- ` item marker; -1 without
    int dashCount = 0;
    int content = 0;   // column after the item markers
    bool blank = true; // only spaces or a comment
};
Shape shapeOf(QStringView line);

struct Entry
{
    QStringView key;
    QStringView value; // as written, comment and quotes removed
};
// `key: value` at the start of a block line's content.
std::optional<Entry> blockEntry(QStringView content);
// The top-level entries of a flow map `{a: 1, b: {c: 2}}` (as far as written).
QList<Entry> flowMapEntries(QStringView text);
// A scalar as written, without a trailing comment or surrounding quotes.
QStringView scalarText(QStringView value);

// A line of the text, without its line break.
struct LineRange
{
    int start = 0;
    int end = 0;
};
LineRange lineAt(const QString &text, int position);
bool previousLine(const QString &text, LineRange &line); // false at the first line
bool nextLine(const QString &text, LineRange &line);     // false at the last line
inline QStringView lineText(const QString &text, LineRange line)
{
    return QStringView(text.constData() + line.start, line.end - line.start);
}

} // namespace yaml_lines

} // namespace runlane::desktop
