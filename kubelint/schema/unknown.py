"""What to say about an apiVersion/kind that has no schema.

For a group of Kubernetes itself, no schema means the API server has no such resource: a
misspelt kind, or a version that does not serve it (removed, or never existed). That is an
error, with the fix. For any other group it is most likely a custom resource whose CRD is not
in the input: a warning that validation was skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from kubelint.kube.groups import group_of
from kubelint.kube.kustomize import is_patch_directive
from kubelint.kube.lifecycle import all_removals, lifecycle, successor
from kubelint.kube.versions import format_version, version_priority
from kubelint.model import Hit
from kubelint.schema.crd import CustomKind
from kubelint.suggest import closest

SCHEMA_INVALID = "schema-invalid"
UNKNOWN_KIND = "unknown-kind"
_HINT = "add its CustomResourceDefinition to the input or pass --schema-dir"
# The apiVersion of kustomize's builtin transformer and generator configs (`transformers:`).
KUSTOMIZE_BUILTIN = "builtin"


def is_patch_directive_hit(rule_id: str, hit: Hit) -> bool:
    """An unknown-field hit on a strategic-merge directive (`$patch: delete`, `$retainKeys`,
    `$setElementOrder/containers`): valid in a patch. The embedded schemas accept them already
    (patches.py); a CRD's schema (crd.py) does not, so a patch of a custom resource needs this."""
    return rule_id == "unknown-field" and bool(hit.path) and is_patch_directive(hit.path[-1])


def builtin(api_version: str, kind: str, served: dict[str, tuple[str, ...]],
            target: tuple[int, int]) -> tuple[str, Hit]:
    """A built-in group without this apiVersion/kind: what the API server would say, and the fix."""
    if api_version == KUSTOMIZE_BUILTIN:
        return UNKNOWN_KIND, _hit("apiVersion", f"apiVersion builtin: a kustomize {kind} config, read by "
                                                "kustomize and never sent to the API server: validation skipped")
    gone = _removed(api_version, kind, target)
    if gone is not None:
        return SCHEMA_INVALID, _hit("apiVersion", gone)
    here = served.get(api_version, ())
    guess = closest(kind, here)
    if guess:
        return SCHEMA_INVALID, _hit("kind", f"{api_version} has no kind {kind}; did you mean {guess}?")
    version = format_version(target)
    serving = sorted((api for api, kinds in served.items() if kind in kinds), key=version_priority)
    if serving:
        return SCHEMA_INVALID, _hit("apiVersion", f"no apiVersion {api_version} serves {kind} in "
                                                  f"Kubernetes {version}; use {' or '.join(serving[:3])}")
    removal = _last_removal(kind, target)
    if removal is not None:
        text = (f"{api_version} has no kind {kind} in Kubernetes {version}: {removal['apiVersion']} {kind} "
                f"was removed in Kubernetes {format_version(removal['removedIn'])}")
        if removal.get("note"):
            text += f". {str(removal['note']).rstrip('.')}"
        return SCHEMA_INVALID, _hit("kind", text)
    if here:
        return SCHEMA_INVALID, _hit("kind", f"{api_version} has no kind {kind} in Kubernetes {version}")
    group = group_of(api_version)
    others = sorted((api for api in served if group_of(api) == group), key=version_priority)
    text = f"Kubernetes {version} does not serve {api_version}"
    if others:
        text += f"; the {group or 'core'} group serves {', '.join(others)}"
    return SCHEMA_INVALID, _hit("apiVersion", text)


def _removed(api_version: str, kind: str, target: tuple[int, int]) -> str | None:
    """What removed-api would say, for runs where it is off (--schema-only): the kind was
    served by this apiVersion once, so no did-you-mean may send the user elsewhere."""
    entry = lifecycle(api_version, kind)
    if entry is None or entry["removedIn"] is None or target < entry["removedIn"]:
        return None
    removed, last = entry["removedIn"], entry["lastServed"]
    text = (f"{api_version} {kind} is no longer served since Kubernetes {format_version(removed)}"
            f" (last served by {format_version(last)}; target {format_version(target)})")
    replacement, new_kind = successor(entry, target)
    if replacement:
        text += f"; use {replacement}" + (f" {new_kind}" if new_kind != kind else "")
    return text


@functools.cache
def _removals() -> tuple[dict[str, Any], ...]:
    """Every removed built-in apiVersion/kind, derived from the schemas or from the table."""
    try:
        return tuple(all_removals())
    except (OSError, ValueError):
        return ()


def _last_removal(kind: str, target: tuple[int, int]) -> dict[str, Any] | None:
    """The last apiVersion that served `kind` before `target` dropped it, if it is known."""
    gone = [e for e in _removals() if e.get("kind") == kind and e["removedIn"] <= target]
    return max(gone, key=lambda e: e["removedIn"]) if gone else None


def custom(api_version: str, kind: str, known: Sequence[CustomKind]) -> tuple[str, Hit]:
    """A custom resource that no CRD or schema directory covers."""
    group, version = group_of(api_version), api_version.rsplit("/", 1)[-1]
    same_kind = [k for k in known if k.group == group and k.kind == kind]
    if same_kind:
        versions = ", ".join(sorted({k.version for k in same_kind}, key=version_priority))
        return SCHEMA_INVALID, _hit("apiVersion", f"CRD {same_kind[0].crd_name} does not serve "
                                                  f"{version} of {kind} (it serves {versions})")
    guess = closest(kind, {k.kind for k in known if k.group == group})
    if guess:
        return UNKNOWN_KIND, _hit("kind", f"no schema for {api_version} {kind}; did you mean {guess}? "
                                          "Validation skipped")
    return UNKNOWN_KIND, _hit("kind", f"no schema for {api_version} {kind}: validation skipped; {_HINT}")


def unusable(api_version: str, kind: str, origin: str, problem: str) -> tuple[str, Hit]:
    return UNKNOWN_KIND, _hit("kind", f"cannot use the schema for {api_version} {kind} ({origin}): "
                                      f"{problem}; validation skipped")


def _hit(field: str, text: str) -> Hit:
    return Hit((field,), {"detail": text}, at="value")
