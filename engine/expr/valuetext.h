#pragma once

#include <QJsonValue>
#include <QString>

// How values read by expressions and templates are shown as text.
namespace runlane::expr {

// A number as text. Integral values up to 2^53 (beyond that doubles skip integers) print as
// integers, without a decimal point or exponent: 42, -7, 1700000000000. Anything else takes the
// shortest form that reads back as the same double: 0.25, 0.1, 1e+20, 1.5e-07.
QString numberText(double number);

// A value as a template inserts it: a string as is, a number by numberText(), true/false,
// null as the empty string, a list or an object as compact JSON.
QString valueText(const QJsonValue &value);

// A value for an error message, with its kind: "number 3", "string 'abc'", "true", "null",
// "list [1,2]", "object {\"a\":1}". Long text is cut short with "...".
QString describeValue(const QJsonValue &value);

// The kind as a noun phrase: "a number", "a string", "a bool", "null", "a list", "an object".
QString kindOf(const QJsonValue &value);

} // namespace runlane::expr
