// The journal bench's program (tests/bench/journal/run drives it):
//
//   runlane-journal-bench template FILE          a journal with its schema and one incident
//   runlane-journal-bench sql SCRIPT ROWS        the sqlite3 shell's script: the same ROWS events,
//                                                each in its own transaction
//   runlane-journal-bench append FILE ROWS [HOW] appends ROWS events to FILE's incident, each
//                                                durable when it returns; prints the time taken
//
// HOW is `writer` (JournalWriter::append, the default: what a run does), or a prototype to
// compare, in the same transactions: `prepared-walk` (the INSERT prepared once and reused, the
// details redacted string by string as the writer does) or `prepared` (the same, the details
// serialised once and redacted only when a secret shows in them).
// Both sides write byte-identical rows; the script compares them after each run.

#include "engine/journal/journal_database.h"
#include "engine/journal/journal_writer.h"
#include "engine/session/resolved_targets.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <cstdio>

using namespace runlane;
using namespace Qt::StringLiterals;

namespace {

const QString incidentId = u"7c9e6679-7425-40de-944b-e07fc1f90ae7"_s;
constexpr qint64 startMs = 1'764'000'000'000;

// The secrets of a realistic run (an API token, a webhook URL): in none of the texts, but every
// text and JSON string is searched for them.
const QStringList secrets{u"pd-routing-key-3b1f0c9e2d7a4c58"_s,
                          u"https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX"_s};

// Event i: what a walk writes most (steps entered, work requested and its result), by runlane, so
// that no event changes the incident row: text of 61 characters, details of 195 bytes of JSON.
Event eventAt(int i)
{
    static const EventKind kinds[] = {EventKind::StepEntered, EventKind::WorkRequested,
                                      EventKind::WorkResult, EventKind::VarSaved};
    static const char16_t *lanes[] = {u"device", u"node", u"control-plane"};
    Event e;
    e.utcMs = startMs + i * 250;
    e.stepId = u"check-replica-%1"_s.arg(i % 1000, 3, 10, QChar(u'0'));
    e.lane = QString::fromUtf16(lanes[i % 3]);
    e.kind = kinds[i % 4];
    e.actor = u"runlane"_s;
    e.text = u"Checked replica %1 of ranker: 3 of 4 ready after 12.5 s wait"_s.arg(i % 1000, 3, 10,
                                                                                   QChar(u'0'));
    e.details = QJsonObject{
        {u"type"_s, u"check"_s},
        {u"visit"_s, 1 + i / 1000},
        {u"outcome"_s, u"pass"_s},
        {u"value"_s, 0.75},
        {u"query"_s, u"sum(kube_deployment_status_replicas_ready{deployment=\"ranker\"})"_s},
        {u"message"_s, u"3 of 4 replicas ready"_s},
        {u"labels"_s, QJsonArray{u"edge-eu-1"_s, u"gpu"_s}},
    };
    return e;
}

QString details(const Event &e)
{
    return QString::fromUtf8(QJsonDocument(e.details).toJson(QJsonDocument::Compact));
}

QString sqlText(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', u"''"_s);
    return u"'"_s + quoted + u"'"_s;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "runlane-journal-bench: %s\n", qPrintable(message));
    return 1;
}

std::unique_ptr<JournalDatabase> openJournal(const QString &path, QString *error)
{
    auto opened = JournalDatabase::open(path);
    if (auto *e = std::get_if<QString>(&opened)) {
        *error = *e;
        return nullptr;
    }
    return std::move(std::get<std::unique_ptr<JournalDatabase>>(opened));
}

int makeTemplate(const QString &path)
{
    QString error;
    auto journal = openJournal(path, &error);
    if (!journal)
        return fail(error);
    IncidentRecord incident;
    incident.playbookId = u"triton-model-not-ready"_s;
    incident.title = u"Triton model not ready on edge-eu-1"_s;
    incident.severity = u"sev2"_s;
    incident.playbookText = u"runlane: 1\nid: triton-model-not-ready\n"_s;
    incident.playbookSha256 = QString(64, u'0');
    incident.inputs = QJsonObject{{u"model"_s, u"ranker"_s}};
    incident.startedAtMs = startMs;
    JournalWriter writer(*journal, incidentId, secrets);
    if (const auto e = writer.createIncident(incident))
        return fail(*e);
    return 0;
}

// The sqlite3 shell's script: the pragmas JournalDatabase::open sets, then per row BEGIN; INSERT;
// COMMIT. The clock is read (milliseconds) just before the first row and after the last.
int makeScript(const QString &path, int rows)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(u"cannot write %1"_s.arg(path));
    QTextStream out(&file);
    out << "PRAGMA busy_timeout = 5000;\nPRAGMA foreign_keys = ON;\n"
           "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = FULL;\n"
           "SELECT 'start-ms', CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER);\n";
    for (int i = 0; i < rows; ++i) {
        const Event e = eventAt(i);
        out << "BEGIN;\nINSERT INTO events (incident_id, seq, at, step, lane, kind, actor, text, "
               "details) VALUES ("
            << sqlText(incidentId) << ", " << (i + 1) << ", " << e.utcMs << ", "
            << sqlText(e.stepId) << ", " << sqlText(e.lane) << ", " << sqlText(toString(e.kind))
            << ", " << sqlText(e.actor) << ", " << sqlText(e.text) << ", " << sqlText(details(e))
            << ");\nCOMMIT;\n";
    }
    out << "SELECT 'end-ms', CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER);\n"
           "SELECT 'rows', count(*) FROM events;\n";
    return out.status() == QTextStream::Ok && file.flush() ? 0 : fail(u"cannot write "_s + path);
}

// The prototypes' redaction of the details: every string (keys too), however deep.
QJsonValue redactedValue(const QJsonValue &value)
{
    if (value.isString())
        return redactSecrets(value.toString(), secrets);
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(redactedValue(v));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(redactSecrets(it.key(), secrets), redactedValue(it.value()));
        return out;
    }
    return value;
}

// The details as written: serialised once; walked and serialised again only when a secret shows
// in the text (a secret JSON writes as it is, without escapes: the bench's are).
QString detailsFast(const Event &e)
{
    const QString text = details(e);
    for (const QString &secret : secrets) {
        if (text.contains(secret))
            return QString::fromUtf8(
                QJsonDocument(redactedValue(e.details).toObject()).toJson(QJsonDocument::Compact));
    }
    return text;
}

// The prototypes: JournalWriter::append's transaction with its INSERT prepared once. `walk`: the
// details redacted by walking every string, as the writer does; otherwise detailsFast().
std::optional<QString> appendPrepared(JournalDatabase &journal, const QList<Event> &events,
                                      bool walk)
{
    QSqlDatabase &db = journal.db();
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO events (incident_id, seq, at, step, lane, kind, actor, text, "
                   "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s))
        return q.lastError().text();
    qint64 seq = 1;
    for (const Event &e : events) {
        if (!db.transaction())
            return db.lastError().text();
        q.bindValue(0, incidentId);
        q.bindValue(1, seq);
        q.bindValue(2, e.utcMs);
        q.bindValue(3, e.stepId);
        q.bindValue(4, e.lane);
        q.bindValue(5, toString(e.kind));
        q.bindValue(6, e.actor);
        q.bindValue(7, redactSecrets(e.text, secrets));
        q.bindValue(8, walk ? QString::fromUtf8(QJsonDocument(redactedValue(e.details).toObject())
                                                    .toJson(QJsonDocument::Compact))
                            : detailsFast(e));
        if (!q.exec())
            return q.lastError().text();
        if (!db.commit())
            return db.lastError().text();
        ++seq;
    }
    return std::nullopt;
}

int append(const QString &path, int rows, const QString &how)
{
    if (how != u"writer" && how != u"prepared" && how != u"prepared-walk")
        return fail(u"unknown way '%1' (writer, prepared, prepared-walk)"_s.arg(how));
    QList<Event> events;
    events.reserve(rows);
    for (int i = 0; i < rows; ++i)
        events.append(eventAt(i));

    QString error;
    auto journal = openJournal(path, &error);
    if (!journal)
        return fail(error);
    QElapsedTimer timer;
    if (how == u"writer") {
        JournalWriter writer(*journal, incidentId, secrets);
        if (const auto e = writer.reopen())
            return fail(*e);
        timer.start();
        for (const Event &e : events) {
            if (const auto failed = writer.append(e))
                return fail(*failed);
        }
    } else {
        timer.start();
        if (const auto e = appendPrepared(*journal, events, how == u"prepared-walk"))
            return fail(*e);
    }
    const qint64 ns = timer.nsecsElapsed();
    std::printf("rows %d seconds %.6f\n", rows, double(ns) / 1e9);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    bool ok = true;
    const int rows = args.size() >= 3 ? args.at(2).toInt(&ok) : 0;
    if (args.size() == 2 && args.at(0) == u"template")
        return makeTemplate(args.at(1));
    if (args.size() == 3 && args.at(0) == u"sql" && ok && rows > 0)
        return makeScript(args.at(1), rows);
    if ((args.size() == 3 || args.size() == 4) && args.at(0) == u"append" && ok && rows > 0)
        return append(args.at(1), rows, args.size() == 4 ? args.at(3) : u"writer"_s);
    std::fprintf(stderr, "usage: runlane-journal-bench template FILE | sql SCRIPT ROWS | "
                         "append FILE ROWS [writer|prepared|prepared-walk]\n");
    return 2;
}
