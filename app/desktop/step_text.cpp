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

QString StepText::wayReason(const Step &step, const Step::Way &way)
{
    // Step::ways() labels the fixed ways with these English words; the rest are the author's
    // option labels (decision) or conditions (check).
    if (way.label.isEmpty())
        return {};
    if (way.label == u"else")
        return tr("else");
    if (way.label == u"no data")
        return tr("no data");
    if (way.label == u"error")
        return tr("on error");
    if (way.label == u"on failure")
        return tr("on failure");
    if (way.label == u"on timeout")
        return tr("on timeout");
    if (step.type.value == StepType::Check)
        return tr("if %1").arg(way.label);
    return tr("“%1”").arg(way.label);
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
