"""Kubernetes versions kubelint can target: those whose schemas ship with kubernetes-validate.

Found by listing the package's data directory, without importing it (its import pulls in
jsonschema, which costs a pre-commit run ~0.2 s).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from typing import Any

from kubelint.lazypattern import LazyPattern

_DIR_NAME = re.compile(r"^v(\d+)\.(\d+)\.\d+-local(-strict)?$")


@functools.cache
def schema_root() -> str | None:
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = os.path.join(location, "kubernetes-json-schema")
        if os.path.isdir(candidate):
            return candidate
    return None


@functools.cache
def schema_dirs() -> dict[tuple[tuple[int, int], bool], str]:
    """(version, strict) → the directory of that version's schemas, plain or strict."""
    root = schema_root()
    found: dict[tuple[tuple[int, int], bool], str] = {}
    if root:
        for name in sorted(os.listdir(root)):
            match = _DIR_NAME.match(name)
            if match:
                version = (int(match.group(1)), int(match.group(2)))
                found[(version, bool(match.group(3)))] = os.path.join(root, name)
    return found


@functools.cache
def supported_versions() -> tuple[tuple[int, int], ...]:
    found = {version for version, strict in schema_dirs() if not strict}
    return tuple(sorted(found)) or ((1, 37),)


# ---------------------------------------------------------------- what the shipped schemas serve

GVK = "x-kubernetes-group-version-kind"


@functools.cache
def version_dir(version: tuple[int, int], strict: bool) -> str | None:
    """The directory of the schemas of one Kubernetes version, strict or plain."""
    return schema_dirs().get((version, strict))


def read_json(path: str) -> Any:
    import json  # here: a run that finds its schemas in the disk cache never imports it

    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def definitions(directory: str) -> dict[str, Any]:
    """Every definition of `_definitions.json`; empty if the file cannot be read."""
    try:
        data = read_json(os.path.join(directory, "_definitions.json"))
    except (OSError, ValueError):
        return {}
    defs = data.get("$defs") if isinstance(data, dict) else None
    return defs if isinstance(defs, dict) else {}


@functools.cache
def served_kinds(directory: str) -> dict[str, tuple[str, ...]]:
    """apiVersion → the kinds it serves, from the definitions' group-version-kind tags.

    Read back from the schema cache (kubelint/cache.py): working it out parses the whole
    1.4 MB `_definitions.json` (~7 ms), which an unknown kind or an API migration's fix is
    otherwise the only reason to read."""
    from kubelint import cache

    found = cache.cached("served", [os.path.join(directory, "_definitions.json")],
                         functools.partial(_served_kinds, directory))
    return {api: tuple(kinds) for api, kinds in found.items()}


def _served_kinds(directory: str) -> dict[str, list[str]]:
    served: dict[str, set[str]] = {}
    for definition in definitions(directory).values():
        tags = definition.get(GVK) if isinstance(definition, dict) else None
        # DeleteOptions and WatchEvent are tagged with every group; they are not resources.
        if not isinstance(tags, list) or len(tags) > 1:
            continue
        for tag in tags:
            group, version, kind = tag.get("group", ""), tag.get("version", ""), tag.get("kind", "")
            api_version = f"{group}/{version}" if group else version
            served.setdefault(api_version, set()).add(kind)
    return {api: sorted(kinds) for api, kinds in sorted(served.items())}


def default_version() -> tuple[int, int]:
    return supported_versions()[-1]


def format_version(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


# What clusters report: `v1.29.3`, `v1.29.3+k3s1`, `v1.29.3-eks-adc7111`, `1.29.3-gke.100`.
# Numbers without leading zeros, as semantic versions have them: `1.029` is a typo, not 1.29.
_VERSION = LazyPattern(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(?:0|[1-9]\d*)(?:[-+][0-9A-Za-z.+-]*)?)?")


def release(text: Any) -> tuple[int, int] | None:
    """A release as kubelint's own tables write it (`1.22`, `v1.25`): (1, 22); None for none.

    The one reading of a release number, shared by the tables and by parse_version, which
    adds what a person typing one needs to hear. Raises ValueError for what is no version.
    """
    if text is None or text == "":
        return None
    match = _VERSION.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"not a Kubernetes version: {text!r}")
    return int(match.group(1)), int(match.group(2))


# An API version's own version: v1, v2beta1, v1alpha3.
_API_VERSION_PARTS = LazyPattern(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(api_version: str) -> tuple[int, int, int]:
    """Kubernetes' preference among API versions: GA before beta before alpha, newer first."""
    match = _API_VERSION_PARTS.match(api_version.rsplit("/", 1)[-1])
    if not match:
        return (3, 0, 0)
    stability = {None: 0, "beta": 1, "alpha": 2}[match.group(2)]
    return (stability, -int(match.group(1)), -int(match.group(3) or 0))


def parse_version(text: str) -> tuple[int, int]:
    """`1.29`, `v1.29`, `1.29.3` and a cluster's `v1.29.3+k3s1` all mean 1.29.

    Raises ValueError whose message says which versions ship and what to do instead.
    """
    raw = str(text).strip()
    supported = supported_versions()
    span = f"{format_version(supported[0])} to {format_version(supported[-1])}"
    if not raw:
        raise ValueError(f"no version given; use one of {span}, e.g. {format_version(supported[-1])}")
    try:
        version = release(raw)
    except ValueError:
        raise ValueError(f"not a Kubernetes version: {text!r}; write it as 1.29, v1.29 or 1.29.3 "
                         f"(kubelint ships {span})") from None
    assert version is not None  # raw is not empty
    if version in supported:
        return version
    shown = format_version(version)
    if version > supported[-1]:
        advice = (f"it is newer than the schemas this kubelint ships ({span}): upgrade kubelint, "
                  f"or target {format_version(supported[-1])} meanwhile")
    elif version < supported[0]:
        advice = (f"its schemas are older than any this kubelint ships ({span}): target "
                  f"{format_version(supported[0])}, the oldest, which still reports the APIs "
                  "removed since then")
    else:
        listing = ", ".join(format_version(v) for v in supported)
        advice = f"this kubelint ships {listing}"
    raise ValueError(f"Kubernetes {shown} is not supported: {advice}")
