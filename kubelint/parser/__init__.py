"""YAML text → Documents with positions, read as go-yaml (the API server's reader) reads it.

The parts, each with one job:
- builder.py: the documents, built straight from libyaml's event stream (`parse`);
- cyaml.py: PyYAML's C module made to call the builder instead of making event objects
  (the rebinding of its names, under a lock, with an at-fork hook);
- scalars.py: go-yaml's scalar rules (what `yes`, `1:20`, `0o17` and `!!int "3"` are);
- problems.py: everything that can be wrong with the YAML, in words a manifest author can act on;
- text.py: line breaks, positions, and the stream libyaml reads.

This module only gathers what the rest of kubelint uses.
"""

from __future__ import annotations

# Pausing the cyclic collector during a parse is a process-wide side effect: only the command
# line (which owns its process) turns it on; a library caller's process is left alone. Read
# here, at every parse (cyaml._run_events), so setting it on this package is what counts.
PAUSE_GC = False

from kubelint.parser.builder import DEFER_POSITIONS_AFTER, ParseResult, parse  # noqa: E402
from kubelint.parser.problems import MAX_ALIAS_EXPANSION, MAX_DEPTH, ParseProblem  # noqa: E402
from kubelint.parser.scalars import resolve_plain  # noqa: E402
from kubelint.parser.text import LINE_BREAK, LINE_BREAK_CHARS, _Window, position  # noqa: E402

__all__ = [
    "DEFER_POSITIONS_AFTER", "LINE_BREAK", "LINE_BREAK_CHARS", "MAX_ALIAS_EXPANSION", "MAX_DEPTH", "PAUSE_GC", "ParseProblem",
    "ParseResult", "_Window", "parse", "position", "resolve_plain",
]
