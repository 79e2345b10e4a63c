#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <variant>

namespace runlane::desktop {

// A text file as the editor holds it, and what it needs to write the same bytes back: a byte
// order mark and CRLF line ends are taken off for editing and put back on save, so that a file
// saved with nothing changed is byte for byte what was read. (Not quite for a file that mixes
// CRLF and LF: it is written with the line ends most of its lines have.)
struct EditorFile
{
    QString text; // '\n' line ends
    bool byteOrderMark = false;
    bool crlf = false;

    QByteArray encoded() const;
};

// The bytes of a file as an EditorFile, or why they cannot be edited as text (not UTF-8, NUL
// bytes).
std::variant<EditorFile, QString> decodeEditorFile(const QByteArray &bytes);

// Reads a file whole; the error names it.
std::variant<QByteArray, QString> readWholeFile(const QString &path);
// Writes a file atomically (a crash leaves the old one whole); the error names it.
std::optional<QString> writeWholeFile(const QString &path, const QByteArray &bytes);

} // namespace runlane::desktop
