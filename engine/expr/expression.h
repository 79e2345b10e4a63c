#pragma once

#include "engine/expr/error.h"
#include "engine/expr/name.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <variant>

namespace runlane::expr {

namespace detail {
struct Node;
}

// A condition as written in `if:` (playbook-format.md, "Expressions"): literals (numbers like
// 1, 0.25, 1e3; 'single' or "double" quoted strings with \\ \' \" \n \t; true false null), names
// (`inputs.model`, `body.a.b[0]`), `!` `&&` `||` `==` `!=` `<` `<=` `>` `>=`, unary `-` and
// parentheses. Precedence, low to high: `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `!` `-`.
//
// Parsed once when the playbook loads, evaluated many times during the walk. Copies are cheap:
// they share the immutable syntax tree.
class Expression
{
public:
    // An empty expression: evaluate() is the Error "expected an expression". Exists so that
    // an Expression can be a member of a plain struct before the loader fills it.
    Expression();

    // Errors point at the offending character: unexpected character, unterminated string,
    // missing ')', trailing tokens, an operator without its operand, empty text.
    static std::variant<Expression, Error> parse(const QString &text);

    // The value, or an Error: an unknown name, an operator given the wrong kinds of values.
    std::variant<QJsonValue, Error> evaluate(const Scope &scope) const;
    // evaluate(), for a condition: a result that is not true or false is an Error.
    std::variant<bool, Error> test(const Scope &scope) const;

    // Every name read, in source order (also those a short-circuit may skip).
    const QList<NameRef> &names() const { return m_names; }
    const QString &text() const { return m_text; }

private:
    std::shared_ptr<const detail::Node> m_root;
    QList<NameRef> m_names;
    QString m_text;
};

} // namespace runlane::expr
