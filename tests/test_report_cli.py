"""The report options of `kubelint check`: several outputs from one lint, the GitHub Actions
default, --quiet, --statistics, --version, the progress bar, and GitHub's escaping."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kubelint.model import Finding, Severity
from kubelint.report import github, progress
from kubelint.report.outputs import OutputError, Target, default_format, pair
from tests.conftest import FIXTURES, run_cli

MANIFESTS = FIXTURES / "report" / "manifests"
ONLY = "image-tag,removed-api,missing-selector,schema-invalid,unknown-field,misplaced-field"


def check(*args: str) -> tuple[int, str, str]:
    return run_cli(["check", "--only", ONLY, "--no-color", *args, str(MANIFESTS)])


# ------------------------------------------------------------------ several outputs, one lint

def test_each_output_pairs_with_the_format_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kubelint.engine.run as runner

    calls = []
    real = runner.lint_paths
    monkeypatch.setattr(runner, "lint_paths", lambda *a, **k: calls.append(1) or real(*a, **k))
    sarif, junit = tmp_path / "r.sarif", tmp_path / "r.xml"
    code, out, _ = check("--format", "sarif", "--output", str(sarif), "--format", "text",
                         "-f", "junit", "-o", str(junit))
    assert code == 1 and len(calls) == 1  # linted once
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith('<?xml version="1.0"')
    assert "missing-selector" in out and out.rstrip().splitlines()[-1].startswith("4 files")


def test_an_output_before_any_format_belongs_to_the_first(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    code, out, _ = check("-o", str(target), "--format", "json")
    assert code == 1 and out == "" and json.loads(target.read_text())["findings"]


@pytest.mark.parametrize(("flags", "expected"), [
    ([], [Target("text")]),
    ([("output", "a")], [Target("text", "a")]),
    ([("format", "sarif"), ("output", "r.sarif"), ("format", "text")],
     [Target("sarif", "r.sarif"), Target("text")]),
    ([("output", "r.json"), ("format", "json")], [Target("json", "r.json")]),
])
def test_pairing(flags: list[tuple[str, str]], expected: list[Target]) -> None:
    assert pair(flags, "text") == expected


@pytest.mark.parametrize("flags", [
    [("format", "json"), ("format", "text")],  # both to standard output
    [("format", "json"), ("output", "a"), ("output", "b")],  # two files for one format
    [("format", "json"), ("output", "a"), ("format", "sarif"), ("output", "a")],  # one file twice
])
def test_impossible_pairings_are_refused(flags: list[tuple[str, str]]) -> None:
    with pytest.raises(OutputError):
        pair(flags, "text")


def test_impossible_pairing_exits_2() -> None:
    code, _, err = check("--format", "json", "--format", "text")
    assert code == 2 and "standard output" in err


# ------------------------------------------------------------------ GitHub Actions

def test_github_actions_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}, stdout_is_terminal=False) == "github"
    assert default_format({"GITHUB_ACTIONS": "true"}, stdout_is_terminal=True) == "text"
    assert default_format({}, stdout_is_terminal=False) == "text"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = check()
    assert out.startswith("::error file=")
    _, out, _ = check("--format", "text")  # a format given wins
    assert not out.startswith("::")


def test_github_escapes_every_special_character() -> None:
    finding = Finding("image-tag", Severity.WARNING, "100% sure:\r\na, b: c%0A", "dir, x/a:b%.yaml",
                      3, 5, 3, 9)
    line = github.command(finding, "/nowhere")
    assert line == ("::warning file=dir%2C x/a%3Ab%25.yaml,line=3,col=5,endLine=3,endColumn=9,"
                    "title=kubelint image-tag (warning)::100%25 sure:%0D%0Aa, b: c%250A")
    assert "\n" not in line and "\r" not in line
    assert github.escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"
    assert github.escape_data("%\r\n:,") == "%25%0D%0A:,"


# ------------------------------------------------------------------ quiet, statistics, version

def test_quiet_prints_only_findings() -> None:
    code, out, _ = check("--quiet")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 9
    assert all(":" in line and ("  error  " in line or "  warning  " in line) for line in lines)


def test_statistics_counts_per_rule() -> None:
    _, out, _ = check("--statistics")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["3", "image-tag", "warning"]
    assert any(line.split()[:2] == ["1", "yaml-syntax"] for line in lines)
    assert lines[-1].startswith("4 files")


def test_version_names_the_kubernetes_versions() -> None:
    from kubelint import __version__
    from kubelint.kube.versions import format_version, supported_versions

    code, out, _ = run_cli(["--version"])
    assert code == 0 and out.startswith(f"kubelint {__version__}\n")
    assert all(format_version(v) in out for v in supported_versions())


def test_version_says_which_yaml_parser_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.parser import builder

    if builder._fastyaml is not None:
        code, out, _ = run_cli(["--version"])
        assert code == 0 and "YAML parser: C (kubelint/parser/_fastyaml: its own block scanner, then libyaml 0." in out
    monkeypatch.setattr(builder, "_fastyaml", None)
    code, out, _ = run_cli(["--version"])
    assert code == 0 and "YAML parser: Python (the C parser was not built at install" in out


# ------------------------------------------------------------------ progress bar

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_after_a_second() -> None:
    now = [0.0]
    screen = FakeTerminal()
    bar = progress.ProgressBar(screen, clock=lambda: now[0], width=100)
    bar(1, 10, 2)
    assert screen.getvalue() == "" and not bar.shown  # a short run never shows it
    now[0] = 1.5
    bar(4, 10, 7)
    shown = screen.getvalue()
    assert bar.shown and "4/10" in shown and "7 findings" in shown
    bar.close()
    assert not bar.shown


def test_no_progress_bar_off_a_terminal_or_when_quiet() -> None:
    assert progress.for_stream(io.StringIO()) is None
    assert progress.for_stream(FakeTerminal(), quiet=True) is None
    assert isinstance(progress.for_stream(FakeTerminal()), progress.ProgressBar)


def test_the_engine_reports_progress_file_by_file() -> None:
    from kubelint.engine.run import lint_paths
    from kubelint.options import Options
    seen: list[tuple[int, int, int]] = []
    result = lint_paths([str(MANIFESTS)], Options(only=ONLY.split(",")),
                        progress=lambda *a: seen.append(a))
    assert [s[0] for s in seen] == list(range(1, 5)) and {s[1] for s in seen} == {4}
    assert seen[-1][2] == len(result.findings)


def test_no_progress_bar_in_a_report() -> None:
    _, out, err = check("--format", "json")
    assert "\x1b" not in out and "\x1b" not in err
