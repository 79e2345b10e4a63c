#include "app/desktop/step_text.h"

namespace runlane::desktop {

QString StepText::severity(Severity severity)
{
    return toString(severity).toUpper();
}

// Plurals are chosen here rather than with "%n" so that the untranslated English reads well.
QString StepText::errors(int count)
{
    return count == 1 ? tr("1 error") : tr("%1 errors").arg(count);
}

QString StepText::warnings(int count)
{
    return count == 1 ? tr("1 warning") : tr("%1 warnings").arg(count);
}

QString StepText::steps(int count)
{
    return count == 1 ? tr("1 step") : tr("%1 steps").arg(count);
}

QString StepText::outcome(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Resolved:
        return tr("resolved");
    case Outcome::Mitigated:
        return tr("mitigated");
    case Outcome::Escalated:
        return tr("escalated");
    case Outcome::FalseAlarm:
        return tr("false alarm");
    case Outcome::Aborted:
        return tr("aborted");
    }
    return toString(outcome);
}

QString StepText::wayReason(const Step &, const Step::Way &way)
{
    using K = Step::Way::Kind;
    switch (way.kind) {
    case K::Next:
        return {};
    case K::Option:
        return tr("“%1”").arg(way.label);
    case K::When:
        return tr("if %1").arg(way.label);
    case K::Else:
        return tr("else");
    case K::NoData:
        return tr("no data");
    case K::OnError:
        return tr("on error");
    case K::OnFailure:
        return tr("on failure");
    case K::OnTimeout:
        return tr("on timeout");
    }
    return {};
}

QString StepText::way(const Step &step, const Step::Way &way)
{
    const QString reason = wayReason(step, way);
    if (reason.isEmpty())
        return tr("→ %1").arg(way.next);
    return tr("→ %1 (%2)").arg(way.next, reason);
}

QString StepText::ways(const Step &step)
{
    if (step.type.value == StepType::End) {
        if (!step.outcome.present)
            return tr("■ ends");
        return tr("■ ends: %1").arg(outcome(step.outcome.value));
    }
    QStringList lines;
    for (const Step::Way &w : step.ways())
        lines.append(way(step, w));
    return lines.join(QLatin1Char('\n'));
}

} // namespace runlane::desktop
