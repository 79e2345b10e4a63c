#pragma once

#include <QJsonObject>
#include <QString>

namespace runlane::expr {

// Names visible to expressions and templates: the top-level keys are root names
// (value, status, body, elapsed_ms, inputs, vars, incident, a fan-out's item name ...).
using Scope = QJsonObject;

// A name read by an expression or a template, e.g. `inputs.model` or `body.a.b[0]`.
// The loader uses these to check, before anything runs, that an input or a saved var exists.
struct NameRef
{
    QString root;         // "inputs"
    QString member;       // first member after the root ("model"); empty when none or an index
    QString text;         // the whole reference as written, e.g. "body.a.b[0]"
    qsizetype offset = 0; // 0-based position in the source text
};

} // namespace runlane::expr
