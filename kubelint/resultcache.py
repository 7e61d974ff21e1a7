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

Where: <cache>/results/<kubelint version>/<run key>.pack, <cache> being the schema cache's
folder ($KUBELINT_CACHE_DIR, else $XDG_CACHE_HOME/kubelint, else ~/.cache/kubelint): one pack
file per run key, written once at the end of a run (see ResultCache). Packs of other run keys
stay (switching branches or configs) until the folder is over its bound (`max_bytes`): the
least recently used entries, and then the least recently written packs, go first.

Safety: a pack is written to a temporary file in the same folder and renamed over the old one
(os.replace is atomic), so a reader sees a whole pack or none, and two runs may write at once.
Each entry carries a checksum of its key and payload, so a damaged pack gives misses, never a
wrong value. Any failure (no home, read-only disk, a damaged pack, an unpickling error) means
a miss or a skipped write, never an exception. Values are pickled: the folder is created
private (0700), because unpickling runs code — restore a CI cache only from your own
pipeline's runs.

Turned off by `--no-cache`, by `cache: false` in the config, and by KUBELINT_NO_CACHE=1
(which also turns off the schema cache): see `enabled()`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kubelint import cache
from kubelint._version import __version__
from kubelint.cache import PICKLE_PROTOCOL, pickle
from kubelint.resources import files_under

try:  # hashlib's import loads OpenSSL (~5 ms of a one-file run); blake2b is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the module
    from hashlib import blake2b

SECTION = "results"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
FORMAT = 5  # of a pack and of the keys: bump when either changes
_MAGIC = b"KLRC%d\n" % FORMAT
_TOUCH_AFTER = 3600.0  # seconds: a hit refreshes an older entry's mtime (the LRU order)
_PRUNE_TO = 0.8  # a prune removes entries down to this share of max_bytes
_KEEP_UNUSED = 7 * 24 * 3600.0  # seconds: an entry no run used for this long goes at a flush
_STALE_TEMP = 3600.0  # a temporary file this old belongs to a killed writer
_TEMP_SUFFIX = ".tmp"
_PACK_SUFFIX = ".pack"


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
    """Plain data as nested lists with type tags (None, bools, ints and strings inside): equal
    inputs give equal text (_dumps), whatever the dict order,
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
        if all(type(k) is str for k in value):  # the usual case, ordered without a dumps a key
            return ["d", sorted(pairs, key=lambda pair: pair[0])]
        return ["d", sorted(pairs, key=lambda pair: _dumps(pair[0]))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return ["c", type(value).__qualname__, _canonical(fields)]
    if isinstance(value, os.PathLike):
        return ["p", os.fspath(value)]
    raise TypeError(f"run_fingerprint: {type(value).__name__} is not plain data: {value!r:.80}")


def _dumps(value: Any) -> str:
    """The text of a _canonical value: its repr, which tells True from 1 and None from 'None'
    (json's import cost a one-file run 1.5 ms; the Python version is part of the key)."""
    return repr(value)


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
    (findings and facts do), give the path as an extra."""
    return key_for(content_digest(content), *extras)


def content_digest(content: bytes) -> bytes:
    """A file's bytes hashed once (16 bytes): `key_for` makes each of its keys from it."""
    return _digest16(content)


# From this size on, bytes are hashed with OpenSSL's sha256: twice blake2b's speed where the
# CPU has SHA instructions (the corpus's 30 MB: 20 ms against 38 ms), but importing hashlib's
# OpenSSL costs ~5 ms, which a one-file run of small files never pays.
_SHA256_FROM = 256 << 10


def _digest16(*parts: bytes) -> bytes:
    """16 bytes of a cryptographic hash of the parts, by an algorithm their size picks (the
    same bytes always give the same digest)."""
    if sum(map(len, parts)) < _SHA256_FROM:
        digest: Any = blake2b(digest_size=16)
    else:
        import hashlib

        digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.digest()[:16]


def key_for(digest: bytes, *extras: str | bytes) -> str:
    """file_key of the content whose content_digest is `digest`."""
    key = blake2b(digest_size=16)
    key.update(b"content\x00" + digest)
    for extra in extras:
        data = extra.encode("utf-8", "surrogatepass") if isinstance(extra, str) else bytes(extra)
        key.update(b"\x00" if isinstance(extra, str) else b"\x01")
        key.update(len(data).to_bytes(8, "little"))
        key.update(data)
    return key.hexdigest()


def digest_path(path: str | os.PathLike[str]) -> str:
    """A digest (32 hex digits) of a file's or a folder's contents: every file's path relative
    to `path` and its bytes, in sorted order (not times, so a fresh checkout or a restored CI
    cache gives the same digest). A missing or unreadable path has a digest of its own.
    For schema and rules dirs; reads every byte, about 1 ms a megabyte."""
    name = os.fspath(path)
    digest = blake2b(digest_size=16)
    if os.path.isdir(name):
        digest.update(b"dir\x00")
        for file in files_under(name):
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


@functools.cache
def code_fingerprint() -> str:
    """A digest of kubelint's own code and shipped data (rules/, schemas/), by content.

    Why: an editable install keeps one version number while its code changes, and a stored
    outcome from other code is a wrong report. Content, not times, so that a reinstall of the
    same release (a CI job) still hits; the digest itself is kept in the schema cache under
    the files' stat stamps, so a warm run stats ~200 files instead of reading them. Once a
    process: it describes the code this process loaded, which does not change while it runs
    (a run of many projects asked once a project, 2 ms each)."""
    from kubelint import resources

    package = os.path.dirname(os.path.abspath(__file__))
    files = resources.shipped_files()

    def build() -> str:
        digest = blake2b(digest_size=16)
        for file in files:
            digest.update(os.path.relpath(file, package).encode("utf-8", "surrogateescape") + b"\x00")
            _update_with_file(digest, file)
        return digest.hexdigest()

    try:
        return str(cache.cached("code", files, build, loaded=True))
    except OSError:
        return build()


# -------------------------------------------------------------------------------------- store


def _checksum(key: bytes, payload: bytes) -> bytes:
    """Of an entry's key and payload: a damaged pack gives misses, never a wrong value."""
    return _digest16(len(key).to_bytes(8, "little"), key, payload)


# An entry in a pack: (last used, as time.time(); checksum of key and payload; payload, the
# pickled value). Packs map file keys to entries.
Entry = tuple[float, bytes, bytes]


class ResultCache:
    """The entries of one run key: one pack file, <directory>/<run key>.pack.

    Why one file and not one per entry: creating a file costs a journalled write, and with
    two processes writing, 1-2 ms each; a corpus run stored 900 of them, a quarter of its
    time. So entries are kept in memory as they are made and written together by `flush()`
    at the end of the run (like ruff's cache, one file per run key rather than per package).
    Worker processes never write: `drain()` hands their entries to the parent, which
    `receive()`s them (engine/parallel.py carries them beside the results).

    Reads load the pack once, at the first `get`. `flush()` reads the pack again, adds this
    run's entries and writes it whole, to a temporary file renamed over the old one: a reader
    sees the old pack or the new one, and two runs that flush at once lose each other's new
    entries at worst (misses next time, never a wrong value). Where there is no pack yet, the
    received entries' temporary file is already one and is renamed into place. Each entry
    carries a checksum of its key and payload, so a damaged pack gives misses, never a wrong
    value.

    No method raises for a storage problem: `get` misses, `put` and `flush` return False."""

    def __init__(self, directory: str | os.PathLike[str], run_key: str,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = os.fspath(directory)
        self.run_key = run_key
        self.max_bytes = max_bytes
        self.path = os.path.join(self.directory, _safe_name(run_key) + _PACK_SUFFIX)
        self.hits = 0
        self.misses = 0
        self._stored: dict[str, Entry] | None = None  # the pack as read, at the first get
        self._pending: dict[str, Entry] = {}  # made by this process (or received) since the last flush
        self._spill: Any = None  # received entries, kept on disk until the flush (see receive)
        self._spill_path = ""
        self._spill_start = 0  # where the spill's entries start, after its pack header
        self._spilled: set[str] = set()
        self._spilled_bytes = 0
        self._used: list[str] = []  # stored keys this run hit: their age is refreshed at flush

    @classmethod
    def open(cls, run_key: str, *, flag_no_cache: bool = False, config_cache: bool | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES) -> ResultCache | None:
        """The cache of this kubelint version in the user cache folder, or None when it is off."""
        if not enabled(flag_no_cache, config_cache):
            return None
        folder = default_directory()
        return None if folder is None else cls(folder, run_key, max_bytes)

    # ------------------------------------------------------------------------------ reading

    def get(self, file_key: str) -> Any | None:
        """The value stored for `file_key` under this run key, or None (a miss)."""
        if file_key in self._spilled:
            self._unspill()
        entry = self._pending.get(file_key)
        if entry is None:
            entry = self._stored.get(file_key) if self.stored() else None
            if entry is not None:
                self._used.append(file_key)
        value = None if entry is None else _value(file_key, entry)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value[0]

    def stored(self) -> int:
        """How many entries the pack holds (read now if it was not): none on a first run."""
        if self._stored is None:
            self._stored = _read_pack(self.path, self.run_key)
        return len(self._stored)

    # ------------------------------------------------------------------------------ writing

    def put(self, file_key: str, value: Any) -> bool:
        """Keep `value` (picklable, not None) for `file_key` until `flush()`; False when it
        cannot be stored."""
        try:
            payload = pickle.dumps(value, protocol=PICKLE_PROTOCOL)
        except Exception:  # unpicklable values are not stored; the run goes on
            return False
        self._pending[file_key] = (time.time(), _checksum(file_key.encode(), payload), payload)
        return True

    def pending_payload(self, file_key: str) -> bytes | None:
        """The pickled value put under `file_key` and not yet drained or flushed, or None."""
        entry = self._pending.get(file_key)
        return None if entry is None else entry[2]

    def drain(self) -> dict[str, Entry]:
        """The entries made since the last drain or flush, handed over (a worker's, for its parent)."""
        pending, self._pending = self._pending, {}
        return pending

    def receive(self, entries: Mapping[str, Entry]) -> None:
        """Entries another process made (`drain()`), to be written by this one's flush.

        They wait on disk, not in memory: a big run's entries would sit in this process while
        its workers run (20 MB of the 20,000 generated documents, a tenth of the run's peak
        over all processes). They wait in a pack's format, in a temporary file beside the
        pack, so that a first run's flush renames that file into place instead of reading
        14 MB (the corpus's) back and writing them again (see flush)."""
        if not entries:
            return
        try:
            if self._spill is None:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                path = _temporary(self.path)
                # open across receive() calls, closed by flush or _unspill; a killed run's
                # file goes at a later flush (_prune_others)
                self._spill = open(path, "w+b")  # noqa: SIM115
                self._spill_path = path
                self._spill.write(_MAGIC)
                pickle.dump(self.run_key, self._spill, protocol=PICKLE_PROTOCOL)
                self._spill_start = self._spill.tell()
            pickle.dump(dict(entries), self._spill, protocol=PICKLE_PROTOCOL)
            self._spilled.update(entries)
            self._spilled_bytes += sum(len(entry[2]) for entry in entries.values())
        except OSError:
            self._pending.update(entries)

    def _unspill(self) -> None:
        """The spilled entries back into memory: for the flush, or a get of one of them."""
        spill, self._spill = self._spill, None
        self._spilled = set()
        self._spilled_bytes = 0
        if spill is None:
            return
        with spill:
            try:
                spill.seek(self._spill_start)
                while True:
                    self._pending.update(pickle.load(spill))
            except EOFError:
                pass
            except Exception:  # unreadable: those entries are not stored (misses next time)
                pass
        _unlink(self._spill_path)

    def _flush_spill(self) -> bool:
        """A first run's flush: the spill file, this process's entries added, becomes the pack.

        Only when no pack is there (nothing to merge: a first run, or after `cache clear`),
        no entry was read (none to refresh) and the entries fit `max_bytes`; False otherwise,
        and the flush reads the spill back and writes the pack whole."""
        if self._spill is None or self._used or self._spilled_bytes > self.max_bytes or os.path.exists(self.path):
            return False
        spill, self._spill = self._spill, None
        try:
            with spill:
                if self._pending:
                    pickle.dump(self._pending, spill, protocol=PICKLE_PROTOCOL)
            os.replace(self._spill_path, self.path)  # atomic: a reader sees a whole pack or none
        except OSError:
            _unlink(self._spill_path)
            self._pending = {}
            self._spilled = set()
            return False
        self._stored = None  # read from the pack when asked
        self._pending = {}
        self._spilled = set()
        self._spilled_bytes = 0
        self._prune_others()
        return True

    def flush(self) -> bool:
        """Write this run's entries, with the pack's others, in one file; drop entries unused for
        a week, the least recently used ones when the pack is over `max_bytes`, and other run
        keys' packs, least recently written first, when all of them are over `max_bytes`.
        True when something was written."""
        if self._flush_spill():
            return True
        self._unspill()
        now = time.time()
        stale = [k for k in self._used if self._stored and now - self._stored[k][0] > _TOUCH_AFTER]
        if not self._pending and not stale:
            return False
        current = _read_pack(self.path, self.run_key)
        for key in self._used:
            entry = current.get(key)
            if entry is not None:
                current[key] = (now, entry[1], entry[2])
        current.update(self._pending)
        # Every edit of a file leaves its old entry behind, and a pack is read whole by every
        # run: entries unused for a week go (ruff drops its unseen entries the same way).
        current = {key: entry for key, entry in current.items() if now - entry[0] <= _KEEP_UNUSED}
        total = sum(len(entry[2]) for entry in current.values())
        if total > self.max_bytes:
            goal = int(self.max_bytes * _PRUNE_TO)
            for key, entry in sorted(current.items(), key=lambda item: item[1][0]):
                if total <= goal:
                    break
                del current[key]
                total -= len(entry[2])
        written = _write_pack(self.path, self.run_key, current)
        if written:
            self._stored = current
            self._pending = {}
            self._used = []
            self._prune_others()
        return written

    def _prune_others(self) -> None:
        """Other run keys' packs (other configs, branches) go, least recently written first,
        while every pack together is over max_bytes; temporary files of killed writers go."""
        now = time.time()
        packs: list[tuple[float, int, str]] = []
        total = 0
        for path, info in _scan(self.directory):
            if path.endswith(_TEMP_SUFFIX):
                if now - info.st_mtime > _STALE_TEMP:
                    _unlink(path)
                continue
            total += info.st_size
            if path != self.path:
                packs.append((info.st_mtime, info.st_size, path))
        for _, size, path in sorted(packs):
            if total <= self.max_bytes:
                break
            _unlink(path)
            total -= size

    def prune(self) -> tuple[int, int]:
        """Make the folder fit `max_bytes` now: (packs, bytes) removed. For tests and `cache`."""
        before = list(_scan(self.directory))
        self._prune_others()
        after = {path for path, _ in _scan(self.directory)}
        gone = [(path, info.st_size) for path, info in before if path not in after]
        return (len(gone), sum(size for _, size in gone))


def _value(file_key: str, entry: Any) -> tuple[Any] | None:
    """(the value,) of an entry whose checksum holds, else None."""
    try:
        _, checksum, payload = entry
        if _checksum(file_key.encode(), payload) != checksum:
            return None
        return (pickle.loads(payload),)
    except Exception:  # a damaged entry or an unpickling error is a miss, whatever its class
        return None


def _read_pack(path: str, run_key: str) -> dict[str, Entry]:
    """The entries of a pack file; {} when it is missing, damaged or of another run key.

    A pack is _MAGIC, its run key pickled, then one or more pickled dicts of entries (a
    flush writes one; a first run's spill, renamed into place, one per batch of its workers)."""
    try:
        with open(path, "rb") as handle:
            return _read_chunks(handle, run_key)
    except OSError:
        return {}
    except Exception:  # damaged: every entry is a miss, and the next flush replaces it
        return {}


def _read_chunks(handle: Any, run_key: str | None) -> dict[str, Entry]:
    """A pack's entries read frame by frame (no second copy of the file); {} for another run
    key (None: any). Raises what a damaged pack raises."""
    if handle.read(len(_MAGIC)) != _MAGIC:
        return {}
    stored_key = pickle.load(handle)
    if run_key is not None and stored_key != run_key:
        return {}
    entries: dict[str, Entry] = {}
    while True:
        try:
            chunk = pickle.load(handle)
        except EOFError:
            return entries
        if not isinstance(chunk, dict):
            return {}
        entries.update(chunk)


def _temporary(path: str) -> str:
    """A temporary file's name beside `path`, unique to this process and call."""
    return f"{path}.{os.getpid()}.{os.urandom(4).hex()}{_TEMP_SUFFIX}"


def _write_pack(path: str, run_key: str, entries: dict[str, Entry]) -> bool:
    folder = os.path.dirname(path)
    partial = _temporary(path)
    try:
        try:
            _write_entries(partial, run_key, entries)
        except FileNotFoundError:  # the first pack, or `cache clear` removed the folder
            os.makedirs(folder, mode=0o700, exist_ok=True)
            _write_entries(partial, run_key, entries)
        os.replace(partial, path)  # atomic: a reader sees the old pack or the new one
    except OSError:
        _unlink(partial)
        return False
    return True


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _write_entries(path: str, run_key: str, entries: dict[str, Entry]) -> None:
    """pickle.dump writes frame by frame: a big run's pack is never a second time in memory."""
    with open(path, "wb") as handle:
        handle.write(_MAGIC)
        pickle.dump(run_key, handle, protocol=PICKLE_PROTOCOL)
        pickle.dump(entries, handle, protocol=PICKLE_PROTOCOL)


def _scan(directory: str) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every pack and temporary file in a version folder."""
    try:
        found = list(os.scandir(directory))
    except OSError:
        return
    for entry in found:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and (entry.name.endswith(_PACK_SUFFIX) or entry.name.endswith(_TEMP_SUFFIX)):
            yield entry.path, info


# ------------------------------------------------------------------------- cache clear / info


def _versions(base: str) -> list[str]:
    try:
        return sorted(f.name for f in os.scandir(base) if f.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _entries_in(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            return len(_read_chunks(handle, None))
    except Exception:
        return 0


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
                out["entries"] += _entries_in(path)
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
            count = 0 if path.endswith(_TEMP_SUFFIX) else _entries_in(path)
            try:
                os.unlink(path)
            except OSError:
                continue
            entries += count
            size += 0 if path.endswith(_TEMP_SUFFIX) else stat_result.st_size
        shutil.rmtree(folder, ignore_errors=True)
    return (entries, size)
