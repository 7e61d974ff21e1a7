"""Helpers every family of run-wide checks shares: names left to a template engine, which of
several same-named objects a reference means, and how a message names a place."""

from __future__ import annotations

import os
import re
from typing import Any

from kubelint.checks.run.facts import ObjectFacts
from kubelint.checks.run.index import RunIndex
from kubelint.lazypattern import LazyPattern

# Names that a template engine left for someone else to fill: the object they name cannot be
# looked up (helm template renders `release-name-…`, or `RELEASE-NAME-…` with Helm 2).
_PLACEHOLDER = LazyPattern(r"\{\{|\}\}|\$\{|\$\(|<[^<>]*>|release-name", re.IGNORECASE)

SCALABLE_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")


def is_placeholder(name: Any) -> bool:
    return not isinstance(name, str) or not name or _PLACEHOLDER.search(name) is not None


def closest(candidates: list[ObjectFacts], origin: ObjectFacts) -> ObjectFacts:
    """Of several objects of one name, the one `origin` most likely means: in its own file, else
    in the directory sharing the longest path with it (a tree may hold several applications
    that reuse a name), the later one on a tie (it is applied last)."""
    def score(facts: ObjectFacts) -> int:
        if facts.file == origin.file:
            return 1 << 30
        if os.path.isabs(facts.file) != os.path.isabs(origin.file):
            return 0
        return len(os.path.commonpath([os.path.dirname(facts.file), os.path.dirname(origin.file)]))
    best = max(score(f) for f in candidates)
    return [f for f in candidates if score(f) == best][-1]


def where(facts: ObjectFacts) -> str:
    span = facts.name_span or facts.span
    return f"{facts.file}:{span.line}"


def elsewhere(facts: ObjectFacts, origin: ObjectFacts) -> str:
    """" (file:line)" of `facts` when it lives in another directory than `origin`, the object a
    finding is about: a finding that pairs objects of two directories shows the pairing (in a
    tree of samples, the nearest object of a name may not be the one the user meant)."""
    if os.path.dirname(facts.file) == os.path.dirname(origin.file):
        return ""
    return f" ({where(facts)})"


def in_namespace(namespace: str | None) -> str:
    return f" in namespace {namespace}" if namespace else ""


def namespaces_with(index: RunIndex, kind: str) -> set[str | None]:
    return index.memoized("namespaces-with-" + kind, lambda: {index.namespace_of(f) for f in index.of_kind(kind)})
