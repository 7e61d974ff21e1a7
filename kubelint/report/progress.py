"""A progress bar on stderr for long runs on a terminal: files done of all, findings so far.

It appears only once a run has taken `delay` seconds (a pre-commit run never sees it), only
on a terminal, and it is transient: nothing of it stays on the screen or reaches a report.
It refreshes when a file is done, never from a thread of its own, because the run forks
worker processes and a fork must not copy a running thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

DELAY = 1.0


class ProgressBar:
    """The `progress` callback of `lint_paths`; call `close()` when the run is over."""

    def __init__(self, stream: IO[str], delay: float = DELAY,
                 clock: Callable[[], float] = time.monotonic, width: int | None = None) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.width = width
        self.started = clock()
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int, findings: int) -> None:
        if self._bar is None:
            if self.clock() - self.started < self.delay:
                return
            self._start(total)
        self._bar.update(self._task, completed=done, total=max(total, done),
                         findings=findings, refresh=True)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream, force_terminal=True, width=self.width, highlight=False)
        self._bar = Progress(TextColumn("linting"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("files, {task.fields[findings]} findings"), TimeElapsedColumn(),
                             console=console, transient=True, auto_refresh=False)
        self._task = self._bar.add_task("lint", total=total, findings=0)
        self._bar.start()

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def for_stream(stream: IO[str], quiet: bool = False) -> ProgressBar | None:
    """A bar for `stream` when it is a terminal (and the run is not --quiet), else None."""
    if quiet:
        return None
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return ProgressBar(stream)
