#pragma once

#include <QString>

namespace runlane::expr {

// What went wrong in an expression, a template or an `${env:...}` string, and where.
// The offset is a QString index (UTF-16 code units) into the text that was parsed or evaluated;
// the loader turns it into a line and column of the playbook file.
struct Error
{
    QString message;      // what is wrong and what was expected
    qsizetype offset = 0; // 0-based index into the source text where the problem is
};

} // namespace runlane::expr
