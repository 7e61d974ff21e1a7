"""removed-api and deprecated-api: the replacement apiVersion, with the field migrations the
new version needs where they are mechanical. Offered only when the rewritten object validates
against the target version's schema; otherwise the finding says why there is no fix."""

from __future__ import annotations

import re
from typing import Any

from kubelint.fix.context import FixContext, Problem
from kubelint.fix.model import Fix, NoFix, Unfixable
from kubelint.fix.text import RawEdit, Tree, Verbatim, render_flow
from kubelint.kube.lifecycle import lifecycle, successor
from kubelint.kube.workloads import get_path

_TEMPLATE = ("spec", "template")
_JOB_TEMPLATE = ("spec", "jobTemplate", "spec", "template")
_OLD_INGRESS = ("extensions/v1beta1", "networking.k8s.io/v1beta1")
_OLD_WORKLOADS = ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
_WORKLOADS = ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")
# Old versions whose default update strategy was OnDelete: apps/v1 rolls pods on every change.
_ON_DELETE_DEFAULT = {("extensions/v1beta1", "DaemonSet"), ("apps/v1beta1", "StatefulSet")}


def migrate_api(ctx: FixContext) -> Fix | NoFix | None:
    doc = ctx.tree.doc
    api_version, kind = doc.api_version, doc.kind
    if not api_version or not kind or ctx.path != ("apiVersion",):
        return None
    entry = lifecycle(api_version, kind)
    if entry is None:
        return None
    replacement, new_kind = successor(entry, ctx.kubernetes_version)
    if not replacement:
        return None
    if new_kind != kind:
        return NoFix(f"{replacement} {new_kind} is another kind, so the object must be rewritten by hand")
    tree, obj = ctx.tree, doc.obj
    edits: list[RawEdit] = [tree.replace_scalar(("apiVersion",), replacement)]
    safe, notes = True, []
    try:
        if kind == "Ingress" and api_version in _OLD_INGRESS:
            ingress = _ingress(tree, obj)
            edits += ingress
            if len(ingress) > 0:
                notes.append("backends as service.name/service.port, pathType where it is missing")
        elif kind in _WORKLOADS and api_version in _OLD_WORKLOADS:
            selector = _workload_selector(tree, obj)
            if isinstance(selector, NoFix):
                return selector
            if selector is not None:
                edits.append(selector)
                notes.append("spec.selector from the template's labels")
            if (api_version, kind) in _ON_DELETE_DEFAULT and get_path(obj, ("spec", "updateStrategy")) is None:
                # apps/v1 rolls the pods on every change; the old version waited for their deletion
                before = "template" if "template" in obj["spec"] else None
                edits.append(tree.insert_entry(("spec",), "updateStrategy", {"type": "OnDelete"}, before=before))
                notes.append("updateStrategy OnDelete, the old version's default, made explicit")
        elif kind == "PodDisruptionBudget" and get_path(obj, ("spec", "selector")) == {}:
            safe = False
            notes.append("an empty selector selects every pod in policy/v1 and none before")
    except Unfixable as exc:
        return NoFix(f"the manifest's layout is one the fix does not rewrite ({exc})")
    problems = [p for p in ctx.validate(edits) if _blocks(p, edits, ctx)]
    if problems:
        return NoFix(f"with {replacement} the object would not validate ({problems[0].detail}); "
                     "migrate it by hand")
    more = f" ({'; '.join(notes)})" if notes else ""
    return ctx.fix(f"apiVersion {api_version} → {replacement}{more}", edits, safe)


def _blocks(problem: Problem, edits: list[RawEdit], ctx: FixContext) -> bool:
    """Whether a schema problem of the rewritten object speaks against the migration.

    A field the new version does not know or requires, or a problem inside what the migration
    wrote, does; but not one inside the pod template, which is core/v1 in every version. A wrong value in a field the migration left alone (`replicas: "3"`) is wrong in
    every version: the old one hid it only because it is no longer validated; it is reported
    (and perhaps fixed) once the object is on the new version.
    """
    template = problem.path[:len(_TEMPLATE)] == _TEMPLATE or problem.path[:len(_JOB_TEMPLATE)] == _JOB_TEMPLATE
    if not template and (problem.rule != "schema-invalid" or problem.category in ("required", "unknown")):
        return True
    tree = ctx.tree
    try:
        start, end = tree.value_range(problem.path) if problem.path else (0, len(tree.text))
    except Unfixable:
        return True  # a path that only the rewrite has
    return any(s < end and start < e or s == e and start <= s <= end for s, e, _ in edits[1:])


# ------------------------------------------------------------------------------------ Ingress


def _ingress(tree: Tree, obj: Any) -> list[RawEdit]:
    edits: list[RawEdit] = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return edits
    if isinstance(spec.get("backend"), dict):
        if "defaultBackend" in spec:
            raise Unfixable("both spec.backend and spec.defaultBackend")
        edits.append(tree.rename_key(("spec", "backend"), "defaultBackend"))
        edits += _backend(tree, ("spec", "backend"), spec["backend"])
    for r, rule in enumerate(spec.get("rules") or []):
        paths = get_path(rule, ("http", "paths")) if isinstance(rule, dict) else None
        for p, item in enumerate(paths if isinstance(paths, list) else []):
            if not isinstance(item, dict):
                continue
            at = ("spec", "rules", r, "http", "paths", p)
            if isinstance(item.get("backend"), dict):
                edits += _backend(tree, at + ("backend",), item["backend"])
            if "pathType" not in item:
                after = "path" if "path" in item else None
                edits.append(tree.insert_entry(at, "pathType", "ImplementationSpecific", after=after))
    return edits


def _backend(tree: Tree, at: tuple[Any, ...], backend: dict[str, Any]) -> list[RawEdit]:
    """serviceName/servicePort → service: {name, port: {number | name}}."""
    if "serviceName" not in backend:
        return []
    if "service" in backend:
        raise Unfixable("a backend with both serviceName and service")
    service: dict[str, Any] = {"name": _copied(tree, at + ("serviceName",))}
    port = backend.get("servicePort")
    if port is not None:
        if isinstance(port, int) and not isinstance(port, bool):
            service["port"] = {"number": _copied(tree, at + ("servicePort",))}
        elif isinstance(port, str) and port.isdigit():
            service["port"] = {"number": int(port)}
        elif isinstance(port, str):
            service["port"] = {"name": _copied(tree, at + ("servicePort",))}
        else:
            raise Unfixable("a servicePort that is neither a number nor a name")
    first = "serviceName" if list(backend).index("serviceName") < list(backend).index("servicePort") \
        or "servicePort" not in backend else "servicePort"
    if tree.is_flow(at):
        # A flow backend is written anew: its other entries as written, then the service.
        start, end = tree.content_start(at), tree.value_range(at)[1]
        if "#" in tree.text[start:end]:
            raise Unfixable("a comment inside a flow mapping")
        rest = {k: _copied(tree, at + (k,)) for k in backend if k not in ("serviceName", "servicePort")}
        return [(start, end, render_flow({**rest, "service": service}))]
    edits = [tree.insert_entry(at, "service", service, before=first)]
    edits.append(tree.delete_entry(at + ("serviceName",)))
    if "servicePort" in backend:
        edits.append(tree.delete_entry(at + ("servicePort",)))
    return edits


def _copied(tree: Tree, path: tuple[Any, ...]) -> Verbatim:
    text = tree.source_of(path)
    if "\n" in text or "\r" in text or tree.is_collection(path):
        raise Unfixable("a value over several lines")
    return Verbatim(text)


# ---------------------------------------------------------------------------------- workloads


def _workload_selector(tree: Tree, obj: Any) -> RawEdit | NoFix | None:
    """spec.selector.matchLabels from the template's labels: what the old versions defaulted."""
    spec = obj.get("spec")
    if not isinstance(spec, dict) or spec.get("selector") is not None:
        return None
    return selector_edit(tree, obj)


def selector_edit(tree: Tree, obj: Any) -> RawEdit | NoFix:
    labels = get_path(obj, ("spec", "template", "metadata", "labels"))
    if not isinstance(labels, dict) or not labels or not all(isinstance(v, str) for v in labels.values()):
        return NoFix("the pod template has no labels to select; add spec.selector.matchLabels and "
                     "the same labels to spec.template.metadata.labels")
    at = ("spec", "template", "metadata", "labels")
    written = tree.text[tree.content_start(at):tree.value_range(at)[1]]
    spec = obj["spec"]
    before = "template" if "template" in spec else None
    if written.startswith("*") and not tree.is_collection(at):
        # the same anchor, so the two stay in step, when it is defined above the selector
        above = tree.key_range(("spec", before))[0] if before else tree.value_range(at)[0]
        defined = re.search("&" + re.escape(written[1:]) + r"(?=\s)", tree.text[:above])
        match: Any = {"matchLabels": Verbatim(written) if defined else dict(labels)}
    elif tree.is_flow(at):
        match = {"matchLabels": Verbatim(tree.source_of(at))}
        if "\n" in match["matchLabels"].text or "#" in match["matchLabels"].text:
            raise Unfixable("template labels over several lines")
    else:
        match = {"matchLabels": {k: _copied(tree, at + (k,)) for k in labels}}
    return tree.insert_entry(("spec",), "selector", match, before=before)
