#pragma once

#include "engine/playbook/diagnostic.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace runlane {

// One case of a playbook test file (`*.test.yaml`): inputs, what each automated step sees, the
// engineer's answers, and what the walk must do.
struct ScenarioCase
{
    QString name;
    SourcePos pos;
    QJsonObject inputs;
    QJsonObject results; // step id → {value} | {no_data: true} | {error} | {status, body}
    QJsonObject answers; // step id → option label (decision) or chosen step id (inconclusive)
    std::optional<QStringList> path;   // exact list of step ids
    std::optional<QStringList> visits; // ids in this order, others allowed between
    std::optional<QString> outcome;
    std::optional<QJsonObject> vars;
};

struct ScenarioFile
{
    QString file;         // the test file
    QString playbookFile; // resolved against the test file's folder
    QList<ScenarioCase> cases;
};

struct ScenarioLoad
{
    std::optional<ScenarioFile> scenario;
    Diagnostics diagnostics;
};

ScenarioLoad loadScenarioFile(const QString &path);
// The same for text already in memory (an editor's unsaved text); `path` names it in diagnostics
// and is the folder `playbook:` is resolved against.
ScenarioLoad loadScenarioText(const QByteArray &text, const QString &path);

} // namespace runlane
