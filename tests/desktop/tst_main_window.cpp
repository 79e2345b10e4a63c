#include "app/desktop/main_window.h"
#include "app/desktop/playbook_details_view.h"
#include "app/desktop/playbook_filter_model.h"
#include "app/desktop/playbook_list_model.h"
#include "app/desktop/step_tree_model.h"
#include "library_fixture.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loadsInTheBackground();
    void keyboardSelectsAndOpensAPlaybook();
    void showsEveryShippedPlaybookByLane();
    void searchFiltersTheList();
    void showsDiagnostics_data();
    void showsDiagnostics();
    void reloadKeepsTheSelection();
    void emptyLibrarySaysWhereToLook();
    void restoresSplitters();

private:
    // A shown window that has loaded `paths`.
    std::unique_ptr<MainWindow> openWindow(const QStringList &paths);
    template<class T> static T *child(const QWidget &window, const char *name)
    {
        T *found = window.findChild<T *>(QString::fromLatin1(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }

    LibraryFixture m_fixture;
    const QString m_shipped = QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks");
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QVERIFY(m_fixture.isValid());
}

std::unique_ptr<MainWindow> TestMainWindow::openWindow(const QStringList &paths)
{
    auto window = std::make_unique<MainWindow>(paths);
    window->resize(1200, 800);
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get()))
        qWarning("window not active");
    QSignalSpy shown(window.get(), &MainWindow::libraryShown);
    window->reload();
    if (!shown.wait(20000))
        qWarning("library not shown");
    return window;
}

void TestMainWindow::loadsInTheBackground()
{
    MainWindow window({m_shipped});
    window.show();
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    // reload() returns at once; the load runs on the thread pool with a busy indicator.
    QVERIFY(window.isLoading());
    auto *busy = child<QProgressBar>(window, "busyIndicator");
    QVERIFY(busy && busy->isVisible());
    QVERIFY(shown.wait(20000));
    QVERIFY(!window.isLoading());
    QVERIFY(!busy->isVisible());
    QVERIFY(window.listModel()->rowCount() > 0);
    QCOMPARE(window.windowTitle(), u"Runlane"_s);
    QVERIFY(child<QLabel>(window, "libraryStatus")
                ->text()
                .contains(u"%1 playbooks"_s.arg(window.listModel()->rowCount())));
}

void TestMainWindow::keyboardSelectsAndOpensAPlaybook()
{
    auto window = openWindow({m_shipped});
    auto *list = child<QListView>(*window, "playbookList");
    auto *tree = child<QTreeView>(*window, "stepTree");
    QVERIFY(list && tree);
    QVERIFY(list->model()->rowCount() >= 2);
    QCOMPARE(list->currentIndex().row(), 0); // the first playbook is shown after loading

    list->setFocus();
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(list->currentIndex().row(), 1);
    const QString id = list->currentIndex().data(PlaybookListModel::IdRole).toString();
    const LoadResult *entry = window->listModel()->library().byId(id);
    QVERIFY(entry && entry->playbook);
    QCOMPARE(window->details()->entry().playbook, entry->playbook);
    QCOMPARE(child<QLabel>(*window, "playbookTitle")->text(),
             entry->playbook->title.value.simplified());
    QVERIFY(child<QLabel>(*window, "playbookMeta")->text().contains(id));
    QVERIFY(child<QLabel>(*window, "playbookMeta")
                ->text()
                .contains(toString(entry->playbook->severity.value).toUpper()));

    QTest::keyClick(list, Qt::Key_Up);
    QCOMPARE(list->currentIndex().row(), 0);
    QTest::keyClick(list, Qt::Key_Down);

    // Enter opens the playbook: the keyboard moves into its steps, on the first step.
    QTest::keyClick(list, Qt::Key_Return);
    QVERIFY(tree->hasFocus());
    const QModelIndex current = tree->currentIndex();
    QCOMPARE(current.data(StepTreeModel::StepIdRole).toString(), entry->playbook->start.value);
    const Step *start = entry->playbook->step(entry->playbook->start.value);
    QVERIFY(start);
    auto *details = child<QTextBrowser>(*window, "stepDetails");
    QVERIFY(details->toPlainText().contains(start->title.value.simplified()));
    for (const LString &item : start->checklist)
        QVERIFY(details->toPlainText().contains(item.value));

    // Down moves to the next step and shows it.
    QTest::keyClick(tree, Qt::Key_Down);
    const Step *next = window->details()->stepModel()->step(tree->currentIndex());
    if (next)
        QVERIFY(details->toPlainText().contains(next->title.value.simplified()));

    // Escape goes back to the list, on the same playbook.
    QTest::keyClick(tree, Qt::Key_Escape);
    QVERIFY(list->hasFocus());
    QCOMPARE(list->currentIndex().row(), 1);
}

// Every shipped playbook, selected by keyboard, shows all its steps under their lanes.
void TestMainWindow::showsEveryShippedPlaybookByLane()
{
    auto window = openWindow({m_shipped});
    auto *list = child<QListView>(*window, "playbookList");
    auto *tree = child<QTreeView>(*window, "stepTree");
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Home);
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        if (row > 0)
            QTest::keyClick(list, Qt::Key_Down);
        QCOMPARE(list->currentIndex().row(), row);
        const PlaybookPtr playbook = window->details()->entry().playbook;
        QVERIFY(playbook);
        QCOMPARE(playbook->id.value,
                 list->currentIndex().data(PlaybookListModel::IdRole).toString());

        const QAbstractItemModel *steps = tree->model();
        int shown = 0;
        int lastLane = -1;
        for (int lane = 0; lane < steps->rowCount(); ++lane) {
            const QModelIndex laneIndex = steps->index(lane, 0);
            const QString laneId = laneIndex.data(StepTreeModel::LaneIdRole).toString();
            QVERIFY(tree->isExpanded(laneIndex));
            QVERIFY(tree->isFirstColumnSpanned(lane, {}));
            // In lane order.
            const auto it = std::find_if(playbook->lanes.cbegin(), playbook->lanes.cend(),
                                         [&](const Lane &l) { return l.id.value == laneId; });
            QVERIFY(it != playbook->lanes.cend());
            QVERIFY(int(it - playbook->lanes.cbegin()) > lastLane);
            lastLane = int(it - playbook->lanes.cbegin());
            const auto inLane =
                std::count_if(playbook->steps.cbegin(), playbook->steps.cend(),
                              [&](const Step &s) { return playbook->laneOf(s) == laneId; });
            QCOMPARE(steps->rowCount(laneIndex), int(inLane));
            shown += steps->rowCount(laneIndex);
        }
        QCOMPARE(shown, int(playbook->steps.size()));
        QVERIFY(!child<QWidget>(*window, "diagnosticsPanel")->isVisible());
        QVERIFY(child<QWidget>(*window, "stepTree")->isVisible());
    }
}

void TestMainWindow::searchFiltersTheList()
{
    auto window = openWindow({m_shipped, m_fixture.path()});
    auto *search = child<QLineEdit>(*window, "searchField");
    auto *list = child<QListView>(*window, "playbookList");
    list->setFocus();

    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(search->hasFocus());
    QTest::keyClicks(search, u"gpu-thermal"_s);
    QCOMPARE(list->model()->rowCount(), 2);
    QVERIFY(list->currentIndex().isValid());
    QCOMPARE(list->currentIndex().data(PlaybookListModel::IdRole).toString(), u"twin"_s);

    // Arrows in the search field move in the list; Enter opens.
    const int before = list->currentIndex().row();
    QTest::keyClick(search, Qt::Key_Down);
    QCOMPARE(list->currentIndex().row(), before + 1);

    search->clear();
    QTest::keyClicks(search, u"ModelInputDrift"_s);
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(window->details()->entry().playbook->id.value, u"canary-drift-rollback"_s);
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(child<QTreeView>(*window, "stepTree")->hasFocus());

    search->setFocus();
    search->clear();
    QTest::keyClicks(search, u"no playbook is called this"_s);
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(child<QLabel>(*window, "detailsPlaceholder")->isVisible());

    // Escape clears the search, a second one goes back to the list.
    QTest::keyClick(search, Qt::Key_Escape);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(list->model()->rowCount(), window->listModel()->rowCount());
    QTest::keyClick(search, Qt::Key_Escape);
    QVERIFY(list->hasFocus());
}

void TestMainWindow::showsDiagnostics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("showsSteps");
    QTest::addColumn<QString>("expected"); // one diagnostic, as FILE:LINE:COL: error: …

    QTest::newRow("unknown key") << u"broken.yaml"_s << true << u"broken.yaml:12:5: error: "_s;
    QTest::newRow("not YAML") << u"unparsable.yaml"_s << false << u"unparsable.yaml:"_s;
    QTest::newRow("duplicate id") << u"twin-a.yaml"_s << true << u"twin-a.yaml:2:5: error: "_s;
}

void TestMainWindow::showsDiagnostics()
{
    QFETCH(QString, file);
    QFETCH(bool, showsSteps);
    QFETCH(QString, expected);

    MainWindow window({m_fixture.path()});
    window.setInitialSelection(m_fixture.file(file));
    window.resize(1200, 800);
    window.show();
    QSignalSpy shown(&window, &MainWindow::libraryShown);
    window.reload();
    QVERIFY(shown.wait(20000));

    auto *list = child<QListView>(window, "playbookList");
    QCOMPARE(list->currentIndex().data(PlaybookListModel::FileRole).toString(),
             m_fixture.file(file));
    const LoadResult &entry = window.details()->entry();
    QVERIFY(!entry.ok());

    QVERIFY(child<QWidget>(window, "diagnosticsPanel")->isVisible());
    auto *diagnostics = child<QListWidget>(window, "diagnosticsList");
    QCOMPARE(diagnostics->count(), int(entry.diagnostics.size()));
    static const QRegularExpression format(uR"(^.+:\d+:\d+: (error|warning): .+$)"_s);
    QStringList lines;
    for (int row = 0; row < diagnostics->count(); ++row) {
        const QString line = diagnostics->item(row)->text();
        QCOMPARE(line, entry.diagnostics.at(row).toString());
        QVERIFY2(format.match(line).hasMatch(), qPrintable(line));
        lines.append(line);
    }
    const QString wanted = m_fixture.file(file).chopped(file.size()) + expected;
    QVERIFY2(std::any_of(lines.cbegin(), lines.cend(),
                         [&](const QString &l) { return l.startsWith(wanted); }),
             qPrintable(lines.join(u'\n')));
    QVERIFY(child<QLabel>(window, "diagnosticsHeadline")->text().contains(u"error"));
    QCOMPARE(child<QWidget>(window, "stepTree")->isVisible(), showsSteps);
    QCOMPARE(list->currentIndex().data(PlaybookListModel::ValidityTextRole).toString().isEmpty(),
             false);
}

void TestMainWindow::reloadKeepsTheSelection()
{
    auto window = openWindow({m_shipped});
    auto *list = child<QListView>(*window, "playbookList");
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Down);
    QTest::keyClick(list, Qt::Key_Down);
    const QString file = list->currentIndex().data(PlaybookListModel::FileRole).toString();

    QSignalSpy shown(window.get(), &MainWindow::libraryShown);
    QTest::keyClick(window.get(), Qt::Key_F5);
    QVERIFY(window->isLoading());
    QVERIFY(shown.wait(20000));
    QCOMPARE(list->currentIndex().data(PlaybookListModel::FileRole).toString(), file);

    // Asked again while loading: the newest request wins, delivered once.
    shown.clear();
    QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
    QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(shown.wait(20000));
    QTest::qWait(200);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(list->currentIndex().data(PlaybookListModel::FileRole).toString(), file);
}

void TestMainWindow::emptyLibrarySaysWhereToLook()
{
    const QString missing = m_fixture.path() + u"/no-such-folder"_s;
    auto window = openWindow({missing});
    QCOMPARE(window->listModel()->rowCount(), 0);
    auto *placeholder = child<QLabel>(*window, "detailsPlaceholder");
    QVERIFY(placeholder->isVisible());
    QVERIFY(placeholder->text().contains(missing));
    QVERIFY(child<QLabel>(*window, "libraryStatus")->text().contains(u"not found"));
}

void TestMainWindow::restoresSplitters()
{
    QList<int> sizes;
    {
        MainWindow window({});
        window.resize(1200, 800);
        window.show();
        auto *splitter = child<QSplitter>(window, "mainSplitter");
        splitter->setSizes({300, 900});
        sizes = splitter->sizes();
        window.saveSettings();
    }
    MainWindow window({});
    window.restoreSettings();
    window.show();
    QCOMPARE(child<QSplitter>(window, "mainSplitter")->sizes(), sizes);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
