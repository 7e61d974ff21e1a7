"""Selectors that select no pod of the input: Services, PodDisruptionBudgets, NetworkPolicies
(and their peers), and named target ports that no selected pod declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckDef, define_run
from kubelint.checks.run.common import elsewhere, in_namespace
from kubelint.checks.run.facts import ObjectFacts
from kubelint.checks.run.index import RunHit, RunIndex
from kubelint.checks.run.operators import operated
from kubelint.checks.run.pods import (
    describe_selector,
    nearest,
    pod_sources,
    same_label_scheme,
    selected,
    selects_any,
)
from kubelint.kube.selectors import is_empty


def fed_by_endpoints(index: RunIndex, service: ObjectFacts, namespace: str | None) -> bool:
    """A Service whose endpoints the input writes by hand: its selector is not what feeds it."""
    if index.named("Endpoints", namespace, service.name or ""):
        return True
    sliced = index.memoized("endpoint-slices", lambda: {
        (index.namespace_of(s), s.labels.get("kubernetes.io/service-name")) for s in index.of_kind("EndpointSlice")})
    return (namespace, service.name) in sliced


def _service_selector(service: ObjectFacts) -> dict[str, str] | None:
    """The selector of a Service that the input should satisfy, or None when it need not."""
    facts = service.service
    if facts is None or not facts.selector or facts.type == "ExternalName" or not service.name:
        return None
    return facts.selector


def service_selects_nothing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A Service whose selector matches no pod template of its namespace gets no endpoints.

    Only where the namespace has workloads in the input (otherwise the pods are deployed by
    other means), and never for a Service without a selector, an ExternalName Service, or one
    whose Endpoints/EndpointSlices are in the input."""
    operator_run = operated(index, runs_pods=True) if index.of_kind("Service") else set()
    for service in index.of_kind("Service"):
        selector = _service_selector(service)
        if selector is None:
            continue
        namespace = index.namespace_of(service)
        pods = pod_sources(index, namespace)
        if (not pods or namespace in operator_run or selects_any(index, namespace, selector)
                or not same_label_scheme(index, namespace, selector)
                or fed_by_endpoints(index, service, namespace)):
            continue
        yield RunHit(service, ("spec", "selector"), {
            "name": service.name, "selector": describe_selector(selector), "namespace": in_namespace(namespace),
            "nearest": nearest(index, namespace, selector, service)})


def _selects_nothing(index: RunIndex, kind: str, field: str) -> Iterator[RunHit]:
    operator_run = operated(index, runs_pods=True) if index.of_kind(kind) else set()
    for policy in index.of_kind(kind):
        selector = policy.selector
        if selector is None or is_empty(selector):
            continue  # an empty selector selects every pod of the namespace
        namespace = index.namespace_of(policy)
        pods = pod_sources(index, namespace)
        if (not pods or namespace in operator_run or selects_any(index, namespace, selector)
                or not same_label_scheme(index, namespace, selector)):
            continue
        yield RunHit(policy, ("spec", field), {
            "kind": kind, "name": policy.name, "selector": describe_selector(selector),
            "namespace": in_namespace(namespace), "nearest": nearest(index, namespace, selector, policy)})


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
    policies = [p for p in index.of_kind("NetworkPolicy") if p.peers]
    operator_run = operated(index, runs_pods=True) if policies else set()
    for policy in policies:
        namespace = index.namespace_of(policy)
        if not pod_sources(index, namespace) or namespace in operator_run:
            continue
        for path, selector in policy.peers:
            if (is_empty(selector) or selects_any(index, namespace, selector)
                    or not same_label_scheme(index, namespace, selector)):
                continue
            yield RunHit(policy, tuple(path), {
                "kind": "NetworkPolicy", "name": policy.name, "selector": describe_selector(selector),
                "namespace": in_namespace(namespace), "nearest": nearest(index, namespace, selector, policy),
                "direction": "ingress from" if path[1] == "ingress" else "egress to"}, "peer")


def service_target_port_undeclared(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """A named targetPort resolves in each selected pod by name and protocol; where no selected
    pod declares it, the Service has no endpoint for that port. Numeric targetPorts need no
    declaration, and a Service that selects nothing is service-selects-nothing's finding."""
    for service in index.of_kind("Service"):
        selector = _service_selector(service)
        if selector is None or service.service is None:
            continue
        namespace = index.namespace_of(service)
        pods = selected(index, namespace, selector)
        if not pods or fed_by_endpoints(index, service, namespace):
            continue
        declared = [port for pod in pods if pod.workload is not None for port in pod.workload.ports]
        for port in service.service.ports:
            target = port.target_port
            if not isinstance(target, str) or not target or target.isdigit():
                continue
            protocol = port.protocol or "TCP"
            same_name = [p for p in declared if p.name == target]
            if any(p.protocol == protocol for p in same_name):
                continue
            names = sorted({str(p.name) for p in declared if p.name})
            values = {"name": service.name, "target": target, "protocol": protocol,
                      "pods": ", ".join(f"{p.kind} `{p.name}`{elsewhere(p, service)}" for p in pods[:3])
                      + (f" and {len(pods) - 3} more" if len(pods) > 3 else ""),
                      "declared": ", ".join(names) if names else "none"}
            if same_name:
                values["other"] = str(same_name[0].protocol)
                yield RunHit(service, ("spec", "ports", port.index, "targetPort"), values, "protocol")
            else:
                yield RunHit(service, ("spec", "ports", port.index, "targetPort"), values)


CHECKS: dict[str, CheckDef] = {
    "service-selects-nothing": define_run(service_selects_nothing, params=NO_PARAMS,
                                          placeholders=("name", "selector", "namespace", "nearest")),
    "service-target-port-undeclared": define_run(
        service_target_port_undeclared, ("default", "protocol"), params=NO_PARAMS,
        placeholders={"default": ("name", "target", "protocol", "pods", "declared"),
                      "protocol": ("name", "target", "protocol", "pods", "declared", "other")}),
    "pdb-selects-nothing": define_run(pdb_selects_nothing, params=NO_PARAMS,
                                      placeholders=("kind", "name", "selector", "namespace", "nearest")),
    "networkpolicy-selects-nothing": define_run(
        networkpolicy_selects_nothing, ("default", "peer"), params=NO_PARAMS,
        placeholders={"default": ("kind", "name", "selector", "namespace", "nearest"),
                      "peer": ("kind", "name", "selector", "namespace", "nearest", "direction")}),
}
