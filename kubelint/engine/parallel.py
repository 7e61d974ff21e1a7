"""Spreading files over worker processes, with results independent of the worker count.

Parsing is the cost and it is CPU-bound Python, so threads do not help; processes do. Work is
split by file, the biggest files first so that one large file does not finish last, and the
merged findings are sorted, so `-j 1` and `-j 2` give byte-identical reports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from kubelint.engine.runner import FileOutcome, FirstPass, Linter

# Below these, a pool costs more than it saves (a pre-commit run on a few files).
MIN_FILES = 8
MIN_BYTES = 1 << 20
# A task for a worker: up to this many bytes or files (a bigger file is a task of its own).
BATCH_BYTES = 128 << 10
BATCH_FILES = 32

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


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def by_size(files: Sequence[str]) -> list[str]:
    """Biggest first, so that one large file does not finish last."""
    return sorted(files, key=lambda p: (-_size(p), p))


def _init(linter: Linter) -> None:
    global _worker_linter
    _worker_linter = linter


def _lint_one(path: str) -> tuple[str, FileOutcome]:
    assert _worker_linter is not None
    return path, _worker_linter.lint_file(path)


def _first_pass(path: str) -> tuple[str, FirstPass]:
    assert _worker_linter is not None
    return path, _worker_linter.first_pass(path)


def _first_pass_remote(path: str) -> tuple[str, FirstPass]:
    """The first pass in a worker: CRD schemas travel packed (see crd.pack)."""
    from kubelint.schema.crd import pack

    path, done = _first_pass(path)
    done.crds = [replace(doc, obj=pack(doc.obj)) for doc in done.crds]
    return path, done


def _batch(function: Callable[[str], T], paths: list[str]) -> list[T]:
    return [function(path) for path in paths]


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


def _map(linter: Linter, function: Callable[[str], T], files: Sequence[str], jobs: int,
         remote: Callable[[str], T] | None = None, alone: int = 0) -> Iterator[T]:
    """`function` over `files`, in this process or in `jobs` workers (calling `remote` there).

    The first `alone` files are tasks of their own: their results are awaited (CRDs)."""
    if jobs <= 1 or len(files) <= 1:
        _init(linter)
        yield from map(function, files)
        return
    import functools
    import multiprocessing

    # fork shares the loaded rules and schemas with the workers for free; elsewhere the
    # linter is pickled to each worker once.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(processes=jobs, initializer=_init, initargs=(linter,)) as pool:
        tasks = [[path] for path in files[:alone]] + batches(files[alone:])
        for results in pool.imap_unordered(functools.partial(_batch, remote or function), tasks):
            yield from results


def lint_files(linter: Linter, files: Sequence[str], jobs: int) -> Iterator[tuple[str, FileOutcome]]:
    """(path, outcome) for every file, in no particular order when jobs > 1."""
    return _map(linter, _lint_one, by_size(files), jobs)


def first_pass(linter: Linter, first: Sequence[str], then: Sequence[str],
               jobs: int) -> Iterator[tuple[str, FirstPass]]:
    """(path, first pass) for every file: `first` started one by one in the order given (each
    result comes back as soon as it is done), then `then` in batches; results come in no
    particular order when jobs > 1."""
    return _map(linter, _first_pass, [*first, *then], jobs, remote=_first_pass_remote, alone=len(first))
