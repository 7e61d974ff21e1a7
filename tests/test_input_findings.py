"""Input findings a new user meets first (issue 10, items 3, 6 and 13; issue 11, "Read YAML as
kubectl does"): objects missing or misspelling apiVersion/kind, a template in a typed field,
an unclosed bracket or quote. Each through the public API or the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kubelint import lint_paths, lint_text
from kubelint.cli import app
from kubelint.model import Severity
from kubelint.options import Options


def _lint(text: str, filename: str = "manifest.yaml") -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, filename, Options())]


def _rules(text: str, filename: str = "manifest.yaml") -> list[tuple[str, int, int]]:
    return [(rule, line, column) for rule, line, column, _ in _lint(text, filename)]


# --------------------------------------------------------------- objects without apiVersion/kind

POD_WITHOUT_API_VERSION = """\
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27.3
"""


def test_a_pod_without_api_version_fails_the_run(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD_WITHOUT_API_VERSION)
    result = lint_paths([str(path)], Options())
    assert result.skipped == 0
    assert [(f.rule, f.severity, f.line, f.column) for f in result.findings] == [
        ("incomplete-object", Severity.ERROR, 1, 1)]
    assert "`apiVersion: v1`" in result.findings[0].message
    outcome = CliRunner().invoke(app, ["check", str(path), "--no-color"])
    assert outcome.exit_code == 1, outcome.output
    assert "incomplete-object" in outcome.output


@pytest.mark.parametrize("text,expected,words", [
    ("apiVersion: apps/v1\nKind: Deployment\nmetadata:\n  name: web\nspec: {}\n",
     [("incomplete-object", 2, 1)], "`Kind` is not a field; did you mean `kind`?"),
    ("apiversion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
     [("incomplete-object", 1, 1)], "`apiversion` is not a field; did you mean `apiVersion`?"),
    ("api_version: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
     [("incomplete-object", 1, 1)], "did you mean `apiVersion`?"),
    ("apiVerison: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
     [("incomplete-object", 1, 1)], "did you mean `apiVersion`?"),
    ("apiVersion: v1\nkind:\nmetadata:\n  name: web\n",
     [("incomplete-object", 2, 1)], "`kind` is empty"),
    ("apiVersion: v1\nkind: ''\nmetadata:\n  name: web\n",
     [("incomplete-object", 2, 1)], "`kind` is empty"),
    ("apiVersion: null\nkind: Deployment\nmetadata:\n  name: web\n",
     [("incomplete-object", 1, 1)], "for a Deployment it is `apps/v1`"),
    ("apiVersion: apps/v1\nmetadata:\n  name: web\nspec:\n  replicas: 1\n",
     [("incomplete-object", 1, 1)], "has no `kind`"),
    ("metadata:\n  name: web\nspec:\n  replicas: 1\n",
     [("incomplete-object", 1, 1)], "no `apiVersion` and no `kind`"),
])
def test_missing_misspelt_and_empty_fields(text: str, expected: list, words: str) -> None:
    found = _lint(text)
    assert [(r, line, column) for r, line, column, _ in found] == expected, found
    assert words in found[0][3]


def test_an_incomplete_object_beside_complete_ones_is_an_error_not_a_warning() -> None:
    text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\n" + POD_WITHOUT_API_VERSION
    assert _rules(text) == [("incomplete-object", 6, 1)]


def test_list_items_without_kind() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    metadata:\n      name: a\n"
            "    data: {k: v}\n")
    assert _rules(text) == [("incomplete-object", 4, 5)]


@pytest.mark.parametrize("filename,text", [
    ("overlay.yaml", "kind: Kustomization\nresources: [a.yaml]\n"),
    ("Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
    ("values.yaml", "kind: Deployment\nmetadata:\n  name: x\nspec: {}\n"),
    ("my-values.yaml", "kind: DaemonSet\nimage: {repository: x}\n"),
    ("config.yaml", "kind: DaemonSet\nreplicaCount: 1\nimage: {repository: x}\n"),
    ("kubeconfig.yaml", "kind: Config\nclusters: []\nusers: []\ncontexts: []\n"),
    ("compose.yaml", "services:\n  web:\n    image: nginx\n"),
    ("ci.yml", "name: ci\non: [push]\njobs: {}\n"),
    ("openapi.yaml", "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"),
    ("chart.yaml", "apiVersion: v1\nname: web\nversion: 1.0.0\nmetadata: {name: x}\n"),
    ("meta.yaml", "metadata:\n  owner: team\nspec: {x: 1}\n"),
    ("kind-cluster.yaml", "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: []\n"),
    ("egress.yaml", "apiVersion: apiserver.k8s.io/v1beta1\nkind: EgressSelectorConfiguration\n"
                    "egressSelections: [{name: cluster, connection: {proxyProtocol: GRPC}}]\n"),
])
def test_tool_yaml_stays_skipped_quietly(tmp_path: Path, filename: str, text: str) -> None:
    path = tmp_path / filename
    path.write_text(text)
    result = lint_paths([str(path)], Options())
    assert (result.findings, result.skipped) == ([], 1)


def test_a_kustomization_given_alone_is_built_and_a_missing_resource_is_its_finding(tmp_path: Path) -> None:
    """Never linted as an object; built (kubectl kustomize), and what fails to build is said at it."""
    import shutil

    if not (shutil.which("kubectl") or shutil.which("kustomize")):
        pytest.skip("neither kubectl nor kustomize is on PATH")
    path = tmp_path / "kustomization.yaml"
    path.write_text("kind: Kustomization\nmetadata:\n  name: x\nresources: [a.yaml]\n")
    result = lint_paths([str(path)], Options(), context=True)  # as the CLI (pre-commit) lints it
    assert [(f.rule, f.file, f.line) for f in result.findings] == [("render-failed", str(path), 1)]
    assert "a.yaml" in result.findings[0].message
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    assert lint_paths([str(path)], Options(), context=True).findings == []


def test_a_kustomize_patch_without_kind_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [deploy.yaml]\npatches:\n  - path: patch.yaml\n    target: {kind: Deployment}\n")
    (tmp_path / "patch.yaml").write_text("metadata:\n  name: web\nspec:\n  replicas: 3\n")
    result = lint_paths([str(tmp_path / "patch.yaml")], Options())
    assert [f for f in result.findings if f.rule == "incomplete-object"] == []


# ------------------------------------------------------------------ templates in typed fields

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "{{ .Values.replicas }}"
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
"""


def test_a_template_in_an_integer_field_is_an_unrendered_template() -> None:
    found = [f for f in lint_text(DEPLOYMENT, "deploy.yaml", Options())
             if f.rule in ("unrendered-template", "schema-invalid")]
    assert [(f.rule, f.line, f.column, f.path) for f in found] == [
        ("unrendered-template", 6, 13, "spec.replicas")]
    assert "{{ .Values.replicas }}" in found[0].message
    assert "integer" in found[0].message


def test_a_plain_string_in_an_integer_field_stays_a_schema_error() -> None:
    found = [(f.rule, f.line, f.column) for f in lint_text(DEPLOYMENT.replace('"{{ .Values.replicas }}"', '"3"'),
                                                         "deploy.yaml", Options())
             if f.rule in ("unrendered-template", "schema-invalid")]
    assert found == [("schema-invalid", 6, 13)]


# ------------------------------------------------------------- unclosed brackets and quotes

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"


@pytest.mark.parametrize("tail,line,column,words", [
    ('  key: [unclosed\n', 6, 8, "`[` opened at 6:8 is never closed"),
    ('  key: {a: b\n', 6, 8, "`{` opened at 6:8 is never closed"),
    ('  key: "unclosed\n  other: x\n', 6, 8, '`"` opened at 6:8 is never closed'),
    ("  key: 'unclosed\n", 6, 8, "`'` opened at 6:8 is never closed"),
    ('  key: [a, b\n  other: x\n', 6, 8, "`[` opened at 6:8 is not closed"),
])
def test_an_unclosed_construct_is_reported_where_it_opened(tail: str, line: int, column: int,
                                                          words: str) -> None:
    found = _lint(CONFIGMAP + tail)
    assert [(r, ln, col) for r, ln, col, _ in found] == [("yaml-syntax", line, column)], found
    assert words in found[0][3]


def test_the_end_of_the_file_is_named_and_the_code_frame_shown(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(CONFIGMAP + "  key: [unclosed\n")
    outcome = CliRunner().invoke(app, ["check", str(path), "--no-color"])
    assert outcome.exit_code == 1
    assert ":6:8  error  yaml-syntax" in outcome.output
    assert "end of the file" in outcome.output
    assert "  key: [unclosed" in outcome.output  # the code frame at the opening line


def test_a_quoted_string_cut_by_a_document_marker() -> None:
    found = _lint(CONFIGMAP + '  key: "unclosed\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n')
    assert [(r, ln, col) for r, ln, col, _ in found] == [("yaml-syntax", 6, 8)], found
    assert "7:1" in found[0][3]


def test_a_missing_comma_inside_a_closed_bracket_stays_where_it_is() -> None:
    found = _lint(CONFIGMAP + '  key: ["a" "b"]\n')
    assert [(r, ln) for r, ln, _, _ in found] == [("yaml-syntax", 6)]
    assert "never closed" not in found[0][3]
