"""A disk cache of renderings, keyed by the content of what was rendered.

Rendering a chart or building an overlay costs a tool run (a tenth of a second to seconds);
a pre-commit run or an editor re-lints an unchanged tree again and again. The key is a hash
of the input files' paths and bytes, the options (values, release name, tool) and kubelint's
version, so any change to any of them renders again. It lives beside kubelint's other caches
(kubelint/cache.py: $KUBELINT_CACHE_DIR, else $XDG_CACHE_HOME/kubelint, else ~/.cache/kubelint)
and KUBELINT_NO_CACHE=1 turns it off. Any failure to read or write means rendering as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from kubelint._version import __version__
from kubelint.cache import directory

_FORMAT = "1"  # bump when what is stored changes shape


def content_key(files: Iterable[str], options: Any) -> str | None:
    """A hash of the files' paths and bytes and of `options` (JSON data), or None when a file
    cannot be read (then nothing is cached)."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{_FORMAT}\0".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in sorted(files):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def cached(section: str, key: str | None, render: Callable[[], tuple[Any, bool]]) -> Any:
    """The value stored under `key`, else `render()`: (value as JSON data, whether to keep it).

    A value is kept only when rendering says so: a timeout or a missing tool is not an answer
    about the input."""
    folder = directory(section)
    path = os.path.join(folder, key[:32] + ".json") if folder and key else None
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                entry = json.load(handle)
            if isinstance(entry, dict) and entry.get("key") == key:
                return entry["value"]
        except (OSError, ValueError, KeyError):
            pass
    value, keep = render()
    if path is not None and keep:
        _write(path, {"key": key, "value": value})
    return value


def _write(path: str, entry: dict[str, Any]) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False)
        os.replace(temp, path)  # atomic: a parallel run reads the old entry or the new one
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temp)
