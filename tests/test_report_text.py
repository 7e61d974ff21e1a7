"""The default text report stays readable (issue 21): findings at one (file, line) share one
code frame, with a line per finding under it; the machine formats keep one entry per finding."""

from __future__ import annotations

import io
import json
import re

import pytest

from kubelint.model import Finding, RunResult, Severity
from kubelint.report import ReportContext, render_to_string
from kubelint.report.text import shared_frame, write
from tests.conftest import FIXTURES, run_cli

NGINX = FIXTURES / "report" / "nginx-deployment.yaml"
HARDENING = ("capabilities-not-dropped", "privilege-escalation", "read-only-root-fs", "run-as-root")
FRAME = re.compile(r"^  +\d+ \| ")


def test_a_plain_nginx_deployment_prints_in_at_most_20_lines() -> None:
    code, out, _ = run_cli(["check", "--no-color", str(NGINX)])
    assert code == 0  # warnings only: below the default fail level
    lines = out.splitlines()
    assert len(lines) <= 20, out
    frames = [line for line in lines if FRAME.match(line)]
    assert frames == ["    18 |         - name: nginx", "    19 |           image: nginx"]
    # the frame of line 18 comes first, then a line per finding there, each with its place
    start = lines.index(frames[0])
    assert lines[start + 1] == "       |                 ^"
    under = lines[start + 2: lines.index(frames[1])]
    assert len(under) >= 9 and all(line.startswith(f"{NGINX}:18:17  ") for line in under)
    assert {line.split("  ")[2] for line in under} >= set(HARDENING)
    assert lines[lines.index(frames[1]) + 2].startswith(f"{NGINX}:19:18  warning  image-tag  ")
    counts = re.match(r"1 file, 1 document: 0 errors, (\d+) warnings, (\d+) info;", lines[-1])
    assert counts and int(counts[1]) + int(counts[2]) == len(under) + 1, lines[-1]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "gitlab"])
def test_other_formats_keep_one_entry_per_finding(fmt: str) -> None:
    code, json_out, _ = run_cli(["check", "--no-color", "--format", "json", str(NGINX)])
    findings = json.loads(json_out)["findings"]
    assert len([f for f in findings if f["line"] == 18]) >= 9
    _, out, _ = run_cli(["check", "--no-color", "--format", fmt, str(NGINX)])
    if fmt == "json":
        assert len(json.loads(out)["findings"]) == len(findings)
    elif fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["results"]) == len(findings)
    elif fmt == "gitlab":
        assert len(json.loads(out)) == len(findings)
    elif fmt == "junit":
        assert out.count("<failure ") == len(findings)
    else:
        assert len([line for line in out.splitlines() if line.startswith("::")]) == len(findings)


def _finding(rule: str, line: int, column: int, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(rule, severity, f"about {rule}", "pod.yaml", line, column, line, column + 1)


def test_findings_at_different_columns_of_a_line_get_a_caret_each() -> None:
    lines = ["kind: Pod\n", "spec: {containers: [{name: a, image: b}]}\n"]
    result = RunResult([_finding("one", 2, 22), _finding("two", 2, 38), _finding("three", 2, 38)],
                       files=1, documents=1)
    out = render_to_string("text", result, ReportContext("1.37", lines_for=lambda f: lines))
    assert out.splitlines()[:6] == [
        "pod.yaml",
        "     2 | spec: {containers: [{name: a, image: b}]}",
        "       |                      ^               ^",
        "pod.yaml:2:22  warning  one  about one",
        "pod.yaml:2:38  warning  two  about two",
        "pod.yaml:2:38  warning  three  about three",
    ]


def test_a_long_line_keeps_the_carets_that_fit() -> None:
    text = "x: " + "a" * 300 + "\n"
    shown, carets = shared_frame(text, [4, 200], 120)
    assert len(shown) <= 112 and carets.count("^") == 1 and carets.index("^") == 3
    shown, carets = shared_frame("a\tb: c\n", [1, 3], 120)
    assert shown == "a    b: c" and carets == "^    ^"


def test_the_colour_report_shares_the_frame_too() -> None:
    lines = ["kind: Pod\n", "  - name: web\n"]
    result = RunResult([_finding("one", 2, 5, Severity.INFO), _finding("two", 2, 5, Severity.ERROR)],
                       files=1, documents=1)
    stream = io.StringIO()
    write(result, lambda f: lines, stream, color=True, seconds=0.0)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", stream.getvalue())
    assert plain.count("2 | ") == 1 and plain.count("  - name: web") == 1
    assert "pod.yaml:2:5  info  one  about one" in plain and "pod.yaml:2:5  error  two  about two" in plain
    assert "\x1b[1;31m" in stream.getvalue()  # the caret in the colour of the worst finding
