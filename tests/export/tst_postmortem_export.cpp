#include "sample_incident.h"

#include "engine/export/postmortem_diagram.h"
#include "engine/export/postmortem_export.h"
#include "engine/export/timeline_chart.h"
#include "engine/journal/journal_database.h"
#include "engine/journal/journal_reader.h"
#include "engine/journal/journal_writer.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace runlane;

namespace {

// Every export of one incident, made once per test.
struct Exports
{
    Postmortem pm;
    QString markdown;
    QString html;
    QByteArray json;
    QByteArray pdf;
};

std::optional<IncidentJournal> readBack(const QString &db, const QString &id)
{
    auto opened = JournalDatabase::open(db);
    if (const auto *error = std::get_if<QString>(&opened)) {
        qWarning("%s", qPrintable(*error));
        return std::nullopt;
    }
    auto read = readIncident(*std::get<0>(opened), id);
    if (const auto *error = std::get_if<QString>(&read)) {
        qWarning("%s", qPrintable(*error));
        return std::nullopt;
    }
    return std::get<IncidentJournal>(read);
}

Exports exportAll(const IncidentJournal &journal, qint64 nowMs)
{
    Exports e;
    e.pm = buildPostmortem(journal, nowMs);
    auto svg = postmortemDiagramSvg(e.pm);
    const QByteArray diagram =
        std::holds_alternative<QByteArray>(svg) ? std::get<0>(svg) : QByteArray();
    e.markdown = postmortemMarkdown(e.pm);
    e.html = postmortemHtml(e.pm, diagram);
    e.json = postmortemJson(e.pm);
    QBuffer buffer(&e.pdf);
    buffer.open(QIODevice::WriteOnly);
    writePostmortemPdf(e.pm, diagram, QString(), buffer);
    return e;
}

// The PDF's text, page by page (pdftotext separates pages with a form feed).
QStringList pdfPages(const QByteArray &pdf, QString *error)
{
    const QString tool = QStandardPaths::findExecutable(u"pdftotext"_s);
    if (tool.isEmpty()) {
        *error = u"pdftotext is missing: install poppler-utils (./dev installs it)"_s;
        return {};
    }
    QProcess p;
    p.start(tool, {u"-layout"_s, u"-"_s, u"-"_s});
    p.write(pdf);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *error = u"pdftotext failed: "_s + QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    QStringList pages = QString::fromUtf8(p.readAllStandardOutput()).split(u'\f');
    while (!pages.isEmpty() && pages.last().trimmed().isEmpty())
        pages.removeLast();
    return pages;
}

QJsonValue at(const QJsonValue &root, const QString &path)
{
    QJsonValue v = root;
    for (const QString &part : path.split(u'.')) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        v = isIndex ? v.toArray().at(index) : v.toObject().value(part);
    }
    return v;
}

} // namespace

class TestPostmortemExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SampleIncident m_sample;
    Exports m_ended;
    Exports m_active;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString db = m_dir.filePath(u"journal.sqlite"_s);
        auto error = writeSampleIncident(db, m_sample);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        SampleIncident active = m_sample;
        active.id = u"0a9b8c7d-active-incident"_s;
        active.end = false;
        error = writeSampleIncident(db, active);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        const auto ended = readBack(db, m_sample.id);
        QVERIFY(ended);
        m_ended = exportAll(*ended, m_sample.startedAtMs + 3'600'000);
        const auto open = readBack(db, active.id);
        QVERIFY(open);
        m_active = exportAll(*open, active.startedAtMs + 3'600'000);
    }

    void timelineIsSortedByTime()
    {
        // A note written late about something earlier lands where it happened.
        const QString db = m_dir.filePath(u"late-note.sqlite"_s);
        SampleIncident sample = m_sample;
        sample.id = u"late-note"_s;
        QVERIFY(!writeSampleIncident(db, sample));
        {
            auto opened = JournalDatabase::open(db);
            QVERIFY(std::holds_alternative<std::unique_ptr<JournalDatabase>>(opened));
            JournalWriter writer(*std::get<0>(opened), sample.id);
            QVERIFY(!writer.reopen());
            Event note;
            note.utcMs = sample.startedAtMs + 10'000;
            note.kind = EventKind::NoteAdded;
            note.actor = u"bob"_s;
            note.text = u"Backdated: the alert fired at the start"_s;
            QVERIFY(!writer.append(note));
        }
        const auto journal = readBack(db, sample.id);
        QVERIFY(journal);
        QCOMPARE(journal->events.last().text, u"Backdated: the alert fired at the start"_s);
        const Postmortem pm = buildPostmortem(*journal, 0);
        for (qsizetype i = 1; i < pm.timeline.size(); ++i)
            QVERIFY2(pm.timeline.at(i - 1).utcMs <= pm.timeline.at(i).utcMs,
                     qPrintable(pm.timeline.at(i).text));
        QCOMPARE(pm.timeline.at(2).text, u"Backdated: the alert fired at the start"_s);

        // The Markdown table's rows are in the same order: their times never go back.
        const QString md = postmortemMarkdown(pm);
        static const QRegularExpression row(
            u"^\\| (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\|"_s,
            QRegularExpression::MultilineOption);
        const qsizetype timelineAt = md.indexOf(u"## Timeline"_s);
        const qsizetype decisionsAt = md.indexOf(u"## Decisions"_s);
        QString previous;
        int rows = 0;
        for (auto it = row.globalMatch(md.mid(timelineAt, decisionsAt - timelineAt));
             it.hasNext();) {
            const QString time = it.next().captured(1);
            QVERIFY2(previous <= time, qPrintable(previous + u" > "_s + time));
            previous = time;
            ++rows;
        }
        QCOMPARE(rows, pm.timeline.size());
        QVERIFY(md.contains(u"All times are UTC"_s));
    }

    void secretNeverWritten_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("markdown") << u"md"_s;
        QTest::newRow("html") << u"html"_s;
        QTest::newRow("json") << u"json"_s;
        QTest::newRow("pdf text") << u"pdf"_s;
        QTest::newRow("journal file") << u"db"_s;
        QTest::newRow("journal wal") << u"wal"_s;
    }

    void secretNeverWritten()
    {
        QFETCH(QString, what);
        QByteArray bytes;
        if (what == u"md")
            bytes = m_ended.markdown.toUtf8();
        else if (what == u"html")
            bytes = m_ended.html.toUtf8();
        else if (what == u"json")
            bytes = m_ended.json;
        else if (what == u"pdf") {
            QString error;
            bytes = pdfPages(m_ended.pdf, &error).join(u'\f').toUtf8();
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(bytes.contains("Restart the serving pods"));
        } else {
            // Written while the database is open, so the WAL still holds the transactions.
            const QString db = m_dir.filePath(u"secret-%1.sqlite"_s.arg(what));
            auto opened = JournalDatabase::open(db);
            QVERIFY(std::holds_alternative<std::unique_ptr<JournalDatabase>>(opened));
            SampleIncident sample = m_sample;
            QVERIFY(!writeSampleIncident(db, sample));
            QFile file(what == u"db" ? db : db + u"-wal"_s);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
            bytes = file.readAll();
            QVERIFY(bytes.size() > 0);
        }
        QVERIFY2(!bytes.contains(m_sample.secret.toUtf8()), qPrintable(what));
    }

    void userTextIsEscaped()
    {
        QVERIFY(m_ended.html.contains(u"&lt;script&gt;alert(1)&lt;/script&gt;"_s));
        QVERIFY(!m_ended.html.contains(u"<script"_s, Qt::CaseInsensitive));
        QVERIFY(m_ended.markdown.contains(u"&lt;script&gt;"_s));
        QVERIFY(!m_ended.markdown.contains(u"<script"_s, Qt::CaseInsensitive));
        // Nor a Markdown image or link that a renderer would load or follow.
        QVERIFY(!m_ended.markdown.contains(u"![graph](https"_s));
        QVERIFY(!m_ended.markdown.contains(u"](javascript"_s));
        QVERIFY(m_ended.markdown.contains(u"\\!\\[graph\\]\\(https://tracker.example/p.png\\)"_s));
        // JSON holds the text as it was: escaping is its reader's job, and the syntax is intact.
        const QJsonObject json = QJsonDocument::fromJson(m_ended.json).object();
        QVERIFY(at(json, u"incident.title"_s).toString().endsWith(m_sample.scriptText));
        // The title of the step and the note, drawn in the two SVG figures, are escaped too.
        QVERIFY(timelineChartSvg(m_ended.pm).contains(u"&lt;script&gt;"_s));
    }

    void htmlHasNoExternalResource()
    {
        const QString &html = m_ended.html;
        static const QRegularExpression external(
            u"(?:\\b(?:src|href|xlink:href|action|poster|srcset)\\s*=\\s*[\"']?\\s*[a-z][a-z0-9+.-]"
            u"*:)|"
            "(?:url\\(\\s*[\"']?\\s*[a-z][a-z0-9+.-]*:)|(?:@import)|(?:<link\\b)|(?:<iframe\\b)"_s,
            QRegularExpression::CaseInsensitiveOption);
        const auto match = external.match(html);
        QVERIFY2(!match.hasMatch(), qPrintable(match.captured(0)));
        // The diagram and the timeline chart are inline.
        QCOMPARE(html.count(u"<svg"_s), 2);
        QVERIFY(html.contains(u"<style>"_s));
    }

    void jsonFollowsTheDocumentedSchema_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("type"); // string, number, bool, object, array, null, string|null
        const QList<std::pair<QString, QString>> fields{
            {u"schema_version"_s, u"number"_s},
            {u"incident.id"_s, u"string"_s},
            {u"incident.title"_s, u"string"_s},
            {u"incident.playbook"_s, u"string"_s},
            {u"incident.playbook_title"_s, u"string"_s},
            {u"incident.playbook_sha256"_s, u"string"_s},
            {u"incident.severity"_s, u"string|null"_s},
            {u"incident.status"_s, u"string"_s},
            {u"incident.outcome"_s, u"string|null"_s},
            {u"incident.drill"_s, u"bool"_s},
            {u"incident.dry_run"_s, u"bool"_s},
            {u"incident.started_by"_s, u"string|null"_s},
            {u"incident.started_at"_s, u"string"_s},
            {u"incident.started_at_ms"_s, u"number"_s},
            {u"incident.ended_at"_s, u"string|null"_s},
            {u"incident.ended_at_ms"_s, u"number|null"_s},
            {u"incident.duration_ms"_s, u"number"_s},
            {u"incident.inputs"_s, u"object"_s},
            {u"incident.responders"_s, u"array"_s},
            {u"response_times.0.milestone"_s, u"string"_s},
            {u"response_times.0.at"_s, u"string|null"_s},
            {u"response_times.0.at_ms"_s, u"number|null"_s},
            {u"response_times.0.elapsed_ms"_s, u"number|null"_s},
            {u"response_times.0.budget_ms"_s, u"number|null"_s},
            {u"response_times.0.status"_s, u"string"_s},
            {u"response_times.0.overrun"_s, u"bool"_s},
            {u"lanes.0.id"_s, u"string"_s},
            {u"lanes.0.title"_s, u"string"_s},
            {u"path.0"_s, u"string"_s},
            {u"steps.0.step"_s, u"string"_s},
            {u"steps.0.title"_s, u"string"_s},
            {u"steps.0.lane"_s, u"string|null"_s},
            {u"steps.0.type"_s, u"string"_s},
            {u"steps.0.visit"_s, u"number"_s},
            {u"steps.0.entered_at_ms"_s, u"number"_s},
            {u"steps.0.left_at_ms"_s, u"number"_s},
            {u"steps.0.failed"_s, u"bool"_s},
            {u"steps.0.skipped"_s, u"bool"_s},
            {u"timeline.0.at"_s, u"string"_s},
            {u"timeline.0.at_ms"_s, u"number"_s},
            {u"timeline.0.offset_ms"_s, u"number"_s},
            {u"timeline.0.lane"_s, u"string|null"_s},
            {u"timeline.0.step"_s, u"string|null"_s},
            {u"timeline.0.kind"_s, u"string"_s},
            {u"timeline.0.actor"_s, u"string"_s},
            {u"timeline.0.text"_s, u"string"_s},
            {u"timeline.0.details"_s, u"object"_s},
            {u"decisions.0.at"_s, u"string"_s},
            {u"decisions.0.at_ms"_s, u"number"_s},
            {u"decisions.0.step"_s, u"string"_s},
            {u"decisions.0.kind"_s, u"string"_s},
            {u"decisions.0.actor"_s, u"string"_s},
            {u"decisions.0.choice"_s, u"string"_s},
            {u"decisions.0.next"_s, u"string|null"_s},
            {u"actions.0.step"_s, u"string"_s},
            {u"actions.0.visit"_s, u"number"_s},
            {u"actions.0.endpoints"_s, u"number"_s},
            {u"actions.0.succeeded"_s, u"number"_s},
            {u"actions.0.failed"_s, u"number"_s},
            {u"actions.0.unknown"_s, u"number"_s},
            {u"actions.0.started_at_ms"_s, u"number"_s},
            {u"actions.0.ended_at_ms"_s, u"number|null"_s},
            {u"actions.0.duration_ms"_s, u"number|null"_s},
            {u"actions.0.requests.0.endpoint"_s, u"number"_s},
            {u"actions.0.requests.0.idempotency_key"_s, u"string"_s},
            {u"actions.0.requests.0.request"_s, u"string"_s},
            {u"actions.0.requests.0.outcome"_s, u"string"_s},
            {u"actions.0.requests.0.intent_at_ms"_s, u"number"_s},
            {u"actions.0.requests.0.result_at_ms"_s, u"number|null"_s},
            {u"actions.0.requests.0.duration_ms"_s, u"number|null"_s},
            {u"actions.0.requests.0.status"_s, u"number|null"_s},
            {u"actions.0.requests.0.attempts"_s, u"number"_s},
            {u"actions.0.requests.0.error"_s, u"string|null"_s},
            {u"notes.0.at"_s, u"string"_s},
            {u"notes.0.at_ms"_s, u"number"_s},
            {u"notes.0.step"_s, u"string|null"_s},
            {u"notes.0.actor"_s, u"string"_s},
            {u"notes.0.text"_s, u"string"_s},
        };
        for (const auto &[path, type] : fields)
            QTest::newRow(qPrintable(path)) << path << type;
    }

    void jsonFollowsTheDocumentedSchema()
    {
        QFETCH(QString, path);
        QFETCH(QString, type);
        QJsonParseError error;
        for (const QByteArray &bytes : {m_ended.json, m_active.json}) {
            const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            const QJsonValue v = at(doc.object(), path);
            QStringList kinds;
            kinds << (v.isString()   ? u"string"_s
                      : v.isDouble() ? u"number"_s
                      : v.isBool()   ? u"bool"_s
                      : v.isObject() ? u"object"_s
                      : v.isArray()  ? u"array"_s
                      : v.isNull()   ? u"null"_s
                                     : u"missing"_s);
            QVERIFY2(type.split(u'|').contains(kinds.first()),
                     qPrintable(path + u" is "_s + kinds.first() + u", documented "_s + type));
        }
        // Every field the documentation names, and no other, at the top level.
        QFile doc(QStringLiteral(RUNLANE_SOURCE_DIR "/docs/export-json.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const QString leaf = path.split(u'.').last();
        if (!leaf.front().isDigit())
            QVERIFY2(text.contains(u'`' + leaf + u'`'), qPrintable(leaf + u" is not documented"_s));
    }

    void jsonValues()
    {
        const QJsonObject json = QJsonDocument::fromJson(m_ended.json).object();
        QCOMPARE(at(json, u"schema_version"_s).toInt(), 1);
        QCOMPARE(at(json, u"incident.status"_s).toString(), u"ended"_s);
        QCOMPARE(at(json, u"incident.outcome"_s).toString(), u"resolved"_s);
        QCOMPARE(at(json, u"incident.started_at"_s).toString(), u"2023-11-14T22:13:20.000Z"_s);
        QCOMPARE(at(json, u"actions.0.endpoints"_s).toInt(), m_sample.devices);
        QCOMPARE(at(json, u"actions.0.requests"_s).toArray().size(), m_sample.devices);
        QCOMPARE(at(json, u"actions.0.requests.4.outcome"_s).toString(), u"unknown"_s);
        QVERIFY(at(json, u"actions.0.requests.4.result_at_ms"_s).isNull());
        QCOMPARE(at(json, u"path"_s).toArray().size(), m_ended.pm.path.size());
    }

    void milestonesAgainstBudget_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("status");
        QTest::addColumn<qint64>("elapsedMs");
        QTest::addColumn<qint64>("budgetMs");
        // The first note acknowledges at 45 s; the second fan-out mitigates after 5 min (over
        // the budget); the end resolves.
        QTest::newRow("acknowledge") << 0 << u"met"_s << qint64(45'000) << qint64(120'000);
        QTest::newRow("mitigate") << 1 << u"overrun"_s << qint64(344'800) << qint64(300'000);
        QTest::newRow("resolve") << 2 << u"met"_s << qint64(464'800) << qint64(1'800'000);
    }

    void milestonesAgainstBudget()
    {
        QFETCH(int, index);
        QFETCH(QString, status);
        QFETCH(qint64, elapsedMs);
        QFETCH(qint64, budgetMs);
        const MilestoneRow &m = m_ended.pm.milestones.at(index);
        QCOMPARE(m.status, status);
        QCOMPARE(m.elapsedMs.value_or(-1), elapsedMs);
        QCOMPARE(m.budgetMs.value_or(-1), budgetMs);
        const QJsonObject json = QJsonDocument::fromJson(m_ended.json).object();
        QCOMPARE(at(json, u"response_times.%1.overrun"_s.arg(index)).toBool(), m.overrun());
        QCOMPARE(m_ended.markdown.count(u"**OVERRUN**"_s), 1);
        QCOMPARE(m_ended.html.count(u"OVERRUN"_s), 1);
    }

    void activeIncidentExports()
    {
        const Postmortem &pm = m_active.pm;
        QCOMPARE(pm.statusText(), u"active, not ended"_s);
        QVERIFY(m_active.markdown.contains(u"| Status | active, not ended |"_s));
        QVERIFY(m_active.html.contains(u"active, not ended"_s));
        const QJsonObject json = QJsonDocument::fromJson(m_active.json).object();
        QCOMPARE(at(json, u"incident.status"_s).toString(), u"active"_s);
        QVERIFY(at(json, u"incident.outcome"_s).isNull());
        QVERIFY(at(json, u"incident.ended_at"_s).isNull());
        // An hour in with no mitigation: the open budgets have run out.
        QCOMPARE(pm.milestones.at(1).status, u"overrun"_s);
        QVERIFY(!pm.milestones.at(1).atMs);
        QVERIFY(m_active.pdf.startsWith("%PDF"));
    }

    void fanOutIsSummarised()
    {
        QCOMPARE(m_ended.pm.actions.size(), 2);
        const ActionRow &first = m_ended.pm.actions.at(0);
        QCOMPARE(first.endpoints(), m_sample.devices);
        QCOMPARE(first.succeeded, m_sample.devices - 2);
        QCOMPARE(first.failed, 1);
        QCOMPARE(first.unknown, 1);
        // The first three, and past them every failure and unknown outcome.
        QList<qsizetype> shown;
        for (const AttemptRow &row : first.shown)
            shown.append(row.attempt.endpoint);
        QCOMPARE(shown, (QList<qsizetype>{0, 1, 2, 4}));
        QVERIFY(m_ended.markdown.contains(u"outcome unknown"_s));
        QVERIFY(m_ended.markdown.contains(u"2 more endpoints not listed"_s));
        QVERIFY(m_ended.html.contains(u"<span class=\"unknown\">outcome unknown</span>"_s));
        QVERIFY(m_ended.markdown.contains(
            u"POST http://127.0.0.1:8081/devices/dev-0/restart?token="_s));
    }

    void timelineChartHasABarPerVisitAndMarkers()
    {
        const QString svg = timelineChartSvg(m_ended.pm);
        QXmlStreamReader xml(svg);
        int bars = 0;
        int polygons = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (xml.name() == u"rect" && xml.attributes().value(u"rx"_s) == u"3")
                    ++bars;
                if (xml.name() == u"polygon")
                    ++polygons;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(bars, m_ended.pm.bars.size());
        QCOMPARE(bars, m_ended.pm.path.size());
        // Two action requests and the decisions and the step back, plus the legend's three.
        QCOMPARE(polygons, m_ended.pm.markers.size() + 3);
        QVERIFY(m_ended.pm.markers.size() >= 4);
    }

    void pdfHasSeveralPagesOfText()
    {
        QVERIFY(m_ended.pdf.startsWith("%PDF"));
        QString error;
        const QStringList pages = pdfPages(m_ended.pdf, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(pages.size() > 1, qPrintable(QString::number(pages.size())));
        const QString text = pages.join(u'\n');
        for (const QString &expected : {u"Response times"_s, u"OVERRUN"_s, u"Timeline"_s,
                                        u"Decisions"_s, u"outcome unknown"_s, u"Notes"_s})
            QVERIFY2(text.contains(expected), qPrintable(expected));
    }
};

QTEST_MAIN(TestPostmortemExport)
#include "tst_postmortem_export.moc"
