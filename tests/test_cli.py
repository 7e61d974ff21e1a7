"""The foundation, end to end through the CLI: exact places, exit codes, formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, run_cli

F = FIXTURES / "foundation"


# These tests are about the foundation's rules; the rule themes added since have their own tests.
OTHER_THEMES = ["--disable", "security,reliability,cross-object"]


def _json(args: list[str], stdin: str | None = None) -> tuple[int, dict]:
    code, out, _ = run_cli(["check", "--format", "json", *OTHER_THEMES, *args], stdin)
    return code, json.loads(out)


def _places(report: dict) -> list[tuple[str, int, int]]:
    return [(f["rule"], f["line"], f["column"]) for f in report["findings"]]


def test_labels_outside_metadata_in_a_pod() -> None:
    code, report = _json([str(F / "pod-labels-outside-metadata.yaml")])
    assert code == 1
    assert _places(report) == [("misplaced-field", 5, 1)]
    finding = report["findings"][0]
    assert "metadata.labels" in finding["message"]
    assert finding["path"] == "labels"
    assert finding["object"] == {"apiVersion": "v1", "kind": "Pod", "namespace": None, "name": "web"}


def test_replicaset_with_pod_spec_one_level_up_and_no_selector() -> None:
    code, report = _json([str(F / "replicaset-spec-spec.yaml")])
    assert code == 1
    assert _places(report) == [("missing-selector", 5, 1), ("misplaced-field", 7, 3)]
    assert "did you mean `spec.template.spec`?" in report["findings"][1]["message"]


def test_extensions_v1beta1_ingress_is_removed() -> None:
    code, report = _json([str(F / "ingress-extensions.yaml")])
    assert code == 1
    assert _places(report) == [("removed-api", 1, 13)]
    message = report["findings"][0]["message"]
    assert "networking.k8s.io/v1" in message and "1.22" in message


def test_ingress_is_still_served_before_1_22_in_kubernetes_terms() -> None:
    # The oldest schema kubelint ships is 1.25, so the version flag still reports it there.
    code, report = _json(["--kubernetes-version", "v1.25.3", str(F / "ingress-extensions.yaml")])
    assert _places(report) == [("removed-api", 1, 13)] and report["kubernetesVersion"] == "1.25"


def test_untagged_and_latest_images() -> None:
    code, report = _json(["--fail-on", "warning", str(F / "images.yaml")])
    assert code == 1
    assert _places(report) == [("image-tag", 8, 14), ("image-tag", 10, 14)]
    assert [f["path"] for f in report["findings"]] == ["spec.containers[0].image", "spec.containers[1].image"]


def test_warnings_do_not_fail_by_default() -> None:
    code, _ = _json([str(F / "images.yaml")])
    assert code == 0


def test_duplicate_key() -> None:
    code, report = _json([str(F / "duplicate-key.yaml")])
    assert code == 1 and _places(report) == [("yaml-duplicate-key", 8, 3)]


def test_helm_template_file() -> None:
    code, report = _json([str(F / "helm-template.yaml")])
    assert code == 1 and _places(report) == [("unrendered-template", 4, 9)]


def test_binary_file() -> None:
    code, report = _json([str(F / "binary.yaml")])
    assert code == 1 and _places(report) == [("file-unreadable", 1, 6)]
    assert "binary" in report["findings"][0]["message"]


def test_clean_deployment_gives_nothing_and_exit_0() -> None:
    code, report = _json([str(F / "clean-deployment.yaml")])
    assert code == 0 and report["findings"] == []
    assert report["summary"]["documents"] == 1


def test_non_manifest_yaml_is_skipped_quietly_and_counted() -> None:
    code, report = _json([str(F / "not-manifests")])
    assert code == 0 and report["findings"] == []
    assert report["summary"]["files"] == 2 and report["summary"]["skipped"] == 2


def test_stdin_with_stdin_filename() -> None:
    text = (F / "images.yaml").read_text()
    code, report = _json(["-", "--stdin-filename", "k8s/pod.yaml"], stdin=text)
    assert {f["file"] for f in report["findings"]} == {"k8s/pod.yaml"}


def test_text_report_shows_place_source_line_and_caret() -> None:
    code, out, _ = run_cli(["check", "--no-color", *OTHER_THEMES, str(F / "pod-labels-outside-metadata.yaml")])
    assert code == 1
    lines = out.splitlines()
    assert any(line.endswith("pod-labels-outside-metadata.yaml:5:1  error  misplaced-field  "
                             "`labels` is not a field of Pod here: `labels` belongs under "
                             "`metadata.labels`; move it there") for line in lines)
    assert "     5 | labels:" in lines and "       | ^" in lines
    assert lines[-1].startswith("1 file, 1 document: 1 error, 0 warnings, 0 info; 0 skipped")


def test_json_report_matches_its_schema() -> None:
    import jsonschema

    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    _, report = _json(["--fail-on", "never", str(F)])
    jsonschema.Draft202012Validator(schema).validate(report)
    assert len(report["findings"]) >= 8


def test_missing_path_is_a_usage_error() -> None:
    code, _, err = run_cli(["check", "does/not/exist.yaml"])
    assert code == 2 and "no such file or directory: does/not/exist.yaml" in err


def test_unsupported_kubernetes_version_lists_supported_ones() -> None:
    code, _, err = run_cli(["check", "--kubernetes-version", "1.12", str(F / "images.yaml")])
    assert code == 2 and "1.12 is not supported" in err and "1.25" in err


def test_exclude_glob(tmp_path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "skip").mkdir()
    for sub in ("keep", "skip"):
        (tmp_path / sub / "pod.yaml").write_text((F / "images.yaml").read_text())
    _, report = _json(["--exclude", "*/skip/*", str(tmp_path)])
    assert {f["file"].split("/")[-2] for f in report["findings"]} == {"keep"}


def test_hidden_directories_are_skipped(tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "pod.yaml").write_text((F / "images.yaml").read_text())
    _, report = _json([str(tmp_path)])
    assert report["summary"]["files"] == 0


def test_symlink_loop_is_survived(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "pod.yaml").write_text((F / "images.yaml").read_text())
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    _, report = _json([str(tmp_path)])
    assert report["summary"]["files"] == 1


def test_rules_lists_the_catalog() -> None:
    code, out, _ = run_cli(["rules"])
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("image-tag "))
    assert row.split()[:4] == ["image-tag", "warning", "on", "images"]


def test_explain_shows_why_fix_and_examples() -> None:
    code, out, _ = run_cli(["explain", "image-tag"])
    assert code == 0
    for part in ("Why it matters:", "How to fix it:", "Bad example:", "Good example:", "image: nginx"):
        assert part in out


def test_explain_unknown_rule_suggests() -> None:
    code, _, err = run_cli(["explain", "image-tags"])
    assert code == 2 and "did you mean `image-tag`?" in err


@pytest.mark.parametrize("config,expected", [
    ("rules:\n  image-tag: off\n", []),
    ("rules:\n  image-tag: error\n", [("image-tag", "error")] * 2),
    ("fail-on: warning\n", [("image-tag", "warning")] * 2),
])
def test_config_file(tmp_path, config: str, expected: list) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text(config)
    code, report = _json(["--config", str(cfg), str(F / "images.yaml")])
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == expected
    assert code == (1 if expected else 0)


def test_bad_config_exits_2_with_the_line(tmp_path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("kubernetes-version: '1.30'\nfail-on: sometimes\n")
    code, _, err = run_cli(["check", "--config", str(cfg), str(F / "images.yaml")])
    assert code == 2 and f"{cfg}:2:10:" in err and "fail-on" in err


def test_unknown_rule_in_config_suggests(tmp_path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("rules:\n  image-tags: off\n")
    code, _, err = run_cli(["check", "--config", str(cfg), str(F / "images.yaml")])
    assert code == 2 and f"{cfg}:2:3:" in err and "did you mean `image-tag`?" in err


def test_config_found_from_current_directory_upward(tmp_path, monkeypatch) -> None:
    (tmp_path / ".kubelint.yaml").write_text("rules:\n  image-tag: error\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    code, report = _json([str(F / "images.yaml")])
    assert code == 1 and report["findings"][0]["severity"] == "error"


def test_library_api() -> None:
    import kubelint

    findings = kubelint.lint_text((F / "images.yaml").read_text(), "pod.yaml")
    assert [(f.rule, f.line, f.column) for f in findings if f.rule == "image-tag"] == [
        ("image-tag", 8, 14), ("image-tag", 10, 14)]
    result = kubelint.lint_paths([str(F / "clean-deployment.yaml")])
    assert [f for f in result.findings if f.severity == kubelint.Severity.ERROR] == [] and result.documents == 1


def test_duplicate_key_names_its_document_object_and_path() -> None:
    _, report = _json([str(F / "duplicate-key.yaml")])
    finding = report["findings"][0]
    assert (finding["document"], finding["path"]) == (0, "data.mode")
    assert finding["object"] == {"apiVersion": "v1", "kind": "ConfigMap", "namespace": None, "name": "settings"}


def _process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real entry point in its own process: it leaves through os._exit (cli.run)."""
    return subprocess.run([sys.executable, "-m", "kubelint", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=False)


def test_the_process_exit_codes_and_a_complete_report() -> None:
    clean = _process("check", "examples/k8s/web.yaml")
    assert clean.returncode == 0 and "0 errors" in clean.stdout
    findings = _process("check", "--format", "json", "examples/k8s")
    assert findings.returncode == 1
    assert json.loads(findings.stdout)["summary"]["errors"] > 0  # flushed whole before exiting
    usage = _process("check", "--format", "bogus", "examples/k8s")
    assert usage.returncode == 2 and "bogus" in usage.stderr
    stdin = _process("check", "-", stdin="kind: [\n")
    assert stdin.returncode == 1 and "yaml-syntax" in stdin.stdout


def test_a_reader_that_goes_away_early_ends_the_run_quietly(tmp_path: Path) -> None:
    for n in range(1000):
        (tmp_path / f"p{n}.yaml").write_text(f"apiVersion: v1\nkind: Pod\nlabels: {{}}\nmetadata: {{name: p{n}}}\n")
    process = subprocess.Popen([sys.executable, "-m", "kubelint", "check", str(tmp_path)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=120) == 1
    assert b"Traceback" not in process.stderr.read()
