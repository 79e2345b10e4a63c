#include "engine/playbook/diagnostic_sink.h"

#include <QStringList>

#include <algorithm>
#include <vector>

namespace runlane {

void DiagnosticSink::error(SourcePos pos, const QString &message)
{
    m_diagnostics.append({m_file, pos, Diagnostic::Severity::Error, message});
    ++m_errors;
}

void DiagnosticSink::warning(SourcePos pos, const QString &message)
{
    m_diagnostics.append({m_file, pos, Diagnostic::Severity::Warning, message});
}

static int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(size_t(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[size_t(j)];
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[size_t(j)] = std::min({above + 1, row[size_t(j - 1)] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row.back();
}

QString suggestionFor(const QString &word, const QStringList &candidates)
{
    // Among thousands of names (a generated or hostile file) a guess is neither cheap nor useful.
    if (candidates.size() > 1000)
        return QString();
    QString best;
    int bestDistance = std::max<int>(2, int(word.size()) / 3) + 1;
    for (const QString &candidate : candidates) {
        const int d = editDistance(word.toLower(), candidate.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best.isEmpty() ? QString() : QStringLiteral("did you mean '%1'?").arg(best);
}

} // namespace runlane
