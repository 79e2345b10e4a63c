#include "app/desktop/response_clocks.h"

#include <QCoreApplication>

namespace runlane::desktop {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ResponseClock", text);
}

} // namespace

QString toString(ResponseClock::Kind kind)
{
    switch (kind) {
    case ResponseClock::Kind::Step:
        return tr("Step");
    case ResponseClock::Kind::Acknowledge:
        return tr("Acknowledge");
    case ResponseClock::Kind::Mitigate:
        return tr("Mitigate");
    case ResponseClock::Kind::Resolve:
        return tr("Resolve");
    }
    return {};
}

QList<ResponseClock> responseClocks(const Session &session,
                                    const IncidentDriver::ResponseTimes &times, qint64 nowMs)
{
    QList<ResponseClock> clocks;
    if (session.outcome() || !session.current())
        return clocks;
    const Step &step = *session.current();
    if (step.timeout.present && !step.until && step.timeout.value.ms > 0)
        clocks.append({ResponseClock::Kind::Step, nowMs - session.stepEnteredAtMs(),
                       step.timeout.value.ms, false});
    const Budget &budget = session.playbook().budget;
    const auto add = [&](ResponseClock::Kind kind, const LDuration &limit,
                         const std::optional<qint64> &reachedAt) {
        if (!limit.present || limit.value.ms <= 0)
            return;
        clocks.append({kind, reachedAt.value_or(nowMs) - times.startedAtMs, limit.value.ms,
                       reachedAt.has_value()});
    };
    add(ResponseClock::Kind::Acknowledge, budget.acknowledge, times.acknowledgedAtMs);
    add(ResponseClock::Kind::Mitigate, budget.mitigate, times.mitigatedAtMs);
    add(ResponseClock::Kind::Resolve, budget.resolve, times.resolvedAtMs);
    return clocks;
}

QString durationText(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg((s % 3600) / 60, 2, 10, QChar(u'0'))
                           .arg(s % 60, 2, 10, QChar(u'0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
}

QString clockText(const ResponseClock &clock)
{
    if (clock.reached)
        return clock.over() ? tr("reached in %1, over %2 by %3")
                                  .arg(durationText(clock.elapsedMs), durationText(clock.limitMs),
                                       durationText(clock.elapsedMs - clock.limitMs))
                            : tr("reached in %1 of %2")
                                  .arg(durationText(clock.elapsedMs), durationText(clock.limitMs));
    if (clock.over())
        return tr("over by %1 (budget %2)")
            .arg(durationText(clock.elapsedMs - clock.limitMs), durationText(clock.limitMs));
    return tr("%1 of %2").arg(durationText(clock.elapsedMs), durationText(clock.limitMs));
}

} // namespace runlane::desktop
