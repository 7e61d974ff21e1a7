"""A disk cache of bundled per-kind schemas, so that a one-file run skips `_definitions.json`.

Why: a pre-commit run checks a file or two, yet building even one kind's bundle means parsing
the 1.4 MB `_definitions.json` shared by all kinds (~17 ms) and walking it. The bundle itself
is 16-200 KB and reads in about a millisecond. The cache holds only what kubelint would build
anyway from the schemas that ship with it, so it changes no result; the key covers kubelint's
version, the schema files' sizes and times, and the patching code, so an upgrade never reads a
stale bundle. Any failure (no home, read-only disk, a damaged file) means building as before.

Where: $KUBELINT_CACHE_DIR, else $XDG_CACHE_HOME/kubelint, else ~/.cache/kubelint.
KUBELINT_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from typing import Any

from kubelint import __version__

_CODE = tuple(os.path.join(os.path.dirname(__file__), name) for name in ("patches.py", "store.py", "cache.py"))


def directory() -> str | None:
    if os.environ.get("KUBELINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("KUBELINT_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, "bundles")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if base.startswith("~"):
        return None  # no home directory to expand
    return os.path.join(base, "kubelint", "bundles")


def _stamp(path: str) -> str:
    info = os.stat(path)
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def cached(files: list[str], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`build()`, or what it returned before for the same `files` and the same kubelint."""
    folder = directory()
    if folder is None:
        return build()
    try:
        stamps = [__version__, *(_stamp(p) for p in files), *(_stamp(p) for p in _CODE)]
    except OSError:
        return build()
    # Readable names, and a checksum of the stamps (hashlib alone takes 4 ms to import).
    data = "\n".join(stamps).encode("utf-8", "surrogateescape")
    key = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    names = [os.path.basename(os.path.dirname(files[0])), os.path.basename(files[0])]
    path = os.path.join(folder, "-".join([*names, key]) + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict):
            return data
    except (OSError, ValueError):
        pass
    schema = build()
    try:
        text = json.dumps(schema, ensure_ascii=False, allow_nan=False)
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)  # atomic: a parallel run reads the old file or the new one
    except (OSError, TypeError, ValueError):
        pass
    return schema
