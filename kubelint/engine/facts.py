"""The map step's small facts about each object, for the rules that see the whole run.

Workers send these back instead of whole documents: what a cross-object rule needs (identity,
labels, selectors, ports, references) and the spans of the fields it points at, resolved
while the document and its positions are at hand. The reduce step (engine/reduce.py) builds
its index from them alone, so memory stays flat however big the tree, and `-j 1` and `-j 2`
see the same facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kubelint.kube.groups import group_of
from kubelint.kube.security import LEVELS, pss_violations
from kubelint.kube.workloads import containers, get_path, pod_spec, pod_spec_path
from kubelint.model import Document, FieldPath, Span

# A reference to another object: the field that names it, the name, and the field's span.
Ref = tuple[FieldPath, str, Span]


@dataclass(slots=True)
class ObjectFacts:
    file: str
    document: int
    base: FieldPath  # ("items", n) for the items of a List
    api_version: str
    kind: str
    name: str | None
    namespace: str | None  # as written; the reduce step applies the default namespace
    span: Span  # where the object starts: duplicate-object names it
    name_span: Span | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    # kind-specific facts, by name (see `_facts`); each a plain, picklable value
    data: dict[str, Any] = field(default_factory=dict)
    # spans of the fields that run-wide rules may point at, by path from the object root
    places: dict[FieldPath, Span] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return group_of(self.api_version)

    def at(self, path: FieldPath) -> Span:
        """The span of `path`, or of the object when it was not recorded."""
        return self.places.get(path) or self.name_span or self.span


def facts_of(doc: Document, pod_security: bool = True) -> ObjectFacts:
    """The facts of one object; `pod_security` False skips its Pod Security failures (no
    Namespace of the run enforces a level)."""
    obj = doc.obj
    meta = doc.metadata
    facts = ObjectFacts(
        file=doc.file, document=doc.index, base=doc.base,
        api_version=doc.api_version or "", kind=doc.kind or "",
        name=doc.name, namespace=doc.namespace,
        span=doc.span,
        labels=_strings(meta.get("labels")),
        annotations=_strings(meta.get("annotations")),
    )
    if facts.name is not None:
        facts.name_span = doc.locate(("metadata", "name"))[0]
    _Extractor(doc, facts, pod_security).run(obj)
    return facts


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _list(value: Any) -> list[Any]:
    """A list field's items, or none when the field holds another type (the schema rules
    report that): facts never raise on what the API server would refuse."""
    return value if isinstance(value, list) else []


def _selector(value: Any) -> dict[str, Any] | None:
    """A LabelSelector as plain data, or None when absent or malformed."""
    if not isinstance(value, dict):
        return None
    labels = _strings(value.get("matchLabels"))
    expressions = []
    for item in _list(value.get("matchExpressions")):
        if isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("operator"), str):
            values = item.get("values") if isinstance(item.get("values"), list) else []
            expressions.append({"key": item["key"], "operator": item["operator"],
                                "values": [str(v) for v in values]})
    return {"matchLabels": labels, "matchExpressions": expressions}


# Custom resources whose controller writes a Secret: (their groups, the path of the Secret's
# name). missing-secret counts these Secrets as present.
_SECRET_MAKERS: dict[str, tuple[tuple[str, ...], FieldPath]] = {
    "Certificate": (("cert-manager.io", "certmanager.k8s.io"), ("spec", "secretName")),
    "SealedSecret": (("bitnami.com",), ("spec", "template", "metadata", "name")),
    "ExternalSecret": (("external-secrets.io", "kubernetes-client.io"), ("spec", "target", "name")),
}


_SECRET_FLAG = re.compile(r"^--?[\w.-]*secret[\w.-]*(?:=(?P<value>.*))?$", re.IGNORECASE)
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _secret_flags(container: dict[str, Any]) -> list[str]:
    """The Secrets a Job's container names in a flag such as `--secret-name=x`: certificate
    generators (kube-webhook-certgen of ingress-nginx and many charts) create them at install."""
    tokens = [t for key in ("command", "args") for t in _list(container.get(key)) if isinstance(t, str)] \
        if all(isinstance(container.get(k) or [], list) for k in ("command", "args")) else []
    names = []
    for index, token in enumerate(tokens):
        found = _SECRET_FLAG.match(token)
        if not found:
            continue
        value = found["value"] if found["value"] is not None else (tokens[index + 1] if index + 1 < len(tokens) else "")
        if _NAME.match(value or ""):
            names.append(value)
    return names


def _item_keys(out: list[tuple[FieldPath, str, str]], source: dict[str, Any], path: FieldPath, name: str) -> None:
    """The keys a configMap or secret volume projects by `items` (each must exist, unless the
    volume is optional)."""
    items = source.get("items")
    if source.get("optional") or not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            out.append((path + ("items", index, "key"), name, item["key"]))


class _Extractor:
    """Reads the facts of one object and records the spans of the fields they come from."""

    def __init__(self, doc: Document, facts: ObjectFacts, with_pod_security: bool = True) -> None:
        self.doc = doc
        self.facts = facts
        self.with_pod_security = with_pod_security

    def place(self, path: FieldPath, at: str = "value") -> None:
        self.facts.places[path] = self.doc.locate(path, at)[0]

    def run(self, obj: Any) -> None:
        kind = self.facts.kind
        data = self.facts.data
        found = pod_spec(kind, obj, self.facts.api_version)
        if found:
            self.workload(obj, *found)
        else:
            # A template without its spec is a schema error, yet its labels still say which
            # pods the workload makes: Services and policies are judged against them.
            path = pod_spec_path(kind, self.facts.api_version)
            if path is not None and isinstance(get_path(obj, path[:-1]) if path[:-1] else obj, dict):
                self.workload(obj, {}, path, security=False)
        spec = obj.get("spec") if isinstance(obj, dict) else None
        if not isinstance(spec, dict):
            spec = {}
        if kind == "Service":
            self.service(spec)
        elif kind == "Ingress":
            self.ingress(spec)
        elif kind == "HorizontalPodAutoscaler":
            ref = spec.get("scaleTargetRef")
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                data["target"] = {"apiVersion": ref.get("apiVersion") if isinstance(ref.get("apiVersion"), str) else "",
                                  "kind": ref.get("kind") if isinstance(ref.get("kind"), str) else "",
                                  "name": ref["name"]}
                self.place(("spec", "scaleTargetRef", "name"))
        elif kind == "PodDisruptionBudget":
            selector = _selector(spec.get("selector"))
            if selector is not None:
                data["selector"] = selector
                self.place(("spec", "selector"), "key")
        elif kind == "NetworkPolicy":
            selector = _selector(spec.get("podSelector"))
            if selector is not None:
                data["selector"] = selector
                self.place(("spec", "podSelector"), "key")
            self.policy_peers(spec)
        elif kind == "StatefulSet" and isinstance(spec.get("serviceName"), str):
            data["serviceName"] = spec["serviceName"]
            self.place(("spec", "serviceName"))
        elif kind in _SECRET_MAKERS and self.facts.group in _SECRET_MAKERS[kind][0]:
            made = get_path(obj, _SECRET_MAKERS[kind][1])
            if not isinstance(made, str):
                made = self.facts.name  # SealedSecret and ExternalSecret default to their own name
            if isinstance(made, str) and made:
                data["makes"] = [("Secret", made)]
        elif kind in ("ConfigMap", "Secret") and isinstance(obj, dict):
            self.keys(obj)
        elif kind == "CustomResourceDefinition":
            names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
            if isinstance(spec.get("group"), str) and isinstance(names.get("kind"), str):
                data["defines"] = {"group": spec["group"], "kind": names["kind"],
                                   "scope": spec.get("scope") if isinstance(spec.get("scope"), str) else ""}

    def policy_peers(self, spec: dict[str, Any]) -> None:
        """The podSelectors of a NetworkPolicy's ingress and egress peers that select pods of the
        policy's own namespace (a peer with a namespaceSelector looks elsewhere)."""
        peers = []
        for key, field_name in (("ingress", "from"), ("egress", "to")):
            rules = spec.get(key)
            for rindex, rule in enumerate(rules if isinstance(rules, list) else []):
                items = rule.get(field_name) if isinstance(rule, dict) else None
                for pindex, peer in enumerate(items if isinstance(items, list) else []):
                    if not isinstance(peer, dict) or "namespaceSelector" in peer:
                        continue
                    selector = _selector(peer.get("podSelector"))
                    if selector is not None:
                        path = ("spec", key, rindex, field_name, pindex, "podSelector")
                        peers.append((path, selector))
                        self.place(path, "key")
        if peers:
            self.facts.data["peers"] = peers

    def keys(self, obj: dict[str, Any]) -> None:
        """The key names of a ConfigMap or Secret (never the values), for references by key;
        None where something else fills the keys in (an empty object, a token Secret)."""
        fields = ("data", "binaryData") if self.facts.kind == "ConfigMap" else ("data", "stringData")
        keys = sorted({str(k) for name in fields if isinstance(obj.get(name), dict) for k in obj[name]})
        if keys and obj.get("type") != "kubernetes.io/service-account-token":
            self.facts.data["keys"] = keys

    def workload(self, obj: Any, spec: dict[str, Any], spec_path: FieldPath, security: bool = True) -> None:
        data = self.facts.data
        template_meta = spec_path[:-1] + ("metadata",)
        if self.facts.kind == "Pod":
            data["podLabels"] = dict(self.facts.labels)
        else:
            data["podLabels"] = _strings(get_path(obj, template_meta + ("labels",)))
            spec_obj = obj.get("spec") if isinstance(obj, dict) else None
            if isinstance(spec_obj, dict) and "replicas" in spec_obj:
                data["replicas"] = spec_obj["replicas"] if isinstance(spec_obj["replicas"], int) else None
                self.place(("spec", "replicas"))
        data["podSpecPath"] = spec_path
        ports = []
        refs: dict[str, list[tuple[FieldPath, str, bool]]] = {"ConfigMap": [], "Secret": []}
        # (path of the key, the object's name, the key): references to one key of the object
        key_refs: dict[str, list[tuple[FieldPath, str, str]]] = {"ConfigMap": [], "Secret": []}
        made: list[tuple[str, str]] = []
        for container, path in containers(spec, spec_path):
            if self.facts.kind in ("Job", "CronJob"):
                made += [("Secret", name) for name in _secret_flags(container)]
            for port in _list(container.get("ports")):
                if isinstance(port, dict):
                    ports.append({"name": port.get("name") if isinstance(port.get("name"), str) else None,
                                  "containerPort": port.get("containerPort"),
                                  "protocol": port.get("protocol") or "TCP",
                                  "container": container.get("name")})
            for index, source in enumerate(_list(container.get("envFrom"))):
                if not isinstance(source, dict):
                    continue
                for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    ref = source.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append((path + ("envFrom", index, key, "name"), ref["name"],
                                           bool(ref.get("optional"))))
            for index, env in enumerate(_list(container.get("env"))):
                source = env.get("valueFrom") if isinstance(env, dict) else None
                if not isinstance(source, dict):
                    continue
                for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    ref = source.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append((path + ("env", index, "valueFrom", key, "name"), ref["name"],
                                           bool(ref.get("optional"))))
                        if isinstance(ref.get("key"), str) and not ref.get("optional"):
                            key_refs[kind].append((path + ("env", index, "valueFrom", key, "key"),
                                                   ref["name"], ref["key"]))
        for index, volume in enumerate(_list(spec.get("volumes"))):
            if not isinstance(volume, dict):
                continue
            vpath = spec_path + ("volumes", index)
            cm = volume.get("configMap")
            if isinstance(cm, dict) and isinstance(cm.get("name"), str):
                refs["ConfigMap"].append((vpath + ("configMap", "name"), cm["name"], bool(cm.get("optional"))))
                _item_keys(key_refs["ConfigMap"], cm, vpath + ("configMap",), cm["name"])
            secret = volume.get("secret")
            if isinstance(secret, dict) and isinstance(secret.get("secretName"), str):
                refs["Secret"].append((vpath + ("secret", "secretName"), secret["secretName"],
                                       bool(secret.get("optional"))))
                _item_keys(key_refs["Secret"], secret, vpath + ("secret",), secret["secretName"])
            projected = volume.get("projected")
            sources = projected.get("sources") if isinstance(projected, dict) else None
            for sindex, item in enumerate(sources if isinstance(sources, list) else []):
                if not isinstance(item, dict):
                    continue
                for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                    ref = item.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append((vpath + ("projected", "sources", sindex, key, "name"), ref["name"],
                                           bool(ref.get("optional"))))
        for index, secret in enumerate(_list(spec.get("imagePullSecrets"))):
            if isinstance(secret, dict) and isinstance(secret.get("name"), str):
                refs["Secret"].append((spec_path + ("imagePullSecrets", index, "name"), secret["name"], False))
        data["ports"] = ports
        if made:
            data["makes"] = made
        data["refs"] = {kind: [(p, n, o) for p, n, o in items] for kind, items in refs.items() if items}
        for items in refs.values():
            for path, _, _ in items:
                self.place(path)
        if any(key_refs.values()):
            data["keyRefs"] = {kind: items for kind, items in key_refs.items() if items}
            for items in key_refs.values():
                for path, _, _ in items:
                    self.place(path)
        if security and self.with_pod_security:
            self.pod_security(spec, spec_path, obj)
        account = spec.get("serviceAccountName")
        if not isinstance(account, str):
            account = spec.get("serviceAccount")  # the deprecated spelling still works
            key = "serviceAccount"
        else:
            key = "serviceAccountName"
        if isinstance(account, str) and account:
            data["serviceAccount"] = (spec_path + (key,), account)
            self.place(spec_path + (key,))

    def pod_security(self, spec: dict[str, Any], spec_path: FieldPath, obj: Any) -> None:
        """The Pod Security Standards controls the pod template fails, per level, with the
        spans of the failing fields: pod-security-violation decides in the reduce step
        whether a Namespace of the run enforces a level. Paths are from the object root."""
        template = spec_path[:-1]
        if self.facts.kind == "Pod":
            annotations = dict(self.facts.annotations)
        else:
            annotations = _strings(get_path(obj, template + ("metadata", "annotations")))
        found: dict[str, list[tuple[str, FieldPath, str]]] = {}
        for level in LEVELS:
            items = []
            try:
                violations = pss_violations(spec, level, annotations=annotations)
            except (TypeError, ValueError, AttributeError):
                return  # odd types (a mapping where a name belongs): the schema rules report those
            for control, where, reason in violations:
                if where[:1] == ("..",):
                    path = template + tuple(where[1:])
                    self.place(path, "key")
                else:
                    path = spec_path + tuple(where)
                    self.place(path)
                items.append((control, path, reason))
            if items:
                found[level] = items
        if found:
            self.facts.data["pss"] = found

    def service(self, spec: dict[str, Any]) -> None:
        data = self.facts.data
        data["type"] = spec.get("type") if isinstance(spec.get("type"), str) else "ClusterIP"
        data["clusterIP"] = spec.get("clusterIP") if isinstance(spec.get("clusterIP"), str) else None
        selector = spec.get("selector")
        if isinstance(selector, dict):
            data["selector"] = _strings(selector)
            self.place(("spec", "selector"), "key")
        ports = []
        for index, port in enumerate(_list(spec.get("ports"))):
            if not isinstance(port, dict):
                continue
            target = port.get("targetPort")
            ports.append({"index": index, "name": port.get("name") if isinstance(port.get("name"), str) else None,
                          "port": port.get("port"), "targetPort": target,
                          "protocol": port.get("protocol") or "TCP"})
            if target is not None:
                self.place(("spec", "ports", index, "targetPort"))
        data["ports"] = ports

    def ingress(self, spec: dict[str, Any]) -> None:
        """Every backend: networking.k8s.io/v1 (`service.name`, `service.port.number|name`)
        and the older `serviceName`/`servicePort`."""
        backends = []

        def backend(value: Any, path: FieldPath) -> None:
            if not isinstance(value, dict):
                return
            service = value.get("service")
            if isinstance(service, dict) and isinstance(service.get("name"), str):
                port = service.get("port") if isinstance(service.get("port"), dict) else {}
                number = port.get("number")
                name = port.get("name")
                backends.append({"path": path + ("service", "name"), "service": service["name"],
                                 "port": number if isinstance(number, int) else name if isinstance(name, str) else None,
                                 "portPath": path + ("service", "port")})
                self.place(path + ("service", "name"))
                self.place(path + ("service", "port"))
            elif isinstance(value.get("serviceName"), str):
                port = value.get("servicePort")
                backends.append({"path": path + ("serviceName",), "service": value["serviceName"],
                                 "port": port if isinstance(port, (int, str)) else None,
                                 "portPath": path + ("servicePort",)})
                self.place(path + ("serviceName",))
                self.place(path + ("servicePort",))

        for key in ("defaultBackend", "backend"):
            backend(spec.get(key), ("spec", key))
        for rindex, rule in enumerate(_list(spec.get("rules"))):
            http = rule.get("http") if isinstance(rule, dict) else None
            paths = http.get("paths") if isinstance(http, dict) else None
            for pindex, item in enumerate(paths if isinstance(paths, list) else []):
                if isinstance(item, dict):
                    backend(item.get("backend"), ("spec", "rules", rindex, "http", "paths", pindex, "backend"))
        self.facts.data["backends"] = backends
