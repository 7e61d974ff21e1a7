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
