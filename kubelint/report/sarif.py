"""SARIF 2.1.0 for code-scanning services: every result with its real line and column."""

from __future__ import annotations

import json
from typing import Any

from kubelint import __version__
from kubelint.engine.rules import builtin_rules
from kubelint.engine.runner import RunResult
from kubelint.model import Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/kubelint/kubelint"


def _uri(path: str) -> str:
    return path.replace("\\", "/").removeprefix("./")


def render(result: RunResult, kubernetes_version: str) -> str:
    catalog = builtin_rules()
    used = sorted({f.rule for f in result.findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules: list[dict[str, Any]] = []
    for rule_id in used:
        rule = catalog.get(rule_id)
        entry: dict[str, Any] = {"id": rule_id}
        if rule:
            entry["shortDescription"] = {"text": rule.summary}
            help_text = " ".join(str(rule.docs.get(k, "")).strip() for k in ("what", "why", "fix")).strip()
            if help_text:
                entry["fullDescription"] = {"text": help_text}
            entry["defaultConfiguration"] = {"level": _LEVEL[rule.severity]}
            links = rule.docs.get("links") or []
            if links:
                entry["helpUri"] = links[0]
        rules.append(entry)
    results = []
    for f in result.findings:
        region = {"startLine": f.line, "startColumn": f.column,
                  "endLine": max(f.end_line, f.line),
                  "endColumn": f.end_column if f.end_line > f.line else max(f.end_column, f.column)}
        item: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.file)},
                "region": region,
            }}],
        }
        if f.path:
            item["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
        results.append(item)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kubelint", "version": __version__,
                                "informationUri": INFO_URI, "rules": rules}},
            "properties": {"kubernetesVersion": kubernetes_version},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
