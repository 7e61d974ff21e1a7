"""Defects met by following the README as a new user, end to end, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

POD_HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"


def _quiet(args: list[str]) -> list[str]:
    _, out, _ = run_cli(["check", "-q", "--no-color", *args])
    return out.splitlines()


# ------------------------------------------- an own-line comment covers its node, not the next


def test_own_line_comment_covers_its_container_not_the_next_one(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD_HEAD + (
        "    # kubelint: disable=run-as-root -- why\n"
        "    - name: a\n"
        "      image: busybox:1\n"
        "    - name: b\n"
        "      image: busybox:1\n"))
    lines = _quiet([str(manifest), "--only", "run-as-root"])
    assert [line.split("  ")[0].rsplit(":", 2)[-2] for line in lines] == ["10"], lines  # b's, not a's


def test_own_line_comment_on_a_mapping_ends_before_the_next_key(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD_HEAD + (
        "    - name: a\n"
        "      image: busybox:1\n"
        "      # kubelint: disable=privileged-container\n"
        "      securityContext:\n"
        "        privileged: true\n"
        "\n"
        "      # a comment between\n"
        "    - name: b\n"
        "      image: busybox:1\n"
        "      securityContext: {privileged: true}\n"))
    lines = _quiet([str(manifest), "--only", "privileged-container"])
    assert len(lines) == 1 and ":16:" in lines[0], lines


def test_readme_silencing_example_covers_proxy_only(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD_HEAD + (
        "    # kubelint: disable=image-tag,run-as-root -- pinned by digest at deploy time\n"
        "    - name: proxy\n"
        "      image: envoy\n"
        "    - name: web\n"
        "      image: nginx   # kubelint: disable=image-tag\n"))
    lines = _quiet([str(manifest), "--only", "image-tag,run-as-root"])
    assert len(lines) == 1 and "run-as-root" in lines[0] and "`web`" in lines[0], lines


# ----------------------------------------------- house rules: explain and rules know rules-dir


def _policies() -> Path:
    return REPO / "tests" / "fixtures" / "custom-rules" / "good"


def test_explain_knows_a_rule_of_rules_dir() -> None:
    code, out, err = run_cli(["explain", "house-registry", "--rules-dir", str(_policies())])
    assert code == 0, err
    assert out.startswith("house-registry (error, house,")


def test_explain_knows_a_rule_of_the_configs_rules_dir(tmp_path: Path) -> None:
    config = tmp_path / "kubelint.yaml"
    config.write_text(f"rules-dir: {_policies()}\n")
    code, out, err = run_cli(["explain", "require-owner-label", "--config", str(config)])
    assert code == 0, err
    assert "owner" in out


def test_rules_lists_rules_dir() -> None:
    code, out, _ = run_cli(["rules", "--rules-dir", str(_policies())])
    assert code == 0 and "house-registry" in out and "image-tag" in out


def test_explain_of_a_category_says_it_is_one() -> None:
    code, _, err = run_cli(["explain", "security"])
    assert code == 2 and "is a category" in err and "kubelint rules" in err


def test_enable_of_an_unknown_name_says_where_the_names_are(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD_HEAD + "    - name: a\n      image: busybox:1\n")
    code, _, err = run_cli(["check", str(manifest), "--enable", "zzzzqqq"])
    assert code == 2 and "`kubelint rules` lists" in err


# ------------------------------------- a report asked for beside --diff or --write-baseline


def _broken(tmp_path: Path) -> Path:
    manifest = tmp_path / "deploy.yaml"
    manifest.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: \"2\"\n")
    return manifest


def test_diff_with_a_report_format_is_refused_not_ignored(tmp_path: Path) -> None:
    manifest = _broken(tmp_path)
    code, out, err = run_cli(["check", str(manifest), "--diff", "-f", "json", "-o", str(tmp_path / "r.json")])
    assert code == 2 and out == "" and "--diff" in err and "--format json" in err
    assert not (tmp_path / "r.json").exists()
    code, out, _ = run_cli(["check", str(manifest), "--diff"])
    assert code == 1 and out.startswith("---")


def test_write_baseline_with_a_report_output_is_refused_not_ignored(tmp_path: Path) -> None:
    manifest = _broken(tmp_path)
    baseline = tmp_path / "baseline.json"
    code, _, err = run_cli(["check", str(manifest), "--write-baseline", str(baseline),
                            "-f", "sarif", "-o", str(tmp_path / "k.sarif")])
    assert code == 2 and "--write-baseline" in err and "--output" in err and not baseline.exists()
    code, _, err = run_cli(["check", str(manifest), "--write-baseline", str(baseline)])
    assert code == 0 and baseline.exists(), err


def test_unused_ignore_entry_names_the_config_as_the_linted_files_are_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD_HEAD + "    - name: a\n      image: busybox:1\n")
    (tmp_path / ".kubelint.yaml").write_text('ignore:\n  - paths: ["nothing/**"]\n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["check", "k8s", "--report-unused-suppressions", "--only", "image-tag",
                            "-f", "gitlab"])
    assert code == 0
    assert [issue["location"]["path"] for issue in json.loads(out)] == [".kubelint.yaml"]


def test_statistics_in_github_actions_prints_the_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _broken(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli(["check", str(manifest), "--statistics", "--only", "schema-invalid"])
    assert code == 1 and "  schema-invalid  error" in out.splitlines()[0] and "::error" not in out
    code, out, _ = run_cli(["check", str(manifest), "--only", "schema-invalid"])
    assert out.startswith("::error")


def test_junit_failures_count_failed_testcases_never_more_than_tests(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    manifest = _broken(tmp_path)
    _, out, _ = run_cli(["check", str(manifest), "-f", "junit"])
    root = ET.fromstring(out)
    for element in [root, *root.iter("testsuite")]:
        assert int(element.get("failures", "0")) <= int(element.get("tests", "0")), element.attrib
    assert len(list(root.iter("failure"))) > int(root.get("failures", "0")) >= 1


def test_verbose_names_the_files_skipped_for_holding_no_object() -> None:
    from tests.conftest import FIXTURES, run_cli

    code, _, err = run_cli(["check", "-v", "--quiet", "--no-render", str(FIXTURES / "kustomize" / "base")])
    assert code == 0
    assert f"kubelint: skipped: {FIXTURES / 'kustomize' / 'base' / 'kustomization.yaml'}: no Kubernetes object" in err
    # built, the root's files are read by kustomize, and -v says so
    code, _, err = run_cli(["check", "-v", "--quiet", str(FIXTURES / "kustomize" / "base")])
    assert code == 0
    assert f"kubelint: project: {FIXTURES / 'kustomize' / 'base'}: a Kustomize root, built; 2 files" in err


def test_every_config_mistake_is_reported_at_once_in_file_order(tmp_path) -> None:
    from tests.conftest import run_cli

    config = tmp_path / ".kubelint.yaml"
    config.write_text("fail-on: warnings\nexculde: [a]\nrules:\n  image-tag: disabled\n")
    code, _, err = run_cli(["check", "--config", str(config), str(tmp_path)])
    assert code == 2
    lines = [line.removeprefix("kubelint: ") for line in err.strip().splitlines()]
    assert [line.split(": ", 1)[0].rsplit(":", 2)[1:] for line in lines] == [["1", "10"], ["2", "1"], ["4", "14"]]
    assert "did you mean `exclude`?" in lines[1]
