#pragma once

#include <QString>

namespace runlane::expr {

// Where a template's substituted value lands, and so how it is escaped. Literal text around
// the placeholders is never escaped: the playbook author wrote it for that place.
enum class Escape {
    None,        // as is
    PathSegment, // percent-encode all but RFC 3986 unreserved (A-Z a-z 0-9 - . _ ~), so a '/'
                 // in a value cannot change the path; "." and ".." become %2E and %2E%2E
    QueryValue,  // percent-encode all but unreserved: space is %20; & = + # are encoded
    JsonString,  // as inside a JSON string literal, without the quotes: \" \\ \n \r \t \b \f,
                 // other control characters as \u00XX; everything else as is
};

QString escaped(const QString &text, Escape escape);

} // namespace runlane::expr
