"""Where the shipped data lives: inside the wheel, or in the source tree for an editable install."""

from __future__ import annotations

import functools
from pathlib import Path

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
