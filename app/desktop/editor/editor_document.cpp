#include "app/desktop/editor/editor_document.h"

#include "app/desktop/editor/code_editor.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace runlane::desktop {

EditorDocument::EditorDocument(CodeEditor *editor, QObject *parent)
    : QObject(parent)
    , m_editor(editor)
    , m_watcher(new QFileSystemWatcher(this))
{
    connect(m_editor->document(), &QTextDocument::modificationChanged, this,
            &EditorDocument::modificationChanged);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &EditorDocument::onFileChanged);
}

std::optional<QString> EditorDocument::load(const QString &path)
{
    const auto bytes = readWholeFile(path);
    if (const auto *error = std::get_if<QString>(&bytes))
        return *error;
    const auto decoded = decodeEditorFile(std::get<QByteArray>(bytes));
    if (const auto *error = std::get_if<QString>(&decoded))
        return tr("cannot edit %1: %2").arg(QFileInfo(path).fileName(), *error);
    m_format = std::get<EditorFile>(decoded);
    m_diskBytes = std::get<QByteArray>(bytes);
    m_editor->setDiagnostics({}); // those of the old text would end up on its first line
    m_editor->setPlainText(m_format.text);
    m_editor->document()->setModified(false);
    if (m_path != path) {
        m_path = path;
        Q_EMIT pathChanged(m_path);
    }
    watch();
    return std::nullopt;
}

std::optional<QString> EditorDocument::save()
{
    // Never over a change another program made since the file was read here: the author picks
    // Reload or Keep Mine first (the editor offers both as soon as the change is seen).
    if (QFileInfo::exists(m_path)) {
        const auto now = readWholeFile(m_path);
        if (const auto *read = std::get_if<QByteArray>(&now); read && *read != m_diskBytes)
            return tr("%1 was changed by another program since it was read here. Reload it, or "
                      "choose Keep Mine, then save.")
                .arg(fileName());
    }
    return write();
}

std::optional<QString> EditorDocument::write()
{
    const QByteArray out = bytes();
    if (auto error = writeWholeFile(m_path, out))
        return error;
    m_diskBytes = out;
    m_editor->document()->setModified(false);
    watch(); // an atomic write replaced the file the watch was on
    return std::nullopt;
}

std::optional<QString> EditorDocument::saveAs(const QString &path)
{
    const QString old = m_path;
    m_path = path;
    if (auto error = write()) { // the file dialog asked before replacing another file
        m_path = old;
        return error;
    }
    if (old != path) {
        if (!old.isEmpty())
            m_watcher->removePath(old);
        Q_EMIT pathChanged(m_path);
    }
    return std::nullopt;
}

std::optional<QString> EditorDocument::revert()
{
    const auto bytes = readWholeFile(m_path);
    if (const auto *error = std::get_if<QString>(&bytes))
        return *error;
    const auto decoded = decodeEditorFile(std::get<QByteArray>(bytes));
    if (const auto *error = std::get_if<QString>(&decoded))
        return tr("cannot edit %1: %2").arg(fileName(), *error);
    m_format = std::get<EditorFile>(decoded);
    m_diskBytes = std::get<QByteArray>(bytes);
    const int line = m_editor->textCursor().blockNumber();
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(m_format.text);
    cursor.endEditBlock();
    m_editor->document()->setModified(false);
    // Stay near where the author was rather than at the end of the inserted text.
    const QTextBlock block = m_editor->document()->findBlockByNumber(
        std::min(line, m_editor->document()->blockCount() - 1));
    QTextCursor at(block);
    m_editor->setTextCursor(at);
    m_editor->centerCursor();
    watch();
    return std::nullopt;
}

void EditorDocument::keepMine()
{
    const auto bytes = readWholeFile(m_path);
    if (const auto *read = std::get_if<QByteArray>(&bytes))
        m_diskBytes = *read;
    watch();
}

QString EditorDocument::fileName() const
{
    return QFileInfo(m_path).fileName();
}

QString EditorDocument::text() const
{
    // The raw text: toPlainText() would turn non-breaking spaces into spaces.
    QString text = m_editor->document()->toRawText();
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    return text;
}

QByteArray EditorDocument::bytes() const
{
    EditorFile file = m_format;
    file.text = text();
    return file.encoded();
}

bool EditorDocument::isModified() const
{
    return m_editor->document()->isModified();
}

void EditorDocument::watch()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_path.isEmpty() && QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
}

void EditorDocument::onFileChanged()
{
    const bool exists = QFileInfo::exists(m_path);
    if (exists) {
        const auto bytes = readWholeFile(m_path);
        const auto *read = std::get_if<QByteArray>(&bytes);
        // Our own save, or a touch that changed nothing, is not news.
        if (read && *read == m_diskBytes) {
            watch();
            return;
        }
    }
    watch();
    Q_EMIT changedOnDisk(exists);
}

} // namespace runlane::desktop
