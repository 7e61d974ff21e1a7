"""One module per output format, all behind one renderer signature.

A renderer is `render(result, context, stream) -> None`. The registry names the module of each
format and imports it only when asked: a pre-commit run pays for the one format it prints.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING

from kubelint.model import Record

if TYPE_CHECKING:
    from kubelint.model import Rule, RunResult

# format name → module under kubelint.report holding its `render`
_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
}
FORMATS = tuple(_MODULES)


class ReportContext(Record):
    """What a report needs beyond the findings; only the text report reads the terminal parts.

    A plain class with slots (model.Record), not a dataclass, which every start-up made."""

    __slots__ = ("kubernetes_version", "lines_for", "color", "seconds", "quiet", "statistics", "show_suppressed",
                 "root")

    def __init__(self, kubernetes_version: str, lines_for: Callable[[str], list[str]] | None = None,
                 color: bool | None = False, seconds: float = 0.0, quiet: bool = False, statistics: bool = False,
                 show_suppressed: bool = False, root: str | None = None) -> None:
        self.kubernetes_version = kubernetes_version
        # The file's lines, for the text report's code frames (None: no frames).
        self.lines_for = lines_for
        self.color = color
        self.seconds = seconds
        self.quiet = quiet  # only the findings: no headers, frames or summary
        self.statistics = statistics  # counts per rule instead of the findings
        self.show_suppressed = show_suppressed  # also list what suppressions silenced
        # The directory relative paths are relative to (SARIF's %SRCROOT%); None: the working
        # directory when the context is made.
        self.root: str = os.getcwd() if root is None else root

    def rules_of(self, result: RunResult) -> Mapping[str, Rule]:
        """The run's rules as it applied them (a result made by hand may carry none)."""
        return result.rules


Renderer = Callable[["RunResult", ReportContext, IO[str]], None]


def renderer(name: str) -> Renderer:
    """The `render` function of a format; KeyError for an unknown name."""
    module = importlib.import_module(f"kubelint.report.{_MODULES[name]}")
    return module.render  # type: ignore[no-any-return]


def render_to_string(name: str, result: RunResult, context: ReportContext) -> str:
    import io

    buffer = io.StringIO()
    renderer(name)(result, context, buffer)
    return buffer.getvalue()
