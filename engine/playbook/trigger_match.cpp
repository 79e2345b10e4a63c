#include "engine/playbook/trigger_match.h"

#include <algorithm>

namespace runlane {

namespace {

// Anchored so that /drift/ does not match "ModelInputDrift-old": the format says the whole value.
QRegularExpression compiledPattern(const QString &pattern)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

bool patternMatches(const QRegularExpression &re, const QString &actual)
{
    return re.isValid() && re.match(actual).hasMatch();
}

} // namespace

std::optional<QString> triggerPatternOf(const QString &value)
{
    // At least the two slashes; the validator reads patterns through this too.
    if (value.size() >= 2 && value.startsWith(u'/') && value.endsWith(u'/'))
        return value.mid(1, value.size() - 2);
    return std::nullopt;
}

bool triggerValueMatches(const QString &written, const QString &actual)
{
    if (const std::optional<QString> pattern = triggerPatternOf(written))
        return patternMatches(compiledPattern(*pattern), actual);
    return written == actual;
}

bool triggerMatches(const Trigger &trigger, const AlertLabels &labels)
{
    if (trigger.labels.isEmpty())
        return false;
    return std::all_of(trigger.labels.cbegin(), trigger.labels.cend(), [&](const auto &label) {
        const auto found = labels.constFind(label.first.value);
        return found != labels.cend() && triggerValueMatches(label.second.value, *found);
    });
}

PlaybookMatcher::PlaybookMatcher(const Library &library)
{
    for (const LoadResult &entry : library.entries) {
        if (!entry.playbook || entry.playbook->triggers.isEmpty())
            continue;
        Candidate candidate{&entry, {}};
        for (const Trigger &trigger : entry.playbook->triggers) {
            if (trigger.labels.isEmpty())
                continue;
            QList<Label> labels;
            for (const auto &[name, value] : trigger.labels) {
                Label label{name.value, value.value, std::nullopt};
                if (const std::optional<QString> pattern = triggerPatternOf(value.value)) {
                    label.pattern = compiledPattern(*pattern);
                    label.pattern->optimize();
                }
                labels.append(label);
            }
            candidate.triggers.append(labels);
        }
        if (!candidate.triggers.isEmpty())
            m_candidates.append(candidate);
    }
}

bool PlaybookMatcher::matches(const Label &label, const AlertLabels &labels)
{
    const auto found = labels.constFind(label.name);
    if (found == labels.cend())
        return false;
    return label.pattern ? patternMatches(*label.pattern, *found) : label.exact == *found;
}

QList<PlaybookMatch> PlaybookMatcher::match(const AlertLabels &labels) const
{
    QList<PlaybookMatch> found;
    for (const Candidate &candidate : m_candidates) {
        int best = 0;
        for (const QList<Label> &trigger : candidate.triggers) {
            const bool all = std::all_of(trigger.cbegin(), trigger.cend(),
                                         [&](const Label &l) { return matches(l, labels); });
            if (all)
                best = std::max(best, int(trigger.size()));
        }
        if (best > 0)
            found.append({candidate.entry, best});
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const PlaybookMatch &a, const PlaybookMatch &b) {
                         return a.labelsMatched > b.labelsMatched;
                     });
    return found;
}

QList<PlaybookMatch> matchingPlaybooks(const Library &library, const AlertLabels &labels)
{
    return PlaybookMatcher(library).match(labels);
}

} // namespace runlane
