#include "../export/sample_incident.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the built runlane-cli with stdin closed and a time limit.
CliRun runCli(const QStringList &arguments)
{
    QProcess process;
    process.setProgram(QStringLiteral(RUNLANE_CLI));
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start();
    CliRun run;
    if (!process.waitForStarted(10000))
        return run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished(5000);
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

const QString endedId = u"7c1e2f4a-0b9d-4c3e-8f21-5a6b7c8d9e01"_s;
const QString activeId = u"7c1e9b00-5d4c-4b3a-9e8f-000000000002"_s;

} // namespace

// The commands that read the journal: incidents, export, render --incident.
class TestCliJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"journal.sqlite"_s);
        SampleIncident ended;
        ended.id = endedId;
        auto error = writeSampleIncident(m_db, ended);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        SampleIncident active;
        active.id = activeId;
        active.startedAtMs += 3'600'000;
        active.end = false;
        error = writeSampleIncident(m_db, active);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }

    void incidentsText()
    {
        CliRun run = runCli({u"incidents"_s, u"--db"_s, m_db});
        QCOMPARE(run.exitCode, 0);
        QStringList lines = run.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 2); // the header and the active one
        QVERIFY(lines.at(0).startsWith(u"ID"_s));
        QVERIFY(lines.at(1).startsWith(activeId));
        QVERIFY(lines.at(1).contains(u"active"_s));

        run = runCli({u"incidents"_s, u"--db"_s, m_db, u"--all"_s});
        QCOMPARE(run.exitCode, 0);
        lines = run.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(1).startsWith(activeId)); // newest first
        QVERIFY(lines.at(2).startsWith(endedId));
        QVERIFY(lines.at(2).contains(u"2023-11-14 22:13:20"_s));
        QVERIFY(lines.at(2).contains(u"resolved"_s));
        QVERIFY(lines.at(2).contains(u"postmortem-sample"_s));
    }

    void incidentsJson()
    {
        const CliRun run =
            runCli({u"incidents"_s, u"--db"_s, m_db, u"--all"_s, u"--format"_s, u"json"_s});
        QCOMPARE(run.exitCode, 0);
        QJsonParseError error;
        const QJsonArray array = QJsonDocument::fromJson(run.out.toUtf8(), &error).array();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(array.size(), 2);
        const QJsonObject ended = array.at(1).toObject();
        QCOMPARE(ended.value(u"id"_s).toString(), endedId);
        QCOMPARE(ended.value(u"playbook"_s).toString(), u"postmortem-sample"_s);
        QVERIFY(ended.value(u"title"_s).toString().startsWith(u"Inference errors"_s));
        QCOMPARE(ended.value(u"status"_s).toString(), u"ended"_s);
        QCOMPARE(ended.value(u"outcome"_s).toString(), u"resolved"_s);
        QCOMPARE(ended.value(u"started_at"_s).toString(), u"2023-11-14T22:13:20.000Z"_s);
        QVERIFY(array.at(0).toObject().value(u"outcome"_s).isNull());
    }

    void incidentsOfAMissingJournal()
    {
        const CliRun run = runCli({u"incidents"_s, u"--db"_s, m_dir.filePath(u"none.sqlite"_s)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"no journal at"_s));
        QVERIFY(!QFile::exists(m_dir.filePath(u"none.sqlite"_s)));
    }

    void exportToFile_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QByteArray>("start");
        QTest::addColumn<QString>("contains");
        QTest::newRow("md") << u"md"_s << u"7c1e2"_s << QByteArray("# Postmortem: ")
                            << u"## Response times"_s;
        QTest::newRow("html") << u"html"_s << endedId << QByteArray("<!DOCTYPE html>")
                              << u"Timeline by lane"_s;
        QTest::newRow("json") << u"json"_s << endedId << QByteArray("{")
                              << u"\"schema_version\": 1"_s;
        QTest::newRow("pdf") << u"pdf"_s << endedId << QByteArray("%PDF") << QString();
        QTest::newRow("active md")
            << u"md"_s << u"7c1e9"_s << QByteArray("# Postmortem: ") << u"active, not ended"_s;
    }

    void exportToFile()
    {
        QFETCH(QString, format);
        QFETCH(QString, id);
        QFETCH(QByteArray, start);
        QFETCH(QString, contains);
        const QString out =
            m_dir.filePath(u"postmortem-%1.%2"_s.arg(QString::fromLatin1(QTest::currentDataTag()))
                               .arg(format)
                               .replace(u' ', u'-'));
        const CliRun run =
            runCli({u"export"_s, id, u"--db"_s, m_db, u"--format"_s, format, u"-o"_s, out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith(start));
        QVERIFY(bytes.contains(contains.toUtf8()));
    }

    void exportFormatFromTheFileName()
    {
        const QString out = m_dir.filePath(u"by-name.json"_s);
        const CliRun run = runCli({u"export"_s, endedId, u"--db"_s, m_db, u"-o"_s, out});
        QCOMPARE(run.exitCode, 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(
            QJsonDocument::fromJson(file.readAll()).object().value(u"schema_version"_s).toInt(), 1);
    }

    void exportErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown id")
            << QStringList{u"export"_s, u"ffff"_s, u"--db"_s} << 1 << u"no incident ffff"_s;
        QTest::newRow("ambiguous prefix") << QStringList{u"export"_s, u"7c1e"_s, u"--db"_s} << 1
                                          << u"names more than one incident"_s;
        QTest::newRow("unknown format")
            << QStringList{u"export"_s, endedId, u"--format"_s, u"doc"_s, u"--db"_s} << 2
            << u"unknown format 'doc'"_s;
        QTest::newRow("no id") << QStringList{u"export"_s, u"--db"_s} << 2
                               << u"name exactly one incident id"_s;
    }

    void exportErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun run = runCli(arguments << m_db);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

    void renderIncident()
    {
        const QString out = m_dir.filePath(u"walked.svg"_s);
        CliRun run = runCli({u"render"_s, samplePlaybookPath(), u"--incident"_s, u"7c1e2"_s,
                             u"--db"_s, m_db, u"-o"_s, out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString svg = QString::fromUtf8(file.readAll());
        // The visit numbers of the walk: the fan-out step was entered 4th and 6th.
        QVERIFY(svg.contains(u">4,6<"_s));
        QVERIFY(svg.contains(u">8<"_s));

        // Unwalked, the same diagram has no visit numbers.
        const QString plain = m_dir.filePath(u"plain.svg"_s);
        run = runCli({u"render"_s, samplePlaybookPath(), u"-o"_s, plain});
        QCOMPARE(run.exitCode, 0);
        QFile plainFile(plain);
        QVERIFY(plainFile.open(QIODevice::ReadOnly));
        QVERIFY(!QString::fromUtf8(plainFile.readAll()).contains(u">4,6<"_s));
    }

    void renderIncidentOfAnotherPlaybook()
    {
        const CliRun run = runCli(
            {u"render"_s,
             QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/canary-drift-rollback.yaml"),
             u"--incident"_s, endedId, u"--db"_s, m_db, u"-o"_s, m_dir.filePath(u"other.svg"_s)});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"walked playbook 'postmortem-sample'"_s), qPrintable(run.err));
    }

    void renderIncidentWithPath()
    {
        const CliRun run = runCli({u"render"_s, samplePlaybookPath(), u"--incident"_s, endedId,
                                   u"--path"_s, u"triage"_s, u"--db"_s, m_db});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(u"not both"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliJournal)
#include "tst_cli_journal.moc"
