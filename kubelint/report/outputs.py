"""Several reports from one run: `--format sarif --output r.sarif --format text`.

Each `--output` belongs to the `--format` before it; a format without one goes to standard
output. The lint runs once and every report is rendered from the same result.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from kubelint.errors import KubelintError
from kubelint.model import Record


class OutputError(KubelintError, ValueError):
    """A --format/--output combination that cannot be honoured; the message says how to fix it."""


class Target(Record):
    """One report: its format and where it goes. A plain class with slots (model.Record), not
    a dataclass, which every start-up made."""

    __slots__ = ("format", "output")

    def __init__(self, format: str, output: str | None = None) -> None:
        self.format = format
        self.output = output  # None: standard output


def default_format(environ: dict[str, str] | os._Environ[str], stdout_is_terminal: bool) -> str:
    """GitHub Actions annotations in a workflow's log; the text report everywhere else."""
    if environ.get("GITHUB_ACTIONS") == "true" and not stdout_is_terminal:
        return "github"
    return "text"


# What a report file's suffix says it holds, when no --format says it.
_SUFFIXES = {".json": "json", ".sarif": "sarif", ".xml": "junit"}


def format_for(path: str) -> str | None:
    """The format a report file's name asks for (`x.sarif`, `x.sarif.json` → sarif), or None."""
    name = os.path.basename(path).lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    return _SUFFIXES.get(os.path.splitext(name)[1])


def pair(flags: Sequence[tuple[str, str]], default: str) -> list[Target]:
    """Targets from the flags in command-line order: ("format", name) and ("output", path).

    An --output given before any --format belongs to the first format (`-o r.json -f json`
    reads as one would say it), or to the default format when none is given.
    """
    targets: list[Target] = []
    early: list[str] = []
    for flag, value in flags:
        if flag == "format":
            targets.append(Target(value))
        elif not targets:
            early.append(value)
        elif targets[-1].output is None:
            targets[-1].output = value
        else:
            raise OutputError(f"--output {value}: the --format {targets[-1].format} before it already "
                              f"writes to {targets[-1].output}; give each --output its own --format")
    if early:
        if len(early) > 1:
            raise OutputError(f"--output {early[1]}: each --output needs its own --format before it")
        if not targets:  # `-o report.sarif` alone: the file's suffix says the format
            targets.append(Target(format_for(early[0]) or default))
        if targets[0].output is not None:
            raise OutputError(f"--output {early[0]}: each --output needs its own --format before it")
        targets[0].output = early[0]
    if not targets:
        targets.append(Target(default))
    to_stdout = [t.format for t in targets if t.output is None]
    if len(to_stdout) > 1:
        raise OutputError(f"--format {' and --format '.join(to_stdout)} cannot all go to standard output; "
                          "give all but one an --output FILE after it")
    seen: set[str] = set()
    for target in targets:
        if target.output is not None:
            key = os.path.abspath(target.output)
            if key in seen:
                raise OutputError(f"--output {target.output} is named twice; one file holds one report")
            seen.add(key)
    return targets
