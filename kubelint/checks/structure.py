"""Checks on the shape of an object: fields at the wrong level, required structure missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckContext, Hit
from kubelint.kube.groups import is_builtin_group
from kubelint.kube.workloads import get_path
from kubelint.model import FieldPath, format_path


def _path(text: str) -> FieldPath:
    return tuple(part for part in text.split(".") if part) if text else ()


def misplaced_field(ctx: CheckContext, obj: Any, path: FieldPath,
                    params: dict[str, Any]) -> Iterator[Hit]:
    """Fields that are valid one level up or down, found where they are not.

    The table of places lives in the rule's params: each entry names the kinds, the mapping
    it looks in (`at`), the fields it looks for and where each belongs. The first matching
    entry for a field wins, so a field is reported once.
    """
    kind = ctx.document.kind
    reported: set[FieldPath] = set()
    for kinds, builtin_only, at, fields, place in _places(params):
        if kinds is not None and kind not in kinds:
            continue
        if builtin_only and not is_builtin_group(ctx.document.api_version or ""):
            continue
        container = get_path(obj, at) if at else obj
        if not isinstance(container, dict):
            continue
        for name in fields:
            if name not in container:
                continue
            found = at + (name,)
            if found in reported:
                continue
            reported.add(found)
            belongs = place["belongs"].replace("{field}", name)
            yield Hit(found, {
                "field": name,
                "found": format_path(found),
                "belongs": belongs,
                "kind": kind or "object",
            }, place.get("message", "default"), at="key")


_Place = tuple[frozenset[str] | None, bool, FieldPath, list[str], dict[str, Any]]
_prepared: dict[int, tuple[dict[str, Any], list[_Place]]] = {}


def _places(params: dict[str, Any]) -> list[_Place]:
    """The table read once per rule, not once per document (it runs for every object)."""
    known = _prepared.get(id(params))
    if known is not None and known[0] is params:
        return known[1]
    places: list[_Place] = []
    for place in params.get("places", []):
        kinds = place.get("kinds", ["*"])
        places.append((None if "*" in kinds else frozenset(kinds), bool(place.get("builtin_only")),
                       _path(place.get("at", "")), list(place["fields"]), place))
    _prepared[id(params)] = (params, places)  # keeps params alive, so its id stays its own
    return places


def missing_selector(ctx: CheckContext, obj: Any, path: FieldPath,
                     params: dict[str, Any]) -> Iterator[Hit]:
    if ctx.document.api_version in params.get("defaulted_in", []):
        return  # older API versions defaulted the selector from the template's labels
    spec = obj.get("spec")
    if isinstance(spec, dict) and spec.get("selector") is not None:
        return
    labels = get_path(obj, ("spec", "template", "metadata", "labels"))
    if isinstance(labels, dict) and labels and all(isinstance(v, str) for v in labels.values()):
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(labels.items())[:3])
        example = f"selector: {{matchLabels: {{{shown}}}}}"
        variant = "default"
    else:
        example = "selector: {matchLabels: {app: <name>}}"
        variant = "no-labels"
    at = ("spec", "selector") if isinstance(spec, dict) else ("spec",)
    yield Hit(at, {"kind": ctx.document.kind, "example": example}, variant, at="key")
