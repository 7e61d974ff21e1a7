"""Documents meant as Kubernetes objects that lack (or misspell) `apiVersion` or `kind`.

kubectl refuses such a document ("Object 'Kind' is missing"), yet a linter that only looks for
both fields would skip it as "not a manifest" and pass the file. The other side matters as
much: kustomization.yaml, Chart.yaml, values files, CI configs and the like are YAML with no
Kubernetes object in them and must stay quiet. So a document is only taken for an object when
its shape says so without doubt (see `meant_as_object`), and the files and kinds of tools that
borrow the Kubernetes look (kustomize, kubeconfig, Helm) are left alone.
"""

from __future__ import annotations

import os
import re
from typing import Any

from kubelint.kube.groups import is_tool_config, looks_like_api_version, looks_like_kind
from kubelint.model import Record

API_VERSION = "apiVersion"
KIND = "kind"
FIELDS = (API_VERSION, KIND)

# What `metadata` of an object holds; a mapping with none of these is someone else's metadata.
_METADATA_KEYS = frozenset({"name", "generateName", "namespace", "labels", "annotations"})
# Top-level fields of the common kinds besides metadata and spec: with a `kind`, any of them
# says "object" (a ConfigMap's data, a Role's rules, a List's items).
_BODY_KEYS = frozenset({"metadata", "spec", "data", "stringData", "binaryData", "rules",
                        "subjects", "roleRef", "webhooks", "items", "template"})
# Kinds of tool configuration files that are often written without an apiVersion: a
# kustomization (and a kustomize component), a kubeconfig, a kind cluster config.
_TOOL_KINDS = frozenset({"Kustomization", "Component", "Config", "Cluster", "Policy"})
# Files that are YAML for a tool, never objects, whatever keys they hold.
_TOOL_FILES = frozenset({"kustomization.yaml", "kustomization.yml", "kustomization",
                         "chart.yaml", "chart.yml", "skaffold.yaml", "skaffold.yml",
                         "docker-compose.yaml", "docker-compose.yml", "compose.yaml", "compose.yml"})
# Keys that resemble one of the two fields but mean something of their own.
_NOT_MISSPELT = frozenset({"version", "versions", "kinds", "apiVersions"})

# The apiVersion of the common built-in kinds, for "add `apiVersion: apps/v1`". Only kinds with
# one version served in every Kubernetes release kubelint supports.
_API_VERSIONS = {
    **dict.fromkeys(("Pod", "Service", "ConfigMap", "Secret", "Namespace", "ServiceAccount",
                     "PersistentVolume", "PersistentVolumeClaim", "ReplicationController",
                     "PodTemplate", "LimitRange", "ResourceQuota", "Endpoints", "Event", "Node",
                     "List"), "v1"),
    **dict.fromkeys(("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                     "ControllerRevision"), "apps/v1"),
    **dict.fromkeys(("Job", "CronJob"), "batch/v1"),
    **dict.fromkeys(("Ingress", "IngressClass", "NetworkPolicy"), "networking.k8s.io/v1"),
    **dict.fromkeys(("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"),
                    "rbac.authorization.k8s.io/v1"),
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1",
    **dict.fromkeys(("StorageClass", "CSIDriver", "VolumeAttachment"), "storage.k8s.io/v1"),
    "CustomResourceDefinition": "apiextensions.k8s.io/v1",
    "PriorityClass": "scheduling.k8s.io/v1",
    **dict.fromkeys(("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"),
                    "admissionregistration.k8s.io/v1"),
}


class Incomplete(Record):
    """One reason kubectl would refuse the document: a field missing, misspelt, empty or odd.

    `variant` names the message of the incomplete-object rule; `path` is where to point (the
    misspelt or empty key, or () for the document's start); `values` fill the message.
    A plain class with slots (model.Record), not a frozen dataclass, which every start-up made;
    nothing hashes one (its `values` dict made it unhashable anyway) or sets its fields.
    """

    __slots__ = ("variant", "path", "values")

    def __init__(self, variant: str, path: tuple[str, ...] = (), values: dict[str, str] | None = None) -> None:
        self.variant = variant
        self.path = path
        self.values: dict[str, str] = {} if values is None else values


def is_tool_file(path: str) -> bool:
    """Files that tools read and that never hold objects: kustomizations, charts, values, compose."""
    name = os.path.basename(path).lower()
    if name in _TOOL_FILES:
        return True
    stem = name.rsplit(".", 1)[0]
    return stem == "values" or stem.startswith("values-") or stem.endswith(("-values", ".values", "_values"))


def _field_key(obj: dict[Any, Any], wanted: str) -> str | None:
    """The key written for `wanted`: itself, or a miscased or misspelt form of it."""
    if wanted in obj:
        return wanted
    keys = [k for k in obj if isinstance(k, str) and k not in FIELDS and k not in _NOT_MISSPELT]
    folded = wanted.lower()
    for key in keys:  # `apiversion`, `api_version`, `Api-Version`, `KIND`
        if re.sub(r"[-_ ]", "", key).lower() == folded:
            return key
    from kubelint.suggest import closest

    for key in keys:  # `apiVerison`, `kindd`; a length far off cannot be close enough
        if abs(len(key) - len(wanted)) <= 3 and closest(key, FIELDS) == wanted:
            return key
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def meant_as_object(obj: Any, keys: dict[str, str | None]) -> bool:
    """Whether the document's shape says, without doubt, that it is a Kubernetes object.

    `keys` maps apiVersion and kind to the key written for them (see `_field_key`). Evidence:
    a kind with an apiVersion, `metadata`, `spec` or another object body; an apiVersion with
    an object's `metadata`; or an object's `metadata` with a `spec`. A values file with a
    top-level `kind: DaemonSet` (some charts have one) has none of these.
    """
    api_key, kind_key = keys[API_VERSION], keys[KIND]
    api = obj.get(api_key) if api_key else None
    kind = obj.get(kind_key) if kind_key else None
    if isinstance(kind, str) and kind.strip() in _TOOL_KINDS:
        return False
    if isinstance(api, str) and is_tool_config(api.strip(), kind.strip() if isinstance(kind, str) else ""):
        return False
    metadata = obj.get("metadata")
    has_metadata = isinstance(metadata, dict) and not _METADATA_KEYS.isdisjoint(metadata)
    has_spec = isinstance(obj.get("spec"), dict)
    kind_ok = kind_key is not None and (_blank(kind) or (isinstance(kind, str) and looks_like_kind(kind)))
    api_ok = api_key is not None and (_blank(api) or (isinstance(api, str) and looks_like_api_version(api)))
    if kind_ok and (api_key is not None or has_metadata or has_spec):
        return True
    if kind_ok and kind_key == KIND and not _BODY_KEYS.isdisjoint(obj):
        return True
    if api_ok and has_metadata:
        return True
    return has_metadata and has_spec


def incomplete(obj: Any, path: str = "") -> list[Incomplete]:
    """Why kubectl would refuse `obj` for its apiVersion or kind; [] when it would not, or when
    `obj` is not meant as an object at all. `path` is the file's: tool files are never objects.
    """
    if not isinstance(obj, dict):
        return []
    api, kind = obj.get(API_VERSION), obj.get(KIND)
    if isinstance(api, str) and isinstance(kind, str) and api.strip() and kind.strip():
        return []  # the common case, first and cheap
    if path and is_tool_file(path):
        return []
    keys = {name: _field_key(obj, name) for name in FIELDS}
    if not meant_as_object(obj, keys):
        return []
    kind_value = obj.get(keys[KIND]) if keys[KIND] else None
    suggested = _API_VERSIONS.get(kind_value.strip()) if isinstance(kind_value, str) else None
    out: list[Incomplete] = []
    missing: list[str] = []
    for name in FIELDS:
        key = keys[name]
        if key is None:
            missing.append(name)
            continue
        value = obj[key]
        hint = {"field": name, "key": key}
        if key != name:
            out.append(Incomplete("misspelt", (key,), hint))
        elif _blank(value):
            if name == API_VERSION and suggested:
                out.append(Incomplete("empty-api-version", (key,), {**hint, "kind": kind_value.strip(),
                                                                     "suggestion": suggested}))
            else:
                out.append(Incomplete("empty", (key,), hint))
        elif not isinstance(value, str):
            out.append(Incomplete("not-a-string", (key,), {**hint, "type": _type_name(value)}))
    if missing == [API_VERSION] and suggested:
        out.insert(0, Incomplete("missing-api-version", (), {"kind": kind_value.strip(),
                                                             "suggestion": suggested}))
    elif len(missing) == 2:
        out.insert(0, Incomplete("missing-both"))
    elif missing:
        out.insert(0, Incomplete("default", (), {"field": missing[0]}))
    return out


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "not a string"
