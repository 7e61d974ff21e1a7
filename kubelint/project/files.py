"""Reading the files a project's tools read: parsed once per content, with positions.

A kustomization is read by the tree walk, by the build and again by every finding mapped back
to it; an origin file by every finding on its objects. They are parsed with kubelint's own
parser (go-yaml's reading, positions for every node) and kept while their size and time stay.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from kubelint.model import Document, FieldPath, Span
from kubelint.parser import parse

_MAX_BYTES = 4 * 1024 * 1024  # a kustomization or patch is small; a bigger file is not read twice


def documents(path: str) -> list[Document]:
    """The documents of a file (empty when it cannot be read or parsed)."""
    try:
        info = os.stat(path)
    except OSError:
        return []
    if info.st_size > _MAX_BYTES:
        return []
    return _documents(path, info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _documents(path: str, size: int, mtime: int) -> list[Document]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return []
    return parse_text(text, path)


def parse_text(text: str, name: str, line_offset: int = 0) -> list[Document]:
    try:
        return [d for d in parse(text, name, line_offset=line_offset).documents if d.obj is not None]
    except (RecursionError, ValueError):
        return []


def first_object(path: str) -> Any:
    """The first document's object of a file (a kustomization), or None."""
    found = documents(path)
    return found[0].obj if found else None


def value_span(doc: Document, path: FieldPath) -> Span | None:
    """The span of the value at `path`, or None when the document has no such node."""
    node = doc.node(tuple(path))
    return node.value if node is not None else None


def key_span(doc: Document, path: FieldPath) -> Span | None:
    """The span of the key at `path` (the value's for list items), or None."""
    node = doc.node(tuple(path))
    if node is None:
        return None
    return node.key or node.value
