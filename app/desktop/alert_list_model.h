#pragma once

#include "engine/playbook/library.h"
#include "engine/playbook/trigger_match.h"
#include "integrations/alertmanager_alerts.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace runlane::desktop {

// The firing alerts of an Alertmanager, one row per alert, the most severe and newest first,
// each with the playbooks its labels suggest (trigger_match.h). A list kept after a failed poll
// is stale: its rows show muted.
class AlertListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        AlertColumn,     // alertname; the summary and every label in the tooltip
        SeverityColumn,  // the severity label
        LabelsColumn,    // the other labels, "cohort=fleet-7, model=resnet50"
        SinceColumn,     // "12 min"; the start time (UTC) in the tooltip
        PlaybooksColumn, // the suggested playbooks' titles
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        FingerprintRole = Qt::UserRole + 1,
        LabelsRole,          // QVariantMap of the alert's labels
        StartsAtRole,        // QDateTime (UTC)
        SuggestionCountRole, // int
    };
    Q_ENUM(Role)

    explicit AlertListModel(QObject *parent = nullptr);

    // The library the suggestions come from (kept; suggestions point into it).
    void setLibrary(const Library &library);
    const Library &library() const { return m_library; }

    void setAlerts(QList<FiringAlert> alerts);
    void clear();
    // The time ages are measured to (the last poll's).
    void setNow(const QDateTime &nowUtc);
    void setStale(bool stale);
    bool isStale() const { return m_stale; }

    const FiringAlert &alert(int row) const { return m_rows.at(row).alert; }
    const QList<PlaybookMatch> &suggestions(int row) const { return m_rows.at(row).suggestions; }
    int rowOfFingerprint(const QString &fingerprint) const; // -1 when not listed

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "45 s", "12 min", "3 h 5 min", "2 d 4 h"
    static QString ageText(qint64 seconds);
    // 0 for critical (or page), 1 error, 2 warning, 3 info, 4 any other or none.
    static int severityRank(const QString &severity);
    // The labels besides alertname and severity, "name=value" sorted by name, joined by ", ".
    static QString otherLabelsText(const QMap<QString, QString> &labels);

private:
    struct Row
    {
        FiringAlert alert;
        QList<PlaybookMatch> suggestions;
    };

    QString displayText(const Row &row, int column) const;
    QString toolTip(const Row &row, int column) const;
    void rematch();

    Library m_library;
    PlaybookMatcher m_matcher; // into m_library
    QList<Row> m_rows;
    QDateTime m_now;
    bool m_stale = false;
};

} // namespace runlane::desktop
