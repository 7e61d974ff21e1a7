"""Findings as LSP diagnostics: the rule id as `code`, linking its docs, at the finding's span."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from kubelint.model import Finding, Severity
from kubelint.report.sarif import RULES_DOC_URI  # the one docs address every report links
from kubelint.server.positions import LineIndex

SOURCE = "kubelint"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def rule_url(rule: str) -> str:
    return f"{RULES_DOC_URI}#{rule}"


def finding_range(index: LineIndex, finding: Finding) -> types.Range:
    return index.to_range(finding.line, finding.column, finding.end_line, finding.end_column)


def to_diagnostic(index: LineIndex, finding: Finding) -> types.Diagnostic:
    diagnostic = types.Diagnostic(
        range=finding_range(index, finding),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE,
        # What the code actions need to find the finding again, whatever the client kept.
        data={"rule": finding.rule, "line": finding.line, "column": finding.column,
              "path": finding.path, "document": finding.document},
    )
    if finding.rule != "config-error":
        diagnostic.code_description = types.CodeDescription(href=rule_url(finding.rule))
    if finding.rule == "unused-suppression":
        diagnostic.tags = [types.DiagnosticTag.Unnecessary]
    elif finding.rule == "deprecated-api":
        diagnostic.tags = [types.DiagnosticTag.Deprecated]
    return diagnostic


def to_diagnostics(index: LineIndex, findings: Sequence[Finding]) -> list[types.Diagnostic]:
    return [to_diagnostic(index, f) for f in findings]
