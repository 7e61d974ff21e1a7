"""Checks of the reliability rules (see rules/reliability/).

Which containers a rule is about matters more than the test itself: peers demand probes of
Jobs and resources of ephemeral containers, which the API forbids or which make no sense.
`role` sorts every container into what it is at run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckContext, CheckDef, Hit, define
from kubelint.kube.workloads import get_path
from kubelint.model import FieldPath

# A pod that runs to completion: its containers need no readiness or liveness probe.
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})

NO_PARAMS: dict[str, Any] = {"type": "object", "additionalProperties": False}


def role(container: Any, path: FieldPath) -> str:
    """"app", "init", "sidecar" (an init container with restartPolicy Always, 1.28+: it runs
    beside the app for the pod's whole life) or "ephemeral" (a debug container: the API
    forbids resources and probes on it)."""
    field = path[-2] if len(path) >= 2 else "containers"
    if field == "ephemeralContainers":
        return "ephemeral"
    if field == "initContainers":
        restart = container.get("restartPolicy") if isinstance(container, dict) else None
        return "sidecar" if restart == "Always" else "init"
    return "app"


def _name(container: Any) -> str:
    name = container.get("name") if isinstance(container, dict) else None
    return name if isinstance(name, str) else "?"


def _is_set(mapping: Any, key: str) -> bool:
    return isinstance(mapping, dict) and mapping.get(key) not in (None, "")


# ------------------------------------------------------------------------------- resources

def missing_resource(ctx: CheckContext, container: Any, path: FieldPath,
                     params: dict[str, Any]) -> Iterator[Hit]:
    """A container (app or sidecar) without a request or limit of one resource.

    A request is set when the container sets the limit alone (the API server copies the limit
    into the missing request) or when the pod sets it for all containers (pod-level
    `spec.resources`, 1.32+).
    """
    if not isinstance(container, dict) or role(container, path) not in ("app", "sidecar"):
        return
    resource, which = params["resource"], params["field"]
    resources = container.get("resources")
    resources = resources if isinstance(resources, dict) else {}
    if _is_set(resources.get(which), resource):
        return
    if which == "requests" and _is_set(resources.get("limits"), resource):
        return
    pod_resources = (ctx.pod_spec or {}).get("resources")
    if isinstance(pod_resources, dict) and (
            _is_set(pod_resources.get(which), resource)
            or (which == "requests" and _is_set(pod_resources.get("limits"), resource))):
        return
    yield Hit(path + ("name",), {"container": _name(container), "resource": resource})


# ---------------------------------------------------------------------------------- probes

def _long_running(ctx: CheckContext) -> bool:
    """Whether the pod runs until stopped: not a Job's pod, nor one that restarts only on
    failure or never (a bare Pod or PodTemplate with restartPolicy Never/OnFailure)."""
    if ctx.document.kind in RUN_TO_COMPLETION_KINDS:
        return False
    return (ctx.pod_spec or {}).get("restartPolicy") not in ("Never", "OnFailure")


def missing_probe(ctx: CheckContext, container: Any, path: FieldPath,
                  params: dict[str, Any]) -> Iterator[Hit]:
    """An app container of a long-running pod without the probe. Sidecars may have probes
    but need none (the pod's readiness is the app's); init and ephemeral containers can't.

    With `serving_only`, only a container that declares a port: readiness decides whether a
    Service sends it requests, which a container serving no port does not get (a queue
    worker, a controller, a `sleep infinity` toolbox).
    """
    if not isinstance(container, dict) or role(container, path) != "app" or not _long_running(ctx):
        return
    if params.get("serving_only") and not (isinstance(container.get("ports"), list) and container["ports"]):
        return
    if container.get(params["probe"]) is None:
        yield Hit(path + ("name",), {"container": _name(container)})


_PROBE_DEFAULTS = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 10,
                   "successThreshold": 1, "failureThreshold": 3}
_HANDLER_DEFAULTS = {"httpGet": {"path": "/", "scheme": "HTTP"}, "grpc": {"service": ""}}


def _normalized(probe: dict[str, Any]) -> dict[str, Any]:
    """The probe with the API server's defaults filled in, so that writing a default out
    does not make two probes different."""
    result = {**_PROBE_DEFAULTS, **probe}
    for handler, defaults in _HANDLER_DEFAULTS.items():
        if isinstance(result.get(handler), dict):
            result[handler] = {**defaults, **result[handler]}
    return result


def identical_probes(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """Readiness and liveness probes that are the same in every field, timing included.

    The same endpoint with a higher liveness failureThreshold is what the Kubernetes docs
    recommend, so only a full copy is reported (kube-score reports a shared handler).
    """
    if not isinstance(container, dict) or role(container, path) not in ("app", "sidecar"):
        return
    readiness, liveness = container.get("readinessProbe"), container.get("livenessProbe")
    if (isinstance(readiness, dict) and isinstance(liveness, dict) and readiness
            and _normalized(readiness) == _normalized(liveness)):
        yield Hit(path + ("livenessProbe",), {"container": _name(container)}, at="key")


# -------------------------------------------------------------------------------- replicas

# (API group, kind) of the objects that set a workload's replicas from outside it.
_SCALERS = {("autoscaling", "HorizontalPodAutoscaler"), ("keda.sh", "ScaledObject")}
# Workloads whose spec.replicas means what a Deployment's does, by kind and API group.
_REPLICATED = {("apps", "Deployment"), ("apps", "StatefulSet"),
               ("apps.openshift.io", "DeploymentConfig"), ("argoproj.io", "Rollout")}


def _group(api_version: str | None) -> str:
    return api_version.rsplit("/", 1)[0] if api_version and "/" in api_version else ""


def _scaled_by_other(ctx: CheckContext) -> bool:
    """Whether an autoscaler among the documents linted with this one targets it."""
    doc = ctx.document
    for other in ctx.documents:
        if other is doc or (_group(other.api_version), other.kind) not in _SCALERS:
            continue
        target = get_path(other.obj, ("spec", "scaleTargetRef"))
        if not isinstance(target, dict) or other.namespace != doc.namespace:
            continue
        if target.get("name") == doc.name and target.get("kind", "Deployment") == doc.kind:
            return True
    return False


def single_replica(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """Only an explicit `replicas: 1`: left out, replicas is usually managed by an
    autoscaler (possibly in another file), and writing it out would fight that autoscaler."""
    doc = ctx.document
    if (_group(doc.api_version), doc.kind) not in _REPLICATED:
        return
    replicas = get_path(obj, ("spec", "replicas"))
    if replicas == 1 and replicas is not True and not _scaled_by_other(ctx):
        yield Hit(("spec", "replicas"), {"kind": doc.kind, "name": doc.name or ""})


# ------------------------------------------------------------------------------------ jobs

# Annotations by which a deploy tool deletes the Job itself once it has run.
_CLEANED_BY = ("helm.sh/hook-delete-policy", "argocd.argoproj.io/hook-delete-policy")


def job_ttl(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """A Job of its own (not one a CronJob made, which the CronJob's history limits clean up,
    nor a Helm or Argo CD hook that the tool deletes) without ttlSecondsAfterFinished."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if not isinstance(spec, dict) or spec.get("ttlSecondsAfterFinished") is not None:
        return
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    owners = metadata.get("ownerReferences")
    if isinstance(owners, list) and any(isinstance(o, dict) and o.get("kind") == "CronJob" for o in owners):
        return
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict) and any(key in annotations for key in _CLEANED_BY):
        return
    yield Hit(("spec",), {"name": ctx.document.name or ""}, at="key")


# ------------------------------------------------------------------------------ disruption

def _percent(value: Any) -> int | None:
    if isinstance(value, str) and value.endswith("%") and value[:-1].strip().isdigit():
        return int(value[:-1])
    return None


def pdb_blocks_eviction(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """A PodDisruptionBudget that allows no disruption whatever the number of pods.

    `minAvailable` equal to a workload's replicas blocks eviction too, but that needs the
    workload: one object cannot show it.
    """
    spec = get_path(obj, ("spec",))
    if not isinstance(spec, dict):
        return
    max_unavailable = spec.get("maxUnavailable")
    if (max_unavailable == 0 and max_unavailable is not False) or _percent(max_unavailable) == 0:
        yield Hit(("spec", "maxUnavailable"), {"field": "maxUnavailable", "value": max_unavailable})
    min_available = spec.get("minAvailable")
    if _percent(min_available) == 100:
        yield Hit(("spec", "minAvailable"), {"field": "minAvailable", "value": min_available})


def _resource_params() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["resource", "field"],
            "properties": {"resource": {"enum": ["cpu", "memory"]},
                           "field": {"enum": ["requests", "limits"]}}}


CHECKS: dict[str, CheckDef] = {
    "missing-resource": define(missing_resource, params=_resource_params()),
    "missing-probe": define(missing_probe, params={
        "type": "object", "additionalProperties": False, "required": ["probe"],
        "properties": {"probe": {"enum": ["readinessProbe", "livenessProbe", "startupProbe"]},
                       "serving_only": {"type": "boolean"}}}),
    "identical-probes": define(identical_probes, params=NO_PARAMS),
    "single-replica": define(single_replica, params=NO_PARAMS),
    "job-ttl": define(job_ttl, params=NO_PARAMS),
    "pdb-blocks-eviction": define(pdb_blocks_eviction, params=NO_PARAMS),
}
