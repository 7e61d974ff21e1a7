"""A disk cache of each file's outcome, so a re-run skips the files that did not change (like ruff's).

Why: pre-commit, editors and CI lint mostly unchanged files. Checking a file costs
milliseconds; reading its stored outcome back costs microseconds. A wrong hit is a wrong
report, so an entry is found only under two keys that together cover everything that
changes a file's result:

- the run key, `run_fingerprint(parts)`: plain data from the caller (kubelint's version,
  `code_fingerprint()`, the enabled rules with severities and params, `digest_path()` of
  rules dirs and schema dirs, the Options that matter, the config);
- the file key, `file_key(content, *extras)`: the file's bytes and what else the caller says
  changes its outcome (its display path when the stored value names it, whether it is a
  partial object, render inputs, a digest of the CRDs its custom resources met).

Where: <cache>/results/<kubelint version>/<run key>/<file key>, <cache> being the schema
cache's folder ($KUBELINT_CACHE_DIR, else $XDG_CACHE_HOME/kubelint, else ~/.cache/kubelint).
Entries of other run keys stay (switching branches or configs) until pruned. The size is
bounded (`max_bytes`): the least recently used entries go first (a hit refreshes an entry's
mtime, at most once an hour), checked now and then rather than on every write.

Safety: an entry is written to a temporary file in the same folder and renamed over the old
one (os.replace is atomic), so a reader sees a whole entry or none, and two runs may write the
same entry at once. An entry carries a checksum of its payload, so a damaged file is a miss,
never a wrong value. Any failure (no home, read-only disk, a damaged entry, an unpickling
error, a concurrent prune) means a miss or a skipped write, never an exception. Values are
pickled: the folder is created private (0700), because unpickling runs code — restore a CI
cache only from your own pipeline's runs.

Turned off by `--no-cache`, by `cache: false` in the config, and by KUBELINT_NO_CACHE=1
(which also turns off the schema cache): see `enabled()`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import os
import pickle
import shutil
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kubelint import cache
from kubelint._version import __version__

try:  # hashlib's import loads OpenSSL (~5 ms of a one-file run); blake2b is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the module
    from hashlib import blake2b

SECTION = "results"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
FORMAT = 1  # of an entry and of the keys: bump when either changes
_MAGIC = b"KLRC%d\n" % FORMAT
_CHECKSUM_BYTES = 16
_TOUCH_AFTER = 3600.0  # seconds: a hit refreshes an older entry's mtime (the LRU order)
_PRUNE_EVERY = 600.0  # seconds between scans of the whole folder by `maybe_prune()`
_PRUNE_TO = 0.8  # a prune removes entries down to this share of max_bytes
_STALE_TEMP = 3600.0  # a temporary file this old belongs to a killed writer
_MARKER = ".last-prune"
_TEMP_SUFFIX = ".tmp"


# ----------------------------------------------------------------------------------- on / off


def enabled(flag_no_cache: bool = False, config_cache: bool | None = None) -> bool:
    """Whether this run uses the result cache: `--no-cache`, config `cache: false` or
    KUBELINT_NO_CACHE=1 (anything but '' and '0') turn it off; on by default."""
    if flag_no_cache or config_cache is False:
        return False
    return os.environ.get("KUBELINT_NO_CACHE", "") in ("", "0")


def root(honour_off_switch: bool = True) -> str | None:
    """<cache>/results, holding one folder per kubelint version; None without a home.

    `honour_off_switch=False` finds it even under KUBELINT_NO_CACHE=1, for `cache clear|info`."""
    if honour_off_switch:
        return cache.directory(SECTION)
    explicit = os.environ.get("KUBELINT_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, SECTION)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return None if base.startswith("~") else os.path.join(base, "kubelint", SECTION)


def default_directory(version: str = __version__) -> str | None:
    """<cache>/results/<version>: where this kubelint keeps its entries; None when the cache
    is off by KUBELINT_NO_CACHE or there is no home directory."""
    base = root()
    return None if base is None else os.path.join(base, _safe_name(version))


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in text) or "_"


# --------------------------------------------------------------------------------------- keys


def _canonical(value: Any) -> Any:
    """Plain data as JSON with type tags: equal inputs give equal text, whatever the dict order,
    and 1, '1', True, (1,) and {1} give different text. Anything else is a caller's mistake
    (a repr may hold an address): TypeError."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, enum.Enum):
        return ["e", type(value).__qualname__, _canonical(value.value)]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return ["b", bytes(value).hex()]
    if isinstance(value, (list, tuple)):
        return ["l", [_canonical(item) for item in value]]
    if isinstance(value, (set, frozenset)):
        items = [_canonical(item) for item in value]
        return ["s", sorted(items, key=_dumps)]
    if isinstance(value, Mapping):
        pairs = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return ["d", sorted(pairs, key=lambda pair: _dumps(pair[0]))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return ["c", type(value).__qualname__, _canonical(fields)]
    if isinstance(value, os.PathLike):
        return ["p", os.fspath(value)]
    raise TypeError(f"run_fingerprint: {type(value).__name__} is not plain data: {value!r:.80}")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def run_fingerprint(parts: Mapping[str, Any]) -> str:
    """A stable hash (32 hex digits) of everything that changes any file's result in this run.

    `parts` is plain data (None, bool, int, float, str, bytes, lists, tuples, sets, mappings,
    enums, dataclasses, paths as strings): key order of mappings and order of sets do not
    matter, the order of lists does. The entry format and Python's minor version are added."""
    text = _dumps(["kubelint-results", FORMAT, list(sys.version_info[:2]), _canonical(dict(parts))])
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_key(content: bytes, *extras: str | bytes) -> str:
    """The key of one file's entry (32 hex digits): its bytes and the per-file extras that
    change its outcome, in a fixed order ('' and an absent extra differ, str and bytes differ).

    Two files with the same bytes have the same key: when the stored value names its file
    (findings and facts do), give the path as an extra. Hashing the corpus's 884 files
    (30 MB) takes ~0.08 s on one core (blake2b; OpenSSL's sha256 is ~40% faster where the CPU
    has SHA instructions, but importing hashlib's OpenSSL costs a one-file run ~5 ms)."""
    digest = blake2b(digest_size=16)
    digest.update(len(content).to_bytes(8, "little"))
    digest.update(content)
    for extra in extras:
        data = extra.encode("utf-8", "surrogatepass") if isinstance(extra, str) else bytes(extra)
        digest.update(b"\x00" if isinstance(extra, str) else b"\x01")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})


def _files_under(path: str) -> Iterator[str]:
    """Every regular file under `path`, sorted, following links but each folder once."""
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(path, followlinks=True):
        try:
            info = os.stat(dirpath)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


def digest_path(path: str | os.PathLike[str]) -> str:
    """A digest (32 hex digits) of a file's or a folder's contents: every file's path relative
    to `path` and its bytes, in sorted order (not times, so a fresh checkout or a restored CI
    cache gives the same digest). A missing or unreadable path has a digest of its own.
    For schema and rules dirs; reads every byte, about 1 ms a megabyte."""
    name = os.fspath(path)
    digest = blake2b(digest_size=16)
    if os.path.isdir(name):
        digest.update(b"dir\x00")
        for file in _files_under(name):
            relative = os.path.relpath(file, name).replace(os.sep, "/")
            digest.update(relative.encode("utf-8", "surrogateescape") + b"\x00")
            _update_with_file(digest, file)
    elif os.path.exists(name):
        digest.update(b"file\x00")
        _update_with_file(digest, name)
    else:
        digest.update(b"missing\x00")
    return digest.hexdigest()


def _update_with_file(digest: Any, path: str) -> None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        digest.update(b"unreadable\x00" + str(error.errno).encode() + b"\x00")
        return
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def digest_paths(paths: Iterable[str | os.PathLike[str]]) -> str:
    """`digest_path` of several paths, in the order given (schema_dirs, rules_dirs)."""
    return file_key(b"", *(f"{os.fspath(p)}\x00{digest_path(p)}" for p in paths))


def code_fingerprint() -> str:
    """A digest of kubelint's own code and shipped data (rules/, schemas/), by content.

    Why: an editable install keeps one version number while its code changes, and a stored
    outcome from other code is a wrong report. Content, not times, so that a reinstall of the
    same release (a CI job) still hits; the digest itself is kept in the schema cache under
    the files' stat stamps, so a warm run stats ~200 files instead of reading them."""
    from kubelint import resources

    package = os.path.dirname(os.path.abspath(__file__))
    files = [f for f in _files_under(package) if f.endswith(".py")]
    for name in ("rules", "schemas"):
        try:
            files.extend(_files_under(str(resources.data_dir(name))))
        except FileNotFoundError:
            continue
    files = sorted(set(files))

    def build() -> str:
        digest = blake2b(digest_size=16)
        for file in files:
            digest.update(os.path.relpath(file, package).encode("utf-8", "surrogateescape") + b"\x00")
            _update_with_file(digest, file)
        return digest.hexdigest()

    try:
        return str(cache.cached("code", files, build))
    except OSError:
        return build()


# -------------------------------------------------------------------------------------- store


def _checksum(payload: bytes) -> bytes:
    return blake2b(payload, digest_size=_CHECKSUM_BYTES).digest()


class ResultCache:
    """The entries of one run key in `directory` (a version folder, `default_directory()`).

    Every method is safe to call from several processes at once (a worker pool, two runs),
    and none raises for a storage problem: `get` misses, `put` returns False."""

    def __init__(self, directory: str | os.PathLike[str], run_key: str,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = os.fspath(directory)
        self.run_key = run_key
        self.max_bytes = max_bytes
        self.folder = os.path.join(self.directory, _safe_name(run_key))
        self.hits = 0
        self.misses = 0
        self.written = 0  # bytes this instance wrote since its last prune

    @classmethod
    def open(cls, run_key: str, *, flag_no_cache: bool = False, config_cache: bool | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES) -> ResultCache | None:
        """The cache of this kubelint version in the user cache folder, or None when it is off."""
        if not enabled(flag_no_cache, config_cache):
            return None
        folder = default_directory()
        return None if folder is None else cls(folder, run_key, max_bytes)

    def _path(self, file_key: str) -> str:
        return os.path.join(self.folder, _safe_name(file_key))

    def get(self, file_key: str) -> Any | None:
        """The value stored for `file_key` under this run key, or None (a miss)."""
        path = self._path(file_key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                mtime = os.fstat(handle.fileno()).st_mtime
        except OSError:
            self.misses += 1
            return None
        value = self._decode(data, file_key)
        if value is None:
            self.misses += 1
            if data:  # damaged or foreign: let the next put replace it, and keep no garbage
                self._unlink(path)
            return None
        self.hits += 1
        if time.time() - mtime > _TOUCH_AFTER:
            with contextlib.suppress(OSError):
                os.utime(path)
        return value[0]

    def _decode(self, data: bytes, file_key: str) -> tuple[Any] | None:
        head = len(_MAGIC) + _CHECKSUM_BYTES
        if len(data) <= head or not data.startswith(_MAGIC):
            return None
        payload = data[head:]
        if _checksum(payload) != data[len(_MAGIC):head]:
            return None
        try:
            run_key, key, value = pickle.loads(payload)
        except Exception:  # an unpickling error is a miss, whatever the class of it
            return None
        if run_key != self.run_key or key != file_key:
            return None
        return (value,)

    def put(self, file_key: str, value: Any) -> bool:
        """Store `value` (picklable, not None) for `file_key`; False when it could not be stored."""
        try:
            payload = pickle.dumps((self.run_key, file_key, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # unpicklable values are not stored; the run goes on
            return False
        data = _MAGIC + _checksum(payload) + payload
        path = self._path(file_key)
        partial = f"{path}.{os.getpid()}.{os.urandom(4).hex()}{_TEMP_SUFFIX}"
        try:
            try:
                _write(partial, data)
            except FileNotFoundError:  # the first entry, or a prune or clear removed the folder
                os.makedirs(self.folder, mode=0o700, exist_ok=True)
                _write(partial, data)
            os.replace(partial, path)  # atomic: a reader sees the old entry or the new one
        except OSError:
            self._unlink(partial)
            return False
        self.written += len(data)
        if self.written > self.max_bytes // 4:  # a big run prunes as it goes
            self.prune()
        return True

    @staticmethod
    def _unlink(path: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    def maybe_prune(self) -> tuple[int, int]:
        """`prune()` when the last one (by any process) is more than ten minutes old; for the
        end of a run. Returns (entries, bytes) removed."""
        marker = os.path.join(self.directory, _MARKER)
        try:
            if time.time() - os.stat(marker).st_mtime < _PRUNE_EVERY and self.written <= self.max_bytes // 4:
                return (0, 0)
        except OSError:
            pass
        return self.prune()

    def prune(self) -> tuple[int, int]:
        """Remove the least recently used entries of every run key in `directory` until the
        total is under 80% of max_bytes, and temporary files of killed writers. Returns
        (entries, bytes) removed; never raises."""
        self.written = 0
        removed = [0, 0]
        now = time.time()
        entries: list[tuple[float, int, str]] = []
        total = 0
        for path, info in _scan(self.directory):
            if path.endswith(_TEMP_SUFFIX):
                if now - info.st_mtime > _STALE_TEMP:
                    self._unlink(path)
                continue
            entries.append((info.st_mtime, info.st_size, path))
            total += info.st_size
        if total > self.max_bytes:
            entries.sort()
            goal = int(self.max_bytes * _PRUNE_TO)
            for _, size, path in entries:
                if total <= goal:
                    break
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass  # another process pruned it
                except OSError:
                    continue
                else:
                    removed[0] += 1
                    removed[1] += size
                total -= size
        _remove_empty_folders(self.directory)
        marker = os.path.join(self.directory, _MARKER)
        try:
            with open(marker, "wb"):
                pass
            os.utime(marker)
        except OSError:  # no folder (nothing stored yet) or a read-only one
            pass
        return (removed[0], removed[1])


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _scan(directory: str) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every entry and temporary file: <directory>/<run key>/<file key>."""
    try:
        folders = list(os.scandir(directory))
    except OSError:
        return
    for folder in folders:
        try:
            if not folder.is_dir(follow_symlinks=False):
                continue
            files = list(os.scandir(folder.path))
        except OSError:
            continue
        for entry in files:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                yield entry.path, info


def _remove_empty_folders(directory: str) -> None:
    try:
        folders = [f.path for f in os.scandir(directory) if f.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for folder in folders:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only when empty


# ------------------------------------------------------------------------- cache clear / info


def _versions(base: str) -> list[str]:
    try:
        return sorted(f.name for f in os.scandir(base) if f.is_dir(follow_symlinks=False))
    except OSError:
        return []


def info(directory: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """What `kubelint cache info` shows: {"where", "entries", "bytes", "versions", "max_bytes"}.

    `directory` is a results folder holding version folders (default: `root()`, found even
    under KUBELINT_NO_CACHE=1); "where" is None when there is no home directory."""
    base = root(honour_off_switch=False) if directory is None else os.fspath(directory)
    out: dict[str, Any] = {"where": base, "entries": 0, "bytes": 0, "versions": [],
                           "max_bytes": DEFAULT_MAX_BYTES}
    if base is None:
        return out
    out["versions"] = _versions(base)
    for version in out["versions"]:
        for path, stat_result in _scan(os.path.join(base, version)):
            if not path.endswith(_TEMP_SUFFIX):
                out["entries"] += 1
                out["bytes"] += stat_result.st_size
    return out


def clear(directory: str | os.PathLike[str] | None = None) -> tuple[int, int]:
    """Remove every stored outcome, of every version: (entries, bytes) removed.

    `directory` as for `info()`. Leaves the schema cache alone. Never raises: what cannot be
    removed (a read-only disk) is not counted."""
    base = root(honour_off_switch=False) if directory is None else os.fspath(directory)
    if base is None:
        return (0, 0)
    entries = size = 0
    for version in _versions(base):
        folder = os.path.join(base, version)
        for path, stat_result in _scan(folder):
            try:
                os.unlink(path)
            except OSError:
                continue
            if not path.endswith(_TEMP_SUFFIX):
                entries += 1
                size += stat_result.st_size
        shutil.rmtree(folder, ignore_errors=True)
    return (entries, size)
