#include "app/desktop/diagram_layout_job.h"
#include "app/desktop/diagram_view.h"
#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/step_tree_model.h"
#include "engine/playbook/loader.h"
#include "library_fixture.h"

#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>
#include <QThreadPool>
#include <QToolTip>
#include <QTreeView>

#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// The diagram view at a fixed size, offscreen, on shipped playbooks. Layouts run on the thread
// pool; every wait for one is bounded.
class TestDiagramView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void laysOutInTheBackground();
    void onlyTheNewestRequestIsDelivered();
    void fitShowsTheWholeDiagram();
    void firstLookShowsTheStart();
    void keysZoom();
    void ctrlWheelZoomsAboutTheCursor();
    void wheelAndArrowKeysScroll();
    void dragPans();
    void clickSelectsAStep();
    void clickOnEmptyLaneSelectsNothing();
    void setSelectedStepScrollsItIntoView();
    void relayoutKeepsZoomAndCentre();
    void anotherPlaybookIsFitted();
    void followsADarkPalette();
    void tooltipNamesTheStep();
    void drawsAPlaybookWithErrors();
    void detailsViewSelectsInBothDirections();
    void windowKeysReachTheDiagram();

private:
    static constexpr int timeout = 20000; // ms; a layout takes well under a second
    static PlaybookPtr load(const QString &name);
    // The same playbook without its source text: the layout cache never keeps it, so every
    // request really runs in the background.
    static PlaybookPtr uncached(const PlaybookPtr &playbook);
    // A shown view of 640×480 with `playbook` laid out.
    static std::unique_ptr<DiagramView> openView(const PlaybookPtr &playbook);
    // A viewport position over the centre of `stepId`, scrolled into view first.
    static QPoint pointOnStep(DiagramView &view, const QString &stepId);

    PlaybookPtr m_large; // the playbook with the most steps: taller than the view at 100 %
    PlaybookPtr m_other;
};

PlaybookPtr TestDiagramView::load(const QString &name)
{
    const LoadResult result =
        loadPlaybookFile(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/") + name);
    if (!result.ok())
        qWarning("%s does not load cleanly", qPrintable(name));
    return result.playbook;
}

PlaybookPtr TestDiagramView::uncached(const PlaybookPtr &playbook)
{
    auto copy = std::make_shared<Playbook>(*playbook);
    copy->source.clear();
    return copy;
}

std::unique_ptr<DiagramView> TestDiagramView::openView(const PlaybookPtr &playbook)
{
    auto view = std::make_unique<DiagramView>();
    view->resize(640, 480);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        qWarning("view not exposed");
    view->showPlaybook(playbook);
    if (!QTest::qWaitFor([&] { return view->hasDiagram(); }, timeout))
        qWarning("not laid out: %s", qPrintable(view->message()));
    return view;
}

QPoint TestDiagramView::pointOnStep(DiagramView &view, const QString &stepId)
{
    const NodeBox *node = view.diagramPainter()->node(stepId);
    if (!node)
        return {};
    view.ensureStepVisible(stepId);
    return view.mapFromLayout(node->rect.center()).toPoint();
}

void TestDiagramView::initTestCase()
{
    m_large = load(u"control-plane-region-outage.yaml"_s);
    m_other = load(u"torchserve-crash-loop.yaml"_s);
    QVERIFY(m_large && m_other);
    QVERIFY(m_large->steps.size() >= 10);
}

void TestDiagramView::laysOutInTheBackground()
{
    DiagramView view;
    view.resize(640, 480);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy shown(&view, &DiagramView::diagramShown);
    view.showPlaybook(uncached(m_large));
    // showPlaybook() returns before Graphviz ran; the view says what it is doing meanwhile.
    QVERIFY(view.isLayingOut());
    QVERIFY(!view.hasDiagram());
    QCOMPARE(view.message(), u"Laying out…"_s);
    QTRY_VERIFY_WITH_TIMEOUT(view.hasDiagram(), timeout);
    QCOMPARE(shown.size(), 1);
    QVERIFY(!view.isLayingOut());
    QVERIFY(view.message().isEmpty());
    QCOMPARE(view.diagramPainter()->layout().nodes.size(), m_large->steps.size());

    view.clear();
    QVERIFY(!view.hasDiagram());
}

void TestDiagramView::onlyTheNewestRequestIsDelivered()
{
    DiagramLayoutJob job;
    QList<std::shared_ptr<const LayoutResult>> results;
    connect(&job, &DiagramLayoutJob::finished, this,
            [&results](std::shared_ptr<const LayoutResult> result) { results.append(result); });
    job.request(uncached(m_large));
    job.request(uncached(m_other));
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, timeout);
    // Let the superseded layout finish and its result arrive: it must be dropped.
    QVERIFY(QThreadPool::globalInstance()->waitForDone(timeout));
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(results.size(), 1);
    const auto *layout = std::get_if<Layout>(results.constFirst().get());
    QVERIFY(layout);
    QCOMPARE(layout->nodes.size(), m_other->steps.size());

    // The view asked twice in a row shows the second playbook.
    DiagramView view;
    view.resize(640, 480);
    view.showPlaybook(uncached(m_large));
    view.showPlaybook(uncached(m_other));
    QTRY_VERIFY_WITH_TIMEOUT(view.hasDiagram(), timeout);
    QCOMPARE(view.key(), m_other->file);
    QVERIFY(QThreadPool::globalInstance()->waitForDone(timeout));
    QCoreApplication::processEvents();
    QCOMPARE(view.key(), m_other->file);
    QCOMPARE(view.diagramPainter()->layout().nodes.size(), m_other->steps.size());
}

void TestDiagramView::fitShowsTheWholeDiagram()
{
    auto view = openView(m_large);
    QVERIFY(view->hasDiagram());
    QTest::keyClick(view.get(), Qt::Key_0);
    QCOMPARE(view->zoom(), 1.0);
    const QRectF bounds = view->diagramPainter()->layout().bounds;
    QVERIFY(!QRectF(view->viewport()->rect()).contains(view->transform().mapRect(bounds)));

    QTest::keyClick(view.get(), Qt::Key_F);
    QVERIFY2(view->zoom() < 1.0, qPrintable(QString::number(view->zoom())));
    const QRectF shown = view->transform().mapRect(bounds);
    QVERIFY2(
        QRectF(view->viewport()->rect()).adjusted(-1, -1, 1, 1).contains(shown),
        qPrintable(
            u"%1,%2 %3×%4"_s.arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height())));
    // As large as fits: one of the two directions is (nearly) filled.
    const QSizeF room = view->viewport()->size();
    QVERIFY(shown.width() > room.width() * 0.85 || shown.height() > room.height() * 0.85);
}

// A diagram too wide for the view at a readable zoom opens where the walk starts.
void TestDiagramView::firstLookShowsTheStart()
{
    auto view = openView(m_large);
    QVERIFY(view->hasDiagram());
    const QRectF bounds = view->diagramPainter()->layout().bounds;
    QVERIFY(!QRectF(view->viewport()->rect()).contains(view->transform().mapRect(bounds)));
    const QString start = m_large->start.value.isEmpty() ? m_large->steps.constFirst().id.value
                                                         : m_large->start.value;
    const QRectF node = view->transform().mapRect(view->diagramPainter()->node(start)->rect);
    QVERIFY2(QRectF(view->viewport()->rect()).contains(node), qPrintable(start));
}

void TestDiagramView::keysZoom()
{
    auto view = openView(m_large);
    QSignalSpy zoomed(view.get(), &DiagramView::zoomChanged);
    QTest::keyClick(view.get(), Qt::Key_0);
    QCOMPARE(view->zoom(), 1.0);
    QTest::keyClick(view.get(), Qt::Key_Plus);
    QVERIFY(view->zoom() > 1.0);
    const qreal in = view->zoom();
    QTest::keyClick(view.get(), Qt::Key_Minus);
    QCOMPARE(view->zoom(), 1.0);
    QTest::keyClick(view.get(), Qt::Key_Minus);
    QVERIFY(view->zoom() < 1.0);
    QTest::keyClick(view.get(), Qt::Key_0);
    QCOMPARE(view->zoom(), 1.0);
    QTest::keyClick(view.get(), Qt::Key_Equal); // + without Shift
    QCOMPARE(view->zoom(), in);
    QTest::keyClick(view.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view->zoom(), 1.0);
    QVERIFY(zoomed.size() >= 6);

    // Clamped at both ends.
    for (int i = 0; i < 30; ++i)
        QTest::keyClick(view.get(), Qt::Key_Plus);
    QCOMPARE(view->zoom(), DiagramView::maxZoom);
    for (int i = 0; i < 60; ++i)
        QTest::keyClick(view.get(), Qt::Key_Minus);
    QCOMPARE(view->zoom(), DiagramView::minZoom);
}

static void wheel(QWidget *viewport, QPoint pos, int delta, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent event(pos, viewport->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton,
                      modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &event);
}

void TestDiagramView::ctrlWheelZoomsAboutTheCursor()
{
    auto view = openView(m_large);
    view->setZoom(1.0);
    view->centreOn(view->diagramPainter()->layout().bounds.center());
    const QPoint cursor(view->viewport()->width() / 3, view->viewport()->height() / 3);
    const QPointF under = view->mapToLayout(cursor);

    wheel(view->viewport(), cursor, 120, Qt::ControlModifier);
    QVERIFY(view->zoom() > 1.0);
    // The point under the cursor stays under it (to a pixel).
    QVERIFY((view->mapFromLayout(under) - QPointF(cursor)).manhattanLength() <= 2);

    wheel(view->viewport(), cursor, -240, Qt::ControlModifier);
    QVERIFY(view->zoom() < 1.0);
}

void TestDiagramView::wheelAndArrowKeysScroll()
{
    auto view = openView(m_large);
    QTest::keyClick(view.get(), Qt::Key_0);
    QScrollBar *v = view->verticalScrollBar();
    QScrollBar *h = view->horizontalScrollBar();
    QVERIFY(v->maximum() > 0);
    v->setValue(0);
    h->setValue(0);

    QTest::keyClick(view.get(), Qt::Key_Down);
    QVERIFY(v->value() > 0);
    QTest::keyClick(view.get(), Qt::Key_Up);
    QCOMPARE(v->value(), 0);
    if (h->maximum() > 0) {
        QTest::keyClick(view.get(), Qt::Key_Right);
        QVERIFY(h->value() > 0);
        QTest::keyClick(view.get(), Qt::Key_Left);
        QCOMPARE(h->value(), 0);
    }
    QTest::keyClick(view.get(), Qt::Key_PageDown);
    QVERIFY(v->value() > 0);
    v->setValue(0);

    // A plain wheel scrolls and leaves the zoom alone.
    wheel(view->viewport(), QPoint(100, 100), -120, Qt::NoModifier);
    QVERIFY(v->value() > 0);
    QCOMPARE(view->zoom(), 1.0);
}

void TestDiagramView::dragPans()
{
    auto view = openView(m_large);
    QTest::keyClick(view.get(), Qt::Key_0);
    QSignalSpy selected(view.get(), &DiagramView::stepSelected);
    QWidget *viewport = view->viewport();
    const auto send = [viewport](QEvent::Type type, QPoint pos, Qt::MouseButtons buttons) {
        QMouseEvent event(type, pos, viewport->mapToGlobal(pos),
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                          Qt::NoModifier);
        QApplication::sendEvent(viewport, &event);
    };
    // Start on a step in the middle (room to scroll every way): a drag is not a click.
    const QString middle = m_large->steps.at(m_large->steps.size() / 2).id.value;
    view->centreOn(view->diagramPainter()->node(middle)->rect.center());
    const QPoint from =
        view->mapFromLayout(view->diagramPainter()->node(middle)->rect.center()).toPoint();
    const QPointF centreBefore = view->centre();
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    send(QEvent::MouseMove, from - QPoint(10, 30), Qt::LeftButton);
    QCOMPARE(viewport->cursor().shape(), Qt::ClosedHandCursor);
    send(QEvent::MouseMove, from - QPoint(20, 60), Qt::LeftButton);
    send(QEvent::MouseButtonRelease, from - QPoint(20, 60), Qt::NoButton);
    QVERIFY(selected.isEmpty());
    QVERIFY(view->selectedStep().isEmpty());
    QCOMPARE_NE(viewport->cursor().shape(), Qt::ClosedHandCursor);
    // The diagram followed the mouse: what was at the centre moved 60 up (and 20 left when the
    // diagram is wider than the view).
    const QPointF moved =
        view->mapFromLayout(centreBefore) - QPointF(QRectF(viewport->rect()).center());
    QVERIFY2(std::abs(moved.y() + 60) <= 1, qPrintable(QString::number(moved.y())));
    if (view->horizontalScrollBar()->maximum() > 0)
        QVERIFY2(std::abs(moved.x() + 20) <= 1, qPrintable(QString::number(moved.x())));
}

void TestDiagramView::clickSelectsAStep()
{
    auto view = openView(m_large);
    QTest::keyClick(view.get(), Qt::Key_0);
    QSignalSpy selected(view.get(), &DiagramView::stepSelected);
    // A step in the middle of the flow, and the start.
    const QString middle = m_large->steps.at(m_large->steps.size() / 2).id.value;
    for (const QString &id : {middle, m_large->start.value}) {
        selected.clear();
        const QPoint point = pointOnStep(*view, id);
        QVERIFY(view->viewport()->rect().contains(point));
        QCOMPARE(view->stepAt(point), id);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, point);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.constFirst().constFirst().toString(), id);
        QCOMPARE(view->selectedStep(), id);
        QCOMPARE(view->diagramPainter()->overlay().selected, id);
    }
    // The same at another zoom: the click goes through the view's transform.
    view->setZoom(0.5);
    selected.clear();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pointOnStep(*view, middle));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view->selectedStep(), middle);
}

void TestDiagramView::clickOnEmptyLaneSelectsNothing()
{
    auto view = openView(m_large);
    QTest::keyClick(view.get(), Qt::Key_0);
    QSignalSpy selected(view.get(), &DiagramView::stepSelected);
    const Layout &layout = view->diagramPainter()->layout();
    QVERIFY(!layout.lanes.isEmpty());
    // Under a lane's title, above every step.
    const LaneBand &lane = layout.lanes.constFirst();
    const QPointF empty(lane.rect.center().x(), lane.titleRect.bottom() + 4);
    QVERIFY(view->diagramPainter()->stepAt(empty).isEmpty());
    view->centreOn(empty);
    const QPoint point = view->mapFromLayout(empty).toPoint();
    QVERIFY(view->viewport()->rect().contains(point));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, point);
    QVERIFY(selected.isEmpty());
    QVERIFY(view->selectedStep().isEmpty());

    // With a step selected, an empty click keeps it.
    view->setSelectedStep(m_large->start.value);
    view->centreOn(empty);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromLayout(empty).toPoint());
    QVERIFY(selected.isEmpty());
    QCOMPARE(view->selectedStep(), m_large->start.value);
}

void TestDiagramView::setSelectedStepScrollsItIntoView()
{
    auto view = openView(m_large);
    QTest::keyClick(view.get(), Qt::Key_0);
    QSignalSpy selected(view.get(), &DiagramView::stepSelected);
    const Layout &layout = view->diagramPainter()->layout();
    // The lowest step, with the view at the top.
    const auto lowest = std::max_element(
        layout.nodes.cbegin(), layout.nodes.cend(),
        [](const NodeBox &a, const NodeBox &b) { return a.rect.bottom() < b.rect.bottom(); });
    view->verticalScrollBar()->setValue(0);
    const QRectF viewport = view->viewport()->rect();
    QVERIFY(!viewport.contains(view->transform().mapRect(lowest->rect)));
    view->setSelectedStep(lowest->stepId);
    QVERIFY(viewport.contains(view->transform().mapRect(lowest->rect)));
    QCOMPARE(view->diagramPainter()->overlay().selected, lowest->stepId);
    QVERIFY(selected.isEmpty()); // only clicks are reported

    view->setSelectedStep({});
    QVERIFY(view->diagramPainter()->overlay().selected.isEmpty());
}

void TestDiagramView::relayoutKeepsZoomAndCentre()
{
    auto view = openView(m_large);
    view->setZoom(1.5);
    const NodeBox &node = view->diagramPainter()->layout().nodes.at(3);
    view->centreOn(node.rect.center());
    view->setSelectedStep(node.stepId);
    const QPointF centre = view->centre();
    const QString key = view->key();

    Layout again = view->diagramPainter()->layout();
    view->setDiagramLayout(again, key);
    QCOMPARE(view->zoom(), 1.5);
    QVERIFY((view->centre() - centre).manhattanLength() < 1.5);
    QCOMPARE(view->diagramPainter()->overlay().selected, node.stepId);

    // A reload: the same file read again, laid out again in the background.
    QSignalSpy shown(view.get(), &DiagramView::diagramShown);
    view->showPlaybook(uncached(load(u"control-plane-region-outage.yaml"_s)));
    QVERIFY(view->hasDiagram()); // the old diagram stays up meanwhile
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, timeout);
    QCOMPARE(view->zoom(), 1.5);
    QVERIFY((view->centre() - centre).manhattanLength() < 1.5);
}

// The first look at a playbook: all of it when that is legible, else its top at a legible zoom.
static void verifyFirstLook(const DiagramView &view)
{
    const QRectF shown = view.transform().mapRect(view.diagramPainter()->layout().bounds);
    const QRectF room = QRectF(view.viewport()->rect()).adjusted(-1, -1, 1, 1);
    QVERIFY2(view.zoom() <= 1.0, qPrintable(QString::number(view.zoom())));
    if (!room.contains(shown)) {
        QVERIFY2(view.zoom() >= DiagramView::readableZoom - 1e-9,
                 qPrintable(QString::number(view.zoom())));
        QCOMPARE(view.verticalScrollBar()->value(), 0);
    }
}

void TestDiagramView::anotherPlaybookIsFitted()
{
    auto view = openView(m_large);
    verifyFirstLook(*view);
    view->setZoom(2.0);
    QSignalSpy shown(view.get(), &DiagramView::diagramShown);
    view->showPlaybook(m_other);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, timeout);
    QCOMPARE(view->key(), m_other->file);
    verifyFirstLook(*view);

    // Until the user zooms or scrolls, the first look follows the view's size.
    view->resize(1600, 1200);
    QTRY_COMPARE(view->viewport()->size(), QSize(1600, 1200));
    const QRectF all = view->transform().mapRect(view->diagramPainter()->layout().bounds);
    QVERIFY(QRectF(view->viewport()->rect()).adjusted(-1, -1, 1, 1).contains(all));
}

void TestDiagramView::followsADarkPalette()
{
    auto view = openView(m_other);
    QCOMPARE(view->diagramPainter()->palette().background, DiagramPalette::light().background);
    QPalette dark = view->palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
    dark.setColor(QPalette::WindowText, Qt::white);
    view->setPalette(dark);
    QCOMPARE(view->diagramPainter()->palette().background, DiagramPalette::dark().background);
    view->setPalette(QPalette());
    QCOMPARE(view->diagramPainter()->palette().background, DiagramPalette::light().background);
}

void TestDiagramView::tooltipNamesTheStep()
{
    auto view = openView(m_other);
    const QString id = m_other->start.value;
    const QPoint point = pointOnStep(*view, id);
    QHelpEvent help(QEvent::ToolTip, point, view->viewport()->mapToGlobal(point));
    QApplication::sendEvent(view->viewport(), &help);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QVERIFY(QToolTip::text().contains(m_other->step(id)->title.value.simplified().toHtmlEscaped()));
    QVERIFY(QToolTip::text().contains(id));
    QToolTip::hideText();
}

void TestDiagramView::drawsAPlaybookWithErrors()
{
    const LoadResult broken = loadPlaybookText(LibraryFixture::broken, u"broken.yaml"_s);
    QVERIFY(broken.playbook && !broken.ok());
    auto view = openView(broken.playbook);
    QVERIFY(view->hasDiagram());
    QVERIFY(view->diagramPainter()->node(u"look"_s));
    QVERIFY(view->diagramPainter()->node(u"done"_s));
}

void TestDiagramView::detailsViewSelectsInBothDirections()
{
    const LoadResult entry = loadPlaybookFile(m_large->file);
    QVERIFY(entry.ok());
    PlaybookDetailsView details;
    details.resize(1200, 800);
    details.show();
    QVERIFY(QTest::qWaitForWindowExposed(&details));
    details.showEntry(entry);
    DiagramView *view = details.diagram();
    QVERIFY(view && view->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(view->hasDiagram(), timeout);
    QTreeView *tree = details.stepTree();
    auto *page = details.findChild<QTextBrowser *>(u"stepDetails"_s);
    QVERIFY(page);

    // Diagram → tree and step page.
    const Step &step = m_large->steps.at(5);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pointOnStep(*view, step.id.value));
    QCOMPARE(tree->currentIndex().data(StepTreeModel::StepIdRole).toString(), step.id.value);
    QVERIFY(page->toPlainText().contains(step.title.value.simplified()));
    QCOMPARE(view->selectedStep(), step.id.value);

    // Tree → diagram.
    const QString other = m_large->steps.at(9).id.value;
    tree->setCurrentIndex(details.stepModel()->indexOfStep(other));
    QCOMPARE(view->selectedStep(), other);
    const NodeBox *node = view->diagramPainter()->node(other);
    QVERIFY(QRectF(view->viewport()->rect()).intersects(view->transform().mapRect(node->rect)));

    // A lane row selects no step.
    tree->setCurrentIndex(details.stepModel()->index(0, 0));
    QVERIFY(view->selectedStep().isEmpty());

    // Shown again (a reload of the same file): the selected step stays selected.
    tree->setCurrentIndex(details.stepModel()->indexOfStep(other));
    details.showEntry(loadPlaybookFile(m_large->file));
    QCOMPARE(tree->currentIndex().data(StepTreeModel::StepIdRole).toString(), other);
    QTRY_VERIFY_WITH_TIMEOUT(view->hasDiagram(), timeout);
    QCOMPARE(view->selectedStep(), other);

    details.showPlaceholder(u"Select a playbook."_s);
    QVERIFY(!view->hasDiagram());
}

// In the window: Ctrl+D gives the diagram the keyboard, its keys work there, Escape goes back
// to the playbook list; the View menu zooms from anywhere.
void TestDiagramView::windowKeysReachTheDiagram()
{
    QStandardPaths::setTestModeEnabled(true); // no QSettings of a real user
    MainWindow window({QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks")});
    window.resize(1200, 800);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(timeout));
    DiagramView *view = window.details()->diagram();
    QTRY_VERIFY_WITH_TIMEOUT(view->hasDiagram(), timeout);
    auto *list = window.findChild<QListView *>(u"playbookList"_s);
    QVERIFY(list && list->hasFocus());

    QTest::keyClick(QApplication::focusWidget(), Qt::Key_D, Qt::ControlModifier);
    QVERIFY(view->hasFocus());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_0);
    QCOMPARE(view->zoom(), 1.0);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Plus);
    QCOMPARE(view->zoom(), DiagramView::zoomStep);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view->zoom(), 1.0);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QVERIFY(list->hasFocus());
    // From the list: Ctrl+- zooms the diagram; a plain F stays with the list (type-ahead), the
    // diagram keeps its zoom.
    QTest::keyClick(list, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(view->zoom(), 1.0 / DiagramView::zoomStep);
    QTest::keyClick(list, Qt::Key_F);
    QVERIFY(list->hasFocus());
    QCOMPARE(view->zoom(), 1.0 / DiagramView::zoomStep);
}

QTEST_MAIN(TestDiagramView)
#include "tst_diagram_view.moc"
