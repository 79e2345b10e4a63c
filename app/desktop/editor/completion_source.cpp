#include "app/desktop/editor/completion_source.h"

#include "engine/playbook/call_catalog.h"

#include <QSet>

namespace runlane::desktop {

using namespace yaml_lines;
using namespace Qt::StringLiterals;

namespace {

const QString middleDot = u" \u00B7 "_s;

// The line of a top-level key (`steps:` at column 0), if written.
std::optional<LineRange> sectionHeader(const QString &text, const QString &key)
{
    const QString needle = key + u':';
    const auto followedWell = [&](qsizetype after) {
        return after == text.size() || text[after] == u' ' || text[after] == u'\n' ||
               text[after] == u'\r' || text[after] == u'\t';
    };
    if (text.startsWith(needle) && followedWell(needle.size()))
        return lineAt(text, 0);
    const QString lineNeedle = u'\n' + needle;
    for (qsizetype i = text.indexOf(lineNeedle); i >= 0; i = text.indexOf(lineNeedle, i + 1)) {
        if (followedWell(i + lineNeedle.size()))
            return lineAt(text, int(i) + 1);
    }
    return std::nullopt;
}

// One item of a top-level list (a step, a lane), as far as the text says.
struct ListItem
{
    QString id;
    QString title;
    QString call;
    QStringList saves;
};

constexpr QStringView idKey(u"id"), titleKey(u"title"), callKey(u"call"), saveKey(u"save");

void takeItemEntry(ListItem &item, const Entry &entry)
{
    if (entry.key == idKey)
        item.id = entry.value.toString();
    else if (entry.key == titleKey)
        item.title = entry.value.toString();
    else if (entry.key == callKey)
        item.call = entry.value.toString();
    else if (entry.key == saveKey && entry.value.startsWith(u'{')) {
        for (const Entry &save : flowMapEntries(entry.value))
            item.saves.append(save.key.toString());
    }
}

// Whether a line of an item starts with a key takeItemEntry() reads.
bool wantedItemKey(QStringView content)
{
    if (content.isEmpty())
        return false;
    switch (content.front().unicode()) {
    case u'i':
    case u't':
    case u'c':
    case u's':
        break;
    case u'"':
    case u'\'':
        return true; // a quoted key: read it
    default:
        return false;
    }
    for (const QStringView key : {idKey, titleKey, callKey, saveKey}) {
        if (content.size() > key.size() && content.startsWith(key) &&
            (content[key.size()] == u':' || content[key.size()] == u' '))
            return true;
    }
    return false;
}

// The items of `steps:` or `lanes:`: one pass over that section, reading only the lines at the
// items' own columns (and a block `save:` map's keys).
QList<ListItem> scanListSection(const QString &text, const QString &key)
{
    QList<ListItem> items;
    const auto header = sectionHeader(text, key);
    if (!header)
        return items;
    LineRange line = *header;
    int itemDash = -1;
    int keyColumn = -1;
    int saveColumn = -1;
    bool inSave = false;
    while (nextLine(text, line)) {
        const QStringView l = lineText(text, line);
        const Shape s = shapeOf(l);
        if (s.blank)
            continue;
        if (s.indent == 0 && s.dashCount == 0)
            break; // the next top-level key
        if (s.dashCount > 0 && (itemDash < 0 || s.firstDash == itemDash)) {
            itemDash = s.firstDash;
            items.append(ListItem{});
            inSave = false;
            const QStringView content = l.mid(s.content);
            keyColumn = content.isEmpty() ? -1 : s.content;
            if (content.startsWith(u'{')) {
                for (const Entry &entry : flowMapEntries(content))
                    takeItemEntry(items.last(), entry);
            } else if (const auto entry = blockEntry(content)) {
                takeItemEntry(items.last(), *entry);
            }
            continue;
        }
        if (items.isEmpty() || s.indent <= itemDash)
            continue;
        if (keyColumn < 0)
            keyColumn = s.indent;
        if (s.indent == keyColumn && s.dashCount == 0) {
            inSave = false;
            const QStringView content = l.mid(s.content);
            if (!wantedItemKey(content))
                continue; // most of a step's lines: skipped without reading them further
            if (const auto entry = blockEntry(content)) {
                takeItemEntry(items.last(), *entry);
                inSave = entry->key == saveKey && entry->value.isEmpty();
                saveColumn = -1;
            }
            continue;
        }
        if (inSave && s.indent > keyColumn && s.dashCount == 0) {
            if (saveColumn < 0)
                saveColumn = s.indent;
            if (s.indent == saveColumn) {
                if (const auto entry = blockEntry(l.mid(s.content)))
                    items.last().saves.append(entry->key.toString());
            }
        }
    }
    return items;
}

// One entry of a top-level map (an input, a target) with one of its fields (`prompt`, `kind`).
struct MapItem
{
    QString name;
    QString field;
};

QList<MapItem> scanMapSection(const QString &text, const QString &key, QStringView field)
{
    QList<MapItem> items;
    const auto header = sectionHeader(text, key);
    if (!header)
        return items;
    const auto fieldOf = [field](QStringView flowMap) {
        for (const Entry &entry : flowMapEntries(flowMap)) {
            if (entry.key == field)
                return entry.value.toString();
        }
        return QString();
    };
    if (const auto entry = blockEntry(lineText(text, *header)); entry && entry->value.size() > 0) {
        for (const Entry &e : flowMapEntries(entry->value)) // `inputs: {a: {…}, b: {…}}`
            items.append({e.key.toString(), fieldOf(e.value)});
        return items;
    }
    LineRange line = *header;
    int nameColumn = -1;
    int fieldColumn = -1;
    while (nextLine(text, line)) {
        const QStringView l = lineText(text, line);
        const Shape s = shapeOf(l);
        if (s.blank)
            continue;
        if (s.indent == 0)
            break;
        if (nameColumn < 0)
            nameColumn = s.indent;
        if (s.indent == nameColumn && s.dashCount == 0) {
            if (const auto entry = blockEntry(l.mid(s.content)))
                items.append({entry->key.toString(), fieldOf(entry->value)});
            fieldColumn = -1;
            continue;
        }
        if (s.indent > nameColumn && !items.isEmpty() && s.dashCount == 0) {
            if (fieldColumn < 0)
                fieldColumn = s.indent;
            if (s.indent == fieldColumn) {
                if (const auto entry = blockEntry(l.mid(s.content)); entry && entry->key == field)
                    items.last().field = entry->value.toString();
            }
        }
    }
    return items;
}

// Collects candidates once each, in the order added.
class Candidates
{
public:
    void add(const QString &text, const QString &detail = {}, const QString &insert = {})
    {
        if (text.isEmpty() || m_seen.contains(text))
            return;
        m_seen.insert(text);
        m_list.append({text, detail, insert});
    }
    void exclude(const QString &text) { m_seen.insert(text); }
    QList<Completion> take() { return std::move(m_list); }

private:
    QList<Completion> m_list;
    QSet<QString> m_seen;
};

void addStepIds(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const auto detail = [](const QString &title) {
        return title.isEmpty() ? u"step"_s : u"step"_s + middleDot + title;
    };
    // The text is what the author sees; a stale read only fills in when the scan finds nothing.
    const QList<ListItem> steps = scanListSection(ctx.text, u"steps"_s);
    for (const ListItem &step : steps)
        out.add(step.id, detail(step.title));
    if (lastRead && steps.isEmpty()) {
        for (const Step &step : lastRead->steps)
            out.add(step.id.value, detail(step.title.value));
    }
}

void addTargets(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    std::optional<TargetKind> wanted;
    if (ctx.pathIs({u"steps", u"-"})) {
        if (const CallSpec *call = findCall(ctx.stepCall); call && !call->anyTarget)
            wanted = call->kind;
    } else if (ctx.inStep() && ctx.path.last() == u"query") {
        wanted = TargetKind::Prometheus;
    }
    QList<MapItem> targets = scanMapSection(ctx.text, u"targets"_s, u"kind");
    if (targets.isEmpty() && lastRead) {
        for (const Target &target : lastRead->targets)
            targets.append({target.name.value, toString(target.kind.value)});
    }
    if (wanted) {
        // Those that fit first, then the others, each in the order written.
        const QString fits = toString(*wanted);
        for (const MapItem &target : std::as_const(targets)) {
            if (target.field == fits)
                out.add(target.name, target.field);
        }
    }
    for (const MapItem &target : std::as_const(targets))
        out.add(target.name, target.field.isEmpty() ? u"target"_s : target.field);
}

void addLanes(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const QList<ListItem> lanes = scanListSection(ctx.text, u"lanes"_s);
    for (const ListItem &lane : lanes)
        out.add(lane.id, lane.title);
    if (!lanes.isEmpty())
        return;
    if (lastRead && !lastRead->lanes.isEmpty()) {
        for (const Lane &lane : lastRead->lanes)
            out.add(lane.id.value, lane.title.value);
        return;
    }
    out.add(u"device"_s, u"Device"_s); // the default lanes of the format
    out.add(u"node"_s, u"Edge node"_s);
    out.add(u"control-plane"_s, u"Control plane"_s);
}

void addInputs(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const auto detail = [](const QString &prompt) {
        return prompt.isEmpty() ? u"input"_s : u"input"_s + middleDot + prompt;
    };
    const QList<MapItem> inputs = scanMapSection(ctx.text, u"inputs"_s, u"prompt");
    for (const MapItem &input : inputs)
        out.add(input.name, detail(input.field));
    if (inputs.isEmpty() && lastRead) {
        for (const Input &input : lastRead->inputs)
            out.add(input.name.value, detail(input.prompt.value));
    }
}

void addVars(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const auto savedBy = [](const QString &step) { return u"saved by "_s + step; };
    const auto callSaves = [&](const QString &callName, const QString &step) {
        if (const CallSpec *call = findCall(callName)) {
            for (const auto &save : call->saves)
                out.add(save.first, savedBy(step.isEmpty() ? callName : step));
        }
    };
    const QList<ListItem> steps = scanListSection(ctx.text, u"steps"_s);
    for (const ListItem &step : steps) {
        for (const QString &name : step.saves)
            out.add(name, savedBy(step.id));
        callSaves(step.call, step.id);
    }
    if (steps.isEmpty() && lastRead) {
        for (const Step &step : lastRead->steps) {
            for (const SaveEntry &save : step.save)
                out.add(save.name.value, savedBy(step.id.value));
            callSaves(step.call.value, step.id.value);
        }
    }
}

void addTemplateNames(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const qsizetype dot = ctx.templatePrefix.indexOf(u'.');
    if (dot < 0) {
        out.add(u"inputs."_s, u"the incident's inputs"_s);
        out.add(u"vars."_s, u"values saved by steps"_s);
        out.add(u"incident."_s, u"id, started_at"_s);
        return;
    }
    if (ctx.templatePrefix.indexOf(u'.', dot + 1) >= 0)
        return; // no names nest deeper
    const QStringView scope = QStringView(ctx.templatePrefix).left(dot);
    if (scope == u"inputs") {
        addInputs(out, ctx, lastRead);
    } else if (scope == u"vars") {
        addVars(out, ctx, lastRead);
    } else if (scope == u"incident") {
        out.add(u"id"_s, u"the incident's id"_s);
        out.add(u"started_at"_s, u"when it started"_s);
    }
}

void addList(Candidates &out, std::initializer_list<const char16_t *> values,
             const QString &detail = {})
{
    for (const char16_t *value : values)
        out.add(QString::fromUtf16(value), detail);
}

// The keys a map may take; `required` marks those the format requires.
struct Key
{
    const char16_t *name;
    const char16_t *detail = u"";
};

void addKeys(Candidates &out, std::initializer_list<Key> keys)
{
    for (const Key &key : keys) {
        const QString name = QString::fromUtf16(key.name);
        out.add(name, QString::fromUtf16(key.detail), name + u": "_s);
    }
}

constexpr const char16_t *required = u"required";

void addStepKeys(Candidates &out, const QString &type)
{
    addKeys(out, {{u"id", required},
                  {u"type", required},
                  {u"title", required},
                  {u"lane"},
                  {u"body"},
                  {u"timeout"}});
    const auto step = stepTypeFromString(type);
    if (!step)
        return;
    switch (*step) {
    case StepType::Task:
        addKeys(out, {{u"checklist"}, {u"next", required}});
        break;
    case StepType::Decision:
        addKeys(out, {{u"options", required}});
        break;
    case StepType::Check:
        addKeys(out, {{u"query", u"one of query, probe"},
                      {u"probe", u"one of query, probe"},
                      {u"when"},
                      {u"else"},
                      {u"no_data"},
                      {u"on_error"}});
        break;
    case StepType::Action:
        addKeys(out, {{u"call", u"one of call, request"},
                      {u"target", required},
                      {u"with"},
                      {u"request", u"one of call, request"},
                      {u"confirm"},
                      {u"save"},
                      {u"next", required},
                      {u"on_failure"},
                      {u"fanout"}});
        break;
    case StepType::Wait:
        addKeys(out, {{u"duration", u"one of duration, until"},
                      {u"until", u"one of duration, until"},
                      {u"next", required},
                      {u"on_timeout"}});
        break;
    case StepType::Escalate:
        addKeys(out, {{u"call", required},
                      {u"target", required},
                      {u"with"},
                      {u"request"},
                      {u"confirm"},
                      {u"next", required}});
        break;
    case StepType::End:
        addKeys(out, {{u"outcome", required}});
        break;
    }
}

void addKeysAt(Candidates &out, const YamlCursorContext &ctx)
{
    for (const QString &written : ctx.writtenKeys)
        out.exclude(written);
    const auto requestKeys = {Key{u"method"},  Key{u"path"}, Key{u"query"},
                              Key{u"headers"}, Key{u"body"}, Key{u"expect"}};
    if (ctx.path.isEmpty()) {
        addKeys(out, {{u"runlane", required},
                      {u"id", required},
                      {u"title", required},
                      {u"summary"},
                      {u"severity"},
                      {u"owner"},
                      {u"tags"},
                      {u"triggers"},
                      {u"budget"},
                      {u"lanes"},
                      {u"inputs"},
                      {u"targets"},
                      {u"start", required},
                      {u"steps", required}});
    } else if (ctx.pathIs({u"steps", u"-"})) {
        addStepKeys(out, ctx.stepType);
    } else if (ctx.pathIs({u"steps", u"-", u"with"})) {
        if (const CallSpec *call = findCall(ctx.stepCall)) {
            for (const QString &name : call->required)
                out.add(name, u"required"_s, name + u": "_s);
            for (const QString &name : call->optional)
                out.add(name, u"optional"_s, name + u": "_s);
        }
    } else if (ctx.pathIs({u"steps", u"-", u"query"}) ||
               ctx.pathIs({u"steps", u"-", u"until", u"query"})) {
        addKeys(out, {{u"target", required}, {u"promql", required}, {u"reduce"}});
    } else if (ctx.pathIs({u"steps", u"-", u"probe"}) ||
               ctx.pathIs({u"steps", u"-", u"until", u"probe"})) {
        addKeys(out, {{u"target", required}});
        addKeys(out, requestKeys);
    } else if (ctx.pathIs({u"steps", u"-", u"request"})) {
        addKeys(out, requestKeys);
    } else if (ctx.pathIs({u"steps", u"-", u"until"})) {
        addKeys(out, {{u"query", u"one of query, probe"},
                      {u"probe", u"one of query, probe"},
                      {u"if", required},
                      {u"every"}});
    } else if (ctx.pathIs({u"steps", u"-", u"fanout"})) {
        addKeys(out, {{u"over", required},
                      {u"as", required},
                      {u"url"},
                      {u"concurrency"},
                      {u"waves"},
                      {u"max_failures"}});
    } else if (ctx.pathIs({u"steps", u"-", u"options", u"-"})) {
        addKeys(out, {{u"label", required}, {u"next", required}});
    } else if (ctx.pathIs({u"steps", u"-", u"when", u"-"})) {
        addKeys(out, {{u"if", required}, {u"next", required}});
    } else if (ctx.pathIs({u"lanes", u"-"})) {
        addKeys(out, {{u"id", required}, {u"title"}});
    } else if (ctx.pathIs({u"inputs", u"*"})) {
        addKeys(
            out,
            {{u"prompt"}, {u"type"}, {u"default"}, {u"pattern"}, {u"min"}, {u"max"}, {u"choices"}});
    } else if (ctx.pathIs({u"targets", u"*"})) {
        addKeys(out, {{u"kind", required},
                      {u"url", required},
                      {u"auth"},
                      {u"timeout"},
                      {u"retry"},
                      {u"tls"},
                      {u"routing_key", u"pagerduty only"}});
    } else if (ctx.pathIs({u"budget"})) {
        addKeys(out, {{u"acknowledge"}, {u"mitigate"}, {u"resolve"}});
    }
}

bool isStepReference(const QString &key)
{
    static const QSet<QString> keys{u"next"_s,       u"else"_s,       u"no_data"_s, u"on_error"_s,
                                    u"on_failure"_s, u"on_timeout"_s, u"start"_s};
    return keys.contains(key);
}

void addValuesAt(Candidates &out, const YamlCursorContext &ctx, const Playbook *lastRead)
{
    const QString &key = ctx.key;
    if (isStepReference(key)) {
        if (key == u"next")
            out.exclude(ctx.stepId); // a step does not lead on to itself
        addStepIds(out, ctx, lastRead);
        if (key == u"no_data" || key == u"on_error")
            out.add(u"ask"_s, u"the engineer chooses"_s);
    } else if (key == u"call") {
        for (const CallSpec &call : callCatalog())
            out.add(call.name, call.anyTarget ? u"any target"_s : toString(call.kind));
    } else if (key == u"target") {
        addTargets(out, ctx, lastRead);
    } else if (key == u"lane") {
        addLanes(out, ctx, lastRead);
    } else if (key == u"type" && ctx.pathIs({u"inputs", u"*"})) {
        for (int t = 0; t <= int(InputType::List); ++t)
            out.add(toString(InputType(t)));
    } else if (key == u"type") {
        for (int t = 0; t <= int(StepType::End); ++t)
            out.add(toString(StepType(t)));
    } else if (key == u"outcome") {
        for (int o = 0; o <= int(Outcome::Aborted); ++o)
            out.add(toString(Outcome(o)));
    } else if (key == u"kind") {
        for (int k = 0; k <= int(TargetKind::Http); ++k)
            out.add(toString(TargetKind(k)));
    } else if (key == u"severity" && ctx.pathIs({u"steps", u"-", u"with"})) {
        addList(out, {u"critical", u"error", u"warning", u"info"}, u"PagerDuty"_s);
    } else if (key == u"severity") {
        for (int s = 0; s <= int(Severity::Sev4); ++s)
            out.add(toString(Severity(s)));
    } else if (key == u"reduce") {
        addList(out, {u"max", u"min", u"sum", u"avg"});
    } else if (key == u"method") {
        addList(out, {u"GET", u"POST", u"PUT", u"PATCH", u"DELETE"});
    } else if (key == u"confirm" || key == u"verify" || key == u"all") {
        addList(out, {u"true", u"false"});
    }
}

// Those that start with the prefix first (one that is exactly the prefix before them: `failover`
// before `failover-decision`), then those that contain it; order kept within each.
QList<Completion> filtered(QList<Completion> all, const QString &prefix)
{
    if (prefix.isEmpty())
        return all;
    QList<Completion> starting;
    QList<Completion> containing;
    for (Completion &c : all) {
        if (c.text.compare(prefix, Qt::CaseInsensitive) == 0)
            starting.prepend(std::move(c));
        else if (c.text.startsWith(prefix, Qt::CaseInsensitive))
            starting.append(std::move(c));
        else if (c.text.contains(prefix, Qt::CaseInsensitive))
            containing.append(std::move(c));
    }
    return starting + containing;
}

} // namespace

QList<Completion> completionsAt(const YamlCursorContext &ctx, const Playbook *lastRead)
{
    Candidates out;
    if (ctx.inComment)
        return {};
    if (ctx.inTemplate)
        addTemplateNames(out, ctx, lastRead);
    else if (ctx.inScalarText || ctx.inListItem)
        return {};
    else if (ctx.inKey)
        addKeysAt(out, ctx);
    else
        addValuesAt(out, ctx, lastRead);
    return filtered(out.take(), ctx.prefix);
}

bool completesWhileTyping(const YamlCursorContext &ctx)
{
    if (ctx.inComment)
        return false;
    if (ctx.inTemplate)
        return true;
    if (ctx.inKey || ctx.inScalarText || ctx.inListItem)
        return false;
    static const QSet<QString> naming{u"call"_s,     u"target"_s,  u"lane"_s,
                                      u"type"_s,     u"outcome"_s, u"kind"_s,
                                      u"severity"_s, u"reduce"_s,  u"method"_s};
    return isStepReference(ctx.key) || naming.contains(ctx.key);
}

} // namespace runlane::desktop
