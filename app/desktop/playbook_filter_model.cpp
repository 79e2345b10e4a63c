#include "app/desktop/playbook_filter_model.h"

#include "app/desktop/playbook_list_model.h"

#include <algorithm>

namespace runlane::desktop {

PlaybookFilterModel::PlaybookFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(PlaybookListModel::SortKeyRole);
    setDynamicSortFilter(true);
    sort(0);
}

void PlaybookFilterModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    m_words = query.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

bool PlaybookFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QStringList terms = index.data(PlaybookListModel::SearchTermsRole).toStringList();
    return std::all_of(m_words.cbegin(), m_words.cend(), [&terms](const QString &word) {
        return std::any_of(terms.cbegin(), terms.cend(), [&word](const QString &term) {
            return term.contains(word, Qt::CaseInsensitive);
        });
    });
}

} // namespace runlane::desktop
