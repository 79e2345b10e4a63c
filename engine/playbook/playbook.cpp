#include "engine/playbook/playbook.h"

#include <QRegularExpression>

#include <array>

namespace runlane {

namespace {

template<class E, size_t N> QString nameOf(E value, const std::array<const char16_t *, N> &names)
{
    const auto index = size_t(value);
    return index < N ? QString::fromUtf16(names[index]) : QString();
}

template<class E, size_t N>
std::optional<E> valueOf(const QString &text, const std::array<const char16_t *, N> &names)
{
    for (size_t i = 0; i < N; ++i) {
        if (text == QStringView(names[i]))
            return E(i);
    }
    return std::nullopt;
}

constexpr std::array<const char16_t *, 7> stepTypeNames{u"task", u"decision", u"check", u"action",
                                                        u"wait", u"escalate", u"end"};
constexpr std::array<const char16_t *, 8> targetKindNames{
    u"prometheus", u"alertmanager", u"torchserve", u"triton",
    u"kubernetes", u"pagerduty",    u"slack",      u"http"};
constexpr std::array<const char16_t *, 5> inputTypeNames{u"string", u"number", u"boolean",
                                                         u"choice", u"list"};
constexpr std::array<const char16_t *, 5> outcomeNames{u"resolved", u"mitigated", u"escalated",
                                                       u"false-alarm", u"aborted"};
constexpr std::array<const char16_t *, 4> severityNames{u"sev1", u"sev2", u"sev3", u"sev4"};
constexpr std::array<const char16_t *, 8> wayKindNames{
    u"next", u"option", u"when", u"else", u"no_data", u"on_error", u"on_failure", u"on_timeout"};

} // namespace

QString toString(StepType type)
{
    return nameOf(type, stepTypeNames);
}
QString toString(TargetKind kind)
{
    return nameOf(kind, targetKindNames);
}
QString toString(InputType type)
{
    return nameOf(type, inputTypeNames);
}
QString toString(Outcome outcome)
{
    return nameOf(outcome, outcomeNames);
}
QString toString(Step::Way::Kind kind)
{
    return nameOf(kind, wayKindNames);
}
QString toString(Severity severity)
{
    return nameOf(severity, severityNames);
}

std::optional<StepType> stepTypeFromString(const QString &t)
{
    return valueOf<StepType>(t, stepTypeNames);
}
std::optional<TargetKind> targetKindFromString(const QString &t)
{
    return valueOf<TargetKind>(t, targetKindNames);
}
std::optional<InputType> inputTypeFromString(const QString &t)
{
    return valueOf<InputType>(t, inputTypeNames);
}
std::optional<Outcome> outcomeFromString(const QString &t)
{
    return valueOf<Outcome>(t, outcomeNames);
}
std::optional<Severity> severityFromString(const QString &t)
{
    return valueOf<Severity>(t, severityNames);
}

std::optional<Duration> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double factor = 1;
    if (unit == u"s")
        factor = 1000;
    else if (unit == u"m")
        factor = 60'000;
    else if (unit == u"h")
        factor = 3'600'000;
    else if (unit == u"d")
        factor = 86'400'000;
    const double ms = number * factor;
    if (ms > 365.0 * 86'400'000)
        return std::nullopt; // longer than a year is a typo, not a playbook timeout
    return Duration{qint64(ms)};
}

QString formatDuration(Duration duration)
{
    const qint64 ms = duration.ms;
    if (ms % 86'400'000 == 0 && ms != 0)
        return QStringLiteral("%1d").arg(ms / 86'400'000);
    if (ms % 3'600'000 == 0 && ms != 0)
        return QStringLiteral("%1h").arg(ms / 3'600'000);
    if (ms % 60'000 == 0 && ms != 0)
        return QStringLiteral("%1m").arg(ms / 60'000);
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

QList<Step::Way> Step::ways() const
{
    using K = Way::Kind;
    QList<Way> result;
    auto add = [&result](K kind, const QString &label, const LString &to) {
        if (to.present && !to.value.isEmpty() && to.value != u"ask")
            result.append({kind, label, to.value, to.pos});
    };
    switch (type.value) {
    case StepType::Task:
    case StepType::Escalate:
        add(K::Next, QString(), next);
        break;
    case StepType::Decision:
        for (const Option &option : options)
            add(K::Option, option.label.value, option.next);
        break;
    case StepType::Check:
        for (const Branch &branch : when)
            add(K::When, branch.condition.value, branch.next);
        add(K::Else, QStringLiteral("else"), elseNext);
        add(K::NoData, QStringLiteral("no data"), noData);
        add(K::OnError, QStringLiteral("error"), onError);
        break;
    case StepType::Action:
        add(K::Next, QString(), next);
        add(K::OnFailure, QStringLiteral("on failure"), onFailure);
        break;
    case StepType::Wait:
        add(K::Next, QString(), next);
        add(K::OnTimeout, QStringLiteral("on timeout"), onTimeout);
        break;
    case StepType::End:
        break;
    }
    return result;
}

const Step *Playbook::step(const QString &stepId) const
{
    for (const Step &s : steps) {
        if (s.id.value == stepId)
            return &s;
    }
    return nullptr;
}

const Lane *Playbook::lane(const QString &laneId) const
{
    for (const Lane &l : lanes) {
        if (l.id.value == laneId)
            return &l;
    }
    return nullptr;
}

const Input *Playbook::input(const QString &name) const
{
    for (const Input &i : inputs) {
        if (i.name.value == name)
            return &i;
    }
    return nullptr;
}

const Target *Playbook::target(const QString &name) const
{
    for (const Target &t : targets) {
        if (t.name.value == name)
            return &t;
    }
    return nullptr;
}

QString Playbook::laneOf(const Step &s) const
{
    if (s.lane.present)
        return s.lane.value;
    return lanes.isEmpty() ? QString() : lanes.front().id.value;
}

} // namespace runlane
