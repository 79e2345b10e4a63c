#include "integrations/prometheus_query.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <optional>

namespace runlane {

namespace {

// A sample is [unix time, "value"]: the value as Prometheus formats it (Go's float syntax).
std::optional<double> sampleValue(const QJsonValue &sample, QString *problem)
{
    const QJsonArray pair = sample.toArray();
    if (pair.size() != 2 || !pair.at(1).isString()) {
        *problem = QStringLiteral("a sample is not [time, \"value\"]");
        return std::nullopt;
    }
    const QString text = pair.at(1).toString();
    if (text == u"NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == u"+Inf" || text == u"Inf")
        return std::numeric_limits<double>::infinity();
    if (text == u"-Inf")
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok) {
        *problem = QStringLiteral("sample value '%1' is not a number").arg(text);
        return std::nullopt;
    }
    return value;
}

WorkResult notFinite(double value)
{
    return WorkResult::noData(QStringLiteral("the query's value is %1")
                                  .arg(std::isnan(value) ? QStringLiteral("NaN")
                                       : value > 0       ? QStringLiteral("+Inf")
                                                         : QStringLiteral("-Inf")));
}

WorkResult fromVector(const QJsonArray &series, const QString &reduce)
{
    if (series.isEmpty())
        return WorkResult::noData(QStringLiteral("the query returned no series"));
    if (series.size() > 1 && reduce.isEmpty())
        return WorkResult::error(
            QStringLiteral("the query returned %1 series; say how to fold them with reduce: "
                           "max, min, sum or avg")
                .arg(series.size()));
    QList<double> finite;
    double last = 0;
    for (const QJsonValue &entry : series) {
        QString problem;
        const auto value = sampleValue(entry.toObject().value(u"value"), &problem);
        if (!value)
            return WorkResult::error(QStringLiteral("Prometheus answered oddly: %1").arg(problem));
        last = *value;
        if (std::isfinite(*value))
            finite.append(*value);
    }
    if (series.size() == 1)
        return std::isfinite(last) ? WorkResult::ofValue(last) : notFinite(last);
    if (finite.isEmpty())
        return WorkResult::noData(
            QStringLiteral("none of the %1 series has a finite value").arg(series.size()));
    double folded = finite.constFirst();
    for (const double v : std::as_const(finite)) {
        if (reduce == u"max")
            folded = std::max(folded, v);
        else if (reduce == u"min")
            folded = std::min(folded, v);
    }
    if (reduce == u"sum" || reduce == u"avg") {
        folded = 0;
        for (const double v : std::as_const(finite))
            folded += v;
        if (reduce == u"avg")
            folded /= double(finite.size());
    } else if (reduce != u"max" && reduce != u"min") {
        return WorkResult::error(
            QStringLiteral("unknown reduce '%1'; expected max, min, sum or avg").arg(reduce));
    }
    WorkResult result = WorkResult::ofValue(folded);
    result.details.insert(QStringLiteral("series"), series.size());
    result.details.insert(QStringLiteral("folded"), finite.size());
    return result;
}

} // namespace

WorkResult readPrometheusQuery(int httpStatus, const QByteArray &body, const QString &reduce)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject answer = document.object();
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return WorkResult::error(
            QStringLiteral("Prometheus answered HTTP %1 with a body that is not its JSON (%2)")
                .arg(httpStatus)
                .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : QStringLiteral("no object")));
    }
    if (answer.value(u"status").toString() != u"success" || httpStatus < 200 || httpStatus >= 300) {
        const QString type = answer.value(u"errorType").toString();
        const QString error = answer.value(u"error").toString();
        return WorkResult::error(
            QStringLiteral("Prometheus answered HTTP %1: %2%3")
                .arg(httpStatus)
                .arg(type.isEmpty() ? QString() : type + QStringLiteral(": "))
                .arg(error.isEmpty() ? QStringLiteral("no error given") : error));
    }
    const QJsonObject data = answer.value(u"data").toObject();
    const QString type = data.value(u"resultType").toString();
    WorkResult result;
    if (type == u"vector") {
        result = fromVector(data.value(u"result").toArray(), reduce);
    } else if (type == u"scalar") {
        QString problem;
        const auto value = sampleValue(data.value(u"result"), &problem);
        if (!value)
            return WorkResult::error(QStringLiteral("Prometheus answered oddly: %1").arg(problem));
        result = std::isfinite(*value) ? WorkResult::ofValue(*value) : notFinite(*value);
    } else {
        return WorkResult::error(
            QStringLiteral("an instant query answers a vector or a scalar; Prometheus gave '%1'")
                .arg(type));
    }
    result.details.insert(QStringLiteral("resultType"), type);
    if (const QJsonArray warnings = answer.value(u"warnings").toArray(); !warnings.isEmpty())
        result.details.insert(QStringLiteral("warnings"), warnings);
    return result;
}

} // namespace runlane
