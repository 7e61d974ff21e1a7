"""Run-wide rules over multi-file fixtures: where each fires, and where it must stay quiet.

Each directory of tests/fixtures/crossobject is one case, linted as a user would lint a
project folder. The comments in the fixtures say which objects must be reported and why the
others must not (the false alarms peers are known for).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kubelint.checks.run import facts_of
from kubelint.engine.run import lint_paths, lint_text
from kubelint.options import Options

ROOT = Path(__file__).parent / "fixtures" / "crossobject"
RULES = [
    "service-selects-nothing", "service-target-port-undeclared", "ingress-service-missing",
    "ingress-service-port-missing", "hpa-target-missing", "hpa-replicas-conflict", "pdb-selects-nothing",
    "networkpolicy-selects-nothing", "statefulset-service-missing", "missing-service-account",
    "missing-configmap", "missing-secret", "pod-security-violation", "pod-security-warning", "duplicate-object",
]


def _run(case: str, **options: object) -> list[tuple[str, str, int, int]]:
    result = lint_paths([str(ROOT / case)], Options(only=RULES, **options))  # type: ignore[arg-type]
    return [(f.rule, os.path.basename(f.file), f.line, f.column) for f in result.findings]


EXPECTED = {
    "services": [
        ("statefulset-service-missing", "app.yaml", 24, 16),
        ("service-selects-nothing", "services.yaml", 7, 3),
        ("service-target-port-undeclared", "services.yaml", 20, 47),
        ("service-target-port-undeclared", "services.yaml", 21, 41),
    ],
    "ingress": [
        ("ingress-service-missing", "ingress.yaml", 21, 23),
        ("ingress-service-port-missing", "ingress.yaml", 28, 23),
        ("ingress-service-port-missing", "ingress.yaml", 34, 23),
    ],
    "hpa": [
        ("hpa-replicas-conflict", "app.yaml", 6, 13),
        ("hpa-target-missing", "hpa.yaml", 17, 65),
        ("hpa-target-missing", "hpa.yaml", 27, 65),
    ],
    "policies": [
        ("pdb-selects-nothing", "policies.yaml", 7, 3),
        ("networkpolicy-selects-nothing", "policies.yaml", 25, 3),
    ],
    "statefulset": [
        ("statefulset-service-missing", "app.yaml", 14, 16),
        ("statefulset-service-missing", "app.yaml", 30, 16),
    ],
    "references": [
        ("missing-service-account", "app.yaml", 12, 27),
        ("missing-secret", "app.yaml", 13, 33),
        ("missing-configmap", "app.yaml", 18, 36),
        ("missing-secret", "app.yaml", 23, 38),
        ("missing-secret", "app.yaml", 36, 32),
    ],
    "pod-security": [
        ("pod-security-violation", "workloads.yaml", 13, 16),
        ("pod-security-warning", "workloads.yaml", 17, 11),
        ("pod-security-warning", "workloads.yaml", 27, 7),
        ("pod-security-warning", "workloads.yaml", 54, 25),
    ],
    "operator": [],
    "operator-evidence": [
        ("service-selects-nothing", "shop.yaml", 27, 3),
        ("pdb-selects-nothing", "shop.yaml", 35, 3),
        ("networkpolicy-selects-nothing", "shop.yaml", 42, 3),
    ],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case(case: str) -> None:
    assert _run(case) == EXPECTED[case]


def test_the_cases_cover_every_rule() -> None:
    fired = {rule for found in EXPECTED.values() for rule, *_ in found}
    assert fired == set(RULES) - {"duplicate-object"}


def test_objects_without_a_namespace_are_in_the_run_namespace() -> None:
    # The Deployment inside the List names no namespace: with `prod` as the run's namespace it
    # is beside the Service of namespace prod, whose selector has a typo.
    assert _run("namespaces", namespace="prod") == [("service-selects-nothing", "list.yaml", 24, 7)]
    # In `default`, prod has no workload of the input: nothing to judge the Service by.
    assert _run("namespaces") == []


def test_messages_name_the_selector_and_the_nearest_pods() -> None:
    result = lint_paths([str(ROOT / "services")], Options(only=["service-selects-nothing"]))
    [finding] = result.findings
    assert "`app: web`" in finding.message
    assert "Deployment `web`, has pod labels {app: webapp, tier: front}" in finding.message
    assert finding.path == "spec.selector"


def test_the_nearest_pod_shares_a_label_value_when_none_shares_a_pair(tmp_path: Path) -> None:
    # The Kubernetes docs' graceful-termination Service selects `app.kubernetes.io/name: nginx`
    # beside a Deployment labelled `app: nginx`: that one is the likely meant, not an unlabelled
    # Pod that comes first; and an unlabelled pod is said to have no labels, in plain words.
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: dnsutils}\nspec:\n"
        "  containers: [{name: c, image: busybox:1.36}]\n")
    (tmp_path / "c.yaml").write_text(  # the selector's label scheme is in use here
        "apiVersion: v1\nkind: Pod\nmetadata: {name: other, labels: {app.kubernetes.io/name: db, x: [1]}}\n"
        "spec:\n  containers: [{name: c, image: busybox:1.36}]\n")
    (tmp_path / "b.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n"
        "    spec: {containers: [{name: c, image: nginx:1.27}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec:\n"
        "  selector: {app.kubernetes.io/name: nginx}\n  ports: [{port: 80}]\n")
    result = lint_paths([str(tmp_path)], Options(only=["service-selects-nothing"]))
    [finding] = result.findings
    assert "Deployment `web`, has pod labels {app: nginx}" in finding.message
    (tmp_path / "b.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec:\n"
        "  selector: {app.kubernetes.io/name: nginx}\n  ports: [{port: 80}]\n")
    [finding] = lint_paths([str(tmp_path)], Options(only=["service-selects-nothing"])).findings
    assert "Pod `dnsutils`, has no pod labels and lacks" in finding.message


def test_pod_security_names_the_level_and_each_control() -> None:
    result = lint_paths([str(ROOT / "pod-security")], Options(only=["pod-security-violation"]))
    [finding] = result.findings
    assert "`baseline`" in finding.message
    assert "Host Namespaces" in finding.message and "Capabilities" in finding.message
    assert finding.path == "spec.template.spec.hostPID"


def test_one_and_two_processes_give_the_same_findings() -> None:
    one = lint_paths([str(ROOT)], Options(only=RULES, jobs=1)).findings
    two = lint_paths([str(ROOT)], Options(only=RULES, jobs=2)).findings
    assert one == two
    assert len(one) > 20


def test_the_whole_tree_runs_without_internal_errors() -> None:
    findings = lint_paths([str(ROOT)], Options(only=RULES)).findings
    assert not [f for f in findings if f.rule == "internal-error"]


ODD = """\
apiVersion: v1
kind: Service
metadata: {name: odd}
spec:
  selector: [a, b]
  ports: "80"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: odd, namespace: [x]}
spec:
  replicas: "3"
  template:
    metadata: {labels: {app: [x]}}
    spec:
      serviceAccountName: {name: x}
      volumes: [null, {name: v, configMap: {name: 7}}, {projected: {sources: "x"}}]
      containers:
        - name: c
          securityContext: {capabilities: {add: [{}]}, seccompProfile: []}
          envFrom: [{configMapRef: "x"}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: odd}
spec:
  scaleTargetRef: {kind: 5, name: odd}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: odd}
spec:
  rules: [{http: {paths: [{backend: {service: {name: odd, port: {number: "x"}}}}]}}]
---
apiVersion: v1
kind: Namespace
metadata:
  name: default
  labels: {pod-security.kubernetes.io/enforce: restricted}
"""


def test_odd_types_never_break_a_run_rule() -> None:
    options = Options(only=RULES)
    findings = lint_text(ODD, "odd.yaml", options)
    assert [f.message for f in findings if f.rule == "internal-error"] == []


def test_facts_hold_key_names_never_values() -> None:
    from kubelint.parser import parse

    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n"
    [doc] = parse(text, "s.yaml").documents
    facts = facts_of(doc)
    assert facts.keys == ("password",)
    assert "hunter2" not in repr(facts)


def test_a_job_that_writes_a_secret_makes_it(tmp_path: Path) -> None:
    # ingress-nginx's admission Job creates the webhook's certificate Secret at install.
    (tmp_path / "deploy.yaml").write_text("""\
apiVersion: batch/v1
kind: Job
metadata: {name: admission-create}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: create
          image: example/certgen:1
          args: [create, --namespace=default, --secret-name=admission]
---
apiVersion: v1
kind: Pod
metadata: {name: controller}
spec:
  containers: [{name: c, image: example/c:1}]
  volumes: [{name: cert, secret: {secretName: admission}}, {name: other, secret: {secretName: other}}]
""")
    found = lint_paths([str(tmp_path)], Options(only=["missing-secret"])).findings
    assert [f.message.split("`")[3] for f in found] == ["other"]


def test_a_name_resolves_to_the_object_nearest_the_reference(tmp_path: Path) -> None:
    # Two applications of one tree each define Service `nginx`; each StatefulSet means its own.
    for app, headless in (("a", True), ("b", False)):
        (tmp_path / app).mkdir()
        (tmp_path / app / "app.yaml").write_text(f"""\
apiVersion: v1
kind: Service
metadata: {{name: nginx}}
spec:
  {"clusterIP: None" if headless else "type: ClusterIP"}
  selector: {{app: nginx}}
  ports: [{{port: 80}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web-{app}}}
spec:
  serviceName: nginx
  selector: {{matchLabels: {{app: nginx}}}}
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec: {{containers: [{{name: c, image: nginx:1}}]}}
""")
    found = lint_paths([str(tmp_path)], Options(only=["statefulset-service-missing"])).findings
    assert [(Path(f.file).parent.name, f.name) for f in found] == [("b", "web-b")]


def test_duplicates_across_files_only_on_request(tmp_path) -> None:
    from kubelint.engine.run import lint_paths
    from kubelint.options import Options

    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n"
    (tmp_path / "a.yaml").write_text(service + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "b.yaml").write_text(service + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
                                     "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert lint_paths([str(tmp_path)], Options(only=["duplicate-object"])).findings == []
    options = Options(only=["duplicate-object"], rules={"duplicate-object": {"params": {"across_files": True}}})
    found = lint_paths([str(tmp_path)], options).findings
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.column) for f in found] == [("b.yaml", 4, 9)]
    assert f"already defined at {tmp_path / 'a.yaml'}:4" in found[0].message


def test_operator_namespaces_name_the_object_that_made_them() -> None:
    """A custom resource makes its namespace operator-run for the selector rules only with
    evidence that it runs pods: its CRD describes pods, or its CRD is not in the input. For the
    references (Secrets, Services) any custom resource not known to be inert counts."""
    from kubelint.checks.run import RunIndex, operator_namespaces
    from kubelint.parser import parse

    folder = ROOT / "operator-evidence"
    facts = [facts_of(doc) for path in sorted(folder.glob("*.yaml"))
             for doc in parse(path.read_text(), str(path)).documents]
    index = RunIndex(facts)
    data, shop = str(folder / "data.yaml"), str(folder / "shop.yaml")
    assert operator_namespaces(index, runs_pods=True) == {
        "data": ("Database", "main", data), "queue": ("Queue", "jobs", data)}
    assert operator_namespaces(index) == {
        "data": ("Database", "main", data), "queue": ("Queue", "jobs", data), "shop": ("Backup", "nightly", shop)}


def test_the_reduce_step_says_which_namespaces_are_operator_run() -> None:
    from kubelint.engine import reduce as reduce_step

    seen: list[object] = []
    original = reduce_step.reduce

    def keep(*args: object, **kwargs: object) -> object:
        reduced = original(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(reduced)
        return reduced

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reduce_step, "reduce", keep)
        lint_paths([str(ROOT / "operator-evidence")], Options(only=RULES))
    [reduced] = seen
    assert sorted(reduced.pod_operator_namespaces) == ["data", "queue"]  # type: ignore[attr-defined]
    assert reduced.operator_namespaces["shop"][:2] == ("Backup", "nightly")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("spec_schema", "evidence"), [
    ({"properties": {"retentionDays": {"type": "integer"}, "template": {"type": "string"}}}, ""),
    ({"properties": {"rules": {"type": "array", "items": {"type": "object", "properties": {
        "resources": {"type": "array", "items": {"type": "string"}}}}}}}, ""),
    ({"properties": {"podTemplate": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
     "spec.podTemplate"),
    ({"properties": {"server": {"type": "object", "properties": {"image": {"type": "string"}}}}},
     "spec.server.image"),
    ({"properties": {"nodes": {"type": "array", "items": {"type": "object", "properties": {
        "replicas": {"type": "integer"}}}}}}, "spec.nodes[].replicas"),
    ({"type": "object", "x-kubernetes-preserve-unknown-fields": True}, "(unknown fields kept)"),
    (None, "(no schema)"),
])
def test_a_crd_describes_pods_or_not(spec_schema: dict[str, object] | None, evidence: str) -> None:
    from kubelint.parser import parse

    version: dict[str, object] = {"name": "v1", "served": True, "storage": True}
    if spec_schema is not None:
        version["schema"] = {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec_schema}}}
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "things.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced", "names": {"kind": "Thing", "plural": "things"},
                    "versions": [version]}}
    [doc] = parse(json.dumps(crd), "crd.json").documents
    defines = facts_of(doc).defines
    assert defines is not None
    assert (defines.runs_pods, defines.pod_field) == (bool(evidence), evidence)


def test_a_pairing_across_directories_names_the_other_file(tmp_path: Path) -> None:
    """Issue 22: in a tree of samples the pod a Service pairs with may live in another
    directory; the message then names its file (and stays as it was within one directory)."""
    (tmp_path / "apps").mkdir()
    (tmp_path / "services").mkdir()
    workload = tmp_path / "apps" / "web.yaml"
    workload.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: front}}\n"
        "    spec: {containers: [{name: c, image: nginx:1.27, ports: [{name: http, containerPort: 80}]}]}\n")
    (tmp_path / "services" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
        "  selector: {app: web}\n  ports: [{port: 80, targetPort: https}]\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: typo}\nspec:\n"
        "  selector: {app: web, tier: back}\n  ports: [{port: 80}]\n---\n"
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}\n  maxReplicas: 3\n")
    found = {f.rule: f.message for f in lint_paths([str(tmp_path)], Options(only=RULES)).findings}
    where = f"({workload}:3)"
    assert f"which no pod it selects declares (Deployment `web` {where};" in found["service-target-port-undeclared"]
    assert f"the nearest, Deployment `web` {where}, has pod labels" in found["service-selects-nothing"]
    assert f"but `web` in namespace default {where} in the input is a Deployment" in found["hpa-target-missing"]
    # the same objects in one directory: no file named
    (tmp_path / "services" / "svc.yaml").rename(tmp_path / "apps" / "svc.yaml")
    found = {f.rule: f.message for f in lint_paths([str(tmp_path)], Options(only=RULES)).findings}
    assert all(str(workload) not in message for message in found.values()), found
    assert len(found) == 3


@pytest.mark.parametrize(("schema", "expected"), [
    ({"properties": {"template": {"type": "object"}}}, "spec.template"),
    ({"properties": {"template": {"type": "string"}, "size": {"type": "integer"}}}, None),  # text, not a pod
    ({"properties": {"members": {"type": "array", "items": {"properties": {"image": {"type": "string"}}}}}},
     "spec.members[].image"),
    ({"properties": {"pools": {"additionalProperties": {"properties": {"resources": {}}}}}}, "spec.pools.*.resources"),
    ({"properties": {"a": {"properties": {"b": {"properties": {"replicas": {"type": "integer"}}}}},
                     "c": {"properties": {"volumes": {"type": "array", "items": {}}}}}}, "spec.c.volumes"),  # breadth first
])
def test_a_crds_pod_field_is_found_by_its_path(schema: dict, expected: str | None) -> None:
    from kubelint.checks.run.facts import _named_pod_field

    assert _named_pod_field(schema) == expected
