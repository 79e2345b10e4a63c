#pragma once

#include "http_message.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace runlane::fleetsim {

// One injected failure: which requests it matches, what happens to them and how many of them.
struct Fault
{
    enum class Kind {
        Latency,    // answer after `latencyMs` more
        Status,     // answer `status` with `body` instead of the API
        RetryAfter, // answer 429 or 503 with a Retry-After header
        Reset,      // close the connection without answering (after the effect with afterEffect)
        Hang,       // never answer, keep the connection open
    };

    QString method;                     // empty: any method
    QString path = QStringLiteral("*"); // glob on the path as sent: '*' any run, '?' one character
    Kind kind = Kind::Status;
    int latencyMs = 0;
    int status = 503;
    QByteArray body;
    QByteArray contentType;
    int retryAfterSeconds = 1;
    bool afterEffect = false;
    std::optional<int> count;   // the first N matching requests
    std::optional<double> rate; // or a share of them, drawn from `seed`
    quint64 seed = 1;

    int seen = 0;    // matching requests so far
    int applied = 0; // of which the fault hit
    QRegularExpression pathPattern;

    bool matches(QByteArrayView requestMethod, QByteArrayView requestPath) const;
    QJsonObject toJson() const;
};

QString faultKindName(Fault::Kind kind);

// Reads a fault from its JSON (or YAML-converted) form. On failure `error` says why and
// `errorKey` names the offending key (empty for the fault as a whole).
std::optional<Fault> faultFromJson(const QJsonObject &object, QString *error, QString *errorKey);

// What the faults make of one request.
struct FaultDecision
{
    int delayMs = 0;              // latency faults add up
    std::optional<Fault> outcome; // the first non-latency fault that hit, if any
    QStringList hits;             // kinds that hit, for the request log
};

// The active faults, in order; the first non-latency fault that hits a request decides it.
class FaultSet
{
public:
    void replace(QList<Fault> faults);
    const QList<Fault> &faults() const { return m_faults; }
    FaultDecision decide(QByteArrayView method, QByteArrayView path);
    QJsonArray toJson() const;

private:
    QList<Fault> m_faults;
};

} // namespace runlane::fleetsim
