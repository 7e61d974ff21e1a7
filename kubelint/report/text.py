"""The human report: findings grouped by file, each with its source line and a caret.

Only this module and cli.py know rich. Colour only on a terminal (or never, with --no-color).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
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
    for finding in result.findings:
        if finding.file != current:
            if current is not None:
                console.print()
            current = finding.file
            lines = lines_for(finding.file)
            console.print(f"[bold underline]{escape(finding.file)}[/]")
        _print_finding(console, finding, lines, escape)
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
    out: list[str] = []
    current: str | None = None
    lines: list[str] = []
    for finding in result.findings:
        if finding.file != current:
            if current is not None:
                out.append("")
            current = finding.file
            lines = lines_for(finding.file)
            out.append(finding.file)
        out.append(finding_line(finding))
        if 1 <= finding.line <= len(lines):
            text, caret = frame(lines[finding.line - 1], finding.column, 120)
            out.append(f"  {finding.line:>4} | {text}")
            out.append(f"       | {caret}")
    if result.findings:
        out.append("")
    out.append(summary_line(result, seconds))
    stream.write("\n".join(out) + "\n")


def _print_finding(console: Any, finding: Finding, lines: list[str], escape: Any) -> None:
    style = _STYLE[finding.severity]
    where = f"{finding.file}:{finding.line}:{finding.column}"
    console.print(f"{escape(where)}  [{style}]{finding.severity}[/]  [bold]{finding.rule}[/]  "
                  f"{escape(finding.message)}")
    if 1 <= finding.line <= len(lines):
        text, caret = frame(lines[finding.line - 1], finding.column, console.width)
        console.print(f"  [dim]{finding.line:>4} |[/] {escape(text)}")
        console.print(f"       [dim]|[/] [{style}]{caret}[/]")
