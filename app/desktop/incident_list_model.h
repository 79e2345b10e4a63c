#pragma once

#include "engine/journal/journal_records.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

#include <optional>

namespace runlane::desktop {

// The incidents of the journal, one row each: the unfinished ones first, then the ended ones,
// each newest first. The state column says Active or how it ended, with drill and dry run as
// tags; the duration column gives an active incident's age and an ended one's time to resolve.
class IncidentListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StateColumn, // "Active", "Resolved · drill · dry run"
        TitleColumn,
        SeverityColumn, // "SEV2" on its badge colour
        StartedColumn,  // local "yyyy-MM-dd HH:mm"; the full time in the tooltip
        ByColumn,
        DurationColumn, // an active one's age, an ended one's time to resolve
        IdColumn,       // the first 8 characters; the full id in the tooltip
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        IdRole = Qt::UserRole + 1, // QString, the full id
        EndedRole,                 // bool
        StartedAtMsRole,           // qint64, UTC milliseconds
    };
    Q_ENUM(Role)

    explicit IncidentListModel(QObject *parent = nullptr);

    // `nowMs` is what an active incident's age is measured to.
    void setIncidents(QList<IncidentRecord> incidents,
                      qint64 nowMs = QDateTime::currentMSecsSinceEpoch());
    // Moves the clock the ages are measured to, without reordering anything.
    void setNow(qint64 nowMs);

    const IncidentRecord &record(int row) const { return m_incidents.at(row); }
    const QList<IncidentRecord> &incidents() const { return m_incidents; }
    // The row of the incident with this id, or -1.
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "Active", or the outcome capitalised ("False alarm"), then " · drill", " · dry run".
    static QString stateText(const IncidentRecord &incident);
    // "45s", "12m", "3h 05m", "2d 04h"
    static QString durationText(qint64 ms);
    static QString shortId(const QString &id);

private:
    QString displayText(const IncidentRecord &incident, int column) const;
    QString toolTip(const IncidentRecord &incident, int column) const;
    // How long the incident ran or has run so far; none when an ended one has no resolve time.
    std::optional<qint64> durationMs(const IncidentRecord &incident) const;

    QList<IncidentRecord> m_incidents;
    qint64 m_nowMs = 0;
};

} // namespace runlane::desktop
