#include "engine/expr/namepath.h"

#include "engine/expr/valuetext.h"

#include <QJsonArray>

namespace runlane::expr::detail {

namespace {

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isMemberChar(QChar c)
{
    return isIdentifierChar(c) || c == u'-';
}

Error unknown(const NamePath &name, const QString &why, qsizetype offset)
{
    QString message = QStringLiteral("unknown name '%1'").arg(name.text);
    if (!why.isEmpty())
        message += QStringLiteral(": ") + why;
    return Error{message, offset};
}

} // namespace

NameRef NamePath::ref() const
{
    NameRef ref{root, QString(), text, offset};
    if (!accessors.isEmpty() && !accessors.first().isIndex())
        ref.member = accessors.first().member;
    return ref;
}

bool isIdentifierStart(QChar c)
{
    return isAsciiLetter(c) || c == u'_';
}

bool isIdentifierChar(QChar c)
{
    return isIdentifierStart(c) || isAsciiDigit(c);
}

std::variant<NamePath, Error> readName(QStringView text, qsizetype pos)
{
    Q_ASSERT(pos < text.size() && isIdentifierStart(text[pos]));
    NamePath name;
    name.offset = pos;
    qsizetype i = pos;
    while (i < text.size() && isIdentifierChar(text[i]))
        ++i;
    name.root = text.sliced(pos, i - pos).toString();

    while (i < text.size() && (text[i] == u'.' || text[i] == u'[')) {
        Accessor accessor;
        accessor.offset = i;
        if (text[i] == u'.') {
            const qsizetype start = ++i;
            while (i < text.size() && isMemberChar(text[i]))
                ++i;
            if (i == start)
                return Error{QStringLiteral("expected a member name after '.'"), start};
            accessor.member = text.sliced(start, i - start).toString();
        } else {
            const qsizetype start = ++i;
            while (i < text.size() && isAsciiDigit(text[i]))
                ++i;
            if (i == start)
                return Error{QStringLiteral("expected an index (0, 1, ...) after '['"), start};
            bool ok = false;
            accessor.index = text.sliced(start, i - start).toLongLong(&ok);
            if (!ok)
                return Error{QStringLiteral("the index is too large"), start};
            if (i == text.size() || text[i] != u']')
                return Error{QStringLiteral("expected ']' after the index"), i};
            ++i;
        }
        name.accessors.append(accessor);
    }
    name.text = text.sliced(pos, i - pos).toString();
    return name;
}

std::variant<QJsonValue, Error> lookup(const NamePath &name, const Scope &scope)
{
    const auto root = scope.constFind(name.root);
    if (root == scope.constEnd()) {
        const QString why = name.accessors.isEmpty()
                                ? QString()
                                : QStringLiteral("there is no '%1'").arg(name.root);
        return unknown(name, why, name.offset);
    }
    QJsonValue current = root.value();
    for (const Accessor &accessor : name.accessors) {
        // The part of the name already found, e.g. "body.a" when ".b" is missing.
        const QString found = name.text.left(accessor.offset - name.offset);
        if (accessor.isIndex()) {
            if (!current.isArray())
                return unknown(name,
                               QStringLiteral("'%1' is %2, not a list").arg(found, kindOf(current)),
                               accessor.offset);
            const QJsonArray list = current.toArray();
            if (accessor.index >= list.size())
                return unknown(
                    name,
                    QStringLiteral("'%1' has no index %2 (it has %3 %4)")
                        .arg(found)
                        .arg(accessor.index)
                        .arg(list.size())
                        .arg(list.size() == 1 ? QStringLiteral("item") : QStringLiteral("items")),
                    accessor.offset);
            current = list.at(accessor.index);
        } else {
            if (!current.isObject())
                return unknown(
                    name, QStringLiteral("'%1' is %2, not an object").arg(found, kindOf(current)),
                    accessor.offset + 1);
            const QJsonObject object = current.toObject();
            const auto member = object.constFind(accessor.member);
            if (member == object.constEnd())
                return unknown(
                    name, QStringLiteral("'%1' has no member '%2'").arg(found, accessor.member),
                    accessor.offset + 1);
            current = member.value();
        }
    }
    return current;
}

} // namespace runlane::expr::detail
