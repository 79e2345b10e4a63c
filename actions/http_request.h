#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace runlane {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};

// When a failed attempt is tried again (see retry_policy.h). `attempts` counts the first one.
struct RetryPolicy
{
    int attempts = 3;
    qint64 backoffMs = 500;
    qint64 maxBackoffMs = 10000;
};

// One HTTP request as it goes on the wire, every template already expanded and escaped.
struct HttpRequest
{
    QByteArray method = "GET";
    QString url; // absolute http:// or https://
    QList<HttpHeader> headers;
    QByteArray body;
    // Sent as `Idempotency-Key` with every attempt, so that a server can recognise a retry.
    QByteArray idempotencyKey;
    qint64 connectTimeoutMs = 5000;
    qint64 timeoutMs = 10000; // each attempt, from start to the last byte
    RetryPolicy retry;
    bool tlsVerify = true;
    QString tlsCaFile; // a PEM file of CAs trusted besides the system's
    qint64 maxBodyBytes = 8 * 1024 * 1024;
    // Headers whose values are credentials (auth): shown and recorded as *** (request_builder.h).
    QList<QByteArray> sensitiveHeaders;
};

// Seconds from the start of an attempt, as libcurl measures them; -1 when the phase did not
// happen (no TLS on http://, no answer at all).
struct HttpTimings
{
    double dnsMs = -1;       // name lookup done
    double connectMs = -1;   // TCP connected
    double tlsMs = -1;       // TLS handshake done
    double firstByteMs = -1; // first byte of the answer
    double totalMs = -1;     // last byte
};

struct HttpResult
{
    // What went wrong on the way, as opposed to an answer with a bad status.
    enum class Error {
        None,
        Connect,      // the server could not be reached (refused, unreachable, name unknown)
        Connection,   // the connection broke (reset, closed without an answer)
        Timeout,      // no complete answer in time
        Tls,          // the certificate or the handshake was refused
        BodyTooLarge, // the answer's body was over maxBodyBytes
        Cancelled,
        Invalid, // the request could not be sent as given (a bad URL, an unknown method)
        Other,
    };

    Error error = Error::None;
    QString errorText; // for people: what failed, in a sentence
    int status = 0;    // 0 without an answer
    QList<HttpHeader> headers;
    QByteArray body;
    int attempts = 0;
    qint64 elapsedMs = 0; // all attempts and the waits between them
    HttpTimings timings;  // of the last attempt

    bool answered() const { return error == Error::None; }
    // The first header of that name (names compare case-insensitively), or null.
    QByteArray header(QByteArrayView name) const;
};

QString toString(HttpResult::Error error);

} // namespace runlane
