#pragma once

#include "engine/journal/journal_records.h"

#include <QDockWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTimer;

namespace runlane::desktop {

class IncidentListModel;

// The incidents of the journal: the unfinished ones first, the finished ones after them unless
// hidden. Open (Enter, double-click) asks to show one; Resume asks to go on with an active one
// (the window's Incident > Resume Incident, Ctrl+Shift+R, does it too). Reading never creates
// the journal: a missing file is an empty list, a file that cannot be read shows why in place of
// the table.
class IncidentsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit IncidentsDock(QWidget *parent = nullptr);

    // Sets the journal and reads it.
    void setJournalPath(const QString &path);
    const QString &journalPath() const { return m_path; }

    // The active incidents of the last read, newest first, whether or not finished ones show.
    QList<IncidentRecord> unfinished() const;
    int unfinishedCount() const;
    // Why the last read failed; empty when it did not.
    const QString &error() const { return m_error; }

    // The selected incident's id, or empty.
    QString currentId() const;
    // Selects the incident with this id when it is listed; tells whether it is.
    bool selectId(const QString &id);

    IncidentListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

public Q_SLOTS:
    // Reads the journal again, keeping the selected incident selected.
    void refresh();
    void openCurrent();
    void resumeCurrent();

Q_SIGNALS:
    void openRequested(const QString &id);
    void resumeRequested(const QString &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showList();
    void updateButtons();
    // The row of the selection, or -1.
    int currentRow() const;

    IncidentListModel *m_model;
    QCheckBox *m_showFinished;
    QLabel *m_count;
    QStackedWidget *m_pages;
    QTableView *m_view;
    QLabel *m_empty;
    QPushButton *m_open;
    QPushButton *m_resume;
    QTimer *m_clock; // keeps the ages of active incidents current

    QString m_path;
    QString m_error;
    QList<IncidentRecord> m_all; // the last read, finished ones included
};

} // namespace runlane::desktop
