#pragma once

#include "engine/playbook/loader.h"

#include <QWidget>

class QLabel;
class QSplitter;
class QStackedWidget;
class QTextBrowser;
class QTreeView;

namespace runlane::desktop {

class DiagnosticsPanel;
class DiagramView;
class StepDetailsView;
class StepTreeModel;

// The selected playbook: a header (title, severity, id, owner, tags, triggers), its diagnostics
// when it has any, then its diagram in the middle and beside it the Markdown summary, the steps
// grouped by lane and the selected step's page. A step selected in the diagram or in the tree is
// selected in both.
class PlaybookDetailsView : public QWidget
{
    Q_OBJECT

public:
    explicit PlaybookDetailsView(QWidget *parent = nullptr);

    void showEntry(const LoadResult &entry);
    void showPlaceholder(const QString &text);
    const LoadResult &entry() const { return m_entry; }

    // Moves the keyboard into the steps, on the first step.
    void openSteps();

    // An incident walked on this playbook: its panel takes the place of the summary, the steps
    // and the step page beside the diagram, and the diagram shows the walk. Null: back to those.
    void showIncident(QWidget *panel);
    bool isShowingIncident() const { return m_incident != nullptr; }

    StepTreeModel *stepModel() const { return m_stepModel; }
    QTreeView *stepTree() const { return m_stepTree; }
    DiagramView *diagram() const { return m_diagram; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createHeader();
    void showHeader(const LoadResult &entry);
    void showSelectedStep();
    void selectStep(const QString &stepId);
    void layoutSteps();
    void fitStepColumns();

    LoadResult m_entry;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_labels = nullptr;
    DiagnosticsPanel *m_diagnostics = nullptr;
    QSplitter *m_diagramSplitter = nullptr; // the diagram | the steps
    DiagramView *m_diagram = nullptr;
    QSplitter *m_splitter = nullptr; // summary, step tree, step page
    QTextBrowser *m_summary = nullptr;
    StepTreeModel *m_stepModel = nullptr;
    QTreeView *m_stepTree = nullptr;
    StepDetailsView *m_stepDetails = nullptr;
    QWidget *m_incident = nullptr;
};

} // namespace runlane::desktop
