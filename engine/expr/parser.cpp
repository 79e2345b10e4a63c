#include "engine/expr/parser.h"

#include "engine/expr/lexer.h"

#include <algorithm>
#include <optional>

namespace runlane::expr::detail {

namespace {

// Far beyond any real `if:`, and low enough that parsing, evaluating and destroying the tree
// (all recursive) stay well within the stack, also under the sanitizers and in the fuzzer.
constexpr int kMaxDepth = 100;

struct BinaryOperator
{
    TokenKind token;
    Node::Kind kind;
    int level; // precedence, 0 = lowest
};

constexpr BinaryOperator kBinaryOperators[] = {
    {TokenKind::Or, Node::Kind::Or, 0},
    {TokenKind::And, Node::Kind::And, 1},
    {TokenKind::Equal, Node::Kind::Equal, 2},
    {TokenKind::NotEqual, Node::Kind::NotEqual, 2},
    {TokenKind::Less, Node::Kind::Less, 3},
    {TokenKind::LessEqual, Node::Kind::LessEqual, 3},
    {TokenKind::Greater, Node::Kind::Greater, 3},
    {TokenKind::GreaterEqual, Node::Kind::GreaterEqual, 3},
};
constexpr int kBinaryLevels = 4;

std::optional<Node::Kind> binaryKind(int level, TokenKind token)
{
    for (const BinaryOperator &op : kBinaryOperators) {
        if (op.level == level && op.token == token)
            return op.kind;
    }
    return std::nullopt;
}

using NodePtr = std::unique_ptr<Node>;

class Parser
{
public:
    Parser(const QString &text, QList<Token> tokens)
        : m_text(text)
        , m_tokens(std::move(tokens))
    {}

    std::variant<ParsedExpression, Error> run();

private:
    // `after` is what precedes the operand being parsed ("&&", "(", or empty at the start),
    // so that a missing operand is reported as "expected an operand after '&&'".
    NodePtr parseBinary(int level, const QString &after);
    NodePtr parseUnary(const QString &after);
    NodePtr parsePrimary(const QString &after);

    NodePtr withDepth(NodePtr node);
    NodePtr fail(const QString &message, qsizetype offset);
    QString found() const;
    const Token &peek() const { return m_tokens[m_next]; }
    void advance() { m_next = std::min(m_next + 1, m_tokens.size() - 1); }

    const QString &m_text;
    const QList<Token> m_tokens; // ends with End
    qsizetype m_next = 0;
    int m_nesting = 0;
    QList<NameRef> m_names;
    std::optional<Error> m_error;
};

std::variant<ParsedExpression, Error> Parser::run()
{
    NodePtr root = parseBinary(0, QString());
    if (root && peek().kind != TokenKind::End)
        fail(QStringLiteral("unexpected '%1' after the end of the expression")
                 .arg(tokenText(m_text, peek())),
             peek().offset);
    if (m_error)
        return *m_error;
    return ParsedExpression{std::move(root), m_names};
}

NodePtr Parser::parseBinary(int level, const QString &after)
{
    if (level == kBinaryLevels)
        return parseUnary(after);
    NodePtr lhs = parseBinary(level + 1, after);
    while (lhs) {
        const Token &op = peek();
        const std::optional<Node::Kind> kind = binaryKind(level, op.kind);
        if (!kind)
            break;
        advance();
        NodePtr rhs = parseBinary(level + 1, tokenText(m_text, op));
        if (!rhs)
            return nullptr;
        auto node = std::make_unique<Node>();
        node->kind = *kind;
        node->offset = op.offset;
        node->start = lhs->start;
        node->lhs = std::move(lhs);
        node->rhs = std::move(rhs);
        lhs = withDepth(std::move(node));
    }
    return lhs;
}

NodePtr Parser::parseUnary(const QString &after)
{
    // Every parenthesis and every prefix operator passes here, so this bounds the recursion.
    struct Nesting
    {
        int &level;
        explicit Nesting(int &l)
            : level(++l)
        {}
        ~Nesting() { --level; }
    } nesting(m_nesting);
    if (m_nesting > kMaxDepth)
        return fail(QStringLiteral("the expression is nested too deeply (more than %1 levels)")
                        .arg(kMaxDepth),
                    peek().offset);

    const Token &op = peek();
    if (op.kind != TokenKind::Not && op.kind != TokenKind::Minus)
        return parsePrimary(after);
    advance();
    NodePtr operand = parseUnary(tokenText(m_text, op));
    if (!operand)
        return nullptr;
    auto node = std::make_unique<Node>();
    node->kind = op.kind == TokenKind::Not ? Node::Kind::Not : Node::Kind::Negate;
    node->offset = op.offset;
    node->start = op.offset;
    node->lhs = std::move(operand);
    return withDepth(std::move(node));
}

NodePtr Parser::parsePrimary(const QString &after)
{
    const Token &token = peek();
    switch (token.kind) {
    case TokenKind::Literal:
    case TokenKind::Name: {
        advance();
        auto node = std::make_unique<Node>();
        node->offset = token.offset;
        node->start = token.offset;
        if (token.kind == TokenKind::Literal) {
            node->kind = Node::Kind::Literal;
            node->literal = token.literal;
        } else {
            node->kind = Node::Kind::Name;
            node->name = token.name;
            m_names.append(token.name.ref());
        }
        return node;
    }
    case TokenKind::LeftParen: {
        advance();
        NodePtr inner = parseBinary(0, QStringLiteral("("));
        if (!inner)
            return nullptr;
        if (peek().kind != TokenKind::RightParen)
            return fail(QStringLiteral("expected ')' to close the '('") + found(), peek().offset);
        advance();
        inner->start = token.offset;
        return inner;
    }
    default:
        break;
    }
    if (after.isEmpty())
        return fail(QStringLiteral("expected an expression") + found(), token.offset);
    if (after == u"(")
        return fail(QStringLiteral("expected an expression after '('") + found(), token.offset);
    return fail(QStringLiteral("expected an operand after '%1'").arg(after) + found(),
                token.offset);
}

NodePtr Parser::withDepth(NodePtr node)
{
    node->depth = 1 + std::max(node->lhs ? node->lhs->depth : 0, node->rhs ? node->rhs->depth : 0);
    if (node->depth > kMaxDepth)
        return fail(QStringLiteral("the expression is too long (more than %1 nested operations)")
                        .arg(kMaxDepth),
                    node->offset);
    return node;
}

NodePtr Parser::fail(const QString &message, qsizetype offset)
{
    if (!m_error)
        m_error = Error{message, offset};
    return nullptr;
}

QString Parser::found() const
{
    if (peek().kind == TokenKind::End)
        return QString();
    return QStringLiteral(", found '%1'").arg(tokenText(m_text, peek()));
}

} // namespace

std::variant<ParsedExpression, Error> parseExpression(const QString &text)
{
    auto tokens = tokenize(text);
    if (auto *error = std::get_if<Error>(&tokens))
        return *error;
    return Parser(text, std::get<QList<Token>>(std::move(tokens))).run();
}

} // namespace runlane::expr::detail
