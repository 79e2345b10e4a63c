#pragma once

#include <QList>
#include <QString>

namespace runlane {

// A place in a source file, 1-based like GCC's diagnostics; 0 means "not known".
struct SourcePos
{
    int line = 0;
    int column = 0;

    bool isValid() const { return line > 0; }
    friend bool operator==(const SourcePos &, const SourcePos &) = default;
    friend auto operator<=>(const SourcePos &, const SourcePos &) = default;
};

// An error or a warning with its position: produced in the engine, only displayed by the app.
struct Diagnostic
{
    enum class Severity { Error, Warning };

    QString file;
    SourcePos pos;
    Severity severity = Severity::Error;
    QString message;

    bool isError() const { return severity == Severity::Error; }
    // "FILE:LINE:COL: error|warning: message", the form editors and CI parse.
    QString toString() const;
};

using Diagnostics = QList<Diagnostic>;

// Sorted by file, then position; errors before warnings at the same place.
void sortDiagnostics(Diagnostics &diagnostics);
bool hasErrors(const Diagnostics &diagnostics);
int countOf(const Diagnostics &diagnostics, Diagnostic::Severity severity);

} // namespace runlane
