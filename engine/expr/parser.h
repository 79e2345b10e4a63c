#pragma once

#include "engine/expr/error.h"
#include "engine/expr/name.h"
#include "engine/expr/node.h"

#include <QList>
#include <QString>

#include <memory>
#include <variant>

// Builds the syntax tree of an expression. Internal to engine/expr.
namespace runlane::expr::detail {

struct ParsedExpression
{
    std::unique_ptr<const Node> root;
    QList<NameRef> names; // in source order
};

// Precedence, low to high: ||, &&, == !=, < <= > >=, unary ! and -, then literals, names and
// parentheses. Binary operators are left-associative.
std::variant<ParsedExpression, Error> parseExpression(const QString &text);

} // namespace runlane::expr::detail
