// Alert intake against Debian's real Alertmanager on loopback: alerts posted to it are polled by
// the dock, listed most severe first with the playbooks their labels suggest, and Start Incident
// hands over the chosen playbook with the alert's labels. An Alertmanager that cannot be reached
// shows its error and leaves the last list, marked stale.

#include "app/desktop/alert_list_model.h"
#include "app/desktop/alerts_dock.h"
#include "app/desktop/inputs_form.h"
#include "engine/playbook/library.h"
#include "integrations/alertmanager_alerts.h"
#include "tests/integrations/local_services.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

constexpr int pollWaitMs = 15000;

// Playbooks whose triggers the alerts below meet: two for input drift (one narrower, with an
// input named like a label), one with an error, and one without triggers.
const char kDriftCohort[] = "runlane: 1\n"
                            "id: drift-in-cohort\n"
                            "title: Input drift in a fleet cohort\n"
                            "triggers:\n"
                            "  - {alertname: ModelInputDrift, cohort: '/fleet-[0-9]+/'}\n"
                            "inputs:\n"
                            "  cohort: {prompt: Cohort, type: string}\n"
                            "  model: {prompt: Model, type: string, default: ranker}\n"
                            "start: close\n"
                            "steps:\n"
                            "  - {id: close, type: end, title: Close, outcome: resolved}\n";

const char kDriftAny[] = "runlane: 1\n"
                         "id: drift-any\n"
                         "title: Input drift\n"
                         "triggers:\n"
                         "  - {alertname: ModelInputDrift}\n"
                         "start: close\n"
                         "steps:\n"
                         "  - {id: close, type: end, title: Close, outcome: resolved}\n";

const char kThermalBroken[] = "runlane: 1\n"
                              "id: thermal\n"
                              "title: Thermal throttling\n"
                              "triggers:\n"
                              "  - {alertname: JetsonThermalThrottle}\n"
                              "start: close\n"
                              "nxet: typo\n"
                              "steps:\n"
                              "  - {id: close, type: end, title: Close, outcome: resolved}\n";

const char kNoTriggers[] = "runlane: 1\n"
                           "id: restart-node\n"
                           "title: Restart a node\n"
                           "start: close\n"
                           "steps:\n"
                           "  - {id: close, type: end, title: Close, outcome: resolved}\n";

QJsonObject postableAlert(const QJsonObject &labels, const QString &summary, qint64 ageSeconds)
{
    QJsonObject alert{
        {u"labels"_s, labels},
        {u"startsAt"_s,
         QDateTime::currentDateTimeUtc().addSecs(-ageSeconds).toString(Qt::ISODateWithMs)}};
    if (!summary.isEmpty())
        alert.insert(u"annotations"_s, QJsonObject{{u"summary"_s, summary}});
    return alert;
}

// POST /api/v2/alerts; the HTTP status, 0 when there was no answer within 10 s.
int postAlerts(const QString &baseUrl, const QJsonArray &alerts)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(baseUrl + u"/api/v2/alerts"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = manager.post(request, QJsonDocument(alerts).toJson());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->abort();
    reply->deleteLater();
    return status;
}

QString cell(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

int rowOfAlert(const AlertListModel &model, const QString &name)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.alert(row).name() == name)
            return row;
    }
    return -1;
}

QStringList suggestionTexts(const QListWidget &list)
{
    QStringList texts;
    for (int i = 0; i < list.count(); ++i)
        texts.append(list.item(i)->text());
    return texts;
}

} // namespace

class TestAlertsDock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void ageText_data();
    void ageText();
    void parseProblems_data();
    void parseProblems();
    void notConfiguredSaysWhereToSetIt();
    void listsFiringAlerts_data();
    void listsFiringAlerts();
    void suggestionsFollowTheSelection();
    void startIncidentHandsOverPlaybookAndLabels();
    void aPlaybookWithErrorsCannotBeStarted();
    void newAlertsComeWithTheNextPoll();
    void pollErrors_data();
    void pollErrors();
    void unreachableAlertmanagerKeepsTheListStale();
    void libraryChangeRematches();

private:
    // Sets the URL and waits (bounded) for the poll it starts.
    bool pollOnce(const QString &url);
    void select(const QString &alertname);

    std::unique_ptr<LocalAlertmanager> m_alertmanager;
    QTemporaryDir m_libraryDir;
    Library m_library;
    std::unique_ptr<AlertsDock> m_dock;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestAlertsDock::initTestCase()
{
    QVERIFY(m_libraryDir.isValid());
    const QList<std::pair<QString, const char *>> files{{u"drift-cohort.yaml"_s, kDriftCohort},
                                                        {u"drift-any.yaml"_s, kDriftAny},
                                                        {u"thermal.yaml"_s, kThermalBroken},
                                                        {u"restart.yaml"_s, kNoTriggers}};
    for (const auto &[name, text] : files) {
        QFile file(m_libraryDir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    }
    m_library = loadLibrary({m_libraryDir.path()});
    QCOMPARE(m_library.entries.size(), 4);
    QVERIFY(!m_library.byId(u"thermal"_s)->ok());
    QVERIFY(m_library.byId(u"drift-in-cohort"_s)->ok());

    m_alertmanager = std::make_unique<LocalAlertmanager>();
    QVERIFY2(m_alertmanager->ok(),
             qPrintable(m_alertmanager->error() + u" (./dev test installs it)"_s));
    const QJsonArray alerts{
        postableAlert({{u"alertname"_s, u"ModelInputDrift"_s},
                       {u"severity"_s, u"warning"_s},
                       {u"cohort"_s, u"fleet-7"_s},
                       {u"model"_s, u"resnet50"_s}},
                      u"Input distribution drifted on fleet-7"_s, 10 * 60 + 5),
        postableAlert({{u"alertname"_s, u"JetsonThermalThrottle"_s},
                       {u"severity"_s, u"critical"_s},
                       {u"node"_s, u"jetson-12"_s}},
                      u"GPU clock throttled"_s, 2 * 60 + 5),
        postableAlert({{u"alertname"_s, u"DiskFull"_s}, {u"severity"_s, u"info"_s}}, {},
                      3 * 3600 + 5 * 60 + 5),
    };
    QCOMPARE(postAlerts(m_alertmanager->url(), alerts), 200);
}

void TestAlertsDock::init()
{
    m_dock = std::make_unique<AlertsDock>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_dock->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_dock->setPollInterval(60000); // each test polls when it means to
    m_dock->setLibrary(m_library);
    m_dock->resize(900, 600);
    m_dock->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
}

void TestAlertsDock::cleanup()
{
    m_tester.reset();
    m_dock.reset();
}

bool TestAlertsDock::pollOnce(const QString &url)
{
    QSignalSpy polled(m_dock.get(), &AlertsDock::polled);
    m_dock->setAlertmanagerUrl(url);
    return polled.wait(pollWaitMs) || polled.count() > 0;
}

void TestAlertsDock::select(const QString &alertname)
{
    const int row = rowOfAlert(*m_dock->model(), alertname);
    QVERIFY2(row >= 0, qPrintable(alertname));
    m_dock->view()->setCurrentIndex(m_dock->model()->index(row, 0));
}

void TestAlertsDock::ageText_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("now") << qint64(0) << u"0 s"_s;
    QTest::newRow("seconds") << qint64(59) << u"59 s"_s;
    QTest::newRow("a minute") << qint64(60) << u"1 min"_s;
    QTest::newRow("minutes") << qint64(3599) << u"59 min"_s;
    QTest::newRow("an hour") << qint64(3600) << u"1 h"_s;
    QTest::newRow("hours and minutes") << qint64(3900) << u"1 h 5 min"_s;
    QTest::newRow("a day") << qint64(86400) << u"1 d"_s;
    QTest::newRow("days and hours") << qint64(93600 + 59) << u"1 d 2 h"_s;
}

void TestAlertsDock::ageText()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(AlertListModel::ageText(seconds), text);
}

void TestAlertsDock::parseProblems_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("problem"); // empty: it reads
    const QByteArray good = "{\"labels\": {\"alertname\": \"A\"}, \"fingerprint\": \"f1\", "
                            "\"startsAt\": \"2024-05-01T10:00:00.123Z\"}";
    QTest::newRow("empty list") << QByteArray("[]") << QString();
    QTest::newRow("without annotations and status") << "[" + good + "]" << QString();
    QTest::newRow("not JSON") << QByteArray("<html>") << u"not JSON"_s;
    QTest::newRow("an object") << QByteArray("{\"alerts\": []}") << u"not a list of alerts"_s;
    QTest::newRow("not an object") << "[" + good + ", 7]" << u"alert 2: is not an object"_s;
    QTest::newRow("no labels") << QByteArray("[{\"fingerprint\": \"f\"}]")
                               << u"alert 1: labels is missing"_s;
    QTest::newRow("a label not text")
        << QByteArray("[{\"labels\": {\"n\": 1}, \"fingerprint\": \"f\"}]")
        << u"alert 1: label 'n' is not a string"_s;
    QTest::newRow("annotations not a map")
        << QByteArray("[{\"labels\": {}, \"annotations\": [], \"fingerprint\": \"f\"}]")
        << u"alert 1: annotation is not a map of strings"_s;
    QTest::newRow("no fingerprint")
        << QByteArray("[{\"labels\": {\"alertname\": \"A\"}, \"startsAt\": "
                      "\"2024-05-01T10:00:00Z\"}]")
        << u"alert 1: fingerprint is missing"_s;
    QTest::newRow("a bad time")
        << QByteArray("[{\"labels\": {}, \"fingerprint\": \"f\", \"startsAt\": \"yesterday\"}]")
        << u"alert 1: startsAt 'yesterday' is not a date-time"_s;
}

void TestAlertsDock::parseProblems()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, problem);
    const auto read = parseFiringAlerts(json);
    if (problem.isEmpty()) {
        if (const auto *error = std::get_if<QString>(&read))
            QFAIL(qPrintable(*error));
        return;
    }
    QVERIFY(std::holds_alternative<QString>(read));
    QVERIFY2(std::get<QString>(read).contains(problem), qPrintable(std::get<QString>(read)));
}

void TestAlertsDock::notConfiguredSaysWhereToSetIt()
{
    auto *pages = m_dock->findChild<QStackedWidget *>();
    auto *hint = m_dock->findChild<QLabel *>(u"alertsNotConfigured"_s);
    QVERIFY(pages && hint);
    QCOMPARE(m_dock->objectName(), u"alertsDock"_s);
    QCOMPARE(m_dock->windowTitle(), u"Alerts"_s);
    QCOMPARE(pages->currentWidget(), hint);
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(u"Settings"_s));
    QVERIFY(!m_dock->isPolling());

    // Configured, then unset again: the hint comes back and nothing is polled.
    QVERIFY(pollOnce(m_alertmanager->url()));
    QVERIFY(!hint->isVisible());
    m_dock->setAlertmanagerUrl(QString());
    QCOMPARE(pages->currentWidget(), hint);
    QCOMPARE(m_dock->model()->rowCount(), 0);
    QVERIFY(!m_dock->isPolling());
}

void TestAlertsDock::listsFiringAlerts_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("alert");
    QTest::addColumn<QString>("severity");
    QTest::addColumn<QString>("labels");
    QTest::addColumn<QString>("since");
    QTest::addColumn<QString>("playbooks");
    // Most severe first.
    QTest::newRow("critical") << 0 << u"JetsonThermalThrottle"_s << u"critical"_s
                              << u"node=jetson-12"_s << u"2 min"_s
                              << u"Thermal throttling (has errors)"_s;
    QTest::newRow("warning") << 1 << u"ModelInputDrift"_s << u"warning"_s
                             << u"cohort=fleet-7, model=resnet50"_s << u"10 min"_s
                             << u"Input drift in a fleet cohort, Input drift"_s;
    QTest::newRow("info") << 2 << u"DiskFull"_s << u"info"_s << QString() << u"3 h 5 min"_s
                          << QString();
}

void TestAlertsDock::listsFiringAlerts()
{
    QFETCH(int, row);
    QFETCH(QString, alert);
    QFETCH(QString, severity);
    QFETCH(QString, labels);
    QFETCH(QString, since);
    QFETCH(QString, playbooks);

    QVERIFY(pollOnce(m_alertmanager->url()));
    QVERIFY2(m_dock->lastError().isEmpty(), qPrintable(m_dock->lastError()));
    QVERIFY(m_dock->lastPolled().isValid());
    QVERIFY(!m_dock->isStale());
    const AlertListModel &model = *m_dock->model();
    QVERIFY(model.rowCount() >= 3);
    QCOMPARE(cell(model, row, AlertListModel::AlertColumn), alert);
    QCOMPARE(cell(model, row, AlertListModel::SeverityColumn), severity);
    QCOMPARE(cell(model, row, AlertListModel::LabelsColumn), labels);
    QCOMPARE(cell(model, row, AlertListModel::SinceColumn), since);
    QCOMPARE(cell(model, row, AlertListModel::PlaybooksColumn), playbooks);
    QVERIFY(!model.alert(row).fingerprint.isEmpty());
    QVERIFY(m_dock->statusText().contains(u"firing"_s));
}

void TestAlertsDock::suggestionsFollowTheSelection()
{
    QVERIFY(pollOnce(m_alertmanager->url()));
    auto *summary = m_dock->findChild<QLabel *>(u"alertSummary"_s);
    auto *hint = m_dock->findChild<QLabel *>(u"alertStartHint"_s);
    QVERIFY(summary && hint);

    select(u"ModelInputDrift"_s);
    QCOMPARE(suggestionTexts(*m_dock->suggestionList()),
             (QStringList{u"Input drift in a fleet cohort"_s, u"Input drift"_s}));
    QCOMPARE(m_dock->suggestionList()->currentRow(), 0);
    QCOMPARE(summary->text(), u"Input distribution drifted on fleet-7"_s);

    select(u"DiskFull"_s);
    QCOMPARE(m_dock->suggestionList()->count(), 0);
    QVERIFY(hint->text().contains(u"No playbook"_s));

    // The selection survives a poll.
    select(u"ModelInputDrift"_s);
    m_dock->suggestionList()->setCurrentRow(1);
    QSignalSpy polled(m_dock.get(), &AlertsDock::polled);
    QTest::mouseClick(m_dock->findChild<QToolButton *>(u"alertsRefresh"_s), Qt::LeftButton);
    QVERIFY(polled.wait(pollWaitMs));
    QCOMPARE(m_dock->model()->alert(m_dock->view()->currentIndex().row()).name(),
             u"ModelInputDrift"_s);
    QCOMPARE(m_dock->suggestionList()->currentRow(), 1);
}

void TestAlertsDock::startIncidentHandsOverPlaybookAndLabels()
{
    QVERIFY(pollOnce(m_alertmanager->url()));
    select(u"ModelInputDrift"_s);
    auto *start = m_dock->findChild<QPushButton *>(u"alertStartIncident"_s);
    QVERIFY(start && start->isEnabled());
    QSignalSpy started(m_dock.get(), &AlertsDock::startRequested);

    // Enter in the alert list, then the button on the second suggestion.
    m_dock->view()->setFocus();
    QTest::keyClick(m_dock->view(), Qt::Key_Return);
    QCOMPARE(started.count(), 1);
    const QString cohortFile = QDir::cleanPath(m_libraryDir.filePath(u"drift-cohort.yaml"_s));
    QCOMPARE(QDir::cleanPath(started.at(0).at(0).toString()), cohortFile);
    const QJsonObject labels = started.at(0).at(1).toJsonObject();
    QCOMPARE(labels, (QJsonObject{{u"alertname"_s, u"ModelInputDrift"_s},
                                  {u"severity"_s, u"warning"_s},
                                  {u"cohort"_s, u"fleet-7"_s},
                                  {u"model"_s, u"resnet50"_s}}));

    m_dock->suggestionList()->setCurrentRow(1);
    QTest::mouseClick(start, Qt::LeftButton);
    QCOMPARE(started.count(), 2);
    QCOMPARE(QDir::cleanPath(started.at(1).at(0).toString()),
             QDir::cleanPath(m_libraryDir.filePath(u"drift-any.yaml"_s)));

    // The labels fill the inputs of the same names, as the integrator will do.
    InputsForm form(m_library.byId(u"drift-in-cohort"_s)->playbook);
    form.setValues(labels);
    auto *cohort = qobject_cast<QLineEdit *>(form.field(u"cohort"_s));
    auto *model = qobject_cast<QLineEdit *>(form.field(u"model"_s));
    QVERIFY(cohort && model);
    QCOMPARE(cohort->text(), u"fleet-7"_s);
    QCOMPARE(model->text(), u"resnet50"_s);
    QVERIFY(form.isValid());
}

void TestAlertsDock::aPlaybookWithErrorsCannotBeStarted()
{
    QVERIFY(pollOnce(m_alertmanager->url()));
    select(u"JetsonThermalThrottle"_s);
    QCOMPARE(suggestionTexts(*m_dock->suggestionList()),
             QStringList{u"Thermal throttling — has errors, cannot be run"_s});
    auto *start = m_dock->findChild<QPushButton *>(u"alertStartIncident"_s);
    QVERIFY(!start->isEnabled());
    QVERIFY(m_dock->findChild<QLabel *>(u"alertStartHint"_s)->text().contains(u"errors"_s));
    QSignalSpy started(m_dock.get(), &AlertsDock::startRequested);
    QTest::keyClick(m_dock->view(), Qt::Key_Return);
    QTest::keyClick(m_dock->suggestionList(), Qt::Key_Enter);
    QCOMPARE(started.count(), 0);
}

void TestAlertsDock::newAlertsComeWithTheNextPoll()
{
    QVERIFY(pollOnce(m_alertmanager->url()));
    const int before = m_dock->model()->rowCount();
    QCOMPARE(
        postAlerts(m_alertmanager->url(), {postableAlert({{u"alertname"_s, u"ModelInputDrift"_s},
                                                          {u"severity"_s, u"warning"_s},
                                                          {u"cohort"_s, u"fleet-9"_s}},
                                                         u"Drift on fleet-9"_s, 30)}),
        200);
    // Now on the timer alone.
    m_dock->setPollInterval(200);
    QTRY_COMPARE_WITH_TIMEOUT(m_dock->model()->rowCount(), before + 1, pollWaitMs);
    const int row = 1; // warnings after the critical one, newest first
    QCOMPARE(m_dock->model()->alert(row).labels.value(u"cohort"_s), u"fleet-9"_s);
    QCOMPARE(m_dock->model()->suggestions(row).size(), 2);
}

void TestAlertsDock::pollErrors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");
    QTest::newRow("nothing listens")
        << u"http://127.0.0.1:%1"_s.arg(freeLoopbackPort()) << u"could not be reached"_s;
    QTest::newRow("not http") << u"ftp://127.0.0.1/"_s << u"not an http:// or https://"_s;
    QTest::newRow("not a URL") << u"http://"_s << u"names no host"_s;
    // Alertmanager itself, under a path it does not serve.
    QTest::newRow("wrong path") << u"%ALERTMANAGER%/no-such-prefix"_s << u"HTTP 404"_s;
}

void TestAlertsDock::pollErrors()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    url.replace(u"%ALERTMANAGER%"_s, m_alertmanager->url());
    QVERIFY(pollOnce(url));
    QVERIFY2(m_dock->lastError().contains(error), qPrintable(m_dock->lastError()));
    QVERIFY(m_dock->statusText().contains(error));
    QCOMPARE(m_dock->model()->rowCount(), 0);
    QVERIFY(!m_dock->isStale()); // no list was ever read
}

void TestAlertsDock::unreachableAlertmanagerKeepsTheListStale()
{
    // An Alertmanager of its own, to stop it.
    auto own = std::make_unique<LocalAlertmanager>();
    QVERIFY2(own->ok(), qPrintable(own->error()));
    QCOMPARE(postAlerts(own->url(), {postableAlert({{u"alertname"_s, u"ModelInputDrift"_s},
                                                    {u"cohort"_s, u"fleet-3"_s}},
                                                   {}, 60)}),
             200);
    QVERIFY(pollOnce(own->url()));
    QCOMPARE(m_dock->model()->rowCount(), 1);
    const QDateTime listTime = m_dock->lastPolled();
    QVERIFY(m_dock->model()->index(0, 0).data(Qt::ForegroundRole).isNull());

    own.reset();
    QSignalSpy polled(m_dock.get(), &AlertsDock::polled);
    m_dock->refresh();
    QVERIFY(polled.wait(pollWaitMs));
    QCOMPARE(polled.at(0).at(0).toBool(), false);
    QVERIFY2(m_dock->lastError().contains(u"could not be reached"_s),
             qPrintable(m_dock->lastError()));
    QVERIFY(m_dock->isStale());
    QCOMPARE(m_dock->model()->rowCount(), 1);                                 // the last list stays
    QVERIFY(m_dock->model()->index(0, 0).data(Qt::ForegroundRole).isValid()); // muted
    QVERIFY(m_dock->lastPolled() >= listTime);
    QVERIFY2(m_dock->statusText().contains(u"stale"_s), qPrintable(m_dock->statusText()));
    // Still suggested, still startable from the stale list.
    select(u"ModelInputDrift"_s);
    QCOMPARE(m_dock->suggestionList()->count(), 2);
}

void TestAlertsDock::libraryChangeRematches()
{
    QVERIFY(pollOnce(m_alertmanager->url()));
    const int row = rowOfAlert(*m_dock->model(), u"ModelInputDrift"_s);
    QVERIFY(m_dock->model()->suggestions(row).size() >= 1);
    m_dock->setLibrary({});
    QCOMPARE(m_dock->model()->suggestions(row).size(), 0);
    QCOMPARE(cell(*m_dock->model(), row, AlertListModel::PlaybooksColumn), QString());
    m_dock->setLibrary(m_library);
    QVERIFY(m_dock->model()->suggestions(row).size() >= 1);
}

QTEST_MAIN(TestAlertsDock)
#include "tst_alerts_dock.moc"
