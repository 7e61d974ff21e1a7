"""The peers' annotations silence kubelint's rules through each rule's `peers:` (issue 21, item
9): a team moving from kube-linter or Polaris keeps its annotations as they are. Each peer is a
mechanism of its own in the report and the summary."""

from __future__ import annotations

import json
from pathlib import Path

import kubelint
from kubelint.engine.rules import all_rules
from kubelint.options import Options
from tests.conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
{annotations}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: nginx
          securityContext: {{privileged: true}}
"""


def _write(tmp_path: Path, annotations: str) -> Path:
    path = tmp_path / "deploy.yaml"
    path.write_text(DEPLOYMENT.format(annotations=annotations), encoding="utf-8")
    return path


def _report(path: Path, *args: str) -> dict:
    code, out, err = run_cli(["check", "--format", "json", "--show-suppressed", *args, str(path)])
    assert code in (0, 1), err
    return json.loads(out)


def test_kube_linter_and_polaris_annotations_silence_their_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, '    ignore-check.kube-linter.io/run-as-non-root: "the image needs root (OPS-12)"\n'
                            '    polaris.fairwinds.com/runAsPrivileged-exempt: "true"\n'
                            '    polaris.fairwinds.com/tagNotSpecified-exempt: "false"\n')
    report = _report(path)
    rules = {f["rule"] for f in report["findings"]}
    assert "run-as-root" not in rules and "privileged-container" not in rules
    assert "image-tag" in rules  # Polaris honours an exemption only when it is "true"
    suppressed = {s["rule"]: (s["suppressedBy"], s["reason"]) for s in report["suppressed"]}
    assert suppressed == {"run-as-root": ("kube-linter", "the image needs root (OPS-12)"),
                          "privileged-container": ("polaris", "")}
    assert report["summary"]["suppressed"] == 2
    code, out, _ = run_cli(["check", "--no-color", str(path)])
    assert "2 suppressed (kube-linter 1, polaris 1)" in out.splitlines()[-1]


def test_whole_object_exemptions_silence_every_rule_with_a_peer_of_that_tool(tmp_path: Path) -> None:
    catalog = all_rules()
    before = {f["rule"] for f in _report(_write(tmp_path, "    team: web"))["findings"]}
    for key, tool in (("polaris.fairwinds.com/exempt", "polaris"), ("kube-linter.io/ignore-all", "kube-linter")):
        report = _report(_write(tmp_path, f'    {key}: "true"'))
        left = {f["rule"] for f in report["findings"]}
        silenced = {s["rule"] for s in report["suppressed"]}
        assert silenced == {r for r in before if catalog[r].peers.get(tool)}, key
        assert left == before - silenced and all(not catalog[r].peers.get(tool) for r in left), key
        assert {s["suppressedBy"] for s in report["suppressed"]} == {tool}


def test_peer_annotations_cover_only_their_object_and_are_never_reported_unused() -> None:
    annotated = DEPLOYMENT.format(annotations='    ignore-check.kube-linter.io/latest-tag: "pinned by the platform"\n'
                                              '    ignore-check.kube-linter.io/no-such-check: x')
    plain = DEPLOYMENT.format(annotations="    team: api").replace("name: web\n  annotations", "name: api\n  labels")
    findings = kubelint.lint_text(annotated + "---\n" + plain, "deploy.yaml",
                                  Options(only=["image-tag"], report_unused_suppressions=True))
    assert [(f.rule, f.name, f.line) for f in findings] == [("image-tag", "api", 31)]
