#include "sample_incident.h"

#include "engine/export/postmortem_diagram.h"
#include "engine/export/postmortem_export.h"
#include "engine/journal/journal_database.h"
#include "engine/journal/journal_reader.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace runlane;

// The HTML export as a real browser draws it: headless Chromium screenshots the file, and the
// image must be a page with content, not a blank or an error page. Chromium is a dependency of
// the tests (./dev installs it): missing, the test fails rather than passing unseen.
class TestHtmlInChromium : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void screenshotShowsThePostmortem()
    {
        QString chromium = QStandardPaths::findExecutable(u"chromium"_s);
        if (chromium.isEmpty())
            chromium = QStandardPaths::findExecutable(u"chromium-browser"_s);
        QVERIFY2(!chromium.isEmpty(),
                 "chromium is not installed: install the Debian package 'chromium' (./dev "
                 "installs it)");

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"journal.sqlite"_s);
        SampleIncident sample;
        auto error = writeSampleIncident(db, sample);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        auto opened = JournalDatabase::open(db);
        QVERIFY(std::holds_alternative<std::unique_ptr<JournalDatabase>>(opened));
        auto read = readIncident(*std::get<0>(opened), sample.id);
        QVERIFY(std::holds_alternative<IncidentJournal>(read));
        const Postmortem pm = buildPostmortem(std::get<IncidentJournal>(read), 0);
        auto svg = postmortemDiagramSvg(pm);
        QVERIFY(std::holds_alternative<QByteArray>(svg));
        const QString htmlPath = dir.filePath(u"postmortem.html"_s);
        QFile html(htmlPath);
        QVERIFY(html.open(QIODevice::WriteOnly));
        html.write(postmortemHtml(pm, std::get<QByteArray>(svg)).toUtf8());
        html.close();

        const QString shot = dir.filePath(u"shot.png"_s);
        QProcess browser;
        browser.setProcessChannelMode(QProcess::MergedChannels);
        // Nothing but the file: no first-run pages, updates or sync reaching out to the network.
        browser.start(
            chromium,
            {u"--headless"_s, u"--no-sandbox"_s, u"--disable-gpu"_s, u"--hide-scrollbars"_s,
             u"--no-first-run"_s, u"--disable-background-networking"_s,
             u"--disable-component-update"_s, u"--disable-sync"_s, u"--disable-extensions"_s,
             u"--user-data-dir="_s + dir.filePath(u"profile"_s), u"--screenshot="_s + shot,
             u"--window-size=1200,2000"_s, QUrl::fromLocalFile(htmlPath).toString()});
        QVERIFY2(browser.waitForStarted(10000), qPrintable(browser.errorString()));
        if (!browser.waitForFinished(90000)) {
            browser.kill();
            browser.waitForFinished(5000);
            QFAIL("chromium did not finish within 90 s");
        }
        const QString log = QString::fromUtf8(browser.readAll());
        QVERIFY2(QFile::exists(shot), qPrintable(u"no screenshot; chromium said:\n"_s + log));

        QImage image(shot);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1200, 2000));
        QSet<QRgb> colours;
        qint64 inked = 0;
        for (int y = 0; y < image.height(); y += 4) {
            for (int x = 0; x < image.width(); x += 4) {
                const QRgb c = image.pixel(x, y);
                colours.insert(c);
                if (qGray(c) < 200)
                    ++inked;
            }
        }
        const qint64 samples = qint64(image.width() / 4) * (image.height() / 4);
        QVERIFY2(colours.size() >= 16, qPrintable(QString::number(colours.size())));
        // Text, tables and the diagram: a real page has a few percent of dark pixels.
        QVERIFY2(inked * 100 > samples * 2, qPrintable(u"%1 of %2"_s.arg(inked).arg(samples)));
        // The top band is the title on a white page, not an error page's grey.
        QCOMPARE(image.pixel(5, 5), qRgb(255, 255, 255));
    }
};

QTEST_MAIN(TestHtmlInChromium)
#include "tst_html_in_chromium.moc"
