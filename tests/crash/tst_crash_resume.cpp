#include "tests/fleetsim/fleetsim_process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <optional>
#include <random>

using namespace Qt::StringLiterals;

// The crash-and-resume drill: runlane-cli walks tests/crash/data/rollback-drill.yaml (a probe, a
// task, one action, a fan-out in waves, a decision) against runlane-fleetsim and is killed with
// SIGKILL at a random moment, then resumed from its journal until the incident ends. After each
// trial the journal must be intact and complete, every change fleetsim saw must have had its
// intent journaled first under the one key of its (step, visit, endpoint), no key may have
// changed anything twice, and every node must serve the new version.
class TestCrashResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void referenceRun();
    void crashAndResume();
    void unknownOutcomeIsShownFirst();
    void cleanupTestCase();

private:
    std::unique_ptr<FleetSimProcess> m_sim;
    HttpClient m_http;
    QTemporaryDir m_dir;
    QString m_nodesFile;
    QProcessEnvironment m_env;
    qint64 m_referenceMs = 0;
    QElapsedTimer m_total;

    QJsonValue simJson(const QByteArray &method, const QString &path);
};

namespace {

constexpr int defaultTrials = 60;
constexpr int nodeCount = 20;
constexpr int latencyMs = 40;
constexpr int runTimeoutMs = 60000; // a run that takes longer hangs
constexpr int maxRunsPerTrial = 5;  // the killed run, then resumes (one of them killed too)
constexpr int killResumeEvery = 5;  // every 5th trial also kills its first resume
constexpr int maxFailedTrials = 10; // then the test stops: the problems are already shown
constexpr int maxTimeouts = 2;      // runs that hung; each costs runTimeoutMs
const QString token = u"crash-drill-token"_s;
// The steps of the drill in walk order: each is entered once, however often the run is killed.
const QStringList walkOrder{u"healthy"_s,    u"triage"_s,  u"canary"_s,
                            u"fleet-wide"_s, u"confirm"_s, u"done"_s};

QString dataPath(const QString &name)
{
    return QDir(QStringLiteral(RUNLANE_TEST_DATA)).filePath(name);
}

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariable(name).toInt(&ok);
    return ok ? value : fallback;
}

struct CliRun
{
    bool started = false;
    bool finished = false; // ended by itself (not killed, not timed out)
    bool killed = false;
    bool timedOut = false;
    int exitCode = -1;
    qint64 elapsedMs = 0;
    QString out;
    QString err;
};

// Runs runlane-cli with stdin closed; with `killAfterMs`, sends SIGKILL that long after the start
// unless it ended first.
CliRun runCli(const QStringList &arguments, const QProcessEnvironment &env,
              std::optional<qint64> killAfterMs)
{
    QProcess process;
    process.setProgram(QStringLiteral(RUNLANE_CLI));
    process.setArguments(arguments);
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    CliRun run;
    QElapsedTimer clock;
    clock.start();
    process.start();
    run.started = process.waitForStarted(10000);
    if (!run.started)
        return run;
    const qint64 limit = killAfterMs ? *killAfterMs : runTimeoutMs;
    const qint64 remaining = limit - clock.elapsed();
    if (remaining > 0)
        process.waitForFinished(int(remaining));
    if (process.state() != QProcess::NotRunning) {
        process.kill(); // SIGKILL: no handler, no clean-up
        process.waitForFinished(10000);
        run.killed = killAfterMs.has_value();
        run.timedOut = !killAfterMs.has_value();
    } else {
        run.finished = true;
    }
    run.elapsedMs = clock.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

struct EventRow
{
    qint64 seq = 0;
    QString kind;
    QString step;
    QString text;
};

struct AttemptRow
{
    QString step;
    int visit = 0;
    qint64 endpoint = 0;
    QString key;
    QString requestLine;
    bool hasResult = false;
    int status = 0;
    QString error;
};

// What the journal file holds, read with a connection of the test's own (the product's code
// would migrate a half-made file before the product itself sees it).
struct JournalView
{
    bool exists = false;
    QString problem; // the file could not be read
    QString integrity;
    QString incidentId; // empty: no incident row yet
    int incidents = 0;
    QString status;
    QString outcome;
    QList<EventRow> events; // by seq
    QList<AttemptRow> attempts;

    qsizetype unknownOutcomes() const
    {
        return std::count_if(attempts.cbegin(), attempts.cend(),
                             [](const AttemptRow &a) { return !a.hasResult; });
    }
    bool ended() const { return status == u"ended"; }

    // Where the run was when it died, from the journal's last event.
    QString phase() const
    {
        if (incidentId.isEmpty())
            return u"before the incident started"_s;
        if (events.isEmpty())
            return u"between the incident row and its first event"_s;
        const EventRow &last = events.constLast();
        if (last.kind == u"incident-ended")
            return u"after the end"_s;
        if (last.step.isEmpty() || last.step == u"healthy")
            return u"during the check"_s;
        if (last.step == u"triage")
            return u"during the task"_s;
        if (last.step == u"canary")
            return u"during the single action"_s;
        if (last.step == u"fleet-wide")
            return u"during the fan-out"_s;
        if (last.step == u"confirm")
            return u"during the decision"_s;
        if (last.step == u"done")
            return u"at the end step, before incident-ended"_s;
        return u"at step "_s + last.step;
    }

    QString lastEvents(int count) const
    {
        QStringList lines;
        for (qsizetype i = std::max<qsizetype>(0, events.size() - count); i < events.size(); ++i) {
            const EventRow &e = events.at(i);
            lines.append(u"    #%1 %2 %3: %4"_s.arg(e.seq).arg(e.kind, e.step, e.text));
        }
        return lines.join(u'\n');
    }
};

JournalView readJournal(const QString &path)
{
    JournalView view;
    view.exists = QFile::exists(path);
    if (!view.exists)
        return view;
    const QString connection = u"crash-check-"_s + QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            view.problem = db.lastError().text();
        } else {
            QSqlQuery q(db);
            QStringList integrity;
            if (q.exec(u"PRAGMA integrity_check"_s)) {
                while (q.next())
                    integrity.append(q.value(0).toString());
            } else {
                integrity.append(q.lastError().text());
            }
            view.integrity = integrity.join(u"; "_s);
            const bool hasSchema =
                q.exec(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                       "'incidents'"_s) &&
                q.next() && q.value(0).toInt() == 1;
            if (hasSchema &&
                q.exec(u"SELECT id, status, COALESCE(outcome, '') FROM incidents ORDER BY "
                       "started_at"_s)) {
                while (q.next()) {
                    ++view.incidents;
                    if (view.incidentId.isEmpty()) {
                        view.incidentId = q.value(0).toString();
                        view.status = q.value(1).toString();
                        view.outcome = q.value(2).toString();
                    }
                }
            } else if (hasSchema) {
                view.problem = q.lastError().text();
            }
            if (!view.incidentId.isEmpty()) {
                q.prepare(u"SELECT seq, kind, COALESCE(step, ''), text FROM events WHERE "
                          "incident_id = ? ORDER BY seq"_s);
                q.addBindValue(view.incidentId);
                if (!q.exec())
                    view.problem = q.lastError().text();
                while (q.next())
                    view.events.append({q.value(0).toLongLong(), q.value(1).toString(),
                                        q.value(2).toString(), q.value(3).toString()});
                q.prepare(u"SELECT step, visit, endpoint, idempotency_key, request_line, "
                          "result_at IS NOT NULL, COALESCE(status, 0), COALESCE(error, '') FROM "
                          "action_attempts WHERE incident_id = ? ORDER BY step, visit, "
                          "endpoint"_s);
                q.addBindValue(view.incidentId);
                if (!q.exec())
                    view.problem = q.lastError().text();
                while (q.next()) {
                    AttemptRow a;
                    a.step = q.value(0).toString();
                    a.visit = q.value(1).toInt();
                    a.endpoint = q.value(2).toLongLong();
                    a.key = q.value(3).toString();
                    a.requestLine = q.value(4).toString();
                    a.hasResult = q.value(5).toBool();
                    a.status = q.value(6).toInt();
                    a.error = q.value(7).toString();
                    view.attempts.append(a);
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return view;
}

QString headerOf(const QJsonObject &request, const QString &name)
{
    const QJsonObject headers = request.value(u"headers"_s).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return it.value().toString();
    }
    return {};
}

bool changes(const QJsonObject &request)
{
    static const QStringList methods{u"PUT"_s, u"POST"_s, u"PATCH"_s, u"DELETE"_s};
    return methods.contains(request.value(u"method"_s).toString());
}

QString describe(const QJsonObject &r)
{
    return u"    sim #%1 %2 %3 key=%4 status=%5 outcome=%6 effect=%7 replayed=%8"_s
        .arg(r.value(u"seq"_s).toInteger())
        .arg(r.value(u"method"_s).toString(), r.value(u"path"_s).toString(),
             headerOf(r, u"Idempotency-Key"_s),
             r.value(u"status"_s).isNull() ? u"none"_s
                                           : QString::number(r.value(u"status"_s).toInt()),
             r.value(u"outcome"_s).toString(),
             r.value(u"effect"_s).toBool() ? u"true"_s : u"false"_s,
             r.value(u"replayed"_s).toBool() ? u"true"_s : u"false"_s);
}

struct Tally
{
    int requests = 0; // requests that may change something
    int sameKey = 0;  // of those, sent again with a key seen before
    int replayed = 0; // answered from the first answer, without effect
};

// Everything a finished trial must show; each problem found is one line.
QStringList problemsOf(const JournalView &j, const QJsonArray &requests, const QJsonObject &state,
                       Tally *tally)
{
    QStringList problems;
    // (1) The file is intact.
    if (!j.problem.isEmpty())
        problems.append(u"the journal cannot be read: "_s + j.problem);
    if (j.integrity != u"ok")
        problems.append(u"PRAGMA integrity_check: "_s + j.integrity);
    // (2) One incident, ended as the drill ends.
    if (j.incidents != 1)
        problems.append(u"the journal holds %1 incidents, not 1"_s.arg(j.incidents));
    if (j.status != u"ended" || j.outcome != u"mitigated")
        problems.append(u"incident status '%1', outcome '%2'; expected ended, mitigated"_s.arg(
            j.status, j.outcome));

    // (5) One key per (step, visit, endpoint), and it is the documented one; each step visited
    // once, so the action has one attempt and the fan-out one per node. (6) Every attempt has
    // its result.
    QHash<QString, const AttemptRow *> byKey;
    QMap<QString, QStringList> keysOfEndpoint;
    for (const AttemptRow &a : j.attempts) {
        byKey.insert(a.key, &a);
        const QString where = u"%1/%2/%3"_s.arg(a.step).arg(a.visit).arg(a.endpoint);
        keysOfEndpoint[where].append(a.key);
        if (a.key != j.incidentId + u'/' + where)
            problems.append(u"attempt %1 has key %2"_s.arg(where, a.key));
        if (!a.hasResult)
            problems.append(
                u"attempt %1 (%2) has no result: outcome unknown at the end"_s.arg(where, a.key));
        else if (a.status != 200)
            problems.append(u"attempt %1 (%2) ended with status %3 %4"_s.arg(where, a.key)
                                .arg(a.status)
                                .arg(a.error));
    }
    for (auto it = keysOfEndpoint.cbegin(); it != keysOfEndpoint.cend(); ++it) {
        if (it.value().size() != 1)
            problems.append(u"%1 has %2 keys in the journal: %3"_s.arg(it.key())
                                .arg(it.value().size())
                                .arg(it.value().join(u", "_s)));
    }
    QStringList expected{u"canary/1/0"_s};
    for (int i = 0; i < nodeCount; ++i)
        expected.append(u"fleet-wide/1/%1"_s.arg(i));
    QStringList missing;
    for (const QString &where : std::as_const(expected)) {
        if (!keysOfEndpoint.contains(where))
            missing.append(where);
    }
    if (!missing.isEmpty())
        problems.append(
            u"%1 of the %2 requests have no attempt in the journal: %3"_s.arg(missing.size())
                .arg(expected.size())
                .arg(missing.size() > 3 ? missing.mid(0, 3).join(u", "_s) + u", ..."_s
                                        : missing.join(u", "_s)));
    if (keysOfEndpoint.size() != expected.size())
        problems.append(
            u"the journal holds attempts for %1 endpoints, not %2: %3"_s.arg(keysOfEndpoint.size())
                .arg(expected.size())
                .arg(keysOfEndpoint.keys().join(u", "_s)));

    // (3) Every request that may change something carries a key whose intent is in the journal,
    // for the same method and path. (4) No key changed anything twice. (5) One key per path.
    QHash<QString, int> effects, seen;
    QHash<QString, QSet<QString>> keysOfPath;
    for (const QJsonValue &v : requests) {
        const QJsonObject r = v.toObject();
        if (!changes(r))
            continue;
        ++tally->requests;
        const QString key = headerOf(r, u"Idempotency-Key"_s);
        const QString path = r.value(u"path"_s).toString();
        keysOfPath[path].insert(key);
        if (r.value(u"replayed"_s).toBool())
            ++tally->replayed;
        if (seen[key]++ > 0)
            ++tally->sameKey;
        if (r.value(u"effect"_s).toBool())
            ++effects[key];
        if (key.isEmpty()) {
            problems.append(u"a change without an Idempotency-Key:\n"_s + describe(r));
            continue;
        }
        const AttemptRow *a = byKey.value(key);
        if (!a) {
            problems.append(u"a change whose intent is not in the journal:\n"_s + describe(r));
            continue;
        }
        const QString method = a->requestLine.section(u' ', 0, 0);
        const QString journaledPath = QUrl(a->requestLine.section(u' ', 1)).path();
        if (method != r.value(u"method"_s).toString() || journaledPath != path)
            problems.append(u"key %1 is journaled for '%2' but was sent as:\n%3"_s.arg(
                key, a->requestLine, describe(r)));
    }
    for (auto it = effects.cbegin(); it != effects.cend(); ++it) {
        if (it.value() > 1)
            problems.append(u"key %1 changed the fleet %2 times"_s.arg(it.key()).arg(it.value()));
    }
    for (auto it = keysOfPath.cbegin(); it != keysOfPath.cend(); ++it) {
        if (it.value().size() > 1) {
            QStringList keys(it.value().cbegin(), it.value().cend());
            keys.sort();
            problems.append(u"%1 was changed under %2 keys: %3"_s.arg(it.key())
                                .arg(keys.size())
                                .arg(keys.join(u", "_s)));
        }
    }

    // (7) Every effect landed: each node serves ranker 3.1 by default.
    const QJsonArray nodes = state.value(u"nodes"_s).toArray();
    if (nodes.size() != nodeCount)
        problems.append(u"fleetsim shows %1 nodes, not %2"_s.arg(nodes.size()).arg(nodeCount));
    QStringList stale;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        QString version = u"none"_s;
        const QJsonObject ts = nodes.at(i).toObject().value(u"torchserve"_s).toObject();
        for (const QJsonValue &m : ts.value(u"models"_s).toArray()) {
            if (m.toObject().value(u"name"_s) == u"ranker"_s)
                version = m.toObject().value(u"default"_s).toString();
        }
        if (version != u"3.1")
            stale.append(u"%1: %2"_s.arg(i).arg(version));
    }
    if (!stale.isEmpty())
        problems.append(u"%1 of %2 nodes do not serve ranker 3.1 by default (node: version %3)"_s
                            .arg(stale.size())
                            .arg(nodes.size())
                            .arg(stale.join(u", "_s)));

    // (8) Events 1..n without a gap, from the start to the end, each step entered once.
    for (qsizetype i = 0; i < j.events.size(); ++i) {
        if (j.events.at(i).seq != i + 1) {
            problems.append(u"event #%1 follows #%2: a gap"_s.arg(j.events.at(i).seq)
                                .arg(i > 0 ? j.events.at(i - 1).seq : 0));
            break;
        }
    }
    if (j.events.isEmpty() || j.events.constFirst().kind != u"incident-started" ||
        j.events.constLast().kind != u"incident-ended")
        problems.append(u"the events do not run from incident-started to incident-ended"_s);
    QStringList entered;
    for (const EventRow &e : j.events) {
        if (e.kind == u"step-entered")
            entered.append(e.step);
    }
    if (entered != walkOrder)
        problems.append(u"steps entered: %1; expected %2"_s.arg(entered.join(u", "_s),
                                                                walkOrder.join(u", "_s)));
    return problems;
}

QString tail(const QString &text, int lines)
{
    const QStringList all = text.trimmed().split(u'\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join(u"\n      "_s);
}

} // namespace

QJsonValue TestCrashResume::simJson(const QByteArray &method, const QString &path)
{
    const HttpAnswer answer = m_http.send(method, m_sim->url(path));
    if (answer.status != 200)
        qWarning().noquote() << method << path << "answered" << answer.status;
    const QJsonDocument doc = answer.json();
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

void TestCrashResume::initTestCase()
{
    m_total.start();
    QVERIFY(m_dir.isValid());
    m_sim = std::make_unique<FleetSimProcess>(QStringList{
        u"--nodes"_s, QString::number(nodeCount), u"--latency"_s, QString::number(latencyMs)});
    QString error;
    QVERIFY2(m_sim->waitUntilListening(&error), qPrintable(error));
    const QString base = u"http://127.0.0.1:%1"_s.arg(m_sim->port());
    m_nodesFile = m_dir.filePath(u"nodes.txt"_s);
    QFile nodes(m_nodesFile);
    QVERIFY(nodes.open(QIODevice::WriteOnly | QIODevice::Text));
    for (int i = 0; i < nodeCount; ++i)
        nodes.write(u"%1/nodes/%2\n"_s.arg(base).arg(i).toUtf8());
    nodes.close();
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"FLEET_URL"_s, base);
    m_env.insert(u"FLEET_TOKEN"_s, token);
}

void TestCrashResume::cleanupTestCase()
{
    m_sim.reset();
    qInfo().noquote() << u"total time %1 s"_s.arg(double(m_total.elapsed()) / 1000.0, 0, 'f', 1);
}

namespace {

QStringList runArguments(const QString &db, const QString &nodesFile)
{
    return {u"run"_s,         dataPath(u"rollback-drill.yaml"_s),
            u"--db"_s,        db,
            u"--input"_s,     u"nodes=@"_s + nodesFile,
            u"--yes"_s,       u"--answer"_s,
            u"confirm=Yes"_s, u"--drill"_s};
}

QStringList resumeArguments(const QString &db, const QString &incident)
{
    return {u"run"_s, u"--resume"_s, incident,      u"--db"_s,
            db,       u"--yes"_s,    u"--answer"_s, u"confirm=Yes"_s};
}

} // namespace

// A run that is not killed: it must end mitigated, and it gives the time scale of the kills.
void TestCrashResume::referenceRun()
{
    simJson("POST", u"/_sim/reset"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(u"journal.sqlite"_s);
    const CliRun run = runCli(runArguments(db, m_nodesFile), m_env, std::nullopt);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(
        run.out.trimmed().endsWith(u"Outcome: mitigated: Reached 'The fleet serves 3.1 again'"_s),
        qPrintable(run.out));
    Tally tally;
    const QStringList problems =
        problemsOf(readJournal(db), simJson("GET", u"/_sim/requests"_s).toArray(),
                   simJson("GET", u"/_sim/state"_s).toObject(), &tally);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(tally.requests, 1 + nodeCount);
    m_referenceMs = run.elapsedMs;
    qInfo().noquote()
        << u"reference run: %1 ms, %2 changes sent"_s.arg(run.elapsedMs).arg(tally.requests);
}

void TestCrashResume::crashAndResume()
{
    if (m_referenceMs <= 0)
        QFAIL("the reference run failed: no time scale for the kills");
    const int trials = std::max(1, envInt("RUNLANE_CRASH_TRIALS", defaultTrials));
    const bool seedGiven = qEnvironmentVariableIsSet("RUNLANE_CRASH_SEED");
    const quint32 seed = seedGiven ? quint32(qEnvironmentVariable("RUNLANE_CRASH_SEED").toUInt())
                                   : QRandomGenerator::system()->generate();
    const qint64 maxDelay = m_referenceMs * 11 / 10;
    qInfo().noquote() << u"seed %1 (RUNLANE_CRASH_SEED=%1 repeats it), %2 trials, kills in "
                         "[0, %3] ms"_s.arg(seed)
                             .arg(trials)
                             .arg(maxDelay);
    std::mt19937 random(seed);
    std::uniform_int_distribution<qint64> delayOf(0, maxDelay);

    QMap<QString, int> phases;
    int resumes = 0, killedResumes = 0, unknownAtKill = 0, finishedFirst = 0;
    Tally tally;
    QStringList failures;
    int failedTrials = 0;
    QElapsedTimer clock;
    clock.start();
    int timeouts = 0, played = 0;
    for (int trial = 1; trial <= trials && failedTrials < maxFailedTrials && timeouts < maxTimeouts;
         ++trial) {
        // Both delays are drawn whatever happens: a trial's delays depend on the seed (and on the
        // reference run's time) only.
        const qint64 delay = delayOf(random);
        const qint64 resumeDelay = delayOf(random);
        const bool killResume = trial % killResumeEvery == 0;
        ++played;
        simJson("POST", u"/_sim/reset"_s);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"journal.sqlite"_s);
        QStringList log; // what happened in this trial, shown when it fails
        QStringList problems;

        const CliRun first = runCli(runArguments(db, m_nodesFile), m_env, delay);
        JournalView view = readJournal(db);
        const QString phase = first.finished ? u"after the end"_s : view.phase();
        ++phases[phase];
        finishedFirst += first.finished;
        unknownAtKill += view.unknownOutcomes() > 0;
        log.append(u"  run killed at %1 ms %2; %3 outcome(s) unknown"_s.arg(delay)
                       .arg(first.finished ? u"(it had ended, exit %1)"_s.arg(first.exitCode)
                                           : u"("_s + phase + u")"_s)
                       .arg(view.unknownOutcomes()));
        if (first.finished && first.exitCode != 0)
            problems.append(u"the run ended by itself with exit %1:\n      %2"_s.arg(first.exitCode)
                                .arg(tail(first.out + first.err, 8)));
        if (!view.problem.isEmpty())
            problems.append(u"after the kill the journal cannot be read: "_s + view.problem);
        if (view.exists && view.integrity != u"ok")
            problems.append(u"after the kill, PRAGMA integrity_check: "_s + view.integrity);

        bool resumeKilled = false;
        for (int runs = 1; problems.isEmpty() && !view.ended(); ++runs) {
            if (runs > maxRunsPerTrial) {
                problems.append(u"still not ended after %1 runs"_s.arg(maxRunsPerTrial));
                break;
            }
            const bool fresh = view.incidentId.isEmpty();
            const bool killThis = !fresh && killResume && !resumeKilled;
            const CliRun again =
                runCli(fresh ? runArguments(db, m_nodesFile) : resumeArguments(db, view.incidentId),
                       m_env, killThis ? std::optional<qint64>(resumeDelay) : std::nullopt);
            view = readJournal(db);
            if (!fresh)
                ++resumes;
            if (killThis && again.killed) {
                resumeKilled = true;
                ++killedResumes;
                log.append(
                    u"  resume killed at %1 ms (%2; %3 outcome(s) unknown)"_s.arg(resumeDelay)
                        .arg(view.phase())
                        .arg(view.unknownOutcomes()));
            } else {
                log.append(u"  %1: exit %2 after %3 ms%4\n      %5"_s
                               .arg(fresh ? u"fresh run"_s : u"resume"_s)
                               .arg(again.exitCode)
                               .arg(again.elapsedMs)
                               .arg(again.timedOut ? u" (timed out: killed)"_s : QString())
                               .arg(tail(again.out + again.err, 6)));
                timeouts += again.timedOut;
                if (again.timedOut)
                    problems.append(
                        u"a %1 did not end within %2 ms"_s.arg(fresh ? u"fresh run"_s : u"resume"_s)
                            .arg(runTimeoutMs));
                else if (again.exitCode != 0)
                    problems.append(
                        u"a %1 ended with exit %2"_s.arg(fresh ? u"fresh run"_s : u"resume"_s)
                            .arg(again.exitCode));
            }
            if (!view.problem.isEmpty())
                problems.append(u"the journal cannot be read: "_s + view.problem);
            if (view.integrity != u"ok")
                problems.append(u"PRAGMA integrity_check: "_s + view.integrity);
            if (!again.killed && !view.ended() && problems.isEmpty())
                problems.append(u"the incident did not end (last event #%1)"_s.arg(
                    view.events.isEmpty() ? 0 : view.events.constLast().seq));
        }

        const QJsonArray requests = simJson("GET", u"/_sim/requests"_s).toArray();
        Tally trialTally;
        problems +=
            problemsOf(view, requests, simJson("GET", u"/_sim/state"_s).toObject(), &trialTally);
        tally.requests += trialTally.requests;
        tally.sameKey += trialTally.sameKey;
        tally.replayed += trialTally.replayed;
        qInfo().noquote() << u"trial %1/%2: kill at %3 ms, %4%5; changes sent %6, again under "
                             "the same key %7 (%8 replayed)%9"_s.arg(trial)
                                 .arg(trials)
                                 .arg(delay)
                                 .arg(phase)
                                 .arg(resumeKilled ? u", resume killed at %1 ms"_s.arg(resumeDelay)
                                                   : QString())
                                 .arg(trialTally.requests)
                                 .arg(trialTally.sameKey)
                                 .arg(trialTally.replayed)
                                 .arg(problems.isEmpty() ? QString() : u": FAILED"_s);
        if (problems.isEmpty())
            continue;
        ++failedTrials;
        QStringList changesSeen;
        for (const QJsonValue &v : requests) {
            if (changes(v.toObject()))
                changesSeen.append(describe(v.toObject()));
        }
        qWarning().noquote() << u"trial %1 failed:\n  "_s.arg(trial) + problems.join(u"\n  "_s);
        failures.append(
            u"trial %1 (seed %2, kill at %3 ms%4):\n%5\n  problems:\n    %6\n  "
            "journal %7, last events:\n%8\n  changes fleetsim saw:\n%9"_s.arg(trial)
                .arg(seed)
                .arg(delay)
                .arg(killResume ? u", resume kill at %1 ms"_s.arg(resumeDelay) : QString())
                .arg(log.join(u'\n'), problems.join(u"\n    "_s), view.incidentId,
                     view.lastEvents(8), changesSeen.join(u'\n')));
        qWarning().noquote() << failures.constLast();
    }

    QStringList counts;
    for (const QString &phase :
         {u"before the incident started"_s, u"between the incident row and its first event"_s,
          u"during the check"_s, u"during the task"_s, u"during the single action"_s,
          u"during the fan-out"_s, u"during the decision"_s,
          u"at the end step, before incident-ended"_s, u"after the end"_s})
        counts.append(u"%1 %2"_s.arg(phases.take(phase)).arg(phase));
    for (auto it = phases.cbegin(); it != phases.cend(); ++it)
        counts.append(u"%1 %2"_s.arg(it.value()).arg(it.key()));
    qInfo().noquote() << u"summary: seed %1, %2 trials in %3 s; killed %4 (%5 had ended before "
                         "their kill); %6 kills left an outcome unknown; %7 resumes, %8 of them "
                         "killed; %9 changes sent, %10 again under the same key (%11 answered as "
                         "replays); %12 trial(s) failed"_s.arg(seed)
                             .arg(played)
                             .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1)
                             .arg(counts.join(u", "_s))
                             .arg(finishedFirst)
                             .arg(unknownAtKill)
                             .arg(resumes)
                             .arg(killedResumes)
                             .arg(tally.requests)
                             .arg(tally.sameKey)
                             .arg(tally.replayed)
                             .arg(failedTrials);
    if (played < trials)
        qWarning().noquote() << u"stopped after %1 of %2 trials: too many failed"_s.arg(played).arg(
            trials);
    // Each failure was shown in full above; the verdict names the first.
    QVERIFY2(failures.isEmpty(),
             qPrintable(u"%1 of %2 trials failed; the first: %3"_s.arg(failures.size())
                            .arg(played)
                            .arg(failures.value(0).section(u'\n', 0, 4))));
}

namespace {

// Runs SQL on the journal with a connection of the test's own; false on the first failure, or
// on a SELECT that finds no row.
bool tamper(const QString &path, const QStringList &statements, QString *error)
{
    const QString connection = u"tamper-"_s + QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString &statement : statements) {
            if (!ok)
                break;
            QSqlQuery q(db);
            ok = q.exec(statement);
            if (!ok)
                *error = statement + u": "_s + q.lastError().text();
            // A SELECT is a check: it must find a row.
            if (ok && statement.startsWith(u"SELECT"_s) && !q.next()) {
                ok = false;
                *error = statement + u": no row"_s;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace

// The run died after the single action's request went out and before its result was written:
// resumed without --yes and without a terminal, nothing is sent and the request is shown as an
// outcome unknown; with --yes it is sent again under its same key (fleetsim answers it as a
// replay: no second effect) and the incident ends.
void TestCrashResume::unknownOutcomeIsShownFirst()
{
    simJson("POST", u"/_sim/reset"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(u"journal.sqlite"_s);
    const CliRun run = runCli(runArguments(db, m_nodesFile), m_env, std::nullopt);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.out + run.err));
    const JournalView full = readJournal(db);
    qsizetype requested = -1;
    for (const EventRow &e : full.events) {
        if (e.step == u"canary" && e.kind == u"work-requested")
            requested = e.seq;
    }
    QVERIFY(requested > 0);
    QString error;
    // Marked as the drill it is (--drill), and who started it is known.
    QVERIFY2(tamper(db,
                    {u"CREATE TEMP TABLE seen AS SELECT drill, started_by FROM incidents"_s,
                     u"SELECT 1 FROM seen WHERE drill = 1 AND length(started_by) > 0 AND "
                     "(SELECT count(*) FROM seen) = 1"_s},
                    &error),
             qPrintable(error));
    QVERIFY2(tamper(db,
                    {u"DROP TRIGGER events_no_delete"_s,
                     u"DELETE FROM events WHERE seq > %1"_s.arg(requested),
                     u"DELETE FROM action_attempts WHERE step = 'fleet-wide'"_s,
                     u"UPDATE action_attempts SET result_at = NULL, status = NULL"_s,
                     u"UPDATE incidents SET status = 'active', outcome = NULL, "
                     "mitigated_at = NULL, resolved_at = NULL"_s},
                    &error),
             qPrintable(error));
    simJson("DELETE", u"/_sim/requests"_s); // the log only: the kept answers stay

    QStringList noYes = resumeArguments(db, full.incidentId);
    noYes.removeAll(u"--yes"_s);
    const CliRun asked = runCli(noYes, m_env, std::nullopt);
    QVERIFY2(asked.finished && asked.exitCode == 1, qPrintable(asked.out + asked.err));
    QVERIFY2(asked.out.contains(u"Outcome unknown: 1 request(s)"_s), qPrintable(asked.out));
    QVERIFY2(asked.out.contains(full.incidentId + u"/canary/1/0"_s), qPrintable(asked.out));
    QVERIFY2(asked.err.contains(u"outcome unknown; re-send with the same keys with --yes"_s),
             qPrintable(asked.err));
    QCOMPARE(simJson("GET", u"/_sim/requests"_s).toArray().size(), 0);

    const CliRun resent = runCli(resumeArguments(db, full.incidentId), m_env, std::nullopt);
    QVERIFY2(resent.finished && resent.exitCode == 0, qPrintable(resent.out + resent.err));
    int replays = 0;
    int changes = 0;
    for (const QJsonValue &r : simJson("GET", u"/_sim/requests"_s).toArray()) {
        const QJsonObject o = r.toObject();
        if (o.value(u"method"_s).toString() == u"GET")
            continue;
        ++changes;
        if (o.value(u"path"_s).toString() == u"/models/ranker/3.1/set-default")
            replays += o.value(u"replayed"_s).toBool() ? 1 : 0;
    }
    QCOMPARE(replays, 1);             // the single action, re-sent under its key: no effect
    QCOMPARE(changes, 1 + nodeCount); // and the fan-out, sent once
    const JournalView after = readJournal(db);
    QCOMPARE(after.status, u"ended"_s);
    QCOMPARE(after.outcome, u"mitigated"_s);
    QCOMPARE(after.unknownOutcomes(), 0);
}

QTEST_GUILESS_MAIN(TestCrashResume)
#include "tst_crash_resume.moc"
