#pragma once

#include "engine/session/event.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace runlane {

// What an incident row holds: who, what playbook (its exact text), which inputs, how it went.
struct IncidentRecord
{
    QString id;
    QString playbookId;
    QString title;
    QString severity;
    QString playbookText; // the snapshot it was walked with, byte for byte
    QString playbookSha256;
    QJsonObject inputs;
    QString status;      // "active" or "ended"
    QString outcome;     // empty while active
    bool drill = false;  // walked against a simulated fleet
    bool dryRun = false; // nothing was sent
    QString startedBy;   // the OS user who started it
    qint64 startedAtMs = 0;
    std::optional<qint64> acknowledgedAtMs;
    std::optional<qint64> mitigatedAtMs;
    std::optional<qint64> resolvedAtMs;

    bool ended() const { return status == u"ended"; }
};

// One request of an action: the intent is committed before it is sent; the result when it is
// back. An intent without a result is an outcome unknown (the process died in between).
struct ActionAttempt
{
    QString step;
    int visit = 1;
    qsizetype endpoint = 0; // the fan-out endpoint's index; 0 for a single request
    QString idempotencyKey;
    QString requestLine;    // "METHOD URL", secrets redacted
    QString requestHeaders; // one "Name: value" per line, secrets redacted
    qint64 intentAtMs = 0;

    std::optional<qint64> resultAtMs; // none: outcome unknown
    int status = 0;                   // HTTP status; 0 when none came
    int attempts = 0;
    QJsonObject timings; // dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms
    QString responseExcerpt;
    QString error;

    bool outcomeUnknown() const { return !resultAtMs.has_value(); }
};

// Everything the journal holds about one incident, in order: what exports and resume read.
struct IncidentJournal
{
    IncidentRecord incident;
    QList<Event> events;           // by sequence
    QList<ActionAttempt> attempts; // by intent time, then step, visit, endpoint
};

} // namespace runlane
