#pragma once

#include "engine/playbook/diagnostic.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <utility>

// The playbook model, format version 1 (docs/playbook-format.md). Plain values, every one with the
// position it was read from, so that validation, the walk and the app can point at the source.
namespace runlane {

template<class T> struct Located
{
    Located() = default;
    Located(T v, SourcePos p = {}, bool isPresent = false)
        : value(std::move(v))
        , pos(p)
        , present(isPresent)
    {}

    T value{};
    SourcePos pos;
    bool present = false; // written in the file (false: absent, value is the default)
};

using LString = Located<QString>;

// An ordered map as written in YAML (order matters for display and for stable diagnostics).
template<class T> using LMap = QList<std::pair<LString, Located<T>>>;

struct Duration
{
    qint64 ms = 0;
};
using LDuration = Located<Duration>;

struct Lane
{
    LString id;
    LString title;
};

enum class InputType { String, Number, Boolean, Choice, List };

struct Input
{
    LString name;
    LString prompt;
    Located<InputType> type;
    Located<QJsonValue> defaultValue; // present only when `default:` is written
    LString pattern;
    Located<double> min;
    Located<double> max;
    QList<LString> choices;
    SourcePos pos;

    bool isRequired() const { return !defaultValue.present; }
};

enum class TargetKind {
    Prometheus,
    Alertmanager,
    Torchserve,
    Triton,
    Kubernetes,
    Pagerduty,
    Slack,
    Http
};

struct Auth
{
    enum class Kind { None, Bearer, Basic, Header };
    Kind kind = Kind::None;
    LString bearer;
    LString user;
    LString password;
    LString headerName;
    LString headerValue;
    SourcePos pos;
};

struct Retry
{
    int attempts = 3;
    qint64 backoffMs = 500;
    qint64 maxBackoffMs = 10000;
};

struct Tls
{
    bool verify = true;
    LString ca;
};

struct Target
{
    LString name;
    Located<TargetKind> kind;
    LString url; // may hold ${env:...}; resolved when an incident starts
    Auth auth;
    qint64 timeoutMs = 10000;
    Retry retry;
    Tls tls;
    LString routingKey; // pagerduty only; a secret
    SourcePos pos;
};

// An HTTP request written out (`request:` of an action, `probe:` of a check). Strings are
// templates.
struct RequestSpec
{
    LString method; // GET POST PUT PATCH DELETE; default GET
    LString path;
    LMap<QString> query;
    LMap<QString> headers;
    Located<QJsonValue> body; // a YAML map/list → JSON, or a string; strings inside are templates
    QList<LString> bodyTexts; // every string in `body`, with its own position
    QList<int> expectStatus;  // empty: any 2xx
    SourcePos pos;
};

struct QuerySpec
{
    LString target;
    LString promql; // a template
    LString reduce; // max|min|sum|avg, or absent
    SourcePos pos;
};

struct ProbeSpec
{
    LString target;
    RequestSpec request;
    SourcePos pos;
};

// What a check or a wait-until reads: exactly one of query or probe is set.
struct ReadSpec
{
    std::optional<QuerySpec> query;
    std::optional<ProbeSpec> probe;
};

struct Branch
{
    LString condition; // `if:` expression text
    LString next;
    SourcePos pos;
};

struct Option
{
    LString label;
    LString next;
    SourcePos pos;
};

struct Fanout
{
    LString over;         // a template naming a list (e.g. "{{ inputs.nodes }}"), if not a literal
    QList<LString> items; // a literal YAML list of strings
    bool overIsLiteral = false;
    LString as;  // identifier
    LString url; // template for the per-item base URL; absent: the target's url
    Located<int> concurrency{16};
    QList<double> waves{1.0};         // cumulative shares in (0, 1], last is 1.0
    Located<double> maxFailures{0.0}; // a share in [0, 1]
    SourcePos pos;
};

struct Until
{
    ReadSpec read;
    LString condition; // `if:` expression text
    LDuration every{Duration{30000}};
    SourcePos pos;
};

struct SaveEntry
{
    LString name; // identifier stored in vars
    LString path; // e.g. body.status.previous
};

enum class StepType { Task, Decision, Check, Action, Wait, Escalate, End };
enum class Outcome { Resolved, Mitigated, Escalated, FalseAlarm, Aborted };

struct Step
{
    LString id;
    Located<StepType> type;
    LString title;
    LString lane; // absent: the first lane
    LString body; // Markdown
    LDuration timeout;
    SourcePos pos; // the step's map

    // task
    QList<LString> checklist;
    // task, action, escalate, wait
    LString next;
    // decision
    QList<Option> options;
    // check (and the read of wait-until)
    ReadSpec read;
    QList<Branch> when;
    LString elseNext;
    LString noData;  // a step id or "ask" (the default)
    LString onError; // a step id or "ask" (the default)
    // action, escalate
    LString call;
    LString target;
    LMap<QJsonValue> with;
    QList<LString> withTexts; // every string in the values of `with`, with its own position
    std::optional<RequestSpec> request;
    Located<bool> confirm; // default true for action, false for escalate
    QList<SaveEntry> save;
    LString onFailure;
    std::optional<Fanout> fanout;
    // wait
    LDuration duration;
    std::optional<Until> until;
    LString onTimeout;
    // end
    Located<Outcome> outcome;

    // Every step id this step may lead to, with the label of the way (for diagrams and lints).
    struct Way
    {
        enum class Kind { Next, Option, When, Else, NoData, OnError, OnFailure, OnTimeout };
        Kind kind = Kind::Next;
        QString label; // the option label or `if` condition; a fixed English word otherwise
        QString next;
        SourcePos pos;
    };
    QList<Way> ways() const;
};

struct Budget
{
    LDuration acknowledge;
    LDuration mitigate;
    LDuration resolve;
};

enum class Severity { Sev1, Sev2, Sev3, Sev4 };

// A trigger is a label map; a value written /re/ is a regular expression over the whole value.
struct Trigger
{
    LMap<QString> labels;
    SourcePos pos;
};

struct Playbook
{
    QString file;   // as given to the loader
    QString source; // the exact text it was loaded from
    Located<int> version;
    LString id;
    LString title;
    LString summary;
    Located<Severity> severity{Severity::Sev3};
    LString owner;
    QList<LString> tags;
    QList<Trigger> triggers;
    Budget budget;
    QList<Lane> lanes;
    QList<Input> inputs;
    QList<Target> targets;
    LString start;
    QList<Step> steps;

    const Step *step(const QString &id) const;
    const Lane *lane(const QString &id) const;
    const Input *input(const QString &name) const;
    const Target *target(const QString &name) const;
    // The lane a step is drawn in: its `lane`, or the first lane.
    QString laneOf(const Step &step) const;
};

using PlaybookPtr = std::shared_ptr<const Playbook>;

// Names and spellings of the enums above, as written in YAML.
QString toString(StepType type);
QString toString(TargetKind kind);
QString toString(InputType type);
QString toString(Outcome outcome);
QString toString(Severity severity);
QString toString(Step::Way::Kind kind); // the YAML key a way is written with ("on_failure")
std::optional<StepType> stepTypeFromString(const QString &text);
std::optional<TargetKind> targetKindFromString(const QString &text);
std::optional<InputType> inputTypeFromString(const QString &text);
std::optional<Outcome> outcomeFromString(const QString &text);
std::optional<Severity> severityFromString(const QString &text);

// "500ms", "90s", "5m", "2h", "1d" → milliseconds; nullopt when malformed.
std::optional<Duration> parseDuration(const QString &text);
QString formatDuration(Duration duration);

} // namespace runlane
