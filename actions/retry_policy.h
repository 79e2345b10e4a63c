#pragma once

#include "actions/http_request.h"

#include <QDateTime>

#include <optional>
#include <random>

namespace runlane {

// Whether a finished attempt is worth another: a connection that failed or broke, a timeout,
// a 5xx or a 429. Never another 4xx (the request itself is wrong), never a refused certificate,
// an oversized answer or a cancelled request.
bool isRetryable(const HttpResult &attempt);

// `Retry-After` as delay-seconds or an HTTP-date, in milliseconds from `now`; nullopt when absent
// or unreadable. A date in the past is 0.
std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &now);

// Exponential backoff with full jitter: a uniform draw in [0, min(max, backoff · 2^(n-1))] after
// the n-th failed attempt, so that many clients retrying at once spread out.
qint64 backoffDelayMs(const RetryPolicy &policy, int failedAttempts, std::mt19937_64 &random);

// The delay before the next attempt, or nullopt when there is none: the attempts are used up,
// the failure is not retryable. A `Retry-After` on a 429 or 503 is honoured as given, up to
// `maxRetryAfterMs`; asked to wait longer, the request fails rather than hang.
constexpr qint64 maxRetryAfterMs = 5 * 60 * 1000;
std::optional<qint64> nextAttemptDelayMs(const HttpRequest &request, const HttpResult &attempt,
                                         const QDateTime &now, std::mt19937_64 &random);

} // namespace runlane
