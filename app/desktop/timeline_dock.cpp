#include "app/desktop/timeline_dock.h"

#include "app/desktop/timeline_filter_model.h"
#include "app/desktop/timeline_model.h"
#include "engine/export/postmortem.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

// Titles of lanes and steps longer than this (in average characters) are elided in their column:
// the rest is in the tooltip, and the text of the event keeps the room.
constexpr int laneChars = 30;
constexpr int stepChars = 36;

} // namespace

TimelineDock::TimelineDock(QWidget *parent)
    : QDockWidget(tr("Timeline"), parent)
    , m_model(new TimelineModel(this))
    , m_filter(new TimelineFilterModel(this))
    , m_text(new QLineEdit)
    , m_lanes(new QComboBox)
    , m_peopleOnly(new QCheckBox(tr("People only")))
    , m_count(new QLabel)
    , m_copy(new QToolButton)
    , m_view(new QTableView)
    , m_settle(new QTimer(this))
{
    setObjectName(QStringLiteral("timelineDock"));
    m_filter->setSourceModel(m_model);

    m_text->setObjectName(QStringLiteral("timelineFilter"));
    m_text->setPlaceholderText(tr("Filter timeline"));
    m_text->setClearButtonEnabled(true);
    m_text->setToolTip(tr("Shows the events with every word typed, in any column (Ctrl+F)"));
    m_lanes->setObjectName(QStringLiteral("timelineLanes"));
    m_lanes->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_lanes->setMinimumContentsLength(laneChars);
    m_peopleOnly->setObjectName(QStringLiteral("timelinePeopleOnly"));
    m_peopleOnly->setToolTip(tr("Hides what Runlane did by itself: checks, results and branches"));
    m_copy->setObjectName(QStringLiteral("timelineCopy"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(
        tr("Copies the selected events, or all shown, as tab-separated text (Ctrl+C)"));
    m_count->setObjectName(QStringLiteral("timelineCount"));

    m_view->setObjectName(QStringLiteral("timelineView"));
    m_view->setModel(m_filter);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setCornerButtonEnabled(false);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // One line a row, all of one height: no row is measured, so 10,000 rows cost nothing to lay
    // out. Long text is elided and whole in its tooltip.
    QHeaderView *rows = m_view->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    fitColumns();

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_lanes);
    filters->addWidget(m_peopleOnly);
    filters->addWidget(m_count);
    filters->addWidget(m_copy);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    setWidget(content);

    for (QWidget *w : {static_cast<QWidget *>(m_view), static_cast<QWidget *>(m_text),
                       static_cast<QWidget *>(m_lanes), static_cast<QWidget *>(m_peopleOnly),
                       static_cast<QWidget *>(m_copy)})
        w->installEventFilter(this);

    connect(m_text, &QLineEdit::textChanged, m_filter, &TimelineFilterModel::setText);
    connect(m_lanes, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setLane(m_lanes->currentData().toString()); });
    connect(m_peopleOnly, &QCheckBox::toggled, m_filter, &TimelineFilterModel::setPeopleOnly);
    connect(m_copy, &QToolButton::clicked, this, &TimelineDock::copy);
    connect(m_model, &TimelineModel::lanesChanged, this, [this] {
        updateLanes();
        fitColumns();
    });
    updateLanes();

    // Follow the newest event while the view is at the bottom; once the engineer scrolls up, stay
    // where they are until they scroll back down.
    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_follow = value >= bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_follow)
            bar->setValue(maximum);
    });

    m_settle->setSingleShot(true);
    m_settle->setInterval(0);
    connect(m_settle, &QTimer::timeout, this, &TimelineDock::updateCount);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, m_settle, qOverload<>(&QTimer::start));
    connect(m_filter, &QAbstractItemModel::modelReset, m_settle, qOverload<>(&QTimer::start));
    connect(m_filter, &QAbstractItemModel::layoutChanged, m_settle, qOverload<>(&QTimer::start));
    updateCount();
}

QString TimelineDock::copyText() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty()) {
        rows.reserve(m_filter->rowCount());
        for (int row = 0; row < m_filter->rowCount(); ++row)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    return TimelineModel::tabSeparated(*m_filter, rows);
}

// The view's scroll bar still signals while QWidget's destructor deletes the children, after this
// object's part is gone: its connections to this go first.
TimelineDock::~TimelineDock()
{
    m_view->verticalScrollBar()->disconnect(this);
}

void TimelineDock::copy()
{
    QApplication::clipboard()->setText(copyText());
}

bool TimelineDock::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return QDockWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    // Inside the timeline, Ctrl+F finds in the timeline (not in the library) and Ctrl+C on the
    // table copies whole rows (not the current cell): claim the keys before the window does.
    const bool find = key->matches(QKeySequence::Find);
    const bool copyRows = watched == m_view && key->matches(QKeySequence::Copy);
    const bool clear =
        watched == m_text && key->key() == Qt::Key_Escape && !m_text->text().isEmpty();
    if (!find && !copyRows && !clear)
        return QDockWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept();
        return true;
    }
    if (find) {
        m_text->setFocus(Qt::ShortcutFocusReason);
        m_text->selectAll();
    } else if (copyRows) {
        copy();
    } else {
        m_text->clear();
    }
    return true;
}

void TimelineDock::updateLanes()
{
    const QString current = m_filter->lane();
    const QSignalBlocker blocker(m_lanes);
    m_lanes->clear();
    m_lanes->addItem(tr("All lanes"), QString());
    for (const TimelineModel::LaneName &lane : m_model->lanes()) {
        m_lanes->addItem(lane.title, lane.id);
        m_lanes->setItemData(m_lanes->count() - 1, lane.id, Qt::ToolTipRole);
    }
    const int index = m_lanes->findData(current);
    m_lanes->setCurrentIndex(std::max(index, 0));
    m_filter->setLane(m_lanes->currentData().toString());
}

// Widths from the font, not from measuring rows: times and event titles have a known widest text,
// lanes and steps are the playbook's (up to a limit).
void TimelineDock::fitColumns()
{
    QFont bold = m_view->font();
    bold.setBold(true); // decisions are bold
    const QFontMetrics fm(bold);
    const int padding = fm.horizontalAdvance(u"MM"_s);
    QHeaderView *header = m_view->horizontalHeader();
    const auto fit = [&](int column, int contentWidth) {
        header->resizeSection(column,
                              std::max(header->sectionSizeHint(column), contentWidth + padding));
    };

    fit(TimelineModel::TimeColumn, fm.horizontalAdvance(u"00:00:00"_s));
    fit(TimelineModel::ElapsedColumn, fm.horizontalAdvance(u"+0:00:00"_s));
    int event = 0;
    for (int kind = 0; kind <= int(EventKind::IncidentEnded); ++kind)
        event = std::max(event, fm.horizontalAdvance(eventTitle(EventKind(kind))));
    fit(TimelineModel::EventColumn, event);
    fit(TimelineModel::WhoColumn, fm.averageCharWidth() * 10);

    int lane = 0;
    for (const TimelineModel::LaneName &l : m_model->lanes())
        lane = std::max(lane, fm.horizontalAdvance(l.title));
    fit(TimelineModel::LaneColumn, std::min(lane, fm.averageCharWidth() * laneChars));

    int step = fm.averageCharWidth() * 12;
    if (const PlaybookPtr &playbook = m_model->playbook()) {
        for (const Step &s : playbook->steps)
            step = std::max(step, fm.horizontalAdvance(m_model->stepTitle(s.id.value)));
    }
    fit(TimelineModel::StepColumn, std::min(step, fm.averageCharWidth() * stepChars));

    m_view->verticalHeader()->setDefaultSectionSize(fm.height() + fm.height() / 2);
}

void TimelineDock::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_filter->rowCount();
    const QString events = total == 1 ? tr("1 event") : tr("%1 events").arg(total);
    m_count->setText(shown == total ? events : tr("%1 of %2").arg(shown).arg(events));
}

} // namespace runlane::desktop
