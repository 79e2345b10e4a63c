#include "app/desktop/step_tree_model.h"
#include "engine/playbook/library.h"
#include "library_fixture.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;
using namespace runlane::desktop;

namespace {

// Every kind of way out of a step, with the texts the tree shows for them. (No double quotes in
// the YAML: moc misreads them inside raw string literals and then finds no test class.)
constexpr const char *allWays = R"(runlane: 1
id: all-ways
title: Every way out of a step
targets:
  prom:
    kind: prometheus
    url: http://127.0.0.1:9090
  chat:
    kind: slack
    url: http://127.0.0.1:9096
start: check-error-rate
steps:
  - id: check-error-rate
    type: check
    title: Is the error rate high?
    query: {target: prom, promql: 'sum(rate(errors_total[5m]))'}
    when:
      - {if: value > 0.25, next: demote-canary}
      - {if: value >= 0.1, next: watch}
    else: close
    no_data: choose
    on_error: ask
  - id: choose
    type: decision
    title: What now?
    options:
      - {label: Demote the canary anyway, next: demote-canary}
      - {label: Keep it, next: close}
  - id: demote-canary
    type: action
    title: Demote
    call: slack.post
    target: chat
    with: {text: demote}
    next: watch
    on_failure: page
  - id: watch
    type: wait
    title: Watch
    until:
      query: {target: prom, promql: 'sum(rate(errors_total[5m]))'}
      if: value < 0.1
      every: 30s
    timeout: 5m
    next: tidy
    on_timeout: page
  - id: tidy
    type: task
    title: Tidy up
    next: close
  - id: page
    type: escalate
    title: Page
    call: slack.post
    target: chat
    with: {text: help}
    next: close
  - id: close
    type: end
    title: Closed
    outcome: mitigated
)";

} // namespace

class TestStepTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelTester_data();
    void modelTester();
    void groupsStepsByLane_data();
    void groupsStepsByLane();
    void undeclaredLaneGetsItsOwnGroup();
    void ways_data();
    void ways();
    void marksTheStartStep();

private:
    void addShippedRows();

    LibraryFixture m_fixture;
};

void TestStepTreeModel::initTestCase()
{
    QVERIFY(m_fixture.isValid());
}

void TestStepTreeModel::addShippedRows()
{
    QTest::addColumn<QString>("file");
    const QStringList files = findPlaybookFiles({QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks")});
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
}

void TestStepTreeModel::modelTester_data()
{
    addShippedRows();
    QTest::newRow("broken") << m_fixture.file(QStringLiteral("broken.yaml"));
    QTest::newRow("not YAML") << m_fixture.file(QStringLiteral("unparsable.yaml"));
    QTest::newRow("duplicate id") << m_fixture.file(QStringLiteral("twin-a.yaml"));
}

void TestStepTreeModel::modelTester()
{
    QFETCH(QString, file);
    const LoadResult loaded = loadPlaybookFile(file);
    StepTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPlaybook(loaded.playbook);
    model.setPlaybook(nullptr);
    QCOMPARE(model.rowCount(), 0);
    model.setPlaybook(loaded.playbook);
    model.setPlaybook(loaded.playbook);
}

void TestStepTreeModel::groupsStepsByLane_data()
{
    addShippedRows();
}

// Lane rows in the playbook's lane order, each with exactly its steps in file order.
void TestStepTreeModel::groupsStepsByLane()
{
    QFETCH(QString, file);
    const LoadResult loaded = loadPlaybookFile(file);
    QVERIFY(loaded.ok());
    const Playbook &playbook = *loaded.playbook;
    StepTreeModel model;
    model.setPlaybook(loaded.playbook);

    QStringList expectedLanes;
    for (const Lane &lane : playbook.lanes) {
        const bool used =
            std::any_of(playbook.steps.cbegin(), playbook.steps.cend(),
                        [&](const Step &s) { return playbook.laneOf(s) == lane.id.value; });
        if (used)
            expectedLanes.append(lane.id.value);
    }
    QCOMPARE(model.rowCount(), int(expectedLanes.size()));

    int total = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex lane = model.index(row, 0);
        const QString laneId = lane.data(StepTreeModel::LaneIdRole).toString();
        QCOMPARE(laneId, expectedLanes.at(row));
        QVERIFY(lane.data(StepTreeModel::IsLaneRole).toBool());
        QVERIFY(lane.data().toString().startsWith(playbook.lane(laneId)->title.value));

        QStringList expectedSteps;
        for (const Step &s : playbook.steps) {
            if (playbook.laneOf(s) == laneId)
                expectedSteps.append(s.id.value);
        }
        QStringList steps;
        for (int child = 0; child < model.rowCount(lane); ++child) {
            const QModelIndex index = model.index(child, StepTreeModel::IdColumn, lane);
            QCOMPARE(index.data().toString(), index.data(StepTreeModel::StepIdRole).toString());
            QVERIFY(!index.data(StepTreeModel::IsLaneRole).toBool());
            QCOMPARE(index.data(StepTreeModel::LaneIdRole).toString(), laneId);
            QCOMPARE(model.step(index)->id.value, index.data().toString());
            QCOMPARE(model.indexOfStep(index.data().toString(), StepTreeModel::IdColumn), index);
            QCOMPARE(model.index(child, StepTreeModel::TypeColumn, lane).data().toString(),
                     toString(model.step(index)->type.value));
            steps.append(index.data().toString());
        }
        QCOMPARE(steps, expectedSteps);
        total += int(steps.size());
    }
    QCOMPARE(total, int(playbook.steps.size()));
}

void TestStepTreeModel::undeclaredLaneGetsItsOwnGroup()
{
    const LoadResult loaded = loadPlaybookFile(m_fixture.file(QStringLiteral("broken.yaml")));
    QVERIFY(loaded.playbook);
    QVERIFY(!loaded.ok());
    StepTreeModel model;
    model.setPlaybook(loaded.playbook);

    QCOMPARE(model.rowCount(), 2);
    const QModelIndex declared = model.index(0, 0);
    QCOMPARE(declared.data(StepTreeModel::LaneIdRole).toString(),
             loaded.playbook->lanes.front().id.value);
    QCOMPARE(model.rowCount(declared), 1);
    QCOMPARE(model.index(0, StepTreeModel::IdColumn, declared).data().toString(),
             QStringLiteral("done"));

    const QModelIndex undeclared = model.index(1, 0);
    QCOMPARE(undeclared.data(StepTreeModel::LaneIdRole).toString(), QStringLiteral("basement"));
    QVERIFY(undeclared.data().toString().contains(u"not a declared lane"));
    QCOMPARE(model.rowCount(undeclared), 1);
    QCOMPARE(model.index(0, StepTreeModel::IdColumn, undeclared).data().toString(),
             QStringLiteral("look"));
    QCOMPARE(model.indexOfLane(QStringLiteral("basement")), undeclared);
}

void TestStepTreeModel::ways_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QStringList>("lines");

    QTest::newRow("check") << u"check-error-rate"_s
                           << QStringList{u"→ demote-canary (if value > 0.25)"_s,
                                          u"→ watch (if value >= 0.1)"_s, u"→ close (else)"_s,
                                          u"→ choose (no data)"_s};
    QTest::newRow("decision") << u"choose"_s
                              << QStringList{u"→ demote-canary (“Demote the canary anyway”)"_s,
                                             u"→ close (“Keep it”)"_s};
    QTest::newRow("action") << u"demote-canary"_s
                            << QStringList{u"→ watch"_s, u"→ page (on failure)"_s};
    QTest::newRow("wait") << u"watch"_s << QStringList{u"→ tidy"_s, u"→ page (on timeout)"_s};
    QTest::newRow("task") << u"tidy"_s << QStringList{u"→ close"_s};
    QTest::newRow("escalate") << u"page"_s << QStringList{u"→ close"_s};
    QTest::newRow("end") << u"close"_s << QStringList{u"■ ends: mitigated"_s};
}

void TestStepTreeModel::ways()
{
    QFETCH(QString, step);
    QFETCH(QStringList, lines);

    const LoadResult loaded = loadPlaybookText(allWays, QStringLiteral("all-ways.yaml"));
    QVERIFY2(loaded.ok(),
             qPrintable(loaded.diagnostics.isEmpty() ? QString()
                                                     : loaded.diagnostics.front().toString()));
    StepTreeModel model;
    model.setPlaybook(loaded.playbook);
    const QModelIndex index = model.indexOfStep(step, StepTreeModel::WaysColumn);
    QVERIFY(index.isValid());
    QCOMPARE(index.data().toString().split(QLatin1Char('\n')), lines);
}

void TestStepTreeModel::marksTheStartStep()
{
    const LoadResult loaded = loadPlaybookText(allWays, QStringLiteral("all-ways.yaml"));
    StepTreeModel model;
    model.setPlaybook(loaded.playbook);
    const QModelIndex start = model.indexOfStep(QStringLiteral("check-error-rate"));
    QVERIFY(start.data(StepTreeModel::IsStartRole).toBool());
    QCOMPARE(start.data().toString(), QStringLiteral("▶ Is the error rate high?"));
    const QModelIndex other = model.indexOfStep(QStringLiteral("choose"));
    QVERIFY(!other.data(StepTreeModel::IsStartRole).toBool());
    QCOMPARE(other.data().toString(), QStringLiteral("What now?"));
}

QTEST_MAIN(TestStepTreeModel)
#include "tst_step_tree_model.moc"
