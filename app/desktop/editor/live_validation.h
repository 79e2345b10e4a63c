#pragma once

#include "engine/playbook/loader.h"
#include "engine/scenario/scenario.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QTimer;

namespace runlane::desktop {

// Validates an editor's text as the author types: a short pause after the last keystroke, then
// the whole load (YAML, every rule, graph lints) on the thread pool, never on the GUI thread.
// Only the newest text's result is delivered; an older one that finishes later is dropped.
class LiveValidation : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Playbook, TestFile };
    static constexpr int defaultDelayMs = 250;

    explicit LiveValidation(Kind kind, QObject *parent = nullptr);
    ~LiveValidation() override;

    // Where the text comes from, and the file that names it in diagnostics. The text is taken
    // only when a validation starts, not on every keystroke.
    void setSource(std::function<QByteArray()> text, const QString &file);
    void setFile(const QString &file) { m_file = file; }
    // The text changed: validates it once the author pauses.
    void textChanged();
    // Validates now, without the pause (a file just opened).
    void validateNow();
    void setDelay(int ms);
    // Forgets the text: nothing waiting or running is delivered (its document is closing).
    void cancel();
    bool isPending() const { return m_pending; }

Q_SIGNALS:
    // A playbook's text was read and checked (Kind::Playbook).
    void playbookValidated(const runlane::LoadResult &result);
    // A test file's text was read and checked (Kind::TestFile).
    void testFileValidated(const runlane::ScenarioLoad &result);

private:
    void start();
    // Runs `check` on the pool and hands its result to `deliver` unless a newer one was asked.
    template<class Check, class Deliver> void run(Check check, Deliver deliver);

    Kind m_kind;
    QTimer *m_timer;
    std::function<QByteArray()> m_source;
    QString m_file;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_latest = std::make_shared<std::atomic<quint64>>(0);
    bool m_pending = false;
};

} // namespace runlane::desktop
