#pragma once

#include "engine/expr/env.h"
#include "engine/playbook/playbook.h"

#include <QHash>
#include <QStringList>

#include <variant>

namespace runlane {

// A target with its `${env:…}` references resolved, as an incident uses it.
struct ResolvedTarget
{
    QString name;
    TargetKind kind = TargetKind::Http;
    QString url;
    Auth::Kind authKind = Auth::Kind::None;
    QString bearer;
    QString user;
    QString password;
    QString headerName;
    QString headerValue;
    QString routingKey;
    qint64 timeoutMs = 10000;
    Retry retry;
    bool tlsVerify = true;
    QString tlsCa;
};

struct ResolvedTargets
{
    QHash<QString, ResolvedTarget> byName;
    // Values never to be written anywhere: auth values, routing keys, slack webhook URLs; also
    // those of the targets that could be resolved when others could not.
    QStringList secrets;
    // What could not be resolved, each naming the target and the variable. An incident must not
    // start while there are any (a dry run may, with warnings).
    QStringList problems;
};

// Resolves every target's environment references when an incident starts. All problems are
// reported at once.
ResolvedTargets resolveTargets(const Playbook &playbook, const expr::EnvLookup &lookup);

// `text` with every secret replaced by "***", longest first so that one secret containing
// another is hidden whole. Values shorter than minimumSecretLength are not searched for.
constexpr qsizetype minimumSecretLength = 4;
QString redactSecrets(QString text, const QStringList &secrets);

} // namespace runlane
