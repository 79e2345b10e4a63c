#include "app/desktop/editor/editor_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStringDecoder>

namespace runlane::desktop {

namespace {

const QByteArray utf8Bom("\xEF\xBB\xBF");

QString tr(const char *text)
{
    return QCoreApplication::translate("EditorFile", text);
}

} // namespace

QByteArray EditorFile::encoded() const
{
    QByteArray bytes = byteOrderMark ? utf8Bom : QByteArray();
    QByteArray body = text.toUtf8();
    if (crlf)
        body.replace("\n", "\r\n");
    return bytes + body;
}

std::variant<EditorFile, QString> decodeEditorFile(const QByteArray &bytes)
{
    EditorFile file;
    QByteArray body = bytes;
    if (body.startsWith(utf8Bom)) {
        file.byteOrderMark = true;
        body.remove(0, utf8Bom.size());
    }
    if (body.contains('\0'))
        return tr("it holds NUL bytes, so it is not a text file");
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(body);
    if (decoder.hasError())
        return tr("it is not UTF-8 text");
    // Line ends as most lines have them: the editor's text has one kind, so a file that mixes
    // CRLF and LF is written back with the ends most of its lines had.
    const qsizetype crlfs = body.count("\r\n");
    file.crlf = crlfs > 0 && crlfs * 2 >= body.count('\n');
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n')); // as the text editor would read it
    file.text = text;
    return file;
}

std::variant<QByteArray, QString> readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return file.readAll();
}

std::optional<QString> writeWholeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return std::nullopt;
}

} // namespace runlane::desktop
