"""Checks of the reliability rules (see rules/reliability/).

Which containers a rule is about matters more than the test itself: peers demand probes of
Jobs and resources of ephemeral containers, which the API forbids or which make no sense.
`role` sorts every container into what it is at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckContext, CheckDef, Hit, define
from kubelint.checks.run.file_index import file_index
from kubelint.kube.selectors import is_empty, matches, requirement_matches
from kubelint.kube.workloads import get_path
from kubelint.model import Document, FieldPath

# A pod that runs to completion: its containers need no readiness or liveness probe.
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})


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


def _declares_port(container: Any) -> bool:
    return isinstance(container, dict) and isinstance(container.get("ports"), list) and bool(container["ports"])


def _pod_labels(ctx: CheckContext) -> dict[str, Any]:
    """The labels of the pods this pod spec makes (a Pod's own, or its template's)."""
    labels = get_path(ctx.document.obj, ctx.pod_spec_path[:-1] + ("metadata", "labels"))
    return labels if isinstance(labels, dict) else {}


def _selected_by_service(ctx: CheckContext) -> bool:
    """Whether a Service among the documents linted with this one sends the pods traffic that
    readiness gates: one with `publishNotReadyAddresses: true` (a StatefulSet's peer-discovery
    Service) lists the pods whether they are ready or not, so a readiness probe changes nothing."""
    labels = _pod_labels(ctx)
    if not labels:
        return False
    by_pair, unkeyed = file_index(ctx.documents).memoized("services-by-pair", _services_by_pair)
    namespace = ctx.document.namespace
    candidates = [*unkeyed.get(namespace, ())]
    for key, value in labels.items():
        if isinstance(key, str):
            candidates += by_pair.get((namespace, key, str(value)), ())
    return any(matches(selector, labels) for selector in candidates)


# A Service selector by one pair it requires (namespace, key, value as text); those requiring
# none (every pair malformed) by namespace.
_ServiceTables = tuple[dict[tuple[Any, str, str], list[dict[str, Any]]], dict[Any, list[dict[str, Any]]]]


def _services_by_pair(documents: Sequence[Document]) -> _ServiceTables:
    """The selectors of the file's Services that send traffic to ready pods only, each under
    one label pair it requires: a pod's labels find the candidates, not every Service."""
    by_pair: dict[tuple[Any, str, str], list[dict[str, Any]]] = {}
    unkeyed: dict[Any, list[dict[str, Any]]] = {}
    for other in documents:
        if other.kind != "Service" or _group(other.api_version) != "":
            continue
        selector = get_path(other.obj, ("spec", "selector"))
        if (not isinstance(selector, dict) or not selector
                or get_path(other.obj, ("spec", "publishNotReadyAddresses")) is True):
            continue
        pair = _required_pair(selector)
        if pair is None:
            unkeyed.setdefault(other.namespace, []).append(selector)
        else:
            by_pair.setdefault((other.namespace, *pair), []).append(selector)
    return by_pair, unkeyed


def _required_pair(pairs: Any) -> tuple[str, str] | None:
    """A (key, value as text) that labels must hold for the map `pairs` to select them (what
    kube.selectors.unmatched requires), or None when no pair is well formed."""
    if not isinstance(pairs, dict):
        return None
    for key, value in pairs.items():
        if isinstance(key, str) and not isinstance(value, (dict, list)) and value is not None:
            return key, str(value)
    return None


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def _idles(container: dict[str, Any]) -> bool:
    """Whether the container's command only waits (`sleep infinity`, `tail -f /dev/null`, a shell
    script that ends in `sleep`): a toolbox that a Service selects for its identity, not its port."""
    words = [w for field in ("command", "args") if isinstance(container.get(field), list)
             for w in container[field] if isinstance(w, str)]
    if not words:
        return False
    program = words[0].rsplit("/", 1)[-1]
    if program == "sleep" or (program == "tail" and "/dev/null" in words):
        return True
    if program in _SHELLS and "-c" in words[:-1]:
        statements = [part.split() for part in re.split(r"[;\n]|&&", words[words.index("-c") + 1])]
        last = next((statement for statement in reversed(statements) if statement), [])
        return bool(last) and (last[0] == "sleep" or last[:2] == ["exec", "sleep"])
    return False


def _serving(ctx: CheckContext, container: dict[str, Any]) -> str | None:
    """How the container gets requests: "default" when it declares a port, "selected" when a
    Service selects its pod and no other app container is the one that serves (one that declares
    a port or has a readiness probe: the pod is ready only when all its containers are, so that
    probe already gates the traffic); None when it gets none."""
    if _declares_port(container):
        return "default"
    if _idles(container) or not _selected_by_service(ctx):
        return None
    app = (ctx.pod_spec or {}).get("containers")
    others = [c for c in app if isinstance(c, dict) and c is not container] if isinstance(app, list) else []
    if any(_declares_port(c) or c.get("readinessProbe") is not None for c in others):
        return None
    return "selected"


def missing_probe(ctx: CheckContext, container: Any, path: FieldPath,
                  params: dict[str, Any]) -> Iterator[Hit]:
    """An app container of a long-running pod without the probe. Sidecars may have probes
    but need none (the pod's readiness is the app's); init and ephemeral containers can't.

    With `serving_only`, only a container that serves requests: readiness decides whether a
    Service sends it requests, which a container serving nothing does not get (a queue worker,
    a controller, a `sleep infinity` toolbox). A container serves when it declares a port or
    when a Service in the same input selects its pod (a Service may target an undeclared port
    by number).
    """
    if not isinstance(container, dict) or role(container, path) != "app" or not _long_running(ctx):
        return
    if container.get(params["probe"]) is not None:
        return
    variant = _serving(ctx, container) if params.get("serving_only") else "default"
    if variant is not None:
        yield Hit(path + ("name",), {"container": _name(container)}, variant)


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
    return (doc.namespace, doc.kind, doc.name) in file_index(ctx.documents).memoized("scalers", _scalers)


def _scalers(documents: Sequence[Document]) -> dict[tuple[Any, Any, Any], int]:
    """(namespace, kind, name) of each workload an autoscaler of the file targets, with the
    fewest replicas the first such autoscaler may leave it with.

    An HPA defaults minReplicas to 1; KEDA may scale to 0, but then there is nothing to evict,
    and the budget matters again at 1."""
    found: dict[tuple[Any, Any, Any], int] = {}
    for other in documents:
        target = get_path(other.obj, ("spec", "scaleTargetRef"))
        if (_group(other.api_version), other.kind) not in _SCALERS or not isinstance(target, dict):
            continue
        name, kind = target.get("name"), target.get("kind", "Deployment")
        if not _hashable(name) or not _hashable(kind):
            continue  # a list or mapping where a name belongs names no workload
        field = "minReplicas" if other.kind == "HorizontalPodAutoscaler" else "minReplicaCount"
        minimum = _count(get_path(other.obj, ("spec", field)))
        found.setdefault((other.namespace, kind, name), max(minimum if minimum is not None else 1, 1))
    return found


def _hashable(value: Any) -> bool:
    return not isinstance(value, (dict, list))


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


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Workloads whose replicas a PodDisruptionBudget protects, by (API group, kind).
_BUDGETED = _REPLICATED | {("apps", "ReplicaSet")}


def _autoscaler_minimum(ctx: CheckContext, workload: Document) -> int | None:
    """The fewest replicas an autoscaler in the input may leave the workload with, if one scales it."""
    return file_index(ctx.documents).memoized("scalers", _scalers).get(
        (workload.namespace, workload.kind, workload.name))


# A budgeted workload: (its position in the file, the document, the labels its pods carry).
_Budgeted = tuple[int, Document, dict[Any, Any]]
_BudgetTables = tuple[dict[Any, list[_Budgeted]], dict[tuple[Any, str, str], list[_Budgeted]],
                      dict[tuple[Any, str], list[_Budgeted]]]


def _budgeted_tables(documents: Sequence[Document]) -> _BudgetTables:
    """The workloads a budget may cover, by namespace, by each label pair and by each label
    key of their pods: a budget's selector finds its candidates, not every workload."""
    by_namespace: dict[Any, list[_Budgeted]] = {}
    by_pair: dict[tuple[Any, str, str], list[_Budgeted]] = {}
    by_key: dict[tuple[Any, str], list[_Budgeted]] = {}
    for position, other in enumerate(documents):
        if (_group(other.api_version), other.kind) not in _BUDGETED:
            continue
        labels = get_path(other.obj, ("spec", "template", "metadata", "labels"))
        if not isinstance(labels, dict) or not labels:  # a template-less workload: what it selects
            labels = get_path(other.obj, ("spec", "selector", "matchLabels"))
        if not isinstance(labels, dict) or not labels:
            continue
        item = (position, other, labels)
        namespace = other.namespace
        by_namespace.setdefault(namespace, []).append(item)
        for key, value in labels.items():
            if isinstance(key, str):
                by_pair.setdefault((namespace, key, str(value)), []).append(item)
                by_key.setdefault((namespace, key), []).append(item)
    return by_namespace, by_pair, by_key


def _budget_candidates(ctx: CheckContext, selector: dict[str, Any]) -> list[_Budgeted]:
    """The workloads of the budget's namespace that may match `selector`, in file order: those
    with a label pair it requires, else a label key it requires, else all of them."""
    by_namespace, by_pair, by_key = file_index(ctx.documents).memoized("budgeted", _budgeted_tables)
    namespace = ctx.document.namespace
    pair = _required_pair(selector.get("matchLabels"))
    if pair is not None:
        return by_pair.get((namespace, *pair), [])
    expressions = selector.get("matchExpressions")
    for expression in expressions if isinstance(expressions, list) else []:
        # a well-formed In or Exists fails on no labels: the key must be there
        if (isinstance(expression, dict) and expression.get("operator") in ("In", "Exists")
                and requirement_matches(expression, {}) is False):
            return by_key.get((namespace, expression["key"]), [])
    return by_namespace.get(namespace, [])


def _budgeted_workloads(ctx: CheckContext, selector: Any) -> Iterator[tuple[Any, int, bool]]:
    """(workload, replicas, whether an autoscaler sets them) for each workload in the input whose
    pods the budget's selector selects. Only an explicit replica count or an autoscaler's
    minimum counts: left out, replicas are usually set by an autoscaler in another file."""
    if not isinstance(selector, dict) or is_empty(selector):
        return
    for _, other, labels in _budget_candidates(ctx, selector):
        if not matches(selector, labels):
            continue
        minimum = _autoscaler_minimum(ctx, other)
        replicas = minimum if minimum is not None else _count(get_path(other.obj, ("spec", "replicas")))
        if replicas:
            yield other, replicas, minimum is not None


def pdb_blocks_eviction(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """A PodDisruptionBudget that allows no disruption: whatever the number of pods
    (maxUnavailable 0, minAvailable 100%), or for a workload in the same input whose replicas
    (or its autoscaler's minimum) minAvailable covers entirely. A percentage is rounded up, as
    the disruption controller does.
    """
    spec = get_path(obj, ("spec",))
    if not isinstance(spec, dict):
        return
    max_unavailable = spec.get("maxUnavailable")
    if _count(max_unavailable) == 0 or _percent(max_unavailable) == 0:
        yield Hit(("spec", "maxUnavailable"), {"field": "maxUnavailable", "value": max_unavailable})
    min_available = spec.get("minAvailable")
    percent = _percent(min_available)
    if percent == 100:
        yield Hit(("spec", "minAvailable"), {"field": "minAvailable", "value": min_available})
        return
    if percent is None and _count(min_available) is None:
        return
    for workload, replicas, scaled in _budgeted_workloads(ctx, spec.get("selector")):
        needed = -(-replicas * percent // 100) if percent is not None else min_available
        if needed >= replicas:
            count = f"{replicas} replica" + ("" if replicas == 1 else "s")
            yield Hit(("spec", "minAvailable"), {
                "value": min_available, "kind": workload.kind, "workload": workload.name or "",
                "replicas": f"at its autoscaler's minimum of {count}" if scaled else f"with {count}"},
                "replicas")
            return


def _resource_params() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["resource", "field"],
            "properties": {"resource": {"enum": ["cpu", "memory"]},
                           "field": {"enum": ["requests", "limits"]}}}


CHECKS: dict[str, CheckDef] = {
    "missing-resource": define(missing_resource, params=_resource_params(), placeholders=("container", "resource")),
    "missing-probe": define(missing_probe, ("default", "selected"), params={
        "type": "object", "additionalProperties": False, "required": ["probe"],
        "properties": {"probe": {"enum": ["readinessProbe", "livenessProbe", "startupProbe"]},
                       "serving_only": {"type": "boolean"}}},
        variants_for=lambda params: ("default", "selected") if params.get("serving_only") else ("default",),
        placeholders=("container",)),
    "identical-probes": define(identical_probes, params=NO_PARAMS, placeholders=("container",)),
    "single-replica": define(single_replica, params=NO_PARAMS, placeholders=("kind", "name")),
    "job-ttl": define(job_ttl, params=NO_PARAMS, placeholders=("name",)),
    "pdb-blocks-eviction": define(pdb_blocks_eviction, ("default", "replicas"), params=NO_PARAMS, placeholders={
        "default": ("field", "value"), "replicas": ("value", "kind", "workload", "replicas")}),
}
