"""Run-wide checks: references between the objects linted together (target: run).

A run check receives the RunIndex of every object of the run and yields RunHits. It fires
only when the input could contain what is missing, which is how kubelint avoids the best
known false alarms of its peers (a Service fed by its own Endpoints, a ServiceAccount that
lives in the cluster, objects in other namespaces).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import CheckDef, define
from kubelint.engine.facts import ObjectFacts
from kubelint.engine.reduce import RunHit, RunIndex
from kubelint.kube.groups import group_of, is_builtin_group
from kubelint.kube.selectors import describe_requirement, is_empty, matches, unmatched


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
    first: dict[tuple[str, str, str | None, str], Any] = {}
    pairs: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
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


# ------------------------------------------------------------------------------ shared helpers

# Names that a template engine left for someone else to fill: the object they name cannot be
# looked up (helm template renders `release-name-…`, or `RELEASE-NAME-…` with Helm 2).
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\$\{|\$\(|<[^<>]*>|release-name", re.IGNORECASE)

# Labels that controllers add to the pods they create, which a pod template does not show.
_JOB_LABELS = ("job-name", "controller-uid", "batch.kubernetes.io/job-name",
               "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index")
_CONTROLLER_LABELS: dict[str, tuple[str, ...]] = {
    "StatefulSet": ("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
                    "controller-revision-hash"),
    "DaemonSet": ("controller-revision-hash", "pod-template-generation"),
    "Deployment": ("pod-template-hash",),
    "Rollout": ("rollouts-pod-template-hash",),
    "Job": _JOB_LABELS,
    "CronJob": _JOB_LABELS,
}

SCALABLE_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")

# API groups of custom resources known not to create pods, Services or Secrets of their own
# (or only the ones their spec names, see facts._SECRET_MAKERS): any other custom resource in
# a namespace may be an operator's input, whose output the linted files cannot show.
_INERT_GROUPS = frozenset({
    "cert-manager.io", "acme.cert-manager.io", "networking.istio.io", "security.istio.io",
    "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io", "route.openshift.io",
    "bitnami.com", "external-secrets.io", "traefik.io", "traefik.containo.us",
    "snapshot.storage.k8s.io", "policy.linkerd.io", "kyverno.io", "metallb.io",
    "templates.gatekeeper.sh", "constraints.gatekeeper.sh", "config.gatekeeper.sh",
})
_INERT_KINDS = frozenset({("monitoring.coreos.com", k) for k in (
    "ServiceMonitor", "PodMonitor", "Probe", "PrometheusRule", "AlertmanagerConfig", "ScrapeConfig")})


def is_placeholder(name: Any) -> bool:
    return not isinstance(name, str) or not name or _PLACEHOLDER.search(name) is not None


def _memo(index: RunIndex, key: str, build: Any) -> Any:
    """A table derived from the index, built once per run however many checks ask."""
    if key not in index.memo:
        index.memo[key] = build()
    return index.memo[key]


def pod_sources(index: RunIndex, namespace: str | None) -> list[ObjectFacts]:
    """The objects whose pods exist in `namespace`: workloads, without PodTemplates (which
    only hold a template for someone else to use)."""
    by_namespace = _memo(index, "pod-sources", dict)
    if namespace not in by_namespace:
        by_namespace[namespace] = [f for f in index.workloads(namespace) if f.kind != "PodTemplate"]
    return by_namespace[namespace]  # type: ignore[no-any-return]


def _by_label(index: RunIndex, namespace: str | None) -> dict[tuple[str, str], list[ObjectFacts]]:
    """The pod sources of a namespace by each label pair of their templates."""
    tables = _memo(index, "pods-by-label", dict)
    if namespace not in tables:
        table: dict[tuple[str, str], list[ObjectFacts]] = {}
        for pods in pod_sources(index, namespace):
            for pair in (pods.data.get("podLabels") or {}).items():
                table.setdefault(pair, []).append(pods)
        tables[namespace] = table
    return tables[namespace]  # type: ignore[no-any-return]


def _namespaces_with(index: RunIndex, kind: str) -> set[str | None]:
    return _memo(index, "namespaces-with-" + kind,  # type: ignore[no-any-return]
                 lambda: {index.namespace_of(f) for f in index.of_kind(kind)})


def operator_namespaces(index: RunIndex) -> set[str | None]:
    return _memo(index, "operator-namespaces", lambda: _operator_namespaces(index))  # type: ignore[no-any-return]


def _operator_namespaces(index: RunIndex) -> set[str | None]:
    """Namespaces where a controller may create objects the input does not show: those holding
    a custom resource that is not known to be inert (a Prometheus, a CephCluster), and those
    whose workloads come in one file with CustomResourceDefinitions (an operator's bundle)."""
    found: set[str | None] = set()
    bundles = {f.file for f in index.of_kind("CustomResourceDefinition")}
    for facts in index.objects:
        group = facts.group
        if facts.file in bundles and "podLabels" in facts.data:
            found.add(index.namespace_of(facts))
        elif (not is_builtin_group(facts.api_version) and group not in _INERT_GROUPS
              and (group, facts.kind) not in _INERT_KINDS and "podLabels" not in facts.data):
            namespace = index.namespace_of(facts)
            if namespace is not None:
                found.add(namespace)
    return found


def _positive_keys(selector: dict[str, Any]) -> list[str]:
    """The label keys a pod must carry to be selected."""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return list(selector)
    keys = list(selector.get("matchLabels") or {})
    keys += [e.get("key") for e in selector.get("matchExpressions") or [] if e.get("operator") in ("In", "Exists")]
    return keys


def same_label_scheme(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> bool:
    """Whether a pod template of the namespace carries every label key `selector` needs: then
    a selector that matches none has a wrong value (a typo, a rename on one side). A selector
    with keys no template uses is for pods that something else creates (an operator, a
    script, another install), and is not judged."""
    keys = set(_positive_keys(selector))
    if keys & _ADDED_KEYS:
        return any(keys <= set(pod_labels(p, selector)) for p in pod_sources(index, namespace))
    key_sets = _memo(index, "label-key-sets", dict)
    if namespace not in key_sets:
        key_sets[namespace] = {frozenset(p.data.get("podLabels") or ()) for p in pod_sources(index, namespace)}
    return any(keys <= found for found in key_sets[namespace])


def _wanted(selector: dict[str, Any], key: str) -> str | None:
    """The value `selector` asks of `key`, if any: to stand in for a label a controller adds."""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        value = selector.get(key)
        return str(value) if value is not None else None
    labels = selector.get("matchLabels") or {}
    if key in labels:
        return str(labels[key])
    for expression in selector.get("matchExpressions") or []:
        if expression.get("key") == key and expression.get("operator") in ("In", "Exists"):
            values = expression.get("values") or [""]
            return str(values[0])
    return None


def pod_labels(pods: ObjectFacts, selector: dict[str, Any]) -> dict[str, str]:
    """The labels the pods of `pods` will carry, as far as `selector` cares: the template's,
    plus those the controller adds (a per-pod Service selects `statefulset.kubernetes.io/
    pod-name: web-0`, which no template says)."""
    labels: dict[str, str] = pods.data.get("podLabels") or {}
    added = _CONTROLLER_LABELS.get(pods.kind, ())
    if not added or _ADDED_KEYS.isdisjoint(_positive_keys(selector)):
        return labels
    labels = dict(labels)
    for key in added:
        if key in labels:
            continue
        value = _wanted(selector, key)
        if value is None:
            continue
        if key == "statefulset.kubernetes.io/pod-name" and not value.startswith(f"{pods.name}-"):
            continue
        labels[key] = value
    return labels


_ADDED_KEYS = frozenset(k for keys in _CONTROLLER_LABELS.values() for k in keys)


def selected(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> list[ObjectFacts]:
    """The pod sources of `namespace` whose pods `selector` selects. A required label pair
    narrows the candidates first: a namespace may hold thousands of workloads and Services."""
    if "matchLabels" in selector or "matchExpressions" in selector:
        pairs = selector.get("matchLabels") or {}
    else:
        pairs = selector
    candidates = pod_sources(index, namespace)
    for key, value in pairs.items():
        if isinstance(key, str) and key not in _ADDED_KEYS and isinstance(value, str):
            candidates = _by_label(index, namespace).get((key, value), [])
            break
    return [p for p in candidates if matches(selector, pod_labels(p, selector))]


def describe_selector(selector: dict[str, Any]) -> str:
    if "matchLabels" in selector or "matchExpressions" in selector:
        parts = [f"`{k}: {v}`" for k, v in (selector.get("matchLabels") or {}).items()]
        parts += [describe_requirement(e) for e in selector.get("matchExpressions") or []]
    else:
        parts = [f"`{k}: {v}`" for k, v in selector.items()]
    return ", ".join(parts)


def _labels_text(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(labels.items())) + "}" if labels else "no labels"


def nearest(index: RunIndex, namespace: str | None, selector: dict[str, Any]) -> str:
    """Which pods come closest to `selector`, and what they lack: the likely typo. Candidates
    are the pods sharing the most label pairs with the selector, else the namespace's first."""
    pairs = selector.get("matchLabels") or {} if "matchLabels" in selector or "matchExpressions" in selector \
        else selector
    table = _by_label(index, namespace)
    shared: dict[int, int] = {}
    order: dict[int, ObjectFacts] = {}
    for pair in pairs.items():
        for candidate in table.get(pair, ()):
            shared[id(candidate)] = shared.get(id(candidate), 0) + 1
            order.setdefault(id(candidate), candidate)
    if shared:
        most = max(shared.values())
        pods = [pod for key, pod in order.items() if shared[key] == most][:50]
    else:
        pods = _sharing_values(pod_sources(index, namespace)[:500], pairs)[:50]
    best: tuple[int, ObjectFacts, list[str]] | None = None
    for candidate in pods:
        missing = [text for _, text in unmatched(selector, pod_labels(candidate, selector))]
        if best is None or len(missing) < best[0]:
            best = (len(missing), candidate, missing)
    if best is None:
        return ""
    _, candidate, missing = best
    labels = candidate.data.get("podLabels") or {}
    has = f"has pod labels {_labels_text(labels)}" if labels else "has no pod labels"
    return f"; the nearest, {candidate.kind} `{candidate.name}`, {has} and lacks {', '.join(missing)}"


def _sharing_values(pods: list[ObjectFacts], pairs: dict[Any, Any]) -> list[ObjectFacts]:
    """When no pod has a pair of the selector, the likely mistake is the key (`app: nginx` for
    `app.kubernetes.io/name: nginx`): pods with the selector's values come first."""
    values = {v for v in pairs.values() if isinstance(v, str)}

    def shared(pod: ObjectFacts) -> int:
        labels = pod.data.get("podLabels")
        if not isinstance(labels, dict):
            return 0
        return len(values & {v for v in labels.values() if isinstance(v, str)})
    return sorted(pods, key=shared, reverse=True)  # stable: input order on a tie


def closest(candidates: list[ObjectFacts], origin: ObjectFacts) -> ObjectFacts:
    """Of several objects of one name, the one `origin` most likely means: in its own file, else
    in the directory sharing the longest path with it (a tree may hold several applications
    that reuse a name), the later one on a tie (it is applied last)."""
    def score(facts: ObjectFacts) -> int:
        if facts.file == origin.file:
            return 1 << 30
        if os.path.isabs(facts.file) != os.path.isabs(origin.file):
            return 0
        return len(os.path.commonpath([os.path.dirname(facts.file), os.path.dirname(origin.file)]))
    best = max(score(f) for f in candidates)
    return [f for f in candidates if score(f) == best][-1]


def _where(facts: ObjectFacts) -> str:
    span = facts.name_span or facts.span
    return f"{facts.file}:{span.line}"


def _in(namespace: str | None) -> str:
    return f" in namespace {namespace}" if namespace else ""


# ------------------------------------------------------------------------------ selectors


def _fed_by_endpoints(index: RunIndex, service: ObjectFacts, namespace: str | None) -> bool:
    """A Service whose endpoints the input writes by hand: its selector is not what feeds it."""
    if index.named("Endpoints", namespace, service.name or ""):
        return True
    sliced = _memo(index, "endpoint-slices", lambda: {
        (index.namespace_of(s), s.labels.get("kubernetes.io/service-name")) for s in index.of_kind("EndpointSlice")})
    return (namespace, service.name) in sliced


def _service_selector(index: RunIndex, service: ObjectFacts) -> dict[str, str] | None:
    """The selector of a Service that the input should satisfy, or None when it need not."""
    selector = service.data.get("selector")
    if not selector or service.data.get("type") == "ExternalName" or not service.name:
        return None
    return selector  # type: ignore[no-any-return]


def service_selects_nothing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A Service whose selector matches no pod template of its namespace gets no endpoints.

    Only where the namespace has workloads in the input (otherwise the pods are deployed by
    other means), and never for a Service without a selector, an ExternalName Service, or one
    whose Endpoints/EndpointSlices are in the input."""
    operated = operator_namespaces(index) if index.of_kind("Service") else set()
    for service in index.of_kind("Service"):
        selector = _service_selector(index, service)
        if selector is None:
            continue
        namespace = index.namespace_of(service)
        pods = pod_sources(index, namespace)
        if (not pods or namespace in operated or selected(index, namespace, selector)
                or not same_label_scheme(index, namespace, selector)
                or _fed_by_endpoints(index, service, namespace)):
            continue
        yield RunHit(service, ("spec", "selector"), {
            "name": service.name, "selector": describe_selector(selector), "namespace": _in(namespace),
            "nearest": nearest(index, namespace, selector)})


def _selects_nothing(index: RunIndex, kind: str, field: str) -> Iterator[RunHit]:
    operated = operator_namespaces(index) if index.of_kind(kind) else set()
    for policy in index.of_kind(kind):
        selector = policy.data.get("selector")
        if selector is None or is_empty(selector):
            continue  # an empty selector selects every pod of the namespace
        namespace = index.namespace_of(policy)
        pods = pod_sources(index, namespace)
        if (not pods or namespace in operated or selected(index, namespace, selector)
                or not same_label_scheme(index, namespace, selector)):
            continue
        yield RunHit(policy, ("spec", field), {
            "kind": kind, "name": policy.name, "selector": describe_selector(selector),
            "namespace": _in(namespace), "nearest": nearest(index, namespace, selector)})


def pdb_selects_nothing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A PodDisruptionBudget that selects no pod protects nothing (only where the input has
    workloads in its namespace)."""
    yield from _selects_nothing(index, "PodDisruptionBudget", "selector")


def networkpolicy_selects_nothing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A NetworkPolicy whose podSelector selects no pod isolates nothing (only where the input
    has workloads in its namespace; an empty podSelector means every pod)."""
    yield from _selects_nothing(index, "NetworkPolicy", "podSelector")
    yield from _peers_select_nothing(index)


def _peers_select_nothing(index: RunIndex) -> Iterator[RunHit]:
    """An ingress `from` or egress `to` peer whose podSelector selects no pod of the policy's
    namespace: that part of the rule lets no traffic through (the name of the peer's pods has
    a typo, or they were renamed). Judged like the policy's own selector."""
    policies = [p for p in index.of_kind("NetworkPolicy") if p.data.get("peers")]
    operated = operator_namespaces(index) if policies else set()
    for policy in policies:
        namespace = index.namespace_of(policy)
        if not pod_sources(index, namespace) or namespace in operated:
            continue
        for path, selector in policy.data["peers"]:
            if (is_empty(selector) or selected(index, namespace, selector)
                    or not same_label_scheme(index, namespace, selector)):
                continue
            yield RunHit(policy, tuple(path), {
                "kind": "NetworkPolicy", "name": policy.name, "selector": describe_selector(selector),
                "namespace": _in(namespace), "nearest": nearest(index, namespace, selector),
                "direction": "ingress from" if path[1] == "ingress" else "egress to"}, "peer")


def service_target_port_undeclared(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A named targetPort resolves in each selected pod by name and protocol; where no selected
    pod declares it, the Service has no endpoint for that port. Numeric targetPorts need no
    declaration, and a Service that selects nothing is service-selects-nothing's finding."""
    for service in index.of_kind("Service"):
        selector = _service_selector(index, service)
        if selector is None:
            continue
        namespace = index.namespace_of(service)
        pods = selected(index, namespace, selector)
        if not pods or _fed_by_endpoints(index, service, namespace):
            continue
        declared = [port for pod in pods for port in pod.data.get("ports") or []]
        for port in service.data.get("ports") or []:
            target = port.get("targetPort")
            if not isinstance(target, str) or not target or target.isdigit():
                continue
            protocol = port.get("protocol") or "TCP"
            same_name = [p for p in declared if p.get("name") == target]
            if any(p.get("protocol") == protocol for p in same_name):
                continue
            names = sorted({str(p["name"]) for p in declared if p.get("name")})
            values = {"name": service.name, "target": target, "protocol": protocol,
                      "pods": ", ".join(f"{p.kind} `{p.name}`" for p in pods[:3])
                      + (f" and {len(pods) - 3} more" if len(pods) > 3 else ""),
                      "declared": ", ".join(names) if names else "none"}
            if same_name:
                values["other"] = str(same_name[0].get("protocol"))
                yield RunHit(service, ("spec", "ports", port["index"], "targetPort"), values, "protocol")
            else:
                yield RunHit(service, ("spec", "ports", port["index"], "targetPort"), values)


# ------------------------------------------------------------------------------ named references


def _has_app_objects(index: RunIndex, namespace: str | None) -> bool:
    """Whether the input deploys something in `namespace` (Services or workloads): only then
    is a missing Service a slip rather than something installed separately."""
    return bool(pod_sources(index, namespace)) or namespace in _namespaces_with(index, "Service")


def _service_names(index: RunIndex) -> dict[str | None, list[str]]:
    def build() -> dict[str | None, list[str]]:
        names: dict[str | None, set[str]] = {}
        for service in index.of_kind("Service"):
            names.setdefault(index.namespace_of(service), set()).add(service.name or "")
        return {namespace: sorted(found) for namespace, found in names.items()}
    return _memo(index, "service-names", build)  # type: ignore[no-any-return]


ANNOTATION_ACTION_PORT = "use-annotation"


def _is_annotation_action(backend: dict[str, Any]) -> bool:
    """The AWS Load Balancer Controller's convention: a backend whose port is named
    `use-annotation` names an action (redirect, fixed response, weighted forward) defined in
    the annotation `alb.ingress.kubernetes.io/actions.<name>`, not a Service."""
    return backend.get("port") == ANNOTATION_ACTION_PORT


def ingress_service_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An Ingress backend names a Service that the input, which deploys its namespace, lacks."""
    operated = operator_namespaces(index) if index.of_kind("Ingress") else set()
    for ingress in index.of_kind("Ingress"):
        namespace = index.namespace_of(ingress)
        if not _has_app_objects(index, namespace) or namespace in operated:
            continue
        for backend in ingress.data.get("backends") or []:
            name = backend.get("service")
            if is_placeholder(name) or _is_annotation_action(backend) or index.named("Service", namespace, name):
                continue
            services = _service_names(index).get(namespace, [])
            yield RunHit(ingress, tuple(backend["path"]), {
                "service": name, "namespace": _in(namespace),
                "services": ", ".join(services[:8]) + (", …" if len(services) > 8 else "") if services else "none"})


def ingress_service_port_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An Ingress backend names a port that its Service, present in the input, does not have:
    the controller has nowhere to send the traffic."""
    for ingress in index.of_kind("Ingress"):
        namespace = index.namespace_of(ingress)
        for backend in ingress.data.get("backends") or []:
            name, wanted = backend.get("service"), backend.get("port")
            if is_placeholder(name) or wanted is None or (isinstance(wanted, str) and is_placeholder(wanted)):
                continue
            if _is_annotation_action(backend):
                continue
            services = index.named("Service", namespace, name)
            if not services:
                continue
            service = closest(services, ingress)
            ports = service.data.get("ports") or []
            if not ports and service.data.get("type") == "ExternalName":
                continue
            by_number = isinstance(wanted, int) or (isinstance(wanted, str) and wanted.isdigit())
            if by_number:
                found = any(str(p.get("port")) == str(wanted) for p in ports)
            else:
                found = any(p.get("name") == wanted for p in ports)
            if found:
                continue
            offered = [f"{p.get('name')} ({p.get('port')})" if p.get("name") else str(p.get("port")) for p in ports]
            yield RunHit(ingress, tuple(backend["portPath"]), {
                "service": name, "port": wanted, "what": "port" if by_number else "port named",
                "where": _where(service), "ports": ", ".join(offered) if offered else "none"})


def _hpa_target(index: RunIndex, hpa: ObjectFacts) -> tuple[dict[str, str], list[ObjectFacts]] | None:
    target = hpa.data.get("target")
    if not isinstance(target, dict) or is_placeholder(target.get("name")) or not target.get("kind"):
        return None
    found = index.named(target["kind"], index.namespace_of(hpa), target["name"])
    return target, [f for f in found if _same_group(target.get("apiVersion") or "", f)]


def _same_group(api_version: str, facts: ObjectFacts) -> bool:
    """Whether a scaleTargetRef's apiVersion names the group of `facts`: the HPA controller
    looks its target up by group and kind, whatever the version (apps and extensions served
    the same Deployments)."""
    if not api_version:
        return True
    want, have = group_of(api_version), facts.group
    return want == have or {want, have} <= {"apps", "extensions"}


def hpa_target_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An HPA whose scaleTargetRef names nothing in the input scales nothing.

    Only where the input has workloads in the HPA's namespace, and only for the built-in
    scalable kinds or kinds the input has objects of (a custom scalable kind, such as Argo's
    Rollout, may come from elsewhere)."""
    present = {f.kind for f in index.objects}
    operated = operator_namespaces(index) if index.of_kind("HorizontalPodAutoscaler") else set()
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        found = _hpa_target(index, hpa)
        if found is None or found[1]:
            continue
        target, _ = found
        namespace = index.namespace_of(hpa)
        pods = pod_sources(index, namespace)
        if not pods or namespace in operated or (target["kind"] not in SCALABLE_KINDS and target["kind"] not in present):
            continue
        values = {"kind": target["kind"], "name": target["name"], "namespace": _in(namespace)}
        others = [p for p in pods if p.name == target["name"]]
        if others:
            values["other"] = others[0].kind
            yield RunHit(hpa, ("spec", "scaleTargetRef", "name"), values, "other-kind")
        else:
            values["workloads"] = ", ".join(f"{p.kind} {p.name}" for p in pods[:5]) + (
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
            replicas = workload.data.get("replicas")
            if id(workload) in seen or not isinstance(replicas, int) or isinstance(replicas, bool):
                continue
            seen.add(id(workload))
            yield RunHit(workload, ("spec", "replicas"), {
                "kind": workload.kind, "name": workload.name, "replicas": replicas,
                "hpa": hpa.name, "where": _where(hpa)})


def statefulset_service_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """`serviceName` names the headless Service that gives each pod its DNS name.

    A Service of that name that is not headless is always reported (it is in the input); a
    missing one only where the input has Services in the StatefulSet's namespace (otherwise
    the Services are applied by other means)."""
    operated = operator_namespaces(index) if index.of_kind("StatefulSet") else set()
    for workload in index.of_kind("StatefulSet"):
        name = workload.data.get("serviceName")
        if is_placeholder(name):
            continue
        namespace = index.namespace_of(workload)
        services = index.named("Service", namespace, name)
        values = {"name": workload.name, "service": name, "namespace": _in(namespace)}
        if services:
            service = closest(services, workload)
            values["where"] = _where(service)
            if service.data.get("clusterIP") != "None":
                yield RunHit(workload, ("spec", "serviceName"), values, "not-headless")
                continue
            selector = service.data.get("selector")
            if (not selector or _fed_by_endpoints(index, service, namespace)
                    or matches(selector, pod_labels(workload, selector))):
                continue  # no selector: its endpoints are written by someone else
            values["selector"] = describe_selector(selector)
            values["labels"] = _labels_text(workload.data.get("podLabels") or {})
            yield RunHit(workload, ("spec", "serviceName"), values, "not-selecting")
        elif namespace not in operated and namespace in _namespaces_with(index, "Service"):
            yield RunHit(workload, ("spec", "serviceName"), values)


# Objects every namespace has without anyone writing them.
_ALWAYS_THERE = {
    "ServiceAccount": frozenset({"default"}),
    "ConfigMap": frozenset({"kube-root-ca.crt", "openshift-service-ca.crt"}),
    "Secret": frozenset(),
}


def _missing(index: RunIndex, kind: str) -> Iterator[RunHit]:
    """Each non-optional reference of a pod template to a `kind` the input does not define in
    the workload's namespace (once per name and workload)."""
    made = {(kind, index.namespace_of(f), name) for f in index.objects for kind, name in f.data.get("makes") or ()}
    operated = operator_namespaces(index)
    for workload in index.workloads():
        namespace = index.namespace_of(workload)
        if namespace in operated:
            continue
        if kind == "ServiceAccount":
            account = workload.data.get("serviceAccount")
            refs = [(account[0], account[1], False)] if account else []
        else:
            refs = workload.data.get("refs", {}).get(kind, [])
        reported: set[str] = set()
        for path, name, optional in refs:
            if optional or name in reported or is_placeholder(name) or name in _ALWAYS_THERE[kind]:
                continue
            if index.named(kind, namespace, name) or (kind, namespace, name) in made:
                continue
            reported.add(name)
            yield RunHit(workload, tuple(path), {"kind": workload.kind, "workload": workload.name,
                                                 "name": name, "namespace": _in(namespace)})
        if kind != "ServiceAccount":
            yield from _missing_keys(index, workload, kind, namespace, made, reported)


def _missing_keys(index: RunIndex, workload: ObjectFacts, kind: str, namespace: str | None,
                  made: set[tuple[str, str | None, str]], reported: set[str]) -> Iterator[RunHit]:
    """References to a key that the ConfigMap or Secret of the input lacks: the container does
    not start (CreateContainerConfigError) or the volume does not mount. Only where the input
    holds the object with its keys and nothing else writes it."""
    for path, name, key in workload.data.get("keyRefs", {}).get(kind, []):
        if name in reported or is_placeholder(name) or is_placeholder(key) or (kind, namespace, name) in made:
            continue
        found = index.named(kind, namespace, name)
        source = closest(found, workload) if found else None
        keys = source.data.get("keys") if source else None
        if source is None or not keys or key in keys:
            continue
        yield RunHit(workload, tuple(path), {
            "kind": workload.kind, "workload": workload.name, "name": name, "namespace": _in(namespace),
            "key": key, "keys": ", ".join(keys[:8]) + (", …" if len(keys) > 8 else ""),
            "where": _where(source)}, "key")


def missing_service_account(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "ServiceAccount")


def missing_configmap(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "ConfigMap")


def missing_secret(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "Secret")


# ------------------------------------------------------------------------------ pod security

_LEVEL_ORDER = {"privileged": 0, "baseline": 1, "restricted": 2}
_PSA = "pod-security.kubernetes.io/"


def _namespace_levels(index: RunIndex) -> dict[str, tuple[int, int]]:
    """Per Namespace of the input: (enforced level, the strictest warn/audit level)."""
    levels: dict[str, tuple[int, int]] = {}
    for namespace in index.of_kind("Namespace"):
        if not namespace.name:
            continue
        enforce = _LEVEL_ORDER.get(namespace.labels.get(_PSA + "enforce", ""), 0)
        warn = max(_LEVEL_ORDER.get(namespace.labels.get(_PSA + mode, ""), 0) for mode in ("warn", "audit"))
        levels[namespace.name] = (enforce, warn)
    return levels


def _controls(violations: list[tuple[str, Any, str]]) -> str:
    by_control: dict[str, list[str]] = {}
    for control, _, reason in violations:
        by_control.setdefault(control, []).append(reason)
    parts = []
    for control, reasons in by_control.items():
        more = f" and {len(reasons) - 1} more" if len(reasons) > 1 else ""
        parts.append(f"{control} ({reasons[0]}{more})")
    return "; ".join(parts)


def pod_security(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A pod template in a Namespace of the input that labels a Pod Security level it fails.

    mode `enforce`: the level of the `enforce` label (the API server refuses the pods);
    mode `warn`: the stricter level of the `warn` or `audit` labels, for the controls the
    enforced level does not already refuse (kubectl prints warnings; audit logs them)."""
    mode = params.get("mode", "enforce") if isinstance(params, dict) else "enforce"
    names = {v: k for k, v in _LEVEL_ORDER.items()}
    levels = _namespace_levels(index)
    if not levels:
        return
    for workload in index.workloads():
        pss = workload.data.get("pss")
        namespace = index.namespace_of(workload)
        if not pss or workload.kind == "PodTemplate" or namespace not in levels:
            continue
        enforce, warn = levels[namespace]
        if mode == "enforce":
            if not enforce:
                continue
            level = names[enforce]
            violations = pss.get(level) or []
        else:
            if warn <= enforce:
                continue
            level = names[warn]
            refused = {tuple(v[1]) for v in pss.get(names[enforce], [])} if enforce else set()
            violations = [v for v in pss.get(level) or [] if tuple(v[1]) not in refused]
        if not violations:
            continue
        first = min(violations, key=lambda v: (workload.at(tuple(v[1])).line, workload.at(tuple(v[1])).column))
        yield RunHit(workload, tuple(first[1]), {
            "kind": workload.kind, "name": workload.name, "namespace": namespace, "level": level,
            "controls": _controls(violations)})


CHECKS: dict[str, CheckDef] = {
    "duplicate-object": define(duplicate_object, params={
        "type": "object", "additionalProperties": False,
        "properties": {"variant_threshold": {"type": "integer", "minimum": 1},
                       "across_files": {"type": "boolean"}}}),
    "service-selects-nothing": define(service_selects_nothing),
    "service-target-port-undeclared": define(service_target_port_undeclared, ("default", "protocol")),
    "ingress-service-missing": define(ingress_service_missing),
    "ingress-service-port-missing": define(ingress_service_port_missing),
    "hpa-target-missing": define(hpa_target_missing, ("default", "other-kind")),
    "hpa-replicas-conflict": define(hpa_replicas_conflict),
    "pdb-selects-nothing": define(pdb_selects_nothing),
    "networkpolicy-selects-nothing": define(networkpolicy_selects_nothing, ("default", "peer")),
    "statefulset-service-missing": define(statefulset_service_missing, ("default", "not-headless", "not-selecting")),
    "missing-service-account": define(missing_service_account),
    "missing-configmap": define(missing_configmap, ("default", "key")),
    "missing-secret": define(missing_secret, ("default", "key")),
    "pod-security": define(pod_security, params={
        "type": "object", "additionalProperties": False, "required": ["mode"],
        "properties": {"mode": {"enum": ["enforce", "warn"]}}}),
}
