#include "engine/playbook/call_catalog.h"

namespace runlane {

namespace {

QStringList list(std::initializer_list<const char *> names)
{
    QStringList result;
    for (const char *n : names)
        result.append(QString::fromLatin1(n));
    return result;
}

CallSpec call(const char *name, TargetKind kind, std::initializer_list<const char *> required,
              std::initializer_list<const char *> optional = {})
{
    return {QString::fromLatin1(name), kind, list(required), list(optional), {}, false, false};
}

} // namespace

const QList<CallSpec> &callCatalog()
{
    static const QList<CallSpec> catalog = [] {
        using K = TargetKind;
        QList<CallSpec> c{
            call("prometheus.query", K::Prometheus, {"promql"}),
            call("torchserve.ping", K::Torchserve, {}),
            call("torchserve.describe", K::Torchserve, {"model"}, {"version", "all"}),
            call("torchserve.set-default-version", K::Torchserve, {"model", "version"}),
            call("torchserve.scale-workers", K::Torchserve, {"model", "min", "max"}, {"version"}),
            call("torchserve.unregister", K::Torchserve, {"model", "version"}),
            call("triton.ready", K::Triton, {}, {"model"}),
            call("triton.load", K::Triton, {"model"}),
            call("triton.unload", K::Triton, {"model"}),
            call("triton.stats", K::Triton, {"model"}),
            call("kserve.set-canary-percent", K::Kubernetes, {"namespace", "name", "percent"}),
            call("kserve.status", K::Kubernetes, {"namespace", "name"}),
            call("argo.abort", K::Kubernetes, {"namespace", "name"}),
            call("argo.promote", K::Kubernetes, {"namespace", "name"}),
            call("kubernetes.cordon", K::Kubernetes, {"node"}),
            call("alertmanager.silence", K::Alertmanager, {"matchers", "duration"}, {"comment"}),
            call("alertmanager.alerts", K::Alertmanager, {}, {"matchers"}),
            call("pagerduty.trigger", K::Pagerduty, {"summary", "severity", "source"},
                 {"dedup_key"}),
            call("pagerduty.resolve", K::Pagerduty, {}, {"dedup_key"}),
            call("slack.post", K::Slack, {"text"}),
            call("http.request", K::Http, {}),
        };
        c[15].saves = {{QStringLiteral("silence_id"), QStringLiteral("body.silenceID")}};
        c.back().anyTarget = true;
        c.back().usesRequest = true;
        return c;
    }();
    return catalog;
}

const CallSpec *findCall(const QString &name)
{
    for (const CallSpec &spec : callCatalog()) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

QStringList callNames()
{
    QStringList names;
    for (const CallSpec &spec : callCatalog())
        names.append(spec.name);
    return names;
}

} // namespace runlane
