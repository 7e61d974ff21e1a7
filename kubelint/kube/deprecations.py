"""The API lifecycle table (deprecations.yaml beside this file): one reader for every user."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from kubelint.resources import load_yaml_data

TABLE = Path(__file__).resolve().parent / "deprecations.yaml"


@functools.cache
def lifecycle_table() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) → its entry: deprecatedIn, removedIn, replacement, …"""
    data = load_yaml_data(TABLE)
    entries = data.get("apis") if isinstance(data, dict) else None
    return {(e["apiVersion"], e["kind"]): e for e in entries or ()
            if isinstance(e, dict) and "apiVersion" in e and "kind" in e}


def version(text: Any) -> tuple[int, int] | None:
    """"1.22" → (1, 22); None for a missing value."""
    if text in (None, ""):
        return None
    major, minor = str(text).lstrip("v").split(".")[:2]
    return int(major), int(minor)
