"""Where the shipped data lives: inside the wheel, or in the source tree for an editable install."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """`rules` or `schemas`: kubelint/_data/<name> in a wheel, <repo>/<name> in a checkout."""
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    source = _PACKAGE.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"kubelint's {name}/ directory is missing from this installation")


_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})


def walk_once(top: str, onerror: Callable[[OSError], None] | None = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk following links, each folder once: a link loop, or a second link to a folder
    walked already, is not entered again (nor a folder that cannot be stat'ed). The caller
    may prune `dirnames` in place, as with os.walk."""
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True, onerror=onerror):
        try:
            info = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        ident = (info.st_dev, info.st_ino)
        if ident in seen:
            dirnames[:] = []
            continue
        seen.add(ident)
        yield dirpath, dirnames, filenames


def files_under(path: str) -> Iterator[str]:
    """Every regular file under `path`, sorted, following links but each folder once."""
    for dirpath, dirnames, filenames in walk_once(path):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


@functools.cache
def shipped_files() -> tuple[str, ...]:
    """Every file of kubelint's own that a result can depend on, sorted: the package's code
    (.py, and .c for the C parser) and the files of rules/ and schemas/, walked as their
    loaders walk them (links followed, hidden folders too).

    Listed once a process: it describes the code this process loaded. The disk cache stamps
    the list once too (cache.cached's `loaded`), and the rule catalog is built from the rule
    files in it, so what keys the catalog is what it was built from."""
    found = {f for f in files_under(str(_PACKAGE)) if f.endswith((".py", ".c"))}
    for name in ("rules", "schemas"):
        found.update(files_under(str(data_dir(name))))
    return tuple(sorted(found))


def load_yaml_data(path: Path | str) -> Any:
    """A data file of kubelint's own (rules, tables), read with kubelint's parser.

    Why not yaml.load: PyYAML's constructor is pure Python even with libyaml and costs a
    one-file run ~40 ms for the rule files; the event-stream parser reads them in a fraction,
    and the disk cache (cache.py) in a fraction of that. Raises ValueError naming the place
    of a syntax error.
    """
    from kubelint import cache

    return cache.cached("data", [str(path)], functools.partial(_parse_data, path))


def _parse_data(path: Path | str) -> Any:
    from kubelint.parser import parse

    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    result = parse(text, str(path))
    if result.problems:
        problem = result.problems[0]
        raise ValueError(f"{path}:{problem.span.line}:{problem.span.column}: {problem.message}")
    return result.documents[0].obj if result.documents else None
