"""What a list object is, the one answer every stage uses (runner, schema, CRD catalogs).

kubectl reads a document as a list when its kind ends in `List` and it has `items`, whatever
its apiVersion: `v1 List` (what `kubectl get -o yaml` writes) and typed lists such as an
`apps/v1 DeploymentList` alike, and applies each item as an object of its own. An item of a
typed list that names neither apiVersion nor kind takes the list's (a DeploymentList's items
are Deployments), as kubectl's decoder fills them in.

Before it flattens a list, kubectl maps the list's own apiVersion and kind (a
`FooList` is mappable wherever `Foo` is served), so a typed list in an API group is also an
API type of its own: an `extensions/v1beta1 IngressList` is refused, empty or not. Such a list
is linted as that type (removed-api speaks for its apiVersion, and its schema covers its
items); expanding it as well would report each item's schema errors twice. Lists of the core
`v1` group, never removed, stand for their items alone.
"""

from __future__ import annotations

from typing import Any

LIST_SUFFIX = "List"
_CORE = "v1"


def is_list(obj: Any) -> bool:
    """Whether kubectl reads `obj` as a list of objects (it needs no name of its own)."""
    if not isinstance(obj, dict):
        return False
    kind = obj.get("kind")
    return isinstance(kind, str) and kind.endswith(LIST_SUFFIX) and isinstance(obj.get("items"), list)


def list_items(obj: Any) -> list[Any] | None:
    """The items of a list object as kubectl reads them, or None for anything else."""
    if not is_list(obj):
        return None
    items: list[Any] = obj["items"]
    item_kind = obj["kind"][: -len(LIST_SUFFIX)]
    api_version = obj.get("apiVersion")
    if not item_kind or not isinstance(api_version, str) or not api_version:
        return items
    return [{**item, "apiVersion": api_version, "kind": item_kind} if _unnamed(item) else item
            for item in items]


def expanded_items(obj: Any) -> list[Any] | None:
    """The items a list stands for when it is linted as its items alone (a core v1 list), else None."""
    return list_items(obj) if isinstance(obj, dict) and obj.get("apiVersion") == _CORE else None


def _unnamed(item: Any) -> bool:
    """An item that says neither what it is nor in which API (empty counts as unsaid)."""
    return isinstance(item, dict) and item.get("apiVersion") in (None, "") and item.get("kind") in (None, "")
