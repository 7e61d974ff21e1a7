"""A disk cache of what kubelint derives from the data it ships, so a one-file run skips it.

Why: a pre-commit run checks a file or two, yet building even one kind's schema bundle means
parsing the 1.4 MB `_definitions.json` shared by all kinds (~17 ms) and walking it, and the
rule files and the API lifecycle table took another ~10 ms to parse. The results read back
(marshal for plain data, pickle for objects) in about a millisecond. The cache holds only what
kubelint would build anyway from its own files, so it changes no result; the key covers
kubelint's version, the source files' sizes and times, and the code that builds them, so an
upgrade never reads a stale entry. Any failure (no home, read-only disk, a damaged file) means
building as before.

Where: $KUBELINT_CACHE_DIR, else $XDG_CACHE_HOME/kubelint, else ~/.cache/kubelint.
KUBELINT_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from typing import Any

from kubelint._version import __version__

try:  # pickle.py itself (struct, its Python Pickler) costs a one-file run ~2 ms: its C core
    import _pickle as pickle  # serves here and in the result cache
except ImportError:  # pragma: no cover - an interpreter without the C module
    import pickle  # type: ignore[no-redef]

PICKLE_PROTOCOL = 5  # pickle.HIGHEST_PROTOCOL on every Python kubelint supports

_HERE = os.path.dirname(__file__)
_CODE = tuple(os.path.join(_HERE, *name.split("/")) for name in (
    "cache.py", "parser/__init__.py", "parser/builder.py", "parser/cyaml.py", "parser/problems.py",
    "parser/scalars.py", "parser/text.py", "parser/_fastyaml.c", "schema/patches.py", "schema/store.py", "kube/versions.py"))


def directory(section: str) -> str | None:
    if os.environ.get("KUBELINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("KUBELINT_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, section)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if base.startswith("~"):
        return None  # no home directory to expand
    return os.path.join(base, "kubelint", section)


def _stamp(path: str) -> str:
    info = os.stat(path)
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


@functools.cache
def _code_stamps() -> tuple[str, ...]:
    """The code that builds the entries, as this process loaded it: stamped once."""
    return (__version__, "python {}.{}".format(*sys.version_info[:2]), *(_stamp(p) for p in _CODE))


@functools.lru_cache(maxsize=4)
def _stamps_once(files: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_stamp(p) for p in files)


def cached(section: str, files: list[str] | tuple[str, ...], build: Callable[[], Any], *, objects: bool = False,
           loaded: bool = False) -> Any:
    """`build()`, or what it returned before for the same `files` and the same kubelint.

    `build` must return plain data (dicts, lists, tuples, sets, strings, numbers, None), kept
    with marshal, or with `objects` anything pickle keeps (kubelint's own value types); a
    `section` is a folder of the cache. Why marshal: it is built in (json's import and parse
    cost a one-file run 2 ms) and reads back what was built, tuples as tuples; the Python
    version is in the stamps, since its format may change between versions. Why pickle for
    objects: the rule catalog read back as data still had to be made into Rules each run (92
    of them, 5 ms of a one-file run); unpickled they are ready. Such an entry's stamps include
    the model's module, whose classes the pickle names. `loaded`: the files are kubelint's own
    (resources.shipped_files), which do not change under a running process: stamped once."""
    folder = directory(section)
    if folder is None:
        return build()
    try:
        stamps = [*_code_stamps(), *(_stamps_once(tuple(files)) if loaded else map(_stamp, files))]
    except OSError:
        return build()
    # Readable names, and a checksum of the stamps (hashlib alone takes 4 ms to import).
    signed = "\n".join(stamps).encode("utf-8", "surrogateescape")
    key = f"{zlib.crc32(signed):08x}{zlib.adler32(signed):08x}"
    names = [os.path.basename(os.path.dirname(files[0])), os.path.basename(files[0])]
    path = os.path.join(folder, "-".join([*names, key]) + (".pickle" if objects else ".marshal"))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        entry = pickle.loads(data) if objects else marshal.loads(data)
        if isinstance(entry, dict) and entry.get("stamps") == stamps:  # never a checksum clash
            return entry["value"]
    except Exception:  # noqa: BLE001 - a damaged or foreign entry (pickle raises many kinds) is a miss
        pass
    value = build()
    try:
        entry = {"stamps": stamps, "value": value}
        data = pickle.dumps(entry, protocol=PICKLE_PROTOCOL) if objects else marshal.dumps(entry)
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)  # atomic: a parallel run reads the old file or the new one
    except Exception:  # noqa: BLE001 - an entry not written (full disk, a value marshal or pickle refuses) is no error
        pass
    return value
