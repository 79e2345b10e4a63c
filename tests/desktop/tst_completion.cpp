#include "app/desktop/editor/completion_source.h"
#include "app/desktop/editor/editor_completer.h"
#include "app/desktop/editor/yaml_cursor_context.h"
#include "engine/playbook/loader.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QCompleter>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

// Completion in the playbook YAML editor: where the cursor is, what is offered there, and the
// popup on a plain QPlainTextEdit. A `|` marks the cursor in the texts below (the last one, since
// block scalars use it too).
class TestCompletion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void context_data();
    void context();
    void wordAroundCursor();
    void completions_data();
    void completions();
    void shippedPlaybook_data();
    void shippedPlaybook();
    void shippedReferencesOffered_data();
    void shippedReferencesOffered();
    void stepOnlyInText();
    void halfTypedText();
    void ctrlSpaceShowsPopup();
    void clickAccepts();
    void enterAccepts_data();
    void enterAccepts();
    void escapeLeavesText();
    void autoPopupWhileTyping();
    void keyCompletionInsertsColon();
    void templateScopeReopens();
    void timingOnLargeDocument();
};

namespace {

// A small but complete playbook: two lanes, inputs in flow and block form, targets of four kinds.
const QString mini = u"runlane: 1\n"
                     "id: mini\n"
                     "title: Mini\n"
                     "lanes:\n"
                     "  - {id: node, title: Edge node}\n"
                     "  - {id: control-plane, title: Control plane}\n"
                     "inputs:\n"
                     "  node: {prompt: Edge node}\n"
                     "  model:\n"
                     "    prompt: Model name\n"
                     "    default: detector\n"
                     "targets:\n"
                     "  prom: {kind: prometheus, url: 'http://127.0.0.1:9090'}\n"
                     "  triton:\n"
                     "    kind: triton\n"
                     "    url: http://127.0.0.1:8000\n"
                     "  chat: {kind: slack, url: 'http://127.0.0.1:9096'}\n"
                     "  am: {kind: alertmanager, url: 'http://127.0.0.1:9093'}\n"
                     "start: check-gpu\n"
                     "steps:\n"
                     "  - id: check-gpu\n"
                     "    type: check\n"
                     "    title: Check GPU headroom\n"
                     "    query: {target: prom, promql: 'max(gpu)'}\n"
                     "    when:\n"
                     "      - if: value > 0.9\n"
                     "        next: load-model\n"
                     "    else: close\n"
                     "  - id: load-model\n"
                     "    type: action\n"
                     "    title: Load the model\n"
                     "    call: triton.load\n"
                     "    target: triton\n"
                     "    with: {model: '{{ inputs.model }}'}\n"
                     "    save: {load_status: status}\n"
                     "    next: close\n"
                     "  - id: close\n"
                     "    type: end\n"
                     "    title: Done\n"
                     "    outcome: resolved\n"_s;

struct Marked
{
    QString text;
    int cursor = 0;
};

Marked unmark(const QString &marked)
{
    const qsizetype at = marked.lastIndexOf(u'|');
    return {marked.left(at) + marked.mid(at + 1), int(at)};
}

// `mini` with `find` replaced by `replace`, whose `|` marks the cursor.
Marked miniWith(const QString &find, const QString &replace)
{
    const qsizetype at = mini.indexOf(find);
    if (at < 0 || mini.indexOf(find, at + 1) >= 0)
        qFatal("the case's text is not in the playbook exactly once");
    const Marked inner = unmark(replace);
    return {mini.left(at) + inner.text + mini.mid(at + find.size()), int(at) + inner.cursor};
}

QString shippedText()
{
    QFile file(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/triton-model-not-ready.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("the shipped playbook cannot be read");
    return QString::fromUtf8(file.readAll());
}

PlaybookPtr read(const QString &text)
{
    return loadPlaybookText(text.toUtf8(), u"test.yaml"_s).playbook;
}

QString joined(const QList<Completion> &completions, qsizetype count)
{
    QStringList texts;
    for (qsizetype i = 0; i < std::min(count, completions.size()); ++i)
        texts.append(completions[i].text);
    return texts.join(u',');
}

// The first candidates against the expected ones; "" expects none at all.
void compareFirst(const QList<Completion> &completions, const QString &expected)
{
    if (expected.isEmpty()) {
        QCOMPARE(joined(completions, completions.size()), QString());
        return;
    }
    QCOMPARE(joined(completions, expected.count(u',') + 1), expected);
}

QString position(const YamlCursorContext &ctx)
{
    if (ctx.inComment)
        return u"comment"_s;
    if (ctx.inScalarText)
        return u"scalar"_s;
    return ctx.inKey ? u"key"_s : u"value"_s;
}

QStringList rows(const QAbstractItemModel *model, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out.append(model->index(row, 0).data(role).toString());
    return out;
}

} // namespace

void TestCompletion::context_data()
{
    QTest::addColumn<QString>("marked");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("position");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("templatePrefix"); // "-": not in a template
    QTest::addColumn<QString>("step");           // id/type/call of the enclosing step
    QTest::addColumn<QString>("written");        // keys already in the map (key position)

    const QString step = u"steps:\n  - id: s\n    type: action\n    call: triton.load\n"_s;
    QTest::newRow("top-level value")
        << u"runlane: 1\nstart: pro|\nsteps:\n"_s << u""_s << u"value"_s << u"start"_s << u"pro"_s
        << u"-"_s << u"//"_s << u""_s;
    QTest::newRow("top-level key") << u"runlane: 1\nid: x\n|\nsteps: []\n"_s << u""_s << u"key"_s
                                   << u""_s << u""_s << u"-"_s << u"//"_s << u"runlane,id,steps"_s;
    QTest::newRow("step next") << step + u"    next: clo|\n"_s << u"steps/-"_s << u"value"_s
                               << u"next"_s << u"clo"_s << u"-"_s << u"s/action/triton.load"_s
                               << u""_s;
    QTest::newRow("fresh line in a step")
        << step + u"    |\n    next: done\n  - id: done\n"_s << u"steps/-"_s << u"key"_s << u""_s
        << u""_s << u"-"_s << u"s/action/triton.load"_s << u"id,type,call,next"_s;
    QTest::newRow("new step item") << u"steps:\n  - id: a\n  - |"_s << u"steps/-"_s << u"key"_s
                                   << u""_s << u""_s << u"-"_s << u"//"_s << u""_s;
    QTest::newRow("block with: key")
        << step + u"    with:\n      other: 1\n      mo|\n    target: triton\n"_s
        << u"steps/-/with"_s << u"key"_s << u""_s << u"mo"_s << u"-"_s << u"s/action/triton.load"_s
        << u"other"_s;
    QTest::newRow("flow with: key")
        << step + u"    with: {model: x, |, version: 2}\n"_s << u"steps/-/with"_s << u"key"_s
        << u""_s << u""_s << u"-"_s << u"s/action/triton.load"_s << u"model,version"_s;
    QTest::newRow("call written below with:")
        << u"steps:\n  - id: s\n    type: escalate\n    with:\n      |\n    call: slack.post\n"_s
        << u"steps/-/with"_s << u"key"_s << u""_s << u""_s << u"-"_s << u"s/escalate/slack.post"_s
        << u""_s;
    QTest::newRow("flow option next")
        << u"steps:\n  - id: d\n    options:\n      - {label: Reload, next: re|}\n"_s
        << u"steps/-/options/-"_s << u"value"_s << u"next"_s << u"re"_s << u"-"_s << u"d//"_s
        << u""_s;
    QTest::newRow("block option next")
        << u"steps:\n  - id: d\n    options:\n      - label: Reload\n        next: |\n"_s
        << u"steps/-/options/-"_s << u"value"_s << u"next"_s << u""_s << u"-"_s << u"d//"_s
        << u""_s;
    QTest::newRow("when next") << u"steps:\n  - id: c\n    when:\n      - if: value > 0\n"
                                  "        next: lo|\n    else: x\n"_s
                               << u"steps/-/when/-"_s << u"value"_s << u"next"_s << u"lo"_s
                               << u"-"_s << u"c//"_s << u""_s;
    QTest::newRow("flow query target")
        << u"steps:\n  - id: c\n    query: {target: pr|, promql: x}\n"_s << u"steps/-/query"_s
        << u"value"_s << u"target"_s << u"pr"_s << u"-"_s << u"c//"_s << u""_s;
    QTest::newRow("until query target")
        << u"steps:\n  - id: w\n    type: wait\n    until:\n      query:\n        target: |\n"_s
        << u"steps/-/until/query"_s << u"value"_s << u"target"_s << u""_s << u"-"_s << u"w/wait/"_s
        << u""_s;
    QTest::newRow("flow step on one line")
        << u"steps:\n  - {id: e, type: end, outcome: re|}\n"_s << u"steps/-"_s << u"value"_s
        << u"outcome"_s << u"re"_s << u"-"_s << u"e/end/"_s << u""_s;
    QTest::newRow("indentless steps")
        << u"steps:\n- id: a\n  type: task\n  next: |\n"_s << u"steps/-"_s << u"value"_s
        << u"next"_s << u""_s << u"-"_s << u"a/task/"_s << u""_s;
    QTest::newRow("template in a quoted promql")
        << u"steps:\n  - id: c\n    query:\n      promql: 'rate(x{i=\"{{ inputs.no|"_s
        << u"steps/-/query"_s << u"value"_s << u"promql"_s << u"no"_s << u"inputs.no"_s << u"c//"_s
        << u""_s;
    QTest::newRow("bare template")
        << step + u"    with:\n      model: \"{{ |\"\n"_s << u"steps/-/with"_s << u"value"_s
        << u"model"_s << u""_s << u""_s << u"s/action/triton.load"_s << u""_s;
    QTest::newRow("template in a block scalar")
        << u"steps:\n  - id: c\n    query:\n      promql: |\n        sum(x{a=\"{{ vars.|"_s
        << u"steps/-/query"_s << u"scalar"_s << u"promql"_s << u""_s << u"vars."_s << u"c//"_s
        << u""_s;
    QTest::newRow("body text") << u"steps:\n  - id: t\n    body: |\n      Open the ca|\n"_s
                               << u"steps/-"_s << u"scalar"_s << u"body"_s << u"ca"_s << u"-"_s
                               << u"t//"_s << u""_s;
    QTest::newRow("list in body text")
        << u"steps:\n  - id: t\n    body: |\n      - first\n      - sec|\n    next: x\n"_s
        << u"steps/-"_s << u"scalar"_s << u"body"_s << u"sec"_s << u"-"_s << u"t//"_s << u""_s;
    QTest::newRow("comment") << u"steps:\n  - id: t\n    next: done # go t|\n"_s << u"steps/-"_s
                             << u"comment"_s << u""_s << u"t"_s << u"-"_s << u"t//"_s << u""_s;
    QTest::newRow("target kind") << u"targets:\n  prom:\n    kind: pro|\n"_s << u"targets/prom"_s
                                 << u"value"_s << u"kind"_s << u"pro"_s << u"-"_s << u"//"_s
                                 << u""_s;
    QTest::newRow("input type in a flow map")
        << u"inputs:\n  model: {prompt: Model, type: |}\n"_s << u"inputs/model"_s << u"value"_s
        << u"type"_s << u""_s << u"-"_s << u"//"_s << u""_s;
    QTest::newRow("step lane") << u"lanes:\n  - {id: node, title: Edge}\nsteps:\n  - id: a\n"
                                  "    lane: |\n"_s
                               << u"steps/-"_s << u"value"_s << u"lane"_s << u""_s << u"-"_s
                               << u"a//"_s << u""_s;
    QTest::newRow("half-typed, unparsable")
        << u"steps:\n  - id: a\n    type: [task\n"
           "    title: \"unterminated\n    next: \"clo|"_s
        << u"steps/-"_s << u"value"_s << u"next"_s << u"clo"_s << u"-"_s << u"a/[task/"_s << u""_s;
}

void TestCompletion::context()
{
    QFETCH(QString, marked);
    QFETCH(QString, path);
    QFETCH(QString, position);
    QFETCH(QString, key);
    QFETCH(QString, prefix);
    QFETCH(QString, templatePrefix);
    QFETCH(QString, step);
    QFETCH(QString, written);

    const Marked m = unmark(marked);
    const YamlCursorContext ctx = contextAt(m.text, m.cursor);
    QCOMPARE(ctx.path.join(u'/'), path);
    QCOMPARE(::position(ctx), position);
    QCOMPARE(ctx.key, key);
    QCOMPARE(ctx.prefix, prefix);
    QCOMPARE(ctx.prefixStart, m.cursor - int(prefix.size()));
    QCOMPARE(ctx.inTemplate ? ctx.templatePrefix : u"-"_s, templatePrefix);
    QCOMPARE(ctx.stepId + u'/' + ctx.stepType + u'/' + ctx.stepCall, step);
    QCOMPARE(ctx.writtenKeys.join(u','), written);
}

void TestCompletion::wordAroundCursor()
{
    // Accepting replaces the whole word the cursor is in, not only what is left of it.
    const Marked m = unmark(u"steps:\n  - id: a\n    next: clo|se-fixed # done\n"_s);
    const YamlCursorContext ctx = contextAt(m.text, m.cursor);
    QCOMPARE(ctx.prefix, u"clo"_s);
    QCOMPARE(m.text.mid(ctx.prefixStart, ctx.wordEnd - ctx.prefixStart), u"close-fixed"_s);
    // Inside a template a dot ends the word.
    const Marked t = unmark(u"x: '{{ inputs.mo|del }}'"_s);
    const YamlCursorContext inTemplate = contextAt(t.text, t.cursor);
    QCOMPARE(t.text.mid(inTemplate.prefixStart, inTemplate.wordEnd - inTemplate.prefixStart),
             u"model"_s);
}

void TestCompletion::completions_data()
{
    QTest::addColumn<QString>("find");
    QTest::addColumn<QString>("replace");  // with `|` at the cursor
    QTest::addColumn<QString>("expected"); // the first candidates; "" expects none
    QTest::addColumn<QString>("detail");   // the first candidate's detail; "": not checked

    const QString loadNext = u"    next: close\n  - id: close"_s;
    const QString closeEnd = u"    outcome: resolved\n"_s;
    QTest::newRow("next: every step but its own")
        << loadNext << u"    next: |\n  - id: close"_s << u"check-gpu,close"_s
        << u"step \u00B7 Check GPU headroom"_s;
    QTest::newRow("next: by prefix")
        << loadNext << u"    next: cl|\n  - id: close"_s << u"close"_s << u"step \u00B7 Done"_s;
    QTest::newRow("start: prefix first, then substring")
        << u"start: check-gpu"_s << u"start: l|"_s << u"load-model,close"_s
        << u"step \u00B7 Load the model"_s;
    QTest::newRow("else: case-insensitive substring")
        << u"    else: close"_s << u"    else: MOD|"_s << u"load-model"_s << u""_s;
    QTest::newRow("option next") << u"    else: close"_s
                                 << u"    else: close\n    options:\n      - {label: a, next: |}"_s
                                 << u"load-model,close"_s << u""_s;
    QTest::newRow("no_data: steps, then ask")
        << u"    else: close"_s << u"    else: close\n    no_data: |"_s
        << u"check-gpu,load-model,close,ask"_s << u""_s;
    QTest::newRow("on_error: ask first by prefix")
        << u"    else: close"_s << u"    else: close\n    on_error: a|"_s << u"ask,load-model"_s
        << u"the engineer chooses"_s;
    QTest::newRow("on_timeout") << u"    type: end\n"_s << u"    type: wait\n    on_timeout: |\n"_s
                                << u"check-gpu,load-model"_s << u""_s;
    QTest::newRow("probe target: in the order written")
        << u"    query: {target: prom, promql: 'max(gpu)'}"_s << u"    probe: {target: |}"_s
        << u"prom,triton,chat,am"_s << u"prometheus"_s;
    QTest::newRow("call: by prefix")
        << u"    call: triton.load"_s << u"    call: tri|"_s
        << u"triton.ready,triton.load,triton.unload,triton.stats"_s << u"triton"_s;
    QTest::newRow("call: by substring") << u"    call: triton.load"_s << u"    call: load|"_s
                                        << u"triton.load,triton.unload"_s << u"triton"_s;
    QTest::newRow("with: required parameters")
        << u"    with: {model: '{{ inputs.model }}'}"_s << u"    with:\n      |"_s << u"model"_s
        << u"required"_s;
    QTest::newRow("with: minus the written ones")
        << u"    call: triton.load\n    target: triton\n    with: {model: '{{ inputs.model }}'}"_s
        << u"    call: alertmanager.silence\n    target: am\n"
           "    with: {matchers: {a: b}, |}"_s
        << u"duration,comment"_s << u"required"_s;
    QTest::newRow("with: block map minus the written ones")
        << u"    call: triton.load\n    target: triton\n    with: {model: '{{ inputs.model }}'}"_s
        << u"    call: torchserve.scale-workers\n    target: triton\n"
           "    with:\n      min: 1\n      |\n      model: x"_s
        << u"max,version"_s << u"required"_s;
    QTest::newRow("target: the call's kind first")
        << u"    target: triton\n    with"_s << u"    target: |\n    with"_s
        << u"triton,prom,chat,am"_s << u"triton"_s;
    QTest::newRow("target: slack first for slack.post")
        << u"    call: triton.load\n    target: triton"_s
        << u"    call: slack.post\n    target: |"_s << u"chat,prom,triton,am"_s << u"slack"_s;
    QTest::newRow("query target: prometheus first")
        << u"    query: {target: prom,"_s << u"    query: {target: |,"_s << u"prom,triton,chat,am"_s
        << u"prometheus"_s;
    QTest::newRow("template: the scopes")
        << u"'{{ inputs.model }}'"_s << u"'{{ |'"_s << u"inputs.,vars.,incident."_s
        << u"the incident's inputs"_s;
    QTest::newRow("template: inputs") << u"'{{ inputs.model }}'"_s << u"'{{ inputs.|'"_s
                                      << u"node,model"_s << u"input \u00B7 Edge node"_s;
    QTest::newRow("template: inputs by prefix")
        << u"'{{ inputs.model }}'"_s << u"'{{ inputs.mo| }}'"_s << u"model"_s
        << u"input \u00B7 Model name"_s;
    QTest::newRow("template: vars saved and saved by calls")
        << closeEnd
        << closeEnd + u"  - id: silence\n    call: alertmanager.silence\n"
                      "    with: {comment: '{{ vars.|'}\n"_s
        << u"load_status,silence_id"_s << u"saved by load-model"_s;
    QTest::newRow("template: incident") << u"'{{ inputs.model }}'"_s << u"'{{ incident.|'"_s
                                        << u"id,started_at"_s << u"the incident's id"_s;
    QTest::newRow("lane") << u"    type: end\n"_s << u"    type: end\n    lane: |\n"_s
                          << u"node,control-plane"_s << u"Edge node"_s;
    QTest::newRow("step type") << u"    type: end\n"_s << u"    type: |\n"_s
                               << u"task,decision,check,action,wait,escalate,end"_s << u""_s;
    QTest::newRow("outcome") << u"    outcome: resolved"_s << u"    outcome: f|"_s
                             << u"false-alarm"_s << u""_s;
    QTest::newRow("target kind") << u"    kind: triton\n"_s << u"    kind: pro|\n"_s
                                 << u"prometheus"_s << u""_s;
    QTest::newRow("input type") << u"  node: {prompt: Edge node}"_s
                                << u"  node: {prompt: Edge node, type: |}"_s
                                << u"string,number,boolean,choice,list"_s << u""_s;
    QTest::newRow("severity") << u"title: Mini\n"_s << u"title: Mini\nseverity: |\n"_s
                              << u"sev1,sev2,sev3,sev4"_s << u""_s;
    QTest::newRow("reduce") << u"promql: 'max(gpu)'}"_s << u"promql: 'max(gpu)', reduce: |}"_s
                            << u"max,min,sum,avg"_s << u""_s;
    QTest::newRow("method") << u"    query: {target: prom, promql: 'max(gpu)'}"_s
                            << u"    probe: {target: triton, method: P|}"_s << u"POST,PUT,PATCH"_s
                            << u""_s;
    QTest::newRow("keys of an end step")
        << closeEnd << closeEnd + u"    |\n"_s << u"lane,body,timeout"_s << u""_s;
    QTest::newRow("keys of a check step") << u"    else: close\n"_s << u"    else: close\n    |\n"_s
                                          << u"lane,body,timeout,probe,no_data,on_error"_s << u""_s;
    QTest::newRow("keys by prefix")
        << u"    else: close\n"_s << u"    else: close\n    on|\n"_s << u"on_error"_s << u""_s;
    QTest::newRow("nothing in a comment")
        << u"    else: close"_s << u"    else: close # then l|"_s << u""_s << u""_s;
    QTest::newRow("nothing in a title")
        << u"    title: Done"_s << u"    title: Do|"_s << u""_s << u""_s;
}

void TestCompletion::completions()
{
    QFETCH(QString, find);
    QFETCH(QString, replace);
    QFETCH(QString, expected);
    QFETCH(QString, detail);

    const Marked m = miniWith(find, replace);
    const PlaybookPtr lastRead = read(mini);
    QVERIFY(lastRead);
    const QList<Completion> candidates = completionsAt(contextAt(m.text, m.cursor), lastRead.get());
    compareFirst(candidates, expected);
    if (!detail.isEmpty())
        QCOMPARE(candidates.first().detail, detail);
    // The text alone gives the same candidates: the last read only fills in what it cannot see.
    compareFirst(completionsAt(contextAt(m.text, m.cursor), nullptr), expected);
}

void TestCompletion::shippedPlaybook_data()
{
    QTest::addColumn<QString>("find"); // the first occurrence is replaced
    QTest::addColumn<QString>("replace");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("detail");

    QTest::newRow("next by prefix")
        << u"    next: settle-unload"_s << u"    next: se|"_s << u"settle-unload"_s
        << u"step \u00B7 Give Triton time to release GPU memory"_s;
    QTest::newRow("on_failure: steps in the order written")
        << u"    on_failure: page-serving"_s << u"    on_failure: |"_s
        << u"probe-server-ready,restart-triton,probe-model-ready"_s
        << u"step \u00B7 Is the Triton server itself ready?"_s;
    QTest::newRow("no_data: ask by prefix")
        << u"    no_data: ask"_s << u"    no_data: a|"_s << u"ask"_s << u"the engineer chooses"_s;
    QTest::newRow("action target: triton first")
        << u"    target: triton\n    with: {model"_s << u"    target: |\n    with: {model"_s
        << u"triton,prom,pd,chat"_s << u"triton"_s;
    QTest::newRow("escalate target: slack first")
        << u"    call: slack.post\n    target: chat"_s << u"    call: slack.post\n    target: |"_s
        << u"chat,triton,prom,pd"_s << u"slack"_s;
    QTest::newRow("inputs in a promql template")
        << u"instance=~\"{{ inputs.node }}(:[0-9]+)?\"} / nv_gpu"_s << u"instance=~\"{{ inputs.|"_s
        << u"node,model,model_control"_s << u"input \u00B7 Edge node (the `node` label)"_s;
    QTest::newRow("pagerduty.trigger parameters not written")
        << u"      summary: \"Triton model {{ inputs.model }} on {{ inputs.node }} is not ready"_s
        << u"      |\n      x-summary: \"Triton model {{ inputs.model }} on {{ inputs.node }} "
           "is not ready"_s
        << u"summary,dedup_key"_s << u"required"_s;
    QTest::newRow("pagerduty severity") << u"      severity: error"_s << u"      severity: |"_s
                                        << u"critical,error,warning,info"_s << u"PagerDuty"_s;
    QTest::newRow("wait-until query target")
        << u"      query:\n        target: prom\n        promql: 'sum(rate(nv_inference_request_success"_s
        << u"      query:\n        target: |\n        promql: 'sum(rate(nv_inference_request_success"_s
        << u"prom,triton,pd,chat"_s << u"prometheus"_s;
}

void TestCompletion::shippedPlaybook()
{
    QFETCH(QString, find);
    QFETCH(QString, replace);
    QFETCH(QString, expected);
    QFETCH(QString, detail);

    const QString shipped = shippedText();
    const PlaybookPtr lastRead = read(shipped);
    QVERIFY(lastRead);
    const qsizetype at = shipped.indexOf(find);
    QVERIFY2(at >= 0, qPrintable(find));
    const Marked inner = unmark(replace);
    const QString text = shipped.left(at) + inner.text + shipped.mid(at + find.size());
    const QList<Completion> candidates =
        completionsAt(contextAt(text, int(at) + inner.cursor), lastRead.get());
    compareFirst(candidates, expected);
    QCOMPARE(candidates.first().detail, detail);
}

void TestCompletion::shippedReferencesOffered_data()
{
    QTest::addColumn<QString>("file");
    const QDir library(QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks"));
    for (const QString &name : library.entryList({u"*.yaml"_s}, QDir::Files, QDir::Name)) {
        if (!name.endsWith(u".test.yaml"_s))
            QTest::newRow(qPrintable(name)) << library.filePath(name);
    }
}

void TestCompletion::shippedReferencesOffered()
{
    // Every name the shipped library writes where completion offers names: typed out in full,
    // the name written is offered first.
    QFETCH(QString, file);
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(in.readAll());
    const PlaybookPtr lastRead = read(text);
    static const QRegularExpression reference(
        u"(?:^|[ {,])(next|else|no_data|on_error|on_failure|on_timeout|start|call|target|lane|"
        "type|outcome|kind|severity|reduce|method): ([A-Za-z0-9_.-]+)"_s,
        QRegularExpression::MultilineOption);
    int checked = 0;
    for (auto it = reference.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const int end = int(match.capturedEnd(2));
        for (const Playbook *read : {lastRead.get(), static_cast<const Playbook *>(nullptr)}) {
            const QList<Completion> candidates = completionsAt(contextAt(text, end), read);
            QVERIFY2(!candidates.isEmpty() && candidates.first().text == match.captured(2),
                     qPrintable(match.captured(0)));
        }
        ++checked;
    }
    QVERIFY(checked > 20);
    qInfo("%d names checked", checked);
}

void TestCompletion::stepOnlyInText()
{
    // The last read playbook is a moment old: a step typed since, and a step renamed since.
    const PlaybookPtr lastRead = read(mini);
    QVERIFY(lastRead);
    QString text = mini;
    text.replace(u"close"_s, u"finish"_s);
    text += u"  - id: verify-load\n    type: task\n    title: Verify the load\n    next: |\n"_s;
    const Marked m = unmark(text);
    const QList<Completion> candidates = completionsAt(contextAt(m.text, m.cursor), lastRead.get());
    QCOMPARE(joined(candidates, 10), u"check-gpu,load-model,finish"_s);
    QCOMPARE(candidates.last().detail, u"step \u00B7 Done"_s);
}

void TestCompletion::halfTypedText()
{
    // Nothing of this parses, yet the context and the names are read from the text.
    const Marked m = unmark(u"runlane: 1\nid: [half\ntargets:\n  prom: {kind: prometheus\n"
                            "  tri: {kind: triton, url: 'x'}\nsteps:\n  - id: first\n"
                            "    title: \"not closed\n  - id: second\n    type: action\n"
                            "    call: triton.unload\n    target: |\n    next: fi"_s);
    const PlaybookPtr lastRead = read(m.text);
    QVERIFY(lastRead == nullptr || lastRead->steps.isEmpty());
    const YamlCursorContext ctx = contextAt(m.text, m.cursor);
    QCOMPARE(ctx.stepCall, u"triton.unload"_s);
    QCOMPARE(joined(completionsAt(ctx, lastRead.get()), 5), u"tri,prom"_s);
    const YamlCursorContext next = contextAt(m.text, int(m.text.size()));
    QCOMPARE(joined(completionsAt(next, lastRead.get()), 5), u"first"_s);
}

namespace {

// An editor holding `marked` with the cursor at its `|`, and a completer on it.
struct EditorFixture
{
    explicit EditorFixture(const QString &marked, PlaybookPtr lastRead = {})
    {
        const Marked m = unmark(marked);
        editor.setPlainText(m.text);
        QTextCursor cursor = editor.textCursor();
        cursor.setPosition(m.cursor);
        editor.setTextCursor(cursor);
        completer.setPlaybook(std::move(lastRead));
        editor.resize(600, 400);
        editor.show();
        editor.activateWindow();
        editor.setFocus();
    }

    QAbstractItemView *popup() const { return completer.completer()->popup(); }
    QStringList shown() const { return rows(completer.completer()->completionModel()); }

    QPlainTextEdit editor;
    EditorCompleter completer{&editor};
};

} // namespace

void TestCompletion::ctrlSpaceShowsPopup()
{
    const Marked m = miniWith(u"    next: close\n  - id: close"_s, u"    next: |\n  - id: close"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QAbstractItemModelTester tester(f.completer.completer()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(f.completer.completer()->completionModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!f.completer.isPopupVisible());

    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"check-gpu"_s, u"close"_s}));
    QCOMPARE(rows(f.completer.completer()->completionModel(), EditorCompleter::DetailRole),
             QStringList({u"step \u00B7 Check GPU headroom"_s, u"step \u00B7 Done"_s}));
    QCOMPARE(f.popup()->currentIndex().row(), 0);
    QCOMPARE(f.editor.toPlainText(), m.text); // nothing typed
    // Wide enough for each candidate with its detail, and it paints.
    QVERIFY(f.popup()->viewport()->width() >= f.popup()->sizeHintForColumn(0));
    QVERIFY(!f.popup()->grab().isNull());
}

void TestCompletion::clickAccepts()
{
    const Marked m = miniWith(u"    next: close\n  - id: close"_s, u"    next: |\n  - id: close"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(f.completer.isPopupVisible());
    QVERIFY(QTest::qWaitForWindowExposed(f.popup()));
    const QModelIndex second = f.completer.completer()->completionModel()->index(1, 0);
    QTest::mouseClick(f.popup()->viewport(), Qt::LeftButton, {},
                      f.popup()->visualRect(second).center());
    QVERIFY(!f.completer.isPopupVisible());
    QCOMPARE(
        f.editor.toPlainText(),
        miniWith(u"    next: close\n  - id: close"_s, u"    next: close|\n  - id: close"_s).text);
}

void TestCompletion::enterAccepts_data()
{
    QTest::addColumn<bool>("toPopup"); // where the keys go: the popup (as on screen), the editor
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("downs");
    QTest::addColumn<QString>("inserted");

    QTest::newRow("Enter on the popup") << true << int(Qt::Key_Return) << 0 << u"check-gpu"_s;
    QTest::newRow("Down, Enter on the popup") << true << int(Qt::Key_Return) << 1 << u"close"_s;
    QTest::newRow("Tab on the popup") << true << int(Qt::Key_Tab) << 1 << u"close"_s;
    QTest::newRow("Enter on the editor") << false << int(Qt::Key_Enter) << 0 << u"check-gpu"_s;
    QTest::newRow("Down, Enter on the editor") << false << int(Qt::Key_Return) << 1 << u"close"_s;
}

void TestCompletion::enterAccepts()
{
    QFETCH(bool, toPopup);
    QFETCH(int, key);
    QFETCH(int, downs);
    QFETCH(QString, inserted);

    // The cursor in the middle of a word: the whole word is replaced.
    const Marked m =
        miniWith(u"    next: close\n  - id: close"_s, u"    next: c|l\n  - id: close"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(f.completer.isPopupVisible());
    QWidget *target = toPopup ? static_cast<QWidget *>(f.popup()) : &f.editor;
    for (int i = 0; i < downs; ++i)
        QTest::keyClick(target, Qt::Key_Down);
    QTest::keyClick(target, Qt::Key(key));

    QVERIFY(!f.completer.isPopupVisible());
    const QString expected = miniWith(u"    next: close\n  - id: close"_s,
                                      u"    next: "_s + inserted + u"|\n  - id: close"_s)
                                 .text;
    QCOMPARE(f.editor.toPlainText(), expected); // exactly: no line break from Enter
    QCOMPARE(
        f.editor.textCursor().position(),
        int(expected.indexOf(u"next: "_s + inserted + u"\n  - id: close"_s) + 6 + inserted.size()));
    // One undo step takes the completion back.
    f.editor.undo();
    QCOMPARE(f.editor.toPlainText(), m.text);
}

void TestCompletion::escapeLeavesText()
{
    const Marked m = miniWith(u"    call: triton.load"_s, u"    call: triton.l|"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked);
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"triton.load"_s}));
    QTest::keyClick(f.popup(), Qt::Key_Escape);
    QVERIFY(!f.completer.isPopupVisible());
    QCOMPARE(f.editor.toPlainText(), m.text);
    QCOMPARE(f.editor.textCursor().position(), m.cursor);

    // The same with the key sent to the editor.
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QVERIFY(f.completer.isPopupVisible());
    QTest::keyClick(&f.editor, Qt::Key_Escape);
    QVERIFY(!f.completer.isPopupVisible());
    QCOMPARE(f.editor.toPlainText(), m.text);
}

void TestCompletion::autoPopupWhileTyping()
{
    // A blank line in the load-model step; typing `next: c` opens the popup by itself.
    const Marked m = miniWith(u"    next: close\n  - id: close"_s, u"    |\n  - id: close"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QAbstractItemModelTester tester(f.completer.completer()->completionModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);

    QTest::keyClicks(&f.editor, u"next: "_s);
    QVERIFY(!f.completer.isPopupVisible()); // no word typed yet
    QTest::keyClicks(&f.editor, u"c"_s);
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"check-gpu"_s, u"close"_s}));
    // Typing on narrows it (keys now reach the popup, as on screen).
    QTest::keyClicks(f.popup(), u"l"_s);
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"close"_s}));
    // Backspace widens it again.
    QTest::keyClick(f.popup(), Qt::Key_Backspace);
    QCOMPARE(f.shown(), QStringList({u"check-gpu"_s, u"close"_s}));
    // Typed out in full: nothing left to offer, the popup closes.
    QTest::keyClicks(f.popup(), u"lose"_s);
    QVERIFY(!f.completer.isPopupVisible());
    QCOMPARE(f.editor.toPlainText(), mini);

    // Typing in a title never opens it.
    QTextCursor cursor = f.editor.textCursor();
    cursor.setPosition(int(mini.indexOf(u"title: Done"_s)) + 11);
    f.editor.setTextCursor(cursor);
    QTest::keyClicks(&f.editor, u"ne"_s);
    QVERIFY(!f.completer.isPopupVisible());
}

void TestCompletion::keyCompletionInsertsColon()
{
    const Marked m =
        miniWith(u"    with: {model: '{{ inputs.model }}'}"_s, u"    with:\n      |"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QCOMPARE(f.shown(), QStringList({u"model"_s}));
    QTest::keyClick(f.popup(), Qt::Key_Tab);
    QCOMPARE(f.editor.toPlainText(),
             miniWith(u"    with: {model: '{{ inputs.model }}'}"_s, u"    with:\n      model: |"_s)
                 .text);
}

void TestCompletion::templateScopeReopens()
{
    const Marked m =
        miniWith(u"    with: {model: '{{ inputs.model }}'}"_s, u"    with: {model: '|'}"_s);
    QString marked = m.text;
    marked.insert(m.cursor, u'|');
    EditorFixture f(marked, read(mini));
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QTest::keyClicks(&f.editor, u"{{ "_s);
    QVERIFY(!f.completer.isPopupVisible());
    QTest::keyClick(&f.editor, Qt::Key_Space, Qt::ControlModifier);
    QCOMPARE(f.shown(), QStringList({u"inputs."_s, u"vars."_s, u"incident."_s}));
    QTest::keyClick(f.popup(), Qt::Key_Return);
    // `inputs.` went in and the popup offers the names under it.
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"node"_s, u"model"_s}));
    QTest::keyClicks(f.popup(), u"m"_s);
    QCOMPARE(f.shown(), QStringList({u"model"_s}));
    QTest::keyClick(f.popup(), Qt::Key_Return);
    QCOMPARE(f.editor.toPlainText(),
             m.text.left(m.cursor) + u"{{ inputs.model"_s + m.text.mid(m.cursor));

    // Typing a scope's dot opens it too.
    QTest::keyClicks(&f.editor, u" }} {{ vars."_s);
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown(), QStringList({u"load_status"_s}));
}

void TestCompletion::timingOnLargeDocument()
{
    // About 6000 lines: the shipped playbook's head, then 500 steps of 12 lines.
    const QString shipped = shippedText();
    QString text = shipped.left(shipped.indexOf(u"\nsteps:"_s)) + u"\nsteps:\n"_s;
    const int steps = 500;
    for (int i = 0; i < steps; ++i) {
        text += QStringLiteral("  - id: step-%1\n"
                               "    lane: node\n"
                               "    type: action\n"
                               "    title: Step %1\n"
                               "    body: |\n"
                               "      Reload {{ inputs.model }} on the node, then look again.\n"
                               "      - and note it\n"
                               "    call: triton.load\n"
                               "    target: triton\n"
                               "    with: {model: \"{{ inputs.model }}\"}\n"
                               "    next: step-%2\n"
                               "    on_failure: step-%3\n")
                    .arg(i)
                    .arg(i + 1)
                    .arg(std::max(0, i - 1));
    }
    const int lines = int(text.count(u'\n'));
    QVERIFY(lines > 6000);
    const PlaybookPtr lastRead = read(text); // ids run past the end: errors, still read
    QVERIFY(lastRead);

    struct Spot
    {
        const char *name;
        QString find;
        int offset; // from the start of `find`
    };
    const QList<Spot> spots{
        {"next: in the last step", u"    next: step-500"_s, 10},
        {"next: in the middle", u"    next: step-251\n"_s, 16},
        {"with: key in the last step",
         u"with: {model: \"{{ inputs.model }}\"}\n    next: step-500"_s, 7},
        {"template in the last step", u"{{ inputs.model }}\"}\n    next: step-500"_s, 12},
        {"start:", u"start: probe"_s, 9},
        {"body text, last step",
         u"      - and note it\n    call: triton.load\n    target: "
         "triton\n    with: {model: \"{{ inputs.model }}\"}\n    next: "
         "step-500"_s,
         11},
    };
    for (const Spot &spot : spots) {
        const qsizetype at = text.lastIndexOf(spot.find);
        QVERIFY2(at >= 0, spot.name);
        const int position = int(at) + spot.offset;
        const int rounds = 21;
        QList<qint64> times;
        qsizetype offered = 0;
        for (int i = 0; i < rounds; ++i) {
            QElapsedTimer timer;
            timer.start();
            const QList<Completion> candidates =
                completionsAt(contextAt(text, position), lastRead.get());
            times.append(timer.nsecsElapsed());
            offered = candidates.size();
        }
        std::sort(times.begin(), times.end());
        const qint64 worst = times.last();
        qInfo("contextAt+completionsAt, %d lines, %s: median %.2f ms, best %.2f, worst %.2f "
              "(%lld candidates)",
              lines, spot.name, double(times[rounds / 2]) / 1e6, double(times.first()) / 1e6,
              double(worst) / 1e6, qlonglong(offered));
        QVERIFY2(worst < 100'000'000, spot.name); // a loose bound: the figure is what counts
    }

    // A keystroke in the editor with the completer on it, where it opens the popup and where it
    // only types.
    const qsizetype number = text.lastIndexOf(u"step-500"_s) + 5; // `next: step-|500`
    EditorFixture f(text.left(number) + u'|' + text.mid(number), lastRead);
    QVERIFY(QTest::qWaitForWindowExposed(&f.editor));
    QElapsedTimer timer;
    timer.start();
    QTest::keyClick(&f.editor, Qt::Key_4);
    const qint64 opening = timer.nsecsElapsed();
    QVERIFY(f.completer.isPopupVisible());
    QCOMPARE(f.shown().first(), u"step-4"_s);
    timer.restart();
    QTest::keyClick(f.popup(), Qt::Key_9);
    const qint64 narrowing = timer.nsecsElapsed();
    QCOMPARE(f.shown().first(), u"step-49"_s);
    QTest::keyClick(f.popup(), Qt::Key_Escape);
    QTextCursor cursor = f.editor.textCursor();
    cursor.setPosition(int(f.editor.toPlainText().lastIndexOf(u"and note it"_s)));
    f.editor.setTextCursor(cursor);
    timer.restart();
    QTest::keyClick(&f.editor, Qt::Key_A);
    const qint64 typing = timer.nsecsElapsed();
    QVERIFY(!f.completer.isPopupVisible());
    qInfo("keystroke in the editor, %d lines: %.2f ms opening the popup (its first showing), "
          "%.2f ms narrowing it, %.2f ms in body text",
          lines, double(opening) / 1e6, double(narrowing) / 1e6, double(typing) / 1e6);
}

QTEST_MAIN(TestCompletion)
#include "tst_completion.moc"
