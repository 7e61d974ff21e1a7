"""Kubernetes versions kubelint can target: those whose schemas ship with kubernetes-validate.

Found by listing the package's data directory, without importing it (its import pulls in
jsonschema, which costs a pre-commit run ~0.2 s).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

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


def default_version() -> tuple[int, int]:
    return supported_versions()[-1]


def format_version(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


# What clusters report: `v1.29.3`, `v1.29.3+k3s1`, `v1.29.3-eks-adc7111`, `1.29.3-gke.100`.
# Numbers without leading zeros, as semantic versions have them: `1.029` is a typo, not 1.29.
_VERSION = re.compile(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(?:0|[1-9]\d*)(?:[-+][0-9A-Za-z.+-]*)?)?")


def parse_version(text: str) -> tuple[int, int]:
    """`1.29`, `v1.29`, `1.29.3` and a cluster's `v1.29.3+k3s1` all mean 1.29.

    Raises ValueError whose message says which versions ship and what to do instead.
    """
    raw = str(text).strip()
    supported = supported_versions()
    span = f"{format_version(supported[0])} to {format_version(supported[-1])}"
    if not raw:
        raise ValueError(f"no version given; use one of {span}, e.g. {format_version(supported[-1])}")
    match = _VERSION.fullmatch(raw)
    if not match:
        raise ValueError(f"not a Kubernetes version: {text!r}; write it as 1.29, v1.29 or 1.29.3 "
                         f"(kubelint ships {span})")
    version = (int(match.group(1)), int(match.group(2)))
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
