#pragma once

#include <QDockWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace runlane::desktop {

class TimelineFilterModel;
class TimelineModel;

// The live timeline of an incident, at the bottom of the window: every event with its time, lane,
// step and who did it, newest at the bottom and followed as it comes unless the engineer scrolled
// up. Filtered by text, lane and people's moves; copied as tab-separated text.
class TimelineDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit TimelineDock(QWidget *parent = nullptr);
    ~TimelineDock() override;

    TimelineModel *model() const { return m_model; }
    TimelineFilterModel *filterModel() const { return m_filter; }
    QTableView *view() const { return m_view; }

    // The selected rows, or every row shown when none is selected, with a header line.
    QString copyText() const;

public Q_SLOTS:
    void copy();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateLanes();
    void fitColumns();
    void updateCount();

    TimelineModel *m_model;
    TimelineFilterModel *m_filter;
    QLineEdit *m_text;
    QComboBox *m_lanes;
    QCheckBox *m_peopleOnly;
    QLabel *m_count;
    QToolButton *m_copy;
    QTableView *m_view;
    QTimer *m_settle; // coalesces the count and the scroll of many appends into one update
    bool m_follow = true;
};

} // namespace runlane::desktop
