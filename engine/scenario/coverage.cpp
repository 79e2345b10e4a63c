#include "engine/scenario/coverage.h"

namespace runlane {

namespace {

QString key(const QString &from, const QString &to)
{
    return from + u'\n' + to;
}

double percent(qsizetype covered, qsizetype total)
{
    return total == 0 ? 100.0 : 100.0 * double(covered) / double(total);
}

} // namespace

Coverage::Coverage(const Playbook &playbook)
{
    QSet<QString> ids;
    for (const Step &step : playbook.steps) {
        m_steps.append(step.id.value);
        ids.insert(step.id.value);
    }
    QSet<QString> seen;
    for (const Step &step : playbook.steps) {
        for (const Step::Way &way : step.ways()) {
            // A way to a step that does not exist is the validator's to report, not a branch.
            if (!ids.contains(way.next) || seen.contains(key(step.id.value, way.next)))
                continue;
            seen.insert(key(step.id.value, way.next));
            m_branches.append({step.id.value, way.next});
        }
    }
}

void Coverage::addPath(const QStringList &path)
{
    for (qsizetype i = 0; i < path.size(); ++i) {
        m_coveredSteps.insert(path.at(i));
        if (i > 0)
            m_coveredBranches.insert(key(path.at(i - 1), path.at(i)));
    }
}

qsizetype Coverage::coveredStepCount() const
{
    return std::count_if(m_steps.cbegin(), m_steps.cend(),
                         [this](const QString &id) { return m_coveredSteps.contains(id); });
}

qsizetype Coverage::coveredBranchCount() const
{
    return std::count_if(m_branches.cbegin(), m_branches.cend(),
                         [this](const auto &b) { return isCovered(b.first, b.second); });
}

double Coverage::stepPercent() const
{
    return percent(coveredStepCount(), stepCount());
}

double Coverage::branchPercent() const
{
    return percent(coveredBranchCount(), branchCount());
}

bool Coverage::isCovered(const QString &from, const QString &to) const
{
    return m_coveredBranches.contains(key(from, to));
}

QStringList Coverage::uncoveredSteps() const
{
    QStringList left;
    for (const QString &id : m_steps) {
        if (!m_coveredSteps.contains(id))
            left.append(id);
    }
    return left;
}

QStringList Coverage::uncoveredBranches() const
{
    QStringList left;
    for (const auto &[from, to] : m_branches) {
        if (!isCovered(from, to))
            left.append(from + QStringLiteral(" → ") + to);
    }
    return left;
}

} // namespace runlane
