#include "actions/retry_policy.h"

#include <QLocale>

#include <algorithm>

namespace runlane {

bool isRetryable(const HttpResult &attempt)
{
    switch (attempt.error) {
    case HttpResult::Error::Connect:
    case HttpResult::Error::Connection:
    case HttpResult::Error::Timeout:
        return true;
    case HttpResult::Error::None:
        return attempt.status == 429 || (attempt.status >= 500 && attempt.status <= 599);
    default:
        return false;
    }
}

std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QByteArray text = value.trimmed().toByteArray();
    if (text.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 seconds = text.toLongLong(&isNumber);
    if (isNumber)
        return seconds >= 0 ? std::optional<qint64>(seconds * 1000) : std::nullopt;
    // An HTTP-date (RFC 9110: IMF-fixdate), e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(text),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, now.msecsTo(when));
}

qint64 backoffDelayMs(const RetryPolicy &policy, int failedAttempts, std::mt19937_64 &random)
{
    const int doublings = std::clamp(failedAttempts - 1, 0, 30);
    const qint64 ceiling =
        std::min(policy.maxBackoffMs, policy.backoffMs * (qint64(1) << doublings));
    if (ceiling <= 0)
        return 0;
    return std::uniform_int_distribution<qint64>(0, ceiling)(random);
}

std::optional<qint64> nextAttemptDelayMs(const HttpRequest &request, const HttpResult &attempt,
                                         const QDateTime &now, std::mt19937_64 &random)
{
    if (attempt.attempts >= request.retry.attempts || !isRetryable(attempt))
        return std::nullopt;
    if (attempt.status == 429 || attempt.status == 503) {
        if (const auto asked = parseRetryAfter(attempt.header("Retry-After"), now))
            return *asked <= maxRetryAfterMs ? asked : std::nullopt;
    }
    return backoffDelayMs(request.retry, attempt.attempts, random);
}

} // namespace runlane
