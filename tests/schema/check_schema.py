#!/usr/bin/env python3
"""Checks the JSON Schemas of the playbook format against the shipped playbooks and known cases.

    check_schema.py SCHEMA_DIR PLAYBOOKS_DIR

- both schemas are valid draft-07 and document every property (title and description: editors
  show them on hover);
- every playbook in PLAYBOOKS_DIR (*.yaml, *.yml, not *.test.yaml) validates against
  runlane-playbook.schema.json, every *.test.yaml against runlane-playbook-test.schema.json;
- deliberately broken documents carried below are REJECTED, for the expected reason (so this
  test can fail), and good minimal documents are ACCEPTED.

Prints one line per file or case, errors as FILE:LINE:COL: error: message beneath, and ends with
the line "N passed, M failed". Exit status 1 on any failure.

Uses only Debian's python3-yaml and python3-jsonschema (4.10 in Debian 12; newer ones work too).
"""

import re
import sys
from pathlib import Path

try:
    import jsonschema
    import yaml
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"check_schema.py: {exc}; install python3-yaml and python3-jsonschema", file=sys.stderr)
    sys.exit(2)

import json

PLAYBOOK_SCHEMA = "runlane-playbook.schema.json"
TEST_SCHEMA = "runlane-playbook-test.schema.json"


# --------------------------------------------------------------------------------------- YAML
class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema typing of plain scalars, as the product reads them:
    only true/false are booleans (`on`, `yes`, `no`, `off` stay strings), no sexagesimal numbers,
    no timestamps (`2024-05-01` stays a string), no merge keys; duplicate keys are an error."""

    yaml_implicit_resolvers = {}

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found a key that is not a scalar",
                    key_node.start_mark)
            if key in seen:
                first = seen[key]
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key '{key}' (first at line {first.line + 1}, column {first.column + 1})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _resolver(tag, pattern, first):
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver("tag:yaml.org,2002:float",
          r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
          "-+.0123456789")


def _construct_yaml12_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


def _construct_yaml12_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_yaml12_bool)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_yaml12_int)


def load_yaml(text):
    """Returns (data, root node) so that errors can point at lines; raises yaml.YAMLError."""
    loader = Yaml12Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def node_at(root, path):
    """The node at a JSON path (as far as it exists), and whether the whole path was found."""
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    node = value_node
                    break
            else:
                return node, False
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node, False
    return node, True


def key_node_of(mapping_node, key):
    if isinstance(mapping_node, yaml.MappingNode):
        for key_node, _ in mapping_node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node
    return mapping_node


# --------------------------------------------------------------------------------------- errors
def dotted(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def short(value, limit=60):
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error):
    """(path of the offending node, message): plain words instead of the schema's internals."""
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extra = [k for k in error.instance
                 if k not in known and not any(p.search(str(k)) for p in patterns)]
        if extra:
            return path + [extra[0]], "unknown key " + ", ".join(f"'{k}'" for k in extra), True
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        if error.validator == "pattern":
            return path + [error.instance], f"bad name '{error.instance}': must match {error.validator_value}", True
        if error.context:
            return describe(jsonschema.exceptions.best_match(error.context))
        return path + [error.instance], f"bad name '{error.instance}'", True
    if validator == "not":
        forbidden = error.validator_value
        if forbidden == {}:
            return path, f"'{path[-1] if path else ''}' is not allowed here", False
        if isinstance(forbidden, dict) and "const" in forbidden:
            return path, f"{short(forbidden['const'])} is reserved", False
        if isinstance(forbidden, dict) and list(forbidden) == ["required"]:
            return path, "use only one of: " + ", ".join(forbidden["required"]), False
    if validator == "minItems":
        return path, f"needs at least {error.validator_value} item(s)", False
    if validator in ("oneOf", "anyOf"):
        alternatives = error.validator_value
        if all(isinstance(a, dict) and list(a) == ["required"] for a in alternatives):
            names = ", ".join(a["required"][0] for a in alternatives)
            if validator == "oneOf":
                return path, f"needs exactly one of: {names}", False
            return path, f"needs one of: {names}", False
        if error.context:
            best = jsonschema.exceptions.best_match(error.context)
            sub_path, sub_message, is_key = describe(best)
            return sub_path, sub_message, is_key
        return path, f"{short(error.instance)} is not an allowed value here", False
    if validator == "pattern":
        hint = schema.get("patternErrorMessage")
        message = f"{short(error.instance)} does not match {error.validator_value}"
        return path, message + (f" ({hint})" if hint else ""), False
    if validator == "const":
        return path, f"{short(error.instance)}: must be {short(error.validator_value)}", False
    if validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return path, f"{short(error.instance)} is not one of: {allowed}", False
    if validator == "required":
        missing = re.match(r"'([^']*)'", error.message)
        return path, f"missing required key '{missing.group(1) if missing else error.message}'", False
    message = error.message
    if len(message) > 200:
        message = message[:199] + "…"
    return path, message, False


def validate(validator, data, root, label):
    """Returns a sorted list of (path, 'LABEL:LINE:COL: error: message')."""
    found = []
    for error in validator.iter_errors(data):
        path, message, is_key = describe(error)
        node, complete = node_at(root, path[:-1] if is_key else path)
        if is_key:
            node = key_node_of(node, path[-1])
        mark = node.start_mark if node is not None else None
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        found.append((path, mark.line if mark else 0, f"{where}: error: {dotted(path)}: {message}"))
    found.sort(key=lambda item: (item[1], item[2]))
    return [(path, line) for path, _, line in found]


# --------------------------------------------------------------------------------------- cases
MINIMAL = """\
runlane: 1
id: minimal
title: Minimal playbook
start: first
steps:
  - id: first
    type: task
    title: Look at the dashboard
    next: done
  - id: done
    type: end
    title: Done
    outcome: resolved
"""

# Every part of the format at least once: lanes, each input type, targets with each auth form,
# each step type, query and probe, request and call, fan-out, wait by duration and by until.
FULL = """\
# yaml-language-server: $schema=../resources/schema/runlane-playbook.schema.json
runlane: 1
id: canary-drift-rollback
title: Canary input drift - roll back the canary
summary: |
  Use when **ModelInputDrift** fires for a canary.
severity: sev2
owner: ml-platform
tags: [drift, canary, 2024]
triggers:
  - {alertname: ModelInputDrift, track: canary}
  - {alertname: /ModelInput.*/, severity: critical}
budget: {acknowledge: 5m, mitigate: 30m, resolve: 4h}
x-ticket-queue: MLOPS
lanes:
  - {id: device, title: Device}
  - {id: node, title: Edge node (micro-GPU island)}
  - {id: control-plane, title: Control plane, x-colour: blue}
inputs:
  model:   {prompt: Model name, type: string, default: ranker, pattern: '^[a-z0-9-]+$'}
  percent: {prompt: Canary share to keep, type: number, default: 0, min: 0, max: 100}
  region:  {prompt: Region, type: choice, choices: [eu-west-1, us-east-1]}
  nodes:   {prompt: Affected nodes, type: list}
  backup_taken: {prompt: "Backup taken?", type: boolean, default: false}
targets:
  fleet:
    kind: torchserve
    url: ${env:FLEET_MGMT_URL:-http://127.0.0.1:8081}
    auth:
      bearer: ${env:FLEET_TOKEN}
    timeout: 10s
    retry: {attempts: 3, backoff: 500ms, max_backoff: 10s}
    tls: {verify: true, ca: /path/ca.pem}
  prom: {kind: prometheus, url: http://127.0.0.1:9090}
  am: {kind: alertmanager, url: http://127.0.0.1:9093, auth: {basic: {user: ops, password: "${env:AM_PASSWORD}"}}}
  k8s: {kind: kubernetes, url: https://127.0.0.1:6443, auth: {header: {name: X-Api-Key, value: "${env:K8S_KEY}"}}, tls: {verify: false}}
  triton: {kind: triton, url: http://127.0.0.1:8000}
  pd:
    kind: pagerduty
    url: https://events.pagerduty.com
    routing_key: ${env:PD_ROUTING_KEY}
  chat: {kind: slack, url: "${env:SLACK_WEBHOOK}"}
  raw: {kind: http, url: http://127.0.0.1:9000}
start: confirm-alert
steps:
  - id: confirm-alert
    type: task
    title: Confirm the alert is about a canary
    body: Open the *drift* dashboard.
    checklist: [Dashboard opened, Canary named in the alert]
    timeout: 5m
    next: check-drift
  - id: check-drift
    lane: control-plane
    type: check
    title: Is the canary's input drift above 0.25?
    query:
      target: prom
      promql: max(model_input_psi{model="{{ inputs.model }}", track="canary"})
      reduce: max
    when:
      - if: value > 0.25
        next: demote-canary
      - {if: "value > 0.1 && inputs.percent == 0", next: watch-drift}
    else: watch-drift
    no_data: ask
    on_error: probe-node
  - id: probe-node
    lane: node
    type: check
    title: Is the node ready?
    probe: {target: k8s, method: GET, path: /readyz, expect: {status: 200}}
    when:
      - {if: status == 200 && elapsed_ms < 500, next: choose}
    else: escalate-platform
  - id: choose
    type: decision
    title: Roll back or keep watching?
    options:
      - {label: Roll back, next: demote-canary}
      - {label: Keep watching, next: watch-drift}
      - {label: "yes", next: close}
  - id: demote-canary
    lane: control-plane
    type: action
    title: Pin all traffic to the previous model
    call: kserve.set-canary-percent
    target: k8s
    with: {namespace: edge, name: "{{ inputs.model }}", percent: "{{ inputs.percent }}"}
    confirm: true
    save: {previous: body.status.components.predictor.previousRolledoutRevision}
    next: set-default
    on_failure: escalate-platform
  - id: set-default
    lane: node
    type: action
    title: Make the previous version the default on every node
    target: fleet
    request:
      method: PUT
      path: /models/{{ inputs.model }}/{{ vars.previous }}/set-default
      query: {synchronous: "true"}
      headers: {Content-Type: application/json}
      body: {reason: "drift on {{ inputs.model }}", percent: "{{ inputs.percent }}"}
      expect: {status: [200, 202]}
    fanout:
      over: "{{ inputs.nodes }}"
      as: node
      url: "{{ node }}"
      concurrency: 64
      waves: [1%, 10%, 50%, 100%]
      max_failures: 2%
    next: scale
    on_failure: escalate-platform
  - id: scale
    lane: node
    type: action
    title: Scale workers
    call: torchserve.scale-workers
    target: fleet
    with: {model: "{{ inputs.model }}", min: 1, max: 4}
    confirm: false
    next: silence
  - id: silence
    type: action
    title: Silence the drift alert for two hours
    call: alertmanager.silence
    target: am
    with: {matchers: {alertname: ModelInputDrift, model: /rank.*/}, duration: 2h, comment: rollback in progress}
    next: settle
  - id: settle
    type: wait
    title: Let traffic settle
    duration: 90s
    next: watch-drift
  - id: watch-drift
    type: wait
    title: Watch drift for 10 minutes
    until: {query: {target: prom, promql: "max(model_input_psi)"}, if: value < 0.1, every: 30s}
    timeout: 10m
    next: tell-channel
    on_timeout: escalate-platform
  - id: tell-channel
    type: escalate
    title: Tell the channel
    call: slack.post
    target: chat
    with: {text: "Canary of {{ inputs.model }} rolled back ({{ incident.id }})"}
    next: close
  - id: escalate-platform
    type: escalate
    title: Page the platform team
    call: pagerduty.trigger
    target: pd
    with: {summary: "Drift rollback failed for {{ inputs.model }}", severity: critical, source: runlane}
    confirm: true
    next: handed-over
  - id: close
    type: end
    title: Canary rolled back
    outcome: mitigated
  - id: handed-over
    type: end
    title: Handed over to the platform team
    outcome: escalated
    x-note: kept and ignored
"""

# YAML 1.1 would read these ids and the date as booleans and a date; the format reads them as text.
YAML11_TRAPS = """\
runlane: 1
id: on
title: 2024-05-01
start: yes
lanes: [{id: on, title: On}]
steps:
  - id: yes
    type: decision
    title: Off?
    lane: on
    options: [{label: on, next: off}, {label: no, next: no}]
  - {id: off, type: end, title: Off, outcome: resolved}
  - {id: no, type: end, title: No, outcome: aborted}
"""

MINIMAL_TEST = """\
playbook: minimal.yaml
cases:
  - name: walks to the end
    expect: {path: [first, done], outcome: resolved}
"""

FULL_TEST = """\
playbook: canary-drift-rollback.yaml     # relative to this file
cases:
  - name: drift high, rollback works
    inputs: {model: ranker, nodes: [http://10.0.0.1:8081, http://10.0.0.2:8081]}
    results:
      check-drift: {value: 0.41}
      demote-canary: {status: 200, body: {status: {}}}
      set-default: {status: 200}
      scale: {status: 200, body: {status: Processing}}
      silence: {status: 200, body: {silenceID: abc}}
      watch-drift: {value: 0.05}
      tell-channel: {status: 200, body: ok}
    answers: {}
    expect:
      path: [confirm-alert, check-drift, demote-canary, set-default, scale, silence, settle, watch-drift, tell-channel, close]
      outcome: mitigated
      vars: {previous: null}
  - name: no data, the engineer chooses
    results:
      check-drift: {no_data: true}
      probe-node: {error: connection refused}
    answers: {check-drift: choose, choose: Roll back}
    expect: {visits: [check-drift, choose]}
"""


def patched(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


# (name, schema, document, expected: None to accept, or (path prefix, words in the message))
CASES = [
    ("accept: minimal playbook", PLAYBOOK_SCHEMA, MINIMAL, None),
    ("accept: every part of the format", PLAYBOOK_SCHEMA, FULL, None),
    ("accept: on/yes/no/off and dates stay text", PLAYBOOK_SCHEMA, YAML11_TRAPS, None),
    ("accept: minimal test", TEST_SCHEMA, MINIMAL_TEST, None),
    ("accept: test with results and answers", TEST_SCHEMA, FULL_TEST, None),
    ("reject: unknown key nxet", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    next: done", "    nxet: done"), (["steps", 0], "nxet")),
    ("reject: unknown top-level key", PLAYBOOK_SCHEMA,
     MINIMAL + "strat: first\n", (["strat"], "unknown key 'strat'")),
    ("reject: bad playbook id", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "id: minimal", "id: Minimal_Playbook"), (["id"], "does not match")),
    ("reject: bad step id", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "  - id: first", "  - id: -first"), (["steps", 0, "id"], "does not match")),
    ("reject: step id ask is reserved", PLAYBOOK_SCHEMA,
     patched(patched(MINIMAL, "  - id: first", "  - id: ask"), "start: first", "start: done"),
     (["steps", 0, "id"], "reserved")),
    ("reject: decision with one option", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    type: task\n    title: Look at the dashboard\n    next: done",
             "    type: decision\n    title: Which?\n    options: [{label: Only, next: done}]"),
     (["steps", 0, "options"], "at least 2")),
    ("reject: bad duration", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    next: done", "    timeout: 5 minutes\n    next: done"),
     (["steps", 0, "timeout"], "does not match")),
    ("reject: bad duration unit", PLAYBOOK_SCHEMA,
     patched(FULL, "duration: 90s", "duration: 90sec"), (["steps", 8, "duration"], "does not match")),
    ("reject: call without a required with key", PLAYBOOK_SCHEMA,
     patched(FULL, 'name: "{{ inputs.model }}", percent: "{{ inputs.percent }}"}', 'name: "{{ inputs.model }}"}'),
     (["steps", 4, "with"], "percent")),
    ("reject: call without with", PLAYBOOK_SCHEMA,
     patched(FULL, '    with: {text: "Canary of {{ inputs.model }} rolled back ({{ incident.id }})"}\n', ""),
     (["steps", 10], "with")),
    ("reject: unknown with key", PLAYBOOK_SCHEMA,
     patched(FULL, "min: 1, max: 4", "min: 1, max: 4, maximum: 5"), (["steps", 6, "with", "maximum"], "unknown key")),
    ("reject: unknown call", PLAYBOOK_SCHEMA,
     patched(FULL, "call: torchserve.scale-workers", "call: torchserve.scale"), (["steps", 6, "call"], "not one of")),
    ("reject: pagerduty severity", PLAYBOOK_SCHEMA,
     patched(FULL, "severity: critical, source", "severity: high, source"), (["steps", 11, "with", "severity"], "not one of")),
    ("reject: end without outcome", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    outcome: resolved\n", ""), (["steps", 1], "outcome")),
    ("reject: unknown outcome", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "outcome: resolved", "outcome: fixed"), (["steps", 1, "outcome"], "not one of")),
    ("reject: key of another step type", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    next: done", "    next: done\n    outcome: resolved"), (["steps", 0, "outcome"], "not allowed")),
    ("reject: check with query and probe", PLAYBOOK_SCHEMA,
     patched(FULL, "    probe: {target: k8s,", "    query: {target: prom, promql: up}\n    probe: {target: k8s,"),
     (["steps", 2], "exactly one of")),
    ("reject: wait until without timeout", PLAYBOOK_SCHEMA,
     patched(FULL, "    timeout: 10m\n", ""), (["steps", 9], "timeout")),
    ("reject: action with call and request", PLAYBOOK_SCHEMA,
     patched(FULL, "    call: torchserve.scale-workers\n", "    call: torchserve.scale-workers\n    request: {method: GET}\n"),
     (["steps", 6, "request"], "not allowed")),
    ("reject: format version 2", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "runlane: 1", "runlane: 2"), (["runlane"], "must be 1")),
    ("reject: input name not an identifier", PLAYBOOK_SCHEMA,
     patched(FULL, "  nodes:   {prompt", "  Nodes:   {prompt"), (["inputs", "Nodes"], "bad name")),
    ("reject: choice input without choices", PLAYBOOK_SCHEMA,
     patched(FULL, ", choices: [eu-west-1, us-east-1]}", "}"), (["inputs", "region"], "choices")),
    ("reject: unknown target kind", PLAYBOOK_SCHEMA,
     patched(FULL, "kind: triton", "kind: tritonserver"), (["targets", "triton", "kind"], "not one of")),
    ("reject: two kinds of auth", PLAYBOOK_SCHEMA,
     patched(FULL, "      bearer: ${env:FLEET_TOKEN}", "      bearer: ${env:FLEET_TOKEN}\n      header: {name: X-Key, value: k}"),
     (["targets", "fleet", "auth"], "exactly one of")),
    ("reject: routing_key on a non-pagerduty target", PLAYBOOK_SCHEMA,
     patched(FULL, "prom: {kind: prometheus,", "prom: {kind: prometheus, routing_key: k,"),
     (["targets", "prom", "routing_key"], "not allowed")),
    ("reject: bad fan-out wave", PLAYBOOK_SCHEMA,
     patched(FULL, "waves: [1%, 10%, 50%, 100%]", "waves: [1%, 10%, 50%, 150%]"), (["steps", 5, "fanout", "waves", 3], "does not match")),
    ("reject: duplicate key", PLAYBOOK_SCHEMA,
     patched(MINIMAL, "    next: done", "    next: done\n    next: first"), ([], "duplicate key 'next'")),
    ("reject: test with path and visits", TEST_SCHEMA,
     patched(MINIMAL_TEST, "expect: {path: [first, done]", "expect: {visits: [first], path: [first, done]"),
     (["cases", 0, "expect"], "only one of: path, visits")),
    ("reject: test result of unknown shape", TEST_SCHEMA,
     patched(FULL_TEST, "check-drift: {value: 0.41}", "check-drift: {valeu: 0.41}"),
     (["cases", 0, "results", "check-drift", "valeu"], "unknown key")),
    ("reject: test case without name", TEST_SCHEMA,
     patched(MINIMAL_TEST, "  - name: walks to the end\n    expect", "  - expect"), (["cases", 0], "name")),
    ("reject: unknown key nxet in a test", TEST_SCHEMA,
     patched(MINIMAL_TEST, "    expect:", "    nxet: 1\n    expect:"), (["cases", 0, "nxet"], "unknown key")),
]


# --------------------------------------------------------------------------------------- main
class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, line):
        self.passed += 1
        print(f"PASS {line}")

    def fail(self, line, details=()):
        self.failed += 1
        print(f"FAIL {line}")
        for detail in details:
            print(f"    {detail}")


def undocumented(schema, where="#"):
    """Properties without a title or a description (editors show them on hover)."""
    missing = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("if", "then", "else", "not"):
                continue  # conditions restate properties only to require or forbid them
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    if not (isinstance(sub, dict) and "title" in sub and "description" in sub):
                        missing.append(f"{where}/properties/{name}")
                    missing += undocumented(sub, f"{where}/properties/{name}")
            else:
                missing += undocumented(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            missing += undocumented(value, f"{where}/{index}")
    return missing


def load_schema(report, path):
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as exc:
        report.fail(f"{path.name}: not a valid draft-07 schema", [str(exc).splitlines()[0]])
        return None
    missing = undocumented(schema)
    if missing or "$id" not in schema:
        report.fail(f"{path.name}: every property needs a title and a description, the schema an $id",
                    missing[:20])
    else:
        report.ok(f"{path.name}: valid draft-07 schema, every property documented")
    return jsonschema.Draft7Validator(schema)


def check_text(validator, text, label):
    """Returns the list of (path, error line) for one document."""
    try:
        data, root = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        problem = getattr(exc, "problem", None) or str(exc)
        return [([], f"{where}: error: {problem}")]
    if data is None:
        return [([], f"{label}:1:1: error: the document is empty")]
    return validate(validator, data, root, label)


def main(argv):
    if len(argv) != 3:
        print("usage: check_schema.py SCHEMA_DIR PLAYBOOKS_DIR", file=sys.stderr)
        return 2
    schema_dir, playbooks_dir = Path(argv[1]), Path(argv[2])
    report = Report()
    validators = {name: load_schema(report, schema_dir / name) for name in (PLAYBOOK_SCHEMA, TEST_SCHEMA)}

    # Known documents: the good ones must pass, the broken ones must fail for the expected reason.
    for name, schema_name, text, expected in CASES:
        validator = validators[schema_name]
        if validator is None:
            report.fail(f"{name}: no schema")
            continue
        label = "inline/" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".yaml"
        errors = check_text(validator, text, label)
        if expected is None:
            if errors:
                report.fail(f"{name}: rejected, should be accepted", [line for _, line in errors])
            else:
                report.ok(f"{name}")
            continue
        prefix, words = expected
        hits = [line for path, line in errors
                if path[: len(prefix)] == prefix
                and words.lower() in line.split(": error: ", 1)[-1].lower()]
        if hits:
            report.ok(f"{name}: {hits[0].split(': error: ', 1)[-1]}")
        elif errors:
            report.fail(f"{name}: rejected, but not at {dotted(prefix)} with '{words}'",
                        [line for _, line in errors])
        else:
            report.fail(f"{name}: accepted, should be rejected")

    # The shipped library.
    if not playbooks_dir.is_dir():
        report.fail(f"{playbooks_dir}: not a directory")
    else:
        files = sorted(p for p in playbooks_dir.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
        if not files:
            print(f"note: no playbooks in {playbooks_dir}")
        for path in files:
            is_test = path.name.endswith((".test.yaml", ".test.yml"))
            validator = validators[TEST_SCHEMA if is_test else PLAYBOOK_SCHEMA]
            label = f"{playbooks_dir.name}/{path.name}"
            if validator is None:
                report.fail(f"{label}: no schema")
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                report.fail(label, [f"{label}: error: {exc}"])
                continue
            errors = check_text(validator, text, label)
            if errors:
                report.fail(label, [line for _, line in errors])
            else:
                report.ok(label)

    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
