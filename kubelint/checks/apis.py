"""API lifecycle: apiVersions that a Kubernetes version no longer serves or has deprecated.

The facts come from kubelint/kube/lifecycle.py (the shipped schemas merged with the hand table);
this module only decides which finding a document gets at its target version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckContext, Hit
from kubelint.checks.run.file_index import file_index
from kubelint.kube.groups import group_of, is_builtin_group
from kubelint.kube.lifecycle import available_since, custom_resource, lifecycle, successor
from kubelint.model import FieldPath


def _v(version: tuple[int, int] | None) -> str:
    return f"{version[0]}.{version[1]}" if version else "?"


def api_lifecycle(ctx: CheckContext, obj: Any, path: FieldPath,
                  params: dict[str, Any]) -> Iterator[Hit]:
    api_version, kind = ctx.document.api_version, ctx.document.kind
    if not api_version or not kind:
        return
    if not is_builtin_group(api_version):
        if params.get("status") == "deprecated":
            yield from _custom(ctx, api_version, kind)
        return
    entry = lifecycle(api_version, kind)
    if entry is None:
        return
    target = ctx.kubernetes_version
    removed, deprecated = entry["removedIn"], entry["deprecatedIn"]
    replacement, new_kind = successor(entry, target)
    available = available_since(replacement, new_kind, entry) if replacement else None
    values = {
        "api_version": api_version,
        "kind": kind,
        "removed_in": _v(removed),
        "last_served": _v(entry["lastServed"]),
        "deprecated_in": _v(deprecated),
        "replacement": f"{replacement} {new_kind}" if new_kind != kind else (replacement or ""),
        "available": f" (served since Kubernetes {_v(available)})" if available and available > (1, 0) else "",
        "target": _v(target),
        "note": f" Note: {entry['note'].rstrip('.')}." if entry.get("note") else "",
    }
    status = params.get("status")
    gone = removed is not None and target >= removed
    if status == "removed" and gone:
        yield Hit(("apiVersion",), values, "default" if replacement else "no-replacement")
    elif status == "deprecated" and not gone:
        if deprecated is not None and target >= deprecated:
            variant = "no-replacement" if not replacement else "default" if removed else "not-scheduled"
            yield Hit(("apiVersion",), values, variant)
        elif deprecated is None and removed is not None and entry["derived"]:
            # An alpha that the schemas show removed in a later release: no deprecation
            # period is promised, so the removal is the news.
            yield Hit(("apiVersion",), values, "scheduled" if replacement else "scheduled-no-replacement")


def _custom(ctx: CheckContext, api_version: str, kind: str) -> Iterator[Hit]:
    """A well-known custom resource version its project dropped, unless a CRD here serves it."""
    entry = custom_resource(api_version, kind)
    if entry is None or _crd_decides(ctx, api_version, kind):
        return
    replacement = entry.get("replacement") or ""
    yield Hit(("apiVersion",), {
        "api_version": api_version, "kind": kind, "project": entry.get("project", group_of(api_version)),
        "removed_in": str(entry.get("removedIn", "?")), "replacement": replacement,
        "note": f" Note: {str(entry['note']).rstrip('.')}." if entry.get("note") else "",
    }, "custom" if replacement else "custom-no-replacement")


def _crd_decides(ctx: CheckContext, api_version: str, kind: str) -> bool:
    """Whether a CRD in the linted documents defines this kind: it says what is served."""
    return file_index(ctx.documents).defines_kind(group_of(api_version), kind)
