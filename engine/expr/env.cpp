#include "engine/expr/env.h"

#include "engine/expr/namepath.h"

namespace runlane::expr {

namespace {

constexpr QStringView kPrefix = u"${env:";

struct EnvRef
{
    QString name;
    std::optional<QString> fallback;
    qsizetype end = 0; // just after the closing '}'
};

// The reference whose `${env:` starts at `start`.
std::variant<EnvRef, Error> readRef(const QString &text, qsizetype start)
{
    const qsizetype close = text.indexOf(u'}', start);
    if (close < 0)
        return Error{QStringLiteral("'${env:' is not closed by '}'"), start};
    const qsizetype nameStart = start + kPrefix.size();
    qsizetype i = nameStart;
    if (i < close && detail::isIdentifierStart(text[i])) {
        while (i < close && detail::isIdentifierChar(text[i]))
            ++i;
    }
    if (i == nameStart)
        return Error{QStringLiteral("expected a variable name after '${env:' "
                                    "(letters, digits and '_', not starting with a digit)"),
                     i};
    EnvRef ref;
    ref.name = text.mid(nameStart, i - nameStart);
    ref.end = close + 1;
    if (i == close)
        return ref;
    if (QStringView(text).sliced(i).startsWith(u":-")) {
        ref.fallback = text.mid(i + 2, close - i - 2);
        const qsizetype nested = ref.fallback->indexOf(u"${");
        if (nested >= 0)
            return Error{QStringLiteral("a default cannot contain '${'"), i + 2 + nested};
        return ref;
    }
    return Error{QStringLiteral("expected '}' or ':-default' after '${env:%1'").arg(ref.name), i};
}

} // namespace

std::variant<QString, Error> resolveEnv(const QString &text, const EnvLookup &lookup)
{
    QString out;
    qsizetype pos = 0;
    while (true) {
        const qsizetype start = text.indexOf(kPrefix, pos);
        if (start < 0)
            break;
        auto read = readRef(text, start);
        if (auto *error = std::get_if<Error>(&read))
            return *error;
        const EnvRef &ref = std::get<EnvRef>(read);
        std::optional<QString> value = lookup ? lookup(ref.name) : std::nullopt;
        if (ref.fallback && (!value || value->isEmpty()))
            value = ref.fallback;
        if (!value)
            return Error{QStringLiteral("environment variable %1 is not set").arg(ref.name), start};
        out += QStringView(text).sliced(pos, start - pos);
        out += *value;
        pos = ref.end;
    }
    out += QStringView(text).sliced(pos);
    return out;
}

EnvLookup processEnvironment()
{
    return [](const QString &name) -> std::optional<QString> {
        const QByteArray key = name.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(key.constData()))
            return std::nullopt;
        return qEnvironmentVariable(key.constData());
    };
}

QStringList envNames(const QString &text)
{
    QStringList names;
    qsizetype pos = 0;
    while (true) {
        const qsizetype start = text.indexOf(kPrefix, pos);
        if (start < 0)
            break;
        auto read = readRef(text, start);
        if (const auto *ref = std::get_if<EnvRef>(&read)) {
            if (!names.contains(ref->name))
                names.append(ref->name);
            pos = ref->end;
        } else {
            pos = start + kPrefix.size();
        }
    }
    return names;
}

bool containsEnv(const QString &text)
{
    return text.contains(kPrefix);
}

} // namespace runlane::expr
