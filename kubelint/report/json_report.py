"""The JSON report: a stable contract for editors and CI (schemas/report.schema.json).

No timings go into it, so the same input always gives byte-identical output.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from kubelint._version import __version__
from kubelint.model import Finding, RunResult, Severity
from kubelint.report import ReportContext

SCHEMA_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    out = {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "path": finding.path,
        "document": finding.document,
        "object": {
            "apiVersion": finding.api_version,
            "kind": finding.kind,
            "namespace": finding.namespace,
            "name": finding.name,
        },
    }
    if finding.fix is not None:  # only findings with one right answer carry one
        out["fix"] = finding.fix.as_dict()
    return out


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    for piece in _pieces(result, context.kubernetes_version, context.show_suppressed):
        stream.write(piece)


def to_text(result: RunResult, kubernetes_version: str, show_suppressed: bool = False) -> str:
    return "".join(_pieces(result, kubernetes_version, show_suppressed))


def _pieces(result: RunResult, kubernetes_version: str, show_suppressed: bool) -> Iterator[str]:
    """The report, a finding at a time: a rendered stream of 20,000 objects has a hundred
    thousand findings, whose dicts and text together would outweigh the run itself."""
    head: dict[str, Any] = {
        "tool": {"name": "kubelint", "version": __version__},
        "schemaVersion": SCHEMA_VERSION,
        "kubernetesVersion": kubernetes_version,
        "summary": {
            "files": result.files,
            "documents": result.documents,
            "skipped": result.skipped,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "infos": result.count(Severity.INFO),
            "suppressed": len(result.suppressed),
        },
    }
    lists: dict[str, Iterable[Any]] = {FINDINGS: result.findings}
    head["findings"] = FINDINGS
    if show_suppressed:
        head["suppressed"] = SUPPRESSED
        lists[SUPPRESSED] = ({**finding_dict(s.finding), "suppressedBy": s.mechanism, "reason": s.reason}
                             for s in result.suppressed)
    return stream_json(head, lists, {FINDINGS: _finding_text})


# Where stream_json writes a report's long lists: SARIF's results, GitLab's issues (ITEMS), and
# this report's findings and suppressed findings.
ITEMS, FINDINGS, SUPPRESSED = "\x00items\x00", "\x00findings\x00", "\x00suppressed\x00"


def stream_json(document: Any, lists: dict[str, Iterable[Any]],
                writers: dict[str, Callable[[Any, str], str]] | None = None) -> Iterator[str]:
    """json.dumps(document, indent=2, ensure_ascii=False) + "\n", byte for byte, with each of
    `lists` written a dict at a time where `document` holds its key (the keys in the order they
    stand in the document): a report's findings as one list of dicts took 60 bytes of memory
    for every byte written, 300 MB for 30,000 findings. `writers` may give a list's own
    writer, item and indent → text, which must write what _indented would."""
    rest = "".join(_indented(document, "\n"))
    for placeholder, items in lists.items():
        marker = _STRING(placeholder)
        at = rest.index(marker)
        before, rest = rest[:at], rest[at + len(marker):]
        line = before[before.rfind("\n") + 1:]
        newline = "\n" + line[: len(line) - len(line.lstrip(" "))]
        yield before
        inner = newline + "  "
        empty = True
        write = (writers or {}).get(placeholder, _joined)
        for index, item in enumerate(items):
            yield ("[" if index == 0 else ",") + inner + write(item, inner)
            empty = False
        yield "[]" if empty else newline + "]"
    yield rest + "\n"


def _joined(value: Any, newline: str) -> str:
    return "".join(_indented(value, newline))


def _finding_text(finding: Finding, newline: str) -> str:
    """_joined(finding_dict(finding), newline), written with one format: findings are nearly
    all of a report, and the general walk took 40 ms of a corpus run's serial tail for them.
    tests/test_report_formats.py holds the two to the same text."""
    inner = newline + "  "
    deeper = inner + "  "
    fix = finding.fix
    return (f'{{{inner}"rule": {_atom(finding.rule, inner)},{inner}"severity": {_atom(str(finding.severity), inner)},'
            f'{inner}"message": {_atom(finding.message, inner)},{inner}"file": {_atom(finding.file, inner)},'
            f'{inner}"line": {_atom(finding.line, inner)},{inner}"column": {_atom(finding.column, inner)},'
            f'{inner}"endLine": {_atom(finding.end_line, inner)},{inner}"endColumn": {_atom(finding.end_column, inner)},'
            f'{inner}"path": {_atom(finding.path, inner)},{inner}"document": {_atom(finding.document, inner)},'
            f'{inner}"object": {{{deeper}"apiVersion": {_atom(finding.api_version, deeper)},'
            f'{deeper}"kind": {_atom(finding.kind, deeper)},{deeper}"namespace": {_atom(finding.namespace, deeper)},'
            f'{deeper}"name": {_atom(finding.name, deeper)}{inner}}}'
            + ("" if fix is None else f',{inner}"fix": {_joined(fix.as_dict(), inner)}')
            + f"{newline}}}")


def _atom(value: Any, newline: str) -> str:
    """A string, number or null as _indented writes it (anything else through it)."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _joined(value, newline)


# json.dumps(report, indent=2, ensure_ascii=False), byte for byte, at a third of the time: with an
# indent, json encodes in pure Python, and a corpus report (3,700 findings) took 0.1 s of the
# run's serial tail. Strings still go through json's C encoder.
_STRING = json.encoder.encode_basestring


def _indented(value: Any, newline: str) -> list[str]:
    """The parts of `value` as json.dumps writes it with indent=2; `newline` is a line break
    and the indent of the line `value` starts on."""
    kind = type(value)
    if kind is str:
        return [_STRING(value)]
    if value is None:
        return ["null"]
    if value is True:
        return ["true"]
    if value is False:
        return ["false"]
    if kind is int:
        return [int.__repr__(value)]
    if kind is dict:
        if not value:
            return ["{}"]
        inner = newline + "  "
        parts = ["{"]
        first = True
        for key, item in value.items():
            if type(key) is not str:
                return [json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)]
            parts.append(inner if first else "," + inner)
            first = False
            parts.append(_STRING(key))
            parts.append(": ")
            parts += _indented(item, inner)
        parts.append(newline + "}")
        return parts
    if kind is list:
        if not value:
            return ["[]"]
        inner = newline + "  "
        parts = ["["]
        for index, item in enumerate(value):
            parts.append("," + inner if index else inner)
            parts.append("".join(_indented(item, inner)))  # a string an item: 20,000 findings stay small
        parts.append(newline + "]")
        return parts
    return [json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)]  # floats, tuples
