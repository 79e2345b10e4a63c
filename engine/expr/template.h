#pragma once

#include "engine/expr/error.h"
#include "engine/expr/escape.h"
#include "engine/expr/name.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <variant>

namespace runlane::expr {

namespace detail {
struct TemplateParts;
}

// A string with `{{ name.path }}` placeholders (playbook-format.md, "Templates"). A placeholder
// holds one name, with the same syntax as in expressions, and optional whitespace inside the
// braces. Everything else is literal text; in a run of '{' the last two open the placeholder, so
// `{"a":{{{ x }}}}` keeps its JSON braces. There is no way to write a literal "{{".
//
// A value becomes text as valueText() says (valuetext.h): a string as is; a number as an
// integer when it is one (42, not 42.0) and else in its shortest exact form (0.25, 1e+20);
// true/false; null as the empty string; a list or an object as compact JSON. That text is then
// escaped for where it lands (Escape). Copies are cheap: they share the parsed parts.
class Template
{
public:
    // The empty literal template.
    Template();

    // Errors: a '{{' without its '}}' (at the '{{'); "expected a name inside '{{ }}'" for an
    // empty placeholder or anything but one name in it (at the offending character).
    static std::variant<Template, Error> parse(const QString &text);

    bool isLiteral() const;    // no placeholder at all
    bool isSingleName() const; // exactly one placeholder and nothing outside it

    // Errors: an unknown name; with Escape::PathSegment, an empty value that would leave an
    // empty path segment ("/models//set-default" or a trailing "/"), which could change what
    // the request acts on.
    std::variant<QString, Error> render(const Scope &scope, Escape escape) const;

    // The typed value: for isSingleName() the referenced JSON value itself (a number stays a
    // number, a list stays a list, null stays null); otherwise render() with Escape::None.
    std::variant<QJsonValue, Error> value(const Scope &scope) const;

    const QList<NameRef> &names() const { return m_names; } // in source order
    const QString &text() const { return m_text; }

private:
    std::shared_ptr<const detail::TemplateParts> m_parts;
    QList<NameRef> m_names;
    QString m_text;
};

} // namespace runlane::expr
