"""References by name to objects the input should hold: Ingress backends to Services, a
StatefulSet's governing Service, pod templates' ConfigMaps, Secrets and ServiceAccounts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckDef, define_run
from kubelint.checks.run.common import closest, in_namespace, is_placeholder, namespaces_with, where
from kubelint.checks.run.facts import Backend, ObjectFacts, Ref
from kubelint.checks.run.index import RunHit, RunIndex
from kubelint.checks.run.operators import operated
from kubelint.checks.run.pods import describe_selector, labels_of, labels_text, pod_labels, pod_sources
from kubelint.checks.run.selectors import fed_by_endpoints
from kubelint.kube.selectors import matches

ANNOTATION_ACTION_PORT = "use-annotation"


def _has_app_objects(index: RunIndex, namespace: str | None) -> bool:
    """Whether the input deploys something in `namespace` (Services or workloads): only then
    is a missing Service a slip rather than something installed separately."""
    return bool(pod_sources(index, namespace)) or namespace in namespaces_with(index, "Service")


def _service_names(index: RunIndex) -> dict[str | None, list[str]]:
    def build() -> dict[str | None, list[str]]:
        names: dict[str | None, set[str]] = {}
        for service in index.of_kind("Service"):
            names.setdefault(index.namespace_of(service), set()).add(service.name or "")
        return {namespace: sorted(found) for namespace, found in names.items()}
    return index.memoized("service-names", build)


def _is_annotation_action(backend: Backend) -> bool:
    """The AWS Load Balancer Controller's convention: a backend whose port is named
    `use-annotation` names an action (redirect, fixed response, weighted forward) defined in
    the annotation `alb.ingress.kubernetes.io/actions.<name>`, not a Service."""
    return backend.port == ANNOTATION_ACTION_PORT


def ingress_service_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An Ingress backend names a Service that the input, which deploys its namespace, lacks."""
    operator_run = operated(index) if index.of_kind("Ingress") else set()
    for ingress in index.of_kind("Ingress"):
        namespace = index.namespace_of(ingress)
        if not _has_app_objects(index, namespace) or namespace in operator_run:
            continue
        for backend in ingress.backends:
            name = backend.service
            if is_placeholder(name) or _is_annotation_action(backend) or index.named("Service", namespace, name):
                continue
            services = _service_names(index).get(namespace, [])
            yield RunHit(ingress, tuple(backend.path), {
                "service": name, "namespace": in_namespace(namespace),
                "services": ", ".join(services[:8]) + (", …" if len(services) > 8 else "") if services else "none"})


def ingress_service_port_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """An Ingress backend names a port that its Service, present in the input, does not have:
    the controller has nowhere to send the traffic."""
    for ingress in index.of_kind("Ingress"):
        namespace = index.namespace_of(ingress)
        for backend in ingress.backends:
            name, wanted = backend.service, backend.port
            if is_placeholder(name) or wanted is None or (isinstance(wanted, str) and is_placeholder(wanted)):
                continue
            if _is_annotation_action(backend):
                continue
            services = index.named("Service", namespace, name)
            if not services:
                continue
            service = closest(services, ingress)
            ports = service.service.ports if service.service is not None else ()
            if not ports and service.service is not None and service.service.type == "ExternalName":
                continue
            by_number = isinstance(wanted, int) or (isinstance(wanted, str) and wanted.isdigit())
            if by_number:
                found = any(str(p.port) == str(wanted) for p in ports)
            else:
                found = any(p.name == wanted for p in ports)
            if found:
                continue
            offered = [f"{p.name} ({p.port})" if p.name else str(p.port) for p in ports]
            yield RunHit(ingress, tuple(backend.port_path), {
                "service": name, "port": wanted, "what": "port" if by_number else "port named",
                "where": where(service), "ports": ", ".join(offered) if offered else "none"})


def statefulset_service_missing(index: RunIndex, params: Any) -> Iterator[RunHit]:
    """`serviceName` names the headless Service that gives each pod its DNS name.

    A Service of that name that is not headless is always reported (it is in the input); a
    missing one only where the input has Services in the StatefulSet's namespace (otherwise
    the Services are applied by other means)."""
    operator_run = operated(index) if index.of_kind("StatefulSet") else set()
    for workload in index.of_kind("StatefulSet"):
        name = workload.service_name
        if is_placeholder(name):
            continue
        assert name is not None
        namespace = index.namespace_of(workload)
        services = index.named("Service", namespace, name)
        values = {"name": workload.name, "service": name, "namespace": in_namespace(namespace)}
        if services:
            service = closest(services, workload)
            values["where"] = where(service)
            if service.service is None or service.service.cluster_ip != "None":
                yield RunHit(workload, ("spec", "serviceName"), values, "not-headless")
                continue
            selector = service.service.selector
            if (not selector or fed_by_endpoints(index, service, namespace)
                    or matches(selector, pod_labels(workload, selector))):
                continue  # no selector: its endpoints are written by someone else
            values["selector"] = describe_selector(selector)
            values["labels"] = labels_text(labels_of(workload))
            yield RunHit(workload, ("spec", "serviceName"), values, "not-selecting")
        elif namespace not in operator_run and namespace in namespaces_with(index, "Service"):
            yield RunHit(workload, ("spec", "serviceName"), values)


# Objects every namespace has without anyone writing them.
_ALWAYS_THERE = {
    "ServiceAccount": frozenset({"default"}),
    "ConfigMap": frozenset({"kube-root-ca.crt", "openshift-service-ca.crt"}),
    "Secret": frozenset(),
}


def _made(index: RunIndex) -> set[tuple[str, str | None, str]]:
    """(kind, namespace, name) of the objects that a controller of the input writes."""
    return index.memoized("made", lambda: {(kind, index.namespace_of(f), name) for f in index.objects
                                           for kind, name in f.makes})


def _missing(index: RunIndex, kind: str) -> Iterator[RunHit]:
    """Each non-optional reference of a pod template to a `kind` the input does not define in
    the workload's namespace (once per name and workload)."""
    made = _made(index)
    operator_run = operated(index)
    for workload in index.workloads():
        facts = workload.workload
        namespace = index.namespace_of(workload)
        if namespace in operator_run or facts is None:
            continue
        refs: list[Ref]
        if kind == "ServiceAccount":
            refs = [facts.service_account] if facts.service_account else []
        else:
            refs = facts.refs.get(kind, [])
        reported: set[str] = set()
        for ref in refs:
            name = ref.name
            if ref.optional or name in reported or is_placeholder(name) or name in _ALWAYS_THERE[kind]:
                continue
            if index.named(kind, namespace, name) or (kind, namespace, name) in made:
                continue
            reported.add(name)
            yield RunHit(workload, tuple(ref.path), {"kind": workload.kind, "workload": workload.name,
                                                     "name": name, "namespace": in_namespace(namespace)})
        if kind != "ServiceAccount":
            yield from _missing_keys(index, workload, kind, namespace, made, reported)


def _missing_keys(index: RunIndex, workload: ObjectFacts, kind: str, namespace: str | None,
                  made: set[tuple[str, str | None, str]], reported: set[str]) -> Iterator[RunHit]:
    """References to a key that the ConfigMap or Secret of the input lacks: the container does
    not start (CreateContainerConfigError) or the volume does not mount. Only where the input
    holds the object with its keys and nothing else writes it."""
    assert workload.workload is not None
    for ref in workload.workload.key_refs.get(kind, []):
        name, key = ref.name, ref.key
        if name in reported or is_placeholder(name) or is_placeholder(key) or (kind, namespace, name) in made:
            continue
        found = index.named(kind, namespace, name)
        source = closest(found, workload) if found else None
        keys = source.keys if source else None
        if source is None or not keys or key in keys:
            continue
        yield RunHit(workload, tuple(ref.path), {
            "kind": workload.kind, "workload": workload.name, "name": name, "namespace": in_namespace(namespace),
            "key": key, "keys": ", ".join(keys[:8]) + (", …" if len(keys) > 8 else ""),
            "where": where(source)}, "key")


def missing_service_account(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "ServiceAccount")


def missing_configmap(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "ConfigMap")


def missing_secret(index: RunIndex, params: Any) -> Iterator[RunHit]:
    yield from _missing(index, "Secret")


_MISSING_PLACEHOLDERS = {"default": ("kind", "workload", "name", "namespace"),
                         "key": ("kind", "workload", "name", "namespace", "key", "keys", "where")}

CHECKS: dict[str, CheckDef] = {
    "ingress-service-missing": define_run(ingress_service_missing, params=NO_PARAMS,
                                          placeholders=("service", "namespace", "services")),
    "ingress-service-port-missing": define_run(ingress_service_port_missing, params=NO_PARAMS,
                                               placeholders=("service", "port", "what", "where", "ports")),
    "statefulset-service-missing": define_run(
        statefulset_service_missing, ("default", "not-headless", "not-selecting"), params=NO_PARAMS,
        placeholders={"default": ("name", "service", "namespace"),
                      "not-headless": ("name", "service", "namespace", "where"),
                      "not-selecting": ("name", "service", "namespace", "where", "selector", "labels")}),
    "missing-service-account": define_run(missing_service_account, params=NO_PARAMS,
                                          placeholders=("kind", "workload", "name", "namespace")),
    "missing-configmap": define_run(missing_configmap, ("default", "key"), params=NO_PARAMS,
                                    placeholders=_MISSING_PLACEHOLDERS),
    "missing-secret": define_run(missing_secret, ("default", "key"), params=NO_PARAMS,
                                 placeholders=_MISSING_PLACEHOLDERS),
}
