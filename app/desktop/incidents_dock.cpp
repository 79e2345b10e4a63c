#include "app/desktop/incidents_dock.h"

#include "app/desktop/incident_list_model.h"
#include "app/shared/journal_location.h"
#include "engine/journal/journal_reader.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

// Ages are shown in minutes at the finest once past the first minute.
constexpr int clockIntervalMs = 30 * 1000;

} // namespace

IncidentsDock::IncidentsDock(QWidget *parent)
    : QDockWidget(tr("Incidents"), parent)
    , m_model(new IncidentListModel(this))
    , m_showFinished(new QCheckBox(tr("Show finished")))
    , m_count(new QLabel)
    , m_pages(new QStackedWidget)
    , m_view(new QTableView)
    , m_empty(new QLabel)
    , m_open(new QPushButton(tr("Open")))
    , m_resume(new QPushButton(tr("Resume")))
    , m_clock(new QTimer(this))
{
    setObjectName(u"incidentsDock"_s);

    m_showFinished->setObjectName(u"incidentsShowFinished"_s);
    m_showFinished->setChecked(true);
    m_showFinished->setToolTip(tr("Lists the ended incidents too; unfinished ones always show"));
    m_count->setObjectName(u"incidentsCount"_s);

    m_view->setObjectName(u"incidentsView"_s);
    m_view->setModel(m_model);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab leaves the table for the buttons
    m_view->setWordWrap(false);
    m_view->setCornerButtonEnabled(false);
    m_view->verticalHeader()->hide();
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setSectionResizeMode(IncidentListModel::TitleColumn, QHeaderView::Stretch);
    // Widths from the widest text each column can hold, not from measuring every row.
    const QFontMetrics fm(m_view->font());
    const int padding = fm.horizontalAdvance(u"MM"_s);
    const auto fit = [&](int column, const QString &widest) {
        columns->resizeSection(column, std::max(columns->sectionSizeHint(column),
                                                fm.horizontalAdvance(widest) + padding));
    };
    fit(IncidentListModel::StateColumn, tr("False alarm · drill · dry run"));
    fit(IncidentListModel::SeverityColumn, u"SEV4"_s);
    fit(IncidentListModel::StartedColumn, u"0000-00-00 00:00"_s);
    fit(IncidentListModel::ByColumn, QString(10, u'm'));
    fit(IncidentListModel::DurationColumn, u"00d 00h"_s);
    fit(IncidentListModel::IdColumn, QString(8, u'0'));

    m_empty->setObjectName(u"incidentsEmpty"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText); // paths and errors are not markup
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pages->addWidget(m_view);
    m_pages->addWidget(m_empty);

    m_open->setObjectName(u"incidentsOpen"_s);
    m_open->setToolTip(tr("Shows the incident's walk and timeline (Enter)"));
    m_resume->setObjectName(u"incidentsResume"_s);
    m_resume->setToolTip(
        tr("Goes on with the active incident where it stopped (Ctrl+Shift+R from anywhere)"));
    for (QPushButton *button : {m_open, m_resume})
        button->setAutoDefault(false);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_showFinished);
    top->addStretch(1);
    top->addWidget(m_count);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_open);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);
    setWidget(content);
    setFocusProxy(m_view);
    setTabOrder(m_showFinished, m_view);
    setTabOrder(m_view, m_open);
    setTabOrder(m_open, m_resume);

    m_view->installEventFilter(this);

    connect(m_showFinished, &QCheckBox::toggled, this, &IncidentsDock::showList);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT openRequested(m_model->record(index.row()).id);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &IncidentsDock::updateButtons);
    connect(m_open, &QPushButton::clicked, this, &IncidentsDock::openCurrent);
    connect(m_resume, &QPushButton::clicked, this, &IncidentsDock::resumeCurrent);

    m_clock->setInterval(clockIntervalMs);
    connect(m_clock, &QTimer::timeout, this,
            [this] { m_model->setNow(QDateTime::currentMSecsSinceEpoch()); });
    m_clock->start();

    showList();
}

void IncidentsDock::setJournalPath(const QString &path)
{
    m_path = path;
    refresh();
}

QList<IncidentRecord> IncidentsDock::unfinished() const
{
    QList<IncidentRecord> out;
    std::copy_if(m_all.cbegin(), m_all.cend(), std::back_inserter(out),
                 [](const IncidentRecord &incident) { return !incident.ended(); });
    return out;
}

int IncidentsDock::unfinishedCount() const
{
    return int(std::count_if(m_all.cbegin(), m_all.cend(),
                             [](const IncidentRecord &incident) { return !incident.ended(); }));
}

QString IncidentsDock::currentId() const
{
    const int row = currentRow();
    return row < 0 ? QString() : m_model->record(row).id;
}

bool IncidentsDock::selectId(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void IncidentsDock::refresh()
{
    m_all.clear();
    m_error.clear();
    // A journal that does not exist yet has no incidents; opening it would create it.
    if (!m_path.isEmpty() && QFileInfo::exists(m_path)) {
        auto opened = openExistingJournal(m_path);
        if (auto *error = std::get_if<QString>(&opened)) {
            m_error = *error;
        } else {
            auto listed = listIncidents(*std::get<0>(opened), true);
            if (auto *failed = std::get_if<QString>(&listed))
                m_error = *failed;
            else
                m_all = std::move(std::get<QList<IncidentRecord>>(listed));
        }
    }
    showList();
}

void IncidentsDock::openCurrent()
{
    const int row = currentRow();
    if (row >= 0)
        Q_EMIT openRequested(m_model->record(row).id);
}

void IncidentsDock::resumeCurrent()
{
    const int row = currentRow();
    if (row >= 0 && !m_model->record(row).ended())
        Q_EMIT resumeRequested(m_model->record(row).id);
}

bool IncidentsDock::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_view ||
        (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress))
        return QDockWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                       (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (!enter)
        return QDockWidget::eventFilter(watched, event);
    // Enter on the table opens the incident, before any window-wide use of the key.
    if (event->type() == QEvent::ShortcutOverride)
        event->accept();
    else
        openCurrent();
    return true;
}

void IncidentsDock::showList()
{
    const QString keep = currentId();
    QList<IncidentRecord> shown;
    if (m_showFinished->isChecked())
        shown = m_all;
    else
        shown = unfinished();
    m_model->setIncidents(std::move(shown));

    if (!selectId(keep) && m_model->rowCount() > 0)
        selectId(m_model->record(0).id);

    const int active = unfinishedCount();
    const int hidden = int(m_all.size()) - m_model->rowCount();
    if (!m_error.isEmpty())
        m_empty->setText(tr("The journal cannot be read: %1").arg(m_error));
    else if (m_path.isEmpty())
        m_empty->setText(tr("No journal chosen"));
    else if (m_all.isEmpty())
        m_empty->setText(tr("No incidents in %1 yet").arg(m_path));
    else
        m_empty->setText(
            hidden == 1 ? tr("No unfinished incidents; 1 finished one is hidden")
                        : tr("No unfinished incidents; %1 finished ones are hidden").arg(hidden));
    m_pages->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget *>(m_view)
                                                      : static_cast<QWidget *>(m_empty));
    m_count->setText(m_all.isEmpty() ? QString()
                                     : tr("%1 unfinished of %2").arg(active).arg(m_all.size()));
    updateButtons();
}

void IncidentsDock::updateButtons()
{
    const int row = currentRow();
    m_open->setEnabled(row >= 0);
    m_resume->setEnabled(row >= 0 && !m_model->record(row).ended());
}

int IncidentsDock::currentRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

} // namespace runlane::desktop
