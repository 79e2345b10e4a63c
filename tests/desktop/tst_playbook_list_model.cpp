#include "app/desktop/playbook_filter_model.h"
#include "app/desktop/playbook_list_model.h"
#include "library_fixture.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QTest>

using namespace runlane;
using namespace Qt::StringLiterals;
using namespace runlane::desktop;

class TestPlaybookListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelTester_data();
    void modelTester();
    void rolesOfShippedPlaybooks();
    void validity_data();
    void validity();
    void filter_data();
    void filter();
    void filterFindsShippedPlaybooks_data();
    void filterFindsShippedPlaybooks();
    void sortsByTitle();

private:
    QStringList visibleFiles(const PlaybookFilterModel &filter) const;

    LibraryFixture m_fixture;
    const QString m_shipped = QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks");
};

void TestPlaybookListModel::initTestCase()
{
    QVERIFY(m_fixture.isValid());
}

void TestPlaybookListModel::modelTester_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("shipped") << QStringList{m_shipped};
    QTest::newRow("broken and duplicate ids") << QStringList{m_fixture.path()};
    QTest::newRow("both") << QStringList{m_shipped, m_fixture.path()};
    QTest::newRow("empty") << QStringList{};
}

// The tester watches every change the model signals, through a reset and a filter change.
void TestPlaybookListModel::modelTester()
{
    QFETCH(QStringList, paths);
    PlaybookListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    PlaybookFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester filterTester(&filter,
                                          QAbstractItemModelTester::FailureReportingMode::Fatal);

    model.setLibrary(loadLibrary(paths));
    QCOMPARE(model.rowCount(), int(model.library().entries.size()));
    filter.setQuery(QStringLiteral("a"));
    filter.setQuery(QStringLiteral("no-such-playbook-anywhere"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setQuery(QString());
    QCOMPARE(filter.rowCount(), model.rowCount());
    model.setLibrary(loadLibrary(paths)); // a reload
    model.setLibrary({});
    QCOMPARE(model.rowCount(), 0);
}

void TestPlaybookListModel::rolesOfShippedPlaybooks()
{
    PlaybookListModel model;
    model.setLibrary(loadLibrary({m_shipped}));
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        const LoadResult *entry = model.entry(index);
        QVERIFY(entry && entry->playbook);
        QCOMPARE(index.data().toString(), entry->playbook->title.value.simplified());
        QCOMPARE(index.data(PlaybookListModel::IdRole).toString(), entry->playbook->id.value);
        QCOMPARE(index.data(PlaybookListModel::SeverityTextRole).toString(),
                 toString(entry->playbook->severity.value).toUpper());
        QVERIFY(index.data(PlaybookListModel::SeverityTextRole).toString().startsWith(u"SEV"));
        QCOMPARE(model.indexOfId(entry->playbook->id.value), index);
        QCOMPARE(model.indexOfFile(entry->playbook->file), index);
        // The shipped library has to be runnable.
        QVERIFY2(entry->ok(),
                 qPrintable(entry->diagnostics.isEmpty() ? QString()
                                                         : entry->diagnostics.front().toString()));
        QCOMPARE(index.data(PlaybookListModel::ErrorCountRole).toInt(), 0);
    }
    QVERIFY(!model.entry(QModelIndex()));
}

void TestPlaybookListModel::validity_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("hasPlaybook");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("severity");

    QTest::newRow("errors, still parsed")
        << u"broken.yaml"_s << true << u"Restart the edge runtime (broken on purpose)"_s
        << u"SEV4"_s;
    QTest::newRow("not YAML") << u"unparsable.yaml"_s << false << u"unparsable.yaml"_s << QString();
    QTest::newRow("first of two with one id")
        << u"twin-a.yaml"_s << true << u"Twin A"_s << u"SEV2"_s;
    QTest::newRow("second of two with one id")
        << u"twin-b.yaml"_s << true << u"Twin B"_s << u"SEV2"_s;
}

void TestPlaybookListModel::validity()
{
    QFETCH(QString, file);
    QFETCH(bool, hasPlaybook);
    QFETCH(QString, title);
    QFETCH(QString, severity);

    PlaybookListModel model;
    model.setLibrary(loadLibrary({m_fixture.path()}));
    QCOMPARE(model.rowCount(), 4);
    const QModelIndex index = model.indexOfFile(m_fixture.file(file));
    QVERIFY(index.isValid());
    const LoadResult *entry = model.entry(index);
    QCOMPARE(bool(entry->playbook), hasPlaybook);
    QVERIFY(!entry->ok());

    const int errors = countOf(entry->diagnostics, Diagnostic::Severity::Error);
    QVERIFY(errors > 0);
    QCOMPARE(index.data(PlaybookListModel::ErrorCountRole).toInt(), errors);
    QCOMPARE(index.data(PlaybookListModel::ValidityTextRole).toString(),
             errors == 1 ? QStringLiteral("1 error") : QStringLiteral("%1 errors").arg(errors));
    QVERIFY(!index.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(index.data().toString(), title);
    QCOMPARE(index.data(PlaybookListModel::SeverityTextRole).toString(), severity);
    QCOMPARE(index.data(PlaybookListModel::SeverityRole).isValid(), hasPlaybook);
    QCOMPARE(index.data(PlaybookListModel::FileRole).toString(), m_fixture.file(file));
    QVERIFY(index.data(Qt::ToolTipRole).toString().contains(u"cannot be run"));
}

QStringList TestPlaybookListModel::visibleFiles(const PlaybookFilterModel &filter) const
{
    QStringList files;
    for (int row = 0; row < filter.rowCount(); ++row) {
        const QString file = filter.index(row, 0).data(PlaybookListModel::FileRole).toString();
        files.append(file.mid(file.lastIndexOf(QLatin1Char('/')) + 1));
    }
    files.sort();
    return files;
}

void TestPlaybookListModel::filter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("files");

    const QStringList twins{QStringLiteral("twin-a.yaml"), QStringLiteral("twin-b.yaml")};
    const QStringList all{QStringLiteral("broken.yaml"), QStringLiteral("twin-a.yaml"),
                          QStringLiteral("twin-b.yaml"), QStringLiteral("unparsable.yaml")};
    QTest::newRow("nothing typed") << QString() << all;
    QTest::newRow("blanks only") << u"   "_s << all;
    QTest::newRow("tag") << u"gpu-thermal"_s << twins;
    QTest::newRow("tag, other case") << u"GPU-Thermal"_s << twins;
    QTest::newRow("trigger label value") << u"JetsonThermalThrottle"_s << twins;
    QTest::newRow("second trigger label") << u"fleet-7"_s << twins;
    QTest::newRow("trigger label as key=value") << u"cohort=fleet-7"_s << twins;
    QTest::newRow("part of a title")
        << u"edge runtime"_s << QStringList{QStringLiteral("broken.yaml")};
    QTest::newRow("id") << u"broken-restart"_s << QStringList{QStringLiteral("broken.yaml")};
    QTest::newRow("every word must match")
        << u"twin b"_s << QStringList{QStringLiteral("twin-b.yaml")};
    QTest::newRow("file of an unreadable playbook")
        << u"unparsable"_s << QStringList{QStringLiteral("unparsable.yaml")};
    QTest::newRow("no match") << u"kubelet"_s << QStringList{};
    QTest::newRow("words match different things") << u"thermal twin"_s << twins;
    QTest::newRow("one word matches nothing") << u"thermal kubelet"_s << QStringList{};
}

void TestPlaybookListModel::filter()
{
    QFETCH(QString, query);
    QFETCH(QStringList, files);

    PlaybookListModel model;
    model.setLibrary(loadLibrary({m_fixture.path()}));
    PlaybookFilterModel filter;
    filter.setSourceModel(&model);
    filter.setQuery(query);
    QCOMPARE(visibleFiles(filter), files);
}

void TestPlaybookListModel::filterFindsShippedPlaybooks_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("id");

    QTest::newRow("tag") << u"kserve"_s << u"canary-drift-rollback"_s;
    QTest::newRow("trigger label value") << u"ModelInputDrift"_s << u"canary-drift-rollback"_s;
    QTest::newRow("trigger key=value")
        << u"alertname=CanaryInputPSIHigh"_s << u"canary-drift-rollback"_s;
    QTest::newRow("words of the title") << u"KServe canary"_s << u"canary-drift-rollback"_s;
}

void TestPlaybookListModel::filterFindsShippedPlaybooks()
{
    QFETCH(QString, query);
    QFETCH(QString, id);

    PlaybookListModel model;
    model.setLibrary(loadLibrary({m_shipped}));
    QVERIFY(model.indexOfId(id).isValid());
    PlaybookFilterModel filter;
    filter.setSourceModel(&model);
    filter.setQuery(query);
    QVERIFY(filter.rowCount() >= 1);
    QVERIFY(filter.rowCount() < model.rowCount());
    QVERIFY(filter.mapFromSource(model.indexOfId(id)).isValid());
}

void TestPlaybookListModel::sortsByTitle()
{
    PlaybookListModel model;
    model.setLibrary(loadLibrary({m_shipped, m_fixture.path()}));
    PlaybookFilterModel filter;
    filter.setSourceModel(&model);
    QStringList titles;
    for (int row = 0; row < filter.rowCount(); ++row)
        titles.append(filter.index(row, 0).data().toString());
    QStringList sorted = titles;
    std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
        return a.toCaseFolded() < b.toCaseFolded();
    });
    QCOMPARE(titles, sorted);
}

QTEST_MAIN(TestPlaybookListModel)
#include "tst_playbook_list_model.moc"
