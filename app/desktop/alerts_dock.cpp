#include "app/desktop/alerts_dock.h"

#include "app/desktop/alert_list_model.h"
#include "app/desktop/playbook_list_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace runlane::desktop {

namespace {

// The URL as shown: without a user name or password it may carry.
QString shownUrl(const QString &url)
{
    return QUrl(url).toDisplayString(QUrl::RemoveUserInfo);
}

constexpr int defaultPollMs = 30000;
constexpr int labelsChars = 36; // the labels column's width, in average characters
constexpr int fileRole = Qt::UserRole + 1;
constexpr int runnableRole = Qt::UserRole + 2;

QString utcTime(const QDateTime &time)
{
    return AlertsDock::tr("%1 UTC").arg(time.toUTC().toString(QStringLiteral("HH:mm:ss")));
}

} // namespace

AlertsDock::AlertsDock(QWidget *parent)
    : QDockWidget(tr("Alerts"), parent)
    , m_fetcher(new FiringAlertsFetcher(this))
    , m_model(new AlertListModel(this))
    , m_poll(new QTimer(this))
    , m_pages(new QStackedWidget)
    , m_notConfigured(new QLabel)
    , m_status(new QLabel)
    , m_refresh(new QToolButton)
    , m_view(new QTreeView)
    , m_summary(new QLabel)
    , m_suggestions(new QListWidget)
    , m_startHint(new QLabel)
    , m_start(new QPushButton(tr("Start Incident…")))
{
    setObjectName(QStringLiteral("alertsDock"));
    m_poll->setInterval(defaultPollMs);
    connect(m_poll, &QTimer::timeout, this, &AlertsDock::refresh);
    connect(m_fetcher, &FiringAlertsFetcher::finished, this, &AlertsDock::onFetched);

    m_notConfigured->setObjectName(QStringLiteral("alertsNotConfigured"));
    m_notConfigured->setWordWrap(true);
    m_notConfigured->setAlignment(Qt::AlignCenter);
    m_notConfigured->setText(
        tr("No Alertmanager is set. Set its address (for example http://alertmanager:9093) as "
           "the Alertmanager URL in Settings to see the alerts firing there and the playbooks "
           "they suggest."));

    m_status->setObjectName(QStringLiteral("alertsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // errors quote what the server answered
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh->setObjectName(QStringLiteral("alertsRefresh"));
    m_refresh->setText(tr("Refresh now"));
    m_refresh->setToolTip(tr("Asks Alertmanager for its firing alerts now"));
    connect(m_refresh, &QToolButton::clicked, this, &AlertsDock::refresh);

    m_view->setObjectName(QStringLiteral("alertsView"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setItemsExpandable(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Name, severity and age are short: sized to their text; the labels get a fixed share and
    // the suggested playbooks the rest.
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(AlertListModel::AlertColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AlertListModel::SeverityColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AlertListModel::SinceColumn, QHeaderView::ResizeToContents);
    header->resizeSection(AlertListModel::LabelsColumn,
                          m_view->fontMetrics().averageCharWidth() * labelsChars);
    m_view->installEventFilter(this);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AlertsDock::updateSelection);

    m_summary->setObjectName(QStringLiteral("alertSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *suggestionsTitle = new QLabel(tr("Suggested playbooks"));
    suggestionsTitle->setBuddy(m_suggestions);
    m_suggestions->setObjectName(QStringLiteral("alertSuggestions"));
    m_suggestions->setMaximumHeight(m_suggestions->fontMetrics().height() * 6);
    m_suggestions->installEventFilter(this);
    connect(m_suggestions, &QListWidget::currentRowChanged, this, &AlertsDock::updateStartButton);

    m_startHint->setObjectName(QStringLiteral("alertStartHint"));
    m_startHint->setWordWrap(true);
    m_startHint->setTextFormat(Qt::PlainText);
    m_start->setObjectName(QStringLiteral("alertStartIncident"));
    m_start->setToolTip(tr("Starts an incident on the selected playbook, its inputs filled from "
                           "the alert's labels of the same names (Enter)"));
    connect(m_start, &QPushButton::clicked, this, &AlertsDock::startIncident);

    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_refresh);
    auto *startRow = new QHBoxLayout;
    startRow->addWidget(m_startHint, 1);
    startRow->addWidget(m_start);

    auto *alertsPage = new QWidget;
    auto *layout = new QVBoxLayout(alertsPage);
    layout->addLayout(statusRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(suggestionsTitle);
    layout->addWidget(m_suggestions);
    layout->addLayout(startRow);

    m_pages->addWidget(m_notConfigured);
    m_pages->addWidget(alertsPage);
    setWidget(m_pages);

    updateSelection();
}

AlertsDock::~AlertsDock() = default;

void AlertsDock::setAlertmanagerUrl(const QString &url)
{
    const QString trimmed = url.trimmed();
    if (trimmed == m_url)
        return;
    m_url = trimmed;
    m_fetcher->cancel();
    m_model->clear(); // another Alertmanager's alerts are not this one's
    m_model->setStale(false);
    m_lastPolled = {};
    m_listPolled = {};
    m_lastError.clear();
    if (m_url.isEmpty()) {
        m_poll->stop();
        m_pages->setCurrentWidget(m_notConfigured);
    } else {
        m_pages->setCurrentIndex(1);
        m_poll->start();
        refresh();
    }
    updateStatus();
}

void AlertsDock::setLibrary(const Library &library)
{
    const QString fingerprint = selectedFingerprint();
    m_model->setLibrary(library);
    selectFingerprint(fingerprint);
    updateSelection();
}

void AlertsDock::setPollInterval(int ms)
{
    m_poll->setInterval(std::max(1, ms));
}

int AlertsDock::pollInterval() const
{
    return m_poll->interval();
}

void AlertsDock::setTimeoutMs(qint64 ms)
{
    m_fetcher->setTimeoutMs(ms);
}

bool AlertsDock::isStale() const
{
    return m_model->isStale();
}

bool AlertsDock::isPolling() const
{
    return m_fetcher->isFetching();
}

void AlertsDock::refresh()
{
    if (m_url.isEmpty() || m_fetcher->isFetching())
        return;
    m_fetcher->fetch(m_url);
    updateStatus();
}

void AlertsDock::onFetched(const FiringAlertsFetch &result)
{
    if (result.baseUrl != m_url)
        return;
    m_lastPolled = result.finishedAt;
    m_model->setNow(result.finishedAt);
    if (result.ok()) {
        const QString fingerprint = selectedFingerprint();
        m_lastError.clear();
        m_listPolled = result.finishedAt;
        m_model->setAlerts(result.alerts);
        m_model->setStale(false);
        selectFingerprint(fingerprint);
        updateSelection();
    } else {
        m_lastError = result.error;
        // The last list stays: an engineer mid-triage keeps what was firing a poll ago.
        m_model->setStale(m_listPolled.isValid());
    }
    updateStatus();
    Q_EMIT polled(result.ok());
}

QString AlertsDock::statusText() const
{
    return m_status->text();
}

void AlertsDock::updateStatus()
{
    m_refresh->setEnabled(!m_url.isEmpty() && !m_fetcher->isFetching());
    QString text;
    if (m_url.isEmpty()) {
        text.clear();
    } else if (!m_lastPolled.isValid()) {
        text = tr("Polling %1…").arg(shownUrl(m_url));
    } else if (m_lastError.isEmpty()) {
        const int count = m_model->rowCount();
        const QString polled = utcTime(m_lastPolled);
        if (count == 0)
            text = tr("No alerts firing (polled %1)").arg(polled);
        else if (count == 1)
            text = tr("1 alert firing (polled %1)").arg(polled);
        else
            text = tr("%1 alerts firing (polled %2)").arg(count).arg(polled);
    } else if (m_listPolled.isValid()) {
        text = tr("%1 (polled %2). Showing the list from %3: stale.")
                   .arg(m_lastError, utcTime(m_lastPolled), utcTime(m_listPolled));
    } else {
        text = tr("%1 (polled %2)").arg(m_lastError, utcTime(m_lastPolled));
    }
    m_status->setText(text);
    m_status->setToolTip(m_url.isEmpty() ? QString()
                                         : tr("Alertmanager at %1").arg(shownUrl(m_url)));
}

QString AlertsDock::selectedFingerprint() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->alert(current.row()).fingerprint : QString();
}

// The alert selected before a poll stays selected while it fires; else the first is.
void AlertsDock::selectFingerprint(const QString &fingerprint)
{
    int row = fingerprint.isEmpty() ? -1 : m_model->rowOfFingerprint(fingerprint);
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row < 0)
        return;
    m_view->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void AlertsDock::updateSelection()
{
    const QString keptFile = m_suggestions->currentItem()
                                 ? m_suggestions->currentItem()->data(fileRole).toString()
                                 : QString();
    m_suggestions->clear();
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_summary->clear();
        m_summary->hide();
        updateStartButton();
        return;
    }
    const FiringAlert &alert = m_model->alert(current.row());
    const QString summary = alert.summary();
    const QString description = alert.annotations.value(QStringLiteral("description"));
    m_summary->setText(
        description.isEmpty() || description == summary ? summary : summary + u'\n' + description);
    m_summary->setVisible(!m_summary->text().isEmpty());

    int keep = -1;
    int firstRunnable = -1;
    for (const PlaybookMatch &match : m_model->suggestions(current.row())) {
        const QString title = PlaybookListModel::titleOf(*match.entry);
        auto *item = new QListWidgetItem(
            match.runnable() ? title : tr("%1 — has errors, cannot be run").arg(title));
        item->setData(fileRole, match.entry->file);
        item->setData(runnableRole, match.runnable());
        item->setToolTip(
            tr("%1\nLabels matched: %2").arg(match.entry->file).arg(match.labelsMatched));
        if (!match.runnable())
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        m_suggestions->addItem(item);
        const int row = m_suggestions->count() - 1;
        if (match.entry->file == keptFile)
            keep = row;
        if (firstRunnable < 0 && match.runnable())
            firstRunnable = row;
    }
    const int choose = keep >= 0 ? keep : (firstRunnable >= 0 ? firstRunnable : 0);
    if (m_suggestions->count() > 0)
        m_suggestions->setCurrentRow(choose);
    updateStartButton();
}

void AlertsDock::updateStartButton()
{
    const QListWidgetItem *item = m_suggestions->currentItem();
    const bool alertSelected = m_view->currentIndex().isValid();
    const bool runnable = item && item->data(runnableRole).toBool();
    m_start->setEnabled(alertSelected && runnable);
    if (!alertSelected)
        m_startHint->setText(m_model->rowCount() == 0 ? QString() : tr("Select an alert."));
    else if (m_suggestions->count() == 0)
        m_startHint->setText(tr("No playbook's triggers match this alert."));
    else if (!runnable)
        m_startHint->setText(tr("This playbook has errors: fix them in the library to run it."));
    else
        m_startHint->clear();
}

void AlertsDock::startIncident()
{
    const QModelIndex current = m_view->currentIndex();
    const QListWidgetItem *item = m_suggestions->currentItem();
    if (!current.isValid() || !item || !item->data(runnableRole).toBool())
        return;
    QJsonObject labels;
    const FiringAlert &alert = m_model->alert(current.row());
    for (auto it = alert.labels.cbegin(); it != alert.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    Q_EMIT startRequested(item->data(fileRole).toString(), labels);
}

bool AlertsDock::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_view || watched == m_suggestions) && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            startIncident();
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

} // namespace runlane::desktop
