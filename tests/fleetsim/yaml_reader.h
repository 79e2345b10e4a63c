#pragma once

#include <yaml-cpp/yaml.h>

#include <QJsonValue>
#include <QStringList>

namespace runlane::fleetsim {

// A problem in a YAML file, at a 1-based line and column.
struct YamlError
{
    int line = 0;
    int column = 0;
    QString message;
};

// Typed, position-aware reads of a YAML document; every failure throws a YamlError that points
// at the offending node.
namespace yaml {

[[noreturn]] void fail(const YAML::Node &node, const QString &message);
[[noreturn]] void fail(const YAML::Mark &mark, const QString &message);

// Checks that `node` is a map holding no key outside `allowed` and no key twice.
void expectMap(const YAML::Node &node, const QString &what, const QStringList &allowed);
void expectList(const YAML::Node &node, const QString &what);
void require(const YAML::Node &map, const char *key, const QString &what);

QString text(const YAML::Node &node, const QString &what);
double number(const YAML::Node &node, const QString &what);
int integer(const YAML::Node &node, const QString &what);
bool boolean(const YAML::Node &node, const QString &what);
QStringList textList(const YAML::Node &node, const QString &what);

// The key node of `key` in a map (for pointing at a key), or the map itself when absent.
YAML::Node keyNode(const YAML::Node &map, const QString &key);

// Plain scalars become numbers, booleans or null where they read as such; quoted ones stay text.
QJsonValue toJson(const YAML::Node &node);

} // namespace yaml

} // namespace runlane::fleetsim
