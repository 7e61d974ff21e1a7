"""Autofix end to end: golden files, idempotence, the file's bytes kept, the CLI's flows.

Each case under tests/fixtures/fix/<case>/ is a before.yaml and the after.yaml that
`kubelint check --fix` must make of it (with --unsafe-fixes when the case has a file `unsafe`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kubelint.engine.run import lint_paths
from kubelint.fix import FIXABLE
from kubelint.fix.run import fix_paths, fixes_for_report, reader
from kubelint.fix.session import parses
from kubelint.options import Options
from tests.conftest import FIXTURES, REPO, run_cli

CASES = sorted(p.name for p in (FIXTURES / "fix").iterdir() if (p / "before.yaml").is_file())
_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def _fix(path: Path, unsafe: bool = False) -> tuple[str, str]:
    options = Options()
    result = lint_paths([str(path)], options)
    report = fix_paths(result.findings, [str(path)], options, unsafe=unsafe)
    assert not report.internal_errors
    return path.read_bytes().decode("utf-8"), report


def _comments(text: str) -> list[str]:
    return sorted(m.group(1).strip() for line in text.splitlines() if (m := _COMMENT.search(line)))


def _errors(path: Path) -> set[tuple[str, str, int | None]]:
    findings = lint_paths([str(path)], Options()).findings
    return {(f.rule, f.path, f.document) for f in findings if str(f.severity) == "error"}


@pytest.mark.parametrize("case", CASES)
def test_fix_gives_the_golden_file(case: str, tmp_path: Path) -> None:
    folder = FIXTURES / "fix" / case
    unsafe = (folder / "unsafe").exists()
    target = tmp_path / "manifest.yaml"
    shutil.copyfile(folder / "before.yaml", target)
    before_errors = _errors(target)
    _fix(target, unsafe)
    after = target.read_bytes()
    assert after == (folder / "after.yaml").read_bytes()
    text = after.decode("utf-8")
    # it parses, every comment is still there, and a second --fix changes nothing
    assert parses(text, str(target))
    assert set(_comments((folder / "before.yaml").read_text(encoding="utf-8"))) <= set(_comments(text))
    _fix(target, unsafe)
    assert target.read_bytes() == after
    # what remains has no fix that this mode would have applied
    options = Options()
    remaining = fixes_for_report(lint_paths([str(target)], options).findings, options, reader(options, None, "-"))
    assert not [f for f in remaining if f.fix is not None and (f.fix.safe or unsafe)]
    # no fix adds an error, but for the schema findings of an object now on a validated version
    migrated = {i for i, (a, b) in enumerate(zip(_docs(folder / "before.yaml"), _docs(target), strict=True))
                if isinstance(a, dict) and isinstance(b, dict) and a.get("apiVersion") != b.get("apiVersion")}
    added = {e for e in _errors(target) - before_errors
             if not (e[0] in ("schema-invalid", "unknown-field") and e[2] in migrated)}
    assert not added


def _docs(path: Path) -> list[object]:
    return list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_the_seed_manifest_comes_out_valid_for_1_37(tmp_path: Path) -> None:
    target = tmp_path / "seed.yaml"
    shutil.copyfile(FIXTURES / "fix" / "seed" / "before.yaml", target)
    _fix(target)
    ingress, deployment, service = _docs(target)
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    assert ingress["spec"]["defaultBackend"] == {"service": {"name": "shop", "port": {"number": 80}}}
    paths = ingress["spec"]["rules"][0]["http"]["paths"]
    assert paths[0]["backend"] == {"service": {"name": "shop-api", "port": {"name": "http"}}}
    assert all(p["pathType"] == "ImplementationSpecific" for p in paths)
    assert deployment["apiVersion"] == "apps/v1" and "labels" not in deployment
    assert deployment["metadata"]["labels"] == {"app": "shop", "tier": "web"}
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "shop", "tier": "web"}}
    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "shop" and "serviceAccount" not in pod
    assert pod["containers"][0]["env"][0]["value"] == "8080"
    findings = lint_paths([str(target)], Options(kubernetes_version=(1, 37))).findings
    wrong = {"removed-api", "deprecated-api", "schema-invalid", "unknown-field", "misplaced-field",
             "missing-selector", "yaml-syntax"}
    assert not [f for f in findings if f.rule in wrong]


def test_a_crlf_file_with_a_byte_order_mark_keeps_both_and_its_mode(tmp_path: Path) -> None:
    folder = FIXTURES / "fix" / "crlf"
    target = tmp_path / "crlf.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + (folder / "before.yaml").read_bytes())
    os.chmod(target, 0o640)
    _fix(target)
    data = target.read_bytes()
    assert data == b"\xef\xbb\xbf" + (folder / "after.yaml").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert (target.stat().st_mode & 0o777) == 0o640
    assert not list(tmp_path.glob(".kubelint-*"))  # no temporary file left


def test_no_fix_in_a_file_with_template_markers_or_yaml_errors(tmp_path: Path) -> None:
    for name, text in (("t.yaml", "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: {{ .Values.name }}\n"),
                       ("e.yaml", "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: a\n"
                                  "spec: {minAvailable: 1\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
                                  "metadata: {name: b}\nspec: {minAvailable: 1}\n")):
        target = tmp_path / name
        target.write_text(text)
        _fix(target)
        assert target.read_text() == text


def test_a_conflict_means_no_fix_and_the_message_says_why(tmp_path: Path) -> None:
    folder = FIXTURES / "fix" / "merge-conflict"
    assert (folder / "after.yaml").read_bytes() == (folder / "before.yaml").read_bytes()
    code, out, _ = run_cli(["check", str(folder / "before.yaml"), "--format", "json", "--only", "schema,api"])
    findings = json.loads(out)["findings"]
    messages = {f["rule"]: f["message"] for f in findings}
    assert "No automatic fix: `metadata.labels` already has `app` with another value" in messages["misplaced-field"]
    assert "No automatic fix: with apps/v1 the object would not validate (spec.rollbackTo" in messages["removed-api"]


def test_a_fix_that_breaks_the_file_is_withheld_never_an_error(tmp_path: Path, monkeypatch) -> None:
    """Issue 21: a fix that cannot apply is not offered; the run is not an internal error."""
    from kubelint.fix import fixers

    def broken(ctx):
        return ctx.fix("break it", [(0, 0, "{{{ ")])

    monkeypatch.setitem(fixers.FIXERS, "removed-api", broken)
    target = tmp_path / "b.yaml"
    text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: a}\nspec: {minAvailable: 1}\n"
    target.write_text(text)
    options = Options()
    report = fix_paths(lint_paths([str(target)], options).findings, [str(target)], options)
    assert target.read_text() == text
    assert not report.internal_errors and not report.fixed
    remaining = fixes_for_report(lint_paths([str(target)], options).findings, options, reader(options, None, "-"))
    assert [(f.rule, f.fix) for f in remaining if f.rule == "removed-api"] == [("removed-api", None)]
    code, _, err = run_cli(["check", "--no-color", "--fix", str(target)])
    assert code == 1 and "fixed 0 findings" in err  # the finding's own exit code, not 2


def test_json_report_carries_fixes_and_matches_its_schema() -> None:
    import jsonschema

    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    _, out, _ = run_cli(["check", str(FIXTURES / "fix" / "seed" / "before.yaml"), "--format", "json"])
    report = json.loads(out)
    jsonschema.Draft202012Validator(schema).validate(report)
    fixed = {f["rule"]: f["fix"] for f in report["findings"] if "fix" in f}
    assert set(fixed) >= {"removed-api", "misplaced-field", "deprecated-service-account-field"}
    assert fixed["misplaced-field"]["safe"] is True
    assert all(e["line"] >= 1 and "text" in e for fix in fixed.values() for e in fix["edits"])
    assert not [f for f in report["findings"] if f["rule"] not in FIXABLE and "fix" in f]


def test_diff_prints_and_writes_nothing_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "seed.yaml"
    shutil.copyfile(FIXTURES / "fix" / "seed" / "before.yaml", target)
    before = target.read_bytes()
    code, out, err = run_cli(["check", str(target), "--diff"])
    assert code == 1 and target.read_bytes() == before
    assert "-apiVersion: extensions/v1beta1   # old API" in out and "+  defaultBackend:" in out
    assert "would fix" in err
    clean = tmp_path / "clean.yaml"
    shutil.copyfile(FIXTURES / "fix" / "seed" / "after.yaml", clean)
    code, out, _ = run_cli(["check", str(clean), "--diff"])
    assert code == 0 and out == ""


def test_fix_reports_what_remains_and_exits_for_it(tmp_path: Path) -> None:
    target = tmp_path / "m.yaml"
    shutil.copyfile(FIXTURES / "fix" / "missing-selector-unsafe" / "before.yaml", target)
    code, out, err = run_cli(["check", str(target), "--fix", "--only", "validity"])
    assert code == 1 and "missing-selector" in out and "fixed 0 findings; 1 remains" in err
    code, out, err = run_cli(["check", str(target), "--fix", "--unsafe-fixes", "--only", "validity"])
    assert code == 0 and "fixed 1 finding in 1 file (missing-selector 1); 0 remain" in err
    code, out, err = run_cli(["check", str(target), "--fix", "--only", "validity", "-q"])
    assert code == 0 and out == "" and err == ""


def test_fix_on_standard_input_writes_the_fixed_text_to_stdout() -> None:
    text = (FIXTURES / "fix" / "ingress-flow" / "before.yaml").read_text()
    code, out, err = run_cli(["check", "-", "--fix", "--only", "api"], stdin=text)
    assert out == (FIXTURES / "fix" / "ingress-flow" / "after.yaml").read_text()
    assert code == 0 and "fixed 1 finding" in err
