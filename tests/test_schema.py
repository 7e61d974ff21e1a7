"""Schema validation of built-in kinds: every error at its field, in Kubernetes' words."""

from __future__ import annotations

from kubelint.model import Finding
from kubelint.options import Options
from tests.classic import lint_paths, lint_text
from tests.conftest import FIXTURES

F = FIXTURES / "schema"
SCHEMA_RULES = {"schema-invalid", "unknown-field", "unknown-kind"}


def schema_findings(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.line, f.column, f.message) for f in findings if f.rule in SCHEMA_RULES]


def check(path: str, **options: object) -> list[tuple[str, int, int, str]]:
    return schema_findings(lint_paths([str(F / path)], Options(**options)).findings)


def test_every_error_of_a_document_at_its_field() -> None:
    assert check("deployment-errors.yaml") == [
        ("schema-invalid", 6, 11, "metadata.labels.tier: expected string, got integer 3; put the value in quotes"),
        ("schema-invalid", 8, 13, 'spec.replicas: expected integer, got string "3"'),
        ("unknown-field", 18, 11,
         "spec.template.spec.containers[0].imagePullPolice: unknown field; did you mean imagePullPolicy?"),
        # A missing field is reported where it would be added: the list item without a name.
        ("schema-invalid", 19, 11, "spec.template.spec.containers[1].name: Required value"),
        ("schema-invalid", 21, 30,
         'spec.template.spec.containers[1].ports[0].containerPort: expected integer, got string "8080"'),
        ("schema-invalid", 24, 25,
         "spec.template.spec.containers[1].ports[1].hostPort: expected integer, got boolean true"),
    ]


def test_paths_and_end_positions_of_findings() -> None:
    findings = [f for f in lint_paths([str(F / "deployment-errors.yaml")]).findings if f.rule in SCHEMA_RULES]
    replicas = next(f for f in findings if f.path == "spec.replicas")
    assert (replicas.end_line, replicas.end_column) == (8, 16)
    unknown = next(f for f in findings if f.rule == "unknown-field")
    assert unknown.path == "spec.template.spec.containers[0].imagePullPolice"
    assert (unknown.line, unknown.column, unknown.end_column) == (18, 11, 26)


def test_no_strict_drops_unknown_fields_only() -> None:
    strict = check("deployment-errors.yaml")
    loose = check("deployment-errors.yaml", strict=False)
    assert loose == [f for f in strict if f[0] != "unknown-field"]


def test_required_field_at_its_parent_key() -> None:
    text = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      targetPort: 8080
"""
    assert schema_findings(lint_text(text, "svc.yaml")) == [
        ("schema-invalid", 7, 7, "spec.ports[0].port: Required value"),
    ]


def test_known_traps_give_no_finding() -> None:
    """int-or-string given an integer, nulls on int-or-string and quantities, numeric
    quantities, null timestamps, status blocks, unquoted dates, empty documents, embedded
    raw objects and tool configs."""
    result = lint_paths([str(F / "traps.yaml")])
    assert schema_findings(result.findings) == []
    assert result.documents >= 5


def test_status_is_not_checked_for_required_fields() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: "nginx:1.27"}]
status:
  conditions:
    - type: Ready
"""
    assert schema_findings(lint_text(text, "pod.yaml")) == []


def test_a_misspelt_field_is_one_finding_not_also_a_missing_one() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  contaners:
    - name: web
      image: nginx:1.27
"""
    assert schema_findings(lint_text(text, "pod.yaml")) == [
        ("unknown-field", 5, 3, "spec.contaners: unknown field; did you mean containers?"),
    ]


def test_a_pod_spec_one_level_too_high_is_only_misplaced_field() -> None:
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  containers:
    - name: web
      image: nginx:1.27
"""
    findings = lint_text(text, "deploy.yaml")
    assert [(f.rule, f.line, f.column) for f in findings] == [("misplaced-field", 7, 3)]


def test_unknown_and_removed_kinds() -> None:
    assert check("unknown-kinds.yaml") == [
        ("schema-invalid", 2, 7, "apps/v1 has no kind Deploymnet; did you mean Deployment?"),
        ("schema-invalid", 6, 13, "no apiVersion extensions/v1 serves Ingress in Kubernetes 1.37; use networking.k8s.io/v1"),
        # extensions/v1beta1 Ingress (line 11) is removed-api's alone.
        ("unknown-kind", 19, 7, "no schema for cache.example.com/v1 Memcached: validation skipped; "
                                "add its CustomResourceDefinition to the input or pass --schema-dir"),
        ("schema-invalid", 23, 13, "no apiVersion apps/v2 serves Deployment in Kubernetes 1.37; use apps/v1"),
    ]
    rules = [(f.rule, f.line) for f in lint_paths([str(F / "unknown-kinds.yaml")]).findings]
    assert ("removed-api", 11) in rules and not any(line == 11 for rule, line in rules if rule in SCHEMA_RULES)


def test_a_removed_version_is_removed_api_only() -> None:
    text = """\
apiVersion: apps/v1beta2
kind: Deployment
metadata: {name: web}
spec:
  replicas: "3"
  template:
    spec:
      containers: [{name: web, image: "nginx:1.27", bogus: 1}]
"""
    findings = lint_text(text, "deploy.yaml")
    assert [(f.rule, f.line, f.column) for f in findings if f.rule != "missing-selector"] == [("removed-api", 1, 13)]


def test_kinds_depend_on_the_target_version() -> None:
    text = """\
apiVersion: storage.k8s.io/v1
kind: VolumeAttributesClass
metadata: {name: gold}
driverName: csi.example.com
"""
    assert schema_findings(lint_text(text, "vac.yaml")) == []
    old = schema_findings(lint_text(text, "vac.yaml", Options(kubernetes_version=(1, 25))))
    assert old == [("schema-invalid", 2, 7, "storage.k8s.io/v1 has no kind VolumeAttributesClass in Kubernetes 1.25")]


def test_kind_is_case_sensitive() -> None:
    text = "apiVersion: v1\nkind: configmap\nmetadata: {name: c}\n"
    assert schema_findings(lint_text(text, "cm.yaml")) == [
        ("schema-invalid", 2, 7, "v1 has no kind configmap; did you mean ConfigMap?"),
    ]


def test_list_items_are_validated_at_their_own_places() -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data:
      port: 8080
"""
    findings = [f for f in lint_text(text, "list.yaml") if f.rule in SCHEMA_RULES]
    assert [(f.rule, f.line, f.column, f.path) for f in findings] == [
        ("schema-invalid", 8, 13, "items[0].data.port"),
    ]
    assert findings[0].message == "data.port: expected string, got integer 8080; put the value in quotes"


def test_same_input_same_findings() -> None:
    first = lint_paths([str(F)]).findings
    second = lint_paths([str(F)]).findings
    assert first == second
