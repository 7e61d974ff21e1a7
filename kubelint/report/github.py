"""GitHub Actions workflow commands: one annotation per finding, on the pull request's diff.

The runner reads `::level key=value,…::message` lines from the log; values are escaped as the
runner unescapes them, or a message with a newline or a path with a comma breaks the line.
"""

from __future__ import annotations

from typing import IO

from kubelint.model import Finding, RunResult, Severity
from kubelint.report import ReportContext
from kubelint.report.identity import relative_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, root: str) -> str:
    props = [("file", relative_path(finding.file, root)), ("line", str(finding.line)),
             ("col", str(finding.column))]
    if finding.end_line == finding.line:  # GitHub reads endColumn only on a one-line span
        props += [("endLine", str(finding.line)), ("endColumn", str(max(finding.end_column, finding.column)))]
    else:
        props.append(("endLine", str(max(finding.end_line, finding.line))))
    props.append(("title", f"kubelint {finding.rule} ({finding.severity})"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_COMMAND[finding.severity]} {joined}::{escape_data(finding.message)}"


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    for finding in result.findings:  # a line at a time: a stream's 100,000 findings stay small
        stream.write(command(finding, context.root) + "\n")
    errors, warnings, infos = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    if not context.quiet:
        stream.write(f"kubelint: {result.files} files, {result.documents} documents: "
                     f"{errors} errors, {warnings} warnings, {infos} info\n")
