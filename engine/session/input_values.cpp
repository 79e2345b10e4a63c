#include "engine/session/input_values.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace runlane {

std::variant<QJsonValue, QString> parseInputText(const Input &input, const QString &text)
{
    const QString t = text.trimmed();
    switch (input.type.value) {
    case InputType::Number: {
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return QStringLiteral("'%1' is not a number").arg(text);
        return QJsonValue(v);
    }
    case InputType::Boolean: {
        const QString lower = t.toLower();
        if (lower == u"true" || lower == u"yes" || lower == u"y")
            return QJsonValue(true);
        if (lower == u"false" || lower == u"no" || lower == u"n")
            return QJsonValue(false);
        return QStringLiteral("'%1' is not true or false").arg(text);
    }
    case InputType::List: {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isArray())
            return QStringLiteral("expected a JSON array of text, like [\"node-1\", \"node-2\"]");
        return QJsonValue(doc.array());
    }
    case InputType::String:
    case InputType::Choice:
        return QJsonValue(text);
    }
    return QJsonValue(text);
}

namespace {

std::optional<QString> problemWith(const Input &input, const QJsonValue &value)
{
    auto matchesPattern = [&input](const QString &text) {
        if (!input.pattern.present)
            return true;
        const QRegularExpression re(QStringLiteral("\\A(?:%1)\\z").arg(input.pattern.value));
        return re.isValid() && re.match(text).hasMatch();
    };
    switch (input.type.value) {
    case InputType::String:
        if (!value.isString())
            return QStringLiteral("expected text");
        if (!matchesPattern(value.toString()))
            return QStringLiteral("'%1' does not match the pattern %2")
                .arg(value.toString(), input.pattern.value);
        return std::nullopt;
    case InputType::Number:
        if (!value.isDouble())
            return QStringLiteral("expected a number");
        if (input.min.present && value.toDouble() < input.min.value)
            return QStringLiteral("%1 is below the minimum %2")
                .arg(value.toDouble())
                .arg(input.min.value);
        if (input.max.present && value.toDouble() > input.max.value)
            return QStringLiteral("%1 is above the maximum %2")
                .arg(value.toDouble())
                .arg(input.max.value);
        return std::nullopt;
    case InputType::Boolean:
        if (!value.isBool())
            return QStringLiteral("expected true or false");
        return std::nullopt;
    case InputType::Choice: {
        QStringList choices;
        for (const LString &c : input.choices)
            choices.append(c.value);
        if (!value.isString() || !choices.contains(value.toString()))
            return QStringLiteral("'%1' is not one of: %2")
                .arg(value.isString() ? value.toString() : QStringLiteral("(not text)"),
                     choices.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    case InputType::List:
        if (!value.isArray())
            return QStringLiteral("expected a list of text");
        for (const QJsonValue item : value.toArray()) {
            if (!item.isString())
                return QStringLiteral("expected a list of text");
            if (!matchesPattern(item.toString()))
                return QStringLiteral("item '%1' does not match the pattern %2")
                    .arg(item.toString(), input.pattern.value);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

std::variant<QJsonObject, QList<InputProblem>> checkInputs(const Playbook &playbook,
                                                           const QJsonObject &given)
{
    QList<InputProblem> problems;
    QJsonObject values;
    for (auto it = given.begin(); it != given.end(); ++it) {
        if (!playbook.input(it.key()))
            problems.append({it.key(), QStringLiteral("playbook '%1' has no input '%2'")
                                           .arg(playbook.id.value, it.key())});
    }
    for (const Input &input : playbook.inputs) {
        const QString name = input.name.value;
        QJsonValue value;
        if (given.contains(name))
            value = given.value(name);
        else if (input.defaultValue.present)
            value = input.defaultValue.value;
        else {
            problems.append({name, QStringLiteral("input '%1' is required").arg(name)});
            continue;
        }
        // A number or boolean default written as text in YAML still counts for a string input.
        if (input.type.value == InputType::String && (value.isDouble() || value.isBool()))
            value = value.toVariant().toString();
        if (const auto problem = problemWith(input, value))
            problems.append({name, QStringLiteral("input '%1': %2").arg(name, *problem)});
        else
            values.insert(name, value);
    }
    if (!problems.isEmpty())
        return problems;
    return values;
}

} // namespace runlane
