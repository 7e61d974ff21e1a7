"""API lifecycle: apiVersions that a Kubernetes version no longer serves or has deprecated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckContext, Hit
from kubelint.kube.deprecations import lifecycle_table, version
from kubelint.model import FieldPath

_version = version


def _v(version: tuple[int, int] | None) -> str:
    return f"{version[0]}.{version[1]}" if version else "?"


def _successor(entry: dict[str, Any], target: tuple[int, int]) -> tuple[str | None, str]:
    """The apiVersion to move to: follow replacements that are themselves gone in `target`."""
    table = lifecycle_table()
    kind = entry.get("replacementKind") or entry["kind"]
    replacement = entry.get("replacement")
    seen = {(entry["apiVersion"], entry["kind"])}
    while replacement and (replacement, kind) not in seen:
        seen.add((replacement, kind))
        nxt = table.get((replacement, kind))
        removed = _version(nxt.get("removedIn")) if nxt else None
        if not nxt or not removed or target < removed or not nxt.get("replacement"):
            break
        replacement, kind = nxt["replacement"], nxt.get("replacementKind") or kind
    return replacement, kind


def api_lifecycle(ctx: CheckContext, obj: Any, path: FieldPath,
                  params: dict[str, Any]) -> Iterator[Hit]:
    api_version, kind = ctx.document.api_version, ctx.document.kind
    if not api_version or not kind:
        return
    entry = lifecycle_table().get((api_version, kind))
    if entry is None:
        return
    target = ctx.kubernetes_version
    removed = _version(entry.get("removedIn"))
    deprecated = _version(entry.get("deprecatedIn"))
    replacement, new_kind = _successor(entry, target)
    replacement_entry = lifecycle_table().get((replacement or "", new_kind))
    available = entry.get("replacementAvailableIn")
    if replacement != entry.get("replacement") and replacement_entry is None:
        available = None
    values = {
        "api_version": api_version,
        "kind": kind,
        "removed_in": _v(removed),
        "deprecated_in": _v(deprecated),
        "replacement": f"{replacement} {new_kind}" if new_kind != kind else (replacement or ""),
        "available": f" (served since Kubernetes {_v(_version(available))})" if available else "",
        "target": _v(target),
        "note": f" Note: {entry['note'].rstrip('.')}." if entry.get("note") else "",
    }
    status = params.get("status")
    if status == "removed" and removed and target >= removed:
        yield Hit(("apiVersion",), values, "default" if replacement else "no-replacement")
    elif (status == "deprecated" and deprecated and target >= deprecated
          and not (removed and target >= removed)):
        if not replacement:
            variant = "no-replacement"
        elif removed:
            variant = "default"
        else:
            variant = "not-scheduled"
        yield Hit(("apiVersion",), values, variant)
