"""The human report: findings grouped by file, then by line, under one code frame a line.

On real repositories half the warnings are the container-hardening rules, up to four at the
same container's `- name:` line; a frame per finding made a plain Deployment thirty lines long.
So the findings at one (file, line) share the source line and one caret line (a caret at each
column they point at), and each finding follows as its own `file:line:column  severity  rule
message` line: what terminals make clickable and problem matchers read, unchanged. Machine
formats (JSON, SARIF, …) keep one entry per finding.

Only this module knows rich, and imports it only to colour a terminal (never with --no-color).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import groupby
from typing import IO, Any

from kubelint.model import Finding, RunResult, Severity
from kubelint.report import ReportContext

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def frame(line_text: str, column: int, width: int) -> tuple[str, str]:
    """The source line (tabs expanded, long lines cut) and a caret line under `column`."""
    text = line_text.rstrip("\r\n")
    caret_at = len(text[: column - 1].replace("\t", "    "))
    text = text.replace("\t", "    ")
    limit = max(width - 10, 40)
    if len(text) > limit:
        start = max(0, min(caret_at - limit // 2, len(text) - limit))
        cut = text[start : start + limit]
        text = ("…" if start else "") + cut + ("…" if start + limit < len(text) else "")
        caret_at = caret_at - start + (1 if start else 0)
    return text, " " * caret_at + "^"


def shared_frame(line_text: str, columns: Sequence[int], width: int) -> tuple[str, str]:
    """The source line and one caret line with a caret under each of `columns`.

    When the line is too long to show whole, it is cut around the first column and the carets
    that fall outside the cut are left out (each finding's line still names its column).
    """
    first = min(columns)
    text, caret = frame(line_text, first, width)
    if len(set(columns)) == 1:
        return text, caret
    shift = len(caret) - 1 - len(line_text.rstrip("\r\n")[: first - 1].replace("\t", "    "))
    marks = sorted({len(line_text[: c - 1].replace("\t", "    ")) + shift for c in columns})
    marks = [m for m in marks if 0 <= m < len(text)] or [len(caret) - 1]
    out = [" "] * (marks[-1] + 1)
    for m in marks:
        out[m] = "^"
    return text, "".join(out)


def places(findings: Sequence[Finding]) -> Iterator[tuple[str, int, list[Finding]]]:
    """Consecutive findings at the same (file, line), as the run sorts them."""
    for (file, line), group in groupby(findings, key=lambda f: (f.file, f.line)):
        yield file, line, list(group)


def summary_line(result: RunResult, seconds: float) -> str:
    errors, warnings, infos = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    suppressed = ""
    if result.suppressed:
        by: dict[str, int] = {}
        for item in result.suppressed:
            by[item.mechanism] = by.get(item.mechanism, 0) + 1
        suppressed = f"; {len(result.suppressed)} suppressed (" + ", ".join(
            f"{mechanism} {count}" for mechanism, count in sorted(by.items())) + ")"
    return (f"{plural(result.files, 'file')}, {plural(result.documents, 'document')}: "
            f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {infos} info{suppressed}; "
            f"{result.skipped} skipped (no Kubernetes objects); {seconds:.2f}s")


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    """The report's registry entry: findings, `--quiet` lines or `--statistics` counts."""
    if context.statistics:
        stream.write(statistics(result, context.rules_of(result)))
        if not context.quiet:
            stream.write(summary_line(result, context.seconds) + "\n")
        return
    if context.quiet:
        stream.write("".join(finding_line(f) + "\n" for f in result.findings))
        return
    if context.show_suppressed and result.suppressed:
        stream.write("suppressed:\n" + "".join(
            f"  {finding_line(item.finding)}  [{item.mechanism}{': ' + item.reason if item.reason else ''}]\n"
            for item in result.suppressed) + "\n")
    write(result, context.lines_for or (lambda file: []), stream, color=context.color,
          seconds=context.seconds)


def finding_line(finding: Finding) -> str:
    """One finding on one line: what editors' problem matchers read (see README, Editors)."""
    return (f"{finding.file}:{finding.line}:{finding.column}  {finding.severity}  "
            f"{finding.rule}  {finding.message}")


def statistics(result: RunResult, rules: Mapping[str, Any]) -> str:
    """Counts per rule, most frequent first, as ruff's --statistics prints them."""
    counts = Counter(f.rule for f in result.findings)
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    number = len(str(ranked[0][1]))
    width = max(len(rule) for rule in counts)
    out = []
    for rule_id, count in ranked:
        rule = rules.get(rule_id)
        severity = next(str(f.severity) for f in result.findings if f.rule == rule_id)
        summary = rule.summary if rule is not None else ""
        out.append(f"{count:>{number}}  {rule_id:<{width}}  {severity:<7}  {summary}".rstrip())
    return "\n".join(out) + "\n"


def write(result: RunResult, lines_for: Callable[[str], list[str]], stream: IO[str], *,
          color: bool | None, seconds: float) -> None:
    """Colour through rich on a terminal; plain lines otherwise (pre-commit, CI logs, files).

    The plain path skips importing rich, which is a fifth of a one-file run's start-up.
    """
    if color is False or (color is None and not _is_terminal(stream)):
        _render_plain(result, lines_for, stream, seconds)
        return
    from rich.console import Console
    from rich.markup import escape

    if color is False:
        console = Console(file=stream, color_system=None, highlight=False, soft_wrap=True, emoji=False)
    else:
        console = Console(file=stream, force_terminal=True if color else None, highlight=False,
                          soft_wrap=True, emoji=False)
    current: str | None = None
    lines: list[str] = []
    for file, line, group in places(result.findings):
        if file != current:
            if current is not None:
                console.print()
            current = file
            lines = lines_for(file)
            console.print(f"[bold underline]{escape(file)}[/]")
        _print_place(console, line, group, lines, escape)
    if result.findings:
        console.print()
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    style = "bold red" if errors else ("yellow" if warnings else "green")
    console.print(f"[{style}]{escape(summary_line(result, seconds))}[/]")


def _is_terminal(stream: IO[str]) -> bool:
    import os

    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _render_plain(result: RunResult, lines_for: Callable[[str], list[str]], stream: IO[str],
                  seconds: float) -> None:
    # Written a place at a time: a rendered stream's hundred thousand findings are never all
    # in memory as text.
    current: str | None = None
    lines: list[str] = []
    for file, line, group in places(result.findings):
        out: list[str] = []
        if file != current:
            if current is not None:
                out.append("")
            current = file
            lines = lines_for(file)
            out.append(file)
        if 1 <= line <= len(lines):
            text, caret = shared_frame(lines[line - 1], [f.column for f in group], 120)
            out.append(f"  {line:>4} | {text}")
            out.append(f"       | {caret}")
        out.extend(finding_line(f) for f in group)
        stream.write("\n".join(out) + "\n")
    if result.findings:
        stream.write("\n")
    stream.write(summary_line(result, seconds) + "\n")


def _print_place(console: Any, line: int, group: list[Finding], lines: list[str], escape: Any) -> None:
    """One frame for the findings at `line`, in the colour of the worst of them, then each."""
    if 1 <= line <= len(lines):
        style = _STYLE[max(f.severity for f in group)]
        text, caret = shared_frame(lines[line - 1], [f.column for f in group], console.width)
        console.print(f"  [dim]{line:>4} |[/] {escape(text)}")
        console.print(f"       [dim]|[/] [{style}]{caret}[/]")
    for finding in group:
        where = f"{finding.file}:{finding.line}:{finding.column}"
        console.print(f"{escape(where)}  [{_STYLE[finding.severity]}]{finding.severity}[/]  "
                      f"[bold]{finding.rule}[/]  {escape(finding.message)}")
