"""Where the pod spec and the containers live in each workload kind: the one table of them.

A "workload" is every kind that carries a pod template. Built-in kinds are found by kind alone
(their names are reserved); the well-known custom workloads only in their own API group, so
that an unrelated CRD named `Rollout` is not read as Argo's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.model import FieldPath

# kind → path of the pod template's spec (or the pod spec itself for a Pod).
POD_SPEC_PATHS: dict[str, FieldPath] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

# (API group, kind) → path of the pod template's spec, for custom workloads users expect.
CUSTOM_POD_SPEC_PATHS: dict[tuple[str, str], FieldPath] = {
    ("apps.openshift.io", "DeploymentConfig"): ("spec", "template", "spec"),
    ("", "DeploymentConfig"): ("spec", "template", "spec"),  # OpenShift 3's legacy `v1` group
    ("argoproj.io", "Rollout"): ("spec", "template", "spec"),
}

CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")


def get_path(obj: Any, path: FieldPath) -> Any:
    """The value at `path`, or None when any step is missing or of the wrong type."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(obj, list) or part >= len(obj):
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[part] if isinstance(part, int) else obj.get(part)
        if obj is None:
            return None
    return obj


def pod_spec_path(kind: str | None, api_version: str | None = None) -> FieldPath | None:
    """Where the pod spec of `kind` lives, or None when the kind carries no pod template."""
    path = POD_SPEC_PATHS.get(kind or "")
    if path is None and api_version and kind:
        group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
        path = CUSTOM_POD_SPEC_PATHS.get((group, kind))
    return path


def pod_spec(kind: str | None, obj: Any, api_version: str | None = None) -> tuple[dict[str, Any], FieldPath] | None:
    """The pod spec of a workload object and its path, or None."""
    path = pod_spec_path(kind, api_version)
    if path is None:
        return None
    spec = get_path(obj, path)
    return (spec, path) if isinstance(spec, dict) else None


def containers(spec: dict[str, Any], spec_path: FieldPath,
               fields: tuple[str, ...] = CONTAINER_FIELDS) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    for name in fields:
        items = spec.get(name)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield item, spec_path + (name, index)
