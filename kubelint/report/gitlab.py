"""GitLab Code Quality: a JSON array of issues that the merge request widget compares.

GitLab tells new issues from old ones by `fingerprint`, so it is made without the line (see
identity.py): an issue whose lines move stays the same issue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from kubelint.model import RunResult, Severity
from kubelint.report import ReportContext
from kubelint.report.identity import fingerprints, relative_path
from kubelint.report.json_report import ITEMS, stream_json

# GitLab's levels are info, minor, major, critical, blocker; an error breaks the deploy.
SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
# Code Climate's categories, by kubelint's rule category.
CATEGORY = {"security": "Security", "api": "Compatibility", "schema": "Bug Risk",
            "validity": "Bug Risk", "input": "Bug Risk", "reliability": "Bug Risk",
            "images": "Bug Risk", "resources": "Performance"}


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    catalog = context.rules_of(result)
    for piece in stream_json(ITEMS, {ITEMS: _issues(result, catalog, context.root)}):  # an issue at a time
        stream.write(piece)


def _issues(result: RunResult, catalog: Any, root: str) -> Iterator[dict[str, Any]]:
    for f, fingerprint in zip(result.findings, fingerprints(result.findings, root), strict=True):
        rule = catalog.get(f.rule)
        yield {
            "type": "issue",
            "check_name": f.rule,
            "description": f.message,
            "categories": [CATEGORY.get(rule.category if rule else "", "Style")],
            "severity": SEVERITY[f.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": relative_path(f.file, root),
                "lines": {"begin": f.line, "end": max(f.end_line, f.line)},
            },
        }
