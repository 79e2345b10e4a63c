#include "app/desktop/playbook_list_model.h"

#include "app/desktop/icons.h"
#include "app/desktop/step_text.h"

#include <QFileInfo>

namespace runlane::desktop {

namespace {

QStringList searchTermsOf(const LoadResult &entry)
{
    // The file's name, not its folder: every playbook in a folder would match the folder's words.
    QStringList terms{PlaybookListModel::titleOf(entry),
                      QFileInfo(PlaybookListModel::fileOf(entry)).fileName()};
    if (const PlaybookPtr &p = entry.playbook) {
        terms.append(p->id.value);
        for (const LString &tag : p->tags)
            terms.append(tag.value);
        for (const Trigger &trigger : p->triggers) {
            for (const auto &[key, value] : trigger.labels) {
                terms.append(value.value);
                terms.append(key.value + QLatin1Char('=') + value.value);
            }
        }
    }
    return terms;
}

} // namespace

PlaybookListModel::PlaybookListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void PlaybookListModel::setLibrary(Library library)
{
    beginResetModel();
    m_library = std::move(library);
    endResetModel();
}

const LoadResult *PlaybookListModel::entry(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return nullptr;
    return &m_library.entries.at(index.row());
}

QModelIndex PlaybookListModel::indexOfFile(const QString &file) const
{
    if (file.isEmpty())
        return {};
    for (qsizetype row = 0; row < m_library.entries.size(); ++row) {
        if (fileOf(m_library.entries.at(row)) == file)
            return index(int(row));
    }
    // The same file spelt differently (relative, through a link).
    const QString canonical = QFileInfo(file).canonicalFilePath();
    if (canonical.isEmpty())
        return {};
    for (qsizetype row = 0; row < m_library.entries.size(); ++row) {
        if (QFileInfo(fileOf(m_library.entries.at(row))).canonicalFilePath() == canonical)
            return index(int(row));
    }
    return {};
}

QModelIndex PlaybookListModel::indexOfId(const QString &id) const
{
    for (qsizetype row = 0; row < m_library.entries.size(); ++row) {
        const PlaybookPtr &p = m_library.entries.at(row).playbook;
        if (p && p->id.value == id)
            return index(int(row));
    }
    return {};
}

int PlaybookListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_library.entries.size());
}

QVariant PlaybookListModel::data(const QModelIndex &index, int role) const
{
    const LoadResult *e = entry(index);
    if (!e)
        return {};
    const int errors = countOf(e->diagnostics, Diagnostic::Severity::Error);
    const int warnings = countOf(e->diagnostics, Diagnostic::Severity::Warning);
    const Playbook *p = e->playbook.get();

    switch (role) {
    case Qt::DisplayRole:
        return titleOf(*e);
    case Qt::ToolTipRole: {
        QString tip = fileOf(*e);
        if (errors > 0)
            tip += QLatin1Char('\n') + tr("%1: cannot be run").arg(StepText::errors(errors));
        else if (warnings > 0)
            tip += QLatin1Char('\n') + StepText::warnings(warnings);
        return tip;
    }
    case Qt::DecorationRole:
        if (errors > 0)
            return Icons::error();
        if (warnings > 0)
            return Icons::warning();
        return {};
    case IdRole:
        return p ? p->id.value : QString();
    case FileRole:
        return fileOf(*e);
    case SeverityRole:
        return p ? QVariant(int(p->severity.value)) : QVariant();
    case SeverityTextRole:
        return p ? StepText::severity(p->severity.value) : QString();
    case ErrorCountRole:
        return errors;
    case WarningCountRole:
        return warnings;
    case ValidityTextRole:
        if (errors > 0)
            return StepText::errors(errors);
        if (warnings > 0)
            return StepText::warnings(warnings);
        return QString();
    case SearchTermsRole:
        return searchTermsOf(*e);
    case SortKeyRole:
        return titleOf(*e).toCaseFolded();
    default:
        return {};
    }
}

QHash<int, QByteArray> PlaybookListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "playbookId");
    names.insert(FileRole, "file");
    names.insert(SeverityRole, "severity");
    names.insert(SeverityTextRole, "severityText");
    names.insert(ErrorCountRole, "errorCount");
    names.insert(WarningCountRole, "warningCount");
    names.insert(ValidityTextRole, "validityText");
    names.insert(SearchTermsRole, "searchTerms");
    names.insert(SortKeyRole, "sortKey");
    return names;
}

QString PlaybookListModel::titleOf(const LoadResult &entry)
{
    if (entry.playbook && !entry.playbook->title.value.trimmed().isEmpty())
        return entry.playbook->title.value.simplified();
    if (entry.playbook && !entry.playbook->id.value.isEmpty())
        return entry.playbook->id.value;
    return QFileInfo(fileOf(entry)).fileName();
}

QString PlaybookListModel::fileOf(const LoadResult &entry)
{
    return entry.file;
}

} // namespace runlane::desktop
