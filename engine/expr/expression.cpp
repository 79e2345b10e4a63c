#include "engine/expr/expression.h"

#include "engine/expr/evaluator.h"
#include "engine/expr/parser.h"
#include "engine/expr/valuetext.h"

namespace runlane::expr {

Expression::Expression() = default;

std::variant<Expression, Error> Expression::parse(const QString &text)
{
    auto parsed = detail::parseExpression(text);
    if (auto *error = std::get_if<Error>(&parsed))
        return *error;
    auto &tree = std::get<detail::ParsedExpression>(parsed);
    Expression expression;
    expression.m_root = std::move(tree.root);
    expression.m_names = std::move(tree.names);
    expression.m_text = text;
    return expression;
}

std::variant<QJsonValue, Error> Expression::evaluate(const Scope &scope) const
{
    if (!m_root)
        return Error{QStringLiteral("expected an expression"), 0};
    return detail::evaluate(*m_root, scope);
}

std::variant<bool, Error> Expression::test(const Scope &scope) const
{
    auto result = evaluate(scope);
    if (auto *error = std::get_if<Error>(&result))
        return *error;
    const QJsonValue &value = std::get<QJsonValue>(result);
    if (!value.isBool())
        return Error{
            QStringLiteral("the condition must be true or false, got %1").arg(describeValue(value)),
            m_root->start};
    return value.toBool();
}

} // namespace runlane::expr
