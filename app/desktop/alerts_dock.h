#pragma once

#include "engine/playbook/library.h"
#include "integrations/alertmanager_alerts.h"

#include <QDateTime>
#include <QDockWidget>
#include <QJsonObject>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTimer;
class QToolButton;
class QTreeView;

namespace runlane::desktop {

class AlertListModel;

// Alert intake: the alerts firing in the team's Alertmanager, polled in the background, each with
// the playbooks its labels suggest. Start Incident (or Enter) asks for an incident on the chosen
// playbook, with the alert's labels to fill in the inputs of the same names. A failed poll shows
// its error and keeps the last list, marked stale.
class AlertsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit AlertsDock(QWidget *parent = nullptr);
    ~AlertsDock() override;

    // Alertmanager's address, "http://alertmanager:9093". Empty: polling stops and the dock says
    // where to set it. A new address clears the list and polls at once.
    void setAlertmanagerUrl(const QString &url);
    QString alertmanagerUrl() const { return m_url; }
    // The playbooks to suggest from (copied).
    void setLibrary(const Library &library);

    // Default 30 s.
    void setPollInterval(int ms);
    int pollInterval() const;
    // Each poll's request, default 5 s.
    void setTimeoutMs(qint64 ms);

    // The last poll: when it ended (invalid before the first), and its error (empty when it read
    // the alerts). Stale: the list shown is from an earlier poll than the last.
    QDateTime lastPolled() const { return m_lastPolled; }
    QString lastError() const { return m_lastError; }
    bool isStale() const;
    bool isPolling() const;

    AlertListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QListWidget *suggestionList() const { return m_suggestions; }
    // The status line: when the last poll ended, how many alerts fire, or its error.
    QString statusText() const;

public Q_SLOTS:
    // Polls now (Refresh now); a no-op while a poll is under way or without an address.
    void refresh();
    // Emits startRequested for the selected alert and suggestion, when that playbook can run.
    void startIncident();

Q_SIGNALS:
    // `labels`: the alert's labels as strings, for InputsForm::setValues (it fills the inputs
    // whose names match and ignores the rest).
    void startRequested(const QString &playbookFile, const QJsonObject &labels);
    // After each poll, whether it read the alerts.
    void polled(bool ok);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onFetched(const FiringAlertsFetch &result);
    void selectFingerprint(const QString &fingerprint);
    QString selectedFingerprint() const;
    void updateSelection();
    void updateStartButton();
    void updateStatus();

    QString m_url;
    FiringAlertsFetcher *m_fetcher;
    AlertListModel *m_model;
    QTimer *m_poll;
    QStackedWidget *m_pages;
    QLabel *m_notConfigured;
    QLabel *m_status;
    QToolButton *m_refresh;
    QTreeView *m_view;
    QLabel *m_summary;
    QListWidget *m_suggestions;
    QLabel *m_startHint;
    QPushButton *m_start;
    QDateTime m_lastPolled;
    QDateTime m_listPolled; // when the list shown was read
    QString m_lastError;
};

} // namespace runlane::desktop
