#include "engine/playbook/diagnostic.h"

#include <algorithm>

namespace runlane {

QString Diagnostic::toString() const
{
    const QString kind = isError() ? QStringLiteral("error") : QStringLiteral("warning");
    return QStringLiteral("%1:%2:%3: %4: %5")
        .arg(file)
        .arg(std::max(pos.line, 1))
        .arg(std::max(pos.column, 1))
        .arg(kind, message);
}

void sortDiagnostics(Diagnostics &diagnostics)
{
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic &a, const Diagnostic &b) {
                         if (a.file != b.file)
                             return a.file < b.file;
                         if (a.pos != b.pos)
                             return a.pos < b.pos;
                         return a.isError() && !b.isError();
                     });
}

bool hasErrors(const Diagnostics &diagnostics)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic &d) { return d.isError(); });
}

int countOf(const Diagnostics &diagnostics, Diagnostic::Severity severity)
{
    return int(std::count_if(diagnostics.begin(), diagnostics.end(),
                             [severity](const Diagnostic &d) { return d.severity == severity; }));
}

} // namespace runlane
