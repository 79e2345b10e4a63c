#include "engine/scenario/case_recorder.h"

#include "engine/expr/valuetext.h"
#include "engine/playbook/yaml_document.h"
#include "engine/playbook/yaml_map.h"
#include "engine/scenario/scenario_runner.h"
#include "engine/session/session_replay.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <memory>

namespace runlane {

namespace {

// ---- From events to a case ----

// One entry of a step on the route the case replays.
struct Visit
{
    QString stepId;
    std::optional<WorkResult> result; // the last of the visit: a wait polls until one decides
    std::optional<QString> answer;    // a decision's label, or the way chosen when inconclusive
    bool skipped = false;             // an action skipped at its gate, a wait skipped
};

// The steps a case gives a result for: what the runner hands to an executor.
bool isAutomated(const Step &step)
{
    switch (step.type.value) {
    case StepType::Check:
    case StepType::Action:
    case StepType::Escalate:
        return true;
    case StepType::Wait:
        return step.until.has_value();
    default:
        return false;
    }
}

bool readsQuery(const Step &step)
{
    if (step.type.value == StepType::Check)
        return step.read.query.has_value();
    return step.type.value == StepType::Wait && step.until && step.until->read.query;
}

// elapsed_ms only matters to a step that reads it; elsewhere it would be noise in the case.
bool readsElapsed(const Step &step)
{
    const auto mentions = [](const QString &text) { return text.contains(u"elapsed_ms"); };
    for (const Branch &branch : step.when) {
        if (mentions(branch.condition.value))
            return true;
    }
    for (const SaveEntry &save : step.save) {
        if (mentions(save.path.value))
            return true;
    }
    return step.until && mentions(step.until->condition.value);
}

// The status an action's case result gives for a success the walk saw without one (a fan-out's
// summary, a dry run): the runner gives every endpoint of a fan-out the same result.
int successStatus(const Step &step)
{
    if (step.request && !step.request->expectStatus.isEmpty())
        return step.request->expectStatus.constFirst();
    return 200;
}

bool holdsRedaction(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().contains(u"***");
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(array.begin(), array.end(), holdsRedaction);
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        return std::any_of(object.begin(), object.end(), holdsRedaction);
    }
    return false;
}

// A result in the shape the scenario runner takes for the step (scenario_runner.cpp).
QJsonObject caseResult(const Step &step, const WorkResult &r, bool dryRun, QStringList *warnings)
{
    const QString id = step.id.value;
    switch (r.outcome) {
    case WorkResult::Outcome::NoData:
        return {{QStringLiteral("no_data"), true}};
    case WorkResult::Outcome::Error:
        // Also an answer the integration refused (a 200 without Slack's "ok"): the case must
        // fail the same way, which its status alone would not.
        return {{QStringLiteral("error"),
                 r.message.isEmpty() ? QStringLiteral("the request failed") : r.message}};
    case WorkResult::Outcome::Ok:
        break;
    }
    if (readsQuery(step)) {
        if (r.value.isDouble())
            return {{QStringLiteral("value"), r.value}};
        warnings->append(
            QStringLiteral("step '%1' read no number; the case gives it no data").arg(id));
        return {{QStringLiteral("no_data"), true}};
    }
    if (r.status == 0) {
        if (!dryRun && !r.details.contains(QStringLiteral("fanout")))
            warnings->append(QStringLiteral("step '%1' succeeded without an HTTP status (%2); the "
                                            "case gives it HTTP %3")
                                 .arg(id, r.message)
                                 .arg(successStatus(step)));
        return {{QStringLiteral("status"), successStatus(step)}};
    }
    QJsonObject result{{QStringLiteral("status"), r.status}};
    if (!r.body.isUndefined() && !r.body.isNull())
        result.insert(QStringLiteral("body"), r.body);
    if (r.elapsedMs != 0 && readsElapsed(step))
        result.insert(QStringLiteral("elapsed_ms"), double(r.elapsedMs));
    if (holdsRedaction(r.body))
        warnings->append(QStringLiteral("the body step '%1' saw holds '***' where the journal "
                                        "took a secret out; the case has it as recorded")
                             .arg(id));
    return result;
}

// How a case result reads in a warning.
QString describeResult(const QJsonObject &result)
{
    if (result.contains(QStringLiteral("value")))
        return QStringLiteral("value %1")
            .arg(expr::numberText(result.value(QStringLiteral("value")).toDouble()));
    if (result.contains(QStringLiteral("no_data")))
        return QStringLiteral("no data");
    if (result.contains(QStringLiteral("error")))
        return QStringLiteral("error");
    return QStringLiteral("HTTP %1").arg(result.value(QStringLiteral("status")).toInt());
}

void addOnce(QStringList &warnings, const QString &warning)
{
    if (!warnings.contains(warning))
        warnings.append(warning);
}

} // namespace

std::variant<RecordedCase, QString> recordCase(const Playbook &playbook, const QList<Event> &events,
                                               const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("a test case needs a name");
    if (events.isEmpty() || events.constFirst().kind != EventKind::IncidentStarted)
        return QStringLiteral("the events do not begin with the incident's start");
    const QJsonObject started = events.constFirst().details;
    const QString walked = started.value(QStringLiteral("playbook")).toString();
    if (walked != playbook.id.value)
        return QStringLiteral("the incident walked playbook '%1', not '%2'")
            .arg(walked, playbook.id.value);
    const bool dryRun = started.value(QStringLiteral("dry_run")).toBool();

    RecordedCase recorded;
    QStringList &warnings = recorded.warnings;
    if (dryRun)
        warnings.append(QStringLiteral("the incident was a dry run: nothing was sent, so the "
                                       "case has what a dry run sees (reads without data, "
                                       "actions taken as succeeded)"));
    QList<Visit> route;
    std::optional<QString> outcome;
    for (qsizetype i = 1; i < events.size(); ++i) {
        const Event &e = events.at(i);
        const auto detail = [&e](const char *key) {
            return e.details.value(QString::fromLatin1(key)).toString();
        };
        const bool atCurrent = !route.isEmpty() && route.constLast().stepId == e.stepId;
        switch (e.kind) {
        case EventKind::StepEntered:
            if (!playbook.step(e.stepId))
                return QStringLiteral("the incident entered step '%1', which playbook '%2' "
                                      "does not have")
                    .arg(e.stepId, playbook.id.value);
            route.append({e.stepId, std::nullopt, std::nullopt, false});
            break;
        case EventKind::WorkResult:
        case EventKind::DecisionMade:
        case EventKind::ChoiceMade:
        case EventKind::ActionSkipped:
            if (!atCurrent)
                return QStringLiteral("event %1 ('%2' at step '%3') is not at the step the walk "
                                      "was on")
                    .arg(i + 1)
                    .arg(toString(e.kind), e.stepId);
            if (e.kind == EventKind::WorkResult) {
                route.last().result = workResultFromEvent(e);
            } else if (e.kind == EventKind::DecisionMade) {
                route.last().answer = detail("label");
            } else if (e.kind == EventKind::ChoiceMade) {
                route.last().answer = detail("next");
            } else {
                route.last().skipped = true;
                addOnce(warnings, QStringLiteral("action '%1' was skipped at its gate; a case "
                                                 "confirms every action, so it is given a "
                                                 "success")
                                      .arg(e.stepId));
            }
            break;
        case EventKind::WaitEnded:
            // A wait for a time is over at once in a case, skipped or not; one that polls is not.
            if (atCurrent && detail("how") == u"skipped" && playbook.step(e.stepId)->until) {
                route.last().skipped = true;
                addOnce(warnings,
                        QStringLiteral("wait '%1' was skipped; a case cannot skip a wait: it "
                                       "goes on to 'next' only when its result meets the "
                                       "condition")
                            .arg(e.stepId));
            }
            break;
        case EventKind::WentBack: {
            // A case cannot go back: it replays the route as it stands after going back, with
            // the results and answers of the steps walked again.
            const QString to = detail("to");
            for (qsizetype at = route.size() - 1; at >= 0; --at) {
                if (route.at(at).stepId == to) {
                    route.resize(at);
                    break;
                }
            }
            addOnce(warnings, QStringLiteral("the walk went back from '%1' to '%2'; a case "
                                             "cannot go back, so it has the route taken after "
                                             "going back")
                                  .arg(detail("from"), to));
            break;
        }
        case EventKind::IncidentEnded: {
            outcome = detail("outcome");
            const Step *at = playbook.step(e.stepId);
            const bool noWayOn = events.at(i - 1).kind == EventKind::Inconclusive;
            if (at && at->type.value != StepType::End && !noWayOn)
                warnings.append(QStringLiteral("the incident was ended by hand at step '%1' "
                                               "(%2); a case cannot stop there")
                                    .arg(e.stepId, *outcome));
            break;
        }
        default:
            break;
        }
    }

    ScenarioCase &sc = recorded.scenarioCase;
    sc.name = name;
    sc.inputs = started.value(QStringLiteral("inputs")).toObject();
    QStringList path;
    QStringList order; // steps by first visit
    QHash<QString, QList<QJsonObject>> results;
    QHash<QString, QStringList> answers;
    for (qsizetype i = 0; i < route.size(); ++i) {
        const Visit &v = route.at(i);
        path.append(v.stepId);
        if (!order.contains(v.stepId))
            order.append(v.stepId);
        const Step &step = *playbook.step(v.stepId);
        const bool movedOn = i + 1 < route.size() || outcome;
        if (isAutomated(step)) {
            if (v.result) {
                results[v.stepId].append(caseResult(step, *v.result, dryRun, &warnings));
            } else if (v.skipped && step.type.value != StepType::Wait) {
                results[v.stepId].append({{QStringLiteral("status"), successStatus(step)}});
            } else if (movedOn && step.type.value == StepType::Wait && !v.skipped) {
                // Timed out before its first poll came back: a result that does not hold.
                results[v.stepId].append(
                    readsQuery(step)
                        ? QJsonObject{{QStringLiteral("no_data"), true}}
                        : QJsonObject{{QStringLiteral("error"),
                                       QStringLiteral("no answer before the timeout")}});
            }
        }
        if (v.answer)
            answers[v.stepId].append(*v.answer);
    }
    for (const QString &id : std::as_const(order)) {
        if (const QList<QJsonObject> seen = results.value(id); !seen.isEmpty()) {
            if (seen.count(seen.constLast()) != seen.size()) {
                QStringList shown;
                for (const QJsonObject &r : seen)
                    shown.append(describeResult(r));
                warnings.append(QStringLiteral("step '%1' saw different results on its visits "
                                               "(%2); a case gives a step one result, so it "
                                               "has the last")
                                    .arg(id, shown.join(QStringLiteral(", then "))));
            }
            sc.results.insert(id, seen.constLast());
        }
        if (const QStringList given = answers.value(id); !given.isEmpty()) {
            if (given.count(given.constLast()) != given.size())
                warnings.append(QStringLiteral("step '%1' was answered differently on its visits "
                                               "('%2'); a case answers a step once, so it has "
                                               "the last")
                                    .arg(id, given.join(QStringLiteral("', then '"))));
            sc.answers.insert(id, given.constLast());
        }
    }
    sc.path = path;
    sc.outcome = outcome;

    if (!outcome) {
        warnings.append(
            QStringLiteral("the incident has not ended%1: the case has no outcome and stops "
                           "where the walk stopped; give what comes next before it can pass")
                .arg(route.isEmpty()
                         ? QString()
                         : QStringLiteral(" (it is at step '%1')").arg(route.constLast().stepId)));
        return recorded;
    }
    // Run as `runlane-cli test` would: whatever the case cannot say about this walk shows here.
    const CaseResult run = runScenarioCase(std::make_shared<const Playbook>(playbook), sc);
    if (!run.passed) {
        QStringList failures;
        for (const QString &f : run.failures)
            failures.append(f.simplified());
        warnings.append(QStringLiteral("as recorded, the case does not pass: %1")
                            .arg(failures.join(QStringLiteral("; "))));
    }
    return recorded;
}

namespace {

// ---- The YAML of a case ----

constexpr qsizetype lineWidth = 100; // a flow map or list longer than this goes on lines

using Pairs = QList<std::pair<QString, QJsonValue>>;

// `first` keys in that order, then the others in the object's order.
Pairs pairsOf(const QJsonObject &object, const QStringList &first = {})
{
    Pairs pairs;
    for (const QString &key : first) {
        if (object.contains(key))
            pairs.append({key, object.value(key)});
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!first.contains(it.key()))
            pairs.append({it.key(), it.value()});
    }
    return pairs;
}

bool unprintable(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || (u >= 0x7F && u <= 0x9F) || u == 0x2028 || u == 0x2029 || u == 0xFEFF;
}

// Whether plain text would be read back as something else: a number, a bool, null, an alias,
// a comment, a key, the end of a flow collection, or lose its spaces. Words other YAML readers
// take for booleans, dates or numbers are quoted too, so that editors agree.
bool needsQuotes(const QString &text, bool inFlow)
{
    if (text.isEmpty() || text.front().isSpace() || text.back().isSpace())
        return true;
    if (plainBool(text) || plainNumber(text))
        return true;
    static const QRegularExpression words(QStringLiteral(
        "^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<.*|"
        "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|[-+.]?[0-9][^ ]*)$"));
    if (words.match(text).hasMatch())
        return true;
    if (QStringView(u"-?:,[]{}#&*!|>'\"%@`").contains(text.front()))
        return true;
    if (text.contains(u": ") || text.contains(u" #") || text.endsWith(u':'))
        return true;
    if (inFlow && std::any_of(text.cbegin(), text.cend(),
                              [](QChar c) { return QStringView(u",[]{}:#?").contains(c); }))
        return true;
    return std::any_of(text.cbegin(), text.cend(), unprintable);
}

QString quoted(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += QStringLiteral("\\\"");
            break;
        case u'\\':
            out += QStringLiteral("\\\\");
            break;
        case u'\n':
            out += QStringLiteral("\\n");
            break;
        case u'\t':
            out += QStringLiteral("\\t");
            break;
        case u'\r':
            out += QStringLiteral("\\r");
            break;
        default:
            if (unprintable(c))
                out += c.unicode() <= 0xFF
                           ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
                           : QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + u'"';
}

QString scalarText(const QJsonValue &value, bool inFlow)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return expr::numberText(value.toDouble());
    case QJsonValue::String: {
        const QString text = value.toString();
        return needsQuotes(text, inFlow) ? quoted(text) : text;
    }
    default:
        return QStringLiteral("null");
    }
}

bool isCollection(const QJsonValue &value)
{
    return value.isObject() || value.isArray();
}

QString flowText(const QJsonValue &value);

QString flowPairs(const Pairs &pairs)
{
    QStringList items;
    for (const auto &[key, value] : pairs)
        items.append(scalarText(key, true) + QStringLiteral(": ") + flowText(value));
    return u'{' + items.join(QStringLiteral(", ")) + u'}';
}

QString flowText(const QJsonValue &value)
{
    if (value.isObject())
        return flowPairs(pairsOf(value.toObject()));
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(flowText(item));
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    return scalarText(value, true);
}

QString spaces(qsizetype n)
{
    return QString(n, u' ');
}

void writeBlock(QStringList &lines, qsizetype indent, const QJsonValue &value);

// `key: value` at `indent`: on one line when the value fits there, else below it.
void writeField(QStringList &lines, qsizetype indent, const QString &key, const QJsonValue &value,
                const Pairs *ordered = nullptr)
{
    const QString head = spaces(indent) + scalarText(key, false) + u':';
    if (!isCollection(value)) {
        lines.append(head + u' ' + scalarText(value, false));
        return;
    }
    const QString flow = ordered ? flowPairs(*ordered) : flowText(value);
    const bool empty = value.isObject() ? value.toObject().isEmpty() : value.toArray().isEmpty();
    if (empty || head.size() + 1 + flow.size() <= lineWidth) {
        lines.append(head + u' ' + flow);
        return;
    }
    lines.append(head);
    if (ordered) {
        for (const auto &[k, v] : *ordered)
            writeField(lines, indent + 2, k, v);
    } else {
        writeBlock(lines, indent + 2, value);
    }
}

void writeBlock(QStringList &lines, qsizetype indent, const QJsonValue &value)
{
    if (value.isObject()) {
        for (const auto &[key, v] : pairsOf(value.toObject()))
            writeField(lines, indent, key, v);
        return;
    }
    for (const QJsonValue &item : value.toArray()) {
        const QString flow = isCollection(item) ? flowText(item) : scalarText(item, false);
        if (!isCollection(item) || indent + 2 + flow.size() <= lineWidth ||
            (item.isObject() ? item.toObject().isEmpty() : item.toArray().isEmpty())) {
            lines.append(spaces(indent) + QStringLiteral("- ") + flow);
            continue;
        }
        // The item's own lines, its first one behind the dash.
        QStringList inner;
        writeBlock(inner, indent + 2, item);
        inner.first() = spaces(indent) + QStringLiteral("- ") + inner.first().mid(indent + 2);
        lines += inner;
    }
}

QString idList(const QStringList &ids)
{
    QStringList items;
    for (const QString &id : ids)
        items.append(scalarText(id, true));
    return u'[' + items.join(QStringLiteral(", ")) + u']';
}

// Steps in the order the walk meets them (as the shipped files list them), then the others.
Pairs byPath(const QJsonObject &object, const ScenarioCase &c)
{
    QStringList order = c.path.value_or(c.visits.value_or(QStringList()));
    order.removeDuplicates();
    return pairsOf(object, order);
}

} // namespace

QString caseToYaml(const ScenarioCase &c)
{
    QStringList lines{QStringLiteral("  - name: ") + scalarText(c.name, false)};
    if (!c.inputs.isEmpty())
        writeField(lines, 4, QStringLiteral("inputs"), c.inputs);
    if (!c.results.isEmpty()) {
        lines.append(QStringLiteral("    results:"));
        static const QStringList resultKeys{QStringLiteral("value"), QStringLiteral("no_data"),
                                            QStringLiteral("error"), QStringLiteral("status"),
                                            QStringLiteral("body"),  QStringLiteral("elapsed_ms")};
        for (const auto &[step, result] : byPath(c.results, c)) {
            const Pairs ordered = pairsOf(result.toObject(), resultKeys);
            writeField(lines, 6, step, result, result.isObject() ? &ordered : nullptr);
        }
    }
    if (!c.answers.isEmpty()) {
        lines.append(QStringLiteral("    answers:"));
        for (const auto &[step, answer] : byPath(c.answers, c))
            writeField(lines, 6, step, answer);
    }
    lines.append(QStringLiteral("    expect:"));
    if (c.path)
        lines.append(QStringLiteral("      path: ") + idList(*c.path));
    if (c.visits)
        lines.append(QStringLiteral("      visits: ") + idList(*c.visits));
    if (c.outcome)
        lines.append(QStringLiteral("      outcome: ") + scalarText(*c.outcome, false));
    if (c.vars)
        writeField(lines, 6, QStringLiteral("vars"), *c.vars);
    return lines.join(u'\n') + u'\n';
}

QString playbookLine(const QString &testFile, const QString &playbookFile)
{
    const QString relative = QFileInfo(testFile).absoluteDir().relativeFilePath(
        QFileInfo(playbookFile).absoluteFilePath());
    return QStringLiteral("playbook: ") + scalarText(relative, false) + u'\n';
}

QString testFileFor(const QString &playbookFile)
{
    QString base = playbookFile;
    for (const QLatin1String suffix : {QLatin1String(".yaml"), QLatin1String(".yml")}) {
        if (base.endsWith(suffix)) {
            base.chop(suffix.size());
            break;
        }
    }
    return base + QStringLiteral(".test.yaml");
}

namespace {

// ---- Appending to a test file ----

bool samePath(const QString &a, const QString &b)
{
    const QFileInfo ia(a), ib(b);
    if (ia.exists() && ib.exists())
        return ia.canonicalFilePath() == ib.canonicalFilePath();
    return QDir::cleanPath(ia.absoluteFilePath()) == QDir::cleanPath(ib.absoluteFilePath());
}

std::optional<YAML::Node> parse(const QByteArray &text, const QString &file)
{
    DiagnosticSink sink(file);
    return parseYamlDocument(text, sink);
}

// Where the case goes: the column of the `cases:` items, when that list is the last thing in the
// file and is written as a block (a flow list or a key after it cannot be appended to).
std::variant<int, QString> appendColumn(const QByteArray &text, const QString &file)
{
    const auto root = parse(text, file);
    const QString cannot = QStringLiteral("%1 does not end with a 'cases:' list a case can be "
                                          "appended to: %2");
    if (!root || !root->IsMap() || root->Style() == YAML::EmitterStyle::Flow)
        return cannot.arg(file, QStringLiteral("it is not a YAML map written on lines"));
    YAML::Node key, cases;
    for (auto it = root->begin(); it != root->end(); ++it) {
        key = it->first;
        cases = it->second;
    }
    if (!key.IsDefined() || key.Scalar() != "cases")
        return cannot.arg(file, QStringLiteral("'cases:' is not its last key"));
    if (!cases.IsSequence() || cases.Style() == YAML::EmitterStyle::Flow)
        return cannot.arg(file, QStringLiteral("'cases' is not a list written on lines"));
    const int keyLine = key.Mark().line;
    const int keyColumn = key.Mark().column;
    const int itemColumn = cases.Mark().column;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = keyLine + 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        qsizetype indent = 0;
        while (indent < lines.at(i).size() && lines.at(i).at(indent) == ' ')
            ++indent;
        const bool item = indent == itemColumn && (line == "-" || line.startsWith("- "));
        if (indent <= keyColumn && !item)
            return cannot.arg(file, QStringLiteral("line %1 follows the list").arg(i + 1));
    }
    return itemColumn;
}

// The case as loadScenarioFile reads an entry of `cases:`.
QJsonObject caseJson(const ScenarioCase &c)
{
    QJsonObject o{{QStringLiteral("name"), c.name}};
    if (!c.inputs.isEmpty())
        o.insert(QStringLiteral("inputs"), c.inputs);
    if (!c.results.isEmpty())
        o.insert(QStringLiteral("results"), c.results);
    if (!c.answers.isEmpty())
        o.insert(QStringLiteral("answers"), c.answers);
    QJsonObject expect;
    if (c.path)
        expect.insert(QStringLiteral("path"), QJsonArray::fromStringList(*c.path));
    if (c.visits)
        expect.insert(QStringLiteral("visits"), QJsonArray::fromStringList(*c.visits));
    if (c.outcome)
        expect.insert(QStringLiteral("outcome"), *c.outcome);
    if (c.vars)
        expect.insert(QStringLiteral("vars"), *c.vars);
    o.insert(QStringLiteral("expect"), expect);
    return o;
}

QJsonObject documentJson(const QByteArray &text, const QString &file)
{
    const auto root = parse(text, file);
    return root ? yamlToJson(*root).toObject() : QJsonObject();
}

} // namespace

std::optional<QString> appendCaseToTestFile(const QString &testFile, const QString &playbookFile,
                                            const ScenarioCase &scenarioCase, QString *writtenName)
{
    const QFileInfo info(testFile);
    QByteArray before;
    QByteArray eol = "\n";
    int column = 2;
    QString name = scenarioCase.name;
    if (info.exists()) {
        QFile file(testFile);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read %1: %2").arg(testFile, file.errorString());
        before = file.readAll();
        const ScenarioLoad load = loadScenarioFile(testFile);
        if (!load.scenario) {
            const auto error = std::find_if(load.diagnostics.cbegin(), load.diagnostics.cend(),
                                            [](const Diagnostic &d) { return d.isError(); });
            return QStringLiteral("%1 does not load; fix it before adding a case: %2")
                .arg(testFile,
                     error != load.diagnostics.cend() ? error->toString() : QStringLiteral("?"));
        }
        if (!samePath(load.scenario->playbookFile, playbookFile))
            return QStringLiteral("%1 tests %2, not %3")
                .arg(testFile, QDir::toNativeSeparators(load.scenario->playbookFile),
                     QDir::toNativeSeparators(playbookFile));
        const auto at = appendColumn(before, testFile);
        if (const auto *problem = std::get_if<QString>(&at))
            return *problem;
        column = std::get<int>(at);
        QSet<QString> names;
        for (const ScenarioCase &c : load.scenario->cases)
            names.insert(c.name);
        for (int n = 2; names.contains(name); ++n)
            name = QStringLiteral("%1 (%2)").arg(scenarioCase.name).arg(n);
        if (before.contains("\r\n"))
            eol = "\r\n";
    } else if (!info.absoluteDir().exists()) {
        return QStringLiteral("cannot create %1: there is no folder %2")
            .arg(testFile, info.absolutePath());
    }

    ScenarioCase c = scenarioCase;
    c.name = name;
    QString item = caseToYaml(c);
    if (column != 2) {
        QStringList lines = item.split(u'\n');
        for (QString &line : lines) {
            if (!line.isEmpty())
                line = spaces(column) + line.mid(2);
        }
        item = lines.join(u'\n');
    }
    // Written with '\n', then in the file's own line ends: the item holds no other line break.
    const QString relative =
        info.absoluteDir().relativeFilePath(QFileInfo(playbookFile).absoluteFilePath());
    QByteArray added;
    if (info.exists()) {
        if (!before.isEmpty() && !before.endsWith('\n'))
            added += '\n';
        if (!before.endsWith(eol + eol) || !added.isEmpty())
            added += '\n'; // a blank line between cases, as the shipped files have
    } else {
        added = (playbookLine(testFile, playbookFile) + QStringLiteral("cases:\n")).toUtf8();
    }
    added += item.toUtf8();
    if (eol != "\n")
        added.replace("\n", eol);
    const QByteArray after = before + added;

    // The file must read back with its cases as they were and this one as given: a slip of the
    // writer must never reach a test file.
    QJsonObject expected = info.exists() ? documentJson(before, testFile)
                                         : QJsonObject{{QStringLiteral("playbook"), relative}};
    QJsonArray cases = expected.value(QStringLiteral("cases")).toArray();
    cases.append(caseJson(c));
    expected.insert(QStringLiteral("cases"), cases);
    if (documentJson(after, testFile) != expected)
        return QStringLiteral("the case cannot be appended to %1 so that it reads back as "
                              "recorded; add it by hand")
            .arg(testFile);

    QSaveFile out(testFile);
    if (!out.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(testFile, out.errorString());
    out.write(after);
    if (!out.commit())
        return QStringLiteral("cannot write %1: %2").arg(testFile, out.errorString());
    if (writtenName)
        *writtenName = name;
    return std::nullopt;
}

} // namespace runlane
