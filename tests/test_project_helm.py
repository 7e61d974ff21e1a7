"""Helm charts: rendered in-process (helm-python-sdk) or by the helm binary, split as Helm
splits, and each rendered line mapped back to the template line that wrote it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kubelint.parser import parse
from kubelint.project import helm
from kubelint.project.helm import (
    chart_of,
    find_charts,
    position,
    render,
    split_documents,
    template_position,
)
from kubelint.schema.validator import SchemaValidator

FIXTURES = Path(__file__).parent / "fixtures" / "projects" / "helm"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "projects-corpus" / "charts"
HAS_SDK = helm.sdk_available()
needs_sdk = pytest.mark.skipif(not HAS_SDK, reason="helm-python-sdk is not installed (pip install 'kubelint[helm]')")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/projects-corpus is absent")
CORPUS_CHARTS = ["bitnami-nginx", "cert-manager", "external-secrets", "kube-state-metrics", "metrics-server",
                 "traefik"]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBELINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


WEB = os.path.relpath(FIXTURES / "web", Path(__file__).resolve().parent.parent)
DEPLOYMENT = os.path.join(WEB, "templates", "deployment.yaml")
HELPERS = os.path.join(WEB, "templates", "_helpers.tpl")
SERVICE = os.path.join(WEB, "templates", "service.yaml")


# ------------------------------------------------------------------------------ charts

def test_charts_are_found_and_subcharts_render_with_their_parent() -> None:
    assert find_charts([str(FIXTURES)]) == [str(FIXTURES / "broken"), str(FIXTURES / "web")]
    assert chart_of(DEPLOYMENT) == WEB
    assert chart_of(str(FIXTURES / "web" / "templates" / "deployment.yaml")) == str(FIXTURES / "web")
    assert chart_of(__file__) is None


@needs_corpus
def test_a_library_subchart_is_not_a_chart_of_its_own() -> None:
    assert find_charts([str(CORPUS)]) == [str(CORPUS / name) for name in CORPUS_CHARTS]
    common = CORPUS / "bitnami-nginx" / "charts" / "common" / "templates" / "_labels.tpl"
    assert chart_of(str(common)) == str(CORPUS / "bitnami-nginx")


# ------------------------------------------------------------------------------ splitting

@pytest.mark.parametrize(("text", "documents"), [
    ("a: 1\n---\nb: 2\n", ["a: 1", "b: 2"]),
    ("---\na: 1\n", ["a: 1"]),
    ("a: 1\n---# Permission to read\nb: 2\n", ["a: 1", "# Permission to read\nb: 2"]),
    ("a: 1\n---\n\n---\n  \n", ["a: 1"]),
    ("a: |\n  x\n---\n  y\n", ["a: |\n  x", "y"]),  # Helm splits a block scalar too
    ("a: |\n  x\n  ---\nb: 2", ["a: |\n  x\n  ---\nb: 2"]),  # an indented one is text
    ("a: x---y\n", ["a: x---y"]),
])
def test_documents_split_as_helm_splits(text: str, documents: list[str]) -> None:
    pieces = list(split_documents(text))
    assert [piece for _, piece in pieces] == documents
    assert all(text[offset:].startswith(piece.split("\n", 1)[0]) for offset, piece in pieces)


# ------------------------------------------------------------------------------ rendering

@needs_sdk
def test_a_chart_renders_in_process_without_notes_or_partials() -> None:
    result = render(WEB, cache=False)
    assert result.error is None and result.tool == "helm-python-sdk" and result.name == "web"
    assert [(d.source, d.index) for d in result.documents] == [
        ("web/templates/deployment.yaml", 0), ("web/templates/service.yaml", 0), ("web/templates/service.yaml", 1)]
    assert result.notes.strip() == "Thank you for installing web."
    assert result.documents[1].text.startswith("# the Service in front of the pods\napiVersion: v1\nkind: Service")


@needs_sdk
def test_a_quoted_integer_maps_back_to_the_template_line() -> None:
    """replicas: {{ .Values.replicaCount | quote }} renders "2": schema-invalid, at the template."""
    doc = render(WEB, cache=False).documents[0]
    parsed = parse(doc.text, doc.template).documents[0]
    hits = [(rule, hit) for rule, hit in SchemaValidator((1, 31)).validate(parsed)]
    assert [(rule, hit.path, hit.values["detail"]) for rule, hit in hits] == [
        ("schema-invalid", ("spec", "replicas"), 'spec.replicas: expected integer, got string "2"')]
    span, _ = parsed.locate(hits[0][1].path, hits[0][1].at)
    assert span.line == 9
    assert template_position(doc, span.line) == (DEPLOYMENT, 8)
    at = position(doc, span.line, ("spec", "replicas"))
    assert at is not None and at.exact and (at.file, at.line) == (DEPLOYMENT, 8)
    assert at.value == (".Values.replicaCount", os.path.join(WEB, "values.yaml"), 1)


@needs_sdk
@pytest.mark.parametrize(("line", "expected"), [
    (4, (DEPLOYMENT, 4)),  # name: {{ include "web.fullname" . }}
    (6, (HELPERS, 3)),  # app.kubernetes.io/name, through include "web.labels"
    (13, (HELPERS, 4)),
    (22, (DEPLOYMENT, 19)),  # image: "{{ … }}:{{ … }}"
    (24, (DEPLOYMENT, 22)),  # the first port of the range
    (25, (DEPLOYMENT, 23)),
    (26, (DEPLOYMENT, 22)),  # the second port: the same body lines
    (27, (DEPLOYMENT, 23)),
    (29, None),  # toYaml .Values.resources: no template line writes it
])
def test_rendered_lines_map_to_template_and_helper_lines(line: int, expected: tuple[str, int] | None) -> None:
    doc = render(WEB, cache=False).documents[0]
    assert template_position(doc, line) == expected


@needs_sdk
def test_a_block_from_values_points_at_its_action_and_the_values_line() -> None:
    doc = render(WEB, cache=False).documents[0]
    assert doc.text.split("\n")[29] == "              memory: 128Mi"
    at = position(doc, 30, ("spec", "template", "spec", "containers", 0, "resources", "limits", "memory"))
    assert at is not None and not at.exact
    assert (at.file, at.line, at.helper) == (DEPLOYMENT, 26, None)
    assert at.value == (".Values.resources", os.path.join(WEB, "values.yaml"), 12)


@needs_sdk
def test_values_files_and_set_values_apply_in_order_and_are_named() -> None:
    prod = os.path.join(WEB, "prod-values.yaml")
    doc = render(WEB, values_files=[prod], set_values=["replicaCount=7"], release_name="shop", namespace="web",
                 cache=False).documents[0]
    lines = doc.text.split("\n")
    assert (lines[3], lines[8], lines[21]) == ("  name: shop-web", '  replicas: "7"', '          image: "nginx:latest"')
    at = position(doc, 22, ("spec", "template", "spec", "containers", 0, "image"),
                  [os.path.join(WEB, "values.yaml"), prod])
    assert at is not None and at.value == (".Values.image.tag", prod, 3)


@needs_sdk
def test_the_comment_glued_to_a_separator_maps_to_its_line() -> None:
    doc = render(WEB, cache=False).documents[1]
    assert template_position(doc, 1) == (SERVICE, 2)
    assert template_position(doc, 12) == (SERVICE, 13)  # port: 80, the range's first item
    assert template_position(doc, 14) == (SERVICE, 13)  # port: 9100


@needs_sdk
def test_a_render_error_names_its_template_line() -> None:
    result = render(str(FIXTURES / "broken"), cache=False)
    assert result.documents == []
    error = result.error
    assert error is not None
    assert (error.file, error.line, error.column) == (str(FIXTURES / "broken" / "templates" / "service.yaml"), 7, 22)
    assert error.message.startswith("broken/templates/service.yaml:7:22 executing")
    assert "nil pointer evaluating interface {}.number" in error.message


@needs_sdk
def test_a_chart_that_does_not_load_is_an_error_at_the_chart(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: [\n")
    result = render(str(tmp_path), cache=False)
    assert result.error is not None and result.error.file is None and result.documents == []


def test_without_helm_or_the_sdk_rendering_says_how_to_enable_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helm, "find_helm", lambda: None)
    monkeypatch.setattr(helm, "sdk_available", lambda: False)
    result = render(WEB)
    assert result.error is not None
    assert result.error.message == ("no helm binary on PATH and helm-python-sdk is not installed "
                                    "(pip install 'kubelint[helm]')")


def test_an_sdk_that_is_installed_but_does_not_load_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether the SDK is there is found without loading it (Helm's Go library); one that
    cannot load is a render error naming why, and is not kept in the render cache."""
    import sys

    with monkeypatch.context() as broken:
        broken.setitem(sys.modules, "helm_python", None)  # the import fails, as a broken install's
        result = render(WEB, tool="sdk")
    assert result.error is not None and result.documents == []
    assert result.error.message.startswith("helm-python-sdk is installed but cannot load: ")
    if HAS_SDK:  # the failure was not kept: the same chart renders once the SDK loads
        again = render(WEB, tool="sdk")
        assert again.error is None and again.documents


@needs_sdk
def test_an_unchanged_chart_is_not_rendered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import helm_python

    chart = tmp_path / "web"
    shutil.copytree(FIXTURES / "web", chart)
    first = render(str(chart))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(helm_python.Chart, "load", refuse)
    again = render(str(chart))
    assert again.documents == first.documents and again.error is None
    changed = render(str(chart), set_values=["replicaCount=3"])  # other values: rendered again
    assert changed.error is not None and "rendered again" in changed.error.message
    (chart / "values.yaml").write_text((chart / "values.yaml").read_text().replace("2", "5"))
    assert render(str(chart)).error is not None


def test_helm_template_output_is_read_by_its_source_comments() -> None:
    output = ("---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\n"
              "---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: Secret\n"
              "---\n# Source: web/templates/b.yaml\napiVersion: v1\nkind: Service\n")
    assert helm._by_source(output) == {
        "web/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\n\n---\napiVersion: v1\nkind: Secret\n",
        "web/templates/b.yaml": "apiVersion: v1\nkind: Service\n"}


# ------------------------------------------------------------------------------ real charts

@needs_corpus
@needs_sdk
@pytest.mark.parametrize("name", CORPUS_CHARTS)
def test_every_real_chart_renders(name: str) -> None:
    result = render(str(CORPUS / name), namespace="default")
    assert result.error is None
    assert result.documents
    for doc in result.documents:
        parsed = parse(doc.text, doc.template)
        assert parsed.problems == [], (doc.source, doc.index)
        assert os.path.isfile(doc.template)


@needs_corpus
@needs_sdk
def test_cert_managers_glued_separator_splits_into_its_objects() -> None:
    import helm_python
    import yaml

    with helm_python.Chart.load(str(CORPUS / "cert-manager")) as chart:
        raw = chart.render({}, name="release-name", namespace="default")["cert-manager/templates/rbac.yaml"]
    assert "\n---# Permission to approve" in raw
    with pytest.raises(yaml.YAMLError):  # read as one YAML stream, the glued separator is text
        list(yaml.safe_load_all(raw))
    docs = [d for d in render(str(CORPUS / "cert-manager")).documents if d.source.endswith("templates/rbac.yaml")]
    objects = [yaml.safe_load(d.text) for d in docs]
    assert all(isinstance(o, dict) and o.get("kind") for o in objects)
    assert len(objects) == raw.count("\n---") + 1
    approve = next(d for d in docs if d.text.startswith("# Permission to approve"))
    assert yaml.safe_load(approve.text)["kind"] == "ClusterRole"
    file, line = template_position(approve, 3) or ("", 0)  # kind: ClusterRole
    assert file == str(CORPUS / "cert-manager" / "templates" / "rbac.yaml")
    assert Path(file).read_text().split("\n")[line - 1] == "kind: ClusterRole"


@needs_corpus
@needs_sdk
def test_traefiks_reordered_keys_map_by_field_path_to_the_helper() -> None:
    """deployment.yaml: `template: {{ include "traefik.podTemplate" . | fromYaml | toYaml | nindent 4 }}`
    re-sorts the pod template's keys: no line order holds, the field's key in the helper does."""
    doc = next(d for d in render(str(CORPUS / "traefik")).documents if d.source == "traefik/templates/deployment.yaml")
    lines = doc.text.split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "automountServiceAccountToken: true")
    assert template_position(doc, line) is None
    at = position(doc, line, ("spec", "template", "spec", "automountServiceAccountToken"))
    helper_file = CORPUS / "traefik" / "templates" / "_podtemplate.tpl"
    assert at is not None and (at.file, at.helper, at.exact) == (str(helper_file), "traefik.podTemplate", False)
    assert "automountServiceAccountToken:" in helper_file.read_text().split("\n")[at.line - 1]


@needs_corpus
@needs_sdk
def test_most_rendered_lines_of_real_charts_map_to_their_exact_line() -> None:
    total = mapped = 0
    for name in CORPUS_CHARTS:
        for doc in render(str(CORPUS / name)).documents:
            for number, text in enumerate(doc.text.split("\n"), 1):
                if text.strip() and not text.strip().startswith("#"):
                    total += 1
                    found = template_position(doc, number)
                    if found is not None:
                        mapped += 1
                        written = Path(found[0]).read_text().split("\n")[found[1] - 1]
                        # the template line writes the rendered line's first literal text
                        key = text.strip().lstrip("- ").split(":", 1)[0]
                        assert key.split(" ", 1)[0][:3] in written or "{{" in written, (doc.source, number)
    print(f"\n{mapped} of {total} rendered lines ({mapped / total:.1%}) map to their exact template or helper line")
    assert mapped / total > 0.85


def test_a_template_without_actions_aligns_in_one_walk() -> None:
    """A chart's static CRD templates are thousands of lines: aligned line by line, not by
    trying every template line against every rendered one."""
    from kubelint.project.align import align

    template = "\n".join(f"  field{i}: {{type: string}}" if i % 3 else "  type: object" for i in range(20000))
    rendered = template.split("\n")
    mapping = align(template, rendered)
    assert mapping[:4] == [1, 2, 3, 4] and mapping[-1] == 20000
