"""First contact, round three (issue 21, item 8): what a new user met on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kubelint.cli import app

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n"


def test_rules_takes_no_color_as_check_does() -> None:
    result = CliRunner().invoke(app, ["rules", "--no-color"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[0] == "deprecated-api"


@pytest.mark.parametrize(("name", "starts"), [
    ("report.json", '"schemaVersion"'), ("report.sarif", '"$schema"'), ("report.sarif.json", '"$schema"'),
    ("report.xml", "<?xml"),
])
def test_an_output_file_without_a_format_gets_the_format_its_name_says(tmp_path: Path, name: str,
                                                                       starts: str) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    target = tmp_path / name
    result = CliRunner().invoke(app, ["check", "--no-color", str(tmp_path / "pod.yaml"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert starts in text[:200]
    if name.endswith("json") and "sarif" not in name:
        assert "image-tag" in {f["rule"] for f in json.loads(text)["findings"]}


def test_an_output_file_of_another_name_keeps_the_text_report(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    target = tmp_path / "report.txt"
    result = CliRunner().invoke(app, ["check", "--no-color", str(tmp_path / "pod.yaml"), "-o", str(target)])
    assert result.exit_code == 0
    assert "image-tag" in target.read_text() and not target.read_text().startswith("{")


RULE = """id: require-team
category: house
severity: error
summary: Deployments carry labels
target: object
kinds: [Deployment]
schema:
  type: object
  properties:
    metadata:
      required: [labels]
message: "no labels"
docs: {what: labels, why: routing, fix: add them}
examples:
  bad:
    - manifest: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
      findings: [%s]
  good: []
"""


@pytest.mark.parametrize(("finding", "passes"), [("{line: 3}", True), ("{line: 3, column: 1}", True),
                                                  ("{line: 4}", False), ("{line: 3, column: 2}", False)])
def test_a_custom_rules_example_may_give_a_line_alone(tmp_path: Path, finding: str, passes: bool) -> None:
    """issue 21 item 8: the column is checked when given, never demanded."""
    (tmp_path / "require-team.yaml").write_text(RULE % finding)
    result = CliRunner().invoke(app, ["rules", "--test", str(tmp_path)])
    assert result.exit_code == (0 if passes else 1), result.output
    if not passes:
        assert "FAIL  require-team bad example 1: expected findings at" in result.output
