#include "app/desktop/playbook_details_view.h"

#include "app/desktop/diagnostics_panel.h"
#include "app/desktop/diagram_view.h"
#include "app/desktop/markdown.h"
#include "app/desktop/playbook_list_model.h"
#include "app/desktop/severity_colors.h"
#include "app/desktop/step_details_view.h"
#include "app/desktop/step_text.h"
#include "app/desktop/step_tree_model.h"
#include "app/desktop/theme.h"
#include "app/desktop/wrapping_item_delegate.h"

#include <QDataStream>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace runlane::desktop {

namespace {

// Both splitters, behind a version: an older state (one splitter) is ignored rather than misread.
constexpr quint32 stateVersion = 2;
// Narrower than this, the step tree leaves out where each step leads: every row would wrap to
// many lines, and the diagram beside it and the step page below already show the ways.
constexpr int waysColumnMinWidth = 520;

QString chip(const QString &text, const QString &background, const QString &foreground)
{
    return QStringLiteral("<span style=\"background-color:%1; color:%2;\">&nbsp;%3&nbsp;</span>")
        .arg(background, foreground, text.toHtmlEscaped());
}

QString triggerText(const Trigger &trigger)
{
    QStringList pairs;
    for (const auto &[key, value] : trigger.labels)
        pairs.append(key.value + QLatin1Char('=') + value.value);
    return pairs.join(QStringLiteral(", "));
}

} // namespace

PlaybookDetailsView::PlaybookDetailsView(QWidget *parent)
    : QWidget(parent)
    , m_pages(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_diagnostics(new DiagnosticsPanel(this))
    , m_diagramSplitter(new QSplitter(Qt::Horizontal, this))
    , m_diagram(new DiagramView(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_summary(new QTextBrowser(this))
    , m_stepModel(new StepTreeModel(this))
    , m_stepTree(new QTreeView(this))
    , m_stepDetails(new StepDetailsView(this))
{
    m_placeholder->setObjectName(QStringLiteral("detailsPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);

    m_summary->setObjectName(QStringLiteral("summaryView"));
    m_summary->setOpenExternalLinks(true);
    m_summary->document()->setDocumentMargin(10);

    m_stepTree->setObjectName(QStringLiteral("stepTree"));
    m_stepTree->setModel(m_stepModel);
    m_stepTree->setItemDelegate(new WrappingItemDelegate(m_stepTree));
    m_stepTree->setUniformRowHeights(false);
    m_stepTree->setWordWrap(true);
    m_stepTree->setAlternatingRowColors(true);
    m_stepTree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stepTree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stepTree->setTextElideMode(Qt::ElideRight);
    QHeaderView *header = m_stepTree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(StepTreeModel::TitleColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(StepTreeModel::IdColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StepTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StepTreeModel::WaysColumn, QHeaderView::Stretch);
    // Wrapped rows change height with their column's width; one relayout per burst of resizes.
    auto *relayout = new QTimer(this);
    relayout->setSingleShot(true);
    relayout->setInterval(0);
    connect(relayout, &QTimer::timeout, m_stepTree, &QTreeView::doItemsLayout);
    connect(header, &QHeaderView::sectionResized, relayout, qOverload<>(&QTimer::start));
    m_stepTree->installEventFilter(this); // narrow beside the diagram: see fitStepColumns()
    connect(m_stepModel, &QAbstractItemModel::modelReset, this, &PlaybookDetailsView::layoutSteps);
    connect(m_stepTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PlaybookDetailsView::showSelectedStep);

    m_stepDetails->setObjectName(QStringLiteral("stepDetails"));

    m_diagram->setObjectName(QStringLiteral("diagramView"));
    connect(m_diagram, &DiagramView::stepSelected, this, &PlaybookDetailsView::selectStep);

    m_splitter->setObjectName(QStringLiteral("detailsSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_summary);
    m_splitter->addWidget(m_stepTree);
    m_splitter->addWidget(m_stepDetails);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({120, 360, 300});

    m_diagramSplitter->setObjectName(QStringLiteral("diagramSplitter"));
    m_diagramSplitter->setChildrenCollapsible(false);
    m_diagramSplitter->addWidget(m_diagram);
    m_diagramSplitter->addWidget(m_splitter);
    m_diagramSplitter->setStretchFactor(0, 2);
    m_diagramSplitter->setStretchFactor(1, 1);
    m_diagramSplitter->setSizes({640, 360});

    auto *details = new QWidget(this);
    auto *layout = new QVBoxLayout(details);
    layout->setContentsMargins(12, 10, 12, 8);
    layout->setSpacing(8);
    layout->addWidget(createHeader());
    layout->addWidget(m_diagnostics);
    layout->addWidget(m_diagramSplitter, 1);

    m_pages->addWidget(m_placeholder);
    m_pages->addWidget(details);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    setFocusProxy(m_stepTree);
    showPlaceholder(tr("Select a playbook."));
}

QWidget *PlaybookDetailsView::createHeader()
{
    auto *header = new QWidget(this);
    m_title = new QLabel(header);
    m_title->setObjectName(QStringLiteral("playbookTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.45);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_meta = new QLabel(header);
    m_meta->setObjectName(QStringLiteral("playbookMeta"));
    m_meta->setTextFormat(Qt::RichText);
    m_meta->setWordWrap(true);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_labels = new QLabel(header);
    m_labels->setObjectName(QStringLiteral("playbookLabels"));
    m_labels->setTextFormat(Qt::RichText);
    m_labels->setWordWrap(true);
    m_labels->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_meta);
    layout->addWidget(m_labels);
    return header;
}

void PlaybookDetailsView::showEntry(const LoadResult &entry)
{
    m_entry = entry;
    const Playbook *playbook = entry.playbook.get();
    showHeader(entry);
    m_diagnostics->setDiagnostics(entry.diagnostics, playbook != nullptr);

    // A playbook with errors still has a diagram of what was read, next to its diagnostics.
    m_diagramSplitter->setVisible(playbook != nullptr);
    // The same file shown again (a reload, a search that keeps it) keeps the selected step.
    const bool reload =
        playbook && m_stepModel->playbook() && m_stepModel->playbook()->file == playbook->file;
    const QString keep =
        reload ? m_stepTree->currentIndex().data(StepTreeModel::StepIdRole).toString() : QString();
    const bool hasSummary = playbook && !playbook->summary.value.trimmed().isEmpty();
    setPlaybookMarkdown(m_summary->document(), hasSummary ? playbook->summary.value : QString());
    m_summary->setVisible(hasSummary);
    m_stepModel->setPlaybook(entry.playbook);
    m_diagram->showPlaybook(entry.playbook);
    if (!keep.isEmpty())
        selectStep(keep);
    m_pages->setCurrentIndex(1);
}

void PlaybookDetailsView::showPlaceholder(const QString &text)
{
    m_entry = {};
    m_stepModel->setPlaybook(nullptr);
    m_diagram->clear();
    m_placeholder->setText(text);
    m_pages->setCurrentIndex(0);
}

void PlaybookDetailsView::showHeader(const LoadResult &entry)
{
    const Playbook *p = entry.playbook.get();
    m_title->setText(PlaybookListModel::titleOf(entry));

    QStringList meta;
    if (p) {
        const Severity severity = p->severity.value;
        meta.append(QStringLiteral("<b>%1</b>")
                        .arg(chip(StepText::severity(severity), severityBackground(severity).name(),
                                  severityForeground(severity).name())));
        if (!p->id.value.isEmpty())
            meta.append(QStringLiteral("<code>%1</code>").arg(p->id.value.toHtmlEscaped()));
        if (!p->owner.value.isEmpty())
            meta.append(tr("owner <b>%1</b>").arg(p->owner.value.toHtmlEscaped()));
    }
    meta.append(PlaybookListModel::fileOf(entry).toHtmlEscaped());
    m_meta->setText(meta.join(QStringLiteral(" &nbsp;·&nbsp; ")));

    QStringList lines;
    if (p && !p->tags.isEmpty()) {
        QStringList chips;
        for (const LString &tag : p->tags)
            chips.append(
                isDarkTheme()
                    ? chip(tag.value, QStringLiteral("#1f2d40"), QStringLiteral("#d6e4f5"))
                    : chip(tag.value, QStringLiteral("#e3ebf5"), QStringLiteral("#1d3557")));
        lines.append(chips.join(QStringLiteral(" ")));
    }
    if (p && !p->triggers.isEmpty()) {
        QStringList triggers;
        for (const Trigger &trigger : p->triggers)
            triggers.append(
                QStringLiteral("<code>%1</code>").arg(triggerText(trigger).toHtmlEscaped()));
        lines.append(tr("Triggered by %1").arg(triggers.join(tr(" or "))));
    }
    if (p && (p->budget.acknowledge.present || p->budget.mitigate.present ||
              p->budget.resolve.present)) {
        QStringList budget;
        if (p->budget.acknowledge.present)
            budget.append(tr("acknowledge in %1").arg(formatDuration(p->budget.acknowledge.value)));
        if (p->budget.mitigate.present)
            budget.append(tr("mitigate in %1").arg(formatDuration(p->budget.mitigate.value)));
        if (p->budget.resolve.present)
            budget.append(tr("resolve in %1").arg(formatDuration(p->budget.resolve.value)));
        lines.append(tr("Budget: %1").arg(budget.join(QStringLiteral(" · "))));
    }
    m_labels->setText(lines.join(QStringLiteral("<br>")));
    m_labels->setVisible(!lines.isEmpty());
}

void PlaybookDetailsView::layoutSteps()
{
    const QModelIndex root;
    for (int row = 0; row < m_stepModel->rowCount(root); ++row)
        m_stepTree->setFirstColumnSpanned(row, root, true);
    m_stepTree->expandAll();
    showSelectedStep();
}

bool PlaybookDetailsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_stepTree && event->type() == QEvent::Resize)
        fitStepColumns();
    return QWidget::eventFilter(watched, event);
}

void PlaybookDetailsView::fitStepColumns()
{
    const bool wide = m_stepTree->width() >= waysColumnMinWidth;
    if (m_stepTree->isColumnHidden(StepTreeModel::WaysColumn) == wide)
        m_stepTree->setColumnHidden(StepTreeModel::WaysColumn, !wide);
}

void PlaybookDetailsView::openSteps()
{
    const PlaybookPtr &playbook = m_stepModel->playbook();
    if (!playbook)
        return;
    QModelIndex start = m_stepModel->indexOfStep(playbook->start.value);
    if (!start.isValid() && !playbook->steps.isEmpty())
        start = m_stepModel->indexOfStep(playbook->steps.front().id.value);
    if (start.isValid()) {
        m_stepTree->setCurrentIndex(start);
        m_stepTree->scrollTo(start);
    }
    m_stepTree->setFocus(Qt::OtherFocusReason);
}

void PlaybookDetailsView::selectStep(const QString &stepId)
{
    const QModelIndex index = m_stepModel->indexOfStep(stepId);
    if (!index.isValid())
        return;
    m_stepTree->setCurrentIndex(index);
    m_stepTree->scrollTo(index);
}

void PlaybookDetailsView::showSelectedStep()
{
    const QModelIndex current = m_stepTree->currentIndex();
    const Step *step = m_stepModel->step(current);
    m_diagram->setSelectedStep(step ? step->id.value : QString());
    if (step) {
        m_stepDetails->showStep(m_stepModel->playbook(), step);
        return;
    }
    if (current.isValid()) {
        m_stepDetails->showHint(tr("%1: select one of its steps to see its instructions.")
                                    .arg(current.siblingAtColumn(0).data().toString()));
        return;
    }
    m_stepDetails->showHint(tr("Select a step to see its instructions. Enter on a playbook "
                               "opens it at its first step."));
}

QByteArray PlaybookDetailsView::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << stateVersion << m_diagramSplitter->saveState() << m_splitter->saveState();
    return state;
}

void PlaybookDetailsView::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    quint32 version = 0;
    QByteArray diagram, steps;
    in >> version >> diagram >> steps;
    if (in.status() != QDataStream::Ok || version != stateVersion)
        return;
    m_diagramSplitter->restoreState(diagram);
    m_splitter->restoreState(steps);
}

void PlaybookDetailsView::showIncident(QWidget *panel)
{
    if (m_incident == panel)
        return;
    if (m_incident)
        m_incident->hide();
    m_incident = panel;
    if (panel) {
        if (m_diagramSplitter->indexOf(panel) < 0)
            m_diagramSplitter->addWidget(panel);
        panel->show();
    }
    m_splitter->setVisible(!panel);
}

} // namespace runlane::desktop
