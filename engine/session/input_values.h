#pragma once

#include "engine/playbook/playbook.h"

#include <QHash>
#include <QJsonObject>

#include <variant>

namespace runlane {

struct InputProblem
{
    QString input; // the input's name
    QString message;
};

// A value typed in by a person (CLI argument, form field) turned into the input's type:
// numbers, true/false (also yes/no), a JSON array for a list. Checks are left to checkInputs.
std::variant<QJsonValue, QString> parseInputText(const Input &input, const QString &text);

// Applies defaults and checks every value against its input (type, pattern, min/max, choices);
// unknown names and missing required inputs are problems too. All problems are reported at once.
std::variant<QJsonObject, QList<InputProblem>> checkInputs(const Playbook &playbook,
                                                           const QJsonObject &given);

} // namespace runlane
