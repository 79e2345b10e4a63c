#include "engine/playbook/validator.h"

#include "engine/expr/env.h"
#include "engine/expr/expression.h"
#include "engine/expr/template.h"
#include "engine/playbook/call_catalog.h"
#include "engine/playbook/graph_lints.h"
#include "engine/playbook/trigger_match.h"
#include "engine/playbook/yaml_document.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <functional>

namespace runlane {

bool isValidId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    return re.match(id).hasMatch();
}

bool isValidLaneId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
    return re.match(id).hasMatch();
}

bool isValidIdentifier(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]*$"));
    return re.match(id).hasMatch();
}

namespace {

// Which names an expression or a template may read, by where it stands.
struct NameContext
{
    bool value = false;    // a query result
    bool response = false; // status, body, elapsed_ms of a probe or an action
    QString item;          // a fan-out's `as` name
    bool incident = false; // templates only
    QString where;         // "the 'if' of step 'x'"
};

class Validator
{
public:
    Validator(const Playbook &playbook, DiagnosticSink &sink)
        : m_pb(playbook)
        , m_sink(sink)
        , m_positions(playbook.source.toUtf8())
    {
        for (const Step &step : m_pb.steps) {
            m_stepIds.insert(step.id.value);
            m_stepIdList.append(step.id.value);
            for (const SaveEntry &save : step.save)
                m_savedVars.insert(save.name.value);
            if (const CallSpec *spec = findCall(step.call.value)) {
                for (const auto &[name, path] : spec->saves)
                    m_savedVars.insert(name);
            }
        }
    }

    void run()
    {
        checkTopLevel();
        checkLanes();
        checkInputs();
        checkTargets();
        checkSteps();
        lintGraph(m_pb, m_sink);
    }

private:
    void checkTopLevel()
    {
        if (m_pb.version.present && m_pb.version.value != 1)
            m_sink.error(m_pb.version.pos, QStringLiteral("unsupported format version %1; this "
                                                          "Runlane reads 'runlane: 1'")
                                               .arg(m_pb.version.value));
        if (m_pb.id.present && !isValidId(m_pb.id.value))
            m_sink.error(m_pb.id.pos,
                         QStringLiteral("playbook id '%1' is not valid; expected "
                                        "lowercase letters, digits and '-', starting "
                                        "with a letter or digit, at most 63 characters")
                             .arg(m_pb.id.value));
        checkTitle(m_pb.title, QStringLiteral("the playbook"));
        if (m_pb.start.present && !m_stepIds.contains(m_pb.start.value))
            unknownStep(m_pb.start, QStringLiteral("'start'"));
        for (const Trigger &trigger : m_pb.triggers) {
            for (const auto &[label, value] : trigger.labels) {
                if (const auto pattern = triggerPatternOf(value.value)) {
                    const QRegularExpression re(*pattern);
                    if (!re.isValid())
                        m_sink.error(value.pos, QStringLiteral("trigger label '%1' has an invalid "
                                                               "regular expression: %2")
                                                    .arg(label.value, re.errorString()));
                }
            }
        }
    }

    void checkTitle(const LString &title, const QString &what)
    {
        if (!title.present)
            return;
        const qsizetype length = title.value.toUcs4().size(); // characters, not UTF-16 units
        if (title.value.trimmed().isEmpty() || length > 200)
            m_sink.error(title.pos, QStringLiteral("the title of %1 must be 1 to 200 characters, "
                                                   "not %2")
                                        .arg(what)
                                        .arg(length));
    }

    void checkLanes()
    {
        QHash<QString, SourcePos> seen;
        for (const Lane &lane : m_pb.lanes) {
            if (!lane.id.present)
                continue;
            if (!isValidLaneId(lane.id.value))
                m_sink.error(lane.id.pos, QStringLiteral("lane id '%1' is not valid; expected "
                                                         "lowercase letters, digits and '-'")
                                              .arg(lane.id.value));
            duplicate(seen, lane.id, QStringLiteral("lane id"));
            checkTitle(lane.title, QStringLiteral("lane '%1'").arg(lane.id.value));
        }
    }

    void duplicate(QHash<QString, SourcePos> &seen, const LString &id, const QString &what)
    {
        const auto it = seen.constFind(id.value);
        if (it == seen.constEnd()) {
            seen.insert(id.value, id.pos);
            return;
        }
        m_sink.error(id.pos,
                     QStringLiteral("duplicate %1 '%2'; first defined at line %3, column %4")
                         .arg(what, id.value)
                         .arg(it->line)
                         .arg(it->column));
        m_sink.error(*it, QStringLiteral("%1 '%2' is defined again at line %3, column %4")
                              .arg(what, id.value)
                              .arg(id.pos.line)
                              .arg(id.pos.column));
    }

    void checkInputs()
    {
        for (const Input &input : m_pb.inputs) {
            const QString what = QStringLiteral("input '%1'").arg(input.name.value);
            if (!isValidIdentifier(input.name.value))
                m_sink.error(input.name.pos,
                             QStringLiteral("input name '%1' is not valid; expected "
                                            "lowercase letters, digits and '_', not "
                                            "starting with a digit")
                                 .arg(input.name.value));
            const InputType type = input.type.value;
            if (input.pattern.present) {
                if (type != InputType::String && type != InputType::List)
                    m_sink.error(input.pattern.pos,
                                 QStringLiteral("'pattern' in %1 applies to string "
                                                "and list inputs only")
                                     .arg(what));
                const QRegularExpression re(input.pattern.value);
                if (!re.isValid())
                    m_sink.error(
                        input.pattern.pos,
                        QStringLiteral("'pattern' in %1 is not a valid regular expression: %2")
                            .arg(what, re.errorString()));
            }
            for (const Located<double> *bound : {&input.min, &input.max}) {
                if (bound->present && type != InputType::Number)
                    m_sink.error(bound->pos, QStringLiteral("'min' and 'max' in %1 apply to number "
                                                            "inputs only")
                                                 .arg(what));
            }
            if (input.min.present && input.max.present && input.min.value > input.max.value)
                m_sink.error(input.max.pos,
                             QStringLiteral("'max' in %1 is below its 'min'").arg(what));
            if (type == InputType::Choice && input.choices.isEmpty())
                m_sink.error(input.type.pos.isValid() ? input.type.pos : input.pos,
                             QStringLiteral("%1 is a choice but has no 'choices'").arg(what));
            if (type != InputType::Choice && !input.choices.isEmpty())
                m_sink.error(input.choices.front().pos,
                             QStringLiteral("'choices' in %1 apply to choice inputs only; add "
                                            "'type: choice'")
                                 .arg(what));
            if (input.defaultValue.present)
                checkDefault(input, what);
        }
    }

    void checkDefault(const Input &input, const QString &what)
    {
        const QJsonValue v = input.defaultValue.value;
        const SourcePos pos = input.defaultValue.pos;
        auto bad = [&](const QString &expected) {
            m_sink.error(pos, QStringLiteral("the default of %1 must be %2").arg(what, expected));
        };
        switch (input.type.value) {
        case InputType::String:
            if (!v.isString() && !v.isDouble() && !v.isBool())
                return bad(QStringLiteral("text"));
            if (input.pattern.present) {
                const QRegularExpression re(
                    QStringLiteral("\\A(?:%1)\\z").arg(input.pattern.value));
                const QString text = v.isString() ? v.toString() : v.toVariant().toString();
                if (re.isValid() && !re.match(text).hasMatch())
                    bad(QStringLiteral("text matching its pattern '%1'").arg(input.pattern.value));
            }
            return;
        case InputType::Number:
            if (!v.isDouble())
                return bad(QStringLiteral("a number"));
            if ((input.min.present && v.toDouble() < input.min.value) ||
                (input.max.present && v.toDouble() > input.max.value))
                bad(QStringLiteral("within its 'min' and 'max'"));
            return;
        case InputType::Boolean:
            if (!v.isBool())
                bad(QStringLiteral("true or false"));
            return;
        case InputType::Choice:
            for (const LString &choice : input.choices) {
                if (choice.value == v.toString())
                    return;
            }
            return bad(QStringLiteral("one of its choices"));
        case InputType::List:
            if (!v.isArray())
                return bad(QStringLiteral("a list of text"));
            for (const QJsonValue item : v.toArray()) {
                if (!item.isString())
                    return bad(QStringLiteral("a list of text"));
            }
            return;
        }
    }

    void checkTargets()
    {
        for (const Target &target : m_pb.targets) {
            const QString what = QStringLiteral("target '%1'").arg(target.name.value);
            for (const LString *text :
                 {&target.url, &target.auth.bearer, &target.auth.user, &target.auth.password,
                  &target.auth.headerName, &target.auth.headerValue, &target.routingKey,
                  &target.tls.ca})
                checkEnvReferences(*text, what);
            if (target.url.present && !target.url.value.contains(u"${env:")) {
                const QUrl url(target.url.value, QUrl::StrictMode);
                if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
                    url.host().isEmpty())
                    m_sink.error(target.url.pos,
                                 QStringLiteral("the url of %1 must be an http:// or "
                                                "https:// URL with a host, not '%2'")
                                     .arg(what, target.url.value));
            }
            const bool pagerduty =
                target.kind.present && target.kind.value == TargetKind::Pagerduty;
            if (target.routingKey.present && !pagerduty && target.kind.present)
                m_sink.error(
                    target.routingKey.pos,
                    QStringLiteral("'routing_key' belongs to pagerduty targets only; %1 is "
                                   "a %2 target")
                        .arg(what, toString(target.kind.value)));
            if (pagerduty && !target.routingKey.present)
                m_sink.error(target.pos,
                             QStringLiteral("%1 is a pagerduty target and needs a "
                                            "'routing_key' (usually ${env:PD_ROUTING_KEY})")
                                 .arg(what));
        }
    }

    // A malformed `${env:…}` is found now; whether the variable is set is known at start only.
    void checkEnvReferences(const LString &text, const QString &what)
    {
        if (!text.present || !expr::containsEnv(text.value))
            return;
        const auto anyValue = [](const QString &) -> std::optional<QString> {
            return QStringLiteral("x");
        };
        const auto resolved = expr::resolveEnv(text.value, anyValue);
        if (const auto *error = std::get_if<expr::Error>(&resolved))
            m_sink.error(text.pos, QStringLiteral("in %1: %2").arg(what, error->message));
    }

    void checkSteps()
    {
        QHash<QString, SourcePos> seen;
        for (const Step &step : m_pb.steps) {
            const QString what = QStringLiteral("step '%1'").arg(step.id.value);
            if (step.id.present) {
                if (step.id.value == u"ask")
                    m_sink.error(step.id.pos, QStringLiteral("'ask' is reserved and cannot be a "
                                                             "step id"));
                else if (!isValidId(step.id.value))
                    m_sink.error(step.id.pos, QStringLiteral("step id '%1' is not valid; expected "
                                                             "lowercase letters, digits and '-', "
                                                             "starting with a letter or digit, at "
                                                             "most 63 characters")
                                                  .arg(step.id.value));
                duplicate(seen, step.id, QStringLiteral("step id"));
            }
            checkTitle(step.title, what);
            if (step.lane.present && !m_pb.lane(step.lane.value)) {
                QStringList lanes;
                for (const Lane &lane : m_pb.lanes)
                    lanes.append(lane.id.value);
                const QString hint = suggestionFor(step.lane.value, lanes);
                m_sink.error(step.lane.pos,
                             QStringLiteral("unknown lane '%1' in %2; %3")
                                 .arg(step.lane.value, what,
                                      hint.isEmpty() ? QStringLiteral("expected one of: %1")
                                                           .arg(lanes.join(QStringLiteral(", ")))
                                                     : hint));
            }
            if (!step.type.present)
                continue;
            checkReferences(step, what);
            switch (step.type.value) {
            case StepType::Check:
                checkCheck(step, what);
                break;
            case StepType::Action:
            case StepType::Escalate:
                checkCall(step, what);
                break;
            case StepType::Wait:
                checkWait(step, what);
                break;
            case StepType::Task:
            case StepType::Decision:
            case StepType::End:
                break;
            }
        }
    }

    void unknownStep(const LString &ref, const QString &where)
    {
        const QString hint = suggestionFor(ref.value, m_stepIdList);
        m_sink.error(ref.pos, QStringLiteral("%1 names step '%2', which does not exist%3")
                                  .arg(where, ref.value,
                                       hint.isEmpty() ? QString() : QStringLiteral("; ") + hint));
    }

    void reference(const LString &ref, const QString &key, const QString &what,
                   bool askAllowed = false)
    {
        if (!ref.present)
            return;
        if (askAllowed && ref.value == u"ask")
            return;
        if (!m_stepIds.contains(ref.value))
            unknownStep(ref, QStringLiteral("'%1' of %2").arg(key, what));
    }

    void checkReferences(const Step &step, const QString &what)
    {
        reference(step.next, QStringLiteral("next"), what);
        for (const Option &option : step.options)
            reference(option.next, QStringLiteral("next"),
                      QStringLiteral("option '%1' of %2").arg(option.label.value, what));
        for (const Branch &branch : step.when)
            reference(branch.next, QStringLiteral("next"),
                      QStringLiteral("a 'when' branch of %1").arg(what));
        reference(step.elseNext, QStringLiteral("else"), what);
        reference(step.noData, QStringLiteral("no_data"), what, true);
        reference(step.onError, QStringLiteral("on_error"), what, true);
        reference(step.onFailure, QStringLiteral("on_failure"), what);
        reference(step.onTimeout, QStringLiteral("on_timeout"), what);
    }

    const Target *targetOf(const LString &name, const QString &what, std::optional<TargetKind> kind,
                           const QString &purpose)
    {
        if (!name.present)
            return nullptr;
        const Target *target = m_pb.target(name.value);
        if (!target) {
            QStringList names;
            for (const Target &t : m_pb.targets)
                names.append(t.name.value);
            const QString hint = suggestionFor(name.value, names);
            m_sink.error(name.pos,
                         QStringLiteral("%1 names target '%2', which is not defined under "
                                        "'targets'%3")
                             .arg(what, name.value,
                                  hint.isEmpty() ? QString() : QStringLiteral("; ") + hint));
            return nullptr;
        }
        if (kind && target->kind.present && target->kind.value != *kind)
            m_sink.error(
                name.pos,
                QStringLiteral("%1 needs a %2 target for %3, but '%4' is a %5 target")
                    .arg(what, toString(*kind), purpose, name.value, toString(target->kind.value)));
        return target;
    }

    void checkCheck(const Step &step, const QString &what)
    {
        NameContext names;
        if (step.read.query) {
            names.value = true;
            checkQuery(*step.read.query, what);
        } else if (step.read.probe) {
            names.response = true;
            checkProbe(*step.read.probe, what);
        } else { // reported by the reader; do not guess what the branches may read
            names.value = names.response = true;
        }
        names.where = QStringLiteral("the 'if' of %1").arg(what);
        for (const Branch &branch : step.when)
            checkExpression(branch.condition, names);
    }

    void checkQuery(const QuerySpec &query, const QString &what)
    {
        targetOf(query.target, QStringLiteral("the query of %1").arg(what), TargetKind::Prometheus,
                 QStringLiteral("a PromQL query"));
        NameContext names;
        names.incident = true;
        names.where = QStringLiteral("the promql of %1").arg(what);
        checkTemplate(query.promql, names);
        if (query.reduce.present && !QStringList{QStringLiteral("max"), QStringLiteral("min"),
                                                 QStringLiteral("sum"), QStringLiteral("avg")}
                                         .contains(query.reduce.value))
            m_sink.error(query.reduce.pos, QStringLiteral("unknown reduce '%1' in the query of %2; "
                                                          "expected max, min, sum or avg")
                                               .arg(query.reduce.value, what));
    }

    void checkProbe(const ProbeSpec &probe, const QString &what)
    {
        targetOf(probe.target, QStringLiteral("the probe of %1").arg(what), std::nullopt,
                 QString());
        NameContext names;
        names.incident = true;
        checkRequest(probe.request, QStringLiteral("the probe of %1").arg(what), names);
    }

    void checkRequest(const RequestSpec &request, const QString &what, NameContext names)
    {
        static const QStringList methods{QStringLiteral("GET"), QStringLiteral("POST"),
                                         QStringLiteral("PUT"), QStringLiteral("PATCH"),
                                         QStringLiteral("DELETE")};
        if (request.method.present && !methods.contains(request.method.value))
            m_sink.error(request.method.pos,
                         QStringLiteral("unknown method '%1' in %2; expected GET, "
                                        "POST, PUT, PATCH or DELETE")
                             .arg(request.method.value, what));
        if (request.path.present && !request.path.value.startsWith(u'/'))
            m_sink.error(request.path.pos, QStringLiteral("the path of %1 must start with '/', not "
                                                          "'%2'")
                                               .arg(what, request.path.value));
        names.where = QStringLiteral("the path of %1").arg(what);
        checkTemplate(request.path, names);
        names.where = QStringLiteral("the query of %1").arg(what);
        for (const auto &[key, value] : request.query)
            checkTemplate(value, names);
        names.where = QStringLiteral("the headers of %1").arg(what);
        for (const auto &[key, value] : request.headers)
            checkTemplate(value, names);
        names.where = QStringLiteral("the body of %1").arg(what);
        for (const LString &text : request.bodyTexts)
            checkTemplate(text, names);
    }

    void checkCall(const Step &step, const QString &what)
    {
        NameContext names;
        names.incident = true;
        if (step.fanout)
            names.item = step.fanout->as.value;

        if (step.call.present == step.request.has_value() &&
            !(step.call.value == u"http.request")) {
            m_sink.error(step.pos,
                         step.call.present
                             ? QStringLiteral("%1 has both 'call' and 'request'; a raw "
                                              "request uses 'call: http.request' or no call")
                                   .arg(what)
                             : QStringLiteral("%1 needs a 'call' (a built-in call) or a "
                                              "'request' (raw HTTP)")
                                   .arg(what));
        }
        const CallSpec *spec = nullptr;
        if (step.call.present) {
            spec = findCall(step.call.value);
            if (!spec) {
                const QString hint = suggestionFor(step.call.value, callNames());
                m_sink.error(step.call.pos,
                             QStringLiteral("unknown call '%1' in %2; %3")
                                 .arg(step.call.value, what,
                                      hint.isEmpty() ? QStringLiteral("see the calls "
                                                                      "table of the "
                                                                      "format")
                                                     : hint));
            } else if (spec->usesRequest && !step.request) {
                m_sink.error(step.call.pos, QStringLiteral("%1 uses http.request and needs a "
                                                           "'request'")
                                                .arg(what));
            }
        }
        if (!step.target.present) {
            m_sink.error(step.pos, QStringLiteral("missing required key 'target' in %1").arg(what));
        } else {
            std::optional<TargetKind> kind;
            if (spec && !spec->anyTarget)
                kind = spec->kind;
            targetOf(step.target, what, kind,
                     spec ? QStringLiteral("'%1'").arg(spec->name) : QString());
        }
        if (spec) {
            QStringList given;
            for (const auto &[key, value] : step.with)
                given.append(key.value);
            for (const QString &param : spec->required) {
                if (!given.contains(param))
                    m_sink.error(step.call.pos, QStringLiteral("call '%1' in %2 needs '%3' under "
                                                               "'with'")
                                                    .arg(spec->name, what, param));
            }
            const QStringList known = spec->required + spec->optional;
            for (const auto &[key, value] : step.with) {
                if (known.contains(key.value) || key.value.startsWith(u"x-"))
                    continue; // x- keys are the user's own, kept and ignored as everywhere
                const QString hint = suggestionFor(key.value, known);
                m_sink.error(key.pos,
                             QStringLiteral("unknown parameter '%1' for call '%2' in %3; %4")
                                 .arg(key.value, spec->name, what,
                                      known.isEmpty()  ? QStringLiteral("it takes none")
                                      : hint.isEmpty() ? QStringLiteral("expected: %1")
                                                             .arg(known.join(QStringLiteral(", ")))
                                                       : hint));
            }
        }
        names.where = QStringLiteral("'with' of %1").arg(what);
        for (const LString &text : step.withTexts)
            checkTemplate(text, names);
        if (step.request)
            checkRequest(*step.request, QStringLiteral("the request of %1").arg(what), names);
        for (const SaveEntry &save : step.save)
            checkSave(save, what);
        if (step.fanout)
            checkFanout(*step.fanout, what);
    }

    void checkSave(const SaveEntry &save, const QString &what)
    {
        if (!isValidIdentifier(save.name.value))
            m_sink.error(save.name.pos,
                         QStringLiteral("save name '%1' in %2 is not valid; expected "
                                        "lowercase letters, digits and '_'")
                             .arg(save.name.value, what));
        const auto parsed = expr::Expression::parse(save.path.value);
        if (const auto *error = std::get_if<expr::Error>(&parsed)) {
            m_sink.error(save.path.pos,
                         QStringLiteral("'save' of %1: %2").arg(what, error->message));
            return;
        }
        const auto &expression = std::get<expr::Expression>(parsed);
        const bool singleName =
            expression.names().size() == 1 &&
            expression.names().front().text.trimmed() == save.path.value.trimmed();
        static const QStringList roots{QStringLiteral("body"), QStringLiteral("status"),
                                       QStringLiteral("elapsed_ms")};
        if (!singleName || !roots.contains(expression.names().front().root))
            m_sink.error(save.path.pos,
                         QStringLiteral("'save' of %1 takes a place in the response, "
                                        "like body.status.revision, status or "
                                        "elapsed_ms; not '%2'")
                             .arg(what, save.path.value));
    }

    void checkFanout(const Fanout &fanout, const QString &what)
    {
        const QString fwhat = QStringLiteral("the fanout of %1").arg(what);
        if (fanout.as.present && !isValidIdentifier(fanout.as.value))
            m_sink.error(fanout.as.pos, QStringLiteral("'as' of %1 is not a valid name: '%2'; "
                                                       "expected lowercase letters, digits and '_'")
                                            .arg(fwhat, fanout.as.value));
        if (fanout.as.present && (fanout.as.value == u"inputs" || fanout.as.value == u"vars" ||
                                  fanout.as.value == u"incident"))
            m_sink.error(fanout.as.pos, QStringLiteral("'as' of %1 cannot be '%2', a name the "
                                                       "format already uses")
                                            .arg(fwhat, fanout.as.value));
        NameContext names;
        names.incident = true;
        names.where = QStringLiteral("'over' of %1").arg(fwhat);
        if (!fanout.overIsLiteral && fanout.over.present) {
            const auto parsed = expr::Template::parse(fanout.over.value);
            if (const auto *t = std::get_if<expr::Template>(&parsed); t && !t->isSingleName()) {
                m_sink.error(fanout.over.pos, QStringLiteral("'over' of %1 must name a list, like "
                                                             "\"{{ inputs.nodes }}\", or be a YAML "
                                                             "list")
                                                  .arg(fwhat));
            } else if (t) {
                checkTemplate(fanout.over, names);
                const expr::NameRef &ref = t->names().front();
                if (ref.root == u"inputs") {
                    const Input *input = m_pb.input(ref.member);
                    if (input && input->type.value != InputType::List)
                        m_sink.error(fanout.over.pos,
                                     QStringLiteral("'over' of %1 names input '%2', "
                                                    "which is not a list")
                                         .arg(fwhat, ref.member));
                }
            } else {
                checkTemplate(fanout.over, names);
            }
        }
        names.item = fanout.as.value;
        names.where = QStringLiteral("'url' of %1").arg(fwhat);
        checkTemplate(fanout.url, names);
    }

    void checkWait(const Step &step, const QString &what)
    {
        if (step.duration.present == step.until.has_value())
            m_sink.error(step.pos,
                         step.until
                             ? QStringLiteral("%1 has both 'duration' and 'until'; "
                                              "give one")
                                   .arg(what)
                             : QStringLiteral("%1 needs a 'duration' or an 'until'").arg(what));
        if (step.until) {
            if (!step.timeout.present)
                m_sink.error(step.pos,
                             QStringLiteral("%1 polls 'until' and needs a 'timeout'").arg(what));
            NameContext names;
            const QString uwhat = QStringLiteral("'until' of %1").arg(what);
            if (step.until->read.query) {
                names.value = true;
                checkQuery(*step.until->read.query, uwhat);
            } else if (step.until->read.probe) {
                names.response = true;
                checkProbe(*step.until->read.probe, uwhat);
            } else { // reported by the reader
                names.value = names.response = true;
            }
            names.where = QStringLiteral("the 'if' of %1").arg(uwhat);
            checkExpression(step.until->condition, names);
        } else if (step.onTimeout.present) {
            m_sink.error(step.onTimeout.pos,
                         QStringLiteral("'on_timeout' of %1 applies only with "
                                        "'until'; a plain wait goes on to 'next'")
                             .arg(what));
        }
    }

    void checkTemplate(const LString &text, const NameContext &names)
    {
        if (!text.present || !text.value.contains(u"{{"))
            return;
        const auto parsed = expr::Template::parse(text.value);
        if (const auto *error = std::get_if<expr::Error>(&parsed)) {
            m_sink.error(m_positions.at(text.pos, error->offset),
                         QStringLiteral("in %1: %2").arg(names.where, error->message));
            return;
        }
        for (const expr::NameRef &ref : std::get<expr::Template>(parsed).names())
            checkName(ref, text, names, true);
    }

    void checkExpression(const LString &text, const NameContext &names)
    {
        if (!text.present)
            return;
        const auto parsed = expr::Expression::parse(text.value);
        if (const auto *error = std::get_if<expr::Error>(&parsed)) {
            m_sink.error(m_positions.at(text.pos, error->offset),
                         QStringLiteral("in %1: %2").arg(names.where, error->message));
            return;
        }
        for (const expr::NameRef &ref : std::get<expr::Expression>(parsed).names())
            checkName(ref, text, names, false);
    }

    void checkName(const expr::NameRef &ref, const LString &text, const NameContext &names,
                   bool inTemplate)
    {
        const SourcePos pos = m_positions.at(text.pos, ref.offset);
        auto fail = [&](const QString &message) {
            m_sink.error(pos, QStringLiteral("in %1: %2").arg(names.where, message));
        };
        if (ref.root == u"inputs") {
            if (ref.member.isEmpty())
                return fail(QStringLiteral("'inputs' needs a name, like inputs.model"));
            if (!m_pb.input(ref.member)) {
                QStringList known;
                for (const Input &i : m_pb.inputs)
                    known.append(i.name.value);
                const QString hint = suggestionFor(ref.member, known);
                fail(
                    QStringLiteral("unknown input '%1'%2")
                        .arg(ref.member, hint.isEmpty() ? QString() : QStringLiteral("; ") + hint));
            }
        } else if (ref.root == u"vars") {
            if (ref.member.isEmpty())
                return fail(QStringLiteral("'vars' needs a name, like vars.previous"));
            if (!m_savedVars.contains(ref.member)) {
                const QString hint =
                    suggestionFor(ref.member, QStringList(m_savedVars.begin(), m_savedVars.end()));
                fail(
                    QStringLiteral("'vars.%1' is never saved by any step's 'save'%2")
                        .arg(ref.member, hint.isEmpty() ? QString() : QStringLiteral("; ") + hint));
            }
        } else if (ref.root == u"incident") {
            if (!inTemplate || !names.incident)
                return fail(QStringLiteral("'incident' is available in templates only"));
            if (ref.member != u"id" && ref.member != u"started_at")
                fail(
                    QStringLiteral("unknown name '%1'; expected incident.id or incident.started_at")
                        .arg(ref.text));
        } else if (!names.item.isEmpty() && ref.root == names.item) {
            return;
        } else if (inTemplate && (ref.root == u"value" || ref.root == u"status" ||
                                  ref.root == u"body" || ref.root == u"elapsed_ms")) {
            // Templates are rendered before the request is sent: no result exists yet.
            fail(QStringLiteral("'%1' is not known when the request is built; save what you need "
                                "from an earlier step with 'save:' and use vars.NAME")
                     .arg(ref.root));
        } else if (ref.root == u"value") {
            if (!names.value)
                fail(QStringLiteral("'value' is the result of a query; this step reads %1")
                         .arg(names.response
                                  ? QStringLiteral("a probe: use status, body or elapsed_ms")
                                  : QStringLiteral("no query")));
        } else if (ref.root == u"status" || ref.root == u"body" || ref.root == u"elapsed_ms") {
            if (!names.response)
                fail(QStringLiteral("'%1' is part of an HTTP response; a query check gives 'value'")
                         .arg(ref.root));
        } else {
            QStringList roots{QStringLiteral("inputs"), QStringLiteral("vars")};
            if (names.value)
                roots.append(QStringLiteral("value"));
            if (names.response)
                roots << QStringLiteral("status") << QStringLiteral("body")
                      << QStringLiteral("elapsed_ms");
            if (inTemplate)
                roots.append(QStringLiteral("incident"));
            if (!names.item.isEmpty())
                roots.append(names.item);
            const QString hint = suggestionFor(ref.root, roots);
            fail(QStringLiteral("unknown name '%1'; %2")
                     .arg(ref.text, hint.isEmpty()
                                        ? QStringLiteral("expected a name starting with %1")
                                              .arg(roots.join(QStringLiteral(", ")))
                                        : hint));
        }
    }

    const Playbook &m_pb;
    DiagnosticSink &m_sink;
    ScalarPositions m_positions;
    QSet<QString> m_stepIds; // a set: playbooks near the size bound have ~20,000 steps
    QStringList m_stepIdList;
    QSet<QString> m_savedVars;
};

} // namespace

void validatePlaybook(const Playbook &playbook, DiagnosticSink &sink)
{
    Validator(playbook, sink).run();
}

} // namespace runlane
