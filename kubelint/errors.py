"""The one base of every mistake a caller of kubelint must handle: usage, config, rules,
selection, baseline. The CLI turns any of them into one line and exit 2; a library caller
catches `kubelint.KubelintError`."""

from __future__ import annotations


class KubelintError(Exception):
    """A mistake in what kubelint was asked to do (not in the manifests, which are findings)."""
