#include "app/desktop/export_dialogs.h"

#include "app/shared/journal_location.h"
#include "app/shared/postmortem_files.h"
#include "engine/export/diagram_export.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace runlane::desktop {

namespace {

const QString folderKey = QStringLiteral("export/folder");

QString tr(const char *text)
{
    return QCoreApplication::translate("runlane::desktop::ExportDialogs", text);
}

// Writing a large PDF or laying out a large diagram holds the window for a moment.
class WaitCursor
{
public:
    WaitCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
    ~WaitCursor() { QApplication::restoreOverrideCursor(); }
    WaitCursor(const WaitCursor &) = delete;
    WaitCursor &operator=(const WaitCursor &) = delete;
};

// One entry of a save dialog's type list; the first suffix is the one a name gets.
struct FileKind
{
    QString label;
    QStringList suffixes;

    QString filter() const
    {
        QStringList patterns;
        for (const QString &suffix : suffixes)
            patterns << QStringLiteral("*.") + suffix;
        return QStringLiteral("%1 (%2)").arg(label, patterns.join(QLatin1Char(' ')));
    }
};

const FileKind *kindOfSuffix(const QList<FileKind> &kinds, const QString &suffix)
{
    for (const FileKind &kind : kinds) {
        if (kind.suffixes.contains(suffix.toLower()))
            return &kind;
    }
    return nullptr;
}

const FileKind &kindOfFilter(const QList<FileKind> &kinds, const QString &filter)
{
    for (const FileKind &kind : kinds) {
        if (kind.filter() == filter)
            return kind;
    }
    return kinds.constFirst();
}

QString lastFolder()
{
    const QString folder = QSettings().value(folderKey).toString();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        return folder;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return documents.isEmpty() ? QDir::homePath() : documents;
}

// Asks where to save, in the folder used last; the name's suffix follows the type chosen in the
// list. Returns the file, or an empty string when cancelled.
QString askSaveFile(QWidget *parent, const QString &caption, const QString &name,
                    const QList<FileKind> &kinds)
{
    QFileDialog dialog(parent, caption, lastFolder());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    QStringList filters;
    for (const FileKind &kind : kinds)
        filters << kind.filter();
    dialog.setNameFilters(filters);
    const FileKind *proposed = kindOfSuffix(kinds, QFileInfo(name).suffix());
    const FileKind &initial = proposed ? *proposed : kinds.constFirst();
    dialog.selectNameFilter(initial.filter());
    dialog.setDefaultSuffix(initial.suffixes.constFirst());
    dialog.selectFile(name);
    QObject::connect(&dialog, &QFileDialog::filterSelected, &dialog,
                     [&dialog, &kinds](const QString &filter) {
                         const FileKind &kind = kindOfFilter(kinds, filter);
                         dialog.setDefaultSuffix(kind.suffixes.constFirst());
                         const QFileInfo typed(dialog.selectedFiles().value(0));
                         if (typed.fileName().isEmpty() || typed.isDir())
                             return;
                         // A name of another offered type (or of none) becomes one of this type.
                         if (typed.suffix().isEmpty() || kindOfSuffix(kinds, typed.suffix()))
                             dialog.selectFile(typed.completeBaseName() + QLatin1Char('.') +
                                               kind.suffixes.constFirst());
                     });
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    QString file = dialog.selectedFiles().constFirst();
    if (!kindOfSuffix(kinds, QFileInfo(file).suffix())) {
        // The dialog asked about replacing the name as typed, not this one.
        file += QLatin1Char('.') +
                kindOfFilter(kinds, dialog.selectedNameFilter()).suffixes.constFirst();
        if (QFileInfo::exists(file) &&
            QMessageBox::question(
                parent, caption,
                tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(file))) !=
                QMessageBox::Yes)
            return {};
    }
    QSettings().setValue(folderKey, QFileInfo(file).absolutePath());
    return file;
}

QString cannotWrite(const QString &file, const QString &why)
{
    return tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(file), why);
}

} // namespace

QString suggestedIncidentFileName(const IncidentRecord &incident)
{
    // ASCII letters and digits, lower case, runs of anything else as one dash; accents dropped.
    const QString title = incident.title.normalized(QString::NormalizationForm_KD);
    QString slug;
    bool gap = false;
    for (const QChar c : title) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        if (c.unicode() < 128 && c.isLetterOrNumber()) {
            if (gap && !slug.isEmpty())
                slug += QLatin1Char('-');
            slug += c.toLower();
            gap = false;
        } else {
            gap = true;
        }
    }
    constexpr qsizetype longest = 48;
    if (slug.size() > longest) {
        slug.truncate(longest);
        if (const qsizetype dash = slug.lastIndexOf(QLatin1Char('-')); dash > longest / 2)
            slug.truncate(dash);
    }
    const QString when = QDateTime::fromMSecsSinceEpoch(incident.startedAtMs)
                             .toString(QStringLiteral("yyyyMMdd-HHmm"));
    return slug.isEmpty() ? QStringLiteral("incident-%1.md").arg(when)
                          : QStringLiteral("incident-%1-%2.md").arg(slug, when);
}

std::optional<QString> writeIncidentExport(const QString &journalPath, const QString &incidentId,
                                           const QString &file)
{
    const std::optional<PostmortemFormat> format = postmortemFormatOfFile(file);
    if (!format)
        return tr("%1: name the file .md, .html, .json or .pdf to choose the format")
            .arg(QDir::toNativeSeparators(file));
    const auto read = readJournalIncident(journalPath, incidentId);
    if (const auto *error = std::get_if<QString>(&read))
        return *error;
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return cannotWrite(file, out.errorString());
    if (const auto error = writePostmortem(std::get<IncidentJournal>(read), *format, out))
        return cannotWrite(file, *error);
    if (!out.commit())
        return cannotWrite(file, out.errorString());
    return std::nullopt;
}

std::optional<QString> writeDiagramFile(const DiagramPainter &painter, const QString &file,
                                        const QString &title)
{
    DiagramExportOptions options;
    options.title = title;
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == u"svg") {
        options.format = DiagramFormat::Svg;
    } else if (suffix == u"png") {
        options.format = DiagramFormat::Png;
        options.scale = 2; // sharp on a HiDPI screen and in print
    } else {
        return tr("%1: name the file .svg or .png to choose the format")
            .arg(QDir::toNativeSeparators(file));
    }
    DiagramPainter document = painter;
    DiagramOverlay overlay = painter.overlay();
    overlay.selected.clear();
    document.setOverlay(overlay);
    document.setPalette(DiagramPalette::light());
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return cannotWrite(file, out.errorString());
    if (const auto error = exportDiagram(document, options, out))
        return cannotWrite(file, *error);
    if (!out.commit())
        return cannotWrite(file, out.errorString());
    return std::nullopt;
}

QString exportIncident(QWidget *parent, const QString &journalPath, const QString &incidentId)
{
    const QString caption = tr("Export Incident");
    std::variant<IncidentJournal, QString> read;
    {
        const WaitCursor wait;
        read = readJournalIncident(journalPath, incidentId);
    }
    if (const auto *error = std::get_if<QString>(&read)) {
        QMessageBox::warning(parent, caption, *error);
        return {};
    }
    const QString name = suggestedIncidentFileName(std::get<IncidentJournal>(read).incident);
    const QList<FileKind> kinds{
        {tr("Markdown"), {QStringLiteral("md"), QStringLiteral("markdown")}},
        {tr("HTML, self-contained"), {QStringLiteral("html"), QStringLiteral("htm")}},
        {tr("JSON"), {QStringLiteral("json")}},
        {tr("PDF"), {QStringLiteral("pdf")}}};
    const QString file = askSaveFile(parent, caption, name, kinds);
    if (file.isEmpty())
        return {};
    std::optional<QString> error;
    {
        const WaitCursor wait;
        error = writeIncidentExport(journalPath, incidentId, file);
    }
    if (error) {
        QMessageBox::warning(parent, caption, *error);
        return {};
    }
    return file;
}

QString exportDiagram(QWidget *parent, const DiagramPainter &painter, const QString &suggestedName)
{
    const DiagramPainter copy = painter;
    const QString caption = tr("Export Diagram");
    const QList<FileKind> kinds{{tr("SVG image"), {QStringLiteral("svg")}},
                                {tr("PNG image"), {QStringLiteral("png")}}};
    QString name = suggestedName.isEmpty() ? QStringLiteral("diagram") : suggestedName;
    if (!kindOfSuffix(kinds, QFileInfo(name).suffix()))
        name += QStringLiteral(".svg");
    const QString file = askSaveFile(parent, caption, name, kinds);
    if (file.isEmpty())
        return {};
    std::optional<QString> error;
    {
        const WaitCursor wait;
        error = writeDiagramFile(copy, file, QFileInfo(name).completeBaseName());
    }
    if (error) {
        QMessageBox::warning(parent, caption, *error);
        return {};
    }
    return file;
}

} // namespace runlane::desktop
