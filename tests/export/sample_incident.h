#pragma once

#include <QString>

#include <optional>

// A realistic incident of tests/export/data/postmortem-sample.yaml written to a journal, by
// driving the session with a sink that appends to a JournalWriter, as a run does: a task, a
// check, a decision, a fan-out that partly fails (one endpoint failed, one outcome unknown), a
// step back, the fan-out again, the end. Shared by the export, browser and CLI tests.
struct SampleIncident
{
    QString id = QStringLiteral("7c1e2f4a-0b9d-4c3e-8f21-5a6b7c8d9e01");
    qint64 startedAtMs = 1700000000000; // 2023-11-14T22:13:20Z
    bool end = true; // false: stop while the first fan-out's failure is being handled
    int devices = 6; // endpoints of the fan-out
    // Never in the journal or an export: the writer is told it is a secret.
    QString secret = QStringLiteral("s3cr3t-T0KEN-9f8e7d");
    QString scriptText = QStringLiteral("<script>alert(1)</script>");
};

// Writes it; returns an error text on failure.
std::optional<QString> writeSampleIncident(const QString &dbPath, const SampleIncident &sample);

// The sample playbook's file.
QString samplePlaybookPath();
