#pragma once

#include "engine/expr/namepath.h"

#include <QJsonValue>

#include <memory>

// The syntax tree of an expression. Internal to engine/expr.
namespace runlane::expr::detail {

struct Node
{
    enum class Kind {
        Literal,
        Name,
        Not,
        Negate,
        And,
        Or,
        Equal,
        NotEqual,
        Less,
        LessEqual,
        Greater,
        GreaterEqual,
    };

    Kind kind = Kind::Literal;
    qsizetype offset = 0; // the operator, or the first character of a literal or name
    qsizetype start = 0;  // the first character of the whole subexpression (with parentheses)
    int depth = 1;        // of the tree below; bounded so evaluation cannot exhaust the stack
    QJsonValue literal;   // Literal
    NamePath name;        // Name
    std::unique_ptr<const Node> lhs; // the operand of Not and Negate
    std::unique_ptr<const Node> rhs;
};

} // namespace runlane::expr::detail
