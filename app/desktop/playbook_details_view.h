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
class StepDetailsView;
class StepTreeModel;

// The selected playbook: a header (title, severity, id, owner, tags, triggers), its diagnostics
// when it has any, the Markdown summary, the steps grouped by lane, and the selected step's page.
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

    StepTreeModel *stepModel() const { return m_stepModel; }
    QTreeView *stepTree() const { return m_stepTree; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

private:
    QWidget *createHeader();
    void showHeader(const LoadResult &entry);
    void showSelectedStep();
    void layoutSteps();

    LoadResult m_entry;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_labels = nullptr;
    DiagnosticsPanel *m_diagnostics = nullptr;
    QSplitter *m_splitter = nullptr;
    QTextBrowser *m_summary = nullptr;
    StepTreeModel *m_stepModel = nullptr;
    QTreeView *m_stepTree = nullptr;
    StepDetailsView *m_stepDetails = nullptr;
};

} // namespace runlane::desktop
