"""The run index: every object's facts with namespaces resolved, and what a run-wide check yields.

Built once per run (per project) by the reduce step from the facts the map step returned.
Every lookup a check makes per object goes through a table built here once (by kind, by
(kind, namespace, name), workloads by namespace) or through `memo`, where checks keep the
tables they derive (pods by label, operator-run namespaces): no check compares all pairs of
objects, so a rendered stream of 20,000 objects costs what 20,000 files do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from kubelint.checks.run.facts import CrdFacts, ObjectFacts
from kubelint.kube.scopes import is_cluster_scoped
from kubelint.model import FieldPath, Record, Span

T = TypeVar("T")


class RunIndex(Record):
    """Every object of the run, with namespaces resolved as the API server would.

    A plain class with slots (model.Record), not a dataclass: it is made once a run, but the
    dataclass was made at every start-up."""

    __slots__ = ("objects", "default_namespace", "crd_scopes", "crds", "_by_kind", "_namespaces", "_named",
                 "_workloads", "memo")

    def __init__(self, objects: list[ObjectFacts], default_namespace: str = "default",
                 crd_scopes: dict[tuple[str, str], str] | None = None,
                 crds: dict[tuple[str, str], CrdFacts] | None = None, memo: dict[str, Any] | None = None) -> None:
        self.objects = objects
        self.default_namespace = default_namespace
        self.crd_scopes: dict[tuple[str, str], str] = {} if crd_scopes is None else crd_scopes
        self.crds: dict[tuple[str, str], CrdFacts] = {} if crds is None else crds  # by (group, kind)
        self._by_kind: dict[str, list[ObjectFacts]] = {}
        self._namespaces: dict[int, str | None] = {}
        self._named: dict[tuple[str, str | None, str], list[ObjectFacts]] = {}
        self._workloads: dict[str | None, list[ObjectFacts]] = {}
        self.memo: dict[str, Any] = {} if memo is None else memo
        self.objects.sort(key=lambda f: (f.file, f.document, f.base))
        for facts in self.objects:
            if facts.defines is not None:
                self.crd_scopes.setdefault((facts.defines.group, facts.defines.kind), facts.defines.scope)
                self.crds.setdefault((facts.defines.group, facts.defines.kind), facts.defines)
        for facts in self.objects:
            self._by_kind.setdefault(facts.kind, []).append(facts)
            namespace = self._namespace(facts)
            self._namespaces[id(facts)] = namespace
            if facts.name is not None:
                self._named.setdefault((facts.kind, namespace, facts.name), []).append(facts)
            if facts.workload is not None:
                self._workloads.setdefault(namespace, []).append(facts)

    def _namespace(self, facts: ObjectFacts) -> str | None:
        if is_cluster_scoped(facts.group, facts.kind, self.crd_scopes):
            return None
        return facts.namespace or self.default_namespace

    def namespace_of(self, facts: ObjectFacts) -> str | None:
        """None for cluster-scoped kinds; the written or the default namespace otherwise."""
        found = self._namespaces.get(id(facts), False)
        return self._namespace(facts) if found is False else found  # type: ignore[return-value]

    def of_kind(self, *kinds: str) -> list[ObjectFacts]:
        out: list[ObjectFacts] = []
        for kind in kinds:
            out.extend(self._by_kind.get(kind, ()))
        return out

    def named(self, kind: str, namespace: str | None, name: str) -> list[ObjectFacts]:
        return list(self._named.get((kind, namespace, name), ()))

    def workloads(self, namespace: str | None = None) -> list[ObjectFacts]:
        """Objects that carry a pod template (or are pods), in `namespace` when given."""
        if namespace is None:
            return [f for f in self.objects if f.workload is not None]
        return list(self._workloads.get(namespace, ()))

    def memoized(self, key: str, build: Callable[[], T]) -> T:
        """A table derived from the index, built once per run however many checks ask."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]  # type: ignore[no-any-return]


class RunHit:
    """One problem a run-wide check found: in which object, at which field, in which words."""

    __slots__ = ("at", "facts", "path", "values", "variant")

    def __init__(self, facts: ObjectFacts, path: FieldPath, values: dict[str, Any],
                 variant: str = "default", at: Span | None = None) -> None:
        self.facts = facts
        self.path = path
        self.values = values
        self.variant = variant
        self.at = at  # a span other than the field's own, when the check knows better
