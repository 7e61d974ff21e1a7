"""The other documents of one file, indexed once, for per-object checks that look at them.

Some per-object checks ask about the documents linted with theirs (`ctx.documents`): does an
autoscaler target this workload, which workloads does this PodDisruptionBudget cover, does a
Service send these pods traffic. Scanning every document for every object makes one rendered
stream (`helm template | kubelint check -`) quadratic: 800 copies of an app in one file took
7.6 times as long as the same copies as 800 files. `file_index(ctx)` builds the tables once
per file and hands the same index to every object of it.

The index is kept for the file being linted only (one slot per thread, so threaded hosts such
as the language server keep theirs apart), and holds no more of the documents than its tables
name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kubelint.model import Document

T = TypeVar("T")


class FileIndex:
    """The documents of one file by kind, by (kind, namespace, name) and by (kind, name), in
    file order, the (group, kind) pairs its CRDs define, and `memoized` tables that checks
    derive from them. Namespaces are as written (None when
    absent): per-object checks compare documents of one file as written."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._documents = documents
        self._by_kind: dict[str | None, list[Document]] | None = None
        self._named: dict[tuple[str | None, str | None, str | None], list[Document]] | None = None
        self._named_anywhere: dict[tuple[str | None, str | None], list[Document]] | None = None
        self._crd_kinds: set[tuple[str, str]] | None = None
        self._memo: dict[str, Any] = {}

    def of_kind(self, kind: str | None) -> list[Document]:
        if self._by_kind is None:
            self._by_kind = {}
            for doc in self._documents:
                self._by_kind.setdefault(doc.kind, []).append(doc)
        return self._by_kind.get(kind, [])

    def named(self, kind: str | None, namespace: str | None, name: str | None) -> list[Document]:
        """The documents of `kind`, `namespace` (as written) and `name`, in file order."""
        if self._named is None:
            self._named = {}
            for doc in self._documents:
                self._named.setdefault((doc.kind, doc.namespace, doc.name), []).append(doc)
        return self._named.get((kind, namespace, name), [])

    def named_anywhere(self, kind: str | None, name: str | None) -> list[Document]:
        """The documents of `kind` and `name` in any namespace, in file order: what a
        cluster-scoped reference (a binding's ClusterRole) may name."""
        if self._named_anywhere is None:
            self._named_anywhere = {}
            for doc in self._documents:
                self._named_anywhere.setdefault((doc.kind, doc.name), []).append(doc)
        return self._named_anywhere.get((kind, name), [])

    def defines_kind(self, group: str, kind: str) -> bool:
        """Whether a CustomResourceDefinition of the file defines `kind` in API `group`
        (its spec.group and spec.names.kind, both strings)."""
        if self._crd_kinds is None:
            self._crd_kinds = set()
            for doc in self.of_kind("CustomResourceDefinition"):
                spec = doc.obj.get("spec") if isinstance(doc.obj, dict) else None
                names = spec.get("names") if isinstance(spec, dict) else None
                if isinstance(spec, dict) and isinstance(names, dict):
                    crd_group, crd_kind = spec.get("group"), names.get("kind")
                    if isinstance(crd_group, str) and isinstance(crd_kind, str):
                        self._crd_kinds.add((crd_group, crd_kind))
        return (group, kind) in self._crd_kinds

    def memoized(self, key: str, build: Callable[[Sequence[Document]], T]) -> T:
        """A table derived from the file's documents, built once however many objects ask."""
        if key not in self._memo:
            self._memo[key] = build(self._documents)
        return self._memo[key]  # type: ignore[no-any-return]


class _Slot(threading.local):
    # The file's first and last documents and the list's identity and length: the same list
    # of the same file (held so that their identities cannot be reused while the slot is).
    key: tuple[int, int, Document | None, Document | None] | None = None
    index: FileIndex | None = None


_SLOT = _Slot()


def file_index(documents: Sequence[Document]) -> FileIndex:
    """The index of `documents` (a check passes `ctx.documents`): made on the first call for a
    file, the same for every later call with the same documents."""
    key = (id(documents), len(documents), documents[0] if documents else None,
           documents[-1] if documents else None)
    cached = _SLOT.key
    if (cached is None or _SLOT.index is None or cached[0] != key[0] or cached[1] != key[1]
            or cached[2] is not key[2] or cached[3] is not key[3]):
        _SLOT.key = key
        _SLOT.index = FileIndex(documents)
    return _SLOT.index


def release() -> None:
    """Forget the index of the last file (its tables hold documents): for the linter to call
    when a file is done, so that a big stream's trees are not kept past its map step."""
    _SLOT.key = None
    _SLOT.index = None
