#pragma once

#include "engine/expr/error.h"
#include "engine/expr/name.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringView>

#include <variant>

// The name syntax shared by expressions and templates, and how a name is looked up in a Scope.
// Internal to engine/expr.
namespace runlane::expr::detail {

// `.member` or `[index]` after the root of a name.
struct Accessor
{
    QString member;       // empty for an index
    qsizetype index = -1; // -1 for a member
    qsizetype offset = 0; // the '.' or the '['

    bool isIndex() const { return index >= 0; }
};

// A parsed name: root identifier, then accessors, with the offsets needed to point at the part
// that is missing when the lookup fails.
struct NamePath
{
    QString root;
    QList<Accessor> accessors;
    QString text;         // as written, e.g. "body.a.b[0]"
    qsizetype offset = 0; // of the root in the source text

    NameRef ref() const;
};

bool isIdentifierStart(QChar c);
bool isIdentifierChar(QChar c);

// Reads the name that starts at `pos` (text[pos] must be an identifier start): an identifier
// `[A-Za-z_][A-Za-z0-9_]*`, then any number of `.member` (`[A-Za-z0-9_-]+`, so JSON keys with
// dashes work) or `[N]` (a non-negative integer). No whitespace inside a name.
std::variant<NamePath, Error> readName(QStringView text, qsizetype pos);

// The value the name denotes. The root must be a key of the scope, each member an existing key
// of an object, each index in range of a list; anything else is an Error "unknown name ..."
// that says which part is missing. A JSON null in the data is a value, not an error.
std::variant<QJsonValue, Error> lookup(const NamePath &name, const Scope &scope);

} // namespace runlane::expr::detail
