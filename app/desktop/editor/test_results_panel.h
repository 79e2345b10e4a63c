#pragma once

#include "app/desktop/test_coverage.h"
#include "engine/playbook/diagnostic.h"

#include <QWidget>

class QAction;
class QLabel;
class QModelIndex;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStandardItem;
class QStandardItemModel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace runlane::desktop {

// A playbook's scenario tests as the editor runs them: one row per case (grouped by test file when
// there are several), the test files that could not be loaded, and for the selected case what it
// expected beside what the walk did. Running is the owner's business: Run Tests asks for it.
class TestResultsPanel : public QWidget
{
    Q_OBJECT

public:
    // What a row of resultsModel() is (RowKindRole on its first column).
    enum class RowKind { File, Case, Problem };
    enum Role {
        RowKindRole = Qt::UserRole + 1, // RowKind as int
        FileRole,                       // the test file
        LineRole,                       // where the case or the problem is, 0 for a file row
        ColumnRole,
        CaseIndexRole,    // index into results().cases for a case row, else -1
        ProblemIndexRole, // index into results().testFileProblems for a problem row, else -1
    };
    enum Column { NameColumn, LocationColumn, ColumnCount };

    explicit TestResultsPanel(QWidget *parent = nullptr);

    // Run Tests, Ctrl+T while the focus is in the panel (or the editor page, which adds it too);
    // it only asks (runRequested).
    QAction *runAction() const { return m_runAction; }

    // Busy: Run Tests disabled, a busy bar shown. setResults() ends it too.
    void setRunning(bool running);
    bool isRunning() const { return m_running; }

    // Shows a run's results. The case selected before stays selected when it is still there,
    // else the first failing case is selected.
    void setResults(const TestCoverage &results);
    const TestCoverage &results() const { return m_results; }
    // Why there are no results (the playbook has errors, say), in place of the summary line until
    // the next run, setResults() or clear().
    void setMessage(const QString &message);
    void clear();

    // The rows, for the owner's tests and for keyboard focus.
    QStandardItemModel *resultsModel() const { return m_model; }
    QTreeView *resultsView() const { return m_view; }
    // Expected beside actual for the selected case: rows are steps, columns expected and actual.
    QStandardItemModel *comparisonModel() const { return m_comparison; }
    // The row of comparisonModel() marked as where expected and actual first differ, or -1.
    int firstDifferenceRow() const { return m_firstDifferenceRow; }
    // The selected case's outcome line ("expected resolved, got escalated" when they differ).
    QString outcomeText() const;
    QString failuresText() const;
    QString summaryText() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

Q_SIGNALS:
    void runRequested();
    // A case or a problem row activated (double-click, Enter): where to open the test file.
    void caseActivated(const QString &file, runlane::SourcePos pos);

private:
    void rebuild();
    QList<QStandardItem *> caseRow(int index) const;
    QList<QStandardItem *> problemRow(int index) const;
    void showSelected();
    void showCase(const CaseReport &report);
    void fillPathComparison(const QStringList &expected, const QStringList &actual);
    void fillVisitsComparison(const QStringList &visits, const QStringList &actual);
    void fitComparisonHeight();
    void activate(const QModelIndex &index);

    TestCoverage m_results;
    bool m_running = false;
    bool m_hasResults = false;
    QString m_message;
    int m_firstDifferenceRow = -1;

    QAction *m_runAction = nullptr;
    QPushButton *m_runButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_summary = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QStackedWidget *m_details = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_caseTitle = nullptr;
    QLabel *m_failures = nullptr;
    QLabel *m_outcome = nullptr;
    QLabel *m_difference = nullptr;
    QStandardItemModel *m_comparison = nullptr;
    QTableView *m_comparisonView = nullptr;
    QSplitter *m_split = nullptr;
};

} // namespace runlane::desktop
