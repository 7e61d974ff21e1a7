"""What the engine reads off a file's documents before any rule runs.

Which documents are objects, lists standing for their items (kube/lists.py), and the CRDs a
file defines and the API groups its custom resources need: the per-file linter and the
planner of passes both ask, so it lives below both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kubelint.kube.groups import group_of, is_builtin_group, is_tool_config
from kubelint.kube.lists import expanded_items
from kubelint.model import Document

# A file's bytes that may hold a CRD (the byte scan: cheap, and never misses one written plainly).
CRD_MARKER = re.compile(rb"kind[\"']?\s*:\s*[\"']?CustomResourceDefinition\b")

def is_manifest(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("apiVersion"), str) and isinstance(obj.get("kind"), str)


def expand_lists(documents: Iterable[Document]) -> list[Document]:
    """Core list documents stand for their items, each linted as an object (kube/lists.py)."""
    out: list[Document] = []
    for doc in documents:
        items = expanded_items(doc.obj)
        if items is not None:
            for index, item in enumerate(items):
                base = ("items", index)
                pos = doc.node(base)
                span = pos.value if pos else doc.span
                out.append(Document(doc.file, doc.index, item, doc.positions, span, base,
                                    doc.line_offset, doc.root))
        else:
            out.append(doc)
    return out


def custom_groups(documents: Iterable[Document]) -> frozenset[str]:
    """The API groups of the objects that only a CRD can describe."""
    groups = set()
    for doc in expand_lists(documents):
        api_version, kind = doc.api_version, doc.kind
        if api_version and kind and not is_builtin_group(api_version) \
                and not is_tool_config(api_version, kind):
            groups.add(group_of(api_version))
    return frozenset(groups)


def crd_group(doc: Document) -> str | None:
    spec = doc.obj.get("spec") if isinstance(doc.obj, dict) else None
    group = spec.get("group") if isinstance(spec, dict) else None
    return group if isinstance(group, str) else None


def crds_of(documents: Iterable[Document]) -> list[Document]:
    """CRD objects without their positions: only their schemas are needed, in any process."""
    return [Document(d.file, d.index, d.obj, {}, d.span) for d in expand_lists(documents)
            if d.kind == "CustomResourceDefinition" and is_manifest(d.obj)]
