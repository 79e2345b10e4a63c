#include "engine/expr/template.h"

#include "engine/expr/namepath.h"
#include "engine/expr/valuetext.h"

#include <optional>
#include <utility>

namespace runlane::expr {

namespace detail {

// Literal text, or a placeholder's name.
struct TemplatePart
{
    QString literal;
    std::optional<NamePath> name;
};

struct TemplateParts
{
    QList<TemplatePart> parts; // no two literals in a row, none empty
};

} // namespace detail

namespace {

qsizetype skipSpaces(const QString &text, qsizetype i, qsizetype end)
{
    while (i < end && text[i].isSpace())
        ++i;
    return i;
}

Error notAName(const QString &text, qsizetype offset)
{
    return Error{QStringLiteral("expected a name inside '{{ }}', found '%1'").arg(text[offset]),
                 offset};
}

// Whether the empty value inserted at `pos` of a rendered path leaves a segment empty.
bool emptySegmentAt(const QString &path, qsizetype pos)
{
    return (pos == 0 || path[pos - 1] == u'/') && (pos == path.size() || path[pos] == u'/');
}

} // namespace

Template::Template()
    : m_parts(std::make_shared<const detail::TemplateParts>())
{}

std::variant<Template, Error> Template::parse(const QString &text)
{
    auto parts = std::make_shared<detail::TemplateParts>();
    QList<NameRef> names;
    qsizetype pos = 0;
    while (true) {
        qsizetype open = text.indexOf(u"{{", pos);
        if (open < 0)
            break;
        while (open + 2 < text.size() && text[open + 2] == u'{')
            ++open;
        const qsizetype close = text.indexOf(u"}}", open + 2);
        if (close < 0)
            return Error{QStringLiteral("'{{' is not closed by '}}'"), open};

        const qsizetype start = skipSpaces(text, open + 2, close);
        if (start == close)
            return Error{QStringLiteral("expected a name inside '{{ }}'"), start};
        if (!detail::isIdentifierStart(text[start]))
            return notAName(text, start);
        auto read = detail::readName(text, start);
        if (auto *error = std::get_if<Error>(&read))
            return *error;
        detail::NamePath name = std::get<detail::NamePath>(std::move(read));
        const qsizetype end = skipSpaces(text, start + name.text.size(), close);
        if (end != close)
            return notAName(text, end);

        if (open > pos)
            parts->parts.append({text.mid(pos, open - pos), std::nullopt});
        names.append(name.ref());
        parts->parts.append({QString(), std::move(name)});
        pos = close + 2;
    }
    if (pos < text.size())
        parts->parts.append({text.mid(pos), std::nullopt});

    Template result;
    result.m_parts = std::move(parts);
    result.m_names = std::move(names);
    result.m_text = text;
    return result;
}

bool Template::isLiteral() const
{
    return m_names.isEmpty();
}

bool Template::isSingleName() const
{
    return m_parts->parts.size() == 1 && m_parts->parts.first().name.has_value();
}

std::variant<QString, Error> Template::render(const Scope &scope, Escape escape) const
{
    QString out;
    // Where empty values went, checked once the text on both sides is known.
    QList<std::pair<qsizetype, const detail::NamePath *>> empties;
    for (const detail::TemplatePart &part : m_parts->parts) {
        if (!part.name) {
            out += part.literal;
            continue;
        }
        auto value = detail::lookup(*part.name, scope);
        if (auto *error = std::get_if<Error>(&value))
            return *error;
        const QString text = valueText(std::get<QJsonValue>(value));
        if (text.isEmpty())
            empties.append({out.size(), &*part.name});
        out += escaped(text, escape);
    }
    if (escape == Escape::PathSegment) {
        for (const auto &[at, name] : empties) {
            if (emptySegmentAt(out, at))
                return Error{QStringLiteral("'%1' is empty, which would leave an empty segment "
                                            "in the URL path")
                                 .arg(name->text),
                             name->offset};
        }
    }
    return out;
}

std::variant<QJsonValue, Error> Template::value(const Scope &scope) const
{
    if (isSingleName())
        return detail::lookup(*m_parts->parts.first().name, scope);
    auto rendered = render(scope, Escape::None);
    if (auto *error = std::get_if<Error>(&rendered))
        return *error;
    return QJsonValue(std::get<QString>(rendered));
}

} // namespace runlane::expr
