"""Helm charts and Kustomize roots linted as what they deploy, each finding at its source line
(issue 22). Real tools: helm-python-sdk (or the helm binary) and kubectl kustomize (or kustomize)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kubelint.cli import app
from kubelint.project.helm import find_helm, sdk_available

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "tests" / "fixtures" / "projects"
CORPUS = ROOT.parent / "shared" / "projects-corpus"

needs_helm = pytest.mark.skipif(not (find_helm() or sdk_available()),
                                reason="neither the helm binary nor helm-python-sdk (pip install 'kubelint[helm]')")
needs_kustomize = pytest.mark.skipif(not (shutil.which("kustomize") or shutil.which("kubectl")),
                                     reason="neither kustomize nor kubectl is on PATH")


def _check(*args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(app, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)["findings"]


def _at(findings: list[dict], rule: str) -> list[tuple[str, int, int]]:
    return [(Path(f["file"]).relative_to(PROJECTS).as_posix() if Path(f["file"]).is_absolute()
             else f["file"], f["line"], f["column"]) for f in findings if f["rule"] == rule]


@needs_helm
def test_a_chart_is_rendered_and_a_quoted_integer_is_reported_at_its_template_line() -> None:
    _, findings = _check(str(PROJECTS / "helm" / "web"))
    invalid = [f for f in findings if f["rule"] == "schema-invalid"]
    assert [(Path(f["file"]).name, f["line"], f["column"]) for f in invalid] == [("deployment.yaml", 8, 3)]
    assert invalid[0]["file"].endswith("templates/deployment.yaml")
    assert "spec.replicas: expected integer" in invalid[0]["message"]
    assert ".Values.replicaCount" in invalid[0]["message"]  # which value it came from
    assert not [f for f in findings if f["rule"] in ("unrendered-template", "yaml-syntax")]


@needs_helm
def test_a_chart_that_does_not_render_is_a_finding_at_its_template_line() -> None:
    _, findings = _check(str(PROJECTS / "helm" / "broken"))
    failed = [f for f in findings if f["rule"] == "render-failed"]
    assert len(failed) == 1 and failed[0]["file"].endswith("templates/service.yaml")
    assert failed[0]["line"] == 7
    assert not [f for f in findings if f["rule"] == "unrendered-template"]


@needs_kustomize
def test_an_overlays_latest_tag_is_reported_once_at_its_images_entry() -> None:
    _, findings = _check(str(PROJECTS / "kustomize"))
    tags = [f for f in findings if f["rule"] == "image-tag"]
    assert [(Path(f["file"]).parent.name, Path(f["file"]).name, f["line"], f["column"]) for f in tags] == [
        ("prod", "kustomization.yaml", 13, 13)]
    assert "images: entry nginx" in tags[0]["message"] and "after building" in tags[0]["message"]
    # a build error is a finding at the kustomization, never a traceback
    failed = [f for f in findings if f["rule"] == "render-failed"]
    assert len(failed) == 1 and failed[0]["file"].endswith("overlays/dev/kustomization.yaml")


@needs_kustomize
def test_a_base_built_by_two_overlays_gives_its_finding_once_naming_them(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")
    (base / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx\n")
    for name in ("staging", "production"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kustomization.yaml").write_text(f"resources: [../base]\nnamespace: {name}\n")
    _, findings = _check("--only", "image-tag", str(tmp_path))
    tags = [f for f in findings if f["rule"] == "image-tag"]
    assert [(Path(f["file"]).name, f["line"], f["column"]) for f in tags] == [("deployment.yaml", 11, 16)]
    assert tags[0]["message"].endswith(f"(in {tmp_path / 'production'}, {tmp_path / 'staging'})")


def test_rendering_off_says_so_once_per_chart_and_root() -> None:
    _, findings = _check("--no-render", str(PROJECTS))
    skipped = sorted((Path(f["file"]).parent.name, Path(f["file"]).name) for f in findings
                     if f["rule"] == "render-skipped")
    assert skipped == [("broken", "Chart.yaml"), ("dev", "kustomization.yaml"), ("prod", "kustomization.yaml"),
                       ("web", "Chart.yaml")]
    assert all(f["severity"] == "info" for f in findings if f["rule"] == "render-skipped")
    # a chart's templates are skipped, never linted raw
    assert not [f for f in findings if "/templates/" in f["file"]]


@needs_helm
@needs_kustomize
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/projects-corpus is absent")
def test_real_charts_and_overlays_render_without_input_errors() -> None:
    for project in sorted([*(CORPUS / "charts").iterdir(), *(CORPUS / "overlays").iterdir()]):
        _, findings = _check(str(project))
        bad = [(f["rule"], f["file"], f["line"]) for f in findings
               if f["rule"] in ("internal-error", "render-failed", "unrendered-template", "yaml-syntax",
                                "render-skipped")]
        assert bad == [], project.name
        assert all(Path(f["file"]).exists() for f in findings), project.name  # each at a real source file


@needs_kustomize
def test_a_baseline_matches_rendered_findings_where_they_were_moved(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    written = CliRunner().invoke(app, ["check", "--write-baseline", str(baseline), str(PROJECTS / "kustomize")])
    assert written.exit_code == 0, written.output
    result = CliRunner().invoke(app, ["check", "--format", "json", "--show-suppressed", "--baseline",
                                      str(baseline), str(PROJECTS / "kustomize")])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["findings"] == []
    assert {s["rule"] for s in report.get("suppressed", [])} >= {"image-tag", "render-failed"}


@needs_kustomize
def test_a_root_that_is_not_built_is_linted_file_by_file(tmp_path: Path) -> None:
    """A remote resource (never fetched) is info; a build kustomize refuses is an error; either
    way the root's own files are still linted one by one."""
    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "kustomization.yaml").write_text("resources:\n- https://example.com/crds.yaml\n- deploy.yaml\n")
    (remote / "deploy.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                        "  containers:\n  - name: c\n    image: nginx\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kustomization.yaml").write_text("resources: [deploy.yaml, missing.yaml]\n")
    (broken / "deploy.yaml").write_text((remote / "deploy.yaml").read_text())
    _, findings = _check("--only", "image-tag,render-skipped,render-failed", str(tmp_path))
    got = sorted((Path(f["file"]).parent.name, Path(f["file"]).name, f["rule"], f["severity"]) for f in findings)
    assert got == [("broken", "deploy.yaml", "image-tag", "warning"),
                   ("broken", "kustomization.yaml", "render-failed", "error"),
                   ("remote", "deploy.yaml", "image-tag", "warning"),
                   ("remote", "kustomization.yaml", "render-skipped", "info")]


@needs_helm
def test_a_chart_whose_dependency_is_not_vendored_says_so(tmp_path: Path) -> None:
    chart = tmp_path / "web"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0\n"
                                      "dependencies:\n- {name: common, version: 2.x.x, repository: oci://example.com/charts}\n"
                                      "- {name: redis, version: 1.x, repository: oci://example.com/charts, condition: redis.enabled}\n")
    (chart / "values.yaml").write_text("redis: {enabled: false}\n")
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                 "  name: {{ include \"common.names.fullname\" . }}\n")
    _, findings = _check(str(chart))
    assert [(Path(f["file"]).name, f["rule"], f["severity"]) for f in findings] == [
        ("Chart.yaml", "render-skipped", "info")]
    assert "dependency `common` is not in charts/" in findings[0]["message"]  # redis is off in values


@needs_helm
def test_a_chart_that_needs_values_is_rendered_with_its_ci_values(tmp_path: Path) -> None:
    chart = tmp_path / "db"
    (chart / "templates").mkdir(parents=True)
    (chart / "ci").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: db\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("password: \"\"\n")
    (chart / "ci" / "default-values.yaml").write_text("password: s3cret\n")
    (chart / "templates" / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n"
        "  password: {{ required \"password is required\" .Values.password }}\n  port: 5432\n")
    _, findings = _check(str(chart))
    assert [(Path(f["file"]).name, f["rule"], f["line"]) for f in findings] == [("secret.yaml", "schema-invalid", 6)]
