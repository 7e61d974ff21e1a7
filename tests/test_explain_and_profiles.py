"""`kubelint explain` shows the fix snippet, the PSS control and the peers; profiles select by level."""

from __future__ import annotations

from pathlib import Path

from kubelint.engine.linter import active_rules
from kubelint.options import Options
from tests.conftest import run_cli


def test_explain_shows_snippet_pss_control_and_peers() -> None:
    code, out, _ = run_cli(["explain", "Privileged-Container"])
    assert code == 0
    assert "privileged: false" in out  # the snippet under "How to fix it"
    assert 'Baseline level, control "Privileged Containers"' in out
    assert "kube-linter: privileged-container" in out and "checkov: CKV_K8S_16" in out


def test_profiles_raise_their_levels_to_errors_and_keep_the_rest_as_the_defaults() -> None:
    defaults = active_rules(Options())
    baseline = {r.id: r for r in active_rules(Options(profile="baseline")).values() if r.pss}
    restricted = {r.id: r for r in active_rules(Options(profile="restricted")).values() if r.pss}
    assert baseline and restricted
    for rule in baseline.values():
        if rule.pss["level"] == "baseline":
            assert rule.enabled and str(rule.severity) == "error", rule.id
        else:  # a stricter level's rule is what the defaults make it, never switched off
            default = defaults[rule.id]
            assert (rule.enabled, rule.severity, rule.params) == (
                default.enabled, default.severity, default.params), rule.id
    assert all(r.enabled and str(r.severity) == "error" for r in restricted.values())
    # rules outside the standard keep their own settings
    assert active_rules(Options(profile="restricted"))["image-tag"].enabled


def test_the_restricted_profile_demands_dropping_all_capabilities() -> None:
    from kubelint.engine.run import lint_text

    text = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        capabilities: {drop: [NET_RAW]}
"""
    assert not [f for f in lint_text(text, "p.yaml", Options(only=["capabilities-not-dropped"]))]
    strict = [f for f in lint_text(text, "p.yaml", Options(profile="restricted"))
              if f.rule == "capabilities-not-dropped"]
    assert [(f.line, str(f.severity)) for f in strict] == [(9, "error")]


NGINX = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def _rules_reported(tmp_path: Path, *args: str) -> dict[str, str]:
    import json

    manifest = tmp_path / "deploy.yaml"
    manifest.write_text(NGINX, encoding="utf-8")
    _, out, _ = run_cli(["check", "--format", "json", *args, str(manifest)])
    return {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}


def test_the_baseline_profile_never_removes_what_the_defaults_report(tmp_path: Path) -> None:
    defaults = _rules_reported(tmp_path)
    assert {"run-as-root", "privilege-escalation", "capabilities-not-dropped"} <= set(defaults)
    with_profile = _rules_reported(tmp_path, "--profile", "baseline")
    assert set(defaults) <= set(with_profile)
    for rule in ("run-as-root", "privilege-escalation", "capabilities-not-dropped"):
        assert with_profile[rule] == defaults[rule] == "warning", rule


def test_the_restricted_profile_raises_the_hardening_rules_to_errors(tmp_path: Path) -> None:
    restricted = _rules_reported(tmp_path, "--profile", "restricted")
    for rule in ("run-as-root", "privilege-escalation", "capabilities-not-dropped"):
        assert restricted[rule] == "error", rule
