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

// Steps that go on by themselves: a loop made only of these would spin without a person or a
// wait in it, hammering the APIs it calls.
bool runsUnattended(const Step &step)
{
    if (!step.type.present)
        return false;
    switch (step.type.value) {
    case StepType::Check:
    case StepType::Escalate:
        return true;
    case StepType::Action:
        return !step.confirm.value;
    case StepType::Task:
    case StepType::Decision:
    case StepType::Wait:
    case StepType::End:
        break;
    }
    return false;
}

void lintUnattendedLoops(const Playbook &playbook, const QHash<QString, QStringList> &forward,
                         DiagnosticSink &sink)
{
    // Depth-first search over unattended steps only; an edge to a step still open closes a loop.
    // Iterative, so that a long chain of steps cannot exhaust the stack.
    enum class Mark { New, Open, Done };
    QHash<QString, Mark> marks;
    QSet<QString> reported;
    struct Frame
    {
        QString id;
        qsizetype nextWay = 0;
    };
    for (const Step &root : playbook.steps) {
        if (!root.id.present || !runsUnattended(root) || marks.contains(root.id.value))
            continue;
        QList<Frame> stack{{root.id.value}};
        marks.insert(root.id.value, Mark::Open);
        while (!stack.isEmpty()) {
            Frame &frame = stack.last();
            const QStringList &ways = forward[frame.id];
            if (frame.nextWay == ways.size()) {
                marks[frame.id] = Mark::Done;
                stack.removeLast();
                continue;
            }
            const QString nextId = ways[frame.nextWay++];
            const Step *next = playbook.step(nextId);
            if (!next || !runsUnattended(*next))
                continue;
            const Mark mark = marks.value(nextId, Mark::New);
            if (mark == Mark::Open && !reported.contains(nextId)) {
                reported.insert(nextId);
                sink.warning(next->id.pos,
                             QStringLiteral("step '%1' can loop back to itself through automated "
                                            "steps only; put a wait, a decision or a task in the "
                                            "loop so that it cannot spin")
                                 .arg(nextId));
            } else if (mark == Mark::New) {
                marks.insert(nextId, Mark::Open);
                stack.append({nextId});
            }
        }
    }
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
    lintUnattendedLoops(playbook, forward, sink);
}

} // namespace runlane
