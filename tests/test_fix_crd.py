"""`--fix` applies the safe fix the JSON report advertises for a custom resource whose CRD is in
the same run (issue 21, item 3): the file fixed on its own is linted with the run's CRDs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.crds import backup_crd

CRD = backup_crd("              retentionDays: {type: integer}\n")
BACKUP = """\
apiVersion: example.com/v1
kind: Backup
metadata:
  name: nightly
spec:
  retentionDays: "7"  # a week
"""


@pytest.mark.parametrize("layout", ["two files", "one file"])
def test_fix_applies_the_advertised_fix_of_a_custom_resource(layout: str, tmp_path: Path) -> None:
    if layout == "two files":
        (tmp_path / "crd.yaml").write_text(CRD)
        target = tmp_path / "backup.yaml"
        target.write_text(BACKUP)
    else:
        target = tmp_path / "all.yaml"
        target.write_text(CRD + "---\n" + BACKUP)
    code, out, _ = run_cli(["check", "--format", "json", str(tmp_path)])
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["fix"]["safe"], f["fix"]["edits"][0]["text"]) for f in findings] == [
        ("schema-invalid", True, "7")]
    code, out, err = run_cli(["check", "--no-color", "--fix", str(tmp_path)])
    assert "fixed 1 finding in 1 file (schema-invalid 1); 0 remain" in err
    assert code == 0
    assert target.read_text().endswith("spec:\n  retentionDays: 7  # a week\n")


def test_fix_checks_the_custom_resource_against_its_crd(tmp_path: Path) -> None:
    """With its CRD known, a value the CRD types as a string is no finding and is left alone."""
    (tmp_path / "crd.yaml").write_text(CRD.replace("retentionDays: {type: integer}",
                                                   "retentionDays: {type: string}"))
    target = tmp_path / "backup.yaml"
    target.write_text(BACKUP)
    code, _, err = run_cli(["check", "--no-color", "--fix", str(tmp_path)])
    assert code == 0 and "fixed 0 findings" in err
    assert target.read_text() == BACKUP


def test_the_json_report_and_fix_agree_on_a_rename_the_crd_refuses(tmp_path: Path) -> None:
    """A misspelt field whose value has another shape than the CRD's field: no rename in the
    report given the run's targets, and none by --fix; a scalar for a scalar is renamed, then
    retyped by the next pass."""
    from kubelint.engine.run import lint_paths
    from kubelint.fix.run import fixes_for_report, reader
    from kubelint.options import Options

    (tmp_path / "crd.yaml").write_text(CRD)
    backup = tmp_path / "backup.yaml"
    backup.write_text(BACKUP.replace('retentionDays: "7"', "retentionDay: {days: 7}"))
    deploy = tmp_path / "deploy.yaml"
    deploy.write_text('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replica: "3"\n'
                      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                      '    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n')
    options = Options()
    findings = lint_paths([str(tmp_path)], options).findings
    offered = {Path(f.file).name: f.fix.description if f.fix else None
               for f in fixes_for_report(findings, options, reader(options, None, "-"), targets=[str(tmp_path)])
               if f.rule == "unknown-field"}
    assert offered == {"backup.yaml": None, "deploy.yaml": "rename `replica` to `replicas`"}
    code, _, err = run_cli(["check", "--no-color", "--fix", "--unsafe-fixes", str(tmp_path)])
    assert "fixed 2 findings in 1 file" in err, err
    assert "retentionDay: {days: 7}" in backup.read_text()
    assert "  replicas: 3\n" in deploy.read_text()
