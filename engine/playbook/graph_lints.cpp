#include "engine/playbook/graph_lints.h"

#include <QHash>
#include <QSet>

namespace runlane {

namespace {

QSet<QString> reachableFrom(const QStringList &starts, const QHash<QString, QStringList> &edges)
{
    QSet<QString> seen;
    QStringList stack = starts;
    while (!stack.isEmpty()) {
        const QString id = stack.takeLast();
        if (seen.contains(id))
            continue;
        seen.insert(id);
        for (const QString &next : edges.value(id))
            stack.append(next);
    }
    return seen;
}

} // namespace

void lintGraph(const Playbook &playbook, DiagnosticSink &sink)
{
    QHash<QString, QStringList> forward;
    QHash<QString, QStringList> backward;
    QStringList ends;
    QSet<QString> ids;
    for (const Step &step : playbook.steps)
        ids.insert(step.id.value);
    for (const Step &step : playbook.steps) {
        if (!step.id.present)
            continue;
        if (step.type.present && step.type.value == StepType::End)
            ends.append(step.id.value);
        for (const Step::Way &way : step.ways()) {
            if (!ids.contains(way.next))
                continue;
            forward[step.id.value].append(way.next);
            backward[way.next].append(step.id.value);
        }
    }

    if (playbook.start.present && ids.contains(playbook.start.value)) {
        const QSet<QString> reachable = reachableFrom({playbook.start.value}, forward);
        for (const Step &step : playbook.steps) {
            if (step.id.present && !reachable.contains(step.id.value))
                sink.warning(step.id.pos, QStringLiteral("step '%1' cannot be reached from the "
                                                         "start step '%2'")
                                              .arg(step.id.value, playbook.start.value));
        }
    }

    const QSet<QString> canEnd = reachableFrom(ends, backward);
    for (const Step &step : playbook.steps) {
        if (step.id.present && step.type.present && !canEnd.contains(step.id.value))
            sink.warning(step.id.pos, QStringLiteral("no end step can be reached from step '%1'; "
                                                     "an incident there could never finish")
                                          .arg(step.id.value));
    }

    for (const Step &step : playbook.steps) {
        if (!step.type.present)
            continue;
        if (step.type.value == StepType::Decision) {
            QHash<QString, SourcePos> labels;
            for (const Option &option : step.options) {
                if (!option.label.present)
                    continue;
                if (labels.contains(option.label.value))
                    sink.warning(option.label.pos,
                                 QStringLiteral("step '%1' has two options labelled '%2'; the "
                                                "engineer cannot tell them apart")
                                     .arg(step.id.value, option.label.value));
                labels.insert(option.label.value, option.label.pos);
            }
        }
        if (step.type.value == StepType::Check) {
            const bool namedWay = step.elseNext.present ||
                                  (step.noData.present && step.noData.value != u"ask") ||
                                  (step.onError.present && step.onError.value != u"ask");
            if (!namedWay)
                sink.warning(
                    step.id.pos,
                    QStringLiteral("check '%1' has no 'else', 'no_data' or 'on_error': when "
                                   "no branch holds, or the read fails, it stops and asks "
                                   "the engineer")
                        .arg(step.id.value));
            if (step.ways().isEmpty())
                sink.error(step.id.pos, QStringLiteral("check '%1' has no way on at all; give it "
                                                       "'when' branches and an 'else'")
                                            .arg(step.id.value));
        }
        if (step.type.value == StepType::Wait && step.until && !step.onTimeout.present)
            sink.warning(step.id.pos, QStringLiteral("wait '%1' polls 'until' but has no "
                                                     "'on_timeout': when its timeout runs out, the "
                                                     "engineer must choose the way on")
                                          .arg(step.id.value));
    }
}

} // namespace runlane
