#include "yaml_reader.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace runlane::fleetsim::yaml {

void fail(const YAML::Mark &mark, const QString &message)
{
    throw YamlError{mark.line + 1, mark.column + 1, message};
}

void fail(const YAML::Node &node, const QString &message)
{
    fail(node.Mark(), message);
}

void expectMap(const YAML::Node &node, const QString &what, const QStringList &allowed)
{
    if (!node.IsMap())
        fail(node, QStringLiteral("%1 must be a map").arg(what));
    QSet<QString> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const QString key = QString::fromStdString(it->first.Scalar());
        if (!allowed.contains(key))
            fail(it->first, QStringLiteral("unknown key '%1' in %2 (expected one of: %3)")
                                .arg(key, what, allowed.join(QStringLiteral(", "))));
        if (seen.contains(key))
            fail(it->first, QStringLiteral("key '%1' appears twice in %2").arg(key, what));
        seen.insert(key);
    }
}

void expectList(const YAML::Node &node, const QString &what)
{
    if (!node.IsSequence())
        fail(node, QStringLiteral("%1 must be a list").arg(what));
}

void require(const YAML::Node &map, const char *key, const QString &what)
{
    if (!map[key])
        fail(map, QStringLiteral("%1 needs '%2'").arg(what, QLatin1String(key)));
}

QString text(const YAML::Node &node, const QString &what)
{
    if (!node.IsScalar())
        fail(node, QStringLiteral("%1 must be text").arg(what));
    return QString::fromStdString(node.Scalar());
}

double number(const YAML::Node &node, const QString &what)
{
    const QJsonValue value = node.IsScalar() ? toJson(node) : QJsonValue();
    if (!value.isDouble())
        fail(node, QStringLiteral("%1 must be a number").arg(what));
    return value.toDouble();
}

int integer(const YAML::Node &node, const QString &what)
{
    const double value = number(node, what);
    if (value != std::floor(value) || std::abs(value) > 1e9)
        fail(node, QStringLiteral("%1 must be a whole number").arg(what));
    return int(value);
}

bool boolean(const YAML::Node &node, const QString &what)
{
    const QJsonValue value = node.IsScalar() ? toJson(node) : QJsonValue();
    if (!value.isBool())
        fail(node, QStringLiteral("%1 must be true or false").arg(what));
    return value.toBool();
}

QStringList textList(const YAML::Node &node, const QString &what)
{
    expectList(node, what);
    QStringList list;
    for (const YAML::Node &item : node)
        list.append(text(item, what + QStringLiteral(" entries")));
    return list;
}

YAML::Node keyNode(const YAML::Node &map, const QString &key)
{
    if (map.IsMap()) {
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (QString::fromStdString(it->first.Scalar()) == key)
                return it->first;
        }
    }
    return map;
}

QJsonValue toJson(const YAML::Node &node)
{
    if (node.IsMap()) {
        QJsonObject object;
        for (auto it = node.begin(); it != node.end(); ++it)
            object.insert(QString::fromStdString(it->first.Scalar()), toJson(it->second));
        return object;
    }
    if (node.IsSequence()) {
        QJsonArray array;
        for (const YAML::Node &item : node)
            array.append(toJson(item));
        return array;
    }
    if (!node.IsScalar() || node.IsNull())
        return QJsonValue(QJsonValue::Null);
    const QString scalar = QString::fromStdString(node.Scalar());
    if (node.Tag() == "!") // quoted: always text
        return scalar;
    if (scalar == QLatin1String("true") || scalar == QLatin1String("false"))
        return scalar == QLatin1String("true");
    if (scalar == QLatin1String("null") || scalar == QLatin1String("~"))
        return QJsonValue(QJsonValue::Null);
    static const QRegularExpression numberPattern(
        QStringLiteral("\\A[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\z"));
    if (numberPattern.match(scalar).hasMatch())
        return scalar.toDouble();
    return scalar;
}

} // namespace runlane::fleetsim::yaml
