#include "app/desktop/incident_list_model.h"
#include "app/desktop/incidents_dock.h"
#include "engine/journal/journal_database.h"
#include "engine/journal/journal_writer.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kT0 = 1700000000000; // 2023-11-14T22:13:20Z
constexpr qint64 kMinute = 60 * 1000;

// One incident as a test names it: "id@minutes" is active, "id@minutes=outcome" ended, with
// "+drill" and "+dry" as tags. Minutes count from kT0.
IncidentRecord incidentOf(const QString &spec)
{
    IncidentRecord r;
    QString rest = spec;
    r.drill = rest.contains(u"+drill"_s);
    r.dryRun = rest.contains(u"+dry"_s);
    rest = rest.section(u'+', 0, 0);
    r.id = rest.section(u'@', 0, 0);
    const QString when = rest.section(u'@', 1);
    r.startedAtMs = kT0 + when.section(u'=', 0, 0).toLongLong() * kMinute;
    r.outcome = when.section(u'=', 1);
    r.status = r.outcome.isEmpty() ? u"active"_s : u"ended"_s;
    r.title = u"Incident "_s + r.id;
    r.playbookId = u"triton-model-not-ready"_s;
    r.severity = u"sev2"_s;
    r.startedBy = u"oncall"_s;
    r.playbookText = u"runlane: 1\nid: triton-model-not-ready\n"_s;
    r.playbookSha256 = QString::fromLatin1(
        QCryptographicHash::hash(r.playbookText.toUtf8(), QCryptographicHash::Sha256).toHex());
    return r;
}

QList<IncidentRecord> incidentsOf(const QStringList &specs)
{
    QList<IncidentRecord> out;
    for (const QString &spec : specs)
        out.append(incidentOf(spec));
    return out;
}

QStringList idsOf(const IncidentListModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(IncidentListModel::IdRole).toString());
    return ids;
}

Event eventOf(EventKind kind, qint64 utcMs, const QJsonObject &details = {})
{
    Event e;
    e.utcMs = utcMs;
    e.kind = kind;
    e.actor = u"oncall"_s;
    e.text = toString(kind);
    e.details = details;
    return e;
}

// Writes the incidents as the walk would: the row with its first event, then, for an ended one,
// its end ten minutes later.
bool writeJournal(const QString &path, const QStringList &specs)
{
    auto opened = JournalDatabase::open(path);
    if (auto *error = std::get_if<QString>(&opened)) {
        qWarning() << *error;
        return false;
    }
    JournalDatabase &journal = *std::get<0>(opened);
    for (const IncidentRecord &incident : incidentsOf(specs)) {
        JournalWriter writer(journal, incident.id);
        auto error = writer.createIncident(
            incident, eventOf(EventKind::IncidentStarted, incident.startedAtMs));
        if (!error && incident.ended())
            error =
                writer.append(eventOf(EventKind::IncidentEnded, incident.startedAtMs + 10 * kMinute,
                                      QJsonObject{{u"outcome"_s, incident.outcome}}));
        if (error) {
            qWarning() << *error;
            return false;
        }
    }
    return true;
}

} // namespace

// The incidents list: the model's order and texts, and the dock reading the journal (missing,
// corrupt, refreshed), keeping its selection, and offering Open and Resume by keyboard and mouse.
class TestIncidentsDock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ordering_data();
    void ordering();
    void stateText_data();
    void stateText();
    void durationText_data();
    void durationText();
    void cells();

    void listsTheJournal();
    void refreshKeepsSelection();
    void showFinished();
    void resumeOnlyForActive_data();
    void resumeOnlyForActive();
    void enterOpens();
    void doubleClickOpens();
    void missingJournalIsEmpty();
    void unreadableJournalShowsError_data();
    void unreadableJournalShowsError();
    void tabOrder();

private:
    // A window holding a dock on a journal written from `specs`; false when it could not be.
    bool showDock(const QStringList &specs);
    QString emptyText() const;
    bool showsTable() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<QMainWindow> m_window;
    IncidentsDock *m_dock = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestIncidentsDock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"journal.sqlite"_s);
}

void TestIncidentsDock::cleanup()
{
    m_tester.reset();
    m_window.reset();
    m_dock = nullptr;
    m_dir.reset();
}

bool TestIncidentsDock::showDock(const QStringList &specs)
{
    if (!specs.isEmpty() && !writeJournal(m_path, specs))
        return false;
    m_window = std::make_unique<QMainWindow>();
    m_window->setCentralWidget(new QWidget);
    m_dock = new IncidentsDock(m_window.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_dock->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_window->resize(1000, 500);
    m_dock->setJournalPath(m_path);
    m_window->show();
    return QTest::qWaitForWindowActive(m_window.get());
}

QString TestIncidentsDock::emptyText() const
{
    return m_dock->findChild<QLabel *>(u"incidentsEmpty"_s)->text();
}

bool TestIncidentsDock::showsTable() const
{
    return m_dock->view()->isVisible();
}

void TestIncidentsDock::ordering_data()
{
    QTest::addColumn<QStringList>("specs");
    QTest::addColumn<QStringList>("order");

    QTest::newRow("empty") << QStringList() << QStringList();
    QTest::newRow("newest first") << QStringList{u"a@1"_s, u"b@3"_s, u"c@2"_s}
                                  << QStringList{u"b"_s, u"c"_s, u"a"_s};
    QTest::newRow("active before ended")
        << QStringList{u"old@1"_s, u"new@9=resolved"_s, u"mid@5=aborted"_s, u"young@4"_s}
        << QStringList{u"young"_s, u"old"_s, u"new"_s, u"mid"_s};
    QTest::newRow("same start by id")
        << QStringList{u"b@2"_s, u"a@2"_s} << QStringList{u"a"_s, u"b"_s};
}

void TestIncidentsDock::ordering()
{
    QFETCH(QStringList, specs);
    QFETCH(QStringList, order);
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setIncidents(incidentsOf({u"x@0"_s}), kT0);
    model.setIncidents(incidentsOf(specs), kT0);
    QCOMPARE(idsOf(model), order);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.record(row).id, order.at(row));
        QCOMPARE(model.rowOf(order.at(row)), row);
        QCOMPARE(model.index(row, 0).data(IncidentListModel::EndedRole).toBool(),
                 model.record(row).ended());
    }
    QCOMPARE(model.rowOf(u"none"_s), -1);
}

void TestIncidentsDock::stateText_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("text");

    QTest::newRow("active") << u"a@0"_s << u"Active"_s;
    QTest::newRow("active drill") << u"a@0+drill"_s << u"Active · drill"_s;
    QTest::newRow("resolved") << u"a@0=resolved"_s << u"Resolved"_s;
    QTest::newRow("mitigated dry run") << u"a@0=mitigated+dry"_s << u"Mitigated · dry run"_s;
    QTest::newRow("escalated") << u"a@0=escalated"_s << u"Escalated"_s;
    QTest::newRow("false alarm drill dry run")
        << u"a@0=false-alarm+drill+dry"_s << u"False alarm · drill · dry run"_s;
    QTest::newRow("aborted") << u"a@0=aborted"_s << u"Aborted"_s;
    QTest::newRow("unknown outcome shown as written") << u"a@0=handed-over"_s << u"handed-over"_s;
}

void TestIncidentsDock::stateText()
{
    QFETCH(QString, spec);
    QFETCH(QString, text);
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setIncidents({incidentOf(spec)}, kT0);
    QCOMPARE(model.index(0, IncidentListModel::StateColumn).data().toString(), text);
}

void TestIncidentsDock::durationText_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");

    QTest::newRow("negative") << qint64(-5000) << u"0s"_s;
    QTest::newRow("seconds") << qint64(45'999) << u"45s"_s;
    QTest::newRow("minutes") << 12 * kMinute + 30'000 << u"12m"_s;
    QTest::newRow("hours") << 3 * 60 * kMinute + 5 * kMinute << u"3h 05m"_s;
    QTest::newRow("days") << (2 * 24 + 4) * 60 * kMinute << u"2d 04h"_s;
}

void TestIncidentsDock::durationText()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(IncidentListModel::durationText(ms), text);
}

void TestIncidentsDock::cells()
{
    IncidentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QString id = u"6f1c2a9e-0b7d-4c55-9e1f-2f8e3c4d5a6b"_s;
    IncidentRecord active = incidentOf(id + u"@0"_s);
    IncidentRecord resolved = incidentOf(u"r@-60=resolved"_s);
    resolved.resolvedAtMs = resolved.startedAtMs + 42 * kMinute;
    const IncidentRecord aborted = incidentOf(u"x@-120=aborted"_s);
    model.setIncidents({aborted, resolved, active}, kT0 + 90 * kMinute);

    const auto cell = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(0, IncidentListModel::TitleColumn).toString(), active.title);
    QCOMPARE(cell(0, IncidentListModel::SeverityColumn).toString(), u"SEV2"_s);
    QVERIFY(cell(0, IncidentListModel::SeverityColumn, Qt::BackgroundRole).isValid());
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(kT0).toLocalTime();
    QCOMPARE(cell(0, IncidentListModel::StartedColumn).toString(),
             local.toString(u"yyyy-MM-dd HH:mm"_s));
    QCOMPARE(cell(0, IncidentListModel::StartedColumn, Qt::ToolTipRole).toString(),
             local.toString(Qt::ISODateWithMs));
    QCOMPARE(cell(0, IncidentListModel::ByColumn).toString(), u"oncall"_s);
    QCOMPARE(cell(0, IncidentListModel::IdColumn).toString(), u"6f1c2a9e"_s);
    QCOMPARE(cell(0, IncidentListModel::IdColumn, Qt::ToolTipRole).toString(), id);
    QCOMPARE(cell(0, 0, IncidentListModel::IdRole).toString(), id);
    QCOMPARE(cell(0, 0, IncidentListModel::StartedAtMsRole).toLongLong(), kT0);

    // An active incident's age runs with the clock; an ended one's time to resolve does not.
    QCOMPARE(cell(0, IncidentListModel::DurationColumn).toString(), u"1h 30m"_s);
    QCOMPARE(cell(1, IncidentListModel::DurationColumn).toString(), u"42m"_s);
    QCOMPARE(cell(2, IncidentListModel::DurationColumn).toString(), u"–"_s);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNow(kT0 + 150 * kMinute);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(cell(0, IncidentListModel::DurationColumn).toString(), u"2h 30m"_s);
    QCOMPARE(cell(1, IncidentListModel::DurationColumn).toString(), u"42m"_s);
}

void TestIncidentsDock::listsTheJournal()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s, u"c@3+drill"_s, u"d@4=aborted+dry"_s}));
    QVERIFY(m_dock->error().isEmpty());
    QCOMPARE(m_dock->objectName(), u"incidentsDock"_s);
    QCOMPARE(m_dock->windowTitle(), u"Incidents"_s);
    QVERIFY(showsTable());
    QCOMPARE(idsOf(*m_dock->model()), (QStringList{u"c"_s, u"b"_s, u"d"_s, u"a"_s}));
    QCOMPARE(m_dock->model()->index(2, 0).data().toString(), u"Aborted · dry run"_s);
    QCOMPARE(m_dock->unfinishedCount(), 2);
    const QList<IncidentRecord> unfinished = m_dock->unfinished();
    QCOMPARE(unfinished.size(), 2);
    QCOMPARE(unfinished.at(0).id, u"c"_s);
    QCOMPARE(unfinished.at(1).id, u"b"_s);
    // The first row is selected from the start, so Enter and Resume work at once.
    QCOMPARE(m_dock->currentId(), u"c"_s);
}

void TestIncidentsDock::refreshKeepsSelection()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s, u"c@3=escalated"_s}));
    QVERIFY(m_dock->selectId(u"a"_s));
    QCOMPARE(m_dock->model()->rowOf(u"a"_s), 2);

    // A newer incident lands at the top: the selection stays on the same incident.
    QVERIFY(writeJournal(m_path, {u"n@9"_s}));
    m_dock->refresh();
    QCOMPARE(idsOf(*m_dock->model()), (QStringList{u"n"_s, u"b"_s, u"c"_s, u"a"_s}));
    QCOMPARE(m_dock->currentId(), u"a"_s);
    QCOMPARE(m_dock->view()->currentIndex().row(), 3);
    QCOMPARE(m_dock->unfinishedCount(), 2);
}

void TestIncidentsDock::showFinished()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s, u"c@3=escalated"_s}));
    auto *box = m_dock->findChild<QCheckBox *>(u"incidentsShowFinished"_s);
    QVERIFY(box->isChecked());
    QVERIFY(m_dock->selectId(u"b"_s));

    box->setChecked(false);
    QCOMPARE(idsOf(*m_dock->model()), QStringList{u"b"_s});
    QCOMPARE(m_dock->currentId(), u"b"_s);
    box->setChecked(true);
    QCOMPARE(idsOf(*m_dock->model()), (QStringList{u"b"_s, u"c"_s, u"a"_s}));
    QCOMPARE(m_dock->currentId(), u"b"_s);

    // With only finished incidents and those hidden, the text says so instead of an empty table.
    QVERIFY(writeJournal(m_dir->filePath(u"ended.sqlite"_s), {u"e@1=resolved"_s}));
    m_dock->setJournalPath(m_dir->filePath(u"ended.sqlite"_s));
    box->setChecked(false);
    QVERIFY(!showsTable());
    QCOMPARE(emptyText(), u"No unfinished incidents; 1 finished one is hidden"_s);
    QCOMPARE(m_dock->currentId(), QString());
}

void TestIncidentsDock::resumeOnlyForActive_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("active");

    QTest::newRow("active") << u"b"_s << true;
    QTest::newRow("active drill") << u"d"_s << true;
    QTest::newRow("resolved") << u"a"_s << false;
    QTest::newRow("aborted") << u"c"_s << false;
}

void TestIncidentsDock::resumeOnlyForActive()
{
    QFETCH(QString, id);
    QFETCH(bool, active);
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s, u"c@3=aborted"_s, u"d@4+drill"_s}));
    auto *open = m_dock->findChild<QPushButton *>(u"incidentsOpen"_s);
    auto *resume = m_dock->findChild<QPushButton *>(u"incidentsResume"_s);
    QSignalSpy resumed(m_dock, &IncidentsDock::resumeRequested);
    QSignalSpy opened(m_dock, &IncidentsDock::openRequested);

    QVERIFY(m_dock->selectId(id));
    QVERIFY(open->isEnabled());
    QCOMPARE(resume->isEnabled(), active);

    QTest::mouseClick(resume, Qt::LeftButton);
    m_dock->resumeCurrent(); // what the window's Resume Incident (Ctrl+Shift+R) does
    QCOMPARE(resumed.size(), active ? 2 : 0);
    for (const QList<QVariant> &args : std::as_const(resumed))
        QCOMPARE(args.at(0).toString(), id);

    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), id);
}

void TestIncidentsDock::enterOpens()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s}));
    QSignalSpy opened(m_dock, &IncidentsDock::openRequested);
    QTableView *view = m_dock->view();
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QCOMPARE(m_dock->currentId(), u"b"_s);
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(m_dock->currentId(), u"a"_s);
    QTest::keyClick(view, Qt::Key_Return);
    QTest::keyClick(view, Qt::Key_Enter, Qt::KeypadModifier);
    QCOMPARE(opened.size(), 2);
    QCOMPARE(opened.at(0).at(0).toString(), u"a"_s);
    QCOMPARE(opened.at(1).at(0).toString(), u"a"_s);
}

void TestIncidentsDock::doubleClickOpens()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s, u"c@3=mitigated"_s}));
    QSignalSpy opened(m_dock, &IncidentsDock::openRequested);
    QTableView *view = m_dock->view();
    const int row = m_dock->model()->rowOf(u"c"_s);
    const QRect rect = view->visualRect(m_dock->model()->index(row, 1));
    QVERIFY(rect.isValid());
    // As a mouse does it: a click, then the second press that the system reports as a double one.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QVERIFY(opened.isEmpty());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), u"c"_s);
    QCOMPARE(m_dock->currentId(), u"c"_s);
}

void TestIncidentsDock::missingJournalIsEmpty()
{
    QVERIFY(showDock({}));
    QVERIFY(!QFile::exists(m_path));
    QVERIFY(m_dock->error().isEmpty());
    QVERIFY(!showsTable());
    QCOMPARE(emptyText(), u"No incidents in %1 yet"_s.arg(m_path));
    QCOMPARE(m_dock->unfinishedCount(), 0);
    QVERIFY(!m_dock->findChild<QPushButton *>(u"incidentsOpen"_s)->isEnabled());
    QVERIFY(!m_dock->findChild<QPushButton *>(u"incidentsResume"_s)->isEnabled());

    m_dock->refresh();
    QVERIFY(!QFile::exists(m_path));
    QVERIFY(!QFile::exists(m_path + u"-wal"_s));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());

    // Once the journal exists the incidents show.
    QVERIFY(writeJournal(m_path, {u"a@1"_s}));
    m_dock->refresh();
    QVERIFY(showsTable());
    QCOMPARE(m_dock->unfinishedCount(), 1);
}

void TestIncidentsDock::unreadableJournalShowsError_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("folder");

    QTest::newRow("text") << QByteArray("not a journal, only some text\n").repeated(200) << false;
    QTest::newRow("folder") << QByteArray() << true;
}

void TestIncidentsDock::unreadableJournalShowsError()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, folder);
    if (folder) {
        QVERIFY(QDir().mkpath(m_path));
    } else {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    QVERIFY(showDock({}));
    QVERIFY(!m_dock->error().isEmpty());
    QVERIFY(m_dock->error().contains(m_path));
    QVERIFY(!showsTable());
    QVERIFY(emptyText().startsWith(u"The journal cannot be read: "_s));
    QVERIFY(emptyText().contains(m_dock->error()));
    QCOMPARE(m_dock->unfinishedCount(), 0);
    if (!folder) {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes); // read, never repaired or overwritten
    }
}

void TestIncidentsDock::tabOrder()
{
    QVERIFY(showDock({u"a@1=resolved"_s, u"b@2"_s}));
    auto *box = m_dock->findChild<QCheckBox *>(u"incidentsShowFinished"_s);
    auto *open = m_dock->findChild<QPushButton *>(u"incidentsOpen"_s);
    auto *resume = m_dock->findChild<QPushButton *>(u"incidentsResume"_s);
    m_dock->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), m_dock->view());

    box->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), box);
    const QList<QWidget *> order{m_dock->view(), open, resume};
    for (QWidget *next : order) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), next);
    }
    // Space on the checkbox hides the finished ones, without the mouse.
    box->setFocus();
    QTest::keyClick(box, Qt::Key_Space);
    QVERIFY(!box->isChecked());
    QCOMPARE(m_dock->model()->rowCount(), 1);
}

QTEST_MAIN(TestIncidentsDock)
#include "tst_incidents_dock.moc"
