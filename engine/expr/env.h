#pragma once

#include "engine/expr/error.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>

// `${env:NAME}` and `${env:NAME:-default}` in a playbook's strings (playbook-format.md,
// "Targets"). They are resolved when an incident starts, in a step of their own; a resolved value
// is not scanned again. Resolve only text the playbook author wrote, never the output of a
// template: an input value "${env:FLEET_TOKEN}" rendered into a message must not become the token.
//
// NAME is `[A-Za-z_][A-Za-z0-9_]*`. The default runs to the first '}' and may be empty; like the
// shell's `:-`, it is used when the variable is unset or empty. There is no escape: `$${env:X}`
// is a '$' followed by a reference. Text that does not start with `${env:` (`$HOME`, `${X}`)
// stays as is. Text that does but is malformed is an Error, not literal text: an unclosed
// `${env:`, a missing or bad name, `${env:X:default}` (missing '-'), a '${' inside a default.
// Left as is, such a typo would be sent on as a token or a URL.
namespace runlane::expr {

// The value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<QString>(const QString &name)>;

// Every reference replaced by its value. A missing variable with no default is an Error
// "environment variable FLEET_TOKEN is not set" at the reference's '$'.
std::variant<QString, Error> resolveEnv(const QString &text, const EnvLookup &lookup);

// Reads this process's environment.
EnvLookup processEnvironment();

// The names the well-formed references use, each once, in order of first appearance; for the
// loader to list what an incident will need. Malformed references are skipped.
QStringList envNames(const QString &text);

// Whether the text holds `${env:` at all, well-formed or not, so that a caller resolving only
// such strings still reports the malformed ones.
bool containsEnv(const QString &text);

} // namespace runlane::expr
