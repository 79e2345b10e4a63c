#include "sample_incident.h"

#include "engine/journal/journal_database.h"
#include "engine/journal/journal_writer.h"
#include "engine/playbook/loader.h"
#include "engine/session/session.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>

using namespace runlane;

QString samplePlaybookPath()
{
    return QStringLiteral(RUNLANE_SOURCE_DIR "/tests/export/data/postmortem-sample.yaml");
}

namespace {

struct Walk
{
    const SampleIncident &sample;
    JournalWriter &writer;
    qint64 now = 0;
    std::optional<QString> error;

    void check(const std::optional<QString> &e)
    {
        if (e && !error)
            error = e;
    }

    // One request per device; `failed` and `unknown` name the endpoints that fail or never answer.
    void fanOut(int visit, int failed, int unknown)
    {
        QList<ActionAttempt> intents;
        for (int i = 0; i < sample.devices; ++i) {
            ActionAttempt a;
            a.step = QStringLiteral("restart-pods");
            a.visit = visit;
            a.endpoint = i;
            a.idempotencyKey =
                QStringLiteral("%1-restart-pods-%2-%3").arg(sample.id).arg(visit).arg(i);
            a.requestLine =
                QStringLiteral("POST http://127.0.0.1:8081/devices/dev-%1/restart?token=%2")
                    .arg(i)
                    .arg(sample.secret);
            a.requestHeaders = QStringLiteral("Authorization: Bearer %1\nIdempotency-Key: %2")
                                   .arg(sample.secret, a.idempotencyKey);
            a.intentAtMs = now;
            intents.append(a);
        }
        check(writer.recordIntents(intents));
        QList<ActionAttempt> results;
        for (int i = 0; i < sample.devices; ++i) {
            if (i == unknown)
                continue;
            ActionAttempt a = intents.at(i);
            a.resultAtMs = now + 800 + 350 * i;
            a.attempts = i == failed ? 3 : 1;
            a.status = i == failed ? 503 : 200;
            if (i == failed)
                a.error = QStringLiteral("HTTP 503 after 3 attempts (token %1)").arg(sample.secret);
            a.responseExcerpt = QStringLiteral("{\"restarted\": true}");
            results.append(a);
        }
        check(writer.recordResults(results));
        now += 800 + 350 * sample.devices;
    }
};

} // namespace

std::optional<QString> writeSampleIncident(const QString &dbPath, const SampleIncident &sample)
{
    QFile file(samplePlaybookPath());
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1").arg(file.fileName());
    const QByteArray text = file.readAll();
    LoadResult loaded = loadPlaybookText(text, file.fileName());
    if (!loaded.ok())
        return QStringLiteral("the sample playbook has errors");
    auto opened = JournalDatabase::open(dbPath);
    if (auto *e = std::get_if<QString>(&opened))
        return *e;
    JournalDatabase &db = *std::get<0>(opened);
    JournalWriter writer(db, sample.id, {sample.secret});
    Walk walk{sample, writer, sample.startedAtMs, std::nullopt};

    QJsonArray devices;
    for (int i = 0; i < sample.devices; ++i)
        devices.append(QStringLiteral("dev-%1").arg(i));
    const QJsonObject inputs{{QStringLiteral("node"), QStringLiteral("edge-eu-7")},
                             {QStringLiteral("devices"), devices}};
    IncidentRecord record;
    record.playbookId = loaded.playbook->id.value;
    record.title = QStringLiteral("Inference errors on edge-eu-7 %1").arg(sample.scriptText);
    record.severity = QStringLiteral("sev2");
    record.playbookText = QString::fromUtf8(text);
    record.playbookSha256 =
        QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
    record.inputs = inputs;
    record.startedAtMs = sample.startedAtMs;
    if (auto e = writer.createIncident(record))
        return e;

    Session session(
        loaded.playbook, QStringLiteral("alice"),
        [&walk](const Event &e) { walk.check(walk.writer.append(e)); },
        Session::Clock{[&walk] { return walk.now; }});
    session.start(sample.id, inputs);
    walk.now += 45'000;
    session.addNote(QStringLiteral("Alert came from the canary cohort; pasted token %1 by mistake")
                        .arg(sample.secret));
    walk.now += 50'000;
    walk.check(session.completeTask({Session::Mark::Ticked, Session::Mark::Skipped}));
    session.beginWork();
    walk.now += 4'000;
    walk.check(session.feed(WorkResult::ofValue(0.12)));
    walk.now += 70'000;
    session.addNote(
        QStringLiteral("Dashboards agree %1: errors only on this node").arg(sample.scriptText));
    session.addNote(QStringLiteral("See ![graph](https://tracker.example/p.png) and "
                                   "[the runbook](javascript:alert(1))"));
    walk.now += 20'000;
    walk.check(session.decide(QStringLiteral("Restart the pods")));
    walk.now += 30'000;
    walk.check(session.confirmAction());
    session.beginWork();
    walk.fanOut(1, 2, 4);
    walk.check(session.feed(WorkResult::error(
        QStringLiteral("1 of %1 endpoints failed, 1 outcome unknown").arg(sample.devices))));
    if (!sample.end)
        return walk.error;
    // page-platform: the engineer goes back and restarts again instead.
    walk.now += 95'000;
    walk.check(session.goBack(QStringLiteral("restart-pods")));
    walk.now += 25'000;
    walk.check(session.confirmAction());
    session.beginWork();
    walk.fanOut(2, -1, -1);
    walk.check(session.feed(WorkResult::response(200, QJsonObject{}, 900)));
    session.beginWork();
    walk.now += 120'000;
    walk.check(session.feed(WorkResult::ofValue(0.004)));
    if (!walk.error && session.waiting() != Session::Waiting::Ended)
        return QStringLiteral("the sample walk did not end (waiting for %1)")
            .arg(toString(session.waiting()));
    return walk.error;
}
