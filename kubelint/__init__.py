"""kubelint: lint and validate Kubernetes manifests, every finding at its exact line.

The public API: `lint_paths` and `lint_text`, the `Options` they take (a target Kubernetes
version is `Options(kubernetes_version=parse_version("1.29"))`), and what they return
(`RunResult`, `Finding`, `Severity`). Without Options, both find and apply `.kubelint.yaml` as
the CLI does (`ConfigError` when it is wrong). The CLI is a thin layer over them. Imports are
lazy so that `import kubelint` stays cheap for editors and the pre-commit hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kubelint.config import ConfigError
    from kubelint.errors import KubelintError
    from kubelint.kube.versions import parse_version, supported_versions
    from kubelint.model import Finding, RunResult, Severity
    from kubelint.options import Options


def lint_paths(paths: list[str] | tuple[str, ...], options: Options | None = None,
               **kwargs: Any) -> RunResult:
    """Lint files and directories; returns the findings and the run's counts."""
    from kubelint.engine.runner import lint_paths as run

    return run(list(paths), options, **kwargs)


def lint_text(text: str, filename: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    """Lint one manifest text; returns its findings sorted by position."""
    from kubelint.engine.runner import lint_text as run

    return run(text, filename, options)


# name → the module that defines it; imported on first use.
_LAZY = {
    "Options": "kubelint.options",
    "RunResult": "kubelint.model",
    "Finding": "kubelint.model",
    "Severity": "kubelint.model",
    "ConfigError": "kubelint.config",
    "KubelintError": "kubelint.errors",
    "parse_version": "kubelint.kube.versions",
    "supported_versions": "kubelint.kube.versions",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kubelint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = ["ConfigError", "Finding", "KubelintError", "Options", "RunResult", "Severity", "__version__", "lint_paths",
           "lint_text", "parse_version", "supported_versions"]
