#pragma once

#include "engine/expr/error.h"
#include "engine/expr/namepath.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <variant>

// Splits an expression into tokens. Internal to engine/expr.
namespace runlane::expr::detail {

enum class TokenKind {
    End,
    Literal, // a number, a string, true, false or null
    Name,
    Not,
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Minus,
    LeftParen,
    RightParen,
};

struct Token
{
    TokenKind kind = TokenKind::End;
    qsizetype offset = 0;
    qsizetype length = 0;
    QJsonValue literal; // for Literal
    NamePath name;      // for Name
};

// The tokens of `text`, always ending with an End token at text.size(); or the first error.
// Whitespace may stand between tokens; a name is one token, with no whitespace inside.
std::variant<QList<Token>, Error> tokenize(const QString &text);

// The token as written, for messages ("unexpected 'x' ..."); "the end" for End.
QString tokenText(const QString &text, const Token &token);

} // namespace runlane::expr::detail
