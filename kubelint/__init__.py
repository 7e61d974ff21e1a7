"""kubelint: lint and validate Kubernetes manifests, every finding at its exact line.

The public API: `lint_paths` and `lint_text`, the `Options` they take (a target Kubernetes
version is `Options(kubernetes_version=parse_version("1.29"))`), and what they return
(`RunResult`, `Finding`, `Severity`). Without Options, both find and apply `.kubelint.yaml` as
the CLI does (`ConfigError` when it is wrong). The CLI is a thin layer over them. Imports are
lazy so that `import kubelint` stays cheap for editors and the pre-commit hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubelint._version import __version__

if TYPE_CHECKING:
    from kubelint.config import ConfigError
    from kubelint.errors import KubelintError
    from kubelint.kube.versions import parse_version, supported_versions
    from kubelint.model import Finding, RunResult, Severity
    from kubelint.options import Options


def lint_paths(paths: list[str] | tuple[str, ...], options: Options | None = None,
               **kwargs: Any) -> RunResult:
    """Lint files and directories; returns the findings and the run's counts.

    Without `options`, the .kubelint.yaml found from the paths upward applies, as for the CLI
    (a mistake in it raises ConfigError). The run stays in this process unless `options.jobs`
    asks for workers."""
    from kubelint.engine.run import lint_paths as run

    if options is None:
        from kubelint.config import resolve

        settings = resolve(list(paths), stdin_filename=kwargs.get("stdin_filename"))
        options = settings.options
        kwargs.setdefault("options_for", settings.options_for)
    return run(list(paths), options, **kwargs)


def lint_text(text: str, filename: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    """Lint one manifest text; returns its findings sorted by position.

    Without `options`, the .kubelint.yaml found from `filename`'s directory upward applies (as
    for `kubelint check - --stdin-filename FILENAME`); with no real filename, none does: the
    process's working directory says nothing about a text."""
    import os

    from kubelint.engine.run import lint_text as run

    if options is None:
        from kubelint.config import find_config, load_config, options_from

        directory = os.path.dirname(os.path.abspath(filename)) if filename and not filename.startswith("<") else None
        found = find_config(directory) if directory else None
        options = options_from(load_config(found) if found else None)
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
