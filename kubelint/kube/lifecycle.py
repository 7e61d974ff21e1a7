"""The API lifecycle: when each built-in apiVersion/kind is served, deprecated and removed.

Two sources, merged here for removed-api, deprecated-api and the schema's unknown-kind words:

- The shipped schemas (Kubernetes 1.25 to 1.37) say exactly which apiVersion/kinds each
  release serves. A kind that some release stops serving was removed there: no hand-kept
  table can drift from that. Reading thirteen `_definitions.json` files costs ~0.15 s, so the
  served ranges go through the disk cache like the schema bundles.
- deprecations.yaml keeps what the schemas cannot show: removals before 1.25, deprecation
  releases (from upstream's prerelease-lifecycle tags), removals announced for releases
  after the newest shipped one, replacements of another kind, and notes.

Where both speak of a removal inside the shipped range, the schemas win.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from kubelint import cache
from kubelint.kube import versions
from kubelint.kube.deprecations import custom_table, lifecycle_table
from kubelint.kube.groups import group_of
from kubelint.kube.versions import (
    schema_dirs,
    served_kinds,
    supported_versions,
    version_dir,
    version_priority,
)

Version = tuple[int, int]
# Kinds tagged in the schemas that are not resources: their presence says nothing.
_NOT_RESOURCES = frozenset({"Status", "DeleteOptions", "WatchEvent", "APIGroup", "APIGroupList",
                            "APIResourceList", "APIVersions"})


def _build_ranges(directories: list[tuple[Version, str]]) -> list[list[Any]]:
    ranges: dict[tuple[str, str], list[list[int]]] = {}
    for release, directory in directories:
        for api_version, kinds in served_kinds(directory).items():
            for kind in kinds:
                if kind in _NOT_RESOURCES:
                    continue
                span = ranges.setdefault((api_version, kind), [list(release), list(release)])
                span[1] = list(release)
    return [[api, kind, first, last] for (api, kind), (first, last) in sorted(ranges.items())]


@functools.cache
def served_ranges() -> dict[tuple[str, str], tuple[Version, Version]]:
    """(apiVersion, kind) → the first and last shipped release that serve it."""
    directories = sorted((release, path) for (release, strict), path in schema_dirs().items()
                         if not strict)
    files = [os.path.join(path, "_definitions.json") for _, path in directories]
    if not files:
        return {}
    files += [__file__, versions.__file__]  # the cache's key covers its own code, not this builder's
    rows = cache.cached("lifecycle", files, functools.partial(_build_ranges, directories))
    return {(api, kind): ((first[0], first[1]), (last[0], last[1])) for api, kind, first, last in rows}


def _bump(release: Version, minors: int = 1) -> Version:
    return (release[0], release[1] + minors)


def _hand_entry(api_version: str, kind: str) -> dict[str, Any] | None:
    """The table's entry; a `FooList` follows `Foo`, whose lifecycle it shares."""
    table = lifecycle_table()
    entry = table.get((api_version, kind))
    if entry is None and kind.endswith("List") and len(kind) > 4:
        base = table.get((api_version, kind[:-4]))
        if base is not None:
            entry = dict(base, kind=kind)
            if base.get("replacementKind"):
                entry["replacementKind"] = base["replacementKind"] + "List"
    return entry


@functools.cache
def lifecycle(api_version: str, kind: str) -> dict[str, Any] | None:
    """The merged lifecycle of a built-in apiVersion/kind, or None when nothing is known.

    Keys: deprecatedIn, removedIn, lastServed (versions or None), replacement (apiVersion or
    None), replacementKind, note, derived (whether the removal comes from the schemas)."""
    hand = _hand_entry(api_version, kind)
    span = served_ranges().get((api_version, kind))
    newest = supported_versions()[-1]
    entry: dict[str, Any] = {
        "apiVersion": api_version, "kind": kind,
        "deprecatedIn": versions.release(hand.get("deprecatedIn")) if hand else None,
        "removedIn": versions.release(hand.get("removedIn")) if hand else None,
        "replacement": hand.get("replacement") if hand else None,
        "replacementKind": (hand.get("replacementKind") if hand else None) or kind,
        "replacementAvailableIn": versions.release(hand.get("replacementAvailableIn")) if hand else None,
        "note": hand.get("note") if hand else None,
        "lastServed": None, "derived": False,
    }
    if span is not None and span[1] < newest:
        entry["removedIn"], entry["lastServed"], entry["derived"] = _bump(span[1]), span[1], True
    elif span is not None and entry["removedIn"] is not None and entry["removedIn"] <= newest:
        entry["removedIn"] = None  # still served by the newest schemas: the table was wrong
    if entry["removedIn"] is not None and entry["lastServed"] is None:
        entry["lastServed"] = (entry["removedIn"][0], entry["removedIn"][1] - 1)
    if hand is None and not entry["derived"]:
        return None
    return entry


def served_at(target: Version) -> dict[str, tuple[str, ...]]:
    directory = version_dir(target, False)
    return served_kinds(directory) if directory else {}


def successor(entry: dict[str, Any], target: Version) -> tuple[str | None, str]:
    """What to use instead at `target`: the same kind in another version of its group that
    `target` serves (GA first), else the table's replacement, followed while it is gone too."""
    api_version, kind = entry["apiVersion"], entry["replacementKind"]
    group = group_of(api_version)
    served = served_at(target)
    candidates = sorted((api for api, kinds in served.items()
                         if kind in kinds and group_of(api) == group and api != api_version),
                        key=version_priority)
    if candidates:
        return candidates[0], kind
    replacement = entry.get("replacement")
    seen = {(api_version, entry["kind"])}
    while replacement and (replacement, kind) not in seen:
        seen.add((replacement, kind))
        following = lifecycle(replacement, kind)
        removed = following.get("removedIn") if following else None
        if not following or not removed or target < removed or not following.get("replacement"):
            break
        replacement, kind = following["replacement"], following.get("replacementKind") or kind
    return replacement, kind


def available_since(api_version: str, kind: str, entry: dict[str, Any]) -> Version | None:
    """The first release serving the replacement, when the data says it."""
    span = served_ranges().get((api_version, kind))
    oldest = supported_versions()[0]
    if span is not None and span[0] > oldest:
        return span[0]
    if api_version == entry.get("replacement"):
        return entry.get("replacementAvailableIn")
    return None


def all_removals() -> list[dict[str, Any]]:
    """Every built-in apiVersion/kind with a known removal, derived or from the table."""
    keys = set(lifecycle_table()) | set(served_ranges())
    found = (lifecycle(api, kind) for api, kind in sorted(keys))
    return [e for e in found if e is not None and e.get("removedIn")]


def custom_resource(api_version: str, kind: str) -> dict[str, Any] | None:
    """The entry of a well-known custom resource version its project no longer serves."""
    return custom_table().get((api_version, kind)) or custom_table().get((api_version, "*"))
