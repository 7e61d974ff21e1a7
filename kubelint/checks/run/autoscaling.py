"""HorizontalPodAutoscalers and their targets: a target the input lacks, replicas that fight
the autoscaler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckDef, define_run
from kubelint.checks.run.common import SCALABLE_KINDS, elsewhere, in_namespace, is_placeholder, where
from kubelint.checks.run.facts import ObjectFacts, ScaleTarget
from kubelint.checks.run.index import RunHit, RunIndex
from kubelint.checks.run.operators import operated
from kubelint.checks.run.pods import pod_sources
from kubelint.kube.groups import group_of


def _hpa_target(index: RunIndex, hpa: ObjectFacts) -> tuple[ScaleTarget, list[ObjectFacts]] | None:
    target = hpa.scale_target
    if target is None or is_placeholder(target.name) or not target.kind:
        return None
    found = index.named(target.kind, index.namespace_of(hpa), target.name)
    return target, [f for f in found if _same_group(target.api_version, f)]


def _same_group(api_version: str, facts: ObjectFacts) -> bool:
    """Whether a scaleTargetRef's apiVersion names the group of `facts`: the HPA controller
    looks its target up by group and kind, whatever the version (apps and extensions served
    the same Deployments)."""
    if not api_version:
        return True
    want, have = group_of(api_version), facts.group
    return want == have or {want, have} <= {"apps", "extensions"}


def _pods_by_name(index: RunIndex, namespace: str | None) -> dict[str, ObjectFacts]:
    """The first pod source of each name in a namespace."""
    tables = index.memoized("pods-by-name", dict)
    if namespace not in tables:
        table: dict[str, ObjectFacts] = {}
        for pods in pod_sources(index, namespace):
            if pods.name is not None:
                table.setdefault(pods.name, pods)
        tables[namespace] = table
    return tables[namespace]  # type: ignore[no-any-return]


def hpa_target_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An HPA whose scaleTargetRef names nothing in the input scales nothing.

    Only where the input has workloads in the HPA's namespace, and only for the built-in
    scalable kinds or kinds the input has objects of (a custom scalable kind, such as Argo's
    Rollout, may come from elsewhere)."""
    hpas = index.of_kind("HorizontalPodAutoscaler")
    present = {f.kind for f in index.objects} if hpas else set()
    operator_run = operated(index) if hpas else set()
    for hpa in hpas:
        found = _hpa_target(index, hpa)
        if found is None or found[1]:
            continue
        target, _ = found
        namespace = index.namespace_of(hpa)
        pods = pod_sources(index, namespace)
        if not pods or namespace in operator_run or (target.kind not in SCALABLE_KINDS and target.kind not in present):
            continue
        values = {"kind": target.kind, "name": target.name, "namespace": in_namespace(namespace)}
        other = _pods_by_name(index, namespace).get(target.name)
        if other is not None:
            values["other"] = other.kind
            values["namespace"] += elsewhere(other, hpa)
            yield RunHit(hpa, ("spec", "scaleTargetRef", "name"), values, "other-kind")
        else:
            values["workloads"] = ", ".join(f"{p.kind} {p.name}{elsewhere(p, hpa)}" for p in pods[:5]) + (
                ", …" if len(pods) > 5 else "")
            yield RunHit(hpa, ("spec", "scaleTargetRef", "name"), values)


def hpa_replicas_conflict(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A workload scaled by an HPA that also sets spec.replicas: every apply resets the replica
    count to the manifest's, until the HPA scales it back."""
    seen: set[int] = set()
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        found = _hpa_target(index, hpa)
        if found is None:
            continue
        for workload in found[1]:
            replicas = workload.workload.replicas if workload.workload is not None else None
            if id(workload) in seen or replicas is None:
                continue
            seen.add(id(workload))
            yield RunHit(workload, ("spec", "replicas"), {
                "kind": workload.kind, "name": workload.name, "replicas": replicas,
                "hpa": hpa.name, "where": where(hpa)})


CHECKS: dict[str, CheckDef] = {
    "hpa-target-missing": define_run(hpa_target_missing, ("default", "other-kind"), params=NO_PARAMS,
                                     placeholders={"default": ("kind", "name", "namespace", "workloads"),
                                                   "other-kind": ("kind", "name", "namespace", "other")}),
    "hpa-replicas-conflict": define_run(hpa_replicas_conflict, params=NO_PARAMS,
                                        placeholders=("kind", "name", "replicas", "hpa", "where")),
}
