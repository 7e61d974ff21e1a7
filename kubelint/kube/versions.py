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


def parse_version(text: str) -> tuple[int, int]:
    """`1.29`, `v1.29` and `1.29.3` all mean 1.29; raises ValueError with the supported list."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", str(text).strip())
    supported = supported_versions()
    listing = ", ".join(format_version(v) for v in supported)
    if not match:
        raise ValueError(f"not a Kubernetes version: {text!r} (supported: {listing})")
    version = (int(match.group(1)), int(match.group(2)))
    if version not in supported:
        raise ValueError(f"Kubernetes {format_version(version)} is not supported "
                         f"(supported: {listing})")
    return version
