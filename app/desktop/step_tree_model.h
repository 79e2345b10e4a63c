#pragma once

#include "engine/playbook/playbook.h"

#include <QAbstractItemModel>

namespace runlane::desktop {

// A playbook's steps grouped by lane: lane rows in the playbook's lane order (lanes without steps
// are left out; steps naming an undeclared lane get a group of their own at the end), and under
// each its steps in file order.
class StepTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { TitleColumn, IdColumn, TypeColumn, WaysColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        StepIdRole = Qt::UserRole + 1,
        LaneIdRole, // on lane rows and step rows
        IsLaneRole,
        IsStartRole,
    };
    Q_ENUM(Role)

    explicit StepTreeModel(QObject *parent = nullptr);

    void setPlaybook(PlaybookPtr playbook);
    const PlaybookPtr &playbook() const { return m_playbook; }

    const Step *step(const QModelIndex &index) const;
    QModelIndex indexOfStep(const QString &stepId, int column = TitleColumn) const;
    QModelIndex indexOfLane(const QString &laneId) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct LaneGroup
    {
        QString laneId;
        QString title;
        bool declared = true;
        QList<qsizetype> steps; // indexes into Playbook::steps
    };

    QVariant laneData(const LaneGroup &group, int column, int role) const;
    QVariant stepData(const Step &step, const QString &laneId, int column, int role) const;

    PlaybookPtr m_playbook;
    QList<LaneGroup> m_groups;
};

} // namespace runlane::desktop
