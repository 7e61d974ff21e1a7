"""What a new user meets in the first hour (issue 10), through the CLI and the public API."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import typer
import yaml

import kubelint
from tests.conftest import FIXTURES, REPO, run_cli

F = FIXTURES / "foundation"
IMAGES = (F / "images.yaml").read_text()
WIDGET = FIXTURES / "schema" / "widget.yaml"
CRD_FILE = FIXTURES / "schema" / "crd-dir" / "widgets.yaml"


def _json(args: list[str], stdin: str | None = None) -> tuple[int, dict, str]:
    code, out, err = run_cli(["check", "--format", "json", *args], stdin)
    return code, (json.loads(out) if out.strip() else {}), err


def _rules(report: dict) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["severity"], f["line"]) for f in report["findings"]]


# ---------------------------------------------------------------------- 1: pre-commit, one run


def test_the_pre_commit_hook_runs_once_over_every_file() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["kubelint"] and hooks[0]["require_serial"] is True


# ----------------------------------------------------------------- 7: an --output we cannot write


def test_unwritable_output_exits_2_in_one_line(tmp_path: Path) -> None:
    for target in (tmp_path / "missing" / "r.json", tmp_path):
        code, out, err = run_cli(["check", "-o", str(target), str(F / "images.yaml")])
        assert code == 2 and out == "" and len(err.splitlines()) == 1 and "--output" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_output_that_fails_to_open_says_the_report_was_not_written(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("")
    target.chmod(0o400)
    code, _, err = run_cli(["check", "-o", str(target), "--only", "image-tag", str(F / "images.yaml")])
    assert code == 2 and len(err.splitlines()) == 1 and "cannot write" in err


# ------------------------------------------------------------------------- 8: config mistakes


def _config_error(tmp_path: Path, text: str) -> str:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text(text)
    code, _, err = run_cli(["check", "--config", str(cfg), str(F / "images.yaml")])
    assert code == 2 and "Traceback" not in err and len(err.splitlines()) == 1, err
    return err.replace(str(cfg), "CFG")


def test_unquoted_version_is_read_as_written(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("kubernetes-version: 1.30\n")
    code, report, _ = _json(["--config", str(cfg), "--only", "image-tag", str(F / "images.yaml")])
    assert report["kubernetesVersion"] == "1.30"


@pytest.mark.parametrize("text,expected", [
    ("strict: true\n\nexculde: [x]\n", "CFG:3:1: unknown key `exculde`; did you mean `exclude`?"),
    ("fail-on: warnings\n", "CFG:1:10: `warnings` is not a valid fail-on; did you mean `warning`?"),
    ("rules:\n  image-tag:\n    severty: error\n", "CFG:3:5: unknown key `severty` under `rules.image-tag`; "
                                                   "did you mean `severity`?"),
    ("rules:\n  image-tag: disabled\n", "CFG:2:14: `disabled` is not a valid rules.image-tag; did you mean `off`?"),
    ("exclude: 3\n", "CFG:1:10: exclude must be a string or a list, not `3`"),
    ("kubernetes-version: 1.3\n", "CFG:1:21: kubernetes-version: Kubernetes 1.3 is not supported"),
    ("profile: restrictd\n", "did you mean `restricted`?"),
    ("disable: [image-tagz]\n", "CFG:1:11: disable: unknown rule or category 'image-tagz'; did you mean image-tag?"),
])
def test_config_errors_name_the_line_in_plain_words(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _config_error(tmp_path, text)


def test_a_wrong_rule_parameter_is_reported_at_its_line(tmp_path: Path) -> None:
    err = _config_error(tmp_path, "rules:\n  image-tag:\n    params:\n      floating: latest\n")
    assert "CFG:4:17: rules.image-tag.params.floating must be a list" in err
    err = _config_error(tmp_path, "rules:\n  image-tag:\n    params:\n      floatng: [x]\n")
    assert "CFG:4:7: unknown key `floatng`" in err and "did you mean `floating`?" in err
    err = _config_error(tmp_path, "rules:\n  yaml-syntax: {params: {a: 1}}\n")
    assert "CFG:2:17: rule `yaml-syntax` takes no parameters" in err


def test_a_parameter_that_is_no_regular_expression_is_reported_at_its_line(tmp_path: Path) -> None:
    """The check compiles its patterns on the first env value it meets: a bad one must be the
    config's mistake, not a traceback (or nothing, in a run without env values)."""
    err = _config_error(tmp_path, "rules:\n  secret-in-env:\n    params:\n      names: [ok, '(unclosed']\n")
    assert err.strip() == ("kubelint: CFG:4:19: rules.secret-in-env.params.names[1]: `(unclosed` is not a regular "
                   "expression (missing ), unterminated subpattern at position 0) (parameters of rule "
                   "`secret-in-env`)")


def test_rule_parameters_from_the_config_are_used(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("rules:\n  image-tag:\n    params: {floating: [latest, stable]}\n")
    pod = tmp_path / "pod.yaml"
    pod.write_text(IMAGES.replace('"nginx:latest"', "nginx:stable"))
    _, report, _ = _json(["--config", str(cfg), "--only", "image-tag", str(pod)])
    assert [f["line"] for f in report["findings"]] == [8, 10]


# --------------------------------------------------------------------------------- 9: schema dirs


def test_missing_schema_dir_exits_2() -> None:
    code, _, err = run_cli(["check", "--schema-dir", "no/such/dir", str(WIDGET)])
    assert code == 2 and "--schema-dir: no such directory or file: no/such/dir" in err


def test_a_crd_bundle_file_as_schema_dir() -> None:
    code, report, _ = _json(["--schema-dir", str(CRD_FILE), str(WIDGET)])
    assert code == 1 and [f["rule"] for f in report["findings"]] == ["schema-invalid"]


def test_schema_dir_as_one_string_in_the_config(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text(f"schema-dir: {CRD_FILE.parent}\n")
    code, report, _ = _json(["--config", str(cfg), str(WIDGET)])
    assert code == 1 and [f["rule"] for f in report["findings"]] == ["schema-invalid"]
    cfg.write_text("schema-dir: crds\n")
    assert "CFG:1:13: schema-dir: no such directory or file: crds" in _config_error(tmp_path, "schema-dir: crds\n")


# ---------------------------------------------------------------------- 10: misspelt suppressions


@pytest.mark.parametrize("line,column,hint", [
    ("      image: nginx  # kubelint: disable=image-tagg", 41, "did you mean `image-tag`?"),
    ("      image: nginx  # kubelint: disabel=image-tag", 33, "did you mean `disable`?"),
    ("      image: nginx  # kubelint: disable-line=image-tag", 33, "did you mean `disable`?"),
    ("      image: nginx  # kubelint: skip-file", 33, "did you mean `disable-file`?"),
])
def test_misspelt_suppression_is_a_warning_at_its_place(line: str, column: int, hint: str) -> None:
    text = IMAGES.replace("      image: nginx\n", line + "\n")
    findings = [f for f in kubelint.lint_text(text, "pod.yaml") if f.rule == "unknown-suppression"]
    assert [(f.line, f.column, str(f.severity)) for f in findings] == [(8, column, "warning")]
    assert hint in findings[0].message
    # and it silenced nothing (`disable-line` no longer means `disable` of every rule)
    assert [(f.rule, f.line) for f in kubelint.lint_text(text, "pod.yaml") if f.rule == "image-tag"][0] == \
        ("image-tag", 8)


def test_annotation_naming_an_unknown_rule() -> None:
    text = IMAGES.replace("  name: images\n", "  name: images\n  annotations:\n    kubelint.dev/ignore: image-tagg\n")
    code, report, _ = _json(["-", "--stdin-filename", "pod.yaml", "--fail-on", "warning"], text)
    found = [(f["line"], f["column"], f["path"]) for f in report["findings"] if f["rule"] == "unknown-suppression"]
    assert found == [(6, 26, 'metadata.annotations["kubelint.dev/ignore"]')]


# ------------------------------------------------------------------------ 11: rules and config


def test_rules_honours_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "my.yaml"
    cfg.write_text("rules:\n  image-tag: off\n  yaml-duplicate-key: warning\n")

    def row(out: str, rule: str) -> list[str]:
        return next(line for line in out.splitlines() if line.startswith(rule + " ")).split()[:3]

    _, out, _ = run_cli(["rules", "--config", str(cfg)])
    assert row(out, "image-tag") == ["image-tag", "warning", "off"]
    assert row(out, "yaml-duplicate-key") == ["yaml-duplicate-key", "warning", "on"]
    (tmp_path / ".kubelint.yaml").write_text(cfg.read_text())
    monkeypatch.chdir(tmp_path)
    _, out, _ = run_cli(["rules"])
    assert row(out, "image-tag")[2] == "off"
    code, _, err = run_cli(["rules", "--config", str(tmp_path / "none.yaml")])
    assert code == 2 and "config file not found" in err


# ------------------------------------------------------------------------------ 12: -k versions


@pytest.mark.parametrize("version", ["v1.29.3+k3s1", "v1.29.3-eks-adc7111", "1.29.3-gke.100"])
def test_cluster_version_strings(version: str) -> None:
    code, report, _ = _json(["-k", version, "--only", "image-tag", str(F / "images.yaml")])
    assert report["kubernetesVersion"] == "1.29"


@pytest.mark.parametrize("version,words", [
    ("", "no version given"),
    ("1.029", "not a Kubernetes version"),
    ("1.24", "target 1.25"),
    ("1.38", "upgrade kubelint"),
])
def test_bad_versions_say_what_ships_and_what_to_do(version: str, words: str) -> None:
    code, _, err = run_cli(["check", "-k", version, str(F / "images.yaml")])
    assert code == 2 and words in err and "1.25 to 1.37" in err


# ------------------------------------------------------------- 14: config found from each path


def _repo_with_config(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "k8s").mkdir(parents=True)
    (repo / ".kubelint.yaml").write_text("rules:\n  image-tag: error\n")
    (repo / "k8s" / "pod.yaml").write_text(IMAGES)
    (tmp_path / "elsewhere").mkdir()
    return repo


def test_config_is_found_from_the_linted_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo_with_config(tmp_path)
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, report, _ = _json(["--only", "image-tag", str(repo / "k8s")])
    assert code == 1 and {f["severity"] for f in report["findings"]} == {"error"}
    _, report, _ = _json(["-", "--stdin-filename", str(repo / "k8s" / "new.yaml"), "--only", "image-tag"], IMAGES)
    assert {f["severity"] for f in report["findings"]} == {"error"}


def test_the_library_resolves_the_config_as_the_cli_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo_with_config(tmp_path)
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = kubelint.lint_paths([str(repo / "k8s")])
    assert {(f.rule, str(f.severity)) for f in result.findings if f.rule == "image-tag"} == {("image-tag", "error")}
    findings = kubelint.lint_text(IMAGES, str(repo / "k8s" / "pod.yaml"))
    assert {str(f.severity) for f in findings if f.rule == "image-tag"} == {"error"}
    # Options given explicitly are used as they are: no config is read.
    result = kubelint.lint_paths([str(repo / "k8s")], kubelint.Options())
    assert {str(f.severity) for f in result.findings if f.rule == "image-tag"} == {"warning"}


def test_paths_with_different_configs_each_get_their_own(tmp_path: Path) -> None:
    """A monorepo with a config per team: one run, each file under its nearest config (issue 22)."""
    repo = _repo_with_config(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / ".kubelint.yaml").write_text("rules:\n  image-tag: off\n")
    (other / "pod.yaml").write_text(IMAGES)
    code, out, err = run_cli(["check", "--format", "json", str(repo / "k8s"), str(other)])
    assert code == 1, err
    image_tags = {(Path(f["file"]).parent.name, f["severity"]) for f in json.loads(out)["findings"]
                  if f["rule"] == "image-tag"}
    assert image_tags == {("k8s", "error")}  # other/.kubelint.yaml turns it off for its own files


# --------------------------------------------------------------------- 15: saying what happened


def test_nothing_linted_is_said(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("hi\n")
    (tmp_path / "gen.yaml").write_text(IMAGES)
    for args, words in (([str(tmp_path / "empty")], "no *.yaml, *.yml or *.json file"),
                        ([str(tmp_path / "docs")], "README.md: not a *.yaml"),
                        (["-e", "gen*", str(tmp_path / "gen.yaml")], "excluded by the pattern `gen*`")):
        code, _, err = run_cli(["check", *args])
        assert code == 0 and "nothing was linted" in err and words in err


def test_stdin_filename_without_dash_is_a_usage_error() -> None:
    code, _, err = run_cli(["check", "--stdin-filename", "x.yaml", str(F / "images.yaml")])
    assert code == 2 and "add `-`" in err


def test_verbose_lists_what_was_not_linted(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(IMAGES)
    (tmp_path / "notes.txt").write_text("x\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "b.yaml").write_text(IMAGES)
    code, _, err = run_cli(["check", "-v", "-e", "skip", str(tmp_path)])
    assert f"{tmp_path / 'notes.txt'}: not a *.yaml" in err
    assert f"{tmp_path / '.hidden'}/: hidden directory" in err
    assert f"{tmp_path / 'skip'}/: excluded by the pattern `skip`" in err
    assert "nothing was linted" not in err


def test_short_help_and_version_flags() -> None:
    code, out, _ = run_cli(["-V"])
    assert code == 0 and out.startswith(f"kubelint {kubelint.__version__}\n")
    code, out, _ = run_cli(["check", "-h"])
    assert code == 0 and "--kubernetes-version" in out


def test_patterns_that_are_valid_alone_but_do_not_join_still_match(tmp_path: Path) -> None:
    """secret-in-env joins its patterns into one; `(?i)` inside a join, or a group name taken
    twice, is no valid pattern: each is then tried alone, never an internal error."""
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("rules:\n  secret-in-env:\n    params:\n"
                   "      names: ['(?i)api_token', '(?P<x>DB)_SECRET', '(?P<x>MQ)_SECRET']\n      ignore: []\n")
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n"
                   "      image: nginx:1.27\n      env:\n        - {name: API_TOKEN, value: abcdef123456}\n"
                   "        - {name: MQ_SECRET, value: s3cr3t-value}\n        - {name: MQ_HOST, value: mq.local}\n")
    code, report, err = _json(["--config", str(cfg), "--only", "secret-in-env", str(pod)])
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("secret-in-env", 9), ("secret-in-env", 10)], err


@pytest.mark.parametrize("args", [
    ["check", "--help"], ["check", "--bogus"], ["check", "--format", "yaml", "x.yaml"], ["check", "missing.yaml"],
    ["check", "--no-color", str(F / "images.yaml")], ["check", "--format", "json", str(F / "images.yaml")],
    ["--version", "check"],
])
def test_the_check_only_app_answers_as_the_whole_app(args: list[str]) -> None:
    """run() gives `kubelint check …` an app of that command alone (typer builds every
    subcommand on each run): its help, errors and reports must be the whole app's."""
    from typer.testing import CliRunner

    from kubelint.cli import _app_for, _check_app, app

    assert _app_for(args) is (_check_app if args[0] == "check" else app)
    def answer(which: typer.Typer) -> tuple[int, str, str]:
        got = CliRunner().invoke(which, args)
        return got.exit_code, re.sub(r"\d+\.\d+s\n\Z", "", got.stdout), got.stderr  # less the run's seconds

    whole = answer(app)
    assert answer(_check_app) == whole
    assert whole[0] in (0, 1, 2) and (whole[1] or whole[2])


def test_explain_takes_any_case() -> None:
    code, out, _ = run_cli(["explain", "Image-Tag"])
    assert code == 0 and out.startswith("image-tag ")


def test_max_file_size_applies_to_stdin(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("max-file-size: 20\n")
    code, _, err = run_cli(["check", "--config", str(cfg), "-"], IMAGES)
    assert code == 2 and "standard input is over the 20-byte limit" in err


# ---------------------------------------------------------------------------- 17: public API


def test_options_and_versions_are_public() -> None:
    options = kubelint.Options(kubernetes_version=kubelint.parse_version("v1.29.3+k3s1"))
    text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {}\n"
    assert [f.rule for f in kubelint.lint_text(text, "pdb.yaml", options) if f.rule == "removed-api"] == ["removed-api"]
    assert (1, 29) in kubelint.supported_versions()
    assert kubelint.Severity.ERROR > kubelint.Severity.WARNING
    assert set(kubelint.__all__) >= {"Options", "RunResult", "Finding", "parse_version", "ConfigError"}


# ------------------------------------------------------------------------ rule selection flags


def test_only_enable_disable_and_profile_flags() -> None:
    _, report, _ = _json(["--only", "image-tag", "--fail-on", "never", str(F)])
    assert {f["rule"] for f in report["findings"]} <= {"image-tag", "yaml-syntax", "yaml-duplicate-key",
                                                       "unrendered-template", "file-unreadable",
                                                       "not-a-manifest", "yaml-complexity",
                                                       "unknown-suppression"}
    _, report, _ = _json(["--disable", "images", str(F / "images.yaml")])
    assert not [f for f in report["findings"] if f["rule"] == "image-tag"]
    cfg_off = ["--disable", "image-tag", "--enable", "image-tag"]
    _, report, _ = _json([*cfg_off, "--only", "image-tag", str(F / "images.yaml")])
    assert [f["rule"] for f in report["findings"]] == ["image-tag", "image-tag"]


@pytest.mark.parametrize("args,words", [
    (["--only", "image-tagg"], "did you mean image-tag?"),
    (["--enable", "imagez"], "did you mean images?"),
    (["--disable", "nope-nothing"], "unknown rule or category"),
    (["--profile", "strict"], "choose baseline or restricted"),
])
def test_selection_mistakes_exit_2(args: list[str], words: str) -> None:
    code, _, err = run_cli(["check", *args, str(F / "images.yaml")])
    assert code == 2 and words in err and len(err.splitlines()) == 1


def test_config_disable_and_enable_by_category(tmp_path: Path) -> None:
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text("disable: images\n")
    _, report, _ = _json(["--config", str(cfg), str(F / "images.yaml")])
    assert not [f for f in report["findings"] if f["rule"] == "image-tag"]
    _, report, _ = _json(["--config", str(cfg), "--enable", "image-tag", str(F / "images.yaml")])
    assert [f["rule"] for f in report["findings"] if f["rule"] == "image-tag"] == ["image-tag"] * 2


def test_a_broken_rule_file_exits_2_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.engine import selection
    from kubelint.engine.rules import RuleError

    def broken(*_: object) -> None:
        raise RuleError("rules/images/x.yaml:3:1: a rule needs a `message`")

    monkeypatch.setattr(selection, "select", broken)
    code, _, err = run_cli(["check", str(F / "images.yaml")])
    assert code == 2 and err == "kubelint: rules/images/x.yaml:3:1: a rule needs a `message`\n"
