#include "app/desktop/editor/test_results_panel.h"

#include "app/desktop/icons.h"
#include "app/desktop/theme.h"

#include <QAction>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

// A round pass or fail mark: the app's resources have none, and a theme's own icons vary.
QIcon statusIcon(bool passed)
{
    constexpr int size = 32; // drawn at twice the list's 16 px so it stays sharp on HiDPI
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(passed ? QColor(0x15, 0x80, 0x3d) : QColor(0xdc, 0x26, 0x26));
    p.drawEllipse(QRectF(2, 2, size - 4, size - 4));
    QPen mark(Qt::white, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(mark);
    p.setBrush(Qt::NoBrush);
    if (passed) {
        QPainterPath tick;
        tick.moveTo(9.5, 16.5);
        tick.lineTo(14, 21);
        tick.lineTo(23, 11.5);
        p.drawPath(tick);
    } else {
        p.drawLine(QPointF(11, 11), QPointF(21, 21));
        p.drawLine(QPointF(21, 11), QPointF(11, 21));
    }
    p.end();
    return QIcon(pixmap);
}

QString locationOf(const QString &file, SourcePos pos)
{
    const QString name = QFileInfo(file).fileName();
    return pos.isValid() ? u"%1:%2"_s.arg(name).arg(pos.line) : name;
}

QStandardItem *readOnly(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

void markDifference(QStandardItem *item)
{
    item->setForeground(warningTextColor());
    QFont bold = item->font();
    bold.setBold(true);
    item->setFont(bold);
}

void setWarning(QLabel *label, bool warn)
{
    QPalette palette; // only what is set here; the rest follows the theme
    if (warn)
        palette.setColor(QPalette::WindowText, warningTextColor());
    label->setPalette(palette);
}

QLabel *plainLabel(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // step ids, paths and messages are not markup
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

TestResultsPanel::TestResultsPanel(QWidget *parent)
    : QWidget(parent)
    , m_runAction(new QAction(tr("Run Tests"), this))
    , m_runButton(new QPushButton(tr("Run Tests")))
    , m_busy(new QProgressBar)
    , m_summary(plainLabel(u"testSummary"_s))
    , m_model(new QStandardItemModel(this))
    , m_view(new QTreeView)
    , m_details(new QStackedWidget)
    , m_placeholder(plainLabel(u"testPlaceholder"_s))
    , m_caseTitle(plainLabel(u"testCaseTitle"_s))
    , m_failures(plainLabel(u"testFailures"_s))
    , m_outcome(plainLabel(u"testOutcome"_s))
    , m_difference(plainLabel(u"testDifference"_s))
    , m_comparison(new QStandardItemModel(this))
    , m_comparisonView(new QTableView)
    , m_split(new QSplitter(Qt::Vertical))
{
    setObjectName(u"testResultsPanel"_s);

    // The editor page adds this action to itself too, so that Ctrl+T works anywhere in it.
    m_runAction->setObjectName(u"runTests"_s);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_runAction->setToolTip(tr("Runs the playbook's test files with no network (Ctrl+T)"));
    addAction(m_runAction);
    connect(m_runAction, &QAction::triggered, this, [this] {
        if (!m_running)
            Q_EMIT runRequested();
    });

    m_runButton->setObjectName(u"runTestsButton"_s);
    m_runButton->setToolTip(m_runAction->toolTip());
    m_runButton->setAutoDefault(false);
    connect(m_runButton, &QPushButton::clicked, m_runAction, &QAction::trigger);

    m_busy->setObjectName(u"testsBusy"_s);
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(fontMetrics().horizontalAdvance(u"MMMMMMMM"_s));
    m_busy->hide();

    m_model->setHorizontalHeaderLabels({tr("Case"), tr("Where")});
    m_view->setObjectName(u"testResultsView"_s);
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setExpandsOnDoubleClick(false); // a double-click opens the case
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(LocationColumn, QHeaderView::ResizeToContents);

    m_placeholder->setContentsMargins(0, 4, 0, 0);
    QFont titleFont = m_caseTitle->font();
    titleFont.setBold(true);
    m_caseTitle->setFont(titleFont);
    // The runner lines its messages up in columns ("expected path:" over "actual path:").
    m_failures->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_comparisonView->setObjectName(u"testComparisonView"_s);
    m_comparisonView->setModel(m_comparison);
    m_comparisonView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_comparisonView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_comparisonView->setTabKeyNavigation(false);
    m_comparisonView->setShowGrid(false);
    m_comparisonView->setAlternatingRowColors(true);
    m_comparisonView->setWordWrap(false);
    m_comparisonView->setCornerButtonEnabled(false);
    m_comparisonView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_comparisonView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_comparisonView->horizontalHeader()->setHighlightSections(false);
    m_comparisonView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_comparisonView->verticalHeader()->setHighlightSections(false);
    m_comparisonView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);

    auto *casePage = new QWidget;
    auto *caseLayout = new QVBoxLayout(casePage);
    caseLayout->setContentsMargins(0, 4, 0, 0);
    caseLayout->setSpacing(4);
    caseLayout->addWidget(m_caseTitle);
    caseLayout->addWidget(m_failures);
    caseLayout->addWidget(m_outcome);
    caseLayout->addWidget(m_difference);
    caseLayout->addWidget(m_comparisonView);
    caseLayout->addStretch(1);
    m_details->addWidget(m_placeholder);
    m_details->addWidget(casePage);

    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_view);
    m_split->addWidget(m_details);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_runButton);
    top->addWidget(m_busy);
    top->addWidget(m_summary, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_split, 1);

    setFocusProxy(m_view);
    setTabOrder(m_runButton, m_view);
    setTabOrder(m_view, m_comparisonView);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TestResultsPanel::showSelected);
    connect(m_view, &QTreeView::activated, this, &TestResultsPanel::activate);

    clear();
}

// Under an editor the panel is wide and low: the case list then goes beside the details.
void TestResultsPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() > height() * 3 / 2 ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() != wanted) {
        m_split->setOrientation(wanted);
        const int whole = wanted == Qt::Horizontal ? m_split->width() : m_split->height();
        m_split->setSizes({whole / 2, whole - whole / 2});
    }
}

void TestResultsPanel::setRunning(bool running)
{
    m_running = running;
    if (running)
        m_message.clear();
    m_runAction->setEnabled(!running);
    m_runButton->setEnabled(!running);
    m_busy->setVisible(running);
    m_summary->setText(summaryText());
}

void TestResultsPanel::setResults(const TestCoverage &results)
{
    m_results = results;
    m_hasResults = true;
    m_message.clear();
    rebuild();
    setRunning(false);
}

void TestResultsPanel::clear()
{
    m_results = {};
    m_hasResults = false;
    m_message.clear();
    rebuild();
    m_summary->setText(summaryText());
}

void TestResultsPanel::setMessage(const QString &message)
{
    m_message = message;
    m_summary->setText(summaryText());
}

QString TestResultsPanel::summaryText() const
{
    if (m_running)
        return tr("Running the tests…");
    if (!m_message.isEmpty())
        return m_message;
    if (!m_hasResults)
        return tr("Run the tests to see each case here.");
    return m_results.summary();
}

QString TestResultsPanel::outcomeText() const
{
    return m_details->currentIndex() == 1 ? m_outcome->text() : QString();
}

QString TestResultsPanel::failuresText() const
{
    return m_details->currentIndex() == 1 ? m_failures->text() : QString();
}

void TestResultsPanel::rebuild()
{
    // Keep the selected case across runs: the author fixes it and runs again.
    QString keptFile, keptName;
    if (const QModelIndex current = m_view->currentIndex(); current.isValid()) {
        const QModelIndex first = current.siblingAtColumn(NameColumn);
        const int index = first.data(CaseIndexRole).toInt();
        keptFile = first.data(FileRole).toString();
        keptName = index >= 0 ? first.data().toString() : QString();
    }

    m_model->removeRows(0, m_model->rowCount());
    QStringList files;
    for (const CaseReport &c : std::as_const(m_results.cases)) {
        if (!files.contains(c.file))
            files.append(c.file);
    }
    for (const Diagnostic &d : std::as_const(m_results.testFileProblems)) {
        if (!files.contains(d.file))
            files.append(d.file);
    }
    std::sort(files.begin(), files.end()); // the folder's order, as the files were run
    const bool grouped = files.size() > 1;
    m_view->setRootIsDecorated(grouped);

    QModelIndex select;
    for (const QString &file : std::as_const(files)) {
        QStandardItem *parent = m_model->invisibleRootItem();
        if (grouped) {
            int passed = 0, failed = 0, problems = 0;
            for (const CaseReport &c : std::as_const(m_results.cases)) {
                if (c.file == file)
                    c.passed ? ++passed : ++failed;
            }
            for (const Diagnostic &d : std::as_const(m_results.testFileProblems)) {
                if (d.file == file && d.isError())
                    ++problems;
            }
            QStandardItem *name = readOnly(QFileInfo(file).fileName());
            name->setIcon(statusIcon(failed == 0 && problems == 0));
            name->setData(int(RowKind::File), RowKindRole);
            name->setData(file, FileRole);
            name->setData(0, LineRole);
            name->setData(0, ColumnRole);
            name->setData(-1, CaseIndexRole);
            name->setData(-1, ProblemIndexRole);
            name->setToolTip(file);
            QStandardItem *figures = readOnly(
                problems > 0 && passed + failed == 0
                    ? tr("could not be loaded")
                    : tr("%1 passed, %2 failed", nullptr, passed + failed).arg(passed).arg(failed));
            m_model->appendRow({name, figures});
            parent = name;
        }
        for (int i = 0; i < m_results.testFileProblems.size(); ++i) {
            if (m_results.testFileProblems.at(i).file == file)
                parent->appendRow(problemRow(i));
        }
        for (int i = 0; i < m_results.cases.size(); ++i) {
            const CaseReport &c = m_results.cases.at(i);
            if (c.file != file)
                continue;
            const QList<QStandardItem *> row = caseRow(i);
            parent->appendRow(row);
            const QModelIndex index = row.first()->index();
            if (c.file == keptFile && c.name == keptName)
                select = index;
        }
    }
    m_view->expandAll();

    if (!select.isValid()) {
        const auto failing = std::find_if(m_results.cases.cbegin(), m_results.cases.cend(),
                                          [](const CaseReport &c) { return !c.passed; });
        if (failing != m_results.cases.cend()) {
            const int index = int(failing - m_results.cases.cbegin());
            const QModelIndexList found =
                m_model->match(m_model->index(0, NameColumn), CaseIndexRole, index, 1,
                               Qt::MatchExactly | Qt::MatchRecursive);
            if (!found.isEmpty())
                select = found.first();
        }
    }
    if (select.isValid()) {
        m_view->setCurrentIndex(select);
        m_view->scrollTo(select);
    }
    showSelected();
}

QList<QStandardItem *> TestResultsPanel::caseRow(int index) const
{
    const CaseReport &c = m_results.cases.at(index);
    QStandardItem *name = readOnly(c.name);
    name->setIcon(statusIcon(c.passed));
    name->setData(int(RowKind::Case), RowKindRole);
    name->setData(c.file, FileRole);
    name->setData(c.pos.line, LineRole);
    name->setData(c.pos.column, ColumnRole);
    name->setData(index, CaseIndexRole);
    name->setData(-1, ProblemIndexRole);
    name->setToolTip(c.passed ? tr("Passed") : c.failures.join(u'\n'));
    name->setAccessibleText((c.passed ? tr("passed: %1") : tr("failed: %1")).arg(c.name));
    QStandardItem *where = readOnly(locationOf(c.file, c.pos));
    where->setToolTip(c.file);
    return {name, where};
}

QList<QStandardItem *> TestResultsPanel::problemRow(int index) const
{
    const Diagnostic &problem = m_results.testFileProblems.at(index);
    QStandardItem *name = readOnly(problem.message);
    name->setIcon(problem.isError() ? Icons::error() : Icons::warning());
    name->setData(int(RowKind::Problem), RowKindRole);
    name->setData(problem.file, FileRole);
    name->setData(problem.pos.line, LineRole);
    name->setData(problem.pos.column, ColumnRole);
    name->setData(-1, CaseIndexRole);
    name->setData(index, ProblemIndexRole);
    name->setToolTip(problem.toString());
    if (problem.isError())
        name->setForeground(warningTextColor());
    QStandardItem *where = readOnly(locationOf(problem.file, problem.pos));
    where->setToolTip(problem.file);
    return {name, where};
}

void TestResultsPanel::showSelected()
{
    m_comparison->clear();
    m_firstDifferenceRow = -1;
    const QModelIndex first = m_view->currentIndex().siblingAtColumn(NameColumn);
    const auto kind = RowKind(first.data(RowKindRole).toInt());
    const int index = first.data(CaseIndexRole).toInt();
    if (first.isValid() && kind == RowKind::Case && index >= 0 && index < m_results.cases.size()) {
        showCase(m_results.cases.at(index));
        m_details->setCurrentIndex(1);
        return;
    }
    const int problem = first.data(ProblemIndexRole).toInt();
    if (first.isValid() && kind == RowKind::Problem && problem >= 0 &&
        problem < m_results.testFileProblems.size()) {
        Diagnostic shown = m_results.testFileProblems.at(problem);
        shown.file = QFileInfo(shown.file).fileName(); // the row's group says which folder
        m_placeholder->setText(shown.toString());
        m_placeholder->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    } else {
        m_placeholder->setText(m_hasResults && !m_results.cases.isEmpty()
                                   ? tr("Select a case to see what it expected and what the "
                                        "walk did.")
                                   : QString());
        m_placeholder->setContentsMargins(0, 4, 0, 0);
    }
    m_details->setCurrentIndex(0);
}

void TestResultsPanel::showCase(const CaseReport &report)
{
    m_caseTitle->setText((report.passed ? tr("Passed: %1 (%2)") : tr("Failed: %1 (%2)"))
                             .arg(report.name, locationOf(report.file, report.pos)));
    m_failures->setText(report.failures.join(u'\n'));
    m_failures->setVisible(!report.failures.isEmpty());

    const QString actual = report.actualOutcome.value_or(tr("none (the walk did not end)"));
    const bool outcomeDiffers =
        report.expectedOutcome && report.expectedOutcome != report.actualOutcome;
    if (!report.expectedOutcome)
        m_outcome->setText(tr("Outcome: %1 (not checked)").arg(actual));
    else if (outcomeDiffers)
        m_outcome->setText(tr("Outcome: expected %1, got %2").arg(*report.expectedOutcome, actual));
    else
        m_outcome->setText(tr("Outcome: %1, as expected").arg(actual));
    setWarning(m_outcome, outcomeDiffers);

    if (report.expectedVisits)
        fillVisitsComparison(*report.expectedVisits, report.actualPath);
    else
        fillPathComparison(report.expectedPath.value_or(QStringList()), report.actualPath);
    if (!report.expectedPath && !report.expectedVisits)
        m_comparison->setHorizontalHeaderLabels({tr("Expected path (not checked)"), tr("Walked")});
    m_difference->setVisible(!m_difference->text().isEmpty());
    setWarning(m_difference, true);
    fitComparisonHeight();
}

// As high as its rows (up to a dozen, then it scrolls), so that the space below stays empty
// rather than an empty table.
void TestResultsPanel::fitComparisonHeight()
{
    constexpr int mostRows = 12;
    const QHeaderView *rows = m_comparisonView->verticalHeader();
    int height = m_comparisonView->horizontalHeader()->sizeHint().height() +
                 2 * m_comparisonView->frameWidth();
    const int shown = std::min(m_comparison->rowCount(), mostRows);
    for (int row = 0; row < shown; ++row)
        height += rows->sectionSizeHint(row);
    m_comparisonView->setMaximumHeight(height);
}

void TestResultsPanel::fillPathComparison(const QStringList &expected, const QStringList &actual)
{
    m_comparison->setHorizontalHeaderLabels({tr("Expected path"), tr("Walked")});
    const qsizetype rows = std::max(expected.size(), actual.size());
    const QString none = expected.isEmpty() ? QString() : u"—"_s; // past the end of one of them
    for (qsizetype i = 0; i < rows; ++i) {
        m_comparison->appendRow(
            {readOnly(expected.value(i, none)), readOnly(actual.value(i, none))});
        m_comparison->setVerticalHeaderItem(int(i), readOnly(QString::number(i + 1)));
    }
    m_difference->clear();
    if (expected.isEmpty())
        return; // nothing was expected of the path
    const qsizetype at = firstPathDifference(expected, actual);
    if (at < 0)
        return;
    m_firstDifferenceRow = int(at);
    for (int column = 0; column < 2; ++column)
        markDifference(m_comparison->item(int(at), column));
    markDifference(m_comparison->verticalHeaderItem(int(at)));
    if (actual.isEmpty())
        m_difference->setText(
            tr("The walk did not start; %1 was expected first.").arg(expected.at(0)));
    else if (at >= actual.size())
        m_difference->setText(
            tr("The walk ended after step %1; %2 was expected next.").arg(at).arg(expected.at(at)));
    else if (at >= expected.size())
        m_difference->setText(tr("The walk went on past the expected end: step %1 is %2.")
                                  .arg(at + 1)
                                  .arg(actual.at(at)));
    else
        m_difference->setText(tr("The paths part at step %1: expected %2, walked %3.")
                                  .arg(at + 1)
                                  .arg(expected.at(at), actual.at(at)));
}

// The visits are set beside the steps where the walk met them; those it did not meet follow
// after the walk's end, the first of them marked.
void TestResultsPanel::fillVisitsComparison(const QStringList &visits, const QStringList &actual)
{
    m_comparison->setHorizontalHeaderLabels({tr("Expected visits"), tr("Walked")});
    const QList<qsizetype> positions = visitPositions(visits, actual);
    for (qsizetype i = 0; i < actual.size(); ++i) {
        const qsizetype visit = positions.indexOf(i);
        m_comparison->appendRow(
            {readOnly(visit < 0 ? QString() : visits.at(visit)), readOnly(actual.at(i))});
        m_comparison->setVerticalHeaderItem(int(i), readOnly(QString::number(i + 1)));
    }
    m_difference->clear();
    const qsizetype missed = firstMissedVisit(visits, actual);
    if (missed < 0)
        return;
    for (qsizetype i = missed; i < visits.size(); ++i) {
        const int row = m_comparison->rowCount();
        m_comparison->appendRow({readOnly(visits.at(i)), readOnly(u"—"_s)});
        m_comparison->setVerticalHeaderItem(row, readOnly(u"–"_s));
    }
    m_firstDifferenceRow = int(actual.size());
    for (int column = 0; column < 2; ++column)
        markDifference(m_comparison->item(m_firstDifferenceRow, column));
    const qsizetype after = missed > 0 ? positions.at(missed - 1) : -1;
    m_difference->setText(after < 0 ? tr("The walk never visits %1.").arg(visits.at(missed))
                                    : tr("The walk does not visit %1 after %2 (step %3).")
                                          .arg(visits.at(missed), actual.at(after))
                                          .arg(after + 1));
}

void TestResultsPanel::activate(const QModelIndex &index)
{
    const QModelIndex first = index.siblingAtColumn(NameColumn);
    if (RowKind(first.data(RowKindRole).toInt()) == RowKind::File)
        return;
    Q_EMIT caseActivated(first.data(FileRole).toString(),
                         SourcePos{first.data(LineRole).toInt(), first.data(ColumnRole).toInt()});
}

} // namespace runlane::desktop
