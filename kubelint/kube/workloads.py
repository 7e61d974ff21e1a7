"""Where the pod spec and the containers live in each workload kind."""

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


def pod_spec(kind: str | None, obj: Any) -> tuple[dict[str, Any], FieldPath] | None:
    path = POD_SPEC_PATHS.get(kind or "")
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
