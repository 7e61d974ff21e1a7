"""The JSON report: a stable contract for editors and CI (schemas/report.schema.json).

No timings go into it, so the same input always gives byte-identical output.
"""

from __future__ import annotations

import json
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
    stream.write(to_text(result, context.kubernetes_version, context.show_suppressed))


def to_text(result: RunResult, kubernetes_version: str, show_suppressed: bool = False) -> str:
    report = {
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
        "findings": [finding_dict(f) for f in result.findings],
    }
    if show_suppressed:
        report["suppressed"] = [{**finding_dict(s.finding), "suppressedBy": s.mechanism, "reason": s.reason}
                                for s in result.suppressed]
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
