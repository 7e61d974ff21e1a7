"""duplicate-object: the same group/kind/namespace/name twice in what is applied together."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckDef, define_run
from kubelint.checks.run.facts import ObjectFacts
from kubelint.checks.run.index import RunHit, RunIndex


def duplicate_object(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """The same group/kind/namespace/name twice: the later silently replaces the earlier.

    Within one file, always. Across files only when the rule's `across_files` parameter is
    on, and then only between files of one directory (what `kubectl apply -f DIR` applies
    together; overlays and variants live in directories of their own) that share a few
    objects. Real repositories ship alternative variants of one application side by side
    (argo-cd's install.yaml and namespace-install.yaml, rook's cluster-*.yaml examples, istio's
    tracing addons), applied one or the other, never together: on the corpus every
    cross-file duplicate was such a variant, so by default they are not reported.
    """
    first: dict[tuple[str, str, str | None, str], ObjectFacts] = {}
    pairs: dict[tuple[str, str], list[tuple[ObjectFacts, ObjectFacts]]] = {}
    per_file: dict[str, int] = {}
    for facts in index.objects:
        if not facts.name or facts.kind.endswith("List"):
            continue
        per_file[facts.file] = per_file.get(facts.file, 0) + 1
        key = (facts.group, facts.kind, index.namespace_of(facts), facts.name)
        seen = first.get(key)
        if seen is None:
            first[key] = facts
        else:
            pairs.setdefault((seen.file, facts.file), []).append((seen, facts))
    limit = params.get("variant_threshold", 3) if isinstance(params, dict) else 3
    across = bool(params.get("across_files")) if isinstance(params, dict) else False
    for (one, other), found in sorted(pairs.items()):
        smaller = min(per_file[one], per_file[other])
        if one != other and (not across or os.path.dirname(one) != os.path.dirname(other)
                             or len(found) >= limit or 2 * len(found) > smaller):
            continue  # two variants of one application, not meant to be applied together
        for seen, facts in found:
            where = seen.file if seen.file != facts.file else "line"
            span = seen.name_span or seen.span
            namespace = index.namespace_of(facts)
            yield RunHit(facts, ("metadata", "name"), {
                "kind": facts.kind, "name": facts.name,
                "namespace": f" in namespace {namespace}" if namespace else "",
                "other": f"{where}:{span.line}" if where != "line" else f"line {span.line}",
            })


CHECKS: dict[str, CheckDef] = {
    "duplicate-object": define_run(duplicate_object, params={
        "type": "object", "additionalProperties": False,
        "properties": {"variant_threshold": {"type": "integer", "minimum": 1},
                       "across_files": {"type": "boolean"}}},
        placeholders=("kind", "name", "namespace", "other")),
}
