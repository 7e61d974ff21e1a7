"""The one base of every mistake a caller of kubelint must handle: usage, config, rules,
selection, baseline. The CLI turns any of them into one line and exit 2; a library caller
catches `kubelint.KubelintError`."""

from __future__ import annotations


class KubelintError(Exception):
    """A mistake in what kubelint was asked to do (not in the manifests, which are findings)."""


def describe(exc: BaseException) -> str:
    """An unexpected exception in words for an internal-error finding: its type, its message
    and where kubelint raised it (`TypeError: … at facts.py:120`), for the report to quote."""
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    origin = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return f"{type(exc).__name__}: {exc}{origin}"
