#include "engine/layout/dot_writer.h"
#include "engine/layout/graphviz_layout.h"
#include "engine/playbook/loader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLineF>
#include <QPainterPath>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <variant>

using namespace runlane;

namespace {

// Distance from p to the closed polygon's outline.
qreal distanceToOutline(const QPolygonF &outline, QPointF p)
{
    qreal best = std::numeric_limits<qreal>::max();
    for (qsizetype i = 1; i < outline.size(); ++i) {
        const QPointF a = outline.at(i - 1);
        const QPointF b = outline.at(i);
        const QPointF ab = b - a;
        const qreal length2 = QPointF::dotProduct(ab, ab);
        const qreal t =
            length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
        best = std::min(best, QLineF(p, a + ab * t).length());
    }
    return best;
}

const NodeBox *nodeOf(const Layout &layout, const QString &id)
{
    for (const NodeBox &node : layout.nodes) {
        if (node.stepId == id)
            return &node;
    }
    return nullptr;
}

void checkLayout(const Playbook &playbook, const Layout &layout);

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedPlaybook_data();
    void shippedPlaybook();
    void generatedPlaybook_data();
    void generatedPlaybook();
    void dotEscapesUserText();
    void dotMatchesGraphviz_data() { shippedPlaybook_data(); }
    void dotMatchesGraphviz();
    void graphvizErrorFallsBack();
    void hostileIdsAndUnknownLanes();
    void releasedPlaybookLaysOutTheSame();

private:
    QTemporaryDir m_generated;
};

void TestLayout::shippedPlaybook_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    const QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
    int count = 0;
    for (const QString &name : files) {
        if (name.endsWith(u".test.yaml"))
            continue;
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
        ++count;
    }
    QVERIFY(count > 0);
}

void TestLayout::shippedPlaybook()
{
    QFETCH(QString, file);
    const LoadResult loaded = loadPlaybookFile(file);
    QVERIFY(loaded.ok());
    const Playbook &playbook = *loaded.playbook;
    auto result = layoutPlaybook(playbook, LayoutOptions::defaults());
    if (const auto *error = std::get_if<QString>(&result))
        QFAIL(qPrintable(*error));
    const Layout &layout = std::get<Layout>(result);
    QVERIFY2(layout.messages.isEmpty(), qPrintable(layout.messages.join(u'\n')));
    checkLayout(playbook, layout);
}

namespace {

// The geometry every layout must have: no step or way lost, one band per lane in lane order,
// every step inside its band, titles inside their shapes, nothing overlapping, edges from border
// to border, labels clear of nodes and of each other.
void checkLayout(const Playbook &playbook, const Layout &layout)
{
    // No edge lost: one per pair of steps with a way between them, carrying every way.
    QSet<std::pair<QString, QString>> pairs;
    qsizetype ways = 0;
    for (const Step &step : playbook.steps) {
        for (const Step::Way &way : step.ways())
            pairs.insert({step.id.value, way.next});
        ways += step.ways().size();
    }
    QCOMPARE(layout.edges.size(), pairs.size());
    qsizetype laidOutWays = 0;
    for (const EdgePath &edge : layout.edges)
        laidOutWays += edge.ways.size();
    QCOMPARE(laidOutWays, ways);
    QCOMPARE(layout.nodes.size(), playbook.steps.size());
    QCOMPARE(layout.lanes.size(), playbook.lanes.size());

    // Lanes: side by side, one height, disjoint.
    for (qsizetype i = 0; i < layout.lanes.size(); ++i) {
        const QRectF band = layout.lanes.at(i).rect;
        QCOMPARE(layout.lanes.at(i).laneId, playbook.lanes.at(i).id.value);
        QCOMPARE(band.top(), layout.lanes.constFirst().rect.top());
        QCOMPARE(band.bottom(), layout.lanes.constFirst().rect.bottom());
        QVERIFY(layout.bounds.contains(band));
        QVERIFY2(band.contains(layout.lanes.at(i).titleRect),
                 qPrintable(playbook.lanes.at(i).id.value));
        if (i > 0) // left to right in lane order
            QCOMPARE(band.left(), layout.lanes.at(i - 1).rect.right());
        for (qsizetype j = i + 1; j < layout.lanes.size(); ++j)
            QVERIFY(!band.intersects(layout.lanes.at(j).rect));
    }

    const QFontMetricsF metrics(LayoutOptions::defaults().titleFont);
    for (const NodeBox &node : layout.nodes) {
        const QString where = node.stepId;
        const LaneBand *band = nullptr;
        for (const LaneBand &lane : layout.lanes) {
            if (lane.laneId == node.lane)
                band = &lane;
        }
        QVERIFY2(band, qPrintable(where));
        QVERIFY2(band->rect.contains(node.rect), qPrintable(where));
        // The title fits: in the rectangle and inside the shape's outline.
        QVERIFY2(node.rect.contains(node.textRect), qPrintable(where));
        QVERIFY2(!node.iconRect.intersects(node.textRect), qPrintable(where));
        QCOMPARE(node.iconRect.width(), LayoutOptions::defaults().iconSize);
        for (const QString &line : node.titleLines)
            QVERIFY2(metrics.horizontalAdvance(line) <= node.textRect.width(), qPrintable(where));
        QVERIFY2(node.outline.size() >= 4, qPrintable(where));
        for (const QPointF corner : {node.textRect.topLeft(), node.textRect.topRight(),
                                     node.textRect.bottomLeft(), node.textRect.bottomRight()})
            QVERIFY2(node.outline.containsPoint(corner, Qt::OddEvenFill), qPrintable(where));
        for (const QPointF corner : {node.iconRect.topLeft(), node.iconRect.bottomLeft()})
            QVERIFY2(node.outline.containsPoint(corner, Qt::OddEvenFill), qPrintable(where));
        for (const NodeBox &other : layout.nodes) {
            if (&other != &node)
                QVERIFY2(!node.rect.intersects(other.rect),
                         qPrintable(where + u' ' + other.stepId));
        }
    }

    for (const EdgePath &edge : layout.edges) {
        const QString where = edge.from + QStringLiteral("->") + edge.to;
        QVERIFY2(edge.points.size() >= 4 && edge.points.size() % 3 == 1, qPrintable(where));
        const NodeBox *from = nodeOf(layout, edge.from);
        const NodeBox *to = nodeOf(layout, edge.to);
        QVERIFY(from && to);
        const QPointF start = edge.arrowStart.value_or(edge.points.constFirst());
        const QPointF end = edge.arrowEnd.value_or(edge.points.constLast());
        QVERIFY2(distanceToOutline(from->outline, start) <= 2.0,
                 qPrintable(where + QStringLiteral(" starts %1 px off its source")
                                        .arg(distanceToOutline(from->outline, start))));
        QVERIFY2(distanceToOutline(to->outline, end) <= 2.0,
                 qPrintable(where + QStringLiteral(" ends %1 px off its target")
                                        .arg(distanceToOutline(to->outline, end))));
        QCOMPARE(edge.labelPos.has_value(), !edge.labelLines.isEmpty());
        if (!edge.labelPos)
            continue;
        // The label is drawn where Graphviz kept room for it: clear of every node and label.
        QVERIFY2(layout.bounds.contains(edge.labelRect), qPrintable(where));
        for (const NodeBox &node : layout.nodes) {
            // Against the shape: dot may put a label in the empty corner of a diamond's box.
            QPainterPath shape;
            shape.addPolygon(node.outline);
            QVERIFY2(!shape.intersects(edge.labelRect), qPrintable(where + u' ' + node.stepId));
        }
        for (const EdgePath &other : layout.edges) {
            if (&other != &edge && other.labelPos)
                QVERIFY2(!edge.labelRect.intersects(other.labelRect), qPrintable(where));
        }
    }
}

// Spreads the steps over `count` lanes instead of the generator's three, the same way every run.
void spreadOverLanes(Playbook &playbook, int count)
{
    playbook.lanes.clear();
    for (int i = 0; i < count; ++i)
        playbook.lanes.append(
            {LString(QStringLiteral("lane-%1").arg(i)), LString(QStringLiteral("Lane %1").arg(i))});
    QRandomGenerator random{quint32(count)};
    for (Step &step : playbook.steps)
        step.lane.value = playbook.lanes.at(random.bounded(count)).id.value;
}

} // namespace

// Playbooks whose ways mostly cross lanes, written by the layout bench's generator: dot's crossing
// minimisation swapped whole lanes on most of them before the lanes were tied as they are now.
void TestLayout::generatedPlaybook_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("lanes"); // 0: the generator's three
    QTest::addRow("dense-cross-lane.yaml")
        << QStringLiteral(RUNLANE_TEST_DATA "/dense-cross-lane.yaml") << 0;
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty() || !m_generated.isValid()) {
        QTest::addRow("generated") << QString() << 0; // skipped
        return;
    }
    const auto generated = [&](int steps) {
        const QString file = m_generated.filePath(QStringLiteral("generated-%1.yaml").arg(steps));
        if (!QFileInfo::exists(file))
            QProcess::execute(python, {QStringLiteral(RUNLANE_SOURCE_DIR
                                                      "/tests/bench/layout/generate_playbook.py"),
                                       QString::number(steps), file});
        return file;
    };
    for (const int steps : {20, 30, 50, 75, 100, 150, 200, 300})
        QTest::addRow("%d steps", steps) << generated(steps) << 0;
    for (const int lanes : {2, 4, 6, 9})
        QTest::addRow("150 steps over %d lanes", lanes) << generated(150) << lanes;
}

void TestLayout::generatedPlaybook()
{
    QFETCH(QString, file);
    QFETCH(int, lanes);
    if (!QFileInfo::exists(file))
        QSKIP("no python3 on PATH, or the generator failed: no playbook to lay out");
    const LoadResult loaded = loadPlaybookFile(file);
    QVERIFY2(loaded.ok(), qPrintable(file));
    Playbook playbook = *loaded.playbook;
    if (lanes > 0)
        spreadOverLanes(playbook, lanes);
    const auto result = layoutPlaybook(playbook, LayoutOptions::defaults());
    if (const auto *error = std::get_if<QString>(&result))
        QFAIL(qPrintable(*error));
    const Layout &layout = std::get<Layout>(result);
    // Above all: no "lanes are drawn out of their order".
    QVERIFY2(layout.messages.isEmpty(), qPrintable(layout.messages.join(u'\n')));
    checkLayout(playbook, layout);
}

void TestLayout::dotEscapesUserText()
{
    const QString title = QStringLiteral("say \"hi\" \\ back\\\"slash\nnew line <b>{x}|y</b> \\N");
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"));
    QVERIFY(loaded.playbook);
    Playbook playbook = *loaded.playbook;
    playbook.lanes[0].title.value = title;
    playbook.steps[0].title.value = title;
    const DotGraph dot = writeDot(playbook, LayoutOptions::defaults());
    QVERIFY(dot.text.contains(dotQuoted(title)));
    QCOMPARE(dotQuoted(QStringLiteral("a\"b\\c\nd")), QByteArray("\"a\\\"b\\\\c\\nd\""));
    // Graphviz reads it back as the same graph: every node and edge still there.
    const auto result = layoutDot(dot, playbook);
    if (const auto *error = std::get_if<QString>(&result))
        QFAIL(qPrintable(*error));
    QCOMPARE(std::get<Layout>(result).nodes.size(), playbook.steps.size());
}

// Graphviz's own dot reads `render --format dot` to the same nodes, sizes and edges.
void TestLayout::dotMatchesGraphviz()
{
    QFETCH(QString, file);
    const QString dotProgram = QStandardPaths::findExecutable(QStringLiteral("dot"));
    if (dotProgram.isEmpty())
        QSKIP("Graphviz's dot is not on PATH");
    QProcess render;
    render.start(QStringLiteral(RUNLANE_CLI), {QStringLiteral("render"), file,
                                               QStringLiteral("--format"), QStringLiteral("dot")});
    QVERIFY(render.waitForFinished(60000));
    QCOMPARE(render.exitCode(), 0);
    const QByteArray dotText = render.readAllStandardOutput();

    QProcess dot;
    dot.start(dotProgram, {QStringLiteral("-Tplain")});
    dot.write(dotText);
    dot.closeWriteChannel();
    QVERIFY(dot.waitForFinished(60000));
    QCOMPARE(dot.exitCode(), 0);
    QVERIFY2(dot.readAllStandardError().isEmpty(), "dot printed warnings");

    const LoadResult loaded = loadPlaybookFile(file);
    const DotGraph ours = writeDot(*loaded.playbook, LayoutOptions::defaults());
    QCOMPARE(ours.text, dotText); // the CLI prints what the library hands to Graphviz
    // Graphviz's names (s0, s1…) back to step ids.
    QHash<QByteArray, QString> idOf;
    for (qsizetype i = 0; i < ours.nodes.size(); ++i)
        idOf.insert(stepNodeName(i), ours.nodes.at(i).stepId);
    QMap<QString, QSizeF> nodes;
    QStringList edges;
    const QList<QByteArray> lines = dot.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> f = line.split(' ');
        if (f.value(0) == "node" && idOf.contains(f.value(1)))
            nodes.insert(idOf.value(f.value(1)),
                         QSizeF(f.value(4).toDouble(), f.value(5).toDouble()));
        else if (f.value(0) == "edge" && idOf.contains(f.value(1)) && idOf.contains(f.value(2)))
            edges.append(idOf.value(f.value(1)) + QStringLiteral("->") + idOf.value(f.value(2)));
    }
    QStringList expected;
    for (const DotEdge &edge : ours.edges)
        expected.append(edge.from + QStringLiteral("->") + edge.to);
    expected.sort();
    edges.sort();
    QCOMPARE(edges, expected);
}

// Graphviz 2.42 prints "Error: trouble in init_rank" on an older DOT of this playbook and goes on
// with a broken layout: that is a failed layout, and the fallback DOT is laid out instead.
void TestLayout::graphvizErrorFallsBack()
{
    const LoadResult loaded =
        loadPlaybookFile(QStringLiteral(RUNLANE_TEST_DATA "/dense-cross-lane.yaml"));
    QVERIFY(loaded.ok());
    const LayoutOptions options = LayoutOptions::defaults();
    QFile file(QStringLiteral(RUNLANE_TEST_DATA "/trouble-in-init-rank.dot"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    DotGraph failing = writeDot(*loaded.playbook, options);
    failing.text = file.readAll(); // the same steps and ways, the names Graphviz sees too
    const auto failed = layoutDot(failing, *loaded.playbook);
    if (std::holds_alternative<Layout>(failed))
        QSKIP("this Graphviz lays the older DOT out: no failure to fall back from");
    // One readable message per line, not Graphviz's pieces.
    QVERIFY2(std::get<QString>(failed).contains(u"Error: trouble in init_rank"),
             qPrintable(std::get<QString>(failed)));
    QVERIFY(std::get<QString>(failed).count(u'\n') <= 14);

    const DotGraph plain = writeDot(*loaded.playbook, options, LaneTies::Plain);
    const auto result = layoutDot(failing, plain, *loaded.playbook);
    if (const auto *error = std::get_if<QString>(&result))
        QFAIL(qPrintable(*error));
    const Layout &layout = std::get<Layout>(result);
    QCOMPARE(layout.dot, plain.text);
    QCOMPARE(layout.nodes.size(), loaded.playbook->steps.size());
    for (const QString &message : layout.messages) // at most a note on the lane order
        QVERIFY2(message.startsWith(u"lanes are drawn out of their order"), qPrintable(message));
    for (qsizetype i = 0; i < layout.lanes.size(); ++i) {
        for (qsizetype j = i + 1; j < layout.lanes.size(); ++j)
            QVERIFY(!layout.lanes.at(i).rect.intersects(layout.lanes.at(j).rect));
    }
}

// Step ids reach Graphviz only as generated names: a backslash, quotes or a name like one of
// ours change nothing. A step in a lane the playbook lacks gets a band of its own.
void TestLayout::hostileIdsAndUnknownLanes()
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"));
    QVERIFY(loaded.playbook);
    Playbook playbook = *loaded.playbook;
    const QString hostile = QStringLiteral("a\\b \"c\" rl_head_0 rl_root s1 cluster_0");
    playbook.steps[0].id.value = hostile;
    playbook.steps[1].lane.value = QStringLiteral("nowhere");
    const auto result = layoutPlaybook(playbook, LayoutOptions::defaults());
    if (const auto *error = std::get_if<QString>(&result))
        QFAIL(qPrintable(*error));
    const Layout &layout = std::get<Layout>(result);
    QCOMPARE(layout.nodes.size(), playbook.steps.size());
    QCOMPARE(layout.nodes.at(0).stepId, hostile);
    QCOMPARE(layout.lanes.size(), playbook.lanes.size() + 1);
    const LaneBand &noLane = layout.lanes.constLast();
    QVERIFY(noLane.laneId.isEmpty());
    QCOMPARE(noLane.title, noLaneTitle());
    QVERIFY(noLane.rect.contains(layout.nodes.at(1).rect));
}

// A one-shot render hands its playbook over: it is released before Graphviz runs, and the layout
// is the one a kept playbook gets.
void TestLayout::releasedPlaybookLaysOutTheSame()
{
    const LoadResult loaded =
        loadPlaybookFile(QStringLiteral(RUNLANE_TEST_DATA "/dense-cross-lane.yaml"));
    QVERIFY(loaded.ok());
    const auto kept = layoutPlaybook(*loaded.playbook, LayoutOptions::defaults());
    QVERIFY(std::holds_alternative<Layout>(kept));

    PlaybookPtr handed = std::make_shared<const Playbook>(*loaded.playbook);
    const std::weak_ptr<const Playbook> watch = handed;
    const auto released = layoutPlaybook(std::move(handed), LayoutOptions::defaults());
    QVERIFY(watch.expired());
    QVERIFY(std::holds_alternative<Layout>(released));
    const Layout &a = std::get<Layout>(kept);
    const Layout &b = std::get<Layout>(released);
    QCOMPARE(b.dot, a.dot);
    QCOMPARE(b.messages, a.messages);
    QCOMPARE(b.nodes.size(), a.nodes.size());
    for (qsizetype i = 0; i < a.nodes.size(); ++i) {
        QCOMPARE(b.nodes.at(i).stepId, a.nodes.at(i).stepId);
        QCOMPARE(b.nodes.at(i).title, a.nodes.at(i).title);
        QCOMPARE(b.nodes.at(i).rect, a.nodes.at(i).rect);
    }
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
