#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace runlane::desktop {

// The rows of a TimelineModel that match the timeline's filters: every word typed (each against
// any column, or the lane and step ids behind them), one lane, and people's moves only. Keeps the
// timeline's order.
class TimelineFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TimelineFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    // Empty: every lane.
    void setLane(const QString &laneId);
    QString lane() const { return m_lane; }
    // Hides runlane's own work (checks, results, branches) to leave what people did.
    void setPeopleOnly(bool peopleOnly);
    bool peopleOnly() const { return m_peopleOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
    QString m_lane;
    bool m_peopleOnly = false;
};

} // namespace runlane::desktop
