"""Schema findings with one right answer: a scalar of the wrong type whose text says what was
meant (`replicas: "3"`, `value: 8080` for a string), and a misspelt field the schema names."""

from __future__ import annotations

import json
import re

from kubelint.fix.context import FixContext
from kubelint.fix.model import Fix, NoFix
from kubelint.kube.workloads import get_path

_TYPE = re.compile(r": expected ([a-z ]+?), got (string|integer|number|boolean)\b")
_SUGGESTION = re.compile(r"unknown field; did you mean ([A-Za-z0-9_.$-]+)\?")
_ENUM = re.compile(r'Unsupported value: "((?:[^"\\]|\\.)*)": supported values: .*; did you mean "([^"]+)"\?')
_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def retype_scalar(ctx: FixContext) -> Fix | NoFix | None:
    enum = _ENUM.search(ctx.finding.message)
    if enum is not None:
        return _enum_case(ctx, enum.group(1), enum.group(2))
    match = _TYPE.search(ctx.finding.message)
    if match is None or not ctx.path or not ctx.tree.exists(ctx.path) or ctx.tree.is_collection(ctx.path):
        return None
    expected, got = match.group(1).split(" or "), match.group(2)
    value = get_path(ctx.tree.doc.obj, ctx.path)
    start, end = ctx.tree.content_start(ctx.path), ctx.tree.value_range(ctx.path)[1]
    written = ctx.tree.text[start:end]
    if not written or written[0] in "*&!|>" or "\n" in written or "\r" in written:
        return None
    if got == "string" and "string" not in expected and isinstance(value, str):
        if "integer" in expected and _INTEGER.match(value):
            new = str(int(value))
        elif ("number" in expected and _NUMBER.match(value)) or ("boolean" in expected and value in ("true", "false")):
            new = value
        else:
            return None
        return ctx.fix(f"write {written} as the {expected[0]} {new}", [(start, end, new)])
    if got != "string" and expected == ["string"] and written[0] not in "'\"":
        new = json.dumps(written, ensure_ascii=False)
        return ctx.fix(f"quote {written} as the string {new}", [(start, end, new)])
    return None


def rename_unknown(ctx: FixContext) -> Fix | NoFix | None:
    match = _SUGGESTION.search(ctx.finding.message)
    if match is None or not ctx.path or not isinstance(ctx.path[-1], str):
        return None
    guess = match.group(1)
    parent = get_path(ctx.tree.doc.obj, ctx.path[:-1]) if ctx.path[:-1] else ctx.tree.doc.obj
    if not isinstance(parent, dict) or guess in parent:
        return NoFix(f"`{guess}` is set already") if isinstance(parent, dict) else None
    edit = ctx.tree.rename_key(ctx.path, guess)
    # The closest name is no rename when the value cannot be that field's: `serviceName: web`
    # is not `service: web` (an object), nor `port: 80` a list of `ports`. The schema of the
    # target version says what the new field holds; a value of another shape withholds the fix.
    renamed = ctx.path[:-1] + (guess,)
    value = parent.get(ctx.path[-1])
    if any(p.category == "type" and tuple(p.path) == renamed and _shape(value) not in _shapes(p.detail)
           for p in ctx.validate([edit])):
        return None
    # Unsafe: a suggestion is the closest name, not always the one meant.
    return ctx.fix(f"rename `{ctx.path[-1]}` to `{guess}`", [edit], safe=False)


def _shape(value: object) -> str:
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "scalar"


def _shapes(detail: str) -> set[str]:
    """The shapes (object, array, scalar) a type problem's `expected …` allows; none if unsaid.

    A scalar of another scalar type (`"7"` for an integer) still fits: the rename is right and
    the retype fix of the finding that follows it makes the value right."""
    match = _TYPE.search(detail) or re.search(r": expected ([a-z ]+?), got ", detail)
    if match is None:
        return set()
    return {t if t in ("object", "array") else "scalar" for t in match.group(1).split(" or ")}


def _enum_case(ctx: FixContext, written: str, allowed: str) -> Fix | None:
    """`protocol: tcp` → `TCP`: the allowed value that differs from the one written only in case."""
    value = get_path(ctx.tree.doc.obj, ctx.path) if ctx.path else None
    if not isinstance(value, str) or value.lower() != allowed.lower() or value == allowed \
            or not ctx.tree.exists(ctx.path) or ctx.tree.is_collection(ctx.path):
        return None
    return ctx.fix(f"write {value} as {allowed}", [ctx.tree.replace_scalar(ctx.path, allowed)])
