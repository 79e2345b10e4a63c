#pragma once

#include "engine/playbook/playbook.h"
#include "engine/session/event.h"

#include <QAbstractTableModel>
#include <QList>

namespace runlane::desktop {

// The events of one incident as they come, one row per event, oldest first. Lanes and steps are
// named by the playbook once it is set (setPlaybook), by their ids before. The roles give a filter
// what it needs without parsing display text. Runlane's own work shows muted, people's decisions
// bold.
class TimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,    // "22:13:20" (UTC); the full ISO time in the tooltip
        ElapsedColumn, // "+04:05" since the first event
        LaneColumn,
        StepColumn,
        EventColumn,
        WhoColumn,
        WhatColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        KindRole = Qt::UserRole + 1, // int (runlane::EventKind)
        LaneIdRole,
        StepIdRole,
        AutomatedRole, // bool: done by runlane itself, not by a person
        UtcMsRole,     // qint64
        ElapsedMsRole, // qint64, since the first event
        CopyTextRole,  // the cell as copied: one line, the time with its date
        SearchTextRole // what a free-text filter matches: the cell's text and the ids behind it
    };
    Q_ENUM(Role)

    struct LaneName
    {
        QString id;
        QString title;
    };

    // The actor of the walk's own work (checks, results, branches).
    static QString automatedActor();

    explicit TimelineModel(QObject *parent = nullptr);

    void setPlaybook(PlaybookPtr playbook);
    const PlaybookPtr &playbook() const { return m_playbook; }

    void append(const Event &event);
    void setEvents(QList<Event> events); // an incident read back from the journal
    void clear();
    const Event &event(int row) const { return m_events.at(row); }
    const QList<Event> &events() const { return m_events; }

    // The playbook's lanes in its order, then lanes the events name that it does not declare.
    const QList<LaneName> &lanes() const { return m_lanes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    QString laneTitle(const QString &laneId) const;
    QString stepTitle(const QString &stepId) const;
    // "+04:05", "+1:02:03"
    static QString elapsedText(qint64 ms);

    // Rows of `model` (a timeline or a proxy of one) as tab-separated text: a header line that
    // states the time zone, then one line per row, each ending with a newline.
    static QString tabSeparated(const QAbstractItemModel &model, const QList<int> &rows);

Q_SIGNALS:
    void lanesChanged();

private:
    QString displayText(const Event &event, int column) const;
    void rebuildLanes();
    void noteLaneOf(const Event &event);

    PlaybookPtr m_playbook;
    QList<Event> m_events;
    QList<LaneName> m_lanes;
};

} // namespace runlane::desktop
