#pragma once

#include "engine/playbook/library.h"

#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QString>

#include <optional>

// Which playbooks an alert suggests: a playbook's `triggers` are label maps, and one of them
// matches an alert when every label it names matches the alert's value of that label, exactly,
// or, for a value written /re/, as a regular expression over the whole value.
namespace runlane {

using AlertLabels = QMap<QString, QString>;

// The regular expression of a trigger value written /re/ (the text between the slashes), or
// nullopt for a plain value. The validator reports the patterns that do not compile.
std::optional<QString> triggerPatternOf(const QString &value);

// One trigger value against an alert's value: exact, or the pattern matching all of it. An
// invalid pattern matches nothing.
bool triggerValueMatches(const QString &written, const QString &actual);

// Every label of the trigger present in `labels` and matching. A trigger without labels matches
// nothing: it would otherwise suggest its playbook for every alert.
bool triggerMatches(const Trigger &trigger, const AlertLabels &labels);

// A playbook an alert suggests. Playbooks with errors are included (the app shows them and says
// why they cannot be run): `runnable()` tells.
struct PlaybookMatch
{
    const LoadResult *entry = nullptr; // into the library the matcher was built from
    int labelsMatched = 0;             // by its most specific trigger that matched

    bool runnable() const { return entry && entry->ok(); }
};

// The triggers of a library with their patterns compiled once, for matching many alerts. Keeps
// pointers into `library`, which must outlive it unchanged.
class PlaybookMatcher
{
public:
    PlaybookMatcher() = default;
    explicit PlaybookMatcher(const Library &library);

    // The playbooks with a trigger that matches, most specific first (more labels matched); equal
    // ones in library order.
    QList<PlaybookMatch> match(const AlertLabels &labels) const;

private:
    struct Label
    {
        QString name;
        QString exact;
        std::optional<QRegularExpression> pattern; // set for /re/, anchored; invalid ones too
    };
    struct Candidate
    {
        const LoadResult *entry = nullptr;
        QList<QList<Label>> triggers;
    };

    static bool matches(const Label &label, const AlertLabels &labels);

    QList<Candidate> m_candidates;
};

// The same for one alert, without keeping the matcher.
QList<PlaybookMatch> matchingPlaybooks(const Library &library, const AlertLabels &labels);

} // namespace runlane
