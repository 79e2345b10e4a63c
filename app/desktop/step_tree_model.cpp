#include "app/desktop/step_tree_model.h"

#include "app/desktop/step_text.h"
#include "app/desktop/theme.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>

namespace runlane::desktop {

namespace {

// Lane rows carry 0 as internal id, step rows their lane group's index + 1.
constexpr quintptr laneRowId = 0;

} // namespace

StepTreeModel::StepTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void StepTreeModel::setPlaybook(PlaybookPtr playbook)
{
    beginResetModel();
    m_playbook = std::move(playbook);
    m_groups.clear();
    if (m_playbook) {
        for (const Lane &lane : m_playbook->lanes) {
            const QString title = lane.title.value.isEmpty() ? lane.id.value : lane.title.value;
            m_groups.append({lane.id.value, title, true, {}});
        }
        for (qsizetype i = 0; i < m_playbook->steps.size(); ++i) {
            const QString laneId = m_playbook->laneOf(m_playbook->steps.at(i));
            auto group = std::find_if(m_groups.begin(), m_groups.end(),
                                      [&laneId](const LaneGroup &g) { return g.laneId == laneId; });
            if (group == m_groups.end()) {
                m_groups.append({laneId, laneId, false, {}});
                group = m_groups.end() - 1;
            }
            group->steps.append(i);
        }
        m_groups.removeIf([](const LaneGroup &g) { return g.steps.isEmpty(); });
    }
    endResetModel();
}

const Step *StepTreeModel::step(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) ||
        index.internalId() == laneRowId)
        return nullptr;
    const LaneGroup &group = m_groups.at(qsizetype(index.internalId() - 1));
    return &m_playbook->steps.at(group.steps.at(index.row()));
}

QModelIndex StepTreeModel::indexOfStep(const QString &stepId, int column) const
{
    for (qsizetype g = 0; g < m_groups.size(); ++g) {
        const QList<qsizetype> &steps = m_groups.at(g).steps;
        for (qsizetype row = 0; row < steps.size(); ++row) {
            if (m_playbook->steps.at(steps.at(row)).id.value == stepId)
                return createIndex(int(row), column, quintptr(g + 1));
        }
    }
    return {};
}

QModelIndex StepTreeModel::indexOfLane(const QString &laneId) const
{
    for (qsizetype g = 0; g < m_groups.size(); ++g) {
        if (m_groups.at(g).laneId == laneId)
            return createIndex(int(g), 0, laneRowId);
    }
    return {};
}

QModelIndex StepTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, laneRowId);
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex StepTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == laneRowId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, laneRowId);
}

int StepTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != laneRowId || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).steps.size());
}

int StepTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant StepTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == laneRowId)
        return laneData(m_groups.at(index.row()), index.column(), role);
    const LaneGroup &group = m_groups.at(qsizetype(index.internalId() - 1));
    return stepData(*step(index), group.laneId, index.column(), role);
}

QVariant StepTreeModel::laneData(const LaneGroup &group, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (column != TitleColumn)
            return {};
        if (!group.declared)
            return tr("%1 (not a declared lane) · %2")
                .arg(group.title, StepText::steps(int(group.steps.size())));
        return tr("%1 · %2").arg(group.title, StepText::steps(int(group.steps.size())));
    case Qt::ToolTipRole:
        return tr("Lane %1").arg(group.laneId);
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    // A band per lane, like the lanes of the diagram; its own text colour keeps it readable on
    // dark themes.
    case Qt::BackgroundRole:
        if (isDarkTheme())
            return group.declared ? QColor(0x1f, 0x2d, 0x40) : QColor(0x40, 0x22, 0x1f);
        return group.declared ? QColor(0xe3, 0xeb, 0xf5) : QColor(0xfd, 0xec, 0xea);
    case Qt::ForegroundRole:
        if (isDarkTheme())
            return group.declared ? QColor(0xd6, 0xe4, 0xf5) : QColor(0xf8, 0xc9, 0xc3);
        return group.declared ? QColor(0x1d, 0x35, 0x57) : QColor(0x61, 0x1a, 0x15);
    case LaneIdRole:
        return group.laneId;
    case IsLaneRole:
        return true;
    case IsStartRole:
        return false;
    default:
        return {};
    }
}

QVariant StepTreeModel::stepData(const Step &s, const QString &laneId, int column, int role) const
{
    const bool isStart = m_playbook->start.value == s.id.value;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TitleColumn: {
            const QString title = s.title.value.simplified();
            const QString shown = title.isEmpty() ? tr("(untitled)") : title;
            return isStart ? tr("▶ %1").arg(shown) : shown;
        }
        case IdColumn:
            return s.id.value;
        case TypeColumn:
            return toString(s.type.value);
        case WaysColumn:
            return StepText::ways(s);
        }
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case TitleColumn:
            return isStart ? tr("%1\n(the first step)").arg(s.title.value) : s.title.value;
        case WaysColumn:
            return StepText::ways(s);
        }
        return {};
    case Qt::FontRole:
        if (column == IdColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::TextAlignmentRole:
        // Top-aligned, so that a row with several ways still reads as one line of facts.
        return int(Qt::AlignLeft | Qt::AlignTop);
    case StepIdRole:
        return s.id.value;
    case LaneIdRole:
        return laneId;
    case IsLaneRole:
        return false;
    case IsStartRole:
        return isStart;
    default:
        return {};
    }
}

QVariant StepTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TitleColumn:
        return tr("Step");
    case IdColumn:
        return tr("Id");
    case TypeColumn:
        return tr("Type");
    case WaysColumn:
        return tr("Leads to");
    }
    return {};
}

} // namespace runlane::desktop
