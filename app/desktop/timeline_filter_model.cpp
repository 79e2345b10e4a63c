#include "app/desktop/timeline_filter_model.h"

#include "app/desktop/timeline_model.h"

#include <algorithm>

namespace runlane::desktop {

TimelineFilterModel::TimelineFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

void TimelineFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

void TimelineFilterModel::setLane(const QString &laneId)
{
    if (laneId == m_lane)
        return;
    m_lane = laneId;
    invalidateRowsFilter();
}

void TimelineFilterModel::setPeopleOnly(bool peopleOnly)
{
    if (peopleOnly == m_peopleOnly)
        return;
    m_peopleOnly = peopleOnly;
    invalidateRowsFilter();
}

bool TimelineFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_peopleOnly && index.data(TimelineModel::AutomatedRole).toBool())
        return false;
    if (!m_lane.isEmpty() && index.data(TimelineModel::LaneIdRole).toString() != m_lane)
        return false;
    if (m_words.isEmpty())
        return true;
    const QString text = index.data(TimelineModel::SearchTextRole).toString();
    return std::all_of(m_words.cbegin(), m_words.cend(), [&text](const QString &word) {
        return text.contains(word, Qt::CaseInsensitive);
    });
}

} // namespace runlane::desktop
