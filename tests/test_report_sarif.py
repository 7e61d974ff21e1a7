"""SARIF 2.1.0 validity with every rule's metadata in the report (issue 21, item 1).

The golden run in test_report_formats.py uses a few schema rules only; security rules carry
more tags (the category, the Pod Security level), and a duplicated tag there made the whole
log invalid (`uniqueItems`). These tests validate against the OASIS schema kept beside the
repository (../shared/schemas-ext), the copy code-scanning services follow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint.engine.rules import all_rules
from kubelint.model import Finding, RunResult
from kubelint.report import ReportContext, render_to_string
from tests.conftest import REPO, run_cli

SCHEMA = (REPO.parent / "shared" / "schemas-ext" / "sarif-schema-2.1.0.json").resolve()


@pytest.fixture
def sarif_schema() -> dict[str, object]:
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SCHEMA} (it lives beside the repo as "
                    "../shared/schemas-ext/sarif-schema-2.1.0.json)")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_a_report_with_every_rules_metadata_is_valid_sarif(sarif_schema: dict[str, object],
                                                            tmp_path: Path) -> None:
    import jsonschema

    rules = all_rules()
    findings = [Finding(rule_id, rule.severity, f"a finding of {rule_id}", "deploy.yaml", n + 1, 1,
                        n + 1, 5, path="spec", document=0, kind="Deployment", name="web")
                for n, (rule_id, rule) in enumerate(sorted(rules.items()))]
    result = RunResult(findings=findings, files=1, documents=1, rules=rules)
    log = json.loads(render_to_string("sarif", result, ReportContext("1.37", root=str(tmp_path))))
    jsonschema.validate(log, sarif_schema)
    described = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(described) == len(rules)
    for entry in described:
        tags = entry["properties"]["tags"]
        assert len(tags) == len(set(tags)), entry["id"]
        if rules[entry["id"]].category == "security":
            assert tags[0] == "security"  # GitHub's security-severity needs the tag


def test_the_cli_writes_valid_sarif_for_security_findings(sarif_schema: dict[str, object],
                                                           tmp_path: Path) -> None:
    import jsonschema

    manifest = tmp_path / "deploy.yaml"
    manifest.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
        "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
        "        image: nginx\n        securityContext:\n          privileged: true\n",
        encoding="utf-8")
    out = tmp_path / "report.sarif"
    code, _, _ = run_cli(["check", "--no-color", "--format", "sarif", "--output", str(out),
                          "--profile", "restricted", str(manifest)])
    assert code == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(log, sarif_schema)
    rules = {entry["id"]: entry for entry in log["runs"][0]["tool"]["driver"]["rules"]}
    assert any(entry["properties"]["tags"].count("security") == 1 for entry in rules.values())
