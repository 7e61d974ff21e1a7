"""The JSON report's contract, field by field, as a Markdown table for the README.

Read from schemas/report.schema.json, so the documentation and the contract cannot disagree:
a test checks that the README holds exactly these rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kubelint.resources import data_dir


def _type(node: dict[str, Any]) -> str:
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " \\| ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type", "")
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _rows(node: dict[str, Any], prefix: str) -> Iterator[tuple[str, str, str]]:
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        yield path, _type(child), " ".join(str(child.get("description", "")).split())
        if child.get("type") == "object":
            yield from _rows(child, path + ".")
        elif child.get("type") == "array" and isinstance(child.get("items"), dict):
            yield from _rows(child["items"], path + "[].")


def table() -> str:
    schema = json.loads((data_dir("schemas") / "report.schema.json").read_text(encoding="utf-8"))
    lines = ["| field | type | meaning |", "|---|---|---|"]
    lines += [f"| `{path}` | {kind} | {text.replace('|', chr(92) + '|')} |" for path, kind, text in _rows(schema, "")]
    return "\n".join(lines) + "\n"
