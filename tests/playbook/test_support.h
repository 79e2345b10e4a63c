#pragma once

#include "engine/playbook/diagnostic.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

// Helpers shared by the playbook loader and validator tests.
namespace runlane::test {

// A diagnostic without its file, as the test tables write it: "LINE:COL: error|warning: message".
QString describe(const Diagnostic &diagnostic);
QStringList describe(const Diagnostics &diagnostics);

// Compares diagnostics, in order, with expectations written "LINE:COL: severity: text", where the
// text must occur in the message. Returns an empty string when every diagnostic is expected and
// every expectation met, else a report of both lists for the failure message (with the source line
// of each diagnostic, when `text` is given).
QString mismatch(const Diagnostics &actual, const QStringList &expected,
                 const QByteArray &text = QByteArray());

// A valid playbook that uses every step type and most fields; line numbers are listed in
// test_support.cpp. It loads with no diagnostic at all.
QString basePlaybook();

// The base playbook with `from` (which must occur exactly once) replaced by `to`; an empty result
// when `from` does not occur exactly once (a typo in a test row).
QByteArray mutated(const QString &from, const QString &to);

// A short valid playbook: one task leading to one end, in the default lanes.
QByteArray minimalPlaybook();

} // namespace runlane::test
