#include "engine/expr/lexer.h"

#include <optional>

namespace runlane::expr::detail {

namespace {

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

class Lexer
{
public:
    explicit Lexer(const QString &text)
        : m_text(text)
    {}

    std::variant<QList<Token>, Error> run();

private:
    bool at(qsizetype i, QChar c) const { return i < m_text.size() && m_text[i] == c; }
    std::optional<Error> readNumber(Token &token);
    std::optional<Error> readString(Token &token);
    std::optional<Error> readOperator(Token &token);

    const QString &m_text;
    qsizetype m_pos = 0;
};

std::variant<QList<Token>, Error> Lexer::run()
{
    QList<Token> tokens;
    while (true) {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
        Token token;
        token.offset = m_pos;
        if (m_pos == m_text.size()) {
            tokens.append(token);
            return tokens;
        }
        const QChar c = m_text[m_pos];
        std::optional<Error> error;
        if (isDigit(c)) {
            error = readNumber(token);
        } else if (c == u'\'' || c == u'"') {
            error = readString(token);
        } else if (isIdentifierStart(c)) {
            auto name = readName(m_text, m_pos);
            if (auto *e = std::get_if<Error>(&name))
                return *e;
            token.name = std::get<NamePath>(std::move(name));
            // Keywords are literals; a keyword with accessors ("true.x") reads as a name and
            // then fails as unknown, which is what it is.
            const QString &word = token.name.text;
            if (word == u"true" || word == u"false") {
                token.kind = TokenKind::Literal;
                token.literal = word == u"true";
            } else if (word == u"null") {
                token.kind = TokenKind::Literal;
                token.literal = QJsonValue(QJsonValue::Null);
            } else {
                token.kind = TokenKind::Name;
            }
            m_pos += word.size();
        } else {
            error = readOperator(token);
        }
        if (error)
            return *error;
        token.length = m_pos - token.offset;
        tokens.append(token);
    }
}

// digits ('.' digits)? ([eE] [+-]? digits)?; a sign is the unary minus operator.
std::optional<Error> Lexer::readNumber(Token &token)
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
        ++m_pos;
    if (at(m_pos, u'.')) {
        const qsizetype fraction = ++m_pos;
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
        if (m_pos == fraction)
            return Error{QStringLiteral("expected a digit after '.' in the number"), m_pos};
    }
    if (at(m_pos, u'e') || at(m_pos, u'E')) {
        ++m_pos;
        if (at(m_pos, u'+') || at(m_pos, u'-'))
            ++m_pos;
        const qsizetype exponent = m_pos;
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
        if (m_pos == exponent)
            return Error{QStringLiteral("expected digits in the number's exponent"), m_pos};
    }
    // "1x" or "1.2.3" is a typo, not a number followed by something else.
    if (m_pos < m_text.size() && (isIdentifierChar(m_text[m_pos]) || m_text[m_pos] == u'.'))
        return Error{QStringLiteral("unexpected character '%1' in a number").arg(m_text[m_pos]),
                     m_pos};
    bool ok = false;
    const double number = QStringView(m_text).sliced(start, m_pos - start).toDouble(&ok);
    if (!ok)
        return Error{QStringLiteral("the number is out of range"), start};
    token.kind = TokenKind::Literal;
    token.literal = number;
    return std::nullopt;
}

std::optional<Error> Lexer::readString(Token &token)
{
    const qsizetype start = m_pos;
    const QChar quote = m_text[m_pos++];
    QString value;
    while (true) {
        if (m_pos == m_text.size())
            return Error{QStringLiteral("unterminated string: expected a closing %1").arg(quote),
                         start};
        const QChar c = m_text[m_pos];
        if (c == quote) {
            ++m_pos;
            break;
        }
        if (c != u'\\') {
            value += c;
            ++m_pos;
            continue;
        }
        if (m_pos + 1 == m_text.size())
            return Error{QStringLiteral("unterminated string: expected a closing %1").arg(quote),
                         start};
        const QChar escaped = m_text[m_pos + 1];
        if (escaped == u'\\' || escaped == u'\'' || escaped == u'"')
            value += escaped;
        else if (escaped == u'n')
            value += u'\n';
        else if (escaped == u't')
            value += u'\t';
        else
            return Error{QStringLiteral("unknown escape '\\%1' in a string "
                                        "(use \\\\, \\', \\\", \\n or \\t)")
                             .arg(escaped),
                         m_pos};
        m_pos += 2;
    }
    token.kind = TokenKind::Literal;
    token.literal = value;
    return std::nullopt;
}

std::optional<Error> Lexer::readOperator(Token &token)
{
    const QChar c = m_text[m_pos];
    const bool nextIsEqual = at(m_pos + 1, u'=');
    auto take = [&](TokenKind kind, qsizetype length) {
        token.kind = kind;
        m_pos += length;
        return std::nullopt;
    };
    switch (c.unicode()) {
    case u'!':
        return nextIsEqual ? take(TokenKind::NotEqual, 2) : take(TokenKind::Not, 1);
    case u'<':
        return nextIsEqual ? take(TokenKind::LessEqual, 2) : take(TokenKind::Less, 1);
    case u'>':
        return nextIsEqual ? take(TokenKind::GreaterEqual, 2) : take(TokenKind::Greater, 1);
    case u'=':
        if (nextIsEqual)
            return take(TokenKind::Equal, 2);
        return Error{QStringLiteral("unexpected '=' (use '==' to compare)"), m_pos};
    case u'&':
        if (at(m_pos + 1, u'&'))
            return take(TokenKind::And, 2);
        return Error{QStringLiteral("unexpected '&' (use '&&')"), m_pos};
    case u'|':
        if (at(m_pos + 1, u'|'))
            return take(TokenKind::Or, 2);
        return Error{QStringLiteral("unexpected '|' (use '||')"), m_pos};
    case u'-':
        return take(TokenKind::Minus, 1);
    case u'(':
        return take(TokenKind::LeftParen, 1);
    case u')':
        return take(TokenKind::RightParen, 1);
    default:
        break;
    }
    return Error{QStringLiteral("unexpected character '%1'").arg(c), m_pos};
}

} // namespace

std::variant<QList<Token>, Error> tokenize(const QString &text)
{
    return Lexer(text).run();
}

QString tokenText(const QString &text, const Token &token)
{
    if (token.kind == TokenKind::End)
        return QStringLiteral("the end");
    constexpr qsizetype kMaxShown = 20;
    if (token.length > kMaxShown)
        return text.mid(token.offset, kMaxShown - 3) + QStringLiteral("...");
    return text.mid(token.offset, token.length);
}

} // namespace runlane::expr::detail
