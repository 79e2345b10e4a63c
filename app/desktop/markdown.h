#pragma once

#include <QString>
#include <QTextDocument>

namespace runlane::desktop {

// Playbook text is the author's Markdown (GitHub dialect); raw HTML in it is shown as text, never
// rendered, so a playbook cannot restyle or hide parts of the app.
inline void setPlaybookMarkdown(QTextDocument *document, const QString &markdown)
{
    document->setMarkdown(markdown,
                          QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                                          QTextDocument::MarkdownNoHTML));
}

} // namespace runlane::desktop
