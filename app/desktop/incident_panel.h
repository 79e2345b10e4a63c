#pragma once

#include "app/shared/incident_driver.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace runlane::desktop {

// The step the incident waits at, and what the engineer can do there: complete a checklist,
// pick an option (1-9), confirm, skip or abort an action after seeing its exact request, follow
// a check or a fan-out (done / failed / in flight, its wave, continue or stop between waves),
// skip a wait, settle requests whose outcome is unknown, add a note. Every move goes through the
// driver, which journals it before anything else shows.
class IncidentPanel : public QWidget
{
    Q_OBJECT

public:
    explicit IncidentPanel(QWidget *parent = nullptr);

    void setDriver(IncidentDriver *driver);
    IncidentDriver *driver() const { return m_driver; }

    // Puts the keyboard on what the step asks for: its first checkbox or its main button.
    void focusAction();

    // The last move refused, for the status line and tests.
    const QString &lastProblem() const { return m_problem; }

Q_SIGNALS:
    // The walk moved: the diagram follows the current step and the walked path.
    void walkChanged();
    // The engineer asks for the postmortem of the incident that has ended.
    void exportRequested();

private:
    void rebuild();
    void showState();
    void clearActions();
    QPushButton *addButton(const QString &text, const QString &objectName,
                           std::function<std::optional<QString>()> move);
    void showTask(const Step &step);
    void showChoices(const QStringList &labels, bool decision);
    void showGate(const Step &step);
    void showRequests(const std::variant<QStringList, QString> &preview, const Step &step);
    void showWork(const Step &step);
    void showWait(const Step &step);
    void showUnknown();
    void showEnded();
    void refresh(const std::optional<QString> &problem);
    void tick();
    void showClocks();
    void updateBackMenu();

    QPointer<IncidentDriver> m_driver;
    QLabel *m_heading;
    QLabel *m_where;
    QLabel *m_clocks; // the step's timeout and the budget, warning when exceeded
    QTextBrowser *m_body;
    QPlainTextEdit *m_request;
    QWidget *m_checklist;
    QBoxLayout *m_checklistLayout;
    QLabel *m_status;
    QProgressBar *m_progress;
    QWidget *m_actions;
    QBoxLayout *m_actionsLayout;
    QLabel *m_problemLabel;
    QLineEdit *m_note;
    QPushButton *m_back; // back to an earlier step, from a menu
    QTimer m_clock;      // countdowns of waits, elapsed time of work
    QTimer m_clocksTick; // the response clocks, every second while the incident runs
    QString m_problem;
    std::optional<FanoutProgress> m_fanout;
    bool m_atWaveGate = false;
    quint64 m_gateShown = 0;          // which gate a preview built in the background is for
    QWidget *m_focusTarget = nullptr; // what focusAction() focuses for the step shown
};

} // namespace runlane::desktop
