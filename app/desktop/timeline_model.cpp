#include "app/desktop/timeline_model.h"

#include "engine/export/postmortem.h"

#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace runlane::desktop {

namespace {

// A person's answer that changed the way of the walk: shown bold.
bool isDecision(EventKind kind)
{
    switch (kind) {
    case EventKind::DecisionMade:
    case EventKind::ChoiceMade:
    case EventKind::ActionConfirmed:
    case EventKind::ActionSkipped:
        return true;
    default:
        return false;
    }
}

// Copied text stays one line a cell: tabs and line breaks would split the table.
QString oneLine(QString text)
{
    for (QChar &c : text) {
        if (c == u'\t' || c == u'\n' || c == u'\r')
            c = u' ';
    }
    return text;
}

} // namespace

QString TimelineModel::automatedActor()
{
    return QStringLiteral("runlane");
}

TimelineModel::TimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TimelineModel::setPlaybook(PlaybookPtr playbook)
{
    m_playbook = std::move(playbook);
    rebuildLanes();
    // Lane and step names change, and with them what is searched and copied in every column.
    if (!m_events.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void TimelineModel::append(const Event &event)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_events.append(event);
    endInsertRows();
    noteLaneOf(event);
}

void TimelineModel::setEvents(QList<Event> events)
{
    beginResetModel();
    m_events = std::move(events);
    endResetModel();
    rebuildLanes();
}

void TimelineModel::clear()
{
    setEvents({});
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TimelineModel::laneTitle(const QString &laneId) const
{
    if (m_playbook) {
        if (const Lane *lane = m_playbook->lane(laneId); lane && !lane->title.value.isEmpty())
            return lane->title.value.simplified();
    }
    return laneId;
}

QString TimelineModel::stepTitle(const QString &stepId) const
{
    if (m_playbook) {
        if (const Step *step = m_playbook->step(stepId); step && !step->title.value.isEmpty())
            return step->title.value.simplified();
    }
    return stepId;
}

QString TimelineModel::elapsedText(qint64 ms)
{
    const bool negative = ms < 0;
    const qint64 s = (negative ? -ms : ms) / 1000;
    const QChar sign = negative ? u'-' : u'+';
    const auto two = [](qint64 n) { return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0')); };
    if (s >= 3600)
        return sign + QString::number(s / 3600) + u':' + two(s / 60 % 60) + u':' + two(s % 60);
    return sign + two(s / 60) + u':' + two(s % 60);
}

QString TimelineModel::displayText(const Event &event, int column) const
{
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(event.utcMs, Qt::UTC)
            .toString(QStringLiteral("HH:mm:ss"));
    case ElapsedColumn:
        return elapsedText(event.utcMs - m_events.constFirst().utcMs);
    case LaneColumn:
        return laneTitle(event.lane);
    case StepColumn:
        return stepTitle(event.stepId);
    case EventColumn:
        return eventTitle(event.kind);
    case WhoColumn:
        return event.actor;
    case WhatColumn:
        return event.text;
    default:
        return {};
    }
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &event = m_events.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayText(event, column);
    case Qt::ToolTipRole:
        switch (column) {
        case TimeColumn:
            return isoUtc(event.utcMs);
        case ElapsedColumn:
            return tr("%1 after the first event")
                .arg(formatElapsed(event.utcMs - m_events.constFirst().utcMs));
        case LaneColumn:
            return event.lane;
        case StepColumn:
            return event.stepId;
        case EventColumn:
            return toString(event.kind);
        case WhatColumn:
            return event.text; // elided in the view
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (event.actor == automatedActor())
            return QGuiApplication::palette().brush(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        // The event and its text: enough to catch the eye, and lane and step titles keep their
        // width.
        if (isDecision(event.kind) && (column == EventColumn || column == WhatColumn)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case KindRole:
        return int(event.kind);
    case LaneIdRole:
        return event.lane;
    case StepIdRole:
        return event.stepId;
    case AutomatedRole:
        return event.actor == automatedActor();
    case UtcMsRole:
        return event.utcMs;
    case ElapsedMsRole:
        return event.utcMs - m_events.constFirst().utcMs;
    case CopyTextRole:
        if (column == TimeColumn) // a copied timeline may span midnight: keep the date
            return QDateTime::fromMSecsSinceEpoch(event.utcMs, Qt::UTC)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        return oneLine(displayText(event, column));
    case SearchTextRole: {
        QString text;
        for (int c = 0; c < ColumnCount; ++c)
            text += displayText(event, c) + u'\n';
        return text + event.lane + u'\n' + event.stepId;
    }
    default:
        return {};
    }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TimeColumn:
            return tr("Time (UTC)");
        case ElapsedColumn:
            return tr("Elapsed");
        case LaneColumn:
            return tr("Lane");
        case StepColumn:
            return tr("Step");
        case EventColumn:
            return tr("Event");
        case WhoColumn:
            return tr("Who");
        case WhatColumn:
            return tr("What");
        default:
            break;
        }
    }
    if (role == Qt::ToolTipRole && section == ElapsedColumn)
        return tr("Time since the first event of the incident");
    return QAbstractTableModel::headerData(section, orientation, role);
}

QString TimelineModel::tabSeparated(const QAbstractItemModel &model, const QList<int> &rows)
{
    const int columns = model.columnCount();
    QStringList header;
    for (int c = 0; c < columns; ++c)
        header.append(oneLine(model.headerData(c, Qt::Horizontal).toString()));
    QString text = header.join(u'\t') + u'\n';
    for (const int row : rows) {
        QStringList cells;
        for (int c = 0; c < columns; ++c)
            cells.append(model.index(row, c).data(CopyTextRole).toString());
        text += cells.join(u'\t') + u'\n';
    }
    return text;
}

void TimelineModel::rebuildLanes()
{
    m_lanes.clear();
    if (m_playbook) {
        for (const Lane &lane : m_playbook->lanes)
            m_lanes.append({lane.id.value, laneTitle(lane.id.value)});
    }
    for (const Event &event : std::as_const(m_events)) {
        if (event.lane.isEmpty())
            continue;
        const bool known = std::any_of(m_lanes.cbegin(), m_lanes.cend(),
                                       [&event](const LaneName &l) { return l.id == event.lane; });
        if (!known)
            m_lanes.append({event.lane, laneTitle(event.lane)});
    }
    Q_EMIT lanesChanged();
}

void TimelineModel::noteLaneOf(const Event &event)
{
    if (event.lane.isEmpty())
        return;
    for (const LaneName &lane : std::as_const(m_lanes)) {
        if (lane.id == event.lane)
            return;
    }
    m_lanes.append({event.lane, laneTitle(event.lane)});
    Q_EMIT lanesChanged();
}

} // namespace runlane::desktop
