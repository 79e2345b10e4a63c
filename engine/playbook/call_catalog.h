#pragma once

#include "engine/playbook/playbook.h"

#include <QStringList>

namespace runlane {

// The built-in calls of format version 1: what each needs, so that a playbook is checked when it
// loads. How each call becomes an HTTP request lives in integrations/.
struct CallSpec
{
    QString name;    // "torchserve.set-default-version"
    TargetKind kind; // the target kind it needs (`http.request` accepts any)
    QStringList required;
    QStringList optional;
    // Values a call saves into vars by itself: name → place in the response
    // (alertmanager.silence saves silence_id from body.silenceID).
    QList<std::pair<QString, QString>> saves;
    bool anyTarget = false;
    bool usesRequest = false; // takes the raw `request:` form
};

const QList<CallSpec> &callCatalog();
const CallSpec *findCall(const QString &name);
QStringList callNames();

} // namespace runlane
