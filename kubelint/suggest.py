"""Did-you-mean: the closest known name to a misspelt one.

Shared by unknown fields (sibling field names) and unknown kinds (kinds of an apiVersion), so
that both suggest the same way: a case-only difference first, then the closest spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Below this similarity a suggestion misleads more than it helps (`replicas` for `rules`).
_CUTOFF = 0.75


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate `name` was most likely meant to be, or None when none is close."""
    choices = sorted({c for c in candidates if c != name})
    if not choices:
        return None
    folded = name.lower()
    for choice in choices:
        if choice.lower() == folded:
            return choice
    match = difflib.get_close_matches(name, choices, n=1, cutoff=_CUTOFF)
    if match:
        return match[0]
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(folded, sorted(lowered), n=1, cutoff=_CUTOFF)
    return lowered[match[0]] if match else None
