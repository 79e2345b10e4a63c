#!/usr/bin/env python3
"""Write a synthetic but realistic Runlane playbook of exactly N steps, for the layout benchmark.

    generate_playbook.py N OUT

The playbook has the three default lanes (device, node, control-plane) and the shape of the
shipped library, scaled up: mostly tasks, decisions with 2-3 options, Prometheus checks and HTTP
probes, actions and escalations with built-in calls, waits, and several ends. Ways cross lanes
often, some jump far ahead, and some decisions and waits loop back to an earlier step.

The file is valid (`runlane-cli validate` exits 0) and free of warnings by construction:

- every step but the start has a way in from an earlier step, so every step is reachable;
- every step but an end has a way to a later step, and the last step is an end, so an end can
  be reached from everywhere;
- only decisions and waits have ways back, so every loop has a decision or a wait in it;
- decisions never repeat a label, checks always have an `else`, waits with `until` have an
  `on_timeout`.

The output depends only on N (fixed seed). Only the standard library is used.
"""

import json
import random
import sys

LANES = [("device", "Device"), ("node", "Edge node"), ("control-plane", "Control plane")]

# Share of each step type (ends are only placed where they keep every later step reachable).
TYPE_WEIGHTS = [
    ("task", 36),
    ("decision", 14),
    ("check", 16),
    ("action", 14),
    ("wait", 7),
    ("escalate", 6),
    ("end", 7),
]

# Which lane a step of each type tends to live in.
LANE_BIAS = {
    "task": [4, 4, 2],
    "decision": [2, 4, 4],
    "check": [1, 4, 5],
    "action": [1, 5, 4],
    "wait": [1, 4, 5],
    "escalate": [0, 1, 6],
    "end": [2, 4, 4],
}

WINDOW = 6           # ordinary ways go to one of the next WINDOW steps
LONG_JUMP = 40       # an occasional way skips this far ahead
LONG_JUMP_SHARE = 0.08
BACK_SHARE = 0.3     # share of decisions/waits that get a way back
BACK_REACH = (2, 30)

SUBJECTS = [
    "the detector model", "the ranker canary", "GPU memory", "the camera feed", "the edge gateway",
    "the TorchServe workers", "the Triton server", "the feature store", "the model cache",
    "the node's thermal state", "p99 latency", "the inference queue", "the rollout",
    "the device firmware", "the uplink", "the batch scheduler", "input drift", "the model repository",
]

TASK_TITLES = [
    "Inspect {s} on the node dashboard",
    "Check {s} by hand",
    "Collect logs about {s}",
    "Compare {s} with the rest of the site",
    "Restart the service behind {s}",
    "Note the state of {s} in the incident channel",
    "Ask the site contact about {s}",
    "Clear the backlog of {s}",
]
TASK_CHECKLIST = [
    "Dashboard opened for the node",
    "Last 30 minutes of logs saved to the incident",
    "Site contact informed",
    "Nothing changed since the last deploy",
    "Screenshot attached to the timeline",
    "Other nodes of the site look normal",
]
DECISION_TITLES = [
    "Is {s} the cause?",
    "How should we handle {s}?",
    "Roll back or keep {s}?",
    "What does {s} look like now?",
    "Is it safe to touch {s}?",
]
OPTION_LABELS = [
    "Yes, go on", "No, look elsewhere", "Roll back", "Keep it and watch", "Hand over",
    "Retry the last fix", "Escalate now", "Mitigate on the node", "Shed load first",
    "Drain the node", "Ignore, false alarm",
]
BACK_LABELS = ["Try again from an earlier step", "Go back and re-check", "Start this part over"]
CHECK_TITLES = [
    "Is {s} above its limit?",
    "Is {s} healthy?",
    "Does {s} still fail requests?",
    "Is {s} drifting?",
]
PROMQL = [
    'sum(rate(nv_inference_request_failure{{instance=~"{{{{ inputs.node }}}}.*", model="{{{{ inputs.model }}}}"}}[5m])) or vector(0)',
    'histogram_quantile(0.99, sum by (le) (rate(inference_request_duration_seconds_bucket{{node="{{{{ inputs.node }}}}"}}[5m]))) * 1000',
    'max(DCGM_FI_DEV_GPU_TEMP{{Hostname="{{{{ inputs.node }}}}"}})',
    'max(model_input_psi{{model="{{{{ inputs.model }}}}", track="canary"}})',
    'sum(ts_queue_latency_microseconds{{model_name="{{{{ inputs.model }}}}"}}) / 1000',
]
CONDITIONS = [
    "value > inputs.budget_ms",
    "value > 0.25",
    "value >= 85",
    "value > 0",
    "value < 0.1 && inputs.runtime == 'triton'",
]
PROBES = [
    ({"target": "triton", "method": "GET", "path": "/v2/health/ready"}, "status == 200"),
    ({"target": "ts_infer", "method": "GET", "path": "/ping"}, "status == 200 && body.status == 'Healthy'"),
    ({"target": "k8s", "method": "GET",
      "path": "/apis/serving.kserve.io/v1beta1/namespaces/{{ inputs.namespace }}/inferenceservices/{{ inputs.model }}"},
     "status == 404"),
]
ACTIONS = [
    ("triton.load", "triton", {"model": "{{ inputs.model }}"}, "Load {m} again in Triton"),
    ("triton.unload", "triton", {"model": "{{ inputs.cold_model }}"}, "Unload the cold model from Triton"),
    ("torchserve.scale-workers", "ts", {"model": "{{ inputs.model }}", "min": 2, "max": 4},
     "Give {m} more TorchServe workers"),
    ("torchserve.set-default-version", "ts", {"model": "{{ inputs.model }}", "version": "{{ inputs.version }}"},
     "Pin {m} to the previous version"),
    ("kserve.set-canary-percent", "k8s", {"namespace": "{{ inputs.namespace }}", "name": "{{ inputs.model }}", "percent": 0},
     "Send no traffic to the {m} canary"),
    ("argo.abort", "k8s", {"namespace": "{{ inputs.namespace }}", "name": "{{ inputs.model }}-rollout"},
     "Abort the {m} rollout"),
    ("kubernetes.cordon", "k8s", {"node": "{{ inputs.node }}"}, "Cordon the edge node"),
]
ESCALATIONS = [
    ("pagerduty.trigger", "pd",
     {"summary": "{{ inputs.model }} on {{ inputs.node }} needs help (incident {{ incident.id }})",
      "severity": "error", "source": "{{ inputs.node }}"},
     "Page the edge runtime on-call"),
    ("slack.post", "chat", {"text": "Incident {{ incident.id }}: working on {{ inputs.model }}"},
     "Tell the edge channel"),
    ("alertmanager.silence", "am",
     {"matchers": {"alertname": "TritonModelNotReady", "instance": "/{{ inputs.node }}:.*/"}, "duration": "1h"},
     "Silence the node's alerts for an hour"),
]
END_TITLES = [
    ("Fixed on the node", "resolved"),
    ("Mitigated, follow-up ticket filed", "mitigated"),
    ("Handed over to the platform team", "escalated"),
    ("Nothing wrong after all", "false-alarm"),
    ("Stopped by the engineer", "aborted"),
]
ID_WORDS = {
    "task": ["inspect", "collect", "compare", "restart", "note", "ask", "clear"],
    "decision": ["choose", "decide", "pick"],
    "check": ["check", "probe", "measure"],
    "action": ["apply", "change", "fix"],
    "wait": ["wait", "watch"],
    "escalate": ["page", "notify"],
    "end": ["close"],
}


def q(value):
    """A YAML scalar: JSON's double-quoted strings are valid YAML 1.2."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def flow(mapping):
    return "{" + ", ".join(f"{k}: {flow(v) if isinstance(v, dict) else q(v)}"
                           for k, v in mapping.items()) + "}"


def plan(n, rng):
    """Types, lanes and ways of n steps: a list of dicts with 'type', 'lane', 'ways'."""
    steps = []
    claimed = [False] * n   # has a way in from an earlier step
    claimed[0] = True
    types, weights = zip(*TYPE_WEIGHTS)
    for i in range(n):
        remaining = n - 1 - i
        if i == n - 1:
            kind = "end"
        elif i == 0:
            kind = "check"
        else:
            kind = rng.choices(types, weights)[0]
            # An end here would leave i+1 without a way in.
            while kind == "end" and not claimed[i + 1]:
                kind = rng.choices(types, weights)[0]
        lane = rng.choices([l for l, _ in LANES], LANE_BIAS[kind])[0]

        if kind == "end":
            forward_count = 0
        elif kind in ("task", "escalate"):
            forward_count = 1
        elif kind == "decision":
            forward_count = rng.choice([2, 2, 3])
        elif kind == "check":
            forward_count = rng.choice([2, 3, 3, 4])
        elif kind == "action":
            forward_count = 2
        else:  # wait
            forward_count = rng.choice([1, 2])
        forward_count = min(forward_count, remaining)

        back = None
        if kind in ("decision", "wait") and i >= BACK_REACH[0] and rng.random() < BACK_SHARE:
            candidates = [j for j in range(max(0, i - BACK_REACH[1]), i - BACK_REACH[0] + 1)
                          if steps[j]["type"] != "end"]
            if candidates:
                back = rng.choice(candidates)
        if kind == "decision" and forward_count + (back is not None) < 2:
            back = back if back is not None else next(
                (j for j in range(i - 1, -1, -1) if steps[j]["type"] != "end"), None)
        if kind == "wait" and back is not None:
            forward_count = 1   # next forward, on_timeout back

        ways = []
        # First way: the nearest later step that has no way in yet.
        nearest = next((j for j in range(i + 1, n) if not claimed[j]), None)
        if forward_count and nearest is not None and nearest <= i + WINDOW * 3:
            ways.append(nearest)
        while len(ways) < forward_count:
            if rng.random() < LONG_JUMP_SHARE:
                hi = min(n - 1, i + LONG_JUMP)
            else:
                hi = min(n - 1, i + WINDOW)
            target = rng.randint(i + 1, hi)
            if target not in ways:
                ways.append(target)
            elif len(set(range(i + 1, hi + 1)) - set(ways)) == 0:
                break
        rng.shuffle(ways)
        for w in ways:
            claimed[w] = True
        steps.append({"type": kind, "lane": lane, "ways": ways, "back": back})
    assert all(claimed), "every step has a way in"
    return steps


def step_ids(steps, rng):
    ids = []
    for i, s in enumerate(steps):
        word = rng.choice(ID_WORDS[s["type"]])
        ids.append(f"{word}-{i:04d}")
    return ids


def render(n, steps, ids, rng):
    out = []
    w = out.append

    def write_call(title, call, target, with_, next_step):
        # What an action and an escalation have in common.
        w(f"    title: {q(title)}")
        w(f"    call: {call}")
        w(f"    target: {target}")
        w(f"    with: {flow(with_)}")
        w(f"    next: {next_step}")
    w("# Generated by tests/bench/layout/generate_playbook.py for the layout benchmark; do not edit.")
    w("runlane: 1")
    w(f"id: bench-layout-{n}")
    w(f"title: {q(f'Layout benchmark: {n} steps of a synthetic edge inference incident')}")
    w("summary: |")
    w("  Synthetic playbook for measuring layout and drawing time. It has the shape of the shipped")
    w("  library (tasks, decisions, checks, actions, waits, escalations, ends over three lanes),")
    w("  scaled up. Not meant to be run.")
    w("severity: sev3")
    w("owner: runlane-bench")
    w("tags: [bench, synthetic]")
    w("triggers:")
    w("  - {alertname: TritonModelNotReady}")
    w("  - {alertname: '/EdgeP99Latency(Budget)?Breach/'}")
    w("budget: {acknowledge: 5m, mitigate: 30m, resolve: 8h}")
    w("")
    w("lanes:")
    for lid, title in LANES:
        w(f"  - {{id: {lid}, title: {title}}}")
    w("")
    w("inputs:")
    w("  node: {prompt: Edge node name, pattern: '^[a-z0-9.-]+$'}")
    w("  model: {prompt: Model name, default: detector}")
    w("  cold_model: {prompt: Coldest resident model, default: classifier}")
    w("  version: {prompt: Previous model version, default: '1.0'}")
    w("  namespace: {prompt: Kubernetes namespace, default: edge}")
    w("  budget_ms: {prompt: p99 budget in ms, type: number, default: 120, min: 5, max: 5000}")
    w("  runtime: {prompt: Serving runtime, type: choice, choices: [torchserve, triton], default: torchserve}")
    w("")
    w("targets:")
    w('  prom: {kind: prometheus, url: "${env:PROM_URL:-http://127.0.0.1:9090}"}')
    w('  am: {kind: alertmanager, url: "${env:AM_URL:-http://127.0.0.1:9093}"}')
    w('  ts: {kind: torchserve, url: "${env:TS_MGMT_URL:-http://127.0.0.1:8081}"}')
    w('  ts_infer: {kind: torchserve, url: "${env:TS_INFER_URL:-http://127.0.0.1:8080}"}')
    w('  triton: {kind: triton, url: "${env:TRITON_URL:-http://127.0.0.1:8000}"}')
    w('  k8s: {kind: kubernetes, url: "${env:K8S_URL:-http://127.0.0.1:8001}"}')
    w('  pd: {kind: pagerduty, url: "${env:PD_URL:-http://127.0.0.1:9095}", routing_key: "${env:PD_ROUTING_KEY:-bench}"}')
    w('  chat: {kind: slack, url: "${env:SLACK_WEBHOOK:-http://127.0.0.1:9096/hook}"}')
    w("")
    w(f"start: {ids[0]}")
    w("")
    w("steps:")
    for i, s in enumerate(steps):
        kind = s["type"]
        ways = [ids[j] for j in s["ways"]]
        back = ids[s["back"]] if s["back"] is not None else None
        subject = rng.choice(SUBJECTS)
        w(f"  - id: {ids[i]}")
        w(f"    lane: {s['lane']}")
        w(f"    type: {kind}")
        if kind == "task":
            w(f"    title: {q(rng.choice(TASK_TITLES).format(s=subject))}")
            w("    body: |")
            w(f"      Look at {subject} for node `{{{{ inputs.node }}}}` and write what you see in the timeline.")
            w("    checklist:")
            for item in rng.sample(TASK_CHECKLIST, rng.randint(1, 3)):
                w(f"      - {q(item)}")
            w(f"    next: {ways[0]}")
        elif kind == "decision":
            w(f"    title: {q(rng.choice(DECISION_TITLES).format(s=subject))}")
            w("    options:")
            labels = rng.sample(OPTION_LABELS, len(ways))
            for label, target in zip(labels, ways):
                w(f"      - {{label: {q(label)}, next: {target}}}")
            if back:
                w(f"      - {{label: {q(rng.choice(BACK_LABELS))}, next: {back}}}")
        elif kind == "check":
            w(f"    title: {q(rng.choice(CHECK_TITLES).format(s=subject))}")
            w("    timeout: 2m")
            branches = ways[:-1] or ways
            else_way = ways[-1]
            if rng.random() < 0.7:
                w("    query:")
                w("      target: prom")
                w(f"      promql: {q(rng.choice(PROMQL).format())}")
                conditions = rng.sample(CONDITIONS, min(len(CONDITIONS), len(branches)))
            else:
                probe, cond = rng.choice(PROBES)
                w(f"    probe: {flow(probe)}")
                conditions = [cond] + [f"status >= {c}" for c in (500, 400, 300)]
            extra = []
            if len(branches) > 2:   # the third forward way becomes no_data
                extra = [branches[-1]]
                branches = branches[:-1]
            w("    when:")
            for cond, target in zip(conditions, branches):
                w(f"      - {{if: {q(cond)}, next: {target}}}")
            w(f"    else: {else_way}")
            if extra:
                w(f"    no_data: {extra[0]}")
            w("    on_error: ask")
        elif kind == "action":
            call, target, with_, title = rng.choice(ACTIONS)
            write_call(title.format(m='the model'), call, target, with_, ways[0])
            if len(ways) > 1:
                w(f"    on_failure: {ways[1]}")
        elif kind == "wait":
            if back is None and len(ways) == 1 and rng.random() < 0.5:
                w(f"    title: {q(f'Give {subject} five minutes to settle')}")
                w("    duration: 5m")
                w(f"    next: {ways[0]}")
            else:
                w(f"    title: {q(f'Wait until {subject} is back to normal')}")
                w("    until:")
                w(f"      query: {{target: prom, promql: {q(rng.choice(PROMQL).format())}}}")
                w(f"      if: {q(rng.choice(CONDITIONS))}")
                w("      every: 30s")
                w("    timeout: 10m")
                w(f"    next: {ways[0]}")
                w(f"    on_timeout: {back or (ways[1] if len(ways) > 1 else ways[0])}")
        elif kind == "escalate":
            call, target, with_, title = rng.choice(ESCALATIONS)
            write_call(title, call, target, with_, ways[0])
        else:
            title, outcome = rng.choice(END_TITLES)
            w(f"    title: {q(title)}")
            w(f"    outcome: {outcome}")
        w("")
    return "\n".join(out)


def main(argv):
    if len(argv) != 3:
        print("usage: generate_playbook.py N OUT", file=sys.stderr)
        return 2
    try:
        n = int(argv[1])
    except ValueError:
        n = 0
    if n < 2:
        print("generate_playbook.py: N must be a whole number >= 2", file=sys.stderr)
        return 2
    rng = random.Random(20240501 + n)
    steps = plan(n, rng)
    ids = step_ids(steps, rng)
    text = render(n, steps, ids, rng)
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
