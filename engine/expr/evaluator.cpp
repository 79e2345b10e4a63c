#include "engine/expr/evaluator.h"

#include "engine/expr/valuetext.h"

namespace runlane::expr::detail {

namespace {

using Result = std::variant<QJsonValue, Error>;

QString operatorText(Node::Kind kind)
{
    switch (kind) {
    case Node::Kind::Not:
        return QStringLiteral("!");
    case Node::Kind::Negate:
        return QStringLiteral("-");
    case Node::Kind::And:
        return QStringLiteral("&&");
    case Node::Kind::Or:
        return QStringLiteral("||");
    case Node::Kind::Equal:
        return QStringLiteral("==");
    case Node::Kind::NotEqual:
        return QStringLiteral("!=");
    case Node::Kind::Less:
        return QStringLiteral("<");
    case Node::Kind::LessEqual:
        return QStringLiteral("<=");
    case Node::Kind::Greater:
        return QStringLiteral(">");
    case Node::Kind::GreaterEqual:
        return QStringLiteral(">=");
    case Node::Kind::Literal:
    case Node::Kind::Name:
        break;
    }
    return QString();
}

// The operand of `!`, `&&` or `||` as a bool; an error points at the operand.
std::variant<bool, Error> boolOperand(const Node &op, const Node &operand, const Scope &scope)
{
    Result value = evaluate(operand, scope);
    if (auto *error = std::get_if<Error>(&value))
        return *error;
    const QJsonValue &v = std::get<QJsonValue>(value);
    if (!v.isBool())
        return Error{QStringLiteral("'%1' needs true or false, got %2")
                         .arg(operatorText(op.kind), describeValue(v)),
                     operand.start};
    return v.toBool();
}

Result logical(const Node &node, const Scope &scope)
{
    const bool isAnd = node.kind == Node::Kind::And;
    auto lhs = boolOperand(node, *node.lhs, scope);
    if (auto *error = std::get_if<Error>(&lhs))
        return *error;
    // Short-circuit: `false && unknown.name` is false, so a guard can protect a lookup.
    if (std::get<bool>(lhs) != isAnd)
        return QJsonValue(!isAnd);
    auto rhs = boolOperand(node, *node.rhs, scope);
    if (auto *error = std::get_if<Error>(&rhs))
        return *error;
    return QJsonValue(std::get<bool>(rhs));
}

Result equality(const Node &node, const QJsonValue &lhs, const QJsonValue &rhs)
{
    // null compares with anything (a missing optional field is often null); other kinds must
    // match, so that `status == '200'` is reported instead of being silently false.
    if (lhs.type() != rhs.type() && !lhs.isNull() && !rhs.isNull())
        return Error{QStringLiteral("'%1' cannot compare %2 with %3")
                         .arg(operatorText(node.kind), describeValue(lhs), describeValue(rhs)),
                     node.offset};
    const bool equal = lhs.isDouble() ? lhs.toDouble() == rhs.toDouble() : lhs == rhs;
    return QJsonValue(equal == (node.kind == Node::Kind::Equal));
}

Result ordering(const Node &node, const QJsonValue &lhs, const QJsonValue &rhs)
{
    int order = 0;
    if (lhs.isDouble() && rhs.isDouble()) {
        const double a = lhs.toDouble();
        const double b = rhs.toDouble();
        order = a < b ? -1 : (a > b ? 1 : 0);
    } else if (lhs.isString() && rhs.isString()) {
        order = lhs.toString().compare(rhs.toString());
    } else {
        return Error{QStringLiteral("'%1' needs two numbers or two strings, got %2 and %3")
                         .arg(operatorText(node.kind), describeValue(lhs), describeValue(rhs)),
                     node.offset};
    }
    switch (node.kind) {
    case Node::Kind::Less:
        return QJsonValue(order < 0);
    case Node::Kind::LessEqual:
        return QJsonValue(order <= 0);
    case Node::Kind::Greater:
        return QJsonValue(order > 0);
    default:
        return QJsonValue(order >= 0);
    }
}

} // namespace

Result evaluate(const Node &node, const Scope &scope)
{
    switch (node.kind) {
    case Node::Kind::Literal:
        return node.literal;
    case Node::Kind::Name:
        return lookup(node.name, scope);
    case Node::Kind::Not: {
        auto operand = boolOperand(node, *node.lhs, scope);
        if (auto *error = std::get_if<Error>(&operand))
            return *error;
        return QJsonValue(!std::get<bool>(operand));
    }
    case Node::Kind::Negate: {
        Result operand = evaluate(*node.lhs, scope);
        if (auto *error = std::get_if<Error>(&operand))
            return *error;
        const QJsonValue &v = std::get<QJsonValue>(operand);
        if (!v.isDouble())
            return Error{QStringLiteral("'-' needs a number, got %1").arg(describeValue(v)),
                         node.lhs->start};
        return QJsonValue(-v.toDouble());
    }
    case Node::Kind::And:
    case Node::Kind::Or:
        return logical(node, scope);
    default:
        break;
    }

    Result lhs = evaluate(*node.lhs, scope);
    if (auto *error = std::get_if<Error>(&lhs))
        return *error;
    Result rhs = evaluate(*node.rhs, scope);
    if (auto *error = std::get_if<Error>(&rhs))
        return *error;
    if (node.kind == Node::Kind::Equal || node.kind == Node::Kind::NotEqual)
        return equality(node, std::get<QJsonValue>(lhs), std::get<QJsonValue>(rhs));
    return ordering(node, std::get<QJsonValue>(lhs), std::get<QJsonValue>(rhs));
}

} // namespace runlane::expr::detail
