#pragma once

#include "engine/playbook/playbook.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace runlane {

// Which steps and branches of a playbook the paths of its test cases take. A branch is a way from
// one step to another (Step::ways()); ways of one step that lead to the same step are one branch,
// as a path cannot tell them apart.
class Coverage
{
public:
    explicit Coverage(const Playbook &playbook);

    // A case's path: every step entered, in order.
    void addPath(const QStringList &path);

    qsizetype stepCount() const { return m_steps.size(); }
    qsizetype coveredStepCount() const;
    qsizetype branchCount() const { return m_branches.size(); }
    qsizetype coveredBranchCount() const;
    // Percentages, 100 when there is nothing to cover.
    double stepPercent() const;
    double branchPercent() const;

    // In the playbook's order; a branch as "from → to".
    QStringList uncoveredSteps() const;
    QStringList uncoveredBranches() const;
    const QSet<QString> &coveredSteps() const { return m_coveredSteps; }
    bool isCovered(const QString &from, const QString &to) const;

private:
    QStringList m_steps;
    QList<std::pair<QString, QString>> m_branches;
    QSet<QString> m_coveredSteps;
    QSet<QString> m_coveredBranches; // "from\nto"
};

} // namespace runlane
