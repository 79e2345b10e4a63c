#pragma once

#include "http_message.h"

#include <QJsonArray>
#include <QStringList>

namespace runlane::fleetsim {

// What the simulator received and what it did about it, for tests to inspect.
struct RequestRecord
{
    qint64 seq = 0;
    QByteArray method;
    QByteArray path;
    QByteArray query;
    QList<HttpHeader> headers;
    QByteArray body;
    int node = 0;
    int status = 0;                               // 0: no answer was sent (reset or hang)
    QString outcome = QStringLiteral("answered"); // answered, reset or hang
    bool effect = false;                          // the request changed the simulated state
    bool replayed = false; // answered from an earlier request with the same Idempotency-Key
    QStringList faults;    // kinds of the faults that hit it
    int delayMs = 0;

    QJsonObject toJson() const;
};

// Appends in O(1); the whole log is only serialised when asked for.
class RequestLog
{
public:
    RequestRecord &append(const HttpRequest &request);
    void clear() { m_records.clear(); }
    qsizetype size() const { return m_records.size(); }
    QJsonArray toJson() const;

private:
    QList<RequestRecord> m_records;
    qint64 m_nextSeq = 1; // keeps counting across clears
};

} // namespace runlane::fleetsim
