"""A regular expression compiled where it is first used, not where its module is imported.

Why: compiling a pattern takes 0.1 to 0.5 ms, and a one-file pre-commit run imports modules
holding forty of them, of which it uses half (a Kustomize remote URL, a PEM key, a
misspelt suppression comment, a broken document's separator are for other inputs): 4.6 ms
of a run whose whole budget over `import typer` is 50. The patterns a run is sure to use
stay plain `re.compile`; this is for the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class LazyPattern:
    """re.compile(pattern, flags), done on the first search, match, fullmatch, finditer, sub
    or split. `compiled()` gives the re.Pattern itself."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, string: Any, *args: int) -> re.Match[Any] | None:
        return self.compiled().search(string, *args)

    def match(self, string: Any, *args: int) -> re.Match[Any] | None:
        return self.compiled().match(string, *args)

    def fullmatch(self, string: Any, *args: int) -> re.Match[Any] | None:
        return self.compiled().fullmatch(string, *args)

    def finditer(self, string: Any, *args: int) -> Iterator[re.Match[Any]]:
        return self.compiled().finditer(string, *args)

    def sub(self, replacement: Any, string: Any, count: int = 0) -> Any:
        return self.compiled().sub(replacement, string, count)

    def split(self, string: Any, maxsplit: int = 0) -> list[Any]:
        return self.compiled().split(string, maxsplit)
