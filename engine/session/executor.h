#pragma once

#include "engine/expr/expression.h"
#include "engine/playbook/playbook.h"

#include <QJsonObject>
#include <QJsonValue>

#include <functional>

namespace runlane {

// Automated work the walk needs done: a check's read, an action or escalation, a wait's poll.
struct WorkRequest
{
    enum class Kind { Query, Probe, Action, Poll };

    Kind kind = Kind::Query;
    const Step *step = nullptr;
    const ReadSpec *read = nullptr; // Query, Probe, Poll: what to read
    QString incidentId;
    int stepVisit = 1; // how many times the step has been entered: part of the idempotency key
    expr::Scope scope; // inputs, vars, incident: what templates may read
    bool dryRun = false;
    quint64 token = 0; // give it back to Session::feed, so a late result cannot land elsewhere
};

// What the work gave. For a query: `value` (a number) or NoData; for a probe or an action:
// `status`, `body`, `elapsedMs`; Error when it could not be done (transport, parse, budget).
struct WorkResult
{
    enum class Outcome { Ok, NoData, Error };

    Outcome outcome = Outcome::Ok;
    QJsonValue value;
    int status = 0;
    QJsonValue body;
    qint64 elapsedMs = 0;
    QString message;     // why: the error, or why there is no data
    QJsonObject details; // for the record: request line, attempts, endpoints ...

    static WorkResult ofValue(double v);
    static WorkResult noData(const QString &why);
    static WorkResult error(const QString &why);
    static WorkResult response(int status, const QJsonValue &body, qint64 elapsedMs = 0);
};

// Performs work for a session: scripted results in tests, printed requests in a dry run, real HTTP
// in the runner. `done` is called exactly once, possibly before execute() returns.
class Executor
{
public:
    virtual ~Executor() = default;
    virtual void execute(const WorkRequest &request,
                         std::function<void(const WorkResult &)> done) = 0;
};

// Whether an HTTP status counts as success for a step: its request's `expect.status`, else 2xx.
bool isExpectedStatus(const Step &step, int status);

} // namespace runlane
