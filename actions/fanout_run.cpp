#include "actions/fanout_run.h"

#include <cmath>

namespace runlane {

namespace {

constexpr qsizetype batchSize = 256;
constexpr int batchMaxAgeMs = 500; // a slow fan-out still records what finished
constexpr qsizetype keptFailures = 20;

} // namespace

FanoutRun::FanoutRun(HttpRunner &runner, Plan plan, Judge judge, QObject *parent)
    : QObject(parent)
    , m_runner(runner)
    , m_plan(std::move(plan))
    , m_judge(std::move(judge))
{
    m_plan.concurrency = std::max(1, m_plan.concurrency);
    m_waveEnds = waveEnds(m_plan.requests.size(), m_plan.waves);
    m_progress.total = m_plan.requests.size();
    m_progress.waves = int(std::max<qsizetype>(1, m_waveEnds.size()));
    m_flushTimer.setInterval(batchMaxAgeMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &FanoutRun::flush);
}

FanoutRun::~FanoutRun()
{
    for (const quint64 id : std::as_const(m_inFlightIds))
        m_runner.discard(id);
    if (m_group)
        m_runner.closeGroup(m_group);
}

QList<qsizetype> FanoutRun::waveEnds(qsizetype total, const QList<double> &shares)
{
    QList<qsizetype> ends;
    for (const double share : shares) {
        const qsizetype end =
            std::clamp<qsizetype>(qsizetype(std::ceil(share * double(total) - 1e-9)), 0, total);
        if (end > (ends.isEmpty() ? 0 : ends.constLast()))
            ends.append(end);
    }
    if (ends.isEmpty() || ends.constLast() < total)
        ends.append(total); // the last wave always reaches every endpoint
    if (total == 0)
        ends = {0};
    return ends;
}

void FanoutRun::start()
{
    if (m_started)
        return;
    m_started = true;
    m_flushTimer.start();
    if (m_plan.requests.isEmpty())
        return finish(FanoutSummary::Ending::Completed);
    m_group = m_runner.openGroup(m_plan.concurrency);
    startWave();
}

void FanoutRun::resume()
{
    if (!m_paused || m_finished)
        return;
    m_paused = false;
    ++m_progress.wave;
    startWave();
}

void FanoutRun::hold(bool held)
{
    if (!m_started || m_finished || m_progress.held == held)
        return;
    m_progress.held = held;
    m_runner.holdGroup(m_group, held);
    Q_EMIT progressed(m_progress);
}

void FanoutRun::cancel()
{
    if (!m_started || m_finished)
        return;
    m_stopping = true;
    m_paused = false;
    m_runner.dropQueued(m_group); // what was not sent yet comes back unsent
    if (m_outstanding == 0)
        finish(FanoutSummary::Ending::Cancelled);
}

// The whole wave goes to the runner's group, which keeps `concurrency` of it in flight. Results
// known from before a restart are counted, not sent again.
void FanoutRun::startWave()
{
    const qsizetype waveEnd = m_waveEnds.value(m_progress.wave, m_progress.total);
    QList<qsizetype> toSend;
    for (; m_next < waveEnd; ++m_next) {
        if (const auto known = m_plan.known.constFind(m_next); known != m_plan.known.cend())
            count({m_next, *known, known->answered() && m_judge(*known)});
        else
            toSend.append(m_next);
    }
    m_toHandOver = std::move(toSend);
    handOverNext();
}

void FanoutRun::handOverNext()
{
    if (m_finished)
        return;
    if (m_stopping) {
        m_toHandOver.clear();
        if (m_outstanding == 0)
            finish(FanoutSummary::Ending::Cancelled);
        return;
    }
    const QList<qsizetype> part =
        m_toHandOver.first(std::min<qsizetype>(m_toHandOver.size(), std::max(1, m_plan.handOver)));
    m_toHandOver.remove(0, part.size());
    if (!part.isEmpty() && beforeSend && !beforeSend(part)) {
        m_stopping = true;
        m_toHandOver.clear();
        if (m_outstanding == 0)
            finish(FanoutSummary::Ending::Cancelled);
        return;
    }
    for (const qsizetype index : part) {
        ++m_outstanding;
        m_inFlightIds.insert(index,
                             m_runner.submit(
                                 m_plan.requests.at(index),
                                 [this, index](const HttpResult &result) { onDone(index, result); },
                                 m_group));
    }
    m_progress.inFlight = std::min<qsizetype>(m_outstanding, m_plan.concurrency);
    Q_EMIT progressed(m_progress);
    if (!m_toHandOver.isEmpty()) // the rest after the events waiting meanwhile
        QMetaObject::invokeMethod(this, &FanoutRun::handOverNext, Qt::QueuedConnection);
    else if (m_outstanding == 0) // every endpoint of the wave was known
        waveFinished();
}

void FanoutRun::count(FanoutEndpointResult done)
{
    if (done.succeeded) {
        ++m_progress.succeeded;
    } else {
        ++m_progress.failed;
        if (m_summary.firstFailures.size() < keptFailures)
            m_summary.firstFailures.append(done);
    }
}

void FanoutRun::onDone(qsizetype index, const HttpResult &result)
{
    m_inFlightIds.remove(index);
    --m_outstanding;
    const bool neverSent = result.error == HttpResult::Error::Cancelled && result.attempts == 0;
    FanoutEndpointResult done{index, result, !neverSent && result.answered() && m_judge(result),
                              !neverSent};
    if (!neverSent)
        count(done);
    m_batch.append(std::move(done)); // also the unsent: their intents get an ending
    if (m_batch.size() >= batchSize)
        flush();
    m_progress.inFlight = std::min<qsizetype>(m_outstanding, m_plan.concurrency);
    Q_EMIT progressed(m_progress);
    if (m_outstanding > 0)
        return;
    if (m_stopping)
        return finish(FanoutSummary::Ending::Cancelled);
    if (!m_toHandOver.isEmpty()) // the wave's next part is on its way
        return;
    waveFinished();
}

void FanoutRun::waveFinished()
{
    flush(); // a wave's results are recorded before anyone is asked about the next
    if (m_progress.wave + 1 >= m_progress.waves)
        return finish(FanoutSummary::Ending::Completed);
    // The budget is a share of all endpoints, checked before each next wave.
    if (double(m_progress.failed) > m_plan.maxFailures * double(m_progress.total))
        return finish(FanoutSummary::Ending::BudgetExceeded);
    // A wave that had begun before a restart was confirmed then: it goes on without asking.
    const qsizetype nextEnd = m_waveEnds.value(m_progress.wave + 1, m_progress.total);
    bool begun = false;
    for (qsizetype i = m_next; i < nextEnd && !begun; ++i)
        begun = m_plan.begun.contains(i) || m_plan.known.contains(i);
    if (m_plan.pauseBetweenWaves && !begun) {
        m_paused = true;
        Q_EMIT paused(m_progress);
        return;
    }
    ++m_progress.wave;
    startWave();
}

void FanoutRun::flush()
{
    if (m_batch.isEmpty())
        return;
    const QList<FanoutEndpointResult> batch = std::exchange(m_batch, {});
    Q_EMIT endpointsDone(batch);
}

void FanoutRun::finish(FanoutSummary::Ending ending)
{
    if (m_finished)
        return;
    m_finished = true;
    m_flushTimer.stop();
    if (m_group)
        m_runner.closeGroup(m_group);
    flush();
    m_summary.ending = ending;
    m_summary.progress = m_progress;
    Q_EMIT finished(m_summary);
}

} // namespace runlane
