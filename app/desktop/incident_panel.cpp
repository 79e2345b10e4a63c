#include "app/desktop/incident_panel.h"

#include "app/desktop/markdown.h"
#include "app/desktop/response_clocks.h"
#include "app/desktop/theme.h"
#include "app/shared/os_user.h"

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace runlane::desktop {

namespace {

QString countdown(qint64 ms)
{
    return durationText(ms + 999); // a countdown shows 0:00 only once the time is up
}

// The endpoints of each wave, as their request lines name them; long waves are cut short.
QString endpointsPerWave(const QStringList &requests, const QList<double> &waves)
{
    constexpr qsizetype shown = 8;
    QString text;
    qsizetype from = 0;
    int wave = 0;
    for (const qsizetype end : FanoutRun::waveEnds(requests.size(), waves)) {
        text += IncidentPanel::tr("\n\nWave %1 (%2):").arg(++wave).arg(end - from);
        for (qsizetype i = from; i < end && i < from + shown; ++i)
            text += QStringLiteral("\n  ") +
                    requests.at(i).section(u'\n', 0, 0).section(u' ', 1, 1); // the URL
        if (end - from > shown)
            text += IncidentPanel::tr("\n  … and %1 more").arg(end - from - shown);
        from = end;
    }
    return text;
}

} // namespace

IncidentPanel::IncidentPanel(QWidget *parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_where(new QLabel(this))
    , m_clocks(new QLabel(this))
    , m_body(new QTextBrowser(this))
    , m_request(new QPlainTextEdit(this))
    , m_checklist(new QWidget(this))
    , m_checklistLayout(new QVBoxLayout(m_checklist))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_actions(new QWidget(this))
    , m_actionsLayout(new QHBoxLayout(m_actions))
    , m_problemLabel(new QLabel(this))
    , m_note(new QLineEdit(this))
    , m_back(new QPushButton(tr("Back to… (Alt+Left)"), this))
{
    setObjectName(QStringLiteral("incidentPanel"));
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_heading->setWordWrap(true);
    m_heading->setObjectName(QStringLiteral("stepHeading"));
    m_where->setObjectName(QStringLiteral("stepWhere"));
    m_where->setForegroundRole(QPalette::PlaceholderText);
    m_clocks->setObjectName(QStringLiteral("responseClocks"));
    m_clocks->setTextFormat(Qt::RichText);
    m_clocks->setWordWrap(true);
    m_clocks->hide();
    m_body->setOpenExternalLinks(false);
    m_body->setObjectName(QStringLiteral("stepBody"));
    m_request->setReadOnly(true);
    m_request->setObjectName(QStringLiteral("gateRequest"));
    m_request->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_request->setLineWrapMode(QPlainTextEdit::WidgetWidth); // the whole URL in view
    m_request->setAccessibleName(tr("The exact request"));
    m_checklistLayout->setContentsMargins(0, 0, 0, 0);
    m_status->setObjectName(QStringLiteral("walkStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setObjectName(QStringLiteral("workProgress"));
    m_actionsLayout->setContentsMargins(0, 0, 0, 0);
    m_problemLabel->setObjectName(QStringLiteral("moveProblem"));
    m_problemLabel->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("noteField"));
    m_note->setPlaceholderText(tr("Add a note to the timeline (Ctrl+N), Enter to add"));
    m_note->setAccessibleName(tr("Note"));
    connect(m_note, &QLineEdit::returnPressed, this, [this] {
        if (!m_driver || m_note->text().trimmed().isEmpty())
            return;
        m_driver->addNote(m_note->text().trimmed());
        m_note->clear();
    });
    auto *focusNote = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_N), this);
    focusNote->setContext(Qt::WindowShortcut);
    connect(focusNote, &QShortcut::activated, m_note, [this] { m_note->setFocus(); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_where);
    layout->addWidget(m_clocks);
    layout->addWidget(m_body, 3);
    layout->addWidget(m_checklist);
    layout->addWidget(m_request, 2);
    layout->addStretch(1); // steps without a body or a request keep their lines together
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_actions);
    layout->addWidget(m_problemLabel);
    m_back->setObjectName(QStringLiteral("goBack"));
    m_back->setToolTip(tr("Go back to a step walked earlier; the timeline records it"));
    m_back->setMenu(new QMenu(m_back));
    m_back->menu()->setObjectName(QStringLiteral("goBackMenu"));
    m_back->hide();
    auto *noteRow = new QHBoxLayout;
    noteRow->addWidget(m_note, 1);
    noteRow->addWidget(m_back);
    layout->addLayout(noteRow);

    // Enter does what the step's first button says; 1-9 pick an option.
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto *enter = new QShortcut(QKeySequence(key), this);
        enter->setContext(Qt::WidgetWithChildrenShortcut);
        connect(enter, &QShortcut::activated, this, [this] {
            if (focusWidget() == m_note)
                return Q_EMIT m_note->returnPressed();
            const auto buttons = m_actions->findChildren<QPushButton *>();
            for (QPushButton *b : buttons) {
                if (b->isDefault() && b->isEnabled())
                    return b->click();
            }
        });
    }
    for (int i = 1; i <= 9; ++i) {
        auto *pick = new QShortcut(QKeySequence(Qt::Key_0 + i), this);
        pick->setContext(Qt::WidgetWithChildrenShortcut);
        connect(pick, &QShortcut::activated, this, [this, i] {
            if (auto *b = m_actions->findChild<QPushButton *>(QStringLiteral("option-%1").arg(i)))
                b->click();
        });
    }
    m_clock.setInterval(250);
    connect(&m_clock, &QTimer::timeout, this, &IncidentPanel::tick);
    m_clocksTick.setInterval(1000);
    connect(&m_clocksTick, &QTimer::timeout, this, &IncidentPanel::showClocks);
    // Back to an earlier step: the menu opens under the keyboard too.
    auto *back = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Left), this);
    back->setContext(Qt::WindowShortcut);
    connect(back, &QShortcut::activated, this, [this] {
        if (m_back->isVisible() && m_back->isEnabled())
            m_back->showMenu();
    });
    rebuild();
}

void IncidentPanel::setDriver(IncidentDriver *driver)
{
    if (m_driver)
        m_driver->disconnect(this);
    m_driver = driver;
    m_fanout.reset();
    m_atWaveGate = false;
    if (m_driver) {
        connect(m_driver, &IncidentDriver::stateChanged, this, [this] {
            m_atWaveGate = false;
            rebuild();
            Q_EMIT walkChanged();
        });
        // Every endpoint's answer moves the figures; the clock shows them four times a second,
        // as thousands of repaints would hold the window up.
        connect(m_driver, &IncidentDriver::fanoutProgressed, this,
                [this](const FanoutProgress &p) { m_fanout = p; });
        connect(m_driver, &IncidentDriver::waveGateReached, this, [this](const FanoutProgress &p) {
            m_fanout = p;
            m_atWaveGate = true;
            rebuild();
        });
        connect(m_driver, &IncidentDriver::journalFailed, this, [this](const QString &error) {
            m_problem = tr("The journal cannot be written, so nothing more is shown or sent: %1. "
                           "Once it can, resume the incident.")
                            .arg(error);
            m_problemLabel->setText(m_problem);
        });
    }
    rebuild();
}

void IncidentPanel::clearActions()
{
    // A deleted focus leaves the window with none; the panel keeps it until the next step's.
    if (QWidget *focus = QApplication::focusWidget(); focus && m_actions->isAncestorOf(focus))
        setFocus(Qt::OtherFocusReason);
    for (QPushButton *b : m_actions->findChildren<QPushButton *>())
        delete b;
    while (QLayoutItem *item = m_checklistLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

QPushButton *IncidentPanel::addButton(const QString &text, const QString &objectName,
                                      std::function<std::optional<QString>()> move)
{
    auto *button = new QPushButton(text, m_actions);
    button->setObjectName(objectName);
    m_actionsLayout->addWidget(button);
    connect(button, &QPushButton::clicked, this, [this, move] { refresh(move()); });
    return button;
}

void IncidentPanel::refresh(const std::optional<QString> &problem)
{
    m_problem = problem.value_or(QString());
    QPalette warn = m_problemLabel->palette();
    warn.setColor(QPalette::WindowText, warningTextColor());
    m_problemLabel->setPalette(warn);
    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
}

void IncidentPanel::focusAction()
{
    if (m_focusTarget)
        m_focusTarget->setFocus(Qt::OtherFocusReason);
    else
        setFocus(Qt::OtherFocusReason);
}

void IncidentPanel::rebuild()
{
    // The keyboard follows the walk only when it is in the panel already: a new step must not
    // take it from the timeline's filter or the library while the engineer types there.
    QWidget *focus = QApplication::focusWidget();
    const bool ours = focus && (focus == this || isAncestorOf(focus)) && focus != m_note;
    showState();
    if (ours)
        focusAction();
}

void IncidentPanel::showState()
{
    ++m_gateShown; // a preview still being built is for a gate no longer shown
    m_focusTarget = nullptr;
    clearActions();
    m_request->hide();
    m_checklist->hide();
    m_progress->hide();
    m_status->clear();
    m_clock.stop();
    m_problemLabel->setVisible(!m_problem.isEmpty());
    const Session *session = m_driver ? m_driver->session() : nullptr;
    m_note->setEnabled(session && !session->outcome());
    m_back->hide();
    if (!session || !session->current()) {
        m_heading->setText(tr("No incident"));
        m_where->setText(tr("Start one from a playbook (Ctrl+Return), or resume one."));
        m_body->clear();
        return;
    }
    showClocks();
    const Step &step = *session->current();
    const Playbook &playbook = session->playbook();
    const QString lane = playbook.laneOf(step);
    const Lane *laneInfo = playbook.lane(lane);
    m_heading->setText(step.title.value);
    m_where->setText(tr("%1 lane · %2 · %3%4")
                         .arg(laneInfo && laneInfo->title.present ? laneInfo->title.value : lane,
                              toString(step.type.value), step.id.value,
                              session->dryRun() ? tr(" · DRY RUN: nothing is sent") : QString()));
    setPlaybookMarkdown(m_body->document(), step.body.value);
    m_body->setVisible(!step.body.value.trimmed().isEmpty());

    if (!m_driver->unknownOutcomes().isEmpty())
        return showUnknown();
    updateBackMenu();
    switch (session->waiting()) {
    case Session::Waiting::Task:
        return showTask(step);
    case Session::Waiting::Decision: {
        QStringList labels;
        for (const Option &o : step.options)
            labels.append(o.label.value);
        return showChoices(labels, true);
    }
    case Session::Waiting::Choice:
        m_status->setText(
            tr("Inconclusive: %1. Choose the way on.").arg(session->inconclusiveReason()));
        return showChoices(session->choices(), false);
    case Session::Waiting::Confirm:
        return showGate(step);
    case Session::Waiting::Work:
        return showWork(step);
    case Session::Waiting::Wait:
        return showWait(step);
    case Session::Waiting::Ended:
        return showEnded();
    case Session::Waiting::NotStarted:
        break;
    }
}

void IncidentPanel::showTask(const Step &step)
{
    QList<QCheckBox *> boxes;
    for (const LString &item : step.checklist) {
        auto *box = new QCheckBox(item.value, m_checklist);
        m_checklistLayout->addWidget(box);
        boxes.append(box);
    }
    m_checklist->setVisible(!boxes.isEmpty());
    auto *done = addButton(tr("Done (Enter)"), QStringLiteral("taskDone"), [this, boxes] {
        QList<Session::Mark> marks;
        for (QCheckBox *box : boxes)
            marks.append(box->isChecked() ? Session::Mark::Ticked : Session::Mark::Skipped);
        return m_driver->completeTask(marks);
    });
    done->setDefault(true);
    m_focusTarget = boxes.isEmpty() ? static_cast<QWidget *>(done) : boxes.constFirst();
}

void IncidentPanel::showChoices(const QStringList &labels, bool decision)
{
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const QString label = labels.at(i);
        auto *button =
            addButton(i < 9 ? QStringLiteral("%1  %2").arg(i + 1).arg(label) : label,
                      QStringLiteral("option-%1").arg(i + 1), [this, label, decision] {
                          return decision ? m_driver->decide(label) : m_driver->choose(label);
                      });
        if (i == 0)
            m_focusTarget = button;
    }
    if (decision)
        m_status->setText(tr("Choose with the buttons or the number keys."));
}

void IncidentPanel::showGate(const Step &step)
{
    auto *confirm = addButton(tr("Confirm and send (Enter)"), QStringLiteral("gateConfirm"),
                              [this] { return m_driver->confirmAction(); });
    confirm->setDefault(true);
    m_focusTarget = confirm;
    addButton(tr("Skip"), QStringLiteral("gateSkip"), [this] { return m_driver->skipAction(); });
    addButton(tr("Abort incident"), QStringLiteral("gateAbort"), [this, id = step.id.value] {
        m_driver->abort(tr("aborted by %1 at the action gate of '%2'").arg(osUser(), id));
        return std::optional<QString>();
    });
    m_status->setText(
        tr("%1 on target '%2'. Confirm sends exactly this.")
            .arg(step.call.present ? step.call.value : tr("A request"), step.target.value));
    m_request->show();
    const auto work = m_driver->session()->gatedWork();
    if (!work)
        return m_request->clear();
    if (!step.fanout)
        return showRequests(m_driver->executor().preview(*work), step);
    // Thousands of requests take a moment to build: off the window's thread, and Confirm waits
    // for them, since the engineer confirms what is shown.
    confirm->setEnabled(false);
    m_request->setPlainText(tr("Preparing the exact requests…"));
    const quint64 shown = ++m_gateShown;
    auto *watcher = new QFutureWatcher<HttpExecutor::Prepared>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, shown, confirm, gated = *work] {
                watcher->deleteLater();
                const Step *at =
                    m_driver && m_driver->session() ? m_driver->session()->current() : nullptr;
                if (shown != m_gateShown || !at) // the walk moved on meanwhile
                    return;
                const HttpExecutor::Prepared prepared = watcher->result();
                if (prepared.plan) // Confirm sends the very requests shown
                    m_driver->executor().adoptPlan(gated, prepared.plan);
                showRequests(prepared.preview, *at);
                confirm->setEnabled(true);
            });
    // The playbook is held for the steps the work points into.
    watcher->setFuture(QtConcurrent::run([work = *work, targets = m_driver->executor().targets(),
                                          only = m_driver->executor().isLoopbackOnly(),
                                          playbook = m_driver->session()->playbookPtr()] {
        return HttpExecutor::prepare(work, targets, only);
    }));
}

void IncidentPanel::showRequests(const std::variant<QStringList, QString> &preview,
                                 const Step &step)
{
    QString text;
    if (const auto *error = std::get_if<QString>(&preview)) {
        text = tr("It cannot be sent: %1").arg(*error);
    } else {
        const QStringList &requests = std::get<QStringList>(preview);
        text = requests.value(0);
        if (step.fanout && requests.size() > 1) {
            QStringList waves;
            qsizetype from = 0;
            for (const qsizetype end : FanoutRun::waveEnds(requests.size(), step.fanout->waves)) {
                waves.append(QString::number(end - from));
                from = end;
            }
            text += tr("\n\nFan-out: %1 endpoints, one request each like the above, %2 at a "
                       "time, in waves of %3; stops before the next wave once more than %4% "
                       "have failed.")
                        .arg(requests.size())
                        .arg(step.fanout->concurrency.value)
                        .arg(waves.join(QStringLiteral(", ")))
                        .arg(step.fanout->maxFailures.value * 100, 0, 'g', 3);
            text += endpointsPerWave(requests, step.fanout->waves);
        }
    }
    m_request->setPlainText(text);
}

void IncidentPanel::showWork(const Step &step)
{
    m_progress->show();
    if (m_atWaveGate && m_fanout) {
        m_status->setText(tr("Wave %1 of %2 done: %3 succeeded, %4 failed. Start the next wave?")
                              .arg(m_fanout->wave + 1)
                              .arg(m_fanout->waves)
                              .arg(m_fanout->succeeded)
                              .arg(m_fanout->failed));
        m_progress->setRange(0, int(m_fanout->total));
        m_progress->setValue(int(m_fanout->done()));
        auto *next = addButton(tr("Start wave %1 (Enter)").arg(m_fanout->wave + 2),
                               QStringLiteral("waveContinue"), [this] {
                                   m_atWaveGate = false;
                                   m_driver->continueWaves(true);
                                   rebuild();
                                   return std::optional<QString>();
                               });
        next->setDefault(true);
        m_focusTarget = next;
        addButton(tr("Stop the fan-out"), QStringLiteral("waveStop"), [this] {
            m_atWaveGate = false;
            m_driver->continueWaves(false);
            return std::optional<QString>();
        });
        return;
    }
    if (step.fanout) {
        const bool held = m_driver->isFanoutHeld();
        auto *hold =
            addButton(held ? tr("Continue (Enter)") : tr("Pause"), QStringLiteral("fanoutHold"),
                      [this, held] { return m_driver->holdFanout(!held); });
        hold->setDefault(held);
        m_focusTarget = hold;
    }
    addButton(tr("Stop"), QStringLiteral("workStop"), [this] {
        m_driver->stopWork();
        return std::optional<QString>();
    });
    m_clock.start();
    tick();
}

void IncidentPanel::showWait(const Step &step)
{
    m_progress->show();
    // The keyboard on Skip (Space), not Enter: skipping is a choice, not the way on.
    m_focusTarget = addButton(tr("Skip the wait"), QStringLiteral("waitSkip"),
                              [this] { return m_driver->skipWait(); });
    Q_UNUSED(step);
    m_clock.start();
    tick();
}

void IncidentPanel::showUnknown()
{
    const auto &unknown = m_driver->unknownOutcomes();
    QStringList lines;
    for (qsizetype i = 0; i < unknown.size() && i < 20; ++i)
        lines.append(QStringLiteral("%1   Idempotency-Key: %2")
                         .arg(unknown.at(i).requestLine, unknown.at(i).idempotencyKey));
    if (unknown.size() > 20)
        lines.append(tr("… and %1 more").arg(unknown.size() - 20));
    m_request->setPlainText(lines.join(u'\n'));
    m_request->show();
    m_status->setText(tr("Outcome unknown: %n request(s) of this action were about to be sent "
                         "when the walk stopped, and no answer was recorded. They may or may not "
                         "have reached the API.",
                         nullptr, int(unknown.size())));
    auto *resend =
        addButton(tr("Re-send with the same keys"), QStringLiteral("unknownResend"), [this] {
            m_driver->resendUnknown();
            return std::optional<QString>();
        });
    resend->setDefault(true);
    m_focusTarget = resend;
    const Step *step = m_driver->session()->current();
    if (step && !step->fanout) {
        addButton(tr("It succeeded"), QStringLiteral("unknownSucceeded"),
                  [this] { return m_driver->recordUnknown(true, osUser()); });
        addButton(tr("It failed"), QStringLiteral("unknownFailed"),
                  [this] { return m_driver->recordUnknown(false, osUser()); });
    }
}

void IncidentPanel::showEnded()
{
    const Session &session = *m_driver->session();
    const IncidentDriver::ResponseTimes &times = m_driver->responseTimes();
    const Budget &budget = session.playbook().budget;
    QStringList lines{tr("The incident has ended: %1.")
                          .arg(session.outcome() ? toString(*session.outcome()) : QString())};
    const auto milestone = [&](const QString &name, const std::optional<qint64> &at,
                               const LDuration &limit) {
        if (!at)
            return;
        const qint64 took = *at - times.startedAtMs;
        QString line = tr("%1 after %2").arg(name, durationText(took));
        if (limit.present)
            line += took > limit.value.ms
                        ? tr(", over the %1 budget").arg(durationText(limit.value.ms))
                        : tr(", within the %1 budget").arg(durationText(limit.value.ms));
        lines.append(line);
    };
    milestone(tr("Acknowledged"), times.acknowledgedAtMs, budget.acknowledge);
    milestone(tr("Mitigated"), times.mitigatedAtMs, budget.mitigate);
    milestone(tr("Resolved"), times.resolvedAtMs, budget.resolve);
    if (session.dryRun())
        lines.append(tr("A dry run: nothing was sent."));
    m_status->setText(lines.join(u'\n'));
    auto *exportButton =
        addButton(tr("Export Postmortem… (Ctrl+E)"), QStringLiteral("exportPostmortem"), [this] {
            Q_EMIT exportRequested();
            return std::optional<QString>();
        });
    exportButton->setDefault(true);
    m_focusTarget = exportButton;
}

// Live figures: a fan-out's progress, a wait's countdown, how long work has been out.
void IncidentPanel::tick()
{
    const Session *session = m_driver ? m_driver->session() : nullptr;
    if (!session || !session->current())
        return;
    const Step &step = *session->current();
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - session->stepEnteredAtMs();
    if (session->waiting() == Session::Waiting::Work && m_fanout && step.fanout) {
        const FanoutProgress &p = *m_fanout;
        m_progress->setRange(0, int(p.total));
        m_progress->setValue(int(p.done()));
        // While paused, requests handed over but held are not in flight: no count of those.
        m_status->setText(p.held ? tr("Fan-out PAUSED: %1 of %2 done, %3 failed; wave %4 of %5. "
                                      "Requests already sent finish; nothing more is sent until "
                                      "you continue.")
                                       .arg(p.done())
                                       .arg(p.total)
                                       .arg(p.failed)
                                       .arg(p.wave + 1)
                                       .arg(p.waves)
                                 : tr("Fan-out: %1 of %2 done, %3 failed, %4 in flight; wave %5 "
                                      "of %6")
                                       .arg(p.done())
                                       .arg(p.total)
                                       .arg(p.failed)
                                       .arg(p.inFlight)
                                       .arg(p.wave + 1)
                                       .arg(p.waves));
    } else if (session->waiting() == Session::Waiting::Work) {
        m_progress->setRange(0, 0); // busy
        m_status->setText(tr("%1 running for %2")
                              .arg(step.type.value == StepType::Check ? tr("Check") : tr("Request"),
                                   countdown(since)));
    } else if (session->waiting() == Session::Waiting::Wait) {
        const qint64 total = step.until ? step.timeout.value.ms : step.duration.value.ms;
        m_progress->setRange(0, int(std::max<qint64>(1, total / 1000)));
        m_progress->setValue(int(std::min(since, total) / 1000));
        m_status->setText(step.until
                              ? tr("Waiting until %1; times out in %2")
                                    .arg(step.until->condition.value, countdown(total - since))
                              : tr("Waiting: %1 left").arg(countdown(total - since)));
    }
}

// The step's timeout and the budgets, red once exceeded; a milestone reached stops its clock.
void IncidentPanel::showClocks()
{
    const Session *session = m_driver ? m_driver->session() : nullptr;
    const QList<ResponseClock> clocks = session
                                            ? responseClocks(*session, m_driver->responseTimes(),
                                                             QDateTime::currentMSecsSinceEpoch())
                                            : QList<ResponseClock>{};
    if (clocks.isEmpty()) {
        m_clocks->hide();
        m_clocksTick.stop();
        return;
    }
    QStringList parts;
    QStringList plain;
    for (const ResponseClock &c : clocks) {
        const QString text = toString(c.kind) + QStringLiteral(": ") + clockText(c);
        plain.append(text);
        const bool warn = c.over() && !c.reached;
        parts.append(warn ? QStringLiteral("<b style=\"color:%1\">\u26a0 %2</b>")
                                .arg(warningTextColor().name(), text.toHtmlEscaped())
                          : text.toHtmlEscaped());
    }
    m_clocks->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    m_clocks->setAccessibleDescription(plain.join(QStringLiteral("; ")));
    m_clocks->show();
    if (!m_clocksTick.isActive())
        m_clocksTick.start();
}

// Back to a step walked earlier (the latest visit of each, newest first), from a menu; not
// while automated work is out, which the step would leave behind.
void IncidentPanel::updateBackMenu()
{
    const Session &session = *m_driver->session();
    QMenu *menu = m_back->menu();
    menu->clear();
    const QString current = session.current() ? session.current()->id.value : QString();
    QStringList earlier;
    for (auto it = session.path().crbegin(); it != session.path().crend(); ++it) {
        if (*it != current && !earlier.contains(*it))
            earlier.append(*it);
    }
    for (const QString &id : std::as_const(earlier)) {
        const Step *step = session.playbook().step(id);
        QAction *to =
            menu->addAction(step ? QStringLiteral("%1  (%2)").arg(step->title.value, id) : id);
        to->setData(id);
        // After the menu has closed: the move rebuilds this menu, deleting the action.
        connect(to, &QAction::triggered, this, [this, id] {
            QTimer::singleShot(0, this, [this, id] {
                if (m_driver)
                    refresh(m_driver->goBack(id));
            });
        });
    }
    const auto waiting = session.waiting();
    m_back->setVisible(!earlier.isEmpty() && waiting != Session::Waiting::Ended &&
                       waiting != Session::Waiting::NotStarted);
    m_back->setEnabled(waiting != Session::Waiting::Work);
}

} // namespace runlane::desktop
