#include "app/desktop/export_dialogs.h"

#include "engine/journal/journal_database.h"
#include "engine/journal/journal_writer.h"
#include "engine/layout/graphviz_layout.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/session.h"

#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

#include <functional>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

const QString playbookFile =
    QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml");
const QString incidentId = QStringLiteral("3f0c9a1e-5b7d-4e2a-9c18-0d6e4b2a7f35");
const QString incidentTitle = QStringLiteral("Canary drift on resnet-edge");
constexpr qint64 startedAtMs = 1700000000000;

// An incident started on a shipped playbook, with a note: journaled as a run does, no network.
std::optional<QString> writeIncident(const QString &dbPath)
{
    const LoadResult loaded = loadPlaybookFile(playbookFile);
    if (!loaded.ok())
        return u"the playbook has errors"_s;
    const auto inputs = checkInputs(*loaded.playbook, {{u"model"_s, u"resnet-edge"_s}});
    if (!std::holds_alternative<QJsonObject>(inputs))
        return u"the inputs are not accepted"_s;
    QFile file(playbookFile);
    if (!file.open(QIODevice::ReadOnly))
        return u"cannot read the playbook"_s;
    const QByteArray text = file.readAll();
    auto opened = JournalDatabase::open(dbPath);
    if (auto *error = std::get_if<QString>(&opened))
        return *error;
    JournalWriter writer(*std::get<0>(opened), incidentId);
    IncidentRecord record;
    record.playbookId = loaded.playbook->id.value;
    record.title = incidentTitle;
    record.severity = u"sev2"_s;
    record.playbookText = QString::fromUtf8(text);
    record.playbookSha256 =
        QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
    record.inputs = std::get<QJsonObject>(inputs);
    record.startedAtMs = startedAtMs;
    if (auto error = writer.createIncident(record))
        return error;
    std::optional<QString> failure;
    qint64 now = startedAtMs;
    Session session(
        loaded.playbook, u"alice"_s,
        [&](const Event &e) {
            if (auto error = writer.append(e); error && !failure)
                failure = error;
        },
        Session::Clock{[&now] { return now; }});
    session.start(incidentId, std::get<QJsonObject>(inputs));
    now += 60'000;
    session.addNote(u"Drift shows on the canary only"_s);
    return failure;
}

// Calls `act` on the modal dialog once one shows (a QFileDialog or QMessageBox); gives up, and
// rejects whatever is modal, after a few seconds so that a test never hangs on a dialog.
void whenModal(const std::function<void(QWidget *)> &act)
{
    auto *timer = new QTimer(qApp);
    auto *clock = new QElapsedTimer;
    clock->start();
    QObject::connect(timer, &QTimer::timeout, timer, [timer, clock, act] {
        QWidget *modal = QApplication::activeModalWidget();
        const bool late = clock->elapsed() > 10'000;
        if (!modal && !late)
            return;
        timer->stop();
        timer->deleteLater();
        delete clock;
        if (modal && !late)
            act(modal);
        else if (modal)
            qobject_cast<QDialog *>(modal)->reject();
    });
    timer->start(20);
}

// How a PDF's document information writes text.
QByteArray utf16BigEndian(const QString &text)
{
    QByteArray bytes;
    for (const QChar c : text) {
        bytes.append(char(c.unicode() >> 8));
        bytes.append(char(c.unicode() & 0xff));
    }
    return bytes;
}

QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestExports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void incidentExport_data();
    void incidentExport();
    void incidentExportErrors_data();
    void incidentExportErrors();
    void unwritableFolder_data();
    void unwritableFolder();
    void diagram_data();
    void diagram();
    void diagramErrors();
    void suggestedName_data();
    void suggestedName();
    void exportIncidentDialog();
    void exportIncidentOfUnknownId();
    void exportDiagramDialog();

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::optional<DiagramPainter> m_painter;
};

void TestExports::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir.filePath(u"settings"_s));
    m_db = m_dir.filePath(u"journal.sqlite"_s);
    const auto error = writeIncident(m_db);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));

    const LoadResult loaded = loadPlaybookFile(playbookFile);
    QVERIFY(loaded.ok());
    auto laid = layoutPlaybook(*loaded.playbook, LayoutOptions::defaults());
    if (const auto *layoutError = std::get_if<QString>(&laid))
        QFAIL(qPrintable(*layoutError));
    m_painter.emplace(std::get<Layout>(std::move(laid)));
    // As the window shows it: dark, a step selected, a walk under way.
    const QString start = loaded.playbook->start.value;
    DiagramOverlay overlay;
    overlay.path = {start};
    overlay.current = start;
    overlay.selected = start;
    m_painter->setOverlay(overlay);
    m_painter->setPalette(DiagramPalette::dark());
}

void TestExports::incidentExport_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<QByteArray>("title");
    const QByteArray title = incidentTitle.toUtf8();
    QTest::newRow("md") << u"out.md"_s << QByteArray("# Postmortem: ") << title;
    QTest::newRow("markdown") << u"out.markdown"_s << QByteArray("# Postmortem: ") << title;
    QTest::newRow("html") << u"out.html"_s << QByteArray("<!DOCTYPE html>") << title;
    QTest::newRow("htm upper case") << u"OUT.HTM"_s << QByteArray("<!DOCTYPE html>") << title;
    QTest::newRow("json") << u"out.json"_s << QByteArray("{") << title;
    // The pages' text is compressed; the document's title is not.
    QTest::newRow("pdf") << u"out.pdf"_s << QByteArray("%PDF")
                         << utf16BigEndian(u"Postmortem: "_s + incidentTitle);
}

void TestExports::incidentExport()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, start);
    QFETCH(QByteArray, title);
    const QString folder = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY(QDir().mkpath(folder));
    const QString out = QDir(folder).filePath(fileName);
    const auto error = writeIncidentExport(m_db, incidentId.left(8), out);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(entriesOf(folder), QStringList{fileName}); // no temporary file left beside it

    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith(start));
    QVERIFY(bytes.contains(title));
    if (fileName.endsWith(u".json"_s)) {
        QJsonParseError parsed;
        const QJsonObject json = QJsonDocument::fromJson(bytes, &parsed).object();
        QCOMPARE(parsed.error, QJsonParseError::NoError);
        QCOMPARE(json.value(u"schema_version"_s).toInt(), 1);
    }
    if (fileName.endsWith(u"html"_s, Qt::CaseInsensitive)) {
        const QString html = QString::fromUtf8(bytes);
        QVERIFY(html.contains(u"<svg"_s)); // the walked diagram, inline
        // Self-contained: nothing is fetched (an SVG's xmlns is a name, not a resource).
        static const QRegularExpression remote(
            u"(?:src|href|srcset|action)\\s*=\\s*[\"']?\\s*(?:https?:)?//|url\\(\\s*[\"']?\\s*(?:https?:)?//|@import"_s,
            QRegularExpression::CaseInsensitiveOption);
        const QRegularExpressionMatch match = remote.match(html);
        QVERIFY2(!match.hasMatch(), qPrintable(match.captured()));
    }
}

void TestExports::incidentExportErrors_data()
{
    QTest::addColumn<QString>("journal");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown id") << u"journal.sqlite"_s << u"ffff"_s << u"x.md"_s
                                << u"no incident ffff"_s;
    QTest::newRow("unknown format")
        << u"journal.sqlite"_s << incidentId << u"x.doc"_s << u".md, .html, .json or .pdf"_s;
    QTest::newRow("no suffix") << u"journal.sqlite"_s << incidentId << u"x"_s
                               << u".md, .html, .json or .pdf"_s;
    QTest::newRow("no journal") << u"none.sqlite"_s << incidentId << u"x.md"_s
                                << u"no journal at"_s;
}

void TestExports::incidentExportErrors()
{
    QFETCH(QString, journal);
    QFETCH(QString, id);
    QFETCH(QString, fileName);
    QFETCH(QString, message);
    const QString folder = m_dir.filePath(u"errors"_s);
    QVERIFY(QDir().mkpath(folder));
    const auto error =
        writeIncidentExport(m_dir.filePath(journal), id, QDir(folder).filePath(fileName));
    QVERIFY(error);
    QVERIFY2(error->contains(message), qPrintable(*error));
    QVERIFY(entriesOf(folder).isEmpty());
    QVERIFY(QFile::exists(m_db));
    QVERIFY(!QFile::exists(m_dir.filePath(u"none.sqlite"_s))); // a mistyped journal is not made
}

void TestExports::unwritableFolder_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fileName");
    for (const QString &kind : {u"missing"_s, u"a file"_s, u"target a folder"_s, u"read-only"_s}) {
        for (const QString &fileName : {u"x.md"_s, u"x.pdf"_s, u"x.svg"_s, u"x.png"_s})
            QTest::addRow("%s %s", qPrintable(kind), qPrintable(fileName)) << kind << fileName;
    }
}

void TestExports::unwritableFolder()
{
    QFETCH(QString, kind);
    QFETCH(QString, fileName);
    const QString parent = m_dir.filePath(
        u"unwritable-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'-'));
    QVERIFY(QDir().mkpath(parent));
    QString folder = QDir(parent).filePath(u"folder"_s);
    if (kind == u"a file") {
        QFile file(folder);
        QVERIFY(file.open(QIODevice::WriteOnly));
    } else if (kind == u"target a folder") {
        QVERIFY(QDir().mkpath(QDir(folder).filePath(fileName)));
    } else if (kind == u"read-only") {
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
        QFile probe(QDir(folder).filePath(u"probe"_s));
        if (probe.open(QIODevice::WriteOnly)) {
            probe.remove();
            QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QSKIP("permissions do not hold for this user (root)");
        }
    }
    const QStringList before = entriesOf(parent) + entriesOf(folder);
    const QString out = QDir(folder).filePath(fileName);
    const bool diagram = fileName.endsWith(u".svg"_s) || fileName.endsWith(u".png"_s);
    const auto error =
        diagram ? writeDiagramFile(*m_painter, out) : writeIncidentExport(m_db, incidentId, out);
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(error);
    QVERIFY2(error->startsWith(u"Cannot write "_s), qPrintable(*error));
    QCOMPARE(entriesOf(parent) + entriesOf(folder), before); // nothing partial left behind
}

void TestExports::diagram_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::newRow("svg") << u"diagram.svg"_s;
    QTest::newRow("png") << u"diagram.png"_s;
    QTest::newRow("PNG upper case") << u"DIAGRAM.PNG"_s;
}

void TestExports::diagram()
{
    QFETCH(QString, fileName);
    const QString folder = m_dir.filePath(
        u"diagram-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'-'));
    QVERIFY(QDir().mkpath(folder));
    const QString out = QDir(folder).filePath(fileName);
    const auto error = writeDiagramFile(*m_painter, out, u"Canary drift"_s);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QCOMPARE(entriesOf(folder), QStringList{fileName});
    // The view's painter is left as it was.
    QCOMPARE(m_painter->palette().background, DiagramPalette::dark().background);
    QVERIFY(!m_painter->overlay().selected.isEmpty());

    const QRectF bounds = m_painter->layout().bounds;
    if (fileName.endsWith(u".svg"_s)) {
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        bool svg = false;
        QString title;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"svg")
                svg = true;
            else if (xml.name() == u"title" && title.isEmpty())
                title = xml.readElementText();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(svg);
        QCOMPARE(title, u"Canary drift"_s);
    } else {
        const QImage image(out);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 0 && image.height() > 0);
        // Twice the layout's pixels, for HiDPI screens and print.
        QVERIFY2(image.width() >= 2 * bounds.width(), qPrintable(QString::number(image.width())));
        // A document's palette, whatever the window's.
        QCOMPARE(image.pixelColor(1, 1).rgb(), DiagramPalette::light().background.rgb());
    }
}

void TestExports::diagramErrors()
{
    const QString folder = m_dir.filePath(u"diagram-errors"_s);
    QVERIFY(QDir().mkpath(folder));
    const auto error = writeDiagramFile(*m_painter, QDir(folder).filePath(u"diagram.jpg"_s));
    QVERIFY(error);
    QVERIFY2(error->contains(u".svg or .png"_s), qPrintable(*error));
    QVERIFY(entriesOf(folder).isEmpty());
}

void TestExports::suggestedName_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("slug");
    QTest::newRow("plain") << incidentTitle << u"canary-drift-on-resnet-edge-"_s;
    QTest::newRow("punctuation") << u"  P99 > 250 ms  on edge-eu-7!! "_s
                                 << u"p99-250-ms-on-edge-eu-7-"_s;
    QTest::newRow("accents") << u"Dérive du modèle à Zürich"_s << u"derive-du-modele-a-zurich-"_s;
    QTest::newRow("markup") << u"<script>alert(1)</script>"_s << u"script-alert-1-script-"_s;
    QTest::newRow("path") << u"../../etc/passwd"_s << u"etc-passwd-"_s;
    QTest::newRow("no letters") << u"日本 — ⚠"_s << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("long")
        << u"Inference errors on every edge node of the eu-west region after the 4.2 rollout"_s
        << u"inference-errors-on-every-edge-node-of-the-eu-"_s;
}

void TestExports::suggestedName()
{
    QFETCH(QString, title);
    QFETCH(QString, slug);
    IncidentRecord incident;
    incident.title = title;
    incident.startedAtMs = startedAtMs;
    const QString when = QDateTime::fromMSecsSinceEpoch(startedAtMs).toString(u"yyyyMMdd-HHmm"_s);
    QCOMPARE(suggestedIncidentFileName(incident), u"incident-%1%2.md"_s.arg(slug, when));
}

void TestExports::exportIncidentDialog()
{
    const QString folder = m_dir.filePath(u"last used"_s);
    QVERIFY(QDir().mkpath(folder));
    QSettings().setValue(u"export/folder"_s, folder);
    QString proposed;
    QString directory;
    whenModal([&](QWidget *modal) {
        auto *dialog = qobject_cast<QFileDialog *>(modal);
        if (!dialog) {
            qobject_cast<QDialog *>(modal)->reject();
            return;
        }
        directory = dialog->directory().absolutePath();
        proposed = QFileInfo(dialog->selectedFiles().value(0)).fileName();
        // Choosing PDF in the type list makes the name a .pdf.
        auto *types = dialog->findChild<QComboBox *>(u"fileTypeCombo"_s);
        if (types) {
            types->setFocus();
            QTest::keyClick(types, Qt::Key_End);
        }
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as Save does
    });
    const QString written = exportIncident(nullptr, m_db, incidentId);
    const QString when = QDateTime::fromMSecsSinceEpoch(startedAtMs).toString(u"yyyyMMdd-HHmm"_s);
    const QString name = u"incident-canary-drift-on-resnet-edge-%1"_s.arg(when);
    QCOMPARE(directory, folder);
    QCOMPARE(proposed, name + u".md"_s);
    QCOMPARE(written, QDir(folder).filePath(name + u".pdf"_s));
    QFile file(written);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(4) == "%PDF");
    QCOMPARE(QSettings().value(u"export/folder"_s).toString(), folder);
    QVERIFY(!QApplication::overrideCursor()); // the wait cursor is gone
}

void TestExports::exportIncidentOfUnknownId()
{
    QString shown;
    whenModal([&](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            shown = box->text();
        qobject_cast<QDialog *>(modal)->reject();
    });
    QVERIFY(exportIncident(nullptr, m_db, u"ffff"_s).isEmpty());
    QVERIFY2(shown.contains(u"no incident ffff"_s), qPrintable(shown));
    QVERIFY(!QApplication::overrideCursor());
}

void TestExports::exportDiagramDialog()
{
    const QString folder = m_dir.filePath(u"diagrams"_s);
    QVERIFY(QDir().mkpath(folder));
    QSettings().setValue(u"export/folder"_s, folder);
    QString proposed;
    whenModal([&](QWidget *modal) {
        auto *dialog = qobject_cast<QFileDialog *>(modal);
        if (!dialog) {
            qobject_cast<QDialog *>(modal)->reject();
            return;
        }
        proposed = QFileInfo(dialog->selectedFiles().value(0)).fileName();
        if (auto *types = dialog->findChild<QComboBox *>(u"fileTypeCombo"_s)) {
            types->setFocus();
            QTest::keyClick(types, Qt::Key_Down);
        }
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as Save does
    });
    const QString written = exportDiagram(nullptr, *m_painter, u"canary-drift-rollback"_s);
    QCOMPARE(proposed, u"canary-drift-rollback.svg"_s);
    QCOMPARE(written, QDir(folder).filePath(u"canary-drift-rollback.png"_s));
    QVERIFY(!QImage(written).isNull());
}

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
