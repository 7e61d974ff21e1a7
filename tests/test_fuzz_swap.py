"""Issue 21, robustness: values swapped between keys never crash the facts or a run-wide rule.

A fuzz trial found 72 crashes by putting a value of one key under another (a number where a
list is, a string where a mapping is, a list where a name is), after 1.5 M byte-level cases had
found none: facts extraction read list fields without checking their type, and one TypeError
ended the whole run without a report. Here real-ish manifests of every kind the run-wide rules
read get such swaps, and facts extraction plus every rule (all enabled) must return findings,
never raise, and never report an internal error.
"""

from __future__ import annotations

import copy
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.engine.rules import builtin_rules
from kubelint.engine.run import lint_paths, lint_text
from kubelint.model import Finding
from kubelint.options import Options
from kubelint.parser import parse
from tests.crds import backup_crd

LONG = os.environ.get("KUBELINT_FUZZ_LONG") == "1"

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [front]}]
  template:
    metadata: {labels: {app: web, tier: front}, annotations: {a: b}}
    spec:
      serviceAccountName: web
      imagePullSecrets: [{name: pull}]
      volumes:
        - {name: conf, configMap: {name: web-conf, items: [{key: app.ini, path: app.ini}]}}
        - {name: tls, secret: {secretName: web-tls}}
        - name: both
          projected: {sources: [{configMap: {name: web-conf}}, {secret: {name: web-tls}}]}
      containers:
        - name: web
          image: nginx:1.27
          command: [nginx, --secret-name=x]
          args: ["-g", "daemon off;"]
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          env:
            - {name: A, value: "1"}
            - name: B
              valueFrom: {configMapKeyRef: {name: web-conf, key: b}}
            - name: C
              valueFrom: {secretKeyRef: {name: web-tls, key: tls.crt}}
          envFrom: [{configMapRef: {name: web-conf}}, {secretRef: {name: web-env, optional: true}}]
          securityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}
      initContainers:
        - {name: init, image: busybox:1.36, ports: [{containerPort: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
          - {path: /old, pathType: Prefix, backend: {serviceName: old, servicePort: 80}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [front]}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: front}}}, {namespaceSelector: {}}]}]
  egress: [{to: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16", ports: [{containerPort: 5432}]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          restartPolicy: OnFailure
          containers:
            - {name: report, image: "busybox:1.36", args: [--secret, made], envFrom: [{secretRef: {name: made}}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-conf, namespace: shop}
data: {app.ini: "x=1", b: "2"}
---
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: shop}
type: kubernetes.io/tls
stringData: {tls.crt: x, tls.key: y}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets, pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: shop}
spec: {secretName: web-cert, dnsNames: [shop.example.com], issuerRef: {name: ca, kind: ClusterIssuer}}
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: shop}
subsets: [{addresses: [{ip: 10.0.0.7}], ports: [{port: 5432}]}]
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/warn: restricted}
"""
# A CRD beside workloads makes their namespaces operator-run (a bundle): apart from APP, so
# that the rules silenced there still run on the seed.
CUSTOM = backup_crd("              retentionDays: {type: integer}\n              schedule: {type: string}\n") + """\
---
apiVersion: example.com/v1
kind: Backup
metadata: {name: nightly, namespace: backups}
spec: {retentionDays: 7, schedule: "0 3 * * *"}
"""


@functools.cache
def seed_documents() -> tuple[Any, ...]:
    return tuple(yaml.safe_load_all(APP)) + tuple(yaml.safe_load_all(CUSTOM))


@functools.cache
def all_rules_on() -> Options:
    return Options(enable=sorted(builtin_rules()), jobs=1)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every node below the root with its path."""
    out: list[tuple[tuple[Any, ...], Any]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append((path + (key,), child))
        out.extend(_nodes(child, path + (key,)))
    return out


def _set(root: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        root = root[part]
    root[path[-1]] = value


# What goes where something of another type belongs: the shapes the fuzz trial found crashes with.
def _replacement(data: st.DataObject, old: Any, others: list[Any]) -> Any:
    if isinstance(old, list):
        pool = ["x", 80, 1.5, True, None, {"a": 1}, {"name": "x"}, [1, "a"], [[1]], [None]]
    elif isinstance(old, dict):
        pool = [80, "x", 1.5, False, None, [1], ["a", "b"], [{"a": 1}], {"a": [1]}, {"a": {"b": 1}}]
    else:
        pool = [["x"], [1, 2], {"a": "b"}, {"name": 1}, [{"name": "x"}], 1.5, True, None, 80, "80"]
    swapped = [o for o in others if type(o) is not type(old)]  # a value of another key
    return data.draw(st.sampled_from(pool + swapped[:20]).map(copy.deepcopy), label="new")


def mutate(data: st.DataObject) -> list[Any]:
    docs = copy.deepcopy(list(seed_documents()))
    for _ in range(data.draw(st.integers(1, 4), label="swaps")):
        index = data.draw(st.integers(0, len(docs) - 1), label="document")
        nodes = [(p, v) for p, v in _nodes(docs[index]) if p[0] not in ("apiVersion", "kind")]
        if not nodes:
            continue
        path, old = data.draw(st.sampled_from(nodes), label="path")
        others = [v for _, v in _nodes(docs[data.draw(st.integers(0, len(docs) - 1), label="from")])]
        _set(docs[index], path, _replacement(data, old, others))
    return docs


def _problems(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.rule == "internal-error"]


def test_the_seed_reaches_every_run_wide_rule() -> None:
    """The seed is worth fuzzing only if the run-wide rules read its objects: several fire on it."""
    findings = lint_text(APP, "app.yaml", all_rules_on())
    fired = {f.rule for f in findings}
    assert {"pod-security-violation", "missing-secret", "ingress-service-missing",
            "hpa-replicas-conflict", "pdb-blocks-eviction"} <= fired, sorted(fired)
    assert not _problems(findings)


@settings(max_examples=3000 if LONG else 120, derandomize=not LONG, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_values_swapped_between_keys(data: st.DataObject) -> None:
    docs = mutate(data)
    text = yaml.safe_dump_all(docs, sort_keys=False)
    findings = lint_text(text, "app.yaml", all_rules_on())
    assert not _problems(findings)


@settings(max_examples=400 if LONG else 30, derandomize=not LONG, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_swapped_values_across_files(data: st.DataObject) -> None:
    """The same through lint_paths, the objects spread over two files of two directories."""
    docs = mutate(data)
    with tempfile.TemporaryDirectory() as tmp:
        for number, part in enumerate((docs[::2], docs[1::2])):
            folder = Path(tmp, f"part{number}")
            folder.mkdir()
            (folder / "objects.yaml").write_text(yaml.safe_dump_all(part, sort_keys=False))
        result = lint_paths([tmp], all_rules_on())
    assert not _problems(result.findings)


def test_facts_take_every_swap_of_a_list_field() -> None:
    """Each field the fuzz trial crashed on, retyped: facts come out and list nothing from it."""
    from kubelint.checks.run import facts_of

    retyped = {
        ("spec", "template", "spec", "containers", 0, "ports"): 80,
        ("spec", "template", "spec", "containers", 0, "env"): 1.5,
        ("spec", "template", "spec", "containers", 0, "envFrom"): 1,
        ("spec", "template", "spec", "volumes"): 1,
        ("spec", "template", "spec", "imagePullSecrets"): True,
    }
    deployment = copy.deepcopy(seed_documents()[0])
    for path, value in retyped.items():
        _set(deployment, path, value)
    facts = facts_of(parse(yaml.safe_dump(deployment), "d.yaml").documents[0])
    assert facts.kind == "Deployment" and facts.name == "web"


@pytest.mark.parametrize(("kind", "path", "value"), [
    ("Service", ("spec", "ports"), 80),
    ("Deployment", ("spec", "template", "spec", "containers", 0, "ports"), 80),
    ("Deployment", ("spec", "template", "spec", "containers", 0, "env"), 1.5),
    ("Deployment", ("spec", "template", "spec", "containers", 0, "envFrom"), 1),
    ("Deployment", ("spec", "template", "spec", "volumes"), 1),
    ("Deployment", ("spec", "template", "spec", "imagePullSecrets"), True),
    ("Ingress", ("spec", "rules"), 1),
    ("PodDisruptionBudget", ("spec", "selector", "matchExpressions"), 1),
])
def test_the_cli_reports_a_retyped_list_field(tmp_path: Path, kind: str, path: tuple[Any, ...],
                                              value: Any) -> None:
    """Through the CLI: a report (JSON) naming the wrong type, exit 1 for the findings, no traceback."""
    docs = copy.deepcopy(list(seed_documents()))
    target = next(d for d in docs if d["kind"] == kind)
    _set(target, path, value)
    (tmp_path / "app.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
    done = subprocess.run([sys.executable, "-m", "kubelint", "check", str(tmp_path), "-f", "json", "--no-color"],
                          capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    import json

    report = json.loads(done.stdout)
    rules = {f["rule"] for f in report["findings"]}
    assert "internal-error" not in rules
    field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[")
    assert any(f["rule"] == "schema-invalid" and f["path"] == field for f in report["findings"]), \
        sorted((f["rule"], f["path"]) for f in report["findings"])
