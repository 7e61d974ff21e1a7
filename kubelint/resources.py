"""Where the shipped data lives: inside the wheel, or in the source tree for an editable install."""

from __future__ import annotations

import functools
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


@functools.cache
def shipped_files() -> tuple[str, ...]:
    """Every file of kubelint's own that a result can depend on, sorted: the package's code
    (.py, and .c for the C parser) and the files of rules/ and schemas/.

    Listed once a process: it describes the code this process loaded. The disk cache stamps
    the list once too (cache.cached's `loaded`), for the rule catalog and the code fingerprint
    alike."""
    import os

    found: set[str] = set()
    for root, wanted in ((str(_PACKAGE), (".py", ".c")), (str(data_dir("rules")), ("",)),
                         (str(data_dir("schemas")), ("",))):
        for folder, folders, names in os.walk(root):
            folders[:] = [f for f in folders if f != "__pycache__" and not f.startswith(".")]
            found.update(os.path.join(folder, name) for name in names if name.endswith(wanted))
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
