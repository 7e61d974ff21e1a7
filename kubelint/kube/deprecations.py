"""The hand-kept API lifecycle table (deprecations.yaml beside this file): one reader for every user.

lifecycle.py merges it with what the shipped schemas show; read that, not this, for answers.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from kubelint.kube.versions import release
from kubelint.resources import load_yaml_data

TABLE = Path(__file__).resolve().parent / "deprecations.yaml"


def _data() -> dict[str, Any]:
    """Read through the disk cache; each table below keeps its own result."""
    data = load_yaml_data(TABLE)
    return data if isinstance(data, dict) else {}


@functools.cache
def lifecycle_table() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) → its entry: deprecatedIn, removedIn, replacement, …"""
    entries = _data().get("apis")
    return {(e["apiVersion"], e["kind"]): e for e in entries or ()
            if isinstance(e, dict) and "apiVersion" in e and "kind" in e}


@functools.cache
def custom_table() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind or "*") → a well-known custom resource version its project dropped."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in _data().get("customResources") or ():
        if not isinstance(entry, dict) or "apiVersion" not in entry:
            continue
        for kind in entry.get("kinds") or ["*"]:
            out[(entry["apiVersion"], kind)] = entry
    return out


def clear() -> None:
    for cached in (lifecycle_table, custom_table):
        cached.cache_clear()


def version(text: Any) -> tuple[int, int] | None:
    """"1.22" → (1, 22); None for a missing value (kube/versions.py reads them all)."""
    return release(text)
