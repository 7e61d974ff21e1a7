"""Spreading files over worker processes, with results independent of the worker count.

Parsing is the cost and it is CPU-bound Python, so threads do not help; processes do. Work is
split by file, the biggest files first so that one large file does not finish last, and the
merged findings are sorted, so `-j 1` and `-j 2` give byte-identical reports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from kubelint.engine.runner import FileOutcome, FirstPass, Linter

# Below these, a pool costs more than it saves (a pre-commit run on a few files).
MIN_FILES = 8
MIN_BYTES = 1 << 20

T = TypeVar("T")

_worker_linter: Linter | None = None


def default_jobs(files: Sequence[str]) -> int:
    """All CPUs for a big tree, one process for a few small files."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus <= 1 or len(files) < MIN_FILES:
        return 1
    total = 0
    for path in files:
        try:
            total += os.path.getsize(path)
        except OSError:
            continue
        if total >= MIN_BYTES:
            return cpus
    return 1


def by_size(files: Sequence[str]) -> list[str]:
    """Biggest first, so that one large file does not finish last."""
    def size(path: str) -> int:
        try:
            return os.path.getsize(path)
        except OSError:
            return 0

    return sorted(files, key=lambda p: (-size(p), p))


def _init(linter: Linter) -> None:
    global _worker_linter
    _worker_linter = linter


def _lint_one(path: str) -> tuple[str, FileOutcome]:
    assert _worker_linter is not None
    return path, _worker_linter.lint_file(path)


def _first_pass(path: str) -> tuple[str, FirstPass]:
    assert _worker_linter is not None
    return path, _worker_linter.first_pass(path)


def _map(linter: Linter, function: Callable[[str], T], files: Sequence[str], jobs: int) -> Iterator[T]:
    if jobs <= 1 or len(files) <= 1:
        _init(linter)
        yield from map(function, files)
        return
    import multiprocessing

    # fork shares the loaded rules and schemas with the workers for free; elsewhere the
    # linter is pickled to each worker once.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(processes=jobs, initializer=_init, initargs=(linter,)) as pool:
        yield from pool.imap_unordered(function, files, chunksize=1)


def lint_files(linter: Linter, files: Sequence[str], jobs: int) -> Iterator[tuple[str, FileOutcome]]:
    """(path, outcome) for every file, in no particular order when jobs > 1."""
    return _map(linter, _lint_one, by_size(files), jobs)


def first_pass(linter: Linter, files: Sequence[str], jobs: int) -> Iterator[tuple[str, FirstPass]]:
    """(path, first pass) for every file, started in the order given; results come in no
    particular order when jobs > 1."""
    return _map(linter, _first_pass, files, jobs)
