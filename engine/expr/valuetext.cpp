#include "engine/expr/valuetext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace runlane::expr {

namespace {

constexpr double kLargestExactInteger = 9007199254740992.0; // 2^53
constexpr qsizetype kMaxShown = 40;

QString shortened(const QString &text)
{
    if (text.size() <= kMaxShown)
        return text;
    return text.left(kMaxShown - 3) + QStringLiteral("...");
}

QString compactJson(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

} // namespace

QString numberText(double number)
{
    if (std::isfinite(number) && std::trunc(number) == number &&
        std::abs(number) <= kLargestExactInteger)
        return QString::number(qint64(number)); // also turns -0 into "0"
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
    case QJsonValue::Object:
        return compactJson(value);
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

QString describeValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return QStringLiteral("string '%1'").arg(shortened(value.toString()));
    case QJsonValue::Double:
        return QStringLiteral("number ") + numberText(value.toDouble());
    case QJsonValue::Bool:
        return valueText(value);
    case QJsonValue::Array:
        return QStringLiteral("list ") + shortened(compactJson(value));
    case QJsonValue::Object:
        return QStringLiteral("object ") + shortened(compactJson(value));
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

QString kindOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a bool");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

} // namespace runlane::expr
