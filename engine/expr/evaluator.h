#pragma once

#include "engine/expr/error.h"
#include "engine/expr/name.h"
#include "engine/expr/node.h"

#include <QJsonValue>

#include <variant>

// Computes the value of an expression's tree. Internal to engine/expr.
namespace runlane::expr::detail {

// `&&`, `||` and `!` take bools and short-circuit; `-` takes a number; `<` `<=` `>` `>=` take two
// numbers or two strings; `==` `!=` take two values of one kind, or null with anything.
// Any other mix is an Error, never a silent false.
std::variant<QJsonValue, Error> evaluate(const Node &node, const Scope &scope);

} // namespace runlane::expr::detail
