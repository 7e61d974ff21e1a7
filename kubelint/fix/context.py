"""What a fixer gets: the finding, its document as offsets in the text, and a way to check
that a rewrite validates against the target version's schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kubelint.fix.model import Fix
from kubelint.fix.text import RawEdit, Tree
from kubelint.model import FieldPath, Finding, format_path

_PART = re.compile(r'\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def parse_path(text: str) -> FieldPath:
    """format_path's text back into a path: spec.containers[0]["a.b"] → ("spec", "containers", 0, "a.b")."""
    parts: list[str | int] = []
    at = 0
    while at < len(text):
        match = _PART.match(text, at)
        if match is None:
            raise ValueError(f"not a field path: {text!r}")
        name, index, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        elif quoted is not None:
            parts.append(quoted.replace('\\"', '"').replace("\\\\", "\\"))
        else:
            parts.append(name)
        at = match.end()
    return tuple(parts)


class Problem(NamedTuple):
    """A schema problem of a rewritten object in the target version."""

    rule: str
    category: str  # type | required | unknown | other (see schema/errors.py)
    path: FieldPath
    detail: str


Validate = Callable[[Sequence[RawEdit]], list[Problem]]


@dataclass
class FixContext:
    finding: Finding
    tree: Tree
    path: FieldPath  # the finding's field path, from the object root
    kubernetes_version: tuple[int, int]
    validate: Validate

    @property
    def obj(self) -> object:
        return self.tree.doc.obj

    def fix(self, description: str, edits: Sequence[RawEdit], safe: bool = True,
            claims: Sequence[FieldPath] = ()) -> Fix:
        source = self.tree.src
        doc = self.tree.doc
        claims = list(claims) + self.tree.claims
        self.tree.claims = []
        claimed = frozenset(f"{doc.index}:{format_path(doc.base + tuple(c))}" for c in claims)
        return Fix(self.finding.rule, description, tuple(source.edit(e) for e in _merged(edits)), safe, claimed)


def _merged(edits: Sequence[RawEdit]) -> list[RawEdit]:
    """In text order; insertions at one place become one edit, in the order they were made."""
    out: list[RawEdit] = []
    for edit in sorted(edits, key=lambda e: (e[0], e[1])):
        if out and edit[0] == edit[1] == out[-1][0] == out[-1][1]:
            out[-1] = (edit[0], edit[1], out[-1][2] + edit[2])
        else:
            out.append(edit)
    return out
