"""JUnit XML for test-report consumers (Jenkins, GitLab test reports, Azure, pytest-style tools).

A testsuite per file, a testcase per object (and one per file for what is wrong with the file
itself: YAML syntax, templates, encoding), a failure per finding. The classname turns the path
into Jenkins' package/class tree (`k8s/apps/web.yaml` → `k8s.apps.web_yaml`). No timings, so
the report is byte-identical from run to run. Files and objects without findings are not
listed: the run's result holds only findings and counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from kubelint.model import Finding, RunResult
from kubelint.report import ReportContext
from kubelint.report.identity import relative_path

# Characters XML 1.0 cannot carry at all, even escaped: they become U+FFFD.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    value = _INVALID.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\r", "&#13;").replace("\t", "&#9;"))


def classname(file: str) -> str:
    return file.replace(".", "_").replace("/", ".").strip(".") or "stdin"


def case_name(finding: Finding) -> str:
    """The object a finding belongs to, as a person names it; the file itself for input findings."""
    if finding.kind is None or finding.document is None:
        return "(file)"
    name = finding.name or "(unnamed)"
    if finding.namespace:
        name = f"{finding.namespace}/{name}"
    return f"{finding.kind} {name} (document {finding.document + 1})"


def _failure(finding: Finding) -> str:
    body = (f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} "
            f"[{finding.rule}] {finding.message}")
    if finding.path:
        body += f"\nfield: {finding.path}"
    return (f'      <failure type="{_attr(finding.rule)}" message="{_attr(finding.message)}">'
            f"{_text(body)}</failure>")


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    # file → case → findings, in the findings' order (sorted by file, then position)
    files: dict[str, dict[str, list[Finding]]] = {}
    for finding in result.findings:
        file = relative_path(finding.file, context.root)
        files.setdefault(file, {}).setdefault(case_name(finding), []).append(finding)
    for line in _lines(result, files):  # a line at a time: a stream's 100,000 findings stay small
        stream.write(line + "\n")


def _lines(result: RunResult, files: dict[str, dict[str, list[Finding]]]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    # `failures` counts the failed testcases (junit-10.xsd: "tests in the suite that failed"), never
    # more than `tests`: a consumer that shows tests minus failures as passed must not go negative.
    # Every listed testcase holds at least one finding; each finding is one <failure> in it.
    failed = sum(len(c) for c in files.values())
    yield f'<testsuites name="kubelint" tests="{failed or 1}" failures="{failed}" errors="0">'
    for file, by_case in files.items():
        yield (f'  <testsuite name="{_attr(file)}" tests="{len(by_case)}" failures="{len(by_case)}" '
               f'errors="0" skipped="0" file="{_attr(file)}">')
        for name, found in by_case.items():
            yield f'    <testcase name="{_attr(name)}" classname="{_attr(classname(file))}">'
            yield from (_failure(f) for f in found)
            yield "    </testcase>"
        yield "  </testsuite>"
    if not files:  # an empty report reads as "no tests ran" to Jenkins: say the run passed
        yield '  <testsuite name="kubelint" tests="1" failures="0" errors="0" skipped="0">'
        yield (f'    <testcase name="{result.files} files, {result.documents} documents" '
               'classname="kubelint"/>')
        yield "  </testsuite>"
    yield "</testsuites>"
