"""SARIF 2.1.0 that code-scanning services read as written.

Paths go out as percent-encoded URIs relative to `%SRCROOT%` (the directory kubelint ran in),
because GitHub resolves a relative URI against the checkout and drops what it cannot place.
Columns are counted in code points, as the parser counts them, and `columnKind` says so.
Each result carries a fingerprint made without its line, so a finding keeps its identity
(and its dismissal) when lines move above it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from kubelint._version import __version__
from kubelint.model import RunResult, Severity
from kubelint.report import ReportContext
from kubelint.report.identity import fingerprints, relative_path
from kubelint.report.json_report import ITEMS, stream_json

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/kubelint/kubelint"
RULES_DOC_URI = INFO_URI + "/blob/main/docs/rules.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "kubelint/v1"


def artifact_location(file: str, root: str) -> dict[str, str]:
    """A relative, percent-encoded URI under %SRCROOT%; an absolute file URI outside it."""
    path = relative_path(file, root)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def rule_entry(rule: Any, rule_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": rule_id, "helpUri": f"{RULES_DOC_URI}#{rule_id}"}
    if rule is None:  # a finding of a rule the run does not know (a hand-made result)
        return entry
    entry["shortDescription"] = {"text": rule.summary or rule_id}
    help_text = " ".join(str(rule.docs.get(k, "")).strip() for k in ("what", "why", "fix")).strip()
    if help_text:
        entry["fullDescription"] = {"text": help_text}
    entry["defaultConfiguration"] = {"level": _LEVEL[rule.severity]}
    # GitHub ranks a rule as a security alert by the tag "security", which the security
    # category already gives; SARIF requires the tags to be unique, so each goes in once.
    tags = ["security"] if rule.category == "security" else []
    tags += ["kubernetes", rule.category]
    if rule.pss.get("level"):
        tags.append(f"pss-{rule.pss['level']}")
    entry["properties"] = {"tags": list(dict.fromkeys(tags))}
    return entry


def render(result: RunResult, context: ReportContext, stream: IO[str]) -> None:
    catalog = context.rules_of(result)
    used = sorted({f.rule for f in result.findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules = [rule_entry(catalog.get(rule_id), rule_id) for rule_id in used]
    prints = fingerprints(result.findings, context.root)

    def results() -> Iterator[dict[str, Any]]:
        for f, fingerprint in zip(result.findings, prints, strict=True):
            region = {"startLine": f.line, "startColumn": f.column,
                      "endLine": max(f.end_line, f.line),
                      "endColumn": f.end_column if f.end_line > f.line else max(f.end_column, f.column)}
            location: dict[str, Any] = {"physicalLocation": {
                "artifactLocation": artifact_location(f.file, context.root),
                "region": region,
            }}
            if f.path:
                location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
            yield {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {FINGERPRINT: fingerprint},
            }

    root_uri = Path(os.path.abspath(context.root)).as_uri().rstrip("/") + "/"
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kubelint", "version": __version__,
                                "informationUri": INFO_URI, "rules": rules}},
            "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "properties": {"kubernetesVersion": context.kubernetes_version},
            "results": ITEMS,  # written a result at a time
        }],
    }
    for piece in stream_json(log, {ITEMS: results()}):
        stream.write(piece)
