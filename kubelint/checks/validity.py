"""Checks of the validity rules (see rules/validity/): what the API server refuses although the
OpenAPI schema lets it through. The grammars and tables live in kubelint.kube; this module
only walks objects and says where.

Every check skips values of the wrong type (those are schema findings) and strings that still
hold template markers or `$(VAR)` references, which something else substitutes later.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckContext, CheckDef, Hit, define
from kubelint.kube import names, quantity, resources, selectors
from kubelint.kube.groups import group_of, is_builtin_group
from kubelint.kube.workloads import containers, get_path, pod_spec
from kubelint.model import FieldPath, format_path


def _templated(value: str) -> bool:
    return "{{" in value or "$(" in value or "${" in value


def _text(value: Any) -> str | None:
    """A string worth checking: not a template, else None."""
    return value if isinstance(value, str) and not _templated(value) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _template_meta(ctx: CheckContext) -> FieldPath | None:
    """Path of the pod template's metadata, when the object has a template apart from itself."""
    found = pod_spec(ctx.document.kind, ctx.document.obj, ctx.document.api_version)
    if not found or len(found[1]) < 2:
        return None
    return found[1][:-1] + ("metadata",)


def _pod(ctx: CheckContext, obj: Any) -> tuple[dict[str, Any], FieldPath] | None:
    return pod_spec(ctx.document.kind, obj, ctx.document.api_version)


# ------------------------------------------------------------------------------- selectors

_APPS_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})


def selector_mismatch(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    kind = ctx.document.kind
    selector = get_path(obj, ("spec", "selector"))
    meta = _template_meta(ctx)
    if not isinstance(selector, dict) or meta is None:
        return
    if kind == "Job" and get_path(obj, ("spec", "manualSelector")) is not True:
        return  # the server generates the selector
    if kind in _APPS_KINDS and selectors.is_empty(selector):
        if ctx.document.api_version == "apps/v1":
            yield Hit(("spec", "selector"), {"kind": kind}, "empty", at="key")
        return
    labels = get_path(obj, meta + ("labels",))
    labels = labels if isinstance(labels, dict) else {}
    if any(isinstance(v, str) and _templated(v) for v in labels.values()):
        return
    shown = ", ".join(f"{k}: {v}" for k, v in labels.items()) or "none"
    for sub, requirement in selectors.unmatched(selector, labels):
        if _templated(requirement):
            continue
        yield Hit(("spec", "selector") + sub, {"kind": kind, "requirement": requirement,
                                               "labels": shown})


# ----------------------------------------------------------------------------------- names


def invalid_name(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    doc = ctx.document
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    name = _text(meta.get("name"))
    if name is not None:
        problem = names.name_problem(doc.kind, doc.api_version, name)
        if problem:
            yield Hit(("metadata", "name"), {"name": name, "kind": doc.kind, "rule": problem[0],
                                              "problem": problem[1]})
    namespace = _text(meta.get("namespace"))
    if namespace is not None:
        problem_text = names.dns1123_label_problem(namespace)
        if problem_text:
            yield Hit(("metadata", "namespace"), {"name": namespace, "problem": problem_text},
                      "namespace")
    yield from _storage_class_names(ctx, obj)
    found = _pod(ctx, obj)
    if not found:
        return
    spec, spec_path = found
    for container, cpath in containers(spec, spec_path):
        cname = _text(container.get("name"))
        problem_text = names.dns1123_label_problem(cname) if cname is not None else None
        if problem_text:
            yield Hit(cpath + ("name",), {"name": cname, "problem": problem_text}, "container")
        yield from _env_names(ctx, container, cpath)
    for index, volume in _items(spec.get("volumes")):
        vname = _text(volume.get("name"))
        problem_text = names.dns1123_label_problem(vname) if vname is not None else None
        if problem_text:
            yield Hit(spec_path + ("volumes", index, "name"), {"name": vname, "problem": problem_text},
                      "volume")


def _claim_specs(ctx: CheckContext, obj: dict[str, Any]) -> Iterator[tuple[Any, FieldPath]]:
    """The specs whose `storageClassName` names a StorageClass: a claim's, a volume's, a template's."""
    doc = ctx.document
    if doc.api_version == "v1" and doc.kind in ("PersistentVolumeClaim", "PersistentVolume"):
        yield obj.get("spec"), ("spec",)
    elif doc.kind == "StatefulSet" and group_of(doc.api_version or "") == "apps":
        spec = obj.get("spec")
        templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
        for index, template in _items(templates):
            yield template.get("spec"), ("spec", "volumeClaimTemplates", index, "spec")


def _storage_class_names(ctx: CheckContext, obj: dict[str, Any]) -> Iterator[Hit]:
    """A class name is validated as a StorageClass name when the claim is stored, so a
    placeholder such as `<YOUR_STORAGE_CLASS>` is refused; "" (no class) is allowed."""
    for spec, at in _claim_specs(ctx, obj):
        value = _text(spec.get("storageClassName")) if isinstance(spec, dict) else None
        problem = names.name_problem("StorageClass", "storage.k8s.io/v1", value) if value else None
        if problem:
            yield Hit(at + ("storageClassName",), {"name": value, "kind": "StorageClass",
                                                   "rule": problem[0], "problem": problem[1]})


def _env_names(ctx: CheckContext, container: dict[str, Any], cpath: FieldPath) -> Iterator[Hit]:
    """Env var names and envFrom prefixes, by the rule of the target version's server."""
    relaxed = ctx.kubernetes_version >= names.RELAXED_ENV_SINCE
    for index, item in _items(container.get("env")):
        name = item.get("name")
        if isinstance(name, str) and not _templated(name):
            problem = names.env_var_name_problem(name, relaxed)
            if problem:
                yield Hit(cpath + ("env", index, "name"), {"name": name, "problem": problem}, "env")
    for index, item in _items(container.get("envFrom")):
        prefix = item.get("prefix")
        if isinstance(prefix, str) and prefix and not _templated(prefix):
            problem = names.env_var_name_problem(prefix, relaxed)
            if problem:
                yield Hit(cpath + ("envFrom", index, "prefix"), {"name": prefix, "problem": problem}, "env")


# ---------------------------------------------------------------------------------- labels


def _label_map(labels: Any, at: FieldPath, where: str) -> Iterator[Hit]:
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        if not isinstance(key, str) or _templated(key):
            continue
        problem = names.qualified_name_problem(key)
        if problem:
            yield Hit(at + (key,), {"key": key, "problem": problem, "where": where}, "key", at="key")
        text = _text(value)
        if text is not None:
            problem = names.label_value_problem(text)
            if problem:
                yield Hit(at + (key,), {"key": key, "value": text, "problem": problem,
                                        "where": where}, "value")


def _label_selector(selector: Any, at: FieldPath) -> Iterator[Hit]:
    if not isinstance(selector, dict):
        return
    yield from _label_map(selector.get("matchLabels"), at + ("matchLabels",), "selector")
    for index, expression in _items(selector.get("matchExpressions")):
        here = at + ("matchExpressions", index)
        key = _text(expression.get("key"))
        problem = names.qualified_name_problem(key) if key is not None else None
        if problem:
            yield Hit(here + ("key",), {"key": key, "problem": problem, "where": "selector"}, "key")
        values = expression.get("values")
        for vindex, value in enumerate(values if isinstance(values, list) else []):
            text = _text(value)
            problem = names.label_value_problem(text) if text is not None else None
            if problem:
                yield Hit(here + ("values", vindex), {"key": key or "", "value": text,
                                                      "problem": problem, "where": "selector"}, "value")
        wrong = selectors.requirement_problem(expression)
        if wrong:
            yield Hit(here + (wrong[0],), {"problem": wrong[1]}, "expression",
                      at="key" if wrong[0] in expression else "value")


_MAP_SELECTOR_KINDS = frozenset({"Service", "ReplicationController", "DeploymentConfig"})


def invalid_label(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    yield from _label_map(get_path(obj, ("metadata", "labels")), ("metadata", "labels"), "label")
    meta = _template_meta(ctx)
    if meta is not None:
        yield from _label_map(get_path(obj, meta + ("labels",)), meta + ("labels",), "label")
    found = _pod(ctx, obj)
    if found:  # the pod spec's nodeSelector is validated as a label map
        yield from _label_map(found[0].get("nodeSelector"), found[1] + ("nodeSelector",), "nodeSelector")
    doc = ctx.document
    if doc.kind == "NetworkPolicy" and is_builtin_group(doc.api_version or ""):
        yield from _label_selector(get_path(obj, ("spec", "podSelector")), ("spec", "podSelector"))
    selector = get_path(obj, ("spec", "selector"))
    if not isinstance(selector, dict) or not (is_builtin_group(doc.api_version or "") or meta):
        return
    if doc.kind in _MAP_SELECTOR_KINDS:
        yield from _label_map(selector, ("spec", "selector"), "selector")
    elif meta is not None or doc.kind == "PodDisruptionBudget":
        yield from _label_selector(selector, ("spec", "selector"))


def invalid_annotation(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    places: list[FieldPath] = [("metadata", "annotations")]
    meta = _template_meta(ctx)
    if meta is not None:
        places.append(meta + ("annotations",))
    for at in places:
        annotations = get_path(obj, at)
        if not isinstance(annotations, dict):
            continue
        size = 0
        for key, value in annotations.items():
            if not isinstance(key, str):
                continue
            size += len(key.encode()) + (len(value.encode()) if isinstance(value, str) else 0)
            if _templated(key):
                continue
            problem = names.qualified_name_problem(key.lower())  # the server lowercases first
            if problem:
                yield Hit(at + (key,), {"key": key, "problem": problem}, "key", at="key")
        if size > names.ANNOTATIONS_MAX_BYTES:
            yield Hit(at, {"size": size, "limit": names.ANNOTATIONS_MAX_BYTES}, "size", at="key")


# ------------------------------------------------------------------------------ quantities


def _quantity_maps(ctx: CheckContext, obj: Any) -> Iterator[tuple[FieldPath, bool]]:
    """Paths of the maps of resource name → quantity, and whether negatives are refused."""
    doc = ctx.document
    found = _pod(ctx, obj)
    if found:
        spec, spec_path = found
        for _which, at in _container_resource_maps(spec, spec_path):
            yield at, True
        yield spec_path + ("resources", "requests"), True
        yield spec_path + ("resources", "limits"), True
        for index, _volume in _items(spec.get("volumes")):
            claim = spec_path + ("volumes", index, "ephemeral", "volumeClaimTemplate", "spec", "resources")
            yield claim + ("requests",), True
            yield claim + ("limits",), True
    if not is_builtin_group(doc.api_version or ""):
        return
    kind = doc.kind
    if kind == "PersistentVolumeClaim":
        yield ("spec", "resources", "requests"), True
        yield ("spec", "resources", "limits"), True
    elif kind == "PersistentVolume":
        yield ("spec", "capacity"), True
    elif kind == "StatefulSet":
        for index, _claim in _items(get_path(obj, ("spec", "volumeClaimTemplates"))):
            yield ("spec", "volumeClaimTemplates", index, "spec", "resources", "requests"), True
            yield ("spec", "volumeClaimTemplates", index, "spec", "resources", "limits"), True
    elif kind == "ResourceQuota":
        yield ("spec", "hard"), True
    elif kind == "LimitRange":
        for index, _limit in _items(get_path(obj, ("spec", "limits"))):
            for name in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
                yield ("spec", "limits", index, name), True


def _container_resource_maps(spec: dict[str, Any], spec_path: FieldPath) -> Iterator[tuple[str, FieldPath]]:
    """("requests" or "limits", path) of every container's resources."""
    for _container, cpath in containers(spec, spec_path):
        yield "requests", cpath + ("resources", "requests")
        yield "limits", cpath + ("resources", "limits")


def _single_quantities(ctx: CheckContext, obj: Any) -> Iterator[tuple[FieldPath, str]]:
    found = _pod(ctx, obj)
    if found:
        spec, spec_path = found
        for index, volume in _items(spec.get("volumes")):
            if isinstance(volume.get("emptyDir"), dict) and "sizeLimit" in volume["emptyDir"]:
                yield spec_path + ("volumes", index, "emptyDir", "sizeLimit"), "sizeLimit"


def _quantity_hit(value: Any, at: FieldPath, resource: str, nonnegative: bool) -> Hit | None:
    if isinstance(value, str):
        if _templated(value):
            return None
    elif _int(value) is None and not isinstance(value, float):
        return None  # null, booleans, maps: schema findings
    parsed = quantity.parse_quantity(value)
    if parsed is None:
        if not isinstance(value, str):
            return None  # .inf / .nan
        guesses = quantity.suggest_quantity(value)
        if guesses:
            shown = " or ".join(f"`{g}`" for g in guesses)
            return Hit(at, {"resource": resource, "value": value, "suggestion": shown}, "suggest")
        return Hit(at, {"resource": resource, "value": value})
    if nonnegative and parsed < 0:
        return Hit(at, {"resource": resource, "value": value}, "negative")
    return None


def _fractional_extended(ctx: CheckContext, obj: Any) -> Iterator[Hit]:
    """Extended resources (nvidia.com/gpu) are counted in whole devices: the server refuses
    `0.5` or `500m` in a container's requests or limits ("must be an integer")."""
    found = _pod(ctx, obj)
    if not found:
        return
    for _which, at in _container_resource_maps(*found):
        values = get_path(obj, at)
        for resource, value in values.items() if isinstance(values, dict) else ():
            if not isinstance(resource, str) or not resources.is_extended(resource):
                continue
            if isinstance(value, str) and _templated(value):
                continue
            parsed = quantity.parse_quantity(value)
            if parsed is not None and parsed >= 0 and not resources.is_whole(parsed):
                yield Hit(at + (resource,), {"resource": resource, "value": value}, "integer")


def invalid_quantity(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    for at, nonnegative in _quantity_maps(ctx, obj):
        values = get_path(obj, at)
        if not isinstance(values, dict):
            continue
        for resource, value in values.items():
            if isinstance(resource, str):
                hit = _quantity_hit(value, at + (resource,), resource, nonnegative)
                if hit:
                    yield hit
    for at, what in _single_quantities(ctx, obj):
        hit = _quantity_hit(get_path(obj, at), at, what, True)
        if hit:
            yield hit
    yield from _fractional_extended(ctx, obj)


def requests_exceed_limits(ctx: CheckContext, container: Any, path: FieldPath,
                           params: Any) -> Iterator[Hit]:
    res = container.get("resources")
    if not isinstance(res, dict):
        return
    requests, limits = res.get("requests"), res.get("limits")
    if not isinstance(requests, dict) or not isinstance(limits, dict):
        return
    for resource, request in requests.items():
        if resource not in limits or not isinstance(resource, str) or not resources.overcommit_allowed(resource):
            continue  # extended resources and hugepages: overcommitted-resource says more
        wanted, cap = quantity.parse_quantity(request), quantity.parse_quantity(limits[resource])
        if wanted is not None and cap is not None and wanted > cap:
            yield Hit(path + ("resources", "requests", resource),
                      {"resource": resource, "request": request, "limit": limits[resource],
                       "container": container.get("name", "?")})


def overcommitted_resource(ctx: CheckContext, container: Any, path: FieldPath,
                           params: Any) -> Iterator[Hit]:
    """Extended resources and hugepages cannot be overcommitted: the server wants a limit for
    every request and the two equal ("must be equal to nvidia.com/gpu limit of 1", "Limit must
    be set for non overcommitable resources"). A limit alone is fine: the request defaults to it.
    It also wants cpu or memory beside hugepages ("HugePages require cpu or memory")."""
    res = container.get("resources")
    if not isinstance(res, dict):
        return
    requests = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    limits = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    name = container.get("name", "?")
    for resource, request in requests.items():
        if not isinstance(resource, str) or resources.overcommit_allowed(resource):
            continue
        if isinstance(request, str) and _templated(request):
            continue
        wanted = quantity.parse_quantity(request)
        if wanted is None:
            continue  # invalid-quantity's finding
        values = {"resource": resource, "request": request, "container": name,
                  "what": resources.kind_of(resource)}
        at = path + ("resources", "requests", resource)
        if resource not in limits:
            yield Hit(at, values, "no-limit")
            continue
        limit = limits[resource]
        cap = None if isinstance(limit, str) and _templated(limit) else quantity.parse_quantity(limit)
        if cap is not None and cap != wanted:
            yield Hit(at, {**values, "limit": limit})
    named = [k for k in (*requests, *limits) if isinstance(k, str)]
    if any(resources.is_hugepages(k) for k in named) and not {"cpu", "memory"} & set(named):
        yield Hit(path + ("resources",), {"container": name}, "hugepages-alone", at="key")


# ----------------------------------------------------------------------------------- probes

# The handlers of a probe and of a hook, in the order the server counts them.
_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_HOOK_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
_ONE_SUCCESS = ("livenessProbe", "startupProbe")


def _runs_probes(path: FieldPath, container: dict[str, Any]) -> bool:
    """Whether the server validates this container's probes and hooks: a regular container or
    a sidecar (init container with restartPolicy: Always). Others may not have them at all."""
    kind = str(path[-2]) if len(path) >= 2 else "containers"
    if kind == "initContainers":
        return container.get("restartPolicy") == "Always"
    return kind != "ephemeralContainers"


def invalid_probe(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """What validateHandler and validateLivenessProbe refuse: one handler per probe or hook,
    none missing, and successThreshold 1 on liveness and startup probes."""
    if not isinstance(container, dict) or not _runs_probes(path, container):
        return
    name = container.get("name", "?")
    for hpath, handler in _handlers(container):
        where = ".".join(hpath)
        kinds = _PROBE_HANDLERS if hpath[0] in _PROBES else _HOOK_HANDLERS
        present = [h for h in kinds if handler.get(h) is not None]
        if any(isinstance(v, str) and _templated(v) for v in handler.values()):
            continue
        if not present:
            yield Hit(path + hpath, {"where": where, "container": name}, "no-handler", at="key")
        for extra in present[1:]:
            yield Hit(path + hpath + (extra,), {"where": where, "container": name, "first": present[0],
                                                "second": extra}, at="key")
        threshold = _int(handler.get("successThreshold"))
        # 0 is defaulted to 1 before validation; a negative value is refused as well.
        if hpath[0] in _ONE_SUCCESS and threshold is not None and threshold not in (0, 1):
            yield Hit(path + hpath + ("successThreshold",), {"where": where, "container": name,
                                                            "value": threshold}, "success-threshold")


# ----------------------------------------------------------------------------------- ports

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = (("lifecycle", "postStart"), ("lifecycle", "preStop"))


def _handlers(container: dict[str, Any]) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    for probe in _PROBES:
        if isinstance(container.get(probe), dict):
            yield (probe,), container[probe]
    for hook in _HOOKS:
        handler = get_path(container, hook)
        if isinstance(handler, dict):
            yield hook, handler


def _port_number(value: Any, at: FieldPath, field: str, allow_zero: bool = False) -> Hit | None:
    number = _int(value)
    if number is None or (allow_zero and number == 0) or 1 <= number <= 65535:
        return None
    return Hit(at, {"field": field, "value": number}, "range")


def _port_ref(value: Any, at: FieldPath, field: str, allow_zero: bool = False) -> Hit | None:
    """An int-or-string port: a number in range, or an IANA service name."""
    if isinstance(value, str):
        if _templated(value) or (allow_zero and value == ""):
            return None  # an empty targetPort is defaulted to the port, as 0 is
        problem = names.iana_svc_name_problem(value)
        if problem:
            return Hit(at, {"field": field, "value": value, "problem": problem}, "name")
        return None
    return _port_number(value, at, field, allow_zero)


def _container_ports(container: dict[str, Any], path: FieldPath) -> Iterator[Hit]:
    seen: set[str] = set()
    for index, port in _items(container.get("ports")):
        here = path + ("ports", index)
        for field, zero in (("containerPort", False), ("hostPort", True)):
            hit = _port_number(port.get(field), here + (field,), field, zero)
            if hit:
                yield hit
        name = _text(port.get("name"))
        if name is not None:
            problem = names.iana_svc_name_problem(name)
            if problem:
                yield Hit(here + ("name",), {"field": "name", "value": name, "problem": problem}, "name")
            elif name in seen:
                yield Hit(here + ("name",), {"value": name}, "duplicate-name")
            seen.add(name)
    for hpath, handler in _handlers(container):
        for action in ("httpGet", "tcpSocket"):
            if isinstance(handler.get(action), dict) and "port" in handler[action]:
                hit = _port_ref(handler[action]["port"], path + hpath + (action, "port"), "port")
                if hit:
                    yield hit
        if isinstance(handler.get("grpc"), dict):
            hit = _port_number(handler["grpc"].get("port"), path + hpath + ("grpc", "port"), "port")
            if hit:
                yield hit


def invalid_port(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    found = _pod(ctx, obj)
    if found:
        for container, cpath in containers(*found):
            yield from _container_ports(container, cpath)
    if ctx.document.kind != "Service" or not is_builtin_group(ctx.document.api_version or ""):
        return
    for index, port in _items(get_path(obj, ("spec", "ports"))):
        here = ("spec", "ports", index)
        for hit in (_port_number(port.get("port"), here + ("port",), "port"),
                    _port_ref(port.get("targetPort"), here + ("targetPort",), "targetPort", True),
                    _port_number(port.get("nodePort"), here + ("nodePort",), "nodePort", True)):
            if hit:
                yield hit
        name = _text(port.get("name"))
        problem = names.dns1123_label_problem(name) if name else None
        if problem:
            yield Hit(here + ("name",), {"value": name, "problem": problem}, "service-name")


def _protocol(port: dict[str, Any]) -> str:
    protocol = port.get("protocol")
    return protocol if isinstance(protocol, str) and protocol else "TCP"


def _tcp_unanswered(container: dict[str, Any], port: Any) -> str | None:
    """The protocols a port is declared for when none is TCP (kube-linter's liveness-port
    test): the kubelet resolves a named port whatever its protocol, then connects over TCP.
    None when the port is declared for TCP, not declared at all, or not a literal."""
    ports = [p for _, p in _items(container.get("ports"))]
    if isinstance(port, str):
        named = [p for p in ports if p.get("name") == port]
        number = _int(named[0].get("containerPort")) if named else None
    else:
        number = _int(port)
    if number is None:
        return None
    same = [_protocol(p) for p in ports if _int(p.get("containerPort")) == number]
    if not same or "TCP" in same or any(_templated(p) for p in same):
        return None
    return " and ".join(sorted(set(same)))


def probe_port_undeclared(ctx: CheckContext, container: Any, path: FieldPath,
                          params: Any) -> Iterator[Hit]:
    declared = {p["name"] for _, p in _items(container.get("ports")) if isinstance(p.get("name"), str)}
    for hpath, handler in _handlers(container):
        for action in ("httpGet", "tcpSocket", "grpc"):
            port = get_path(handler, (action, "port"))
            values = {"port": port, "container": container.get("name", "?"), "where": ".".join(hpath)}
            if isinstance(port, str) and _templated(port):
                continue
            if isinstance(port, str) and port not in declared:
                if action == "grpc" or port.isdigit() or names.iana_svc_name_problem(port):
                    continue  # a malformed name is invalid-port's finding
                yield Hit(path + hpath + (action, "port"),
                          {**values, "declared": ", ".join(sorted(d for d in declared if d)) or "none"})
                continue
            protocols = _tcp_unanswered(container, port)
            if protocols:
                yield Hit(path + hpath + (action, "port"), {**values, "protocol": protocols, "action": action},
                          "protocol")


def duplicate_container_port(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """The pod-wide test of the server's warnings: one containerPort/protocol declared twice.

    Two declarations conflict unless both bind distinct host ports (hostPort 0 is no binding).
    """
    seen: dict[tuple[int, str], list[tuple[FieldPath, int, str]]] = {}
    for container, cpath in containers(spec, path):
        for index, port in _items(container.get("ports")):
            number = _int(port.get("containerPort"))
            if number is None:
                continue
            key = (number, str(port.get("protocol") or "TCP"))
            host_port = _int(port.get("hostPort")) or 0
            host_ip = str(port.get("hostIP") or "")
            here = cpath + ("ports", index)
            for other, other_port, other_ip in seen.get(key, ()):
                if (host_port == other_port and host_ip == other_ip) or 0 in (host_port, other_port):
                    yield Hit(here + ("containerPort",),
                              {"port": number, "protocol": key[1], "first": format_path(other[len(path):]),
                               "container": container.get("name", "?")})
                    break
            seen.setdefault(key, []).append((here, host_port, host_ip))


def duplicate_service_port(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    if not is_builtin_group(ctx.document.api_version or ""):
        return  # Knative and others have kinds named Service too
    ports = list(_items(get_path(obj, ("spec", "ports"))))
    numbers: dict[tuple[int, str], int] = {}
    port_names: dict[str, int] = {}
    for index, port in ports:
        number = _int(port.get("port"))
        if number is not None:
            key = (number, str(port.get("protocol") or "TCP"))
            if key in numbers:
                yield Hit(("spec", "ports", index, "port"),
                          {"port": number, "protocol": key[1], "first": numbers[key]})
            else:
                numbers[key] = index
        name = port.get("name")
        if isinstance(name, str) and name:
            if name in port_names:
                yield Hit(("spec", "ports", index, "name"), {"name": name, "first": port_names[name]},
                          "name")
            else:
                port_names[name] = index
        elif len(ports) > 1 and name in (None, ""):
            yield Hit(("spec", "ports", index, "name"), {"count": len(ports)}, "unnamed")


# ---------------------------------------------------------------------- containers, volumes


def _named(items: Any, at: FieldPath) -> Iterator[tuple[str, FieldPath]]:
    for index, item in _items(items):
        name = _text(item.get("name"))
        if name:
            yield name, at + (index, "name")


def duplicate_container_name(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    seen: dict[str, FieldPath] = {}
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for name, at in _named(spec.get(field), path + (field,)):
            if name in seen:
                first = seen[name]
                yield Hit(at, {"name": name, "first": f"{first[-3]}[{first[-2]}]"})
            else:
                seen[name] = at


def duplicate_volume_name(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    seen: dict[str, int] = {}
    for name, at in _named(spec.get("volumes"), path + ("volumes",)):
        if name in seen:
            yield Hit(at, {"name": name, "first": seen[name]})
        else:
            seen[name] = int(at[-2])


def undefined_volume_mount(ctx: CheckContext, container: Any, path: FieldPath,
                           params: Any) -> Iterator[Hit]:
    spec = ctx.pod_spec or {}
    volumes = spec.get("volumes")
    defined = {item["name"] for _, item in _items(volumes) if isinstance(item.get("name"), str)}
    if ctx.document.kind == "StatefulSet":  # each claim template is a volume of every pod
        claims = get_path(ctx.document.obj, ("spec", "volumeClaimTemplates"))
        defined |= {n for _, item in _items(claims) if isinstance(n := get_path(item, ("metadata", "name")), str)}
    if any(_templated(n) for n in defined):
        return
    shown = ", ".join(sorted(n for n in defined if n)) or "none"
    for field in ("volumeMounts", "volumeDevices"):
        for name, at in _named(container.get(field), path + (field,)):
            if name not in defined:
                yield Hit(at, {"name": name, "field": field, "volumes": shown,
                               "container": container.get("name", "?")})


def duplicate_mount_path(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    seen: dict[str, int] = {}
    for index, mount in _items(container.get("volumeMounts")):
        mount_path = _text(mount.get("mountPath"))
        if not mount_path:
            continue
        if mount_path in seen:
            yield Hit(path + ("volumeMounts", index, "mountPath"),
                      {"path": mount_path, "first": seen[mount_path],
                       "container": container.get("name", "?")})
        else:
            seen[mount_path] = index


def duplicate_env_var(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    seen: dict[str, int] = {}
    for name, at in _named(container.get("env"), path + ("env",)):
        if name in seen:
            yield Hit(at, {"name": name, "first": seen[name], "container": container.get("name", "?")})
        else:
            seen[name] = int(at[-2])


# ------------------------------------------------------------------------ controller rules


def invalid_cron_schedule(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    from kubelint.kube import cron  # on the first CronJob: a run without one never needs it

    schedule = _text(get_path(obj, ("spec", "schedule")))
    if schedule is not None:
        problem = cron.schedule_problem(schedule)
        if problem:
            yield Hit(("spec", "schedule"), {"schedule": schedule, "problem": problem})
        elif cron.has_tz(schedule) and ctx.kubernetes_version >= cron.TZ_REFUSED_SINCE:
            yield Hit(("spec", "schedule"), {"schedule": schedule}, "tz")
    zone = get_path(obj, ("spec", "timeZone"))
    if isinstance(zone, str) and not _templated(zone):
        problem = cron.time_zone_problem(zone)
        if problem:
            yield Hit(("spec", "timeZone"), {"zone": zone, "problem": problem}, "time-zone")


_ALWAYS_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
                           "ReplicationController", "DeploymentConfig", "Rollout"})
_JOB_KINDS = frozenset({"Job", "CronJob"})
_POLICIES = ("Always", "OnFailure", "Never")


def invalid_restart_policy(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    kind = ctx.document.kind or ""
    policy = spec.get("restartPolicy")
    if kind in _ALWAYS_KINDS and policy in ("OnFailure", "Never"):
        yield Hit(path + ("restartPolicy",), {"kind": kind, "policy": policy, "allowed": "Always"})
    elif kind in _JOB_KINDS:
        if policy == "Always":
            yield Hit(path + ("restartPolicy",), {"kind": kind, "policy": policy,
                                                  "allowed": "OnFailure or Never"})
        elif policy is None:
            yield Hit(path + ("restartPolicy",), {"kind": kind}, "missing")
    if ctx.kubernetes_version < (1, 28):
        return  # no container-level restartPolicy yet: unknown-field reports it
    for container, cpath in containers(spec, path):
        own = container.get("restartPolicy")
        if own is None or not isinstance(own, str) or _templated(own):
            continue
        if cpath[-2] == "initContainers":
            if own != "Always" and own in _POLICIES:
                yield Hit(cpath + ("restartPolicy",), {"policy": own, "name": container.get("name", "?")},
                          "init")
        elif own in _POLICIES:
            yield Hit(cpath + ("restartPolicy",), {"policy": own, "name": container.get("name", "?"),
                                                   "list": cpath[-2]}, "container")


def _is_zero(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in ("0", "0%")
    return _int(value) == 0


def _percent_over(value: Any) -> bool:
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1]) > 100
    return False


def invalid_rolling_update(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    if ctx.document.kind == "DaemonSet":
        at: FieldPath = ("spec", "updateStrategy", "rollingUpdate")
        defaults: dict[str, Any] = {"maxSurge": 0, "maxUnavailable": 1}
    else:
        at, defaults = ("spec", "strategy", "rollingUpdate"), {"maxSurge": "25%", "maxUnavailable": "25%"}
    update = get_path(obj, at)
    if not isinstance(update, dict) or get_path(obj, at[:-1] + ("type",)) in ("Recreate", "OnDelete"):
        return
    surge = update.get("maxSurge", defaults["maxSurge"])
    unavailable = update.get("maxUnavailable", defaults["maxUnavailable"])
    if _is_zero(surge) and _is_zero(unavailable):
        field = "maxUnavailable" if "maxUnavailable" in update else "maxSurge"
        yield Hit(at + (field,), {"kind": ctx.document.kind})
    if _percent_over(unavailable):
        yield Hit(at + ("maxUnavailable",), {"value": unavailable}, "percent")


_NAMED = ("name", "problem")

CHECKS: dict[str, CheckDef] = {
    "selector-mismatch": define(selector_mismatch, ("default", "empty"), NO_PARAMS,
        placeholders={"default": ("kind", "requirement", "labels"), "empty": ("kind",)}),
    "invalid-name": define(invalid_name, ("default", "namespace", "container", "volume", "env"), NO_PARAMS,
        placeholders={"default": ("name", "kind", "rule", "problem"), "namespace": _NAMED,
                      "container": _NAMED, "volume": _NAMED, "env": _NAMED}),
    "invalid-label": define(invalid_label, ("key", "value", "expression"), NO_PARAMS,
        placeholders={"key": ("key", "problem", "where"), "value": ("key", "value", "problem", "where"),
                      "expression": ("problem",)}),
    "invalid-annotation": define(invalid_annotation, ("key", "size"), NO_PARAMS,
        placeholders={"key": ("key", "problem"), "size": ("size", "limit")}),
    "invalid-quantity": define(invalid_quantity, ("default", "suggest", "negative", "integer"), NO_PARAMS,
        placeholders={"default": ("resource", "value"), "suggest": ("resource", "value", "suggestion"),
                      "negative": ("resource", "value"), "integer": ("resource", "value")}),
    "requests-exceed-limits": define(requests_exceed_limits, ("default",), NO_PARAMS,
        placeholders=("resource", "request", "limit", "container")),
    "invalid-port": define(invalid_port, ("range", "name", "duplicate-name", "service-name"), NO_PARAMS,
        placeholders={"range": ("field", "value"), "name": ("field", "value", "problem"),
                      "duplicate-name": ("value",), "service-name": ("value", "problem")}),
    "probe-port-undeclared": define(probe_port_undeclared, ("default", "protocol"), NO_PARAMS,
        placeholders={"default": ("port", "container", "where", "declared"),
                      "protocol": ("port", "container", "where", "protocol", "action")}),
    "duplicate-container-port": define(duplicate_container_port, ("default",), NO_PARAMS,
        placeholders=("port", "protocol", "first", "container")),
    "duplicate-service-port": define(duplicate_service_port, ("default", "name", "unnamed"), NO_PARAMS,
        placeholders={"default": ("port", "protocol", "first"), "name": ("name", "first"),
                      "unnamed": ("count",)}),
    "duplicate-container-name": define(duplicate_container_name, ("default",), NO_PARAMS,
        placeholders=("name", "first")),
    "duplicate-volume-name": define(duplicate_volume_name, ("default",), NO_PARAMS,
        placeholders=("name", "first")),
    "undefined-volume-mount": define(undefined_volume_mount, ("default",), NO_PARAMS,
        placeholders=("name", "field", "volumes", "container")),
    "duplicate-mount-path": define(duplicate_mount_path, ("default",), NO_PARAMS,
        placeholders=("path", "first", "container")),
    "duplicate-env-var": define(duplicate_env_var, ("default",), NO_PARAMS,
        placeholders=("name", "first", "container")),
    "invalid-cron-schedule": define(invalid_cron_schedule, ("default", "tz", "time-zone"), NO_PARAMS,
        placeholders={"default": ("schedule", "problem"), "tz": ("schedule",),
                      "time-zone": ("zone", "problem")}),
    "invalid-restart-policy": define(invalid_restart_policy, ("default", "missing", "init", "container"),
                                     NO_PARAMS,
        placeholders={"default": ("kind", "policy", "allowed"), "missing": ("kind",),
                      "init": ("policy", "name"), "container": ("policy", "name", "list")}),
    "invalid-rolling-update": define(invalid_rolling_update, ("default", "percent"), NO_PARAMS,
        placeholders={"default": ("kind",), "percent": ("value",)}),
    "invalid-probe": define(invalid_probe, ("default", "no-handler", "success-threshold"), NO_PARAMS,
        placeholders={"default": ("where", "container", "first", "second"),
                      "no-handler": ("where", "container"),
                      "success-threshold": ("where", "container", "value")}),
    "overcommitted-resource": define(overcommitted_resource, ("default", "no-limit", "hugepages-alone"),
                                     NO_PARAMS,
        placeholders={"default": ("resource", "request", "container", "what", "limit"),
                      "no-limit": ("resource", "request", "container", "what"),
                      "hugepages-alone": ("container",)}),
}
