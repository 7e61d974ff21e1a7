"""Hover text: the rule's documentation on a finding, the field's schema docs on a key or value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kubelint.model import Finding
from kubelint.server.context import Context
from kubelint.source import load_text

if TYPE_CHECKING:
    from kubelint.server.fields import SchemaRoot


def _at(finding: Finding, line: int, column: int) -> bool:
    start, end = (finding.line, finding.column), (finding.end_line, finding.end_column)
    if start == end:
        return start[0] == line
    return start <= (line, column) <= end


def rule_docs(context: Context, path: str, rule_id: str) -> str | None:
    """The rule's documentation, as docs/rules.md and `kubelint explain` give it."""
    from kubelint.engine.rules import all_rules
    from kubelint.report.catalog import _rule_section  # one rule's section of docs/rules.md

    try:
        rules = all_rules(context.options_for(path).rules_dirs)
    except Exception:
        from kubelint.engine.rules import builtin_rules

        rules = builtin_rules()
    rule = rules.get(rule_id)
    if rule is None:
        return None
    section = _rule_section(rule)
    if section and section[0].startswith("## "):
        section[0] = f"**{rule.id}**"  # a heading is too loud in a hover
    return "\n".join(section).strip()


def schema_for(context: Context, path: str, text: str, open_buffers: Mapping[str, str],
               api_version: str, kind: str) -> SchemaRoot | None:
    """The schema (with descriptions) of apiVersion/kind: shipped, or the CRD the lint would use."""
    from kubelint.server.fields import builtin_root, custom_root

    try:
        options = context.options_for(path)
    except Exception:
        from kubelint.options import Options

        options = Options()
    schema = builtin_root(api_version, kind, options.kubernetes_version, options.strict)
    if schema is None:
        crd = context.custom_definition(api_version, kind, path, text, open_buffers)
        if crd is not None:
            schema = custom_root(crd, api_version)
            if schema is not None:
                where = context.display_path(crd.file)
                schema = schema._replace(origin=f"{api_version} {kind}, from {schema.origin} in {where}")
    return schema


def field_docs(context: Context, path: str, text: str, open_buffers: Mapping[str, str],
               line: int, column: int) -> str | None:
    from kubelint.server.fields import field_at, field_doc

    cursor = field_at(load_text(text, path).documents, line, column)
    if cursor is None or not cursor.doc.api_version or not cursor.doc.kind:
        return None
    schema = schema_for(context, path, text, open_buffers, cursor.doc.api_version, cursor.doc.kind)
    doc = field_doc(schema, cursor.path) if schema is not None else None
    if doc is None:
        return None
    out = [f"**{doc.path}** `<{doc.type}>`", ""]
    if doc.description:
        out += [doc.description, ""]
    out.append(f"*{doc.origin}*")
    return "\n".join(out)


def hover_text(context: Context, path: str, text: str, open_buffers: Mapping[str, str],
               findings: Sequence[Finding], line: int, column: int) -> str | None:
    parts: list[str] = []
    seen: set[str] = set()
    for finding in findings:
        if _at(finding, line, column) and finding.rule not in seen:
            seen.add(finding.rule)
            docs = rule_docs(context, path, finding.rule)
            if docs:
                parts.append(docs)
    field = field_docs(context, path, text, open_buffers, line, column)
    if field:
        parts.append(field)
    return "\n\n---\n\n".join(parts) or None
