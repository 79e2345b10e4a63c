#pragma once

#include <QPalette>
#include <QString>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <array>

namespace runlane::desktop {

// What a stretch of playbook YAML is, as the highlighter colours it.
enum class YamlToken {
    Key,            // a mapping key: before `:` at the start of a line, after `- `, in `{…}`
    String,         // a quoted scalar
    Literal,        // a number, true, false, null, ~
    Comment,        // `#` to the end of the line, outside quotes
    Template,       // `{{ … }}` and `${env:…}`, filled in by Runlane when it runs
    Dash,           // a block sequence's `-`
    BlockIndicator, // `|` or `>` (with `-`, `+` or an indentation digit) opening a block scalar
    BlockText,      // a block scalar's lines
    DocumentMarker, // `---` and `...`
};
inline constexpr int yamlTokenCount = int(YamlToken::DocumentMarker) + 1;

// "key", "string", …: for tests and debugging.
QString toString(YamlToken token);

// The format property that names the token a format is for (an int of YamlToken), so that tests
// and tools read what was recognised without matching colours.
inline constexpr int yamlTokenProperty = QTextFormat::UserProperty + 1;

// Colours playbook YAML one line at a time, in time linear in the line's length. The only state
// carried from line to line is an open block scalar: the block state is the indentation its text
// must exceed (-1 outside one), so typing re-colours the lines below only when that changes.
class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit YamlHighlighter(QTextDocument *doc);

    // Picks the colours for the application's palette, or for `palette`: one set for light
    // palettes, one for dark ones (runlane::desktop::isDark). Re-colours the document when the
    // set changes; choosing the same set again costs nothing.
    void refreshColors();
    void refreshColors(const QPalette &palette);

    bool isDarkColors() const { return m_dark; }
    QTextCharFormat tokenFormat(YamlToken token) const { return m_formats.at(int(token)); }

protected:
    void highlightBlock(const QString &text) override;

private:
    void setColors(bool dark);

    bool m_dark = false;
    std::array<QTextCharFormat, yamlTokenCount> m_formats;
};

} // namespace runlane::desktop
