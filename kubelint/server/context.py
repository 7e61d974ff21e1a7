"""The workspace as the context of one buffer's lint: the one adapter between editor and engine.

An editor sends buffers, not paths, and the buffer it shows is rarely saved. What the CLI
reads from the other files of a run comes from here instead: the CustomResourceDefinitions of
the workspace's files on disk, overridden by the open buffers (an unsaved CRD edit counts);
when run-wide rules are on, the objects of every workspace file (`kubelint check` over the
workspace roots, the config's `exclude` applied), again with open buffers over their files;
and the nearest `.kubelint.yaml`, re-read when it changes. `Context.findings` is the one
function the server lints through; the project model (a Helm chart, a Kustomize root, a
directory with its own config) is meant to replace its insides without the server noticing.

Cost: a Linter (its rules prepared, its CRD schemas compiled on first use) is kept per config
and per set of CRD sources, so a keystroke in a manifest re-lints only that buffer. The
workspace is read in background threads, so that no lint waits for a big tree: once for the
files that hold CRDs (each re-parsed only when its modification time or size changes), and,
with run-wide rules on, once per config for the facts of every file (again per file when it
changes). Until a read is done the buffer is linted without it; `on_ready` then says so and
the server lints its open buffers again.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from kubelint.config import ConfigError, find_config, load_config, options_from
from kubelint.engine.documents import crds_of
from kubelint.engine.linter import FileOutcome, Linter
from kubelint.engine.run import reduce_run
from kubelint.kube.kustomize import KUSTOMIZATION_NAMES
from kubelint.model import Document, Finding, Severity
from kubelint.options import Options
from kubelint.source import exclusion, load_text

CRD_MARK = "CustomResourceDefinition"
_SUFFIXES = (".yaml", ".yml", ".json")
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", ".venv"})
_MAX_LINTERS = 8
_MAX_SCAN_BYTES = 16 * 1024 * 1024
# A workspace opened on a home directory must not stall the first lint: the CRD scan reads at
# most this many YAML files (a monorepo's manifests are far fewer).
MAX_SCANNED_FILES = 20_000
_YIELD = 0.002  # seconds the background read pauses after each file
CONFIG_RULE = "config-error"  # not a rule of the catalog: the config itself cannot be used


class Stamp(NamedTuple):
    mtime_ns: int
    size: int


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Stamp(info.st_mtime_ns, info.st_size)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class Context:
    """What one server knows of its workspace. The Linters it keeps are used by one thread only
    (the server's lint worker calls `findings`, `fixes` and `fix_all`); the caches behind a lock
    are shared with the hover thread (`options_for`, `custom_definition`), the background
    reads of the workspace and `invalidate`, which any thread may call."""

    def __init__(self, roots: Iterable[str] = ()) -> None:
        self.roots = [os.path.abspath(r) for r in roots]
        self._lock = threading.Lock()
        self._configs: dict[str, tuple[Stamp | None, Options | ConfigError]] = {}
        self._crd_files: list[str] | None = None  # files on disk that mention CRDs
        self._crd_walk: object | None = None  # the walk under way (or done) for _crd_files
        self._disk_crds: dict[str, tuple[Stamp | None, list[Document]]] = {}
        self._buffer_crds: dict[str, list[Document]] = {}  # digest of an open buffer → its CRDs
        self._linters: OrderedDict[tuple[Any, ...], Linter] = OrderedDict()
        # For run-wide rules: the workspace's files as `kubelint check` finds them (per exclude
        # list), which of them kustomizations name as patches, and the facts of each, read in
        # the background once per configuration (see _neighbours).
        self._files: dict[tuple[str, ...], tuple[list[str], frozenset[str]]] = {}
        self._scans: dict[tuple[Any, ...], _Scan] = {}
        self._fact_linters: dict[tuple[Any, ...], Linter] = {}
        # Called (from a background thread) when the workspace's CRDs or facts are all read: the
        # server lints its open buffers again, now in the whole workspace's context.
        self.on_ready: Callable[[], None] | None = None
        # One thread reads the workspace, one file at a time with a pause between files, so that
        # the lints of the open buffers (another thread, the same interpreter) are not starved.
        self._background = ThreadPoolExecutor(1, "kubelint-workspace")

    # ------------------------------------------------------------------------------ the API

    def findings(self, path: str, text: str, open_buffers: Mapping[str, str]) -> list[Finding]:
        """The findings of the buffer at `path` (absolute) holding `text`, in the workspace's context.

        `open_buffers` maps the absolute paths of the open buffers to their text; they win
        over the files on disk. A config that cannot be used gives one finding at its place.
        """
        try:
            options = self.options_for(path)
        except ConfigError as exc:
            return [config_finding(self.display_path(path), exc)]
        shown = self.display_path(path)
        if options.exclude and exclusion(shown, options.exclude) is not None:
            return []  # the config excludes the file: `kubelint check .` would not lint it
        linter = self._linter(options, path, text, open_buffers)
        if not linter.run_rules:
            from kubelint.kube.kustomize import partial_files

            linter.partial_files = frozenset({shown}) if partial_files([path]) else frozenset()
            return reduce_run(linter, [linter.lint_source(load_text(text, shown))]).findings
        # Run-wide rules (a Service that selects nothing, a missing ConfigMap) look at every
        # object of the run: the workspace's other files, open buffers over their files.
        files, partial = self._workspace_files(options)
        if path not in files:  # a buffer outside the roots, or not saved yet
            from kubelint.kube.kustomize import partial_files

            partial = partial | ({shown} if partial_files([path]) else set())
        linter.partial_files = partial
        outcomes = [linter.lint_source(load_text(text, shown))]
        neighbours = self._neighbours(linter, options, path, files, open_buffers)
        if neighbours is None:  # still reading the workspace: the buffer alone, as `check -` sees it
            return reduce_run(linter, outcomes).findings
        return [f for f in reduce_run(linter, outcomes + neighbours).findings if f.file == shown]

    def _workspace_files(self, options: Options) -> tuple[list[str], frozenset[str]]:
        key = tuple(options.exclude)
        with self._lock:
            known = self._files.get(key)
        if known is None:
            from kubelint.kube.kustomize import partial_files
            from kubelint.source import discover

            try:
                files = discover(self.roots, options.exclude) if self.roots else []
            except Exception:  # a root that went away: no neighbours rather than no lint
                files = []
            known = (files, frozenset(self.display_path(p) for p in partial_files(files)))
            with self._lock:
                self._files[key] = known
        return known

    def _neighbours(self, linter: Linter, options: Options, path: str, files: list[str],
                    open_buffers: Mapping[str, str]) -> list[FileOutcome] | None:
        """The facts of every other workspace file and open buffer; None while the first read of
        the workspace (in a thread of its own, so that no lint waits for it) is not done.

        Facts come from a Linter of the run-wide rules alone: what they read of an object does not
        depend on the CRDs or the other rules, so one read serves every Linter of the config.
        """
        ids = tuple(rule.id for rule, *_ in linter.run_rules)
        key = (id(options), ids, linter.pod_security_facts)
        with self._lock:
            scan = self._scans.get(key)
            if scan is None:
                scan = self._scans[key] = _Scan(files)
                self._background.submit(self._scan, scan, options, ids, linter.pod_security_facts)
        if not scan.done:
            return None
        facts_linter = self._fact_linters.get(key)
        if facts_linter is None:
            facts_linter = self._fact_linters[key] = _facts_linter(options, ids, linter.pod_security_facts)
        facts_linter.partial_files = linter.partial_files
        out: list[FileOutcome] = []
        for name in dict.fromkeys([*files, *(p for p in open_buffers if p.endswith(_SUFFIXES))]):
            if name == path:
                continue
            body = open_buffers.get(name)
            stamp: Any = ("buffer", _digest(body)) if body is not None else ("file", _stamp(name))
            cached = scan.outcomes.get(name)
            if cached is None or cached[0] != stamp:
                cached = (stamp, _facts(facts_linter, name, body, self.display_path(name), options.max_file_size))
                scan.outcomes[name] = cached
            out.append(cached[1])
        return out

    def _scan(self, scan: _Scan, options: Options, ids: tuple[str, ...], pod_security: bool) -> None:
        """Read the facts of every workspace file once (the scan's own Linter, in this thread)."""
        try:
            linter = _facts_linter(options, ids, pod_security)
            linter.partial_files = self._workspace_files(options)[1]
            for name in scan.files:
                if scan.cancelled:
                    return
                stamp = ("file", _stamp(name))
                scan.outcomes[name] = (stamp, _facts(linter, name, None, self.display_path(name),
                                                     options.max_file_size))
                time.sleep(_YIELD)
        except Exception:  # the buffer-alone lint goes on; the next config reads again
            return
        finally:
            scan.done = not scan.cancelled
        if self.on_ready is not None:
            self.on_ready()

    def fixes(self, path: str, text: str, findings: Iterable[Finding]) -> dict[Finding, Any]:
        """Each finding's Fix (or NoFix with the reason) for this text, as `check --fix` makes them."""
        from kubelint.fix.session import FixSession

        try:
            options = self.options_for(path)
        except ConfigError:
            return {}
        return FixSession(options).fixes(self.display_path(path), text, findings)

    def fix_all(self, path: str, text: str, open_buffers: Mapping[str, str], unsafe: bool = False) -> str:
        """The text with every safe fix applied, in passes as `kubelint check --fix` applies them."""
        from kubelint.fix.run import fix_text

        try:
            options = self.options_for(path)
        except ConfigError:
            return text
        linter = self._linter(options, path, text, open_buffers)
        return fix_text(linter, self.display_path(path), text, unsafe).after

    def options_for(self, path: str) -> Options:
        """The Options of the `.kubelint.yaml` nearest the buffer's directory, upward (the defaults
        without one, as `kubelint.lint_text` does); raises ConfigError when it is wrong."""
        found = find_config(os.path.dirname(path))
        key = found or ""
        stamp = _stamp(found) if found else None
        with self._lock:
            cached = self._configs.get(key)
        if cached is None or cached[0] != stamp:
            try:
                value: Options | ConfigError = options_from(load_config(found) if found else None)
            except ConfigError as exc:
                value = exc
            cached = (stamp, value)
            with self._lock:
                self._configs[key] = cached
        if isinstance(cached[1], ConfigError):
            raise cached[1]
        return cached[1]

    def custom_definition(self, api_version: str, kind: str, path: str, text: str,
                          open_buffers: Mapping[str, str]) -> Document | None:
        """The CRD document that defines apiVersion/kind, as the lint of `path` would choose it."""
        group, _, version = api_version.rpartition("/")
        for _, documents in self._crd_sources(path, text, open_buffers):
            for doc in documents:
                spec = doc.obj.get("spec") if isinstance(doc.obj, dict) else None
                if not isinstance(spec, dict) or spec.get("group") != group:
                    continue
                names = spec.get("names")
                if not isinstance(names, dict) or names.get("kind") != kind:
                    continue
                versions = spec.get("versions")
                served = [v.get("name") for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []
                if version not in served and spec.get("version") != version:
                    continue
                return doc
        return None

    def close(self) -> None:
        """Stop reading the workspace (the server shuts down)."""
        with self._lock:
            for scan in self._scans.values():
                scan.cancelled = True
            self._crd_walk = None
        self._background.shutdown(wait=False, cancel_futures=True)

    def settled(self) -> bool:
        """Whether the background reads of the workspace (its CRDs, its facts) are all done."""
        with self._lock:
            return self._crd_files is not None and all(scan.done for scan in self._scans.values())

    def invalidate(self, paths: Iterable[str] | None = None) -> bool:
        """Forget what is known of `paths` (None: everything): configs, CRD files, the walk.

        Returns whether the change can alter a lint: a config, or a file that holds (or held)
        CRDs; a change to any other manifest does not, until the project model reads them."""
        with self._lock:
            if paths is None:
                self._drop_scans()
                self._configs.clear()
                self._crd_files = None
                self._crd_walk = None
                self._disk_crds.clear()
                self._linters.clear()
                self._files.clear()
                return True
            matters = False
            for path in paths:
                path = os.path.abspath(path)
                if os.path.basename(path) in (".kubelint.yaml", ".kubelint.yml"):
                    self._drop_scans()
                    self._configs.clear()
                    self._linters.clear()
                    matters = True
                if path.endswith(_SUFFIXES):
                    held = self._disk_crds.pop(path, None)
                    known = self._crd_files or []  # None: not walked yet, the walk will see it
                    holds = os.path.isfile(path) and _mentions_crds(path)
                    if self._crd_files is not None and path not in known and holds:
                        self._crd_files = sorted([*known, path])
                    elif self._crd_files is not None and path in known and not holds:
                        self._crd_files = [p for p in known if p != path]
                    matters = matters or holds or path in known or bool(held and held[1])
                    listed = any(path in files for files, _ in self._files.values())
                    if listed != os.path.isfile(path) or os.path.basename(path) in KUSTOMIZATION_NAMES:
                        self._files.clear()  # a file came or went: walk again
                    # run-wide rules read every manifest: any change may alter a buffer's findings
                    matters = matters or any(linter.run_rules for linter in self._linters.values())
            return matters

    def _drop_scans(self) -> None:
        for scan in self._scans.values():
            scan.cancelled = True
        self._scans.clear()
        self._fact_linters.clear()

    def display_path(self, path: str) -> str:
        """The path as `kubelint check .` run in its workspace root would show it."""
        for root in self.roots:
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                return os.path.relpath(path, root)
        return path

    # ---------------------------------------------------------------------------- internals

    def _linter(self, options: Options, path: str, text: str, open_buffers: Mapping[str, str]) -> Linter:
        sources = self._crd_sources(path, text, open_buffers)
        key = (id(options), tuple(source for source, _ in sources))
        with self._lock:
            linter = self._linters.get(key)
            if linter is not None:
                self._linters.move_to_end(key)
                return linter
        linter = Linter(options)
        if linter.schema is not None:  # the first definition of a kind wins: the buffer's own first
            linter.schema.add_crds([doc for _, documents in sources for doc in documents])
        with self._lock:
            self._linters[key] = linter
            while len(self._linters) > _MAX_LINTERS:
                self._linters.popitem(last=False)
        return linter

    def _crd_sources(self, path: str, text: str,
                     open_buffers: Mapping[str, str]) -> list[tuple[Any, list[Document]]]:
        """(identity, CRD documents) of each source, in the order their definitions win."""
        out: list[tuple[Any, list[Document]]] = []
        buffers = {**open_buffers, path: text}
        for name in [path, *sorted(p for p in buffers if p != path)]:
            body = buffers[name]
            if CRD_MARK not in body:
                continue
            digest = _digest(body)
            documents = self._buffer_crds.get(digest)
            if documents is None:
                documents = crds_of(load_text(body, self.display_path(name)).documents)
                with self._lock:
                    if len(self._buffer_crds) > 64:
                        self._buffer_crds.clear()
                    self._buffer_crds[digest] = documents
            if documents:
                out.append((("buffer", name, digest), documents))
        for name in self._crd_file_list() or ():
            if name in buffers:
                continue
            stamp = _stamp(name)
            with self._lock:
                cached = self._disk_crds.get(name)
            if cached is None or cached[0] != stamp:
                cached = (stamp, _read_crds(name, self.display_path(name)) if stamp is not None else [])
                with self._lock:
                    self._disk_crds[name] = cached
            if cached[1]:
                out.append((("file", name, cached[0]), cached[1]))
        return out

    def _crd_file_list(self) -> list[str] | None:
        """The workspace's files that hold CRDs; None while the first walk (in a thread of its
        own: a big tree takes seconds to read and its CRD bundles to parse) is not done."""
        with self._lock:
            known = self._crd_files
            if known is not None or self._crd_walk is not None:
                return known
            self._crd_walk = walk = object()
        self._background.submit(self._walk_crds, walk)
        return None

    def _walk_crds(self, walk: object) -> None:
        import itertools

        try:
            walked = itertools.islice((p for root in self.roots for p in _walk(root)), MAX_SCANNED_FILES)
            known = sorted(p for p in walked if _mentions_crds(p))
            for name in known:  # parsed here, not in the first lints
                stamp = _stamp(name)
                documents = _read_crds(name, self.display_path(name)) if stamp is not None else []
                with self._lock:
                    if self._crd_walk is not walk:
                        return  # invalidated meanwhile: a newer walk reads again
                    self._disk_crds[name] = (stamp, documents)
                time.sleep(_YIELD)
        except Exception:
            known = []
        with self._lock:
            if self._crd_walk is not walk:
                return
            self._crd_files = known
            self._linters.clear()
        if self.on_ready is not None:
            self.on_ready()


class _Scan:
    """One read of the workspace's facts: the files, what each gave (with its stamp), whether done."""

    def __init__(self, files: list[str]) -> None:
        self.files = list(files)
        self.outcomes: dict[str, tuple[Any, FileOutcome]] = {}
        self.done = False
        self.cancelled = False


def _facts_linter(options: Options, ids: tuple[str, ...], pod_security: bool) -> Linter:
    """A Linter of the run-wide rules only (and the input rules): it parses and gathers facts."""
    import dataclasses

    linter = Linter(dataclasses.replace(options, only=list(ids), enable=[], disable=[]))
    linter.pod_security_facts = pod_security
    return linter


def _facts(linter: Linter, name: str, body: str | None, shown: str, max_bytes: int) -> FileOutcome:
    """A file's (or an open buffer's) facts for the run-wide rules, without its findings."""
    from kubelint.source import ReadError, load_bytes, read_bytes

    try:
        source = load_text(body, shown) if body is not None else load_bytes(read_bytes(name, max_bytes), shown)
        outcome = linter.lint_source(source)
    except (OSError, ReadError):  # what cannot be read adds no objects
        return FileOutcome([], 0, True)
    except Exception:  # nor does a file the linter fails on (it never should)
        return FileOutcome([], 0, True)
    return outcome._replace(findings=[], suppressions=[])


def config_finding(shown: str, exc: ConfigError) -> Finding:
    """A config that cannot be used, as one finding at the top of the buffer (the CLI exits 2)."""
    return Finding(CONFIG_RULE, Severity.ERROR, f"kubelint cannot use its config: {exc}", shown, 1, 1, 1, 1)


def _walk(root: str) -> Iterable[str]:
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(_SUFFIXES):
                yield os.path.join(top, name)


def _mentions_crds(path: str) -> bool:
    try:
        if os.path.getsize(path) > _MAX_SCAN_BYTES:
            return False
        with open(path, "rb") as handle:
            return CRD_MARK.encode() in handle.read()
    except OSError:
        return False


def _read_crds(path: str, shown: str) -> list[Document]:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read(_MAX_SCAN_BYTES + 1)
    except OSError:
        return []
    if len(text) > _MAX_SCAN_BYTES or CRD_MARK not in text:
        return []
    return crds_of(load_text(text, shown).documents)
