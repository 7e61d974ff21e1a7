"""What a fix is: text edits on character spans, never a re-dump of the YAML.

Spans are 1-based (line, column) with an exclusive end, as findings count them, so the JSON
report can hand an edit to an editor as it is. `safe` says the API server reads the fixed
object as the author meant the original; an unsafe fix changes behaviour and is applied only
with --unsafe-fixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Edit:
    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "endLine": self.end_line,
                "endColumn": self.end_column, "text": self.text}


@dataclass(frozen=True, slots=True)
class Fix:
    rule: str
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True
    # Keys this fix adds ("<document>:<path>"): two fixes adding the same key in one pass
    # would write it twice, so the second waits for the next pass.
    claims: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        return {"description": self.description, "safe": self.safe,
                "edits": [edit.as_dict() for edit in self.edits]}


@dataclass(frozen=True, slots=True)
class NoFix:
    """A fixable rule's finding that this object cannot be fixed for: the reason, for people."""

    reason: str


class Unfixable(Exception):
    """Raised inside a fixer when the text's shape is one it does not rewrite (it then offers no fix)."""
