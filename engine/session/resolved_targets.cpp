#include "engine/session/resolved_targets.h"

#include <algorithm>

namespace runlane {

ResolvedTargets resolveTargets(const Playbook &playbook, const expr::EnvLookup &lookup)
{
    ResolvedTargets resolved;
    QStringList &problems = resolved.problems;
    for (const Target &target : playbook.targets) {
        const QString name = target.name.value;
        auto resolve = [&](const LString &text, const char *field, bool secret) {
            if (!text.present)
                return QString();
            const auto value = expr::resolveEnv(text.value, lookup);
            if (const auto *error = std::get_if<expr::Error>(&value)) {
                problems.append(QStringLiteral("target '%1', %2: %3")
                                    .arg(name, QString::fromLatin1(field), error->message));
                return QString();
            }
            const QString v = std::get<QString>(value);
            if (secret && !v.isEmpty() && !resolved.secrets.contains(v))
                resolved.secrets.append(v);
            return v;
        };
        ResolvedTarget r;
        r.name = name;
        r.kind = target.kind.value;
        const qsizetype problemsBefore = problems.size();
        r.url = resolve(target.url, "url", target.kind.value == TargetKind::Slack);
        if (target.url.present && r.url.trimmed().isEmpty() && problems.size() == problemsBefore)
            problems.append(
                QStringLiteral("target '%1': its url is empty once resolved").arg(name));
        r.authKind = target.auth.kind;
        r.bearer = resolve(target.auth.bearer, "auth bearer", true);
        // An account name, not a secret: hiding it would also hide every word that contains it.
        r.user = resolve(target.auth.user, "auth user", false);
        r.password = resolve(target.auth.password, "auth password", true);
        r.headerName = resolve(target.auth.headerName, "auth header name", false);
        r.headerValue = resolve(target.auth.headerValue, "auth header value", true);
        r.routingKey = resolve(target.routingKey, "routing_key", true);
        r.timeoutMs = target.timeoutMs;
        r.retry = target.retry;
        r.tlsVerify = target.tls.verify;
        r.tlsCa = resolve(target.tls.ca, "tls ca", false);
        resolved.byName.insert(name, r);
    }
    return resolved;
}

QString redactSecrets(QString text, const QStringList &secrets)
{
    QStringList sorted = secrets;
    std::sort(sorted.begin(), sorted.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : sorted) {
        // A value of a few characters would turn every word that contains it into stars (and
        // could not be hidden anyway); headers that carry it are still shown as ***.
        if (secret.size() >= minimumSecretLength)
            text.replace(secret, QStringLiteral("***"));
    }
    return text;
}

} // namespace runlane
