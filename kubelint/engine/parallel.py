"""Spreading work on files over worker processes, with results independent of the worker count.

Parsing is the cost and it is CPU-bound Python, so threads do not help; processes do. Work is
split by file, the biggest files first so that one large file does not finish last, and the
merged findings are sorted, so `-j 1` and `-j 2` give byte-identical reports. This module
knows nothing of what is done to a file (rules, CRDs): it maps a function over paths.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

# Below these, a pool costs more than it saves (a pre-commit run on a few files).
MIN_FILES = 8
MIN_BYTES = 1 << 20
# A task for a worker: up to this many bytes or files (a bigger file is a task of its own).
BATCH_BYTES = 128 << 10
BATCH_FILES = 32

T = TypeVar("T")

_worker_function: Callable[[str], Any] | None = None  # what a worker process does to a path
_worker_drain: Callable[[], Any] | None = None  # what else a worker made, sent with each batch


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


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def by_size(files: Sequence[str]) -> list[str]:
    """Biggest first, so that one large file does not finish last."""
    return sorted(files, key=lambda p: (-_size(p), p))


def _init(function: Callable[[str], Any], drain: Callable[[], Any] | None = None) -> None:
    """A worker starts with default signal handling: a host's own SIGTERM handler (graceful
    shutdown in a service) inherited by fork would keep the pool's terminate from ending it."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    global _worker_function, _worker_drain
    _worker_function = function
    _worker_drain = drain
    if drain is not None:
        drain()  # what the parent held when it forked is the parent's, not this worker's


def _batch(paths: list[str]) -> tuple[list[Any], Any]:
    assert _worker_function is not None
    results = [_worker_function(path) for path in paths]
    return results, (_worker_drain() if _worker_drain is not None else None)


def batches(files: Sequence[str], max_bytes: int = BATCH_BYTES, max_files: int = BATCH_FILES) -> list[list[str]]:
    """Consecutive files grouped so that each task is worth sending to a worker: one task per
    small file spent more time on messages between processes than on linting."""
    out: list[list[str]] = []
    size = 0
    for path in files:
        length = _size(path)
        if not out or size + length > max_bytes or len(out[-1]) >= max_files:
            out.append([])
            size = 0
        out[-1].append(path)
        size += length
    return out


def map_files(function: Callable[[str], T], files: Sequence[str], jobs: int, *,
              in_worker: Callable[[str], T] | None = None, alone: int = 0,
              drain: Callable[[], Any] | None = None, receive: Callable[[Any], None] | None = None) -> Iterator[T]:
    """`function` over `files`, in this process or in `jobs` workers (calling `in_worker` there).

    The first `alone` files are tasks of their own: their results are awaited (CRDs). Results
    come in no particular order when jobs > 1. `in_worker` (or `function`) reaches each worker
    once: for free with fork, pickled with spawn. What a worker's `drain()` returns after each
    task is handed to `receive()` here, before the task's results (the result cache's new
    entries, which only this process writes).
    """
    if jobs <= 1 or len(files) <= 1:
        yield from map(function, files)
        return
    import multiprocessing

    # fork shares the loaded rules and schemas with the workers for free; elsewhere the
    # function (and the linter it is bound to) is pickled to each worker once.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(processes=jobs, initializer=_init, initargs=(in_worker or function, drain)) as pool:
        tasks = [[path] for path in files[:alone]] + batches(files[alone:])
        for results, made in pool.imap_unordered(_batch, tasks):
            if made and receive is not None:
                receive(made)
            yield from results
