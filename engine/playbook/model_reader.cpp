#include "engine/playbook/model_reader.h"

#include "engine/playbook/yaml_document.h"
#include "engine/playbook/yaml_map.h"

#include <QRegularExpression>

#include <cmath>

namespace runlane {

namespace {

QStringList keys(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *k : list)
        result.append(QString::fromLatin1(k));
    return result;
}

const QStringList &commonStepKeys()
{
    static const QStringList k = keys({"id", "type", "title", "lane", "body", "timeout"});
    return k;
}

// Keys each step type adds to the common ones.
QStringList stepKeysFor(StepType type)
{
    switch (type) {
    case StepType::Task:
        return keys({"checklist", "next"});
    case StepType::Decision:
        return keys({"options"});
    case StepType::Check:
        return keys({"query", "probe", "when", "else", "no_data", "on_error"});
    case StepType::Action:
        return keys({"call", "target", "with", "request", "confirm", "save", "next", "on_failure",
                     "fanout"});
    case StepType::Wait:
        return keys({"duration", "until", "next", "on_timeout"});
    case StepType::Escalate:
        return keys({"call", "target", "with", "request", "confirm", "next"});
    case StepType::End:
        return keys({"outcome"});
    }
    return {};
}

const QStringList &allStepKeys()
{
    static const QStringList all = [] {
        QStringList k = commonStepKeys();
        for (int t = 0; t <= int(StepType::End); ++t) {
            for (const QString &key : stepKeysFor(StepType(t))) {
                if (!k.contains(key))
                    k.append(key);
            }
        }
        return k;
    }();
    return all;
}

const QStringList &requestKeys()
{
    static const QStringList k = keys({"method", "path", "query", "headers", "body", "expect"});
    return k;
}

class Reader
{
public:
    Reader(Playbook &playbook, DiagnosticSink &sink)
        : m_playbook(playbook)
        , m_sink(sink)
    {}

    void read(const YAML::Node &root)
    {
        const YamlMap top(
            root, QStringLiteral("the playbook"),
            keys({"runlane", "id", "title", "summary", "severity", "owner", "tags", "triggers",
                  "budget", "lanes", "inputs", "targets", "start", "steps"}),
            m_sink);
        if (!top.isMap()) {
            if (!root.IsMap() && isNullNode(root))
                m_sink.error(positionOf(root), QStringLiteral("the playbook must be a YAML map"));
            return;
        }
        readVersion(top);
        m_playbook.id = top.text(QStringLiteral("id"), true);
        m_playbook.title = top.text(QStringLiteral("title"), true);
        m_playbook.summary = top.text(QStringLiteral("summary"));
        m_playbook.owner = top.text(QStringLiteral("owner"));
        m_playbook.tags = top.textList(QStringLiteral("tags"));
        m_playbook.start = top.text(QStringLiteral("start"), true);

        const LString severity = top.text(QStringLiteral("severity"));
        if (severity.present) {
            if (const auto s = severityFromString(severity.value))
                m_playbook.severity = {*s, severity.pos, true};
            else
                m_sink.error(severity.pos, QStringLiteral("unknown severity '%1'; expected sev1, "
                                                          "sev2, sev3 or sev4")
                                               .arg(severity.value));
        }
        readTriggers(top);
        readBudget(top);
        readLanes(top);
        readInputs(top);
        readTargets(top);
        readSteps(top);
    }

private:
    // `runlane: 1`. Anything but a whole number ("1" quoted, 1.5, a list) is reported here with
    // the version this reader supports; a whole number other than 1 is the validator's.
    void readVersion(const YamlMap &top)
    {
        const QString key = QStringLiteral("runlane");
        if (!top.has(key)) {
            top.missing(key);
            return;
        }
        const YAML::Node node = top.value(key);
        if (isNullNode(node)) {
            m_playbook.version.pos = top.keyPos(key);
            m_sink.error(top.keyPos(key),
                         QStringLiteral("'runlane' is empty; this Runlane reads 'runlane: 1'"));
            return;
        }
        const bool plain = node.IsScalar() && isPlainScalar(node);
        // NaN stands for "not a number": an optional here trips GCC's maybe-uninitialized at -O2.
        const double number =
            plain ? plainNumber(scalarText(node)).value_or(std::nan("")) : std::nan("");
        m_playbook.version.pos = positionOf(node);
        if (std::isfinite(number) && number == std::floor(number) && std::abs(number) <= 1e9) {
            m_playbook.version = {int(number), positionOf(node), true};
            return;
        }
        m_sink.error(positionOf(node),
                     QStringLiteral("unsupported format version %1%2; this Runlane reads "
                                    "'runlane: 1'")
                         .arg(kindOf(node), node.IsScalar() && !plain ? QStringLiteral(" (quoted "
                                                                                       "text)")
                                                                      : QString()));
    }

    void readTriggers(const YamlMap &top)
    {
        const YAML::Node node = top.value(QStringLiteral("triggers"));
        if (!node.IsDefined())
            return;
        if (!node.IsSequence()) {
            top.wrongKind(QStringLiteral("triggers"), node, QStringLiteral("a list of label maps"));
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->IsMap()) {
                m_sink.error(positionOf(*it),
                             QStringLiteral("a trigger must be a map of alert labels, like "
                                            "{alertname: ModelDrift}, not %1")
                                 .arg(kindOf(*it)));
                continue;
            }
            const YamlMap labels(*it, QStringLiteral("a trigger"), {}, m_sink);
            Trigger trigger;
            trigger.pos = labels.pos();
            for (const YamlMap::Entry &e : labels.entries()) {
                const LString value = labels.text(e.key);
                if (value.present)
                    trigger.labels.append({{e.key, positionOf(e.keyNode), true}, value});
            }
            m_playbook.triggers.append(trigger);
        }
    }

    void readBudget(const YamlMap &top)
    {
        if (!top.has(QStringLiteral("budget")))
            return;
        if (!top.value(QStringLiteral("budget")).IsMap()) {
            top.wrongKind(QStringLiteral("budget"), top.value(QStringLiteral("budget")),
                          QStringLiteral("a map of durations"));
            return;
        }
        const YamlMap budget(top.value(QStringLiteral("budget")), QStringLiteral("'budget'"),
                             keys({"acknowledge", "mitigate", "resolve"}), m_sink);
        m_playbook.budget.acknowledge = budget.duration(QStringLiteral("acknowledge"));
        m_playbook.budget.mitigate = budget.duration(QStringLiteral("mitigate"));
        m_playbook.budget.resolve = budget.duration(QStringLiteral("resolve"));
    }

    void readLanes(const YamlMap &top)
    {
        const YAML::Node node = top.value(QStringLiteral("lanes"));
        if (!node.IsDefined()) {
            m_playbook.lanes = {
                {{QStringLiteral("device"), {}, false}, {QStringLiteral("Device"), {}, false}},
                {{QStringLiteral("node"), {}, false}, {QStringLiteral("Edge node"), {}, false}},
                {{QStringLiteral("control-plane"), {}, false},
                 {QStringLiteral("Control plane"), {}, false}}};
            return;
        }
        if (!node.IsSequence() || node.size() == 0) {
            top.wrongKind(QStringLiteral("lanes"), node,
                          QStringLiteral("a non-empty list of lanes"));
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->IsMap()) {
                m_sink.error(positionOf(*it), QStringLiteral("a lane must be a map with 'id' and "
                                                             "'title', not %1")
                                                  .arg(kindOf(*it)));
                continue;
            }
            const YamlMap lane(*it, QStringLiteral("a lane"), keys({"id", "title"}), m_sink);
            Lane l;
            l.id = lane.text(QStringLiteral("id"), true);
            l.title = lane.text(QStringLiteral("title"), true);
            m_playbook.lanes.append(l);
        }
    }

    void readInputs(const YamlMap &top)
    {
        if (!top.has(QStringLiteral("inputs")))
            return;
        const YamlMap inputs(top.value(QStringLiteral("inputs")), QStringLiteral("'inputs'"), {},
                             m_sink);
        if (!inputs.isMap()) {
            if (!isNullNode(top.value(QStringLiteral("inputs"))))
                return; // YamlMap reported it
            return;
        }
        for (const YamlMap::Entry &e : inputs.entries()) {
            const QString what = QStringLiteral("input '%1'").arg(e.key);
            const YamlMap map(
                e.value, what,
                keys({"prompt", "type", "default", "pattern", "min", "max", "choices"}), m_sink);
            if (!map.isMap()) {
                if (isNullNode(e.value))
                    m_sink.error(positionOf(e.keyNode),
                                 QStringLiteral("%1 needs at least a 'prompt'").arg(what));
                continue;
            }
            Input input;
            input.name = {e.key, positionOf(e.keyNode), true};
            input.pos = map.pos();
            input.prompt = map.text(QStringLiteral("prompt"));
            const LString type = map.text(QStringLiteral("type"));
            input.type = {InputType::String, type.pos, type.present};
            if (type.present) {
                if (const auto t = inputTypeFromString(type.value))
                    input.type.value = *t;
                else
                    m_sink.error(type.pos, QStringLiteral("unknown input type '%1' in %2; expected "
                                                          "string, number, boolean, choice or list")
                                               .arg(type.value, what));
            }
            input.defaultValue = map.json(QStringLiteral("default"));
            input.pattern = map.text(QStringLiteral("pattern"));
            input.min = map.number(QStringLiteral("min"));
            input.max = map.number(QStringLiteral("max"));
            input.choices = map.textList(QStringLiteral("choices"));
            m_playbook.inputs.append(input);
        }
    }

    void readAuth(const YamlMap &target, Target &t)
    {
        if (!target.has(QStringLiteral("auth")))
            return;
        const QString what = QStringLiteral("the auth of target '%1'").arg(t.name.value);
        const YamlMap auth(target.value(QStringLiteral("auth")), what,
                           keys({"bearer", "basic", "header"}), m_sink);
        if (!auth.isMap())
            return;
        t.auth.pos = auth.pos();
        int kinds = 0;
        if (auth.has(QStringLiteral("bearer"))) {
            ++kinds;
            t.auth.kind = Auth::Kind::Bearer;
            t.auth.bearer = auth.text(QStringLiteral("bearer"), true);
        }
        if (auth.has(QStringLiteral("basic"))) {
            ++kinds;
            t.auth.kind = Auth::Kind::Basic;
            if (auth.value(QStringLiteral("basic")).IsMap()) {
                const YamlMap basic(
                    auth.value(QStringLiteral("basic")),
                    QStringLiteral("the basic auth of target '%1'").arg(t.name.value),
                    keys({"user", "password"}), m_sink);
                t.auth.user = basic.text(QStringLiteral("user"), true);
                t.auth.password = basic.text(QStringLiteral("password"), true);
            } else {
                auth.wrongKind(QStringLiteral("basic"), auth.value(QStringLiteral("basic")),
                               QStringLiteral("a map with 'user' and 'password'"));
            }
        }
        if (auth.has(QStringLiteral("header"))) {
            ++kinds;
            t.auth.kind = Auth::Kind::Header;
            if (auth.value(QStringLiteral("header")).IsMap()) {
                const YamlMap header(
                    auth.value(QStringLiteral("header")),
                    QStringLiteral("the header auth of target '%1'").arg(t.name.value),
                    keys({"name", "value"}), m_sink);
                t.auth.headerName = header.text(QStringLiteral("name"), true);
                t.auth.headerValue = header.text(QStringLiteral("value"), true);
            } else {
                auth.wrongKind(QStringLiteral("header"), auth.value(QStringLiteral("header")),
                               QStringLiteral("a map with 'name' and 'value'"));
            }
        }
        if (kinds != 1)
            m_sink.error(auth.pos(), QStringLiteral("%1 must have exactly one of 'bearer', 'basic' "
                                                    "or 'header'")
                                         .arg(what));
    }

    void readTargets(const YamlMap &top)
    {
        if (!top.has(QStringLiteral("targets")))
            return;
        const YamlMap targets(top.value(QStringLiteral("targets")), QStringLiteral("'targets'"), {},
                              m_sink);
        if (!targets.isMap())
            return;
        for (const YamlMap::Entry &e : targets.entries()) {
            const QString what = QStringLiteral("target '%1'").arg(e.key);
            const YamlMap map(
                e.value, what,
                keys({"kind", "url", "auth", "timeout", "retry", "tls", "routing_key"}), m_sink);
            if (!map.isMap()) {
                if (isNullNode(e.value))
                    m_sink.error(positionOf(e.keyNode),
                                 QStringLiteral("%1 needs 'kind' and 'url'").arg(what));
                continue;
            }
            Target t;
            t.name = {e.key, positionOf(e.keyNode), true};
            t.pos = map.pos();
            const LString kind = map.text(QStringLiteral("kind"), true);
            t.kind = {TargetKind::Http, kind.pos, false};
            if (kind.present) {
                if (const auto k = targetKindFromString(kind.value))
                    t.kind = {*k, kind.pos, true};
                else
                    m_sink.error(kind.pos,
                                 QStringLiteral("unknown target kind '%1' in %2; expected one of: "
                                                "prometheus, alertmanager, torchserve, triton, "
                                                "kubernetes, pagerduty, slack, http")
                                     .arg(kind.value, what));
            }
            t.url = map.text(QStringLiteral("url"), true);
            readAuth(map, t);
            if (const LDuration timeout = map.duration(QStringLiteral("timeout")); timeout.present)
                t.timeoutMs = timeout.value.ms;
            if (map.has(QStringLiteral("retry"))) {
                const YamlMap retry(map.value(QStringLiteral("retry")),
                                    QStringLiteral("the retry of %1").arg(what),
                                    keys({"attempts", "backoff", "max_backoff"}), m_sink);
                if (const auto a = retry.integer(QStringLiteral("attempts")); a.present) {
                    t.retry.attempts = a.value;
                    if (a.value < 1 || a.value > 10)
                        m_sink.error(a.pos, QStringLiteral("'attempts' in the retry of %1 must be "
                                                           "from 1 to 10, not %2")
                                                .arg(what)
                                                .arg(a.value));
                }
                if (const auto b = retry.duration(QStringLiteral("backoff")); b.present)
                    t.retry.backoffMs = b.value.ms;
                if (const auto m = retry.duration(QStringLiteral("max_backoff")); m.present)
                    t.retry.maxBackoffMs = m.value.ms;
            }
            if (map.has(QStringLiteral("tls"))) {
                const YamlMap tls(map.value(QStringLiteral("tls")),
                                  QStringLiteral("the tls of %1").arg(what), keys({"verify", "ca"}),
                                  m_sink);
                if (const auto v = tls.boolean(QStringLiteral("verify")); v.present)
                    t.tls.verify = v.value;
                t.tls.ca = tls.text(QStringLiteral("ca"));
            }
            t.routingKey = map.text(QStringLiteral("routing_key"));
            m_playbook.targets.append(t);
        }
    }

    void readSteps(const YamlMap &top)
    {
        const YAML::Node node = top.value(QStringLiteral("steps"));
        if (!node.IsDefined()) {
            if (top.isMap() && !top.has(QStringLiteral("steps")))
                top.missing(QStringLiteral("steps"));
            return;
        }
        if (!node.IsSequence() || node.size() == 0) {
            top.wrongKind(QStringLiteral("steps"), node,
                          QStringLiteral("a non-empty list of steps"));
            return;
        }
        // A Step is large: growing the list by doubling copied and over-allocated megabytes.
        m_playbook.steps.reserve(qsizetype(node.size()));
        int index = 0;
        for (auto it = node.begin(); it != node.end(); ++it)
            readStep(*it, ++index);
    }

    void readStep(const YAML::Node &node, int index)
    {
        // Name the step by its id when it has one, so messages read "in step 'first'".
        QString what = QStringLiteral("step %1").arg(index);
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar()) {
                    what = QStringLiteral("step '%1'").arg(scalarText(it->second));
                    break;
                }
            }
        }
        const YamlMap map(node, what, allStepKeys(), m_sink);
        if (!map.isMap()) {
            if (isNullNode(node))
                m_sink.error(positionOf(node), QStringLiteral("%1 is empty; a step needs 'id', "
                                                              "'type' and 'title'")
                                                   .arg(what));
            return;
        }
        Step step;
        step.pos = map.pos();
        step.id = map.text(QStringLiteral("id"), true);
        step.title = map.text(QStringLiteral("title"), true);
        step.lane = map.text(QStringLiteral("lane"));
        step.body = map.text(QStringLiteral("body"));
        step.timeout = map.duration(QStringLiteral("timeout"));

        const LString type = map.text(QStringLiteral("type"), true);
        if (!type.present) {
            m_playbook.steps.append(step);
            return;
        }
        const auto stepType = stepTypeFromString(type.value);
        if (!stepType) {
            const QString hint = suggestionFor(
                type.value,
                keys({"task", "decision", "check", "action", "wait", "escalate", "end"}));
            m_sink.error(type.pos,
                         QStringLiteral("unknown step type '%1' in %2; %3")
                             .arg(type.value, what,
                                  hint.isEmpty() ? QStringLiteral("expected task, decision, "
                                                                  "check, action, wait, "
                                                                  "escalate or end")
                                                 : hint));
            m_playbook.steps.append(step);
            return;
        }
        step.type = {*stepType, type.pos, true};

        // Keys of other step types: a clearer message than "unknown key".
        const QString aStep =
            QStringLiteral("%1 %2 step")
                .arg(QStringView(u"aeiou").contains(type.value.front()) ? QStringLiteral("an")
                                                                        : QStringLiteral("a"),
                     type.value);
        const QStringList allowed = commonStepKeys() + stepKeysFor(*stepType);
        for (const YamlMap::Entry &e : map.entries()) {
            if (allStepKeys().contains(e.key) && !allowed.contains(e.key))
                m_sink.error(positionOf(e.keyNode),
                             QStringLiteral("'%1' does not belong in %2, %3; %3 takes: %4")
                                 .arg(e.key, what, aStep,
                                      stepKeysFor(*stepType).join(QStringLiteral(", "))));
        }

        switch (*stepType) {
        case StepType::Task:
            step.checklist = map.textList(QStringLiteral("checklist"));
            step.next = map.text(QStringLiteral("next"), true);
            break;
        case StepType::Decision:
            readOptions(map, step);
            break;
        case StepType::Check:
            readRead(map, step.read, what, true);
            readWhen(map, step);
            step.elseNext = map.text(QStringLiteral("else"));
            step.noData = map.text(QStringLiteral("no_data"));
            step.onError = map.text(QStringLiteral("on_error"));
            break;
        case StepType::Action:
        case StepType::Escalate:
            readCall(map, step, what);
            step.next = map.text(QStringLiteral("next"), true);
            if (*stepType == StepType::Action) {
                step.onFailure = map.text(QStringLiteral("on_failure"));
                readSave(map, step, what);
                readFanout(map, step, what);
            }
            break;
        case StepType::Wait:
            step.duration = map.duration(QStringLiteral("duration"));
            readUntil(map, step, what);
            step.next = map.text(QStringLiteral("next"), true);
            step.onTimeout = map.text(QStringLiteral("on_timeout"));
            break;
        case StepType::End: {
            const LString outcome = map.text(QStringLiteral("outcome"), true);
            if (outcome.present) {
                if (const auto o = outcomeFromString(outcome.value))
                    step.outcome = {*o, outcome.pos, true};
                else
                    m_sink.error(outcome.pos, QStringLiteral("unknown outcome '%1' in %2; expected "
                                                             "resolved, mitigated, escalated, "
                                                             "false-alarm or aborted")
                                                  .arg(outcome.value, what));
            }
            break;
        }
        }
        m_playbook.steps.append(std::move(step));
    }

    void readOptions(const YamlMap &map, Step &step)
    {
        const YAML::Node node = map.value(QStringLiteral("options"));
        if (!node.IsDefined()) {
            map.missing(QStringLiteral("options"));
            return;
        }
        if (!node.IsSequence()) {
            map.wrongKind(QStringLiteral("options"), node,
                          QStringLiteral("a list of {label, next} options"));
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->IsMap()) {
                m_sink.error(positionOf(*it), QStringLiteral("an option of %1 must be a map with "
                                                             "'label' and 'next', not %2")
                                                  .arg(map.what(), kindOf(*it)));
                continue;
            }
            const YamlMap option(*it, QStringLiteral("an option of %1").arg(map.what()),
                                 keys({"label", "next"}), m_sink);
            step.options.append({option.text(QStringLiteral("label"), true),
                                 option.text(QStringLiteral("next"), true), option.pos()});
        }
        if (step.options.size() < 2)
            m_sink.error(map.keyPos(QStringLiteral("options")),
                         QStringLiteral("a decision needs at least 2 options; %1 has %2")
                             .arg(map.what())
                             .arg(step.options.size()));
    }

    void readWhen(const YamlMap &map, Step &step)
    {
        const YAML::Node node = map.value(QStringLiteral("when"));
        if (!node.IsDefined())
            return;
        if (!node.IsSequence()) {
            map.wrongKind(QStringLiteral("when"), node,
                          QStringLiteral("a list of {if, next} branches"));
            return;
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->IsMap()) {
                m_sink.error(positionOf(*it), QStringLiteral("a 'when' branch of %1 must be a map "
                                                             "with 'if' and 'next', not %2")
                                                  .arg(map.what(), kindOf(*it)));
                continue;
            }
            const YamlMap branch(*it, QStringLiteral("a 'when' branch of %1").arg(map.what()),
                                 keys({"if", "next"}), m_sink);
            step.when.append({branch.text(QStringLiteral("if"), true),
                              branch.text(QStringLiteral("next"), true), branch.pos()});
        }
    }

    std::optional<RequestSpec> readRequestFields(const YamlMap &map, bool needPath)
    {
        RequestSpec request;
        request.pos = map.pos();
        request.method = map.text(QStringLiteral("method"));
        if (!request.method.present)
            request.method.value = QStringLiteral("GET");
        request.path = map.text(QStringLiteral("path"), needPath);
        readStringMap(map, QStringLiteral("query"), request.query);
        readStringMap(map, QStringLiteral("headers"), request.headers);
        request.body = map.json(QStringLiteral("body"));
        collectTexts(map.value(QStringLiteral("body")), request.bodyTexts);
        if (map.has(QStringLiteral("expect"))) {
            const YamlMap expect(map.value(QStringLiteral("expect")),
                                 QStringLiteral("'expect' of %1").arg(map.what()), keys({"status"}),
                                 m_sink);
            const YAML::Node status = expect.value(QStringLiteral("status"));
            if (status.IsDefined()) {
                const YAML::Node list = status;
                auto addStatus = [&](const YAML::Node &item) {
                    const auto n = item.IsScalar() ? plainNumber(scalarText(item)) : std::nullopt;
                    if (!n || *n < 100 || *n > 599 || *n != int(*n))
                        m_sink.error(positionOf(item),
                                     QStringLiteral("an expected status must be an "
                                                    "HTTP status code from 100 to "
                                                    "599, not %1")
                                         .arg(kindOf(item)));
                    else
                        request.expectStatus.append(int(*n));
                };
                if (list.IsSequence()) {
                    for (auto it = list.begin(); it != list.end(); ++it)
                        addStatus(*it);
                } else {
                    addStatus(list);
                }
            }
        }
        return request;
    }

    void readStringMap(const YamlMap &parent, const QString &key, LMap<QString> &out)
    {
        if (!parent.has(key))
            return;
        const YamlMap map(parent.value(key), QStringLiteral("'%1' of %2").arg(key, parent.what()),
                          {}, m_sink);
        for (const YamlMap::Entry &e : map.entries()) {
            const LString value = map.text(e.key);
            if (value.present)
                out.append({{e.key, positionOf(e.keyNode), true}, value});
        }
    }

    // `query:` or `probe:` of a check or a wait-until.
    void readRead(const YamlMap &map, ReadSpec &read, const QString &what, bool required)
    {
        const bool hasQuery = map.has(QStringLiteral("query"));
        const bool hasProbe = map.has(QStringLiteral("probe"));
        if (hasQuery && hasProbe) {
            m_sink.error(
                map.keyPos(QStringLiteral("probe")),
                QStringLiteral("%1 has both 'query' and 'probe'; give exactly one").arg(what));
        } else if (!hasQuery && !hasProbe) {
            if (required)
                m_sink.error(map.pos(), QStringLiteral("%1 needs a 'query' (PromQL) or a 'probe' "
                                                       "(HTTP)")
                                            .arg(what));
            return;
        }
        if (hasQuery) {
            if (!map.value(QStringLiteral("query")).IsMap()) {
                map.wrongKind(QStringLiteral("query"), map.value(QStringLiteral("query")),
                              QStringLiteral("a map with 'target' and 'promql'"));
                return;
            }
            const YamlMap query(map.value(QStringLiteral("query")),
                                QStringLiteral("the query of %1").arg(what),
                                keys({"target", "promql", "reduce"}), m_sink);
            QuerySpec q;
            q.pos = query.pos();
            q.target = query.text(QStringLiteral("target"), true);
            q.promql = query.text(QStringLiteral("promql"), true);
            q.reduce = query.text(QStringLiteral("reduce"));
            read.query = q;
        } else if (hasProbe) {
            if (!map.value(QStringLiteral("probe")).IsMap()) {
                map.wrongKind(QStringLiteral("probe"), map.value(QStringLiteral("probe")),
                              QStringLiteral("a map with 'target' and the request fields"));
                return;
            }
            const YamlMap probe(map.value(QStringLiteral("probe")),
                                QStringLiteral("the probe of %1").arg(what),
                                QStringList{QStringLiteral("target")} + requestKeys(), m_sink);
            ProbeSpec p;
            p.pos = probe.pos();
            p.target = probe.text(QStringLiteral("target"), true);
            p.request = *readRequestFields(probe, true);
            read.probe = p;
        }
    }

    void readCall(const YamlMap &map, Step &step, const QString &what)
    {
        step.call = map.text(QStringLiteral("call"));
        step.target = map.text(QStringLiteral("target"));
        if (map.has(QStringLiteral("with"))) {
            const YamlMap with(map.value(QStringLiteral("with")),
                               QStringLiteral("'with' of %1").arg(what), {}, m_sink);
            for (const YamlMap::Entry &e : with.entries()) {
                reportDuplicateKeysWithin(e.value, with.what(), m_sink);
                collectTexts(e.value, step.withTexts);
                step.with.append({{e.key, positionOf(e.keyNode), true},
                                  {yamlToJson(e.value, PlainNumbers::KeepWrittenForm),
                                   positionOf(e.value), true}});
            }
        }
        if (map.has(QStringLiteral("request"))) {
            if (map.value(QStringLiteral("request")).IsMap()) {
                const YamlMap request(map.value(QStringLiteral("request")),
                                      QStringLiteral("the request of %1").arg(what), requestKeys(),
                                      m_sink);
                step.request = readRequestFields(request, true);
            } else {
                map.wrongKind(QStringLiteral("request"), map.value(QStringLiteral("request")),
                              QStringLiteral("a map with 'method' and 'path'"));
            }
        }
        step.confirm = map.boolean(QStringLiteral("confirm"));
        if (!step.confirm.present)
            step.confirm.value = step.type.value == StepType::Action;
    }

    void readSave(const YamlMap &map, Step &step, const QString &what)
    {
        if (!map.has(QStringLiteral("save")))
            return;
        const YamlMap save(map.value(QStringLiteral("save")),
                           QStringLiteral("'save' of %1").arg(what), {}, m_sink);
        for (const YamlMap::Entry &e : save.entries()) {
            const LString path = save.text(e.key);
            if (path.present)
                step.save.append({{e.key, positionOf(e.keyNode), true}, path});
        }
    }

    static std::optional<double> percent(const QString &text)
    {
        static const QRegularExpression pattern(QStringLiteral(R"(^([0-9]+(?:\.[0-9]+)?)%$)"));
        const QRegularExpressionMatch m = pattern.match(text);
        if (m.hasMatch())
            return m.captured(1).toDouble() / 100.0;
        if (text == u"0")
            return 0.0;
        return std::nullopt;
    }

    void readFanout(const YamlMap &map, Step &step, const QString &what)
    {
        if (!map.has(QStringLiteral("fanout")))
            return;
        const QString fwhat = QStringLiteral("the fanout of %1").arg(what);
        if (!map.value(QStringLiteral("fanout")).IsMap()) {
            map.wrongKind(QStringLiteral("fanout"), map.value(QStringLiteral("fanout")),
                          QStringLiteral("a map with 'over' and 'as'"));
            return;
        }
        const YamlMap fan(map.value(QStringLiteral("fanout")), fwhat,
                          keys({"over", "as", "url", "concurrency", "waves", "max_failures"}),
                          m_sink);
        Fanout f;
        f.pos = fan.pos();
        const YAML::Node over = fan.value(QStringLiteral("over"));
        if (!over.IsDefined()) {
            fan.missing(QStringLiteral("over"));
        } else if (over.IsSequence()) {
            f.overIsLiteral = true;
            f.items = fan.textList(QStringLiteral("over"));
            f.over = {QString(), positionOf(over), true};
            if (f.items.isEmpty())
                m_sink.error(positionOf(over),
                             QStringLiteral("'over' of %1 is an empty list").arg(fwhat));
        } else {
            f.over = fan.text(QStringLiteral("over"));
        }
        f.as = fan.text(QStringLiteral("as"), true);
        f.url = fan.text(QStringLiteral("url"));
        if (const auto c = fan.integer(QStringLiteral("concurrency")); c.present) {
            f.concurrency = c;
            if (c.value < 1 || c.value > 1024)
                m_sink.error(c.pos,
                             QStringLiteral("'concurrency' of %1 must be from 1 to 1024, not %2")
                                 .arg(fwhat)
                                 .arg(c.value));
        }
        if (fan.has(QStringLiteral("waves"))) {
            const QList<LString> waves = fan.textList(QStringLiteral("waves"), true);
            f.waves.clear();
            double previous = 0;
            for (const LString &w : waves) {
                const auto share = percent(w.value);
                if (!share || *share <= 0 || *share > 1.0) {
                    m_sink.error(w.pos,
                                 QStringLiteral("a wave of %1 must be a share like 10%, above "
                                                "0% and at most 100%, not '%2'")
                                     .arg(fwhat, w.value));
                    continue;
                }
                if (*share <= previous)
                    m_sink.error(w.pos, QStringLiteral("waves of %1 are cumulative and must grow: "
                                                       "'%2' is not above the wave before it")
                                            .arg(fwhat, w.value));
                previous = *share;
                f.waves.append(*share);
            }
            if (!waves.isEmpty() && previous != 1.0)
                m_sink.error(waves.back().pos,
                             QStringLiteral("the last wave of %1 must be 100%, so "
                                            "that every endpoint is reached")
                                 .arg(fwhat));
        }
        if (const LString mf = fan.text(QStringLiteral("max_failures")); mf.present) {
            const auto share = percent(mf.value);
            if (!share || *share > 1.0)
                m_sink.error(mf.pos, QStringLiteral("'max_failures' of %1 must be a share like 2%, "
                                                    "from 0% to 100%, not '%2'")
                                         .arg(fwhat, mf.value));
            else
                f.maxFailures = {*share, mf.pos, true};
        }
        step.fanout = f;
    }

    void readUntil(const YamlMap &map, Step &step, const QString &what)
    {
        if (!map.has(QStringLiteral("until")))
            return;
        const QString uwhat = QStringLiteral("'until' of %1").arg(what);
        if (!map.value(QStringLiteral("until")).IsMap()) {
            map.wrongKind(QStringLiteral("until"), map.value(QStringLiteral("until")),
                          QStringLiteral("a map with a 'query' or 'probe', 'if' and 'every'"));
            return;
        }
        const YamlMap until(map.value(QStringLiteral("until")), uwhat,
                            keys({"query", "probe", "if", "every"}), m_sink);
        Until u;
        u.pos = until.pos();
        readRead(until, u.read, uwhat, true);
        u.condition = until.text(QStringLiteral("if"), true);
        if (const auto every = until.duration(QStringLiteral("every")); every.present)
            u.every = every;
        step.until = u;
    }

    Playbook &m_playbook;
    DiagnosticSink &m_sink;
};

} // namespace

void readPlaybook(const YAML::Node &root, Playbook &playbook, DiagnosticSink &sink)
{
    Reader(playbook, sink).read(root);
}

} // namespace runlane
