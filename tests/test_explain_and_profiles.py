"""`kubelint explain` shows the fix snippet, the PSS control and the peers; profiles select by level."""

from __future__ import annotations

from kubelint.engine.runner import Options, active_rules
from tests.conftest import run_cli


def test_explain_shows_snippet_pss_control_and_peers() -> None:
    code, out, _ = run_cli(["explain", "Privileged-Container"])
    assert code == 0
    assert "privileged: false" in out  # the snippet under "How to fix it"
    assert 'Baseline level, control "Privileged Containers"' in out
    assert "kube-linter: privileged-container" in out and "checkov: CKV_K8S_16" in out


def test_profiles_switch_on_exactly_their_levels_as_errors() -> None:
    baseline = {r.id: r for r in active_rules(Options(profile="baseline")).values() if r.pss}
    restricted = {r.id: r for r in active_rules(Options(profile="restricted")).values() if r.pss}
    assert baseline and restricted
    for rule in baseline.values():
        assert rule.enabled == (rule.pss["level"] == "baseline"), rule.id
        if rule.enabled:
            assert str(rule.severity) == "error"
    assert all(r.enabled and str(r.severity) == "error" for r in restricted.values())
    # rules outside the standard keep their own settings
    assert active_rules(Options(profile="restricted"))["image-tag"].enabled


def test_the_restricted_profile_demands_dropping_all_capabilities() -> None:
    from kubelint.engine.runner import lint_text

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
