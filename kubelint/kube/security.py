"""Pod security as Kubernetes sees it: inherited securityContext fields, capabilities, sysctls,
sensitive host paths, and the Pod Security Standards (Baseline and Restricted).

The PSS controls follow https://kubernetes.io/docs/concepts/security/pod-security-standards/
as the PodSecurity admission plugin applies them (which is what decides whether the API server
admits a pod), including its quirks: capability names are compared exactly, a restricted
control replaces its baseline namesake (Seccomp, Capabilities, HostPath Volumes → Volume Types),
and Windows pods are exempt from the Linux-only restricted controls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.kube.workloads import CONTAINER_FIELDS
from kubelint.model import FieldPath

# A violation: (control name as the PSS page names it, field path relative to the pod spec,
# short reason). Paths into the pod template's annotations start with "..": they are relative
# to the pod template (the pod spec's parent), e.g. ("..", "metadata", "annotations", key).
Violation = tuple[str, FieldPath, str]

LEVELS = ("baseline", "restricted")

# Docker's default capability set: the Baseline level lets a container add these back.
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})
RESTRICTED_ADDABLE_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})

# Sysctls the kubelet allows without --allowed-unsafe-sysctls, with the release that made each safe.
SAFE_SYSCTLS: dict[str, tuple[int, int]] = {
    "kernel.shm_rmid_forced": (1, 0),
    "net.ipv4.ip_local_port_range": (1, 0),
    "net.ipv4.tcp_syncookies": (1, 0),
    "net.ipv4.ping_group_range": (1, 18),
    "net.ipv4.ip_unprivileged_port_start": (1, 22),
    "net.ipv4.ip_local_reserved_ports": (1, 27),
    "net.ipv4.tcp_keepalive_time": (1, 29),
    "net.ipv4.tcp_fin_timeout": (1, 29),
    "net.ipv4.tcp_keepalive_intvl": (1, 29),
    "net.ipv4.tcp_keepalive_probes": (1, 29),
}

# `image` volumes (OCI artifacts, read-only) are allowed by PodSecurity's restricted check too.
RESTRICTED_VOLUME_TYPES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
                           "persistentVolumeClaim", "projected", "secret")
SELINUX_TYPES = {"container_t": (1, 0), "container_init_t": (1, 0), "container_kvm_t": (1, 0),
                 "container_engine_t": (1, 31)}
SECCOMP_ALLOWED = ("RuntimeDefault", "Localhost")
APPARMOR_ALLOWED = ("RuntimeDefault", "Localhost")
HOST_PROBES_SINCE = (1, 34)
# KEP-127: from policy version 1.35 PodSecurity always relaxes runAsNonRoot, runAsUser and the
# baseline procMount check for a pod with its own user namespace (`hostUsers: false`). Before,
# only the UserNamespacesPodSecurityStandards feature gate did, alpha and off by default (1.29-1.34).
USER_NAMESPACE_RELAXATION_SINCE = (1, 35)

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


# ------------------------------------------------------------------------------ basic facts


def is_windows(pod_spec: Any) -> bool:
    """A pod that declares `os.name: windows`: the Linux-only controls do not apply to it."""
    os_field = pod_spec.get("os") if isinstance(pod_spec, dict) else None
    return isinstance(os_field, dict) and os_field.get("name") == "windows"


_OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")


def runs_on_windows(pod_spec: Any) -> bool:
    """A pod meant for Windows nodes: `os.name: windows`, or a nodeSelector that schedules it
    only there (how manifests said it before `os` existed). For the best-practice rules only:
    PodSecurity admission exempts a pod by `os.name` alone, so pss_violations uses is_windows."""
    if is_windows(pod_spec):
        return True
    selector = pod_spec.get("nodeSelector") if isinstance(pod_spec, dict) else None
    return isinstance(selector, dict) and any(selector.get(label) == "windows" for label in _OS_LABELS)


def security_context(node: Any) -> dict[str, Any]:
    context = node.get("securityContext") if isinstance(node, dict) else None
    return context if isinstance(context, dict) else {}


def effective_field(container: Any, pod_spec: Any, key: str) -> tuple[Any, str | None]:
    """The value of a securityContext field that the pod level sets for every container unless
    the container sets it itself (runAsUser, runAsNonRoot, seccompProfile, …), and which level
    set it: "container", "pod" or None."""
    for level, node in (("container", container), ("pod", pod_spec)):
        value = security_context(node).get(key)
        if value is not None:
            return value, level
    return None, None


def is_uid(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def capability(name: Any) -> str:
    """`cap_sys_admin` and `SYS_ADMIN` name the same capability to the container runtime."""
    text = str(name).strip().upper()
    return text[4:] if text.startswith("CAP_") else text


def root_status(container: Any, pod_spec: Any, windows: bool | None = None) -> tuple[str, str | None, str | None]:
    """Whether a container runs as root, as far as the manifest says: (status, level, field).

    status is "uid-zero" (runAsUser 0), "non-root" (runAsNonRoot true, a non-zero runAsUser, or
    on Windows a runAsUserName other than ContainerAdministrator), "allowed" (runAsNonRoot set
    false and no non-zero runAsUser) or "unknown" (the image's USER decides, often root). level
    and field name where the deciding value is, for pointing at it.
    """
    windows = is_windows(pod_spec) if windows is None else windows
    uid, uid_level = effective_field(container, pod_spec, "runAsUser")
    if not windows and is_uid(uid) and uid == 0:
        return "uid-zero", uid_level, "runAsUser"
    non_root, non_root_level = effective_field(container, pod_spec, "runAsNonRoot")
    if non_root is True:
        return "non-root", non_root_level, "runAsNonRoot"
    if not windows and is_uid(uid) and uid > 0:
        return "non-root", uid_level, "runAsUser"
    if windows:
        options, _ = effective_field(container, pod_spec, "windowsOptions")
        user = options.get("runAsUserName") if isinstance(options, dict) else None
        if isinstance(user, str) and user and user.lower() != "containeradministrator":
            return "non-root", None, None
    if non_root is False:
        return "allowed", non_root_level, "runAsNonRoot"
    return "unknown", None, None


def sysctl_name(name: str) -> str:
    """The kubelet accepts `net/ipv4/ip_local_port_range` for `net.ipv4.ip_local_port_range`:
    when `/` is the first separator, `/` and `.` swap roles."""
    dot, slash = name.find("."), name.find("/")
    if slash < 0 or (0 <= dot < slash):
        return name
    return name.translate(str.maketrans("./", "/."))


def safe_sysctls(version: tuple[int, int] | None = None) -> frozenset[str]:
    return frozenset(n for n, since in SAFE_SYSCTLS.items() if version is None or version >= since)


def normal_host_path(path: str) -> str:
    """`/var/run/` and `/var//run` are `/var/run` to the kubelet."""
    parts = [p for p in path.strip().split("/") if p and p != "."]
    return "/" + "/".join(parts)


def containers_of(pod_spec: dict[str, Any]) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """Every container of a pod spec (init, regular, ephemeral) with its path in the pod spec."""
    for field in CONTAINER_FIELDS:
        items = pod_spec.get(field)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield item, (field, index)


def _list(node: Any, key: str) -> list[Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, list) else []


def _dict(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _label(container: dict[str, Any], where: FieldPath) -> str:
    name = container.get("name")
    kind = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
    return f"{kind.get(str(where[0]), 'container')} {name if isinstance(name, str) else where[1]}"


# ------------------------------------------------------------------------------ the standards


def pss_violations(pod_spec: dict[str, Any], level: str, *, annotations: dict[str, Any] | None = None,
                   kubernetes_version: tuple[int, int] | None = None) -> list[Violation]:
    """Every Pod Security Standards control of `level` that a pod spec fails, as the PodSecurity
    admission plugin of `kubernetes_version` (default: the newest) would judge it.

    `annotations` are the pod template's annotations, for the AppArmor and seccomp annotations
    that older manifests use. A control is reported once per offending field.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown Pod Security Standards level {level!r}; use baseline or restricted")
    if not isinstance(pod_spec, dict):
        return []
    notes = annotations if isinstance(annotations, dict) else {}
    restricted = level == "restricted"
    found: list[Violation] = []
    found += _host_process(pod_spec)
    found += _host_namespaces(pod_spec)
    found += _privileged(pod_spec)
    found += _host_ports(pod_spec)
    if kubernetes_version is None or kubernetes_version >= HOST_PROBES_SINCE:
        found += _host_probes(pod_spec)
    found += _apparmor(pod_spec, notes)
    found += _selinux(pod_spec, kubernetes_version)
    user_namespaced = pod_spec.get("hostUsers") is False and (
        kubernetes_version is None or kubernetes_version >= USER_NAMESPACE_RELAXATION_SINCE)
    if restricted or not user_namespaced:
        # the restricted procMount check (1.35+) takes no account of user namespaces
        found += _proc_mount(pod_spec)
    found += _sysctls(pod_spec, kubernetes_version)
    if not restricted:
        # The restricted versions of these controls replace them (as PodSecurity does).
        found += _capabilities_baseline(pod_spec)
        found += _host_path_volumes(pod_spec)
        found += _seccomp_baseline(pod_spec, notes)
        return found
    found += _volume_types(pod_spec)
    if not user_namespaced:
        # UID 0 inside the pod's own user namespace maps to an unprivileged UID on the node
        found += _run_as_non_root(pod_spec)
        found += _run_as_non_root_user(pod_spec)
    if not is_windows(pod_spec):
        found += _privilege_escalation(pod_spec)
        found += _seccomp_restricted(pod_spec)
        found += _capabilities_restricted(pod_spec)
    return found


def _host_process(spec: dict[str, Any]) -> list[Violation]:
    found = []
    reason = "HostProcess containers have privileged access to the Windows host"
    if _dict(security_context(spec), "windowsOptions").get("hostProcess") is True:
        found.append(("HostProcess", ("securityContext", "windowsOptions", "hostProcess"), reason))
    for container, where in containers_of(spec):
        if _dict(security_context(container), "windowsOptions").get("hostProcess") is True:
            found.append(("HostProcess", where + ("securityContext", "windowsOptions", "hostProcess"),
                          f"{_label(container, where)}: {reason}"))
    return found


def _host_namespaces(spec: dict[str, Any]) -> list[Violation]:
    return [("Host Namespaces", (field,), f"{field}: true shares the node's namespace")
            for field in ("hostNetwork", "hostPID", "hostIPC") if spec.get(field) is True]


def _privileged(spec: dict[str, Any]) -> list[Violation]:
    return [("Privileged Containers", where + ("securityContext", "privileged"),
             f"{_label(c, where)} is privileged")
            for c, where in containers_of(spec) if security_context(c).get("privileged") is True]


def _capabilities_baseline(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for container, where in containers_of(spec):
        for index, cap in enumerate(_list(_dict(security_context(container), "capabilities"), "add")):
            if cap not in BASELINE_CAPABILITIES:
                found.append(("Capabilities", where + ("securityContext", "capabilities", "add", index),
                              f"{_label(container, where)} adds {cap}, beyond the default set"))
    return found


def _host_path_volumes(spec: dict[str, Any]) -> list[Violation]:
    return [("HostPath Volumes", ("volumes", index, "hostPath"),
             f"volume {volume.get('name')} is a hostPath volume")
            for index, volume in enumerate(_list(spec, "volumes"))
            if isinstance(volume, dict) and volume.get("hostPath") is not None]


def _host_ports(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for container, where in containers_of(spec):
        for index, port in enumerate(_list(container, "ports")):
            host_port = port.get("hostPort") if isinstance(port, dict) else None
            if host_port not in (None, 0):
                found.append(("Host Ports", where + ("ports", index, "hostPort"),
                              f"{_label(container, where)} uses hostPort {host_port}"))
    return found


def _host_probes(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for container, where in containers_of(spec):
        handlers = [((probe,), container.get(probe)) for probe in _PROBES]
        handlers += [(("lifecycle", hook), _dict(container, "lifecycle").get(hook)) for hook in _HOOKS]
        for at, handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                host = _dict(handler, action).get("host")
                if host not in (None, ""):
                    found.append(("Host Probes / Lifecycle Hooks", where + at + (action, "host"),
                                  f"{_label(container, where)} sets {'.'.join(at)}.{action}.host"))
    return found


def _apparmor(spec: dict[str, Any], annotations: dict[str, Any]) -> list[Violation]:
    found = []
    nodes: list[tuple[Any, FieldPath, str]] = [(spec, (), "the pod")]
    nodes += [(c, where, _label(c, where)) for c, where in containers_of(spec)]
    for node, where, who in nodes:
        kind = _dict(security_context(node), "appArmorProfile").get("type")
        if kind is not None and kind not in APPARMOR_ALLOWED:
            found.append(("AppArmor", where + ("securityContext", "appArmorProfile", "type"),
                          f"{who} sets AppArmor profile {kind}"))
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    for key, value in sorted(annotations.items(), key=lambda item: str(item[0])):
        # an empty value means the default profile, as PodSecurity reads it
        allowed = value in ("", "runtime/default") or (isinstance(value, str) and value.startswith("localhost/"))
        if isinstance(key, str) and key.startswith(prefix) and not allowed:
            found.append(("AppArmor", ("..", "metadata", "annotations", key), f"annotation {key} is {value}"))
    return found


def _selinux(spec: dict[str, Any], version: tuple[int, int] | None) -> list[Violation]:
    found = []
    nodes: list[tuple[Any, FieldPath, str]] = [(spec, (), "the pod")]
    nodes += [(c, where, _label(c, where)) for c, where in containers_of(spec)]
    for node, where, who in nodes:
        options = _dict(security_context(node), "seLinuxOptions")
        kind = options.get("type")
        since = SELINUX_TYPES.get(kind) if isinstance(kind, str) else None
        if kind not in (None, "") and (since is None or (version is not None and version < since)):
            found.append(("SELinux", where + ("securityContext", "seLinuxOptions", "type"),
                          f"{who} sets SELinux type {kind}"))
        for field in ("user", "role"):
            if options.get(field) not in (None, ""):
                found.append(("SELinux", where + ("securityContext", "seLinuxOptions", field),
                              f"{who} sets a custom SELinux {field}"))
    return found


def _proc_mount(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for container, where in containers_of(spec):
        mount = security_context(container).get("procMount")
        if mount not in (None, "Default"):
            found.append(("/proc Mount Type", where + ("securityContext", "procMount"),
                          f"{_label(container, where)} sets procMount {mount}"))
    return found


def _seccomp_baseline(spec: dict[str, Any], annotations: dict[str, Any]) -> list[Violation]:
    found = []
    nodes: list[tuple[Any, FieldPath, str]] = [(spec, (), "the pod")]
    nodes += [(c, where, _label(c, where)) for c, where in containers_of(spec)]
    for node, where, who in nodes:
        if _dict(security_context(node), "seccompProfile").get("type") == "Unconfined":
            found.append(("Seccomp", where + ("securityContext", "seccompProfile", "type"),
                          f"{who} runs without seccomp (Unconfined)"))
    for key, value in sorted(annotations.items(), key=lambda item: str(item[0])):
        if not isinstance(key, str) or value != "unconfined":
            continue
        if key == "seccomp.security.alpha.kubernetes.io/pod" or key.startswith(
                "container.seccomp.security.alpha.kubernetes.io/"):
            found.append(("Seccomp", ("..", "metadata", "annotations", key), f"annotation {key} is unconfined"))
    return found


def _sysctls(spec: dict[str, Any], version: tuple[int, int] | None) -> list[Violation]:
    safe = safe_sysctls(version)
    found = []
    for index, sysctl in enumerate(_list(security_context(spec), "sysctls")):
        name = sysctl.get("name") if isinstance(sysctl, dict) else None
        if isinstance(name, str) and sysctl_name(name) not in safe:
            found.append(("Sysctls", ("securityContext", "sysctls", index, "name"), f"sysctl {name} is not safe"))
    return found


def _volume_types(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for index, volume in enumerate(_list(spec, "volumes")):
        if not isinstance(volume, dict):
            continue
        if any(volume.get(kind) is not None for kind in RESTRICTED_VOLUME_TYPES):
            continue
        kinds = [k for k, v in volume.items() if k != "name" and v is not None]
        if not kinds:
            continue  # the API server makes a volume without a source an emptyDir
        found.append(("Volume Types", ("volumes", index, kinds[0]),
                      f"volume {volume.get('name')} is of type {kinds[0]}, which restricted does not allow"))
    return found


def _privilege_escalation(spec: dict[str, Any]) -> list[Violation]:
    return [("Privilege Escalation", where + ("securityContext", "allowPrivilegeEscalation"),
             f"{_label(c, where)} does not set allowPrivilegeEscalation: false")
            for c, where in containers_of(spec)
            if security_context(c).get("allowPrivilegeEscalation") is not False]


def _run_as_non_root(spec: dict[str, Any]) -> list[Violation]:
    found = []
    pod_value = security_context(spec).get("runAsNonRoot")
    if pod_value is False:
        found.append(("Running as Non-root", ("securityContext", "runAsNonRoot"),
                      "the pod sets runAsNonRoot: false"))
    for container, where in containers_of(spec):
        value = security_context(container).get("runAsNonRoot")
        if value is False:
            found.append(("Running as Non-root", where + ("securityContext", "runAsNonRoot"),
                          f"{_label(container, where)} sets runAsNonRoot: false"))
        elif value is None and pod_value is not True:
            found.append(("Running as Non-root", where + ("securityContext", "runAsNonRoot"),
                          f"neither {_label(container, where)} nor the pod sets runAsNonRoot: true"))
    return found


def _run_as_non_root_user(spec: dict[str, Any]) -> list[Violation]:
    found = []
    if is_uid(security_context(spec).get("runAsUser")) and security_context(spec)["runAsUser"] == 0:
        found.append(("Running as Non-root user", ("securityContext", "runAsUser"), "the pod sets runAsUser: 0"))
    for container, where in containers_of(spec):
        uid = security_context(container).get("runAsUser")
        if is_uid(uid) and uid == 0:
            found.append(("Running as Non-root user", where + ("securityContext", "runAsUser"),
                          f"{_label(container, where)} sets runAsUser: 0"))
    return found


def _seccomp_restricted(spec: dict[str, Any]) -> list[Violation]:
    found = []
    pod_type = _dict(security_context(spec), "seccompProfile").get("type")
    if pod_type is not None and pod_type not in SECCOMP_ALLOWED:
        found.append(("Seccomp", ("securityContext", "seccompProfile", "type"),
                      f"the pod sets seccomp profile {pod_type}"))
    pod_ok = pod_type in SECCOMP_ALLOWED
    for container, where in containers_of(spec):
        kind = _dict(security_context(container), "seccompProfile").get("type")
        if kind is not None and kind not in SECCOMP_ALLOWED:
            found.append(("Seccomp", where + ("securityContext", "seccompProfile", "type"),
                          f"{_label(container, where)} sets seccomp profile {kind}"))
        elif kind is None and not pod_ok:
            found.append(("Seccomp", where + ("securityContext", "seccompProfile", "type"),
                          f"neither {_label(container, where)} nor the pod sets a RuntimeDefault or "
                          "Localhost seccomp profile"))
    return found


def _capabilities_restricted(spec: dict[str, Any]) -> list[Violation]:
    found = []
    for container, where in containers_of(spec):
        capabilities = _dict(security_context(container), "capabilities")
        if "ALL" not in _list(capabilities, "drop"):
            found.append(("Capabilities", where + ("securityContext", "capabilities", "drop"),
                          f"{_label(container, where)} does not drop ALL capabilities"))
        for index, cap in enumerate(_list(capabilities, "add")):
            if cap not in RESTRICTED_ADDABLE_CAPABILITIES:
                found.append(("Capabilities", where + ("securityContext", "capabilities", "add", index),
                              f"{_label(container, where)} adds {cap}; only NET_BIND_SERVICE is allowed"))
    return found
