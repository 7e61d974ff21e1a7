"""Checks of the security rules (see rules/security/).

Simple field tests (privileged, hostNetwork, procMount, …) are `schema:` rules; what is here
needs logic: the pod-level securityContext that containers inherit, Windows pods, capability
names, host path matching, secret-looking names, RBAC rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kubelint.checks.base import NO_PARAMS, CheckContext, CheckDef, Hit, define
from kubelint.checks.run.file_index import file_index
from kubelint.kube.security import (
    capability,
    containers_of,
    effective_field,
    normal_host_path,
    root_status,
    runs_on_windows,
    safe_sysctls,
    security_context,
    sysctl_name,
)
from kubelint.lazypattern import LazyPattern
from kubelint.model import FieldPath

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_KIND = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}


def _who(container: Any, path: FieldPath) -> dict[str, str]:
    """How a message names the container: "init container `setup`"."""
    name = container.get("name") if isinstance(container, dict) else None
    shown = name if isinstance(name, str) else f"#{path[-1]}"
    kind = _KIND.get(str(path[-2]), "container") if len(path) >= 2 else "container"
    return {"who": f"{kind} `{shown}`", "container": shown}


def _name_path(container: Any, path: FieldPath) -> FieldPath:
    """Where a missing field is reported: the container's `name:` value (or the container)."""
    return path + ("name",) if isinstance(container, dict) and "name" in container else path


def _pod(ctx: CheckContext) -> dict[str, Any]:
    return ctx.pod_spec if isinstance(ctx.pod_spec, dict) else {}


def _first_to_inherit(ctx: CheckContext, path: FieldPath, key: str) -> bool:
    """Whether this container is the first that takes `key` from the pod's securityContext:
    a pod-level value is reported once, not once per container."""
    for container, where in containers_of(_pod(ctx)):
        if security_context(container).get(key) is None:
            return ctx.pod_spec_path + where == path
    return False


def _added(container: Any) -> list[tuple[int, Any]]:
    caps = security_context(container).get("capabilities")
    add = caps.get("add") if isinstance(caps, dict) else None
    return list(enumerate(add)) if isinstance(add, list) else []


# ------------------------------------------------------------------------------ containers


def privilege_escalation(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    """allowPrivilegeEscalation defaults to true; privileged and CAP_SYS_ADMIN force it on."""
    pod = _pod(ctx)
    if runs_on_windows(pod) or not isinstance(container, dict):
        return
    context = security_context(container)
    values = _who(container, path)
    value = context.get("allowPrivilegeEscalation")
    # Point at allowPrivilegeEscalation when it is written, else at the container's name: never
    # at `privileged: true` or the added capability, where other rules already report.
    at = path + ("securityContext", "allowPrivilegeEscalation") if value is not None else _name_path(container, path)
    if context.get("privileged") is True:
        yield Hit(at, values, "privileged")
    elif any(isinstance(cap, str) and capability(cap) in ("SYS_ADMIN", "ALL") for _, cap in _added(container)):
        added = next(capability(c) for _, c in _added(container)
                     if isinstance(c, str) and capability(c) in ("SYS_ADMIN", "ALL"))
        yield Hit(at, {**values, "capability": "ALL capabilities" if added == "ALL" else "CAP_SYS_ADMIN"}, "sys-admin")
    elif value is not False:
        yield Hit(at, values, "default" if value is None else "explicit")


def run_as_root(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    pod = _pod(ctx)
    if not isinstance(container, dict):
        return
    status, level, field = root_status(container, pod, runs_on_windows(pod))
    if status == "non-root":
        return
    values = _who(container, path)
    if status == "unknown":
        yield Hit(_name_path(container, path), values)
        return
    if level == "pod":
        if not _first_to_inherit(ctx, path, str(field)):
            return
        values["who"] = f"{values['who']} (and every container that does not override it)"
    values["level"] = "the pod" if level == "pod" else "it"
    where = path if level == "container" else ctx.pod_spec_path
    yield Hit(where + ("securityContext", str(field)), values, status)


def read_only_root_fs(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    # Windows containers cannot have a read-only root filesystem: the API server refuses the field.
    if runs_on_windows(_pod(ctx)) or not isinstance(container, dict):
        return
    value = security_context(container).get("readOnlyRootFilesystem")
    if value is True:
        return
    if value is None:
        yield Hit(_name_path(container, path), _who(container, path))
    else:
        yield Hit(path + ("securityContext", "readOnlyRootFilesystem"), _who(container, path), "explicit")


def _prepare_capabilities(params: dict[str, Any]) -> frozenset[str]:
    return frozenset(capability(c) for c in params.get("capabilities", []))


def dangerous_capabilities(ctx: CheckContext, container: Any, path: FieldPath,
                           params: frozenset[str]) -> Iterator[Hit]:
    if runs_on_windows(_pod(ctx)):
        return
    for index, cap in _added(container):
        if isinstance(cap, str) and capability(cap) in params:
            values = {**_who(container, path), "capability": capability(cap)}
            yield Hit(path + ("securityContext", "capabilities", "add", index), values,
                      "all" if capability(cap) == "ALL" else "default")


def capabilities_not_dropped(ctx: CheckContext, container: Any, path: FieldPath,
                             params: dict[str, Any]) -> Iterator[Hit]:
    if runs_on_windows(_pod(ctx)) or not isinstance(container, dict):
        return
    context = security_context(container)
    if context.get("privileged") is True:
        return  # a privileged container has every capability whatever it drops: privileged-container says so
    caps = context.get("capabilities")
    drop = caps.get("drop") if isinstance(caps, dict) else None
    enough = {capability(c) for c in params["enough"]}
    if isinstance(drop, list) and any(capability(c) in enough for c in drop if isinstance(c, str)):
        return
    values = _who(container, path)
    if isinstance(drop, list):
        yield Hit(path + ("securityContext", "capabilities", "drop"), values, "partial", at="key")
    else:
        yield Hit(_name_path(container, path), values)


def seccomp_profile(ctx: CheckContext, container: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    pod = _pod(ctx)
    if runs_on_windows(pod) or not isinstance(container, dict):
        return
    profile, level = effective_field(container, pod, "seccompProfile")
    kind = profile.get("type") if isinstance(profile, dict) else None
    if kind in ("RuntimeDefault", "Localhost"):
        return
    values = _who(container, path)
    if kind is not None:
        if level == "pod":
            if not _first_to_inherit(ctx, path, "seccompProfile"):
                return
            values["who"] = f"{values['who']} (and every container that does not override it)"
        where = path if level == "container" else ctx.pod_spec_path
        values["type"] = str(kind)
        yield Hit(where + ("securityContext", "seccompProfile", "type"), values, "unconfined")
    else:
        yield Hit(_name_path(container, path), values)


class _AnyOf:
    """Whether a name matches any of a parameter's patterns as a whole, ignoring case.

    One alternation of them all, compiled on the first literal `env` value (a one-file run
    without one saved 1.4 ms). Each pattern was held to `format: regex` where the config or
    rule file gave it (schemawords.regex_problems), but two valid patterns may not join (a
    group name used twice, a global flag such as `(?i)` inside): then each is tried alone."""

    __slots__ = ("_patterns", "_joined")

    def __init__(self, patterns: list[str]) -> None:
        self._patterns = list(patterns)
        self._joined: re.Pattern[str] | list[re.Pattern[str]] | None = None

    def fullmatch(self, name: str) -> bool:
        if not self._patterns:
            return False  # no pattern: nothing matches (an empty `ignore` ignores nothing)
        if self._joined is None:
            try:
                self._joined = re.compile("|".join(f"(?:{p})" for p in self._patterns), re.IGNORECASE)
            except re.error:
                self._joined = [re.compile(p, re.IGNORECASE) for p in self._patterns]
        if isinstance(self._joined, list):
            return any(p.fullmatch(name) for p in self._joined)
        return self._joined.fullmatch(name) is not None


def _prepare_secret_env(params: dict[str, Any]) -> tuple[_AnyOf, _AnyOf]:
    return _AnyOf(params.get("names") or []), _AnyOf(params.get("ignore") or [])


# A PEM private key (RSA, EC, OpenSSH, PKCS#8, …), whatever the variable is called.
_PRIVATE_KEY = LazyPattern(r"-BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY-", re.IGNORECASE)


# Words that hold no secret whatever the variable is called: switches such as
# MYSQL_ALLOW_EMPTY_PASSWORD: "1", modes such as TOKEN_AUTH: "enabled".
_SWITCHES = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "enabled", "disabled",
                       "enable", "disable", "0", "1"})
# A plain number: `MAX_TOTAL_TOKENS: "2048"` (an LLM server's token budget), `TOKEN_RATIO: "1.5"`.
_NUMBER = LazyPattern(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Names whose value is a secret even when it is all digits: a password or a PIN may be `1234`.
_PASSWORD_NAME = LazyPattern(r".*(?:PASSW(?:OR)?D|PASSPHRASE|_PASS|_PWD|(?:^|_)PIN)(?:$|_).*", re.IGNORECASE)


def _literal_secret(name: str, value: str) -> bool:
    """A value that may be a secret itself, not a path, a reference, a switch or a count.

    A name match alone is not enough: `MAX_TOTAL_TOKENS: "2048"` is a number of tokens, not a
    token. A number is taken as a secret only under a password's name."""
    text = value.strip()
    if not text or text.startswith(("/", "$(", "${", "file:", "vault:", "arn:")):
        return False
    if text.lower() in _SWITCHES:
        return False
    return not _NUMBER.fullmatch(text) or bool(_PASSWORD_NAME.fullmatch(name))


def secret_in_env(ctx: CheckContext, container: Any, path: FieldPath,
                  params: tuple[_AnyOf, _AnyOf]) -> Iterator[Hit]:
    names, ignore = params
    env = container.get("env") if isinstance(container, dict) else None
    if not isinstance(env, list):
        return
    for index, var in enumerate(env):
        if not isinstance(var, dict):
            continue
        name, value = var.get("name"), var.get("value")
        if not isinstance(name, str) or not isinstance(value, str):
            continue
        if not _literal_secret(name, value):
            continue
        if names.fullmatch(name) and not ignore.fullmatch(name):
            yield Hit(path + ("env", index, "value"), {**_who(container, path), "var": name})
        elif _PRIVATE_KEY.search(value):
            yield Hit(path + ("env", index, "value"), {**_who(container, path), "var": name}, "private-key")


# ------------------------------------------------------------------------------ pod specs


_HostPathTable = tuple[frozenset[str], tuple[str, ...], frozenset[str], tuple[str, ...], tuple[str, ...]]


def _prepare_host_paths(params: dict[str, Any]) -> _HostPathTable:
    return (frozenset(normal_host_path(p) for p in params.get("exact", [])),
            tuple(normal_host_path(p) for p in params.get("trees", [])),
            frozenset(params.get("sockets", [])),
            tuple(normal_host_path(p) for p in params.get("read_only_trees", [])),
            tuple(p if p.endswith("/*") else normal_host_path(p) for p in params.get("plugin_dirs", [])))


def _under(path: str, trees: tuple[str, ...]) -> bool:
    return any(path == tree or path.startswith(tree + "/") for tree in trees)


def _depth(path: str, trees: tuple[str, ...]) -> int:
    """The length of the longest of `trees` that holds `path` (0 when none does); a tree written
    `dir/*` holds only what is below `dir`, not `dir` itself."""
    best = 0
    for tree in trees:
        if tree.endswith("/*"):
            base = normal_host_path(tree[:-2])
            if path.startswith(base + "/") and path != base:
                best = max(best, len(base) + 1)
        elif path == tree or path.startswith(tree + "/"):
            best = max(best, len(tree))
    return best


def _mounted_read_only(spec: dict[str, Any], volume: Any) -> bool:
    """Whether every container, init container and ephemeral container that mounts `volume`
    mounts it `readOnly: true` (and at least one mounts it): then the pod cannot write there."""
    seen = False
    for key in ("containers", "initContainers", "ephemeralContainers"):
        listed = spec.get(key)
        for container in listed if isinstance(listed, list) else ():
            mounts = container.get("volumeMounts") if isinstance(container, dict) else None
            for mount in mounts if isinstance(mounts, list) else ():
                if isinstance(mount, dict) and mount.get("name") == volume:
                    if mount.get("readOnly") is not True:
                        return False
                    seen = True
    return seen


def _sensitive(path: str, table: _HostPathTable, read_only: bool) -> bool:
    exact, trees, sockets, read_only_trees, plugin_dirs = table
    normal = normal_host_path(path)
    if normal in exact or normal.rsplit("/", 1)[-1] in sockets:
        return True
    if read_only and _under(normal, read_only_trees):
        return False
    # The most specific entry decides: /var/lib/kubelet/plugins/<driver> is a plugin's own
    # directory, /var/lib/kubelet/plugins/kubernetes.io (volumes staged for every pod) is not.
    inside = _depth(normal, trees)
    return inside > 0 and inside >= _depth(normal, plugin_dirs)


def _host_paths(spec: Any, path: FieldPath) -> Iterator[tuple[Hit, str]]:
    """Each hostPath volume: a hit at its `path:` value (or at `hostPath:`), and the host path."""
    volumes = spec.get("volumes") if isinstance(spec, dict) else None
    if not isinstance(volumes, list):
        return
    for index, volume in enumerate(volumes):
        host = volume.get("hostPath") if isinstance(volume, dict) else None
        if host is None:
            continue
        host_path = host.get("path") if isinstance(host, dict) else None
        name = volume.get("name")
        values = {"volume": name if isinstance(name, str) else f"#{index}",
                  "host_path": host_path if isinstance(host_path, str) else "?"}
        where = path + ("volumes", index, "hostPath")
        if isinstance(host_path, str):
            yield Hit(where + ("path",), values), host_path
        else:
            yield Hit(where, values, at="key"), ""


def host_path_volume(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    for hit, _ in _host_paths(spec, path):
        yield hit


def sensitive_host_mount(ctx: CheckContext, spec: Any, path: FieldPath, params: _HostPathTable) -> Iterator[Hit]:
    for hit, host_path in _host_paths(spec, path):
        read_only = _mounted_read_only(spec, hit.values.get("volume"))
        if host_path and _sensitive(host_path, params, read_only):
            # Read-only is no cure here (the CA key can be read, a socket still connected to),
            # but the message must not speak of writing where the pod cannot write.
            yield hit._replace(variant="read-only") if read_only else hit


def unsafe_sysctls(ctx: CheckContext, spec: Any, path: FieldPath, params: dict[str, Any]) -> Iterator[Hit]:
    sysctls = security_context(spec).get("sysctls")
    if not isinstance(sysctls, list):
        return
    safe = safe_sysctls(ctx.kubernetes_version)
    allowed = [a for a in params.get("allowed", []) if isinstance(a, str)]
    for index, sysctl in enumerate(sysctls):
        name = sysctl.get("name") if isinstance(sysctl, dict) else None
        if not isinstance(name, str) or not name:
            continue
        normal = sysctl_name(name)
        if normal in safe or any(normal == a or (a.endswith("*") and normal.startswith(a[:-1])) for a in allowed):
            continue
        yield Hit(path + ("securityContext", "sysctls", index, "name"), {"sysctl": name})


def deprecated_service_account(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    if not isinstance(spec, dict):
        return
    old, new = spec.get("serviceAccount"), spec.get("serviceAccountName")
    if not isinstance(old, str) or not old:
        return
    values = {"account": old, "name_field": new if isinstance(new, str) else ""}
    if not isinstance(new, str) or not new:
        variant = "default"
    elif new == old:
        variant = "redundant"
    else:
        variant = "conflict"
    yield Hit(path + ("serviceAccount",), values, variant, at="key")


def automount_token(ctx: CheckContext, spec: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    if not isinstance(spec, dict):
        return
    value = spec.get("automountServiceAccountToken")
    if value is False:
        return
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    values = {"account": account}
    if value is True:
        yield Hit(path + ("automountServiceAccountToken",), values, "explicit")
        return
    if _account_disables_automount(ctx, account):
        return
    yield Hit(path + ("automountServiceAccountToken",), values, at="key")


def _account_disables_automount(ctx: CheckContext, account: Any) -> bool:
    """The ServiceAccount in the same input says automountServiceAccountToken: false."""
    if not isinstance(account, str):  # a document's name is a string: nothing else names one
        return False
    return any(isinstance(doc.obj, dict) and doc.obj.get("automountServiceAccountToken") is False
               for doc in file_index(ctx.documents).named("ServiceAccount", ctx.document.namespace, account))


# ------------------------------------------------------------------------------ RBAC


def _rules(obj: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    rules = obj.get("rules") if isinstance(obj, dict) else None
    if isinstance(rules, list):
        for index, rule in enumerate(rules):
            if isinstance(rule, dict):
                yield index, rule


_WILDCARD_WORDS = {
    "apiGroups": {"noun": "API group", "including": "those that CRDs and later Kubernetes versions add"},
    "resources": {"noun": "resource", "including": "Secrets, and those that CRDs and later Kubernetes versions add"},
    "verbs": {"noun": "verb", "including": "escalate, bind and impersonate where they apply"},
}
# API groups where `*` verbs reach escalate, bind (roles) or impersonate (users, service accounts).
_ESCALATING_GROUPS = frozenset({"", "*", "rbac.authorization.k8s.io", "authentication.k8s.io"})


def _group_names(groups: list[str]) -> str:
    shown = [f"`{g}`" for g in groups]
    if len(shown) > 3:
        shown = [*shown[:3], f"{len(shown) - 3} more groups"]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _wildcard_reach(field: str, rule: dict[str, Any]) -> dict[str, str]:
    """What a `*` reaches in the API groups the rule names: `resources: ["*"]` in `kyverno.io`
    grants kyverno's resources, not Secrets; `verbs: ["*"]` there reaches no escalate or bind."""
    words = dict(_WILDCARD_WORDS[field])
    listed = rule.get("apiGroups")
    groups = sorted({g for g in listed if isinstance(g, str)}) if isinstance(listed, list) else []
    if field == "apiGroups" or not groups or "*" in groups:
        return words
    others = [g for g in groups if g != ""]
    if field == "resources":
        if "" in groups:
            words["noun"] = "resource of the core API group" + (f" and of {_group_names(others)}" if others else "")
            words["including"] = "Secrets, pods/exec and nodes/proxy"
        else:
            words["noun"] = f"resource of {_group_names(others)}"
            words["including"] = "those that later versions of " + ("the group" if len(others) == 1 else "them") + " add"
    elif not _ESCALATING_GROUPS & set(groups):
        words["including"] = "delete and deletecollection"
    return words


def _only_scale(rule: dict[str, Any]) -> bool:
    """Whether a rule names only `scale` subresources (`*/scale`, `deployments/scale`): the
    scale subresource reads and sets a replica count and nothing else, so `apiGroups: ["*"]`
    there reaches no Secret and no pod spec. Kubernetes' own HPA and disruption controllers
    hold exactly `apiGroups: ["*"]` + `resources: ["*/scale"]`: the groups of the CRDs they
    scale are not known in advance."""
    resources = rule.get("resources")
    return (isinstance(resources, list) and bool(resources)
            and all(isinstance(r, str) and r.endswith("/scale") and r != "/scale" for r in resources))


def rbac_wildcard(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    for index, rule in _rules(obj):
        for field in ("apiGroups", "resources", "verbs"):
            items = rule.get(field)
            if not isinstance(items, list) or (field == "apiGroups" and _only_scale(rule)):
                continue
            for position, item in enumerate(items):
                if item == "*":
                    yield Hit(("rules", index, field, position),
                              {"field": field, "kind": ctx.document.kind, **_wildcard_reach(field, rule)})


# The user-facing ClusterRoles that Kubernetes ships and reconciles: they grant exec by design.
_DEFAULT_CLUSTER_ROLES = frozenset({"admin", "edit", "cluster-admin"})


def _kubernetes_own(name: Any, kind: str | None) -> bool:
    """A role or binding that the API server creates and reconciles itself (`system:` names, the
    default user-facing ClusterRoles): reporting it asks for a change nobody can make."""
    if not isinstance(name, str):
        return False
    return name.startswith("system:") or (kind == "ClusterRole" and name in _DEFAULT_CLUSTER_ROLES)


def rbac_pod_exec(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    if _kubernetes_own(ctx.document.name, ctx.document.kind):
        return
    for index, rule in _rules(obj):
        groups, resources, verbs = (rule.get(k) if isinstance(rule.get(k), list) else []
                                    for k in ("apiGroups", "resources", "verbs"))
        if not ({"", "*"} & {g for g in groups if isinstance(g, str)}):
            continue
        granted = {"create", "get", "*"} & {v for v in verbs if isinstance(v, str)}
        if not granted:
            continue
        for position, resource in enumerate(resources):
            if resource in ("pods/exec", "pods/attach", "pods/*"):
                yield Hit(("rules", index, "resources", position),
                          {"resource": resource, "verbs": ", ".join(sorted(granted)), "kind": ctx.document.kind})


# Every verb of the resource API, as Polaris and the default admin roles list them: a role with all
# of them on everything is cluster-admin in all but name.
_ALL_VERBS = frozenset({"get", "list", "watch", "create", "update", "patch", "delete"})


def grants_everything(role: Any) -> bool:
    """Whether one rule of a Role or ClusterRole grants every verb on every resource of every API group."""
    for _, rule in _rules(role):
        groups, resources, verbs = (set(v for v in rule.get(k) if isinstance(v, str))
                                    if isinstance(rule.get(k), list) else set()
                                    for k in ("apiGroups", "resources", "verbs"))
        if "*" in groups and "*" in resources and ("*" in verbs or verbs >= _ALL_VERBS):
            return True
    return False


def _bound_role(ctx: CheckContext, ref: dict[str, Any]) -> Any:
    """The Role or ClusterRole of the same input that a binding's roleRef names (a Role only in the
    binding's namespace), or None."""
    kind, name = ref.get("kind"), ref.get("name")
    # A document's kind and name are strings or None (absent): nothing else matches one.
    if not (kind is None or isinstance(kind, str)) or not (name is None or isinstance(name, str)):
        return None
    index = file_index(ctx.documents)
    found = index.named(kind, ctx.document.namespace, name) if kind == "Role" else index.named_anywhere(kind, name)
    return next((doc.obj for doc in found if isinstance(doc.obj, dict)), None)


def _bootstrap_binding(obj: dict[str, Any]) -> bool:
    """The API server's own cluster-admin binding (only the group system:masters) or a binding it
    reconciles (autoupdate annotation). A `system:` name alone proves nothing: the docs' own
    cloud-controller-manager example names its user binding `system:cloud-controller-manager`."""
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict) and annotations.get("rbac.authorization.kubernetes.io/autoupdate") == "true":
        return True
    subjects = obj.get("subjects")
    return isinstance(subjects, list) and bool(subjects) and all(
        isinstance(s, dict) and s.get("kind") == "Group" and s.get("name") == "system:masters"
        for s in subjects)


def cluster_admin_binding(ctx: CheckContext, obj: Any, path: FieldPath, params: Any) -> Iterator[Hit]:
    ref = obj.get("roleRef") if isinstance(obj, dict) else None
    if not isinstance(ref, dict) or _bootstrap_binding(obj):
        return
    if ref.get("kind") == "ClusterRole" and ref.get("name") == "cluster-admin":
        variant = "default"
    elif ref.get("kind") in ("ClusterRole", "Role") and grants_everything(_bound_role(ctx, ref)):
        variant = "equivalent"
    else:
        return
    subjects = obj.get("subjects")
    names = [f"{s.get('kind')} {s.get('name')}" for s in subjects if isinstance(s, dict)] \
        if isinstance(subjects, list) else []
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if ctx.document.kind == "RoleBinding":
        scope = f" in namespace {ctx.document.namespace}" if ctx.document.namespace else " in its namespace"
    else:
        scope = " in every namespace"
    yield Hit(("roleRef", "name"), {"subjects": shown or "its subjects", "kind": ctx.document.kind,
                                    "scope": scope, "role_kind": str(ref.get("kind")),
                                    "role": str(ref.get("name"))}, variant)


# The names every message of a container check may use: "init container `setup`" and "setup".
_WHO = ("who", "container")


def _strings(description: str, default: list[str] | None = None, **more: Any) -> dict[str, Any]:
    return {**_STRINGS, **more, "description": description, **({"default": default} if default is not None else {})}


CHECKS: dict[str, CheckDef] = {
    "privilege-escalation": define(privilege_escalation, ("default", "explicit", "privileged", "sys-admin"), NO_PARAMS,
                                   placeholders={"default": _WHO, "explicit": _WHO, "privileged": _WHO,
                                                 "sys-admin": (*_WHO, "capability")}),
    "run-as-root": define(run_as_root, ("default", "uid-zero", "allowed"), NO_PARAMS,
                          placeholders={"default": _WHO, "uid-zero": (*_WHO, "level"), "allowed": (*_WHO, "level")}),
    "read-only-root-fs": define(read_only_root_fs, ("default", "explicit"), NO_PARAMS, placeholders=_WHO),
    "dangerous-capabilities": define(dangerous_capabilities, ("default", "all"), {
        "type": "object", "additionalProperties": False, "required": ["capabilities"],
        "properties": {"capabilities": _strings("The capabilities that may not be added (CAP_ prefix optional).")}},
        prepare=_prepare_capabilities, placeholders=(*_WHO, "capability")),
    "capabilities-not-dropped": define(capabilities_not_dropped, ("default", "partial"), {
        "type": "object", "additionalProperties": False,
        "properties": {"enough": _strings("Dropping any one of these capabilities is enough.", ["ALL", "NET_RAW"],
                                          minItems=1)}},
        placeholders=_WHO),
    "seccomp-profile": define(seccomp_profile, ("default", "unconfined"), NO_PARAMS,
                              placeholders={"default": _WHO, "unconfined": (*_WHO, "type")}),
    "secret-in-env": define(secret_in_env, ("default", "private-key"), {
        "type": "object", "additionalProperties": False, "required": ["names"],
        "properties": {"names": {**_STRINGS, "minItems": 1, "items": {"type": "string", "format": "regex"},
                                 "description": "Regular expressions (whole name) of variable names that hold "
                                                "a secret."},
                       "ignore": {"type": "array", "items": {"type": "string", "format": "regex"}, "default": [],
                                  "description": "Regular expressions (whole name) of names that never hold "
                                                 "one (paths, ids, switches)."}}},
        prepare=_prepare_secret_env, placeholders=(*_WHO, "var")),
    "host-path-volume": define(host_path_volume, ("default",), NO_PARAMS, placeholders=("volume", "host_path")),
    "sensitive-host-mount": define(sensitive_host_mount, ("default", "read-only"), {
        "type": "object", "additionalProperties": False,
        "properties": {"exact": _strings("Host paths that are sensitive themselves.", []),
                       "trees": _strings("Host directories whose whole tree is sensitive.", []),
                       "sockets": _strings("Sensitive sockets (a mount of their directory counts too).", []),
                       "read_only_trees": _strings("Trees that are harmless when mounted read-only "
                                                   "(log directories).", []),
                       "plugin_dirs": _strings("Plugin socket directories (CSI, device plugins) that are not "
                                               "sensitive; `/*` ends a prefix.", [])}},
        prepare=_prepare_host_paths, placeholders=("volume", "host_path")),
    "unsafe-sysctls": define(unsafe_sysctls, ("default",), {
        "type": "object", "additionalProperties": False,
        "properties": {"allowed": _strings("Sysctls allowed besides the safe set; a trailing `*` matches a "
                                           "prefix.", [])}},
        placeholders=("sysctl",)),
    "deprecated-service-account-field": define(deprecated_service_account, ("default", "redundant", "conflict"),
                                               NO_PARAMS, placeholders=("account", "name_field")),
    "automount-service-account-token": define(automount_token, ("default", "explicit"), NO_PARAMS,
                                              placeholders=("account",)),
    "rbac-wildcard": define(rbac_wildcard, ("default",), NO_PARAMS,
                            placeholders=("field", "kind", "noun", "including")),
    "rbac-pod-exec": define(rbac_pod_exec, ("default",), NO_PARAMS, placeholders=("resource", "verbs", "kind")),
    "cluster-admin-binding": define(cluster_admin_binding, ("default", "equivalent"), NO_PARAMS,
                                    placeholders=("subjects", "kind", "scope", "role_kind", "role")),
}
