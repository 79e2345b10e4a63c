#include "faults.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace runlane::fleetsim {

namespace {

QRegularExpression globPattern(const QString &glob)
{
    QString pattern = QStringLiteral("\\A");
    QString literal;
    const auto flush = [&] {
        pattern += QRegularExpression::escape(literal);
        literal.clear();
    };
    for (const QChar c : glob) {
        if (c == QLatin1Char('*') || c == QLatin1Char('?')) {
            flush();
            pattern += c == QLatin1Char('*') ? QStringLiteral(".*") : QStringLiteral(".");
        } else {
            literal += c;
        }
    }
    flush();
    return QRegularExpression(pattern + QStringLiteral("\\z"),
                              QRegularExpression::DotMatchesEverythingOption);
}

// A fixed function of (seed, n): the same seed draws the same requests on every run.
double draw(quint64 seed, quint64 n)
{
    quint64 z = seed + (n + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return double(z >> 11) / double(1ull << 53);
}

const QList<std::pair<QString, Fault::Kind>> &kindNames()
{
    static const QList<std::pair<QString, Fault::Kind>> names{
        {QStringLiteral("latency"), Fault::Kind::Latency},
        {QStringLiteral("status"), Fault::Kind::Status},
        {QStringLiteral("retry-after"), Fault::Kind::RetryAfter},
        {QStringLiteral("reset"), Fault::Kind::Reset},
        {QStringLiteral("hang"), Fault::Kind::Hang},
    };
    return names;
}

bool isWholeNumber(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
}

} // namespace

bool Fault::matches(QByteArrayView requestMethod, QByteArrayView requestPath) const
{
    if (!method.isEmpty() &&
        QByteArrayView(method.toLatin1()).compare(requestMethod, Qt::CaseInsensitive) != 0)
        return false;
    return pathPattern.match(QString::fromUtf8(requestPath)).hasMatch();
}

QString faultKindName(Fault::Kind kind)
{
    for (const auto &[name, k] : kindNames()) {
        if (k == kind)
            return name;
    }
    return {};
}

QJsonObject Fault::toJson() const
{
    QJsonObject object{{QStringLiteral("kind"), faultKindName(kind)},
                       {QStringLiteral("path"), path},
                       {QStringLiteral("seen"), seen},
                       {QStringLiteral("applied"), applied}};
    if (!method.isEmpty())
        object.insert(QStringLiteral("method"), method);
    switch (kind) {
    case Kind::Latency:
        object.insert(QStringLiteral("ms"), latencyMs);
        break;
    case Kind::Status:
        object.insert(QStringLiteral("status"), status);
        object.insert(QStringLiteral("body"), QString::fromUtf8(body));
        break;
    case Kind::RetryAfter:
        object.insert(QStringLiteral("status"), status);
        object.insert(QStringLiteral("retry_after"), retryAfterSeconds);
        break;
    case Kind::Reset:
        object.insert(QStringLiteral("after_effect"), afterEffect);
        break;
    case Kind::Hang:
        break;
    }
    if (count)
        object.insert(QStringLiteral("count"), *count);
    if (rate) {
        object.insert(QStringLiteral("rate"), *rate);
        object.insert(QStringLiteral("seed"), QString::number(seed));
    }
    return object;
}

std::optional<Fault> faultFromJson(const QJsonObject &object, QString *error, QString *errorKey)
{
    const auto fail = [&](const QString &key, const QString &message) {
        *errorKey = key;
        *error = message;
        return std::nullopt;
    };
    static const QStringList known{
        QStringLiteral("method"),      QStringLiteral("path"),         QStringLiteral("kind"),
        QStringLiteral("ms"),          QStringLiteral("status"),       QStringLiteral("body"),
        QStringLiteral("retry_after"), QStringLiteral("after_effect"), QStringLiteral("count"),
        QStringLiteral("rate"),        QStringLiteral("seed")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(it.key(), QStringLiteral("unknown fault key '%1' (known: %2)")
                                      .arg(it.key(), known.join(QStringLiteral(", "))));
    }

    Fault fault;
    const QJsonValue kind = object.value(QStringLiteral("kind"));
    if (!kind.isString())
        return fail(QString(), QStringLiteral("a fault needs a 'kind': latency, status, "
                                              "retry-after, reset or hang"));
    bool kindKnown = false;
    for (const auto &[name, k] : kindNames()) {
        if (name == kind.toString()) {
            fault.kind = k;
            kindKnown = true;
        }
    }
    if (!kindKnown)
        return fail(QStringLiteral("kind"),
                    QStringLiteral("unknown fault kind '%1' (expected latency, status, "
                                   "retry-after, reset or hang)")
                        .arg(kind.toString()));

    const QJsonValue method = object.value(QStringLiteral("method"));
    if (!method.isUndefined() && !method.isString())
        return fail(QStringLiteral("method"), QStringLiteral("'method' must be a string"));
    fault.method = method.toString().toUpper();
    const QJsonValue path = object.value(QStringLiteral("path"));
    if (!path.isUndefined() && (!path.isString() || path.toString().isEmpty()))
        return fail(QStringLiteral("path"), QStringLiteral("'path' must be a non-empty glob"));
    if (path.isString())
        fault.path = path.toString();
    fault.pathPattern = globPattern(fault.path);

    const QJsonValue ms = object.value(QStringLiteral("ms"));
    if (fault.kind == Fault::Kind::Latency) {
        if (!isWholeNumber(ms) || ms.toDouble() < 0 || ms.toDouble() > 600000)
            return fail(QStringLiteral("ms"),
                        QStringLiteral("a latency fault needs 'ms', a whole number of "
                                       "milliseconds from 0 to 600000"));
        fault.latencyMs = ms.toInt();
    } else if (!ms.isUndefined()) {
        return fail(QStringLiteral("ms"), QStringLiteral("'ms' belongs to latency faults"));
    }

    const QJsonValue status = object.value(QStringLiteral("status"));
    if (!status.isUndefined()) {
        if (fault.kind != Fault::Kind::Status && fault.kind != Fault::Kind::RetryAfter)
            return fail(QStringLiteral("status"),
                        QStringLiteral("'status' belongs to status and retry-after faults"));
        if (!isWholeNumber(status) || status.toInt() < 200 || status.toInt() > 599)
            return fail(QStringLiteral("status"),
                        QStringLiteral("'status' must be an HTTP status from 200 to 599"));
        fault.status = status.toInt();
    }
    if (fault.kind == Fault::Kind::RetryAfter && fault.status != 429 && fault.status != 503)
        return fail(QStringLiteral("status"),
                    QStringLiteral("a retry-after fault answers 429 or 503"));

    const QJsonValue body = object.value(QStringLiteral("body"));
    if (!body.isUndefined() && fault.kind != Fault::Kind::Status)
        return fail(QStringLiteral("body"), QStringLiteral("'body' belongs to status faults"));
    if (body.isObject() || body.isArray()) {
        fault.body = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                     : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        fault.contentType = "application/json";
    } else if (body.isString()) {
        fault.body = body.toString().toUtf8();
        fault.contentType = "text/plain; charset=utf-8";
    } else if (!body.isUndefined()) {
        return fail(QStringLiteral("body"),
                    QStringLiteral("'body' must be a string, an object or a list"));
    } else {
        fault.body = "injected fault\n";
        fault.contentType = "text/plain; charset=utf-8";
    }

    const QJsonValue retryAfter = object.value(QStringLiteral("retry_after"));
    if (!retryAfter.isUndefined()) {
        if (fault.kind != Fault::Kind::RetryAfter)
            return fail(QStringLiteral("retry_after"),
                        QStringLiteral("'retry_after' belongs to retry-after faults"));
        if (!isWholeNumber(retryAfter) || retryAfter.toDouble() < 0)
            return fail(QStringLiteral("retry_after"),
                        QStringLiteral("'retry_after' must be a whole number of seconds"));
        fault.retryAfterSeconds = retryAfter.toInt();
    }

    const QJsonValue afterEffect = object.value(QStringLiteral("after_effect"));
    if (!afterEffect.isUndefined()) {
        if (fault.kind != Fault::Kind::Reset || !afterEffect.isBool())
            return fail(QStringLiteral("after_effect"),
                        QStringLiteral("'after_effect' is true or false, on reset faults"));
        fault.afterEffect = afterEffect.toBool();
    }

    const QJsonValue count = object.value(QStringLiteral("count"));
    const QJsonValue rate = object.value(QStringLiteral("rate"));
    if (!count.isUndefined() && !rate.isUndefined())
        return fail(QStringLiteral("rate"), QStringLiteral("give either 'count' or 'rate'"));
    if (!count.isUndefined()) {
        if (!isWholeNumber(count) || count.toDouble() < 1)
            return fail(QStringLiteral("count"),
                        QStringLiteral("'count' must be a whole number of requests, at least 1"));
        fault.count = count.toInt();
    }
    if (!rate.isUndefined()) {
        if (!rate.isDouble() || rate.toDouble() < 0 || rate.toDouble() > 1)
            return fail(QStringLiteral("rate"),
                        QStringLiteral("'rate' must be a share from 0 to 1"));
        fault.rate = rate.toDouble();
    }
    const QJsonValue seed = object.value(QStringLiteral("seed"));
    if (!seed.isUndefined()) {
        if (!isWholeNumber(seed) || seed.toDouble() < 0)
            return fail(QStringLiteral("seed"),
                        QStringLiteral("'seed' must be a whole number, at least 0"));
        fault.seed = quint64(seed.toDouble());
    }
    return fault;
}

void FaultSet::replace(QList<Fault> faults)
{
    m_faults = std::move(faults);
}

FaultDecision FaultSet::decide(QByteArrayView method, QByteArrayView path)
{
    FaultDecision decision;
    for (Fault &fault : m_faults) {
        if (!fault.matches(method, path))
            continue;
        const int index = fault.seen++;
        const bool hits = fault.count  ? index < *fault.count
                          : fault.rate ? draw(fault.seed, quint64(index)) < *fault.rate
                                       : true;
        if (!hits)
            continue;
        ++fault.applied;
        decision.hits.append(faultKindName(fault.kind));
        if (fault.kind == Fault::Kind::Latency) {
            decision.delayMs += fault.latencyMs;
            continue;
        }
        decision.outcome = fault;
        break;
    }
    return decision;
}

QJsonArray FaultSet::toJson() const
{
    QJsonArray list;
    for (const Fault &fault : m_faults)
        list.append(fault.toJson());
    return list;
}

} // namespace runlane::fleetsim
