#pragma once

#include "app/desktop/editor/editor_file.h"

#include <QObject>

#include <optional>

class QFileSystemWatcher;

namespace runlane::desktop {

class CodeEditor;

// One file open in the editor: its text in a CodeEditor, how to write it back byte for byte, and
// a watch on the file, so that a change made by another program is noticed.
class EditorDocument : public QObject
{
    Q_OBJECT

public:
    explicit EditorDocument(CodeEditor *editor, QObject *parent = nullptr);

    // Reads `path` into the editor (the undo history starts afresh); the error names the file.
    std::optional<QString> load(const QString &path);
    std::optional<QString> save();
    // Writes to `path` and goes on with it as the document's file.
    std::optional<QString> saveAs(const QString &path);
    // Reads the file again into the editor as one edit, so that Undo brings the text back.
    std::optional<QString> revert();
    // The change on disk is kept out: not offered again until the file changes once more.
    void keepMine();

    CodeEditor *editor() const { return m_editor; }
    QString path() const { return m_path; }
    QString fileName() const;
    QString text() const;     // '\n' line ends, as the validator reads it
    QByteArray bytes() const; // what save() writes
    bool isModified() const;

Q_SIGNALS:
    // Another program changed (or removed) the file since it was read or saved here.
    void changedOnDisk(bool exists);
    void modificationChanged(bool modified);
    void pathChanged(const QString &path);

private:
    std::optional<QString> write();
    void watch();
    void onFileChanged();

    CodeEditor *m_editor;
    QFileSystemWatcher *m_watcher;
    QString m_path;
    EditorFile m_format;    // byte order mark and line ends of the file
    QByteArray m_diskBytes; // the file's bytes as last read or written here
};

} // namespace runlane::desktop
