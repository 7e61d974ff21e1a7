"""The map step's small facts about each object, for the checks that see the whole run.

Workers send these back instead of whole documents: what a cross-object check needs (identity,
labels, selectors, ports, references) and the spans of the fields it points at, resolved while
the document and its positions are at hand. The run index (index.py) is built from them alone,
so memory stays flat however big the tree, and `-j 1` and `-j 2` see the same facts.

Each kind's facts are a typed record of their own (WorkloadFacts, ServiceFacts, …), present only
on the objects of that kind, so the records stay small and pickle cheaply. Every read of a list
or a mapping checks its type: a value of the wrong type (`ports: 80`) is the schema rules'
finding, never an exception here.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from kubelint.kube.groups import group_of
from kubelint.kube.security import LEVELS, pss_violations
from kubelint.kube.workloads import containers, get_path, pod_spec, pod_spec_path
from kubelint.lazypattern import LazyPattern
from kubelint.model import Document, FieldPath, Record, Span

# A LabelSelector as plain data: {"matchLabels": {...}, "matchExpressions": [{key, operator,
# values}]}, or a Service's plain map of labels (kube/selectors.py reads both).
Selector = dict[str, Any]


# The records below are plain classes with slots (model.Record: a dataclass's equality and
# repr), not dataclasses: their import was the heaviest of a one-file run's modules.


class Ref(Record):
    """A pod template's reference to a ConfigMap, Secret or ServiceAccount by name."""

    __slots__ = ("path", "name", "optional")

    def __init__(self, path: FieldPath, name: str, optional: bool = False) -> None:
        self.path = path  # the field that names it, from the object root
        self.name = name
        self.optional = optional


class KeyRef(Record):
    """A reference to one key of a ConfigMap or Secret (each must exist unless optional)."""

    __slots__ = ("path", "name", "key")

    def __init__(self, path: FieldPath, name: str, key: str) -> None:
        self.path = path
        self.name = name
        self.key = key


class ContainerPort(Record):
    __slots__ = ("name", "number", "protocol")

    def __init__(self, name: str | None, number: Any, protocol: Any) -> None:
        self.name = name
        self.number = number  # containerPort as written (the schema rules judge its type)
        self.protocol = protocol


class WorkloadFacts(Record):
    """What an object with a pod template (or a Pod) tells about its pods."""

    __slots__ = ("pod_labels", "pod_spec_path", "sets_replicas", "replicas", "ports", "refs", "key_refs",
                 "service_account", "pss")

    def __init__(self, pod_labels: dict[str, str], pod_spec_path: FieldPath, sets_replicas: bool = False,
                 replicas: int | None = None, ports: tuple[ContainerPort, ...] = (),
                 refs: dict[str, list[Ref]] | None = None, key_refs: dict[str, list[KeyRef]] | None = None,
                 service_account: Ref | None = None,
                 pss: dict[str, list[tuple[str, FieldPath, str]]] | None = None) -> None:
        self.pod_labels = pod_labels
        self.pod_spec_path = pod_spec_path
        self.sets_replicas = sets_replicas  # spec.replicas is written
        self.replicas = replicas  # …and is a number
        self.ports = ports
        # by kind ("ConfigMap", "Secret"): references by name, and references to one key
        self.refs: dict[str, list[Ref]] = {} if refs is None else refs
        self.key_refs: dict[str, list[KeyRef]] = {} if key_refs is None else key_refs
        self.service_account = service_account
        # Pod Security failures per level: (control, path from the object root, reason)
        self.pss = pss


class ServicePort(Record):
    __slots__ = ("index", "name", "port", "target_port", "protocol")

    def __init__(self, index: int, name: str | None, port: Any, target_port: Any, protocol: Any) -> None:
        self.index = index
        self.name = name
        self.port = port
        self.target_port = target_port
        self.protocol = protocol


class ServiceFacts(Record):
    __slots__ = ("type", "cluster_ip", "selector", "ports")

    def __init__(self, type: str, cluster_ip: str | None, selector: dict[str, str] | None,
                 ports: tuple[ServicePort, ...] = ()) -> None:
        self.type = type
        self.cluster_ip = cluster_ip
        self.selector = selector
        self.ports = ports


class Backend(Record):
    """An Ingress backend: networking.k8s.io/v1 `service.name` / `service.port.number|name`
    or the older `serviceName` / `servicePort`."""

    __slots__ = ("path", "service", "port", "port_path")

    def __init__(self, path: FieldPath, service: str, port: int | str | None, port_path: FieldPath) -> None:
        self.path = path  # of the Service's name
        self.service = service
        self.port = port
        self.port_path = port_path


class ScaleTarget(Record):
    """An autoscaler's scaleTargetRef."""

    __slots__ = ("api_version", "kind", "name")

    def __init__(self, api_version: str, kind: str, name: str) -> None:
        self.api_version = api_version
        self.kind = kind
        self.name = name


class CrdFacts(Record):
    """What a CustomResourceDefinition defines, and whether its resources may run pods: the
    evidence that a namespace holding one is run by an operator (checks/run/operators.py)."""

    __slots__ = ("group", "kind", "scope", "runs_pods", "pod_field")

    def __init__(self, group: str, kind: str, scope: str, runs_pods: bool = True, pod_field: str = "") -> None:
        self.group = group
        self.kind = kind
        self.scope = scope
        # The schema describes pods (a field named as a pod spec's or a template's), or says too
        # little to tell (no schema, or a spec that keeps unknown fields): its operator may run pods.
        self.runs_pods = runs_pods
        self.pod_field = pod_field  # the field that says so, for `-v` and the explain text


class ObjectFacts(Record):
    __slots__ = ("file", "document", "base", "api_version", "kind", "name", "namespace", "span", "name_span",
                 "labels", "annotations", "places", "workload", "service", "backends", "scale_target",
                 "selector", "service_name", "peers", "makes", "keys", "defines")

    def __init__(self, file: str, document: int, base: FieldPath, api_version: str, kind: str,
                 name: str | None, namespace: str | None, span: Span, name_span: Span | None = None,
                 labels: dict[str, str] | None = None, annotations: dict[str, str] | None = None,
                 places: dict[FieldPath, Span] | None = None, workload: WorkloadFacts | None = None,
                 service: ServiceFacts | None = None, backends: tuple[Backend, ...] = (),
                 scale_target: ScaleTarget | None = None, selector: Selector | None = None,
                 service_name: str | None = None, peers: tuple[tuple[FieldPath, Selector], ...] = (),
                 makes: tuple[tuple[str, str], ...] = (), keys: tuple[str, ...] | None = None,
                 defines: CrdFacts | None = None) -> None:
        self.file = file
        self.document = document
        self.base = base  # ("items", n) for the items of a List
        self.api_version = api_version
        self.kind = kind
        self.name = name
        self.namespace = namespace  # as written; the index applies the default namespace
        self.span = span  # where the object starts: duplicate-object names it
        self.name_span = name_span
        self.labels: dict[str, str] = {} if labels is None else labels
        self.annotations: dict[str, str] = {} if annotations is None else annotations
        # spans of the fields that run-wide checks may point at, by path from the object root
        self.places: dict[FieldPath, Span] = {} if places is None else places
        # kind-specific records: None (or empty) on objects of other kinds
        self.workload = workload
        self.service = service
        self.backends = backends  # Ingress
        self.scale_target = scale_target  # HorizontalPodAutoscaler
        self.selector = selector  # PodDisruptionBudget, NetworkPolicy
        self.service_name = service_name  # StatefulSet: its governing Service (template or not)
        self.peers = peers  # NetworkPolicy peers in its namespace
        self.makes = makes  # (kind, name) of objects its controller writes
        self.keys = keys  # ConfigMap, Secret: key names, never values
        self.defines = defines  # CustomResourceDefinition

    @property
    def group(self) -> str:
        return group_of(self.api_version)

    def at(self, path: FieldPath) -> Span:
        """The span of `path`, or of the object when it was not recorded."""
        return self.places.get(path) or self.name_span or self.span


def facts_of(doc: Document, pod_security: bool = True) -> ObjectFacts:
    """The facts of one object; `pod_security` False skips its Pod Security failures (no
    Namespace of the run enforces a level)."""
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
    _Extractor(doc, facts, pod_security).run(doc.obj)
    return facts


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _list(value: Any) -> list[Any]:
    """A list field's items, or none when the field holds another type (the schema rules
    report that): facts never raise on what the API server would refuse."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def selector_of(value: Any) -> Selector | None:
    """A LabelSelector as plain data, or None when absent or malformed."""
    if not isinstance(value, dict):
        return None
    labels = _strings(value.get("matchLabels"))
    expressions = []
    for item in _list(value.get("matchExpressions")):
        if isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("operator"), str):
            values = _list(item.get("values"))
            expressions.append({"key": item["key"], "operator": item["operator"],
                                "values": [str(v) for v in values]})
    return {"matchLabels": labels, "matchExpressions": expressions}


# Custom resources whose controller writes a Secret: (their groups, the path of the Secret's
# name). missing-secret counts these Secrets as present.
SECRET_MAKERS: dict[str, tuple[tuple[str, ...], FieldPath]] = {
    "Certificate": (("cert-manager.io", "certmanager.k8s.io"), ("spec", "secretName")),
    "SealedSecret": (("bitnami.com",), ("spec", "template", "metadata", "name")),
    "ExternalSecret": (("external-secrets.io", "kubernetes-client.io"), ("spec", "target", "name")),
}


_SECRET_FLAG = LazyPattern(r"^--?[\w.-]*secret[\w.-]*(?:=(?P<value>.*))?$", re.IGNORECASE)
_NAME = LazyPattern(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


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


def _item_keys(out: list[KeyRef], source: dict[str, Any], path: FieldPath, name: str) -> None:
    """The keys a configMap or secret volume projects by `items` (each must exist, unless the
    volume is optional)."""
    items = source.get("items")
    if source.get("optional") or not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            out.append(KeyRef(path + ("items", index, "key"), name, item["key"]))


# Fields of a custom resource's schema that describe the pods its operator runs: a pod spec or
# template of its own, or what one is made of (images, replicas, scheduling, resources).
POD_FIELDS = frozenset({
    "containers", "initContainers", "podTemplate", "podSpec", "template", "jobTemplate", "image",
    "replicas", "resources", "affinity", "tolerations", "nodeSelector", "serviceAccountName",
    "imagePullSecrets", "volumes", "volumeMounts", "securityContext", "podSecurityContext",
})
_SCHEMA_NODES = 20_000  # a bound on the walk: the largest CRDs of the corpus hold ~15,000 nodes


def _pod_evidence(spec: dict[str, Any]) -> str | None:
    """The first field of a CRD's schemas (any version) named as pods' fields (POD_FIELDS), or
    "(no schema)" / "(unknown fields kept)" when a version's schema cannot tell, or None: its
    resources describe no pods, so its operator runs none (a Backup, a Certificate request)."""
    versions = [v for v in _list(spec.get("versions")) if isinstance(v, dict)]
    schemas = [get_path(v, ("schema", "openAPIV3Schema")) for v in versions]
    if not versions or not any(isinstance(s, dict) for s in schemas):
        schemas = [get_path(spec, ("validation", "openAPIV3Schema"))]  # apiextensions v1beta1
    for schema in schemas:
        if not isinstance(schema, dict):
            return "(no schema)"
        keeps = "x-kubernetes-preserve-unknown-fields"
        body = get_path(schema, ("properties", "spec"))
        if not isinstance(body, dict):
            if schema.get(keeps) is True:
                return "(unknown fields kept)"
            continue  # no spec at all
        found = _named_pod_field(body)
        if found is not None:
            return found
        if body.get(keeps) is True:
            return "(unknown fields kept)"
    return None


def _describes_pods(name: str, schema: Any) -> bool:
    """Whether the property `name` has the type a pod's field of that name has: an image is a
    string, replicas a number, a template or resources an object (a `template` string renders
    text, `resources: [pods]` lists API resources: neither is a pod)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if name in ("image", "serviceAccountName"):
        return kind in (None, "string")
    if name == "replicas":
        return kind in (None, "integer", "number")
    if kind == "array":
        items = schema.get("items")
        return isinstance(items, dict) and items.get("type") in (None, "object")
    return kind in (None, "object")


def _named_pod_field(schema: dict[str, Any]) -> str | None:
    """The first property below `schema` named in POD_FIELDS (breadth first, bounded).

    Each queued node carries its parent's entry and its own step, not its path written out:
    most walks find nothing in a CRD of thousands of nodes, and only a find needs its path."""
    queue: deque[tuple[Any, str, Any]] = deque([(None, "spec", schema)])
    seen = 0
    while queue and seen < _SCHEMA_NODES:
        entry = queue.popleft()
        node = entry[2]
        seen += 1
        if not isinstance(node, dict):
            continue
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, child in properties.items():
                if name in POD_FIELDS and _describes_pods(name, child):
                    return _steps(entry) + "." + name
                queue.append((entry, "." + name, child))
        items = node.get("items")
        if isinstance(items, dict):
            queue.append((entry, "[]", items))
        more = node.get("additionalProperties")
        if isinstance(more, dict):
            queue.append((entry, ".*", more))
    return None


def _steps(entry: tuple[Any, str, Any]) -> str:
    """The path of a queued node of _named_pod_field: its steps from the root, joined."""
    steps = []
    while entry is not None:
        steps.append(entry[1])
        entry = entry[0]
    return "".join(reversed(steps))


class _Extractor:
    """Reads the facts of one object and records the spans of the fields they come from."""

    def __init__(self, doc: Document, facts: ObjectFacts, with_pod_security: bool = True) -> None:
        self.doc = doc
        self.facts = facts
        self.with_pod_security = with_pod_security

    def place(self, path: FieldPath, at: str = "value") -> None:
        self.facts.places[path] = self.doc.locate(path, at)[0]

    def run(self, obj: Any) -> None:
        facts = self.facts
        kind = facts.kind
        found = pod_spec(kind, obj, facts.api_version)
        if found:
            self.workload(obj, *found)
        else:
            # A template without its spec is a schema error, yet its labels still say which
            # pods the workload makes: Services and policies are judged against them.
            path = pod_spec_path(kind, facts.api_version)
            if path is not None and isinstance(get_path(obj, path[:-1]) if path[:-1] else obj, dict):
                self.workload(obj, {}, path, security=False)
        spec = _dict(obj.get("spec") if isinstance(obj, dict) else None)
        if kind == "Service":
            self.service(spec)
        elif kind == "Ingress":
            self.ingress(spec)
        elif kind == "HorizontalPodAutoscaler":
            ref = spec.get("scaleTargetRef")
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                facts.scale_target = ScaleTarget(_str(ref.get("apiVersion")) or "", _str(ref.get("kind")) or "",
                                                 ref["name"])
                self.place(("spec", "scaleTargetRef", "name"))
        elif kind == "PodDisruptionBudget":
            selector = selector_of(spec.get("selector"))
            if selector is not None:
                facts.selector = selector
                self.place(("spec", "selector"), "key")
        elif kind == "NetworkPolicy":
            selector = selector_of(spec.get("podSelector"))
            if selector is not None:
                facts.selector = selector
                self.place(("spec", "podSelector"), "key")
            self.policy_peers(spec)
        elif kind == "StatefulSet" and isinstance(spec.get("serviceName"), str):
            facts.service_name = spec["serviceName"]
            self.place(("spec", "serviceName"))
        elif kind in SECRET_MAKERS and facts.group in SECRET_MAKERS[kind][0]:
            made = get_path(obj, SECRET_MAKERS[kind][1])
            if not isinstance(made, str):
                made = facts.name  # SealedSecret and ExternalSecret default to their own name
            if isinstance(made, str) and made:
                facts.makes = (("Secret", made),)
        elif kind in ("ConfigMap", "Secret") and isinstance(obj, dict):
            self.keys(obj)
        elif kind == "CustomResourceDefinition":
            names = _dict(spec.get("names"))
            if isinstance(spec.get("group"), str) and isinstance(names.get("kind"), str):
                pod_field = _pod_evidence(spec)
                facts.defines = CrdFacts(spec["group"], names["kind"], _str(spec.get("scope")) or "",
                                         pod_field is not None, pod_field or "")

    def policy_peers(self, spec: dict[str, Any]) -> None:
        """The podSelectors of a NetworkPolicy's ingress and egress peers that select pods of the
        policy's own namespace (a peer with a namespaceSelector looks elsewhere)."""
        peers = []
        for key, field_name in (("ingress", "from"), ("egress", "to")):
            for rindex, rule in enumerate(_list(spec.get(key))):
                items = rule.get(field_name) if isinstance(rule, dict) else None
                for pindex, peer in enumerate(_list(items)):
                    if not isinstance(peer, dict) or "namespaceSelector" in peer:
                        continue
                    selector = selector_of(peer.get("podSelector"))
                    if selector is not None:
                        path = ("spec", key, rindex, field_name, pindex, "podSelector")
                        peers.append((path, selector))
                        self.place(path, "key")
        self.facts.peers = tuple(peers)

    def keys(self, obj: dict[str, Any]) -> None:
        """The key names of a ConfigMap or Secret (never the values), for references by key;
        None where something else fills the keys in (an empty object, a token Secret)."""
        fields = ("data", "binaryData") if self.facts.kind == "ConfigMap" else ("data", "stringData")
        keys = sorted({str(k) for name in fields if isinstance(obj.get(name), dict) for k in obj[name]})
        if keys and obj.get("type") != "kubernetes.io/service-account-token":
            self.facts.keys = tuple(keys)

    def workload(self, obj: Any, spec: dict[str, Any], spec_path: FieldPath, security: bool = True) -> None:
        facts = self.facts
        template_meta = spec_path[:-1] + ("metadata",)
        if facts.kind == "Pod":
            workload = WorkloadFacts(dict(facts.labels), spec_path)
        else:
            workload = WorkloadFacts(_strings(get_path(obj, template_meta + ("labels",))), spec_path)
            spec_obj = obj.get("spec") if isinstance(obj, dict) else None
            if isinstance(spec_obj, dict) and "replicas" in spec_obj:
                replicas = spec_obj["replicas"]
                workload.sets_replicas = True
                workload.replicas = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None
                self.place(("spec", "replicas"))
        facts.workload = workload
        ports = []
        refs: dict[str, list[Ref]] = {"ConfigMap": [], "Secret": []}
        key_refs: dict[str, list[KeyRef]] = {"ConfigMap": [], "Secret": []}
        made: list[tuple[str, str]] = []
        for container, path in containers(spec, spec_path):
            if facts.kind in ("Job", "CronJob"):
                made += [("Secret", name) for name in _secret_flags(container)]
            for port in _list(container.get("ports")):
                if isinstance(port, dict):
                    ports.append(ContainerPort(_str(port.get("name")), port.get("containerPort"),
                                               port.get("protocol") or "TCP"))
            for index, source in enumerate(_list(container.get("envFrom"))):
                if not isinstance(source, dict):
                    continue
                for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    ref = source.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append(Ref(path + ("envFrom", index, key, "name"), ref["name"],
                                              bool(ref.get("optional"))))
            for index, env in enumerate(_list(container.get("env"))):
                source = env.get("valueFrom") if isinstance(env, dict) else None
                if not isinstance(source, dict):
                    continue
                for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    ref = source.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append(Ref(path + ("env", index, "valueFrom", key, "name"), ref["name"],
                                              bool(ref.get("optional"))))
                        if isinstance(ref.get("key"), str) and not ref.get("optional"):
                            key_refs[kind].append(KeyRef(path + ("env", index, "valueFrom", key, "key"),
                                                         ref["name"], ref["key"]))
        for index, volume in enumerate(_list(spec.get("volumes"))):
            if not isinstance(volume, dict):
                continue
            vpath = spec_path + ("volumes", index)
            cm = volume.get("configMap")
            if isinstance(cm, dict) and isinstance(cm.get("name"), str):
                refs["ConfigMap"].append(Ref(vpath + ("configMap", "name"), cm["name"], bool(cm.get("optional"))))
                _item_keys(key_refs["ConfigMap"], cm, vpath + ("configMap",), cm["name"])
            secret = volume.get("secret")
            if isinstance(secret, dict) and isinstance(secret.get("secretName"), str):
                refs["Secret"].append(Ref(vpath + ("secret", "secretName"), secret["secretName"],
                                          bool(secret.get("optional"))))
                _item_keys(key_refs["Secret"], secret, vpath + ("secret",), secret["secretName"])
            projected = volume.get("projected")
            sources = projected.get("sources") if isinstance(projected, dict) else None
            for sindex, item in enumerate(_list(sources)):
                if not isinstance(item, dict):
                    continue
                for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                    ref = item.get(key)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        refs[kind].append(Ref(vpath + ("projected", "sources", sindex, key, "name"), ref["name"],
                                              bool(ref.get("optional"))))
        for index, secret in enumerate(_list(spec.get("imagePullSecrets"))):
            if isinstance(secret, dict) and isinstance(secret.get("name"), str):
                refs["Secret"].append(Ref(spec_path + ("imagePullSecrets", index, "name"), secret["name"]))
        workload.ports = tuple(ports)
        if made:
            facts.makes = tuple(made)
        workload.refs = {kind: items for kind, items in refs.items() if items}
        for items in refs.values():
            for ref in items:
                self.place(ref.path)
        workload.key_refs = {kind: items for kind, items in key_refs.items() if items}
        for key_items in key_refs.values():
            for key_ref in key_items:
                self.place(key_ref.path)
        if security and self.with_pod_security:
            self.pod_security(spec, spec_path, obj)
        account = spec.get("serviceAccountName")
        if not isinstance(account, str):
            account = spec.get("serviceAccount")  # the deprecated spelling still works
            key = "serviceAccount"
        else:
            key = "serviceAccountName"
        if isinstance(account, str) and account:
            workload.service_account = Ref(spec_path + (key,), account)
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
        if found and self.facts.workload is not None:
            self.facts.workload.pss = found

    def service(self, spec: dict[str, Any]) -> None:
        selector = spec.get("selector")
        service = ServiceFacts(_str(spec.get("type")) or "ClusterIP", _str(spec.get("clusterIP")),
                               _strings(selector) if isinstance(selector, dict) else None)
        if isinstance(selector, dict):
            self.place(("spec", "selector"), "key")
        ports = []
        for index, port in enumerate(_list(spec.get("ports"))):
            if not isinstance(port, dict):
                continue
            target = port.get("targetPort")
            ports.append(ServicePort(index, _str(port.get("name")), port.get("port"), target,
                                     port.get("protocol") or "TCP"))
            if target is not None:
                self.place(("spec", "ports", index, "targetPort"))
        service.ports = tuple(ports)
        self.facts.service = service

    def ingress(self, spec: dict[str, Any]) -> None:
        """Every backend: networking.k8s.io/v1 (`service.name`, `service.port.number|name`)
        and the older `serviceName`/`servicePort`."""
        backends = []

        def backend(value: Any, path: FieldPath) -> None:
            if not isinstance(value, dict):
                return
            service = value.get("service")
            if isinstance(service, dict) and isinstance(service.get("name"), str):
                port = _dict(service.get("port"))
                number = port.get("number")
                name = port.get("name")
                backends.append(Backend(path + ("service", "name"), service["name"],
                                        number if isinstance(number, int) else name if isinstance(name, str) else None,
                                        path + ("service", "port")))
                self.place(path + ("service", "name"))
                self.place(path + ("service", "port"))
            elif isinstance(value.get("serviceName"), str):
                port = value.get("servicePort")
                backends.append(Backend(path + ("serviceName",), value["serviceName"],
                                        port if isinstance(port, (int, str)) else None, path + ("servicePort",)))
                self.place(path + ("serviceName",))
                self.place(path + ("servicePort",))

        for key in ("defaultBackend", "backend"):
            backend(spec.get(key), ("spec", key))
        for rindex, rule in enumerate(_list(spec.get("rules"))):
            http = rule.get("http") if isinstance(rule, dict) else None
            paths = http.get("paths") if isinstance(http, dict) else None
            for pindex, item in enumerate(_list(paths)):
                if isinstance(item, dict):
                    backend(item.get("backend"), ("spec", "rules", rindex, "http", "paths", pindex, "backend"))
        self.facts.backends = tuple(backends)
