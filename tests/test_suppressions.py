"""Suppressions, baselines and custom rules, through the CLI and the library, as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path

from kubelint.engine.run import lint_paths, lint_text
from kubelint.options import Options
from tests.conftest import FIXTURES, run_cli

TWO_CONTAINERS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    # kubelint: disable=image-tag -- the proxy image is pinned by the platform team
    - name: proxy
      image: envoy
      ports:
        - containerPort: 80
    - name: web
      image: nginx
"""
ONLY_TAGS = Options(only=["image-tag"])


def _json(args: list[str]) -> dict:
    code, out, err = run_cli([*args, "--format", "json"])
    assert code in (0, 1), err
    return json.loads(out)


def test_a_comment_on_its_own_line_silences_the_node_below_only(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(TWO_CONTAINERS)
    report = _json(["check", "--only", "image-tag", "--show-suppressed", str(path)])
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("image-tag", 13)]
    assert [(s["line"], s["suppressedBy"], s["reason"]) for s in report["suppressed"]] == [
        (9, "comment", "the proxy image is pinned by the platform team")]
    assert report["summary"]["suppressed"] == 1


def test_block_disable_enable_pairs() -> None:
    text = TWO_CONTAINERS.replace("    # kubelint: disable=image-tag -- the proxy image is pinned by the platform team\n",
                                  "").replace("  containers:\n", "  containers:\n    # kubelint: disable=image-tag\n")
    text = text.replace("    - name: web\n", "    # kubelint: enable=image-tag\n    - name: web\n")
    assert [f.line for f in lint_text(text, "pod.yaml", ONLY_TAGS)] == [14]


def test_an_end_of_line_comment_covers_its_line_and_a_file_comment_the_file() -> None:
    text = TWO_CONTAINERS.replace("image: nginx", "image: nginx  # kubelint: disable=image-tag")
    assert [f.line for f in lint_text(text, "pod.yaml", ONLY_TAGS)] == []
    assert lint_text("# kubelint: disable-file=image-tag\n" + TWO_CONTAINERS, "pod.yaml", ONLY_TAGS) == []


def test_a_pod_template_annotation_silences_its_containers_not_the_object() -> None:
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        kubelint.dev/ignore: image-tag,single-replica
        kubelint.dev/ignore-reason: rendered by the chart with a digest
    spec:
      containers:
        - name: web
          image: nginx
"""
    options = Options(only=["image-tag", "single-replica"])
    findings = lint_text(text, "deploy.yaml", options)
    # the container's image is inside the template: silenced; replicas is the Deployment's own
    assert [(f.rule, f.line) for f in findings] == [("single-replica", 7)]


def test_config_ignores_by_path_and_by_object(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "chart.yaml").write_text(TWO_CONTAINERS.replace("# kubelint: disable=image-tag", "#"))
    (tmp_path / "app.yaml").write_text(TWO_CONTAINERS.replace("name: web\nspec", "name: legacy-web\nspec"))
    (tmp_path / ".kubelint.yaml").write_text("""\
ignore:
  - paths: ["vendor/**"]
    reason: vendored, upstream's business
  - kinds: [Pod]
    names: ["legacy-*"]
    rules: [image-tag]
  - names: ["nothing-matches-*"]
""")
    code, out, err = run_cli(["check", "--only", "image-tag", "--format", "json", "--show-suppressed",
                              "--report-unused-suppressions", str(tmp_path)])
    report = json.loads(out)
    assert [(Path(f["file"]).name, f["rule"], f["line"]) for f in report["findings"]] == [
        (".kubelint.yaml", "unused-suppression", 7)]
    assert sorted((Path(s["file"]).name, s["suppressedBy"]) for s in report["suppressed"]) == [
        ("app.yaml", "comment"), ("app.yaml", "config"), ("chart.yaml", "config"), ("chart.yaml", "config")]


def test_config_ignore_entries_are_validated_at_their_line(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("ignore:\n  - paths: [x]\n    rulez: [image-tag]\n")
    code, _, err = run_cli(["check", "--config", str(tmp_path / ".kubelint.yaml"), str(tmp_path)])
    assert code == 2 and ".kubelint.yaml:3:" in err


def test_unused_suppressions_are_reported_at_their_place() -> None:
    text = TWO_CONTAINERS.replace("image: envoy", "image: envoy:1.30") + (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        "  annotations: {kubelint.dev/ignore: image-tag}\n")
    options = Options(only=["image-tag"], report_unused_suppressions=True)
    found = [(f.rule, f.line, f.column) for f in lint_text(text, "pod.yaml", options)]
    assert found == [("unused-suppression", 7, 5), ("image-tag", 13, 14), ("unused-suppression", 19, 17)]
    assert not any(f.rule == "unused-suppression" for f in lint_text(text, "pod.yaml", ONLY_TAGS))


def test_a_baseline_survives_moved_lines_and_reports_only_the_new_finding(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(TWO_CONTAINERS.replace("    # kubelint: disable=image-tag -- the proxy image is pinned by the platform team\n", ""))
    baseline = tmp_path / ".kubelint-baseline.json"
    code, _, err = run_cli(["check", "--only", "image-tag", "--write-baseline", str(baseline), str(manifest)])
    assert code == 0 and "recorded 2 findings" in err
    recorded = json.loads(baseline.read_text())
    assert [e["path"] for e in recorded["findings"]] == ['spec.containers[name="proxy"].image',
                                                        'spec.containers[name="web"].image']
    assert "line" not in recorded["findings"][0]
    # an edit moves every line down and adds a third untagged container
    edited = "# a comment above\n" + manifest.read_text().replace("  name: web\n", "  name: web\n  labels: {a: b}\n")
    manifest.write_text(edited + "    - name: sidecar\n      image: busybox\n")
    report = _json(["check", "--only", "image-tag", "--baseline", str(baseline), str(manifest)])
    assert [(f["line"], f["path"]) for f in report["findings"]] == [(16, "spec.containers[2].image")]
    assert report["summary"]["suppressed"] == 2
    # the container that is fixed drops out of the next baseline
    manifest.write_text(manifest.read_text().replace("image: envoy", "image: envoy:1.30"))
    run_cli(["check", "--only", "image-tag", "--write-baseline", str(baseline), str(manifest)])
    assert [e["path"] for e in json.loads(baseline.read_text())["findings"]] == [
        'spec.containers[name="sidecar"].image', 'spec.containers[name="web"].image']


def test_a_baseline_matches_named_list_items_by_name_not_index(tmp_path: Path) -> None:
    """Issue 21, item 4: a container inserted before another leaves the other's findings known."""
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(TWO_CONTAINERS.replace(
        "    # kubelint: disable=image-tag -- the proxy image is pinned by the platform team\n", "").replace(
        "        - containerPort: 80\n", "        - containerPort: 80\n        - name: admin\n"
                                         "          containerPort: 99999\n"))
    baseline = tmp_path / ".kubelint-baseline.json"
    args = ["check", "--only", "image-tag,invalid-port"]
    code, _, err = run_cli([*args, "--write-baseline", str(baseline), str(manifest)])
    assert code == 0 and "recorded 3 findings" in err
    assert [e["path"] for e in json.loads(baseline.read_text())["findings"]] == [
        'spec.containers[name="proxy"].image', 'spec.containers[name="web"].image',
        'spec.containers[name="proxy"].ports[name="admin"].containerPort']
    # a new container first, and a new port before the named one: only the new container is new
    manifest.write_text(manifest.read_text().replace(
        "  containers:\n", "  containers:\n    - name: init\n      image: busybox\n").replace(
        "        - containerPort: 80\n", "        - containerPort: 81\n        - containerPort: 80\n"))
    report = _json([*args, "--baseline", str(baseline), str(manifest)])
    assert [(f["rule"], f["line"], f["path"]) for f in report["findings"]] == [
        ("image-tag", 8, "spec.containers[0].image")]
    assert report["summary"]["suppressed"] == 3


def test_a_baseline_with_indexes_is_still_read(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(TWO_CONTAINERS)
    baseline = tmp_path / "old-baseline.json"
    baseline.write_text(json.dumps({"version": 1, "tool": "kubelint", "findings": [
        {"file": "pod.yaml", "rule": "image-tag", "kind": "Pod", "name": "web",
         "path": "spec.containers[1].image"}]}))
    report = _json(["check", "--only", "image-tag", "--baseline", str(baseline), str(manifest)])
    assert report["findings"] == [] and report["summary"]["suppressed"] == 2  # a comment, the baseline


def test_a_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TWO_CONTAINERS)
    code, _, err = run_cli(["check", "--baseline", str(tmp_path / "none.json"), str(tmp_path)])
    assert code == 2 and "baseline file not found" in err


CUSTOM = FIXTURES / "custom-rules"


def test_custom_rules_from_a_directory_end_to_end(tmp_path: Path) -> None:
    code, out, _ = run_cli(["rules", "--test", str(CUSTOM / "good")])
    assert code == 0 and "3 rules, 6 examples: 6 passed, 0 failed" in out
    code, out, _ = run_cli(["rules", "--test", str(CUSTOM / "failing")])
    assert code == 1 and "FAIL  require-owner-label bad example 1: expected findings at 4:3, got 5:3" in out
    result = lint_paths([str(FIXTURES / "kustomize" / "base")],
                        Options(rules_dirs=[str(CUSTOM / "good")], only=["house"]))
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("require-owner-label", 3, 1),
                                                                     ("house-registry", 14, 18)]
    (tmp_path / ".kubelint.yaml").write_text(f"rules-dir: {CUSTOM / 'good'}\nrules:\n  house-registry: off\n")
    (tmp_path / "pod.yaml").write_text(TWO_CONTAINERS)
    report = _json(["check", str(tmp_path)])
    assert "house-registry" not in {f["rule"] for f in report["findings"]}  # the config turned it off
    code, out, _ = run_cli(["rules", "--config", str(tmp_path / ".kubelint.yaml")])
    assert [line.split()[:3] for line in out.splitlines() if line.startswith("house-registry")] == [
        ["house-registry", "error", "off"]]


def test_a_run_wide_rule_defined_only_in_yaml() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
    options = Options(rules_dirs=[str(CUSTOM / "good")], only=["same-name-twice"])
    assert [(f.rule, f.line, f.column, f.path) for f in lint_text(text, "cm.yaml", options)] == [
        ("same-name-twice", 7, 18, "metadata.name")]


def test_a_bad_custom_rule_exits_2_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(TWO_CONTAINERS)
    code, _, err = run_cli(["check", "--rules-dir", str(CUSTOM / "broken"), str(tmp_path)])
    assert code == 2 and "bad-check.yaml:6:1: unknown check 'image-tagg'; did you mean image-tag?" in err
    code, _, err = run_cli(["rules", "--test", str(CUSTOM / "broken")])
    assert code == 2 and "bad-check.yaml:6:1" in err


def test_the_readme_policy_examples_pass_their_own_tests(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# policies/([a-z-]+)\.yaml[^\n]*\n.*?)```", readme, re.S)
    assert len(blocks) == 2
    for body, name in blocks:
        (tmp_path / f"{name}.yaml").write_text(body)
    code, out, _ = run_cli(["rules", "--test", str(tmp_path)])
    assert code == 0 and "2 rules, 2 examples: 2 passed, 0 failed" in out


def test_a_suppression_may_name_a_rule_of_rules_dir() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n" \
           "    - name: web\n      image: docker.io/nginx:1.27  # kubelint: disable=house-registry\n"
    options = Options(rules_dirs=[str(CUSTOM / "good")], only=["house"])
    assert [(f.rule, f.line) for f in lint_text(text, "pod.yaml", options)] == []
