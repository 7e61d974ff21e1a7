"""The names the engine's runner module used to hold, for code that imported them from here:
the per-file linter is engine/linter.py, the run engine/run.py, Options kubelint/options.py."""

from __future__ import annotations

from kubelint.engine.documents import crds_of, expand_lists, is_manifest
from kubelint.engine.linter import FileOutcome, Linter, active_rules
from kubelint.engine.run import lint_paths, lint_text, reduce_run
from kubelint.model import RunResult
from kubelint.options import Options

__all__ = ["FileOutcome", "Linter", "Options", "RunResult", "active_rules", "crds_of", "expand_lists", "is_manifest",
           "lint_paths", "lint_text", "reduce_run"]
