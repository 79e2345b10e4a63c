#pragma once

#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"
#include "engine/session/resolved_targets.h"

#include <QJsonArray>
#include <QJsonObject>

// The rollback drill (tests/crash/data/rollback-drill.yaml) aimed at a runlane-fleetsim on
// `port`, with `nodes` of its nodes as the fan-out's endpoints and `token` as the fleet token.
// A null playbook when it cannot be loaded.
struct Drill
{
    runlane::PlaybookPtr playbook;
    runlane::ResolvedTargets targets;
    QJsonObject inputs;

    static Drill aimedAt(quint16 port, int nodes, const QString &token)
    {
        using namespace Qt::StringLiterals;
        Drill d;
        const runlane::LoadResult loaded = runlane::loadPlaybookFile(
            QStringLiteral(RUNLANE_SOURCE_DIR "/tests/crash/data/rollback-drill.yaml"));
        if (!loaded.ok())
            return d;
        d.playbook = loaded.playbook;
        const QString base = u"http://127.0.0.1:%1"_s.arg(port);
        d.targets = runlane::resolveTargets(
            *loaded.playbook, [base, token](const QString &name) -> std::optional<QString> {
                if (name == u"FLEET_URL")
                    return base;
                if (name == u"FLEET_TOKEN")
                    return token;
                return std::nullopt;
            });
        QJsonArray endpoints;
        for (int i = 0; i < nodes; ++i)
            endpoints.append(u"%1/nodes/%2"_s.arg(base).arg(i));
        const auto inputs =
            runlane::checkInputs(*loaded.playbook, QJsonObject{{u"nodes"_s, endpoints}});
        if (std::holds_alternative<QJsonObject>(inputs))
            d.inputs = std::get<QJsonObject>(inputs);
        return d;
    }
};
