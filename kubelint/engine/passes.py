"""Two passes over the files of a run, so that custom resources see every CRD of the run.

Custom resources are checked against the CRDs of every file, whatever the order of the files.
The first pass (worker processes, when there are many files) lints each file that needs no CRD
and gathers the CRDs; the files with custom resources are linted in the second pass, in this
process, each as soon as the CRDs of the API groups it uses are all in. A byte scan plans it
all before anything is parsed:

- which files may define CRDs of which groups: CRD files go first, and a group is complete
  once all of its files are back, so most of the second pass runs while the workers are busy;
- files with custom resources and no CRD go straight to the second pass (never parsed twice);
- only the CRDs of API groups that some file names come back from the workers: sending every
  CRD of a big tree between processes costs more than linting the files that use them.

The scan can see too much (an apiVersion in a description), which costs a little time and
changes no result: the parsed documents decide. What it cannot see at all (an apiVersion,
group or kind written as an alias) shows when the documents are parsed, and then the second
pass is done again the slow way, with every CRD of the run read again.

The planner sits above the per-file linter: it is handed one (FileLinter) and imports only the
FirstPass record of it; below it, the process pool (parallel.py) only maps a function over paths.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from kubelint.engine.documents import CRD_MARKER, crd_group, crds_of, custom_groups
from kubelint.engine.linter import FirstPass, packed_crd
from kubelint.engine.parallel import MIN_FILES, by_size, map_files
from kubelint.kube.groups import BUILTIN_GROUPS
from kubelint.lazypattern import LazyPattern
from kubelint.model import Document
from kubelint.source import ReadError, SourceResult, load_path, read_bytes

try:  # the C side, where it was built (parser/_fastyaml.c): it has the byte scan too
    from kubelint.parser import _fastyaml
except ImportError:  # pragma: no cover - a pure-Python install
    _fastyaml = None

# A file's outcome: what the per-file linter returns (engine/linter.py FileOutcome); the
# planner only hands it on.
Outcome = Any


class FileLinter(Protocol):
    """What the planner needs of the per-file linter (engine/linter.py Linter)."""

    schema: Any  # the SchemaValidator that CRDs are registered with
    options: Any  # for max_file_size
    wanted_groups: frozenset[str]
    pod_security_facts: bool

    def lint_file(self, path: str, *extras: str) -> Outcome: ...

    def look_up(self, path: str, *extras: str) -> Any: ...

    def keep(self, key: str | None, outcome: Outcome) -> None: ...

    def lint_source(self, source: SourceResult) -> Outcome: ...

    def first_pass(self, path: str) -> FirstPass: ...

    def cached_first_pass(self, path: str) -> FirstPass | None: ...


# The API group of every apiVersion written in a file: JSON and YAML, quoted or not.
_API_GROUP = re.compile(rb"apiVersion[\"']?\s*:\s*[\"']?([A-Za-z0-9][A-Za-z0-9.-]*)/")
# What a CRD's spec.group may be: any `group:` value (schemas have such fields too: harmless).
_CRD_GROUP = LazyPattern(rb"group[\"']?\s*:\s*[\"']?([A-Za-z0-9][A-Za-z0-9.-]*)")


def lint_files(linter: FileLinter, files: Sequence[str], jobs: int) -> Iterator[tuple[str, Outcome]]:
    """One pass, when nothing needs CRDs: (path, outcome) for every file, in no particular
    order when jobs > 1."""
    return map_files(functools.partial(_lint_one, linter), by_size(files), jobs, **_cache_channel(linter))


def _cache_channel(linter: FileLinter) -> dict[str, Any]:
    """The result cache's entries made in workers go to this process, which writes them."""
    cache = getattr(linter, "cache", None)
    return {} if cache is None else {"drain": cache.drain, "receive": cache.receive}


def _lint_one(linter: FileLinter, path: str) -> tuple[str, Outcome]:
    return path, linter.lint_file(path)


def first_pass(linter: FileLinter, first: Sequence[str], then: Sequence[str],
               jobs: int) -> Iterator[tuple[str, FirstPass]]:
    """(path, first pass) for every file: `first` started one by one in the order given (each
    result comes back as soon as it is done), then `then` in batches; results come in no
    particular order when jobs > 1."""
    if jobs > 1 and len(first) + len(then) > 1:
        from kubelint.schema.compiler import load_before_fork

        load_before_fork()
    for path, done in map_files(functools.partial(_first_pass, linter), [*first, *then], jobs,
                                in_worker=functools.partial(_first_pass_remote, linter), alone=len(first),
                                **_cache_channel(linter)):
        if isinstance(done.outcome, _Stored):
            done.outcome = done.outcome.outcome()
        yield path, done


def _first_pass(linter: FileLinter, path: str) -> tuple[str, FirstPass]:
    return path, linter.first_pass(path)


def _first_pass_remote(linter: FileLinter, path: str) -> tuple[str, FirstPass]:
    """The first pass in a worker: CRDs travel packed, without positions (see packed_crd); an
    outcome the worker's result cache just stored travels as that entry's bytes (_Stored)."""
    path, done = _first_pass(linter, path)
    done.crds = [doc if not doc.positions else packed_crd(doc) for doc in done.crds]
    cache = getattr(linter, "cache", None)
    if cache is not None and done.stored is not None and done.outcome is not None:
        payload = cache.pending_payload(done.stored)
        if payload is not None:
            done.outcome = _Stored(payload)  # type: ignore[assignment]
    return path, done


class _Stored:
    """A worker's outcome as the pickled (needs, outcome) its result cache stored: the entry
    goes to this process in the same message, and pickle writes one bytes object once however
    often it is referenced, so the outcome crosses as those bytes instead of being pickled a
    second time (a tenth of a worker's time on a cold corpus run)."""

    __slots__ = ("payload",)

    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def outcome(self) -> Outcome:
        import pickle

        return pickle.loads(self.payload)[1]


def lint_in_two_passes(linter: FileLinter, files: Sequence[str], jobs: int,
                       stdin_source: SourceResult | None,
                       on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """The outcome of every file (and of standard input, last), in no particular order."""
    run = _TwoPasses(linter, files, stdin_source)
    run.on_outcome = on_outcome
    plan = run.plan
    crd_files = by_size([p for p in files if plan[p].has_crd])
    rest = by_size([p for p in files if not plan[p].has_crd and p not in run.waiting])
    cache = getattr(linter, "cache", None)
    first_jobs = jobs
    if cache is not None and cache.stored():
        # A re-run: what the cache answers is answered here, and only the files it does not
        # know go to the workers (none at all when nothing changed: no pool to start).
        for path in [*crd_files, *rest]:
            done = linter.cached_first_pass(path)
            if done is not None:
                run.first_done(path, done)
        crd_files = [p for p in crd_files if p not in run.gathered]  # gathered: first pass done
        rest = [p for p in rest if p not in run.gathered]
        run.lint_ready()
        if len(crd_files) + len(rest) < MIN_FILES:
            first_jobs = 1  # a few changed files: a pool costs more than it saves
    for path, done in first_pass(linter, crd_files, rest, first_jobs):
        run.first_done(path, done)
        run.lint_ready()  # between results: the workers go on meanwhile
    run.finish(jobs)
    outcomes = run.outcomes + list(run.later.values())
    if stdin_source is not None:
        outcomes.append(linter.lint_source(stdin_source))
    return outcomes


class _Plan(NamedTuple):
    has_crd: bool
    groups: frozenset[str]  # the API groups its apiVersions name
    crd_groups: frozenset[str]  # the groups its CRDs may define (only for files with CRDs)
    pod_security: bool = False  # it may hold a Namespace with Pod Security labels


class _TwoPasses:
    """The state of one run: which API groups have all their CRDs in, and which files wait.

    A group is complete once every file that may define CRDs of it is back from the first
    pass; its CRDs are then registered in file order (the first definition of a kind wins,
    as everywhere else in a run), and a waiting file is linted as soon as every group it
    uses is complete. So the second pass runs in this process while the workers are busy,
    instead of after them.
    """

    def __init__(self, linter: FileLinter, files: Sequence[str], stdin_source: SourceResult | None) -> None:
        self.linter = linter
        self.schema = linter.schema
        assert self.schema is not None
        self.files = files
        self.max_bytes = linter.options.max_file_size
        self.plan = {path: _scan(path, self.max_bytes) for path in files}
        wanted = {g for entry in self.plan.values() for g in entry.groups if g not in BUILTIN_GROUPS}
        self.stdin_crds: list[Document] = []
        if stdin_source is not None:
            wanted |= custom_groups(stdin_source.documents)
            self.stdin_crds = crds_of(stdin_source.documents)
        self.wanted = frozenset(wanted)
        linter.wanted_groups = self.wanted
        # Each workload's Pod Security failures are worked out only when some Namespace of
        # the run may enforce a level: that is most of what the facts of a workload cost.
        linter.pod_security_facts = any(entry.pod_security for entry in self.plan.values()) or (
            stdin_source is not None and _PSA_LABEL.decode() in (stdin_source.text or ""))
        # group → the files that may still define CRDs of it
        self.unseen: dict[str, set[str]] = {g: set() for g in self.wanted}
        for path, entry in self.plan.items():
            for group in entry.crd_groups & self.wanted:
                self.unseen[group].add(path)
        self.definers = {g: sorted(paths) for g, paths in self.unseen.items()}
        self.complete: set[str] = set()
        self.gathered: dict[str, list[Document]] = {}  # each file's CRDs, once its first pass is done
        self.group_crds: dict[str, list[Document]] = {}  # the CRDs registered for each group
        self.digests: dict[frozenset[str], str] = {}  # crd_digest's, worked out once
        self.file_digests: dict[str, bytes] = {}  # content_digest of each CRD file crd_digest read
        self.outcomes: list[Outcome] = []
        self.later: dict[str, Outcome] = {}  # second-pass outcomes
        # files waiting for groups, with the groups they wait for
        self.waiting: dict[str, frozenset[str]] = {
            p: entry.groups - BUILTIN_GROUPS for p, entry in self.plan.items()
            if not entry.has_crd and not entry.groups <= BUILTIN_GROUPS}
        self.unplanned = False  # the scan missed a group or a CRD: the slow way at the end
        self.on_outcome: Callable[[Outcome], None] | None = None  # progress, as files finish
        for group in sorted(self.wanted):
            if not self.unseen[group]:
                self._complete(group)

    def first_done(self, path: str, done: FirstPass) -> None:
        self.gathered[path] = done.crds
        if done.digest is not None:  # the bytes it read, hashed: crd_digest need not read them again
            self.file_digests.setdefault(path, done.digest)
        for doc in done.crds:
            group = crd_group(doc)
            if group in self.complete or path not in self.definers.get(group or "", ()):
                self.unplanned = True  # a CRD the scan did not see coming
        if done.outcome is None:
            self.waiting[path] = done.needs
        else:
            self.outcomes.append(done.outcome)
            if self.on_outcome:
                self.on_outcome(done.outcome)
        for group in self.plan[path].crd_groups & self.wanted:
            self.unseen[group].discard(path)
            if not self.unseen[group] and group not in self.complete:
                self._complete(group)

    def _complete(self, group: str) -> None:
        self.complete.add(group)
        docs = [d for d in self.stdin_crds if crd_group(d) == group]
        docs += [d for path in self.definers[group] for d in self.gathered.get(path, ()) if crd_group(d) == group]
        self.group_crds[group] = docs
        if docs:
            self.schema.add_crds(docs)  # type: ignore[union-attr]

    def crd_digest(self, groups: frozenset[str]) -> str:
        """What the CRDs of `groups` say, as part of a result-cache key: a custom resource's
        findings change with its CRD. The bytes of the files that define them (and standard
        input's CRDs): cheaper than the parsed objects, and as exact."""
        known = self.digests.get(groups)
        if known is not None:
            return known
        from kubelint.resultcache import content_digest, file_key

        parts: list[bytes] = []
        for group in sorted(groups):
            parts.append(group.encode())
            for path in self.definers.get(group, ()):
                digest = self.file_digests.get(path)
                if digest is None:  # each CRD file read and hashed once, whatever the groups
                    try:
                        digest = content_digest(read_bytes(path, self.max_bytes))
                    except (OSError, ReadError):
                        digest = b"unreadable"
                    self.file_digests[path] = digest
                parts += [path.encode("utf-8", "surrogateescape"), digest]
            parts += [repr(d.obj).encode() for d in self.stdin_crds if crd_group(d) == group]
        self.digests[groups] = file_key(b"\x00".join(parts), "crds")
        return self.digests[groups]

    def lint_ready(self, everything: bool = False) -> None:
        """Lint the waiting files whose groups are complete (all of them, at the end)."""
        for path in sorted(self.waiting):
            groups = self.waiting[path]
            if not everything and not groups <= self.complete:
                continue
            relinted = path in self.later
            # A file's CRDs are all registered, and their digest makes its cache key, only when
            # the scan planned for its groups; else it is linted afresh and not stored.
            planned = not self.unplanned and groups <= self.wanted
            digest = self.crd_digest(groups) if planned and getattr(self.linter, "cache", None) is not None else None
            needs, outcome = _lint_waiting(self.linter, path, groups, digest)
            if needs is not None and not everything and not needs <= self.complete:
                self.waiting[path] = needs  # an alias hid a group from the scan: wait for it
                continue
            del self.waiting[path]
            self.unplanned = self.unplanned or (needs is not None and not needs <= self.wanted)
            self.later[path] = outcome
            if self.on_outcome and not relinted:
                self.on_outcome(outcome)

    def finish(self, jobs: int = 1) -> None:
        for group in sorted(self.wanted - self.complete):  # files that failed to come back
            self._complete(group)
        ready = sorted(p for p, groups in self.waiting.items() if groups <= self.complete)
        if jobs > 1 and len(ready) >= _POOL_AT_LEAST and not self.unplanned:
            self._second_pass_in_pool(ready, jobs)
        self.lint_ready(everything=True)
        if self.unplanned:
            every = [doc for path in sorted(self.files)
                     for doc in crds_of(load_path(path, self.max_bytes).documents)]
            self.schema.replace_crds(self.stdin_crds + every)  # type: ignore[union-attr]
            self.waiting = dict.fromkeys(self.later, frozenset())
            self.lint_ready(everything=True)


    def _second_pass_in_pool(self, paths: list[str], jobs: int) -> None:
        """The files that waited for CRDs, over the workers: forked now, they hold every CRD
        of the run, so the parent no longer lints them one by one while the workers idle."""
        digests = {p: self.crd_digest(self.waiting[p]) for p in paths} if getattr(
            self.linter, "cache", None) is not None else {}
        work = functools.partial(_second_pass, self.linter, digests, {p: self.waiting[p] for p in paths})
        for path, needs, outcome in map_files(work, by_size(paths), jobs, **_cache_channel(self.linter)):
            del self.waiting[path]
            if needs is not None and not needs <= self.complete:  # an alias hid a group from the scan
                self.unplanned = True
            self.later[path] = outcome
            if self.on_outcome:
                self.on_outcome(outcome)


# Fewer waiting files than this are linted in this process: a pool costs more than it saves.
_POOL_AT_LEAST = 8


def _second_pass(linter: FileLinter, digests: dict[str, str], groups: dict[str, frozenset[str]],
                 path: str) -> tuple[str, frozenset[str] | None, Outcome]:
    """A waiting file's outcome in a worker (see _lint_waiting)."""
    return (path, *_lint_waiting(linter, path, groups[path], digests.get(path)))


def _lint_waiting(linter: FileLinter, path: str, groups: frozenset[str],
                  digest: str | None) -> tuple[frozenset[str] | None, Outcome]:
    """A file with custom resources of `groups` (the scan's), once their CRDs are in: its
    outcome, and the API groups its documents use (None when the result cache answered).

    `digest` (crd_digest of `groups`; None without the cache) is part of its cache key. An
    outcome is stored only when the documents use no group beyond `groups`: the digest must
    cover every CRD the findings depend on.
    """
    looked = linter.look_up(path, digest) if digest is not None else None
    if looked is not None and looked.outcome is not None:
        return None, looked.outcome
    source = looked.load() if looked is not None else load_path(path, linter.options.max_file_size)
    needs = custom_groups(source.documents)
    outcome = linter.lint_source(source)
    if looked is not None and needs <= groups:
        linter.keep(looked.key, outcome)
    return needs, outcome


_PSA_LABEL = b"pod-security.kubernetes.io/"


def useful_context(reported: Sequence[str], context: Sequence[str], max_bytes: int,
                   stdin_text: str | None = None) -> list[str]:
    """The context files worth reading for `reported`: every file that holds objects (the
    run-wide rules pair them), but of the files that define CRDs only those of API groups the
    reported files use (a repository's CRDs are its largest files)."""
    settle_scans()  # every project comes here before its workers fork: no scan thread runs across a fork
    wanted: set[str] = set()
    for path in reported:
        wanted |= _scan(path, max_bytes).groups
    if stdin_text:
        wanted |= _values(stdin_text.encode("utf-8", "replace"), b"apiVersion", _API_GROUP)
    wanted -= BUILTIN_GROUPS
    out = []
    for path in context:
        plan = _scan(path, max_bytes)
        if not plan.has_crd or plan.crd_groups & wanted:
            out.append(path)
    return out


def custom_groups_named(path: str, max_bytes: int = 20 << 20) -> frozenset[str]:
    """The API groups a file's apiVersions name that Kubernetes itself does not serve."""
    return _scan(path, max_bytes).groups - BUILTIN_GROUPS


def may_define_crds(path: str, max_bytes: int = 20 << 20) -> bool:
    """Whether a file may hold CRDs (the byte scan: cheap, and never misses one written plainly)."""
    try:
        return CRD_MARKER.search(read_bytes(path, max_bytes)) is not None
    except (OSError, ReadError):
        return False


# A run scans each file twice (which context is useful, then the plan): the second is a look-up.
_scans: dict[tuple[str, int], _Plan] = {}
_ahead: list[_ScanAhead] = []  # scans started by scan_ahead, not yet taken into _scans


def forget_scans() -> None:
    """Each run starts over: files change between the runs of one process (an editor's)."""
    settle_scans()
    _scans.clear()


def scan_ahead(paths: Sequence[str], max_bytes: int) -> None:
    """Start the byte scan of `paths` on a thread, where the C scanner can run it with the GIL
    released (parser/_fastyaml.c scan_files): the run's main thread meanwhile finds its
    projects, rules and renders, and the scan (70 ms of the corpus's serial start) is done
    when the plan asks for it. Does nothing without the C scanner or for a few files."""
    if _fastyaml is None or not hasattr(_fastyaml, "scan_files") or len(paths) < MIN_FILES:
        return
    _ahead.append(_ScanAhead([p for p in paths if p != "-"], max_bytes))


class _ScanAhead:
    """One scan_ahead: its thread, and the plans it found (none if it failed: scanned again)."""

    def __init__(self, paths: list[str], max_bytes: int) -> None:
        import threading

        self.paths = paths
        self.max_bytes = max_bytes
        self.found: list[Any] = []
        self.thread = threading.Thread(target=self._scan, name="kubelint-scan", daemon=True)
        self.thread.start()

    def _scan(self) -> None:
        try:
            self.found = _fastyaml.scan_files(tuple(os.fsencode(p) for p in self.paths), self.max_bytes)
        except Exception:  # never seen; the paths are scanned one by one as before
            self.found = []

    def take(self) -> None:
        self.thread.join()
        if len(self.found) != len(self.paths):
            return
        for path, found in zip(self.paths, self.found, strict=True):
            plan = _Plan(False, frozenset(), frozenset()) if found is None else _Plan(
                found[1], frozenset(found[0]), frozenset(found[2]) if found[1] else frozenset(), found[3])
            _scans.setdefault((path, self.max_bytes), plan)


def settle_scans() -> None:
    """The scans started ahead, waited for and kept: before a project's workers fork, and
    when the next run starts (a run that ended in an error may leave its short-lived thread)."""
    while _ahead:
        _ahead.pop().take()


def _scan(path: str, max_bytes: int) -> _Plan:
    """Whether a file may hold CRDs, the API groups its apiVersions name, and the groups its
    CRDs may define."""
    known = _scans.get((path, max_bytes))
    if known is None and _ahead:
        settle_scans()
        known = _scans.get((path, max_bytes))
    if known is None:
        known = _scans[(path, max_bytes)] = _scan_bytes(path, max_bytes)
    return known


def _scan_bytes(path: str, max_bytes: int) -> _Plan:
    try:
        data = read_bytes(path, max_bytes)  # FIFOs are never opened; oversize files are findings
    except (OSError, ReadError):
        return _Plan(False, frozenset(), frozenset())
    groups = _values(data, b"apiVersion", _API_GROUP)
    pod_security = _PSA_LABEL in data
    if CRD_MARKER.search(data) is None:
        return _Plan(False, frozenset(groups), frozenset(), pod_security)
    return _Plan(True, frozenset(groups), frozenset(_values(data, b"group", _CRD_GROUP)), pod_security)


def _values(data: bytes, word: bytes, pattern: re.Pattern[bytes] | LazyPattern) -> set[str]:
    """The values `pattern` reads where `word` stands: bytes.find jumps from one to the next
    far faster than a regex searches 30 MB of CRD descriptions for a first letter."""
    found = set()
    at = data.find(word)
    while at >= 0:
        match = pattern.match(data, at)
        if match:
            found.add(match.group(1).decode("ascii"))
        at = data.find(word, at + len(word))
    return found
