"""Apply fixes to a text: every edit of a fix or none, and no two fixes on the same characters.

Where two fixes overlap, the first (in text order) is applied and the other waits for the next
pass, which re-lints the rewritten text and computes it afresh on the new positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kubelint.fix.model import Edit, Fix
from kubelint.fix.text import SourceText

Range = tuple[int, int]


def _overlaps(a: Range, b: Range) -> bool:
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]  # two insertions at one place: their order would be a guess
    if a[0] == a[1]:
        return b[0] < a[0] < b[1]
    if b[0] == b[1]:
        return a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(text: str, edits: Iterable[Edit], source: SourceText | None = None) -> str:
    """The text with `edits` (which must not overlap) applied."""
    source = source or SourceText(text)
    ranges = sorted(((source.offset(e.line, e.column), source.offset(e.end_line, e.end_column), e.text)
                     for e in edits), key=lambda r: (r[0], r[1]), reverse=True)
    out = text
    for start, end, new in ranges:
        out = out[:start] + new + out[end:]
    return out


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix], list[Fix]]:
    """(new text, fixes applied, fixes left for the next pass because they overlap)."""
    source = SourceText(text)
    taken: list[Range] = []
    claimed: set[str] = set()
    applied: list[Fix] = []
    waiting: list[Fix] = []

    def first(fix: Fix) -> tuple[int, int]:
        return min((e.line, e.column) for e in fix.edits) if fix.edits else (0, 0)

    for fix in sorted(fixes, key=first):
        ranges = [(source.offset(e.line, e.column), source.offset(e.end_line, e.end_column)) for e in fix.edits]
        if any(_overlaps(r, t) for r in ranges for t in taken) or any(
                _overlaps(r, s) for i, r in enumerate(ranges) for s in ranges[i + 1:]) or claimed & fix.claims:
            waiting.append(fix)
            continue
        claimed.update(fix.claims)
        taken.extend(ranges)
        applied.append(fix)
    edits = [edit for fix in applied for edit in fix.edits]
    return apply_edits(text, edits, source), applied, waiting
