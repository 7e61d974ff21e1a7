"""kubelint: lint and validate Kubernetes manifests, every finding at its exact line.

The public API is `lint_paths` and `lint_text`; the CLI is a thin layer over them. Imports are
lazy so that `import kubelint` stays cheap for editors and the pre-commit hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kubelint.engine.runner import Options, RunResult
    from kubelint.model import Finding


def lint_paths(paths: list[str] | tuple[str, ...], options: Options | None = None,
               **kwargs: Any) -> RunResult:
    """Lint files and directories; returns the findings and the run's counts."""
    from kubelint.engine.runner import lint_paths as run

    return run(list(paths), options, **kwargs)


def lint_text(text: str, filename: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    """Lint one manifest text; returns its findings sorted by position."""
    from kubelint.engine.runner import lint_text as run

    return run(text, filename, options)


__all__ = ["__version__", "lint_paths", "lint_text"]
