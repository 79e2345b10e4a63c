#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Questions asked on the terminal when runlane-cli runs interactively.
namespace terminal {

bool isInteractive(); // standard input and output are both terminals
// Prints the prompt and reads one line; nullopt at end of input.
std::optional<QString> ask(const QString &prompt);
// Offers numbered choices; accepts the number or the text itself. nullopt at end of input.
std::optional<QString> choose(const QString &question, const QStringList &choices);
bool confirm(const QString &question); // y/N

} // namespace terminal
