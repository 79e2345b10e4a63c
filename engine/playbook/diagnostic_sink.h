#pragma once

#include "engine/playbook/diagnostic.h"

namespace runlane {

// Collects the diagnostics of one file as loading and validation find them.
class DiagnosticSink
{
public:
    explicit DiagnosticSink(QString file)
        : m_file(std::move(file))
    {}

    void error(SourcePos pos, const QString &message);
    void warning(SourcePos pos, const QString &message);

    const QString &file() const { return m_file; }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    Diagnostics take() { return std::move(m_diagnostics); }
    bool hasErrors() const { return m_errors > 0; }

private:
    QString m_file;
    Diagnostics m_diagnostics;
    int m_errors = 0;
};

// "did you mean 'next'?" for a misspelt word, or an empty string when nothing is close.
QString suggestionFor(const QString &word, const QStringList &candidates);

} // namespace runlane
