"""The project is the unit (issue 22): each file under its nearest config, run-wide rules and CRD
lookups inside a project, a file given alone linted in its project's context."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kubelint
from kubelint.cli import app
from tests.crds import backup_crd

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
CRD = backup_crd("              retentionDays: {type: integer}\n")
BACKUP = """apiVersion: example.com/v1
kind: Backup
metadata: {name: nightly}
spec:
  retentionDays: "seven"
"""


def _rules(result: kubelint.RunResult, rule: str) -> list[tuple[str, int]]:
    return [(Path(f.file).name, f.line) for f in result.findings if f.rule == rule]


HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
"""


def test_samples_in_separate_kustomize_roots_are_not_paired(tmp_path: Path) -> None:
    """One sample's Deployment and another's HPA, both in `default`: not applied together."""
    for name in ("guestbook", "other"):
        (tmp_path / name).mkdir()
    (tmp_path / "guestbook" / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")
    (tmp_path / "guestbook" / "deployment.yaml").write_text(DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: 3\n  selector"))
    (tmp_path / "other" / "kustomization.yaml").write_text("resources: [hpa.yaml]\n")
    (tmp_path / "other" / "hpa.yaml").write_text(HPA)
    options = kubelint.Options(only=["hpa-replicas-conflict"])
    assert _rules(kubelint.lint_paths([str(tmp_path)], options), "hpa-replicas-conflict") == []
    # with nothing marking them apart, they pair as before
    (tmp_path / "guestbook" / "kustomization.yaml").unlink()
    (tmp_path / "other" / "kustomization.yaml").unlink()
    assert _rules(kubelint.lint_paths([str(tmp_path)], options), "hpa-replicas-conflict") == [("deployment.yaml", 5)]


def test_a_file_alone_sees_its_projects_objects_but_reports_only_itself(tmp_path: Path) -> None:
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    (app_dir / "kustomization.yaml").write_text("resources: [deployment.yaml, service.yaml]\n")
    (app_dir / "deployment.yaml").write_text(DEPLOYMENT.replace("nginx:1.27", "nginx"))
    (app_dir / "service.yaml").write_text(SERVICE)
    result = kubelint.lint_paths([str(app_dir / "service.yaml")], kubelint.Options(), context=True)
    assert _rules(result, "service-selects-nothing") == []  # the Deployment, in context, is found
    assert {Path(f.file).name for f in result.findings} <= {"service.yaml"}  # image-tag stays unreported
    assert result.files == 1


def test_pre_commit_checks_a_custom_resource_against_a_crd_committed_earlier(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "crds").mkdir()
    (repo / "crds" / "backup.yaml").write_text(CRD)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "backup.yaml").write_text(BACKUP)
    result = CliRunner().invoke(app, ["check", "--format", "json", str(repo / "deploy" / "backup.yaml")])
    findings = json.loads(result.output)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("schema-invalid", 5, 18)]
    assert all(f["file"].endswith("deploy/backup.yaml") for f in findings)


def test_one_projects_crds_do_not_judge_anothers_custom_resources(tmp_path: Path) -> None:
    for name in ("team-a", "team-b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / ".kubelint.yaml").write_text("{}\n")
    (tmp_path / "team-a" / "crd.yaml").write_text(CRD)
    (tmp_path / "team-b" / "backup.yaml").write_text(BACKUP)
    result = kubelint.lint_paths([str(tmp_path)], kubelint.Options())
    assert _rules(result, "schema-invalid") == []  # team-a's CRD is not team-b's
    assert _rules(result, "unknown-kind") == [("backup.yaml", 2)]


def test_verbose_says_how_the_input_was_split(tmp_path: Path) -> None:
    (tmp_path / "chart").mkdir()
    (tmp_path / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / ".kubelint.yaml").write_text("{}\n")
    (tmp_path / "team" / "svc.yaml").write_text(SERVICE)
    (tmp_path / "plain.yaml").write_text(DEPLOYMENT)
    result = CliRunner().invoke(app, ["check", "-v", "--no-color", "-q", str(tmp_path)])
    lines = [line for line in result.output.splitlines() if "project:" in line]
    assert any(line.endswith(f"{tmp_path / 'team'}: a directory with its own .kubelint.yaml; 1 file, "
                             f"config {tmp_path / 'team' / '.kubelint.yaml'}") for line in lines), lines
    assert any(f"project: {tmp_path}: the path given; 1 file" in line for line in lines), lines


def test_a_relative_file_outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The upward search ends at the top of the file system (it once went round "." for ever)."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "svc.yaml").write_text(SERVICE)
    monkeypatch.chdir(tmp_path)
    done = subprocess.run([sys.executable, "-m", "kubelint", "check", "-q", "-v", "k8s/svc.yaml"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "project: (the files given): the files given, in no repository or project; 1 file" in done.stderr


def test_verbose_names_the_namespaces_treated_as_operator_run(tmp_path: Path) -> None:
    """issue 21 item 2: `-v` says which object made a namespace operator-run."""
    crd = CRD.replace("retentionDays: {type: integer}", "template: {type: object, x-kubernetes-preserve-unknown-fields: true}")
    (tmp_path / "crd.yaml").write_text(crd)
    (tmp_path / "backup.yaml").write_text("apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: nightly, namespace: shop}\n")
    (tmp_path / "svc.yaml").write_text(SERVICE.replace("metadata: {name: web}", "metadata: {name: web, namespace: shop}"))
    result = CliRunner().invoke(app, ["check", "-v", "-q", "--no-color", str(tmp_path)])
    lines = [line for line in result.output.splitlines() if "operator-run" in line]
    assert len(lines) == 1 and "namespace shop is treated as operator-run: Backup `nightly`" in lines[0]
    assert str(tmp_path / "backup.yaml") in lines[0]
