"""Pod security facts and the Pod Security Standards, as the PodSecurity admission plugin judges them."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.kube.security import (
    capability,
    effective_field,
    is_windows,
    normal_host_path,
    pss_violations,
    root_status,
    safe_sysctls,
    sysctl_name,
)


def pod(*containers: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"containers": list(containers) or [{"name": "app", "image": "app:1"}], **spec}


def app(**security: Any) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "image": "app:1"}
    if security:
        container["securityContext"] = security
    return container


# A pod that passes Restricted: what the tests below break one field at a time.
RESTRICTED_OK = {
    "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
    "containers": [{"name": "app", "image": "app:1", "securityContext": {
        "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}}],
    "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "conf", "configMap": {"name": "c"}}],
}


def controls(spec: dict[str, Any], level: str, **kwargs: Any) -> list[tuple[str, tuple[Any, ...]]]:
    return [(control, path) for control, path, _ in pss_violations(spec, level, **kwargs)]


def restricted_with(**changes: Any) -> dict[str, Any]:
    import copy

    spec = copy.deepcopy(RESTRICTED_OK)
    for key, value in changes.items():
        spec[key] = value
    return spec


# ------------------------------------------------------------------------------ basic facts


def test_the_container_overrides_the_pod_level_field() -> None:
    spec = pod(securityContext={"runAsUser": 0})
    assert effective_field(app(runAsUser=1000), spec, "runAsUser") == (1000, "container")
    assert effective_field(app(), spec, "runAsUser") == (0, "pod")
    assert effective_field(app(), pod(), "runAsUser") == (None, None)
    assert effective_field("junk", {"securityContext": "junk"}, "runAsUser") == (None, None)


@pytest.mark.parametrize("container,spec,status", [
    (app(), pod(), "unknown"),
    (app(runAsUser=1000), pod(), "non-root"),  # a non-zero UID without runAsNonRoot is not root
    (app(runAsUser=1000, runAsNonRoot=False), pod(), "non-root"),
    (app(), pod(securityContext={"runAsNonRoot": True}), "non-root"),
    (app(runAsNonRoot=False), pod(securityContext={"runAsNonRoot": True}), "allowed"),
    (app(), pod(securityContext={"runAsUser": 0}), "uid-zero"),
    (app(runAsUser=0, runAsNonRoot=True), pod(), "uid-zero"),  # the kubelet refuses it; still root
    (app(runAsUser=5), pod(securityContext={"runAsUser": 0}), "non-root"),
    (app(runAsUser=True), pod(), "unknown"),  # a boolean is not a UID
    (app(runAsUser="1000"), pod(), "unknown"),  # a string is a schema finding, not a UID
    (app(windowsOptions={"runAsUserName": "ContainerUser"}), pod(os={"name": "windows"}), "non-root"),
    (app(windowsOptions={"runAsUserName": "ContainerAdministrator"}), pod(os={"name": "windows"}), "unknown"),
])
def test_root_status(container: dict[str, Any], spec: dict[str, Any], status: str) -> None:
    assert root_status(container, spec)[0] == status


def test_root_status_says_where_the_deciding_value_is() -> None:
    assert root_status(app(), pod(securityContext={"runAsUser": 0})) == ("uid-zero", "pod", "runAsUser")
    assert root_status(app(runAsNonRoot=True), pod()) == ("non-root", "container", "runAsNonRoot")


def test_capability_names_are_compared_without_prefix_and_case() -> None:
    assert capability("cap_sys_admin") == capability("SYS_ADMIN") == "SYS_ADMIN"
    assert capability(" all ") == "ALL"


def test_sysctl_names_with_slashes() -> None:
    assert sysctl_name("net/ipv4/ip_local_port_range") == "net.ipv4.ip_local_port_range"
    assert sysctl_name("net.ipv4.conf.eth0/100.rp_filter") == "net.ipv4.conf.eth0/100.rp_filter"
    assert sysctl_name("net/ipv4/conf/eth0.100/rp_filter") == "net.ipv4.conf.eth0/100.rp_filter"


def test_safe_sysctls_grow_with_the_version() -> None:
    assert "net.ipv4.tcp_keepalive_time" not in safe_sysctls((1, 28))
    assert "net.ipv4.tcp_keepalive_time" in safe_sysctls((1, 29))
    assert "net.ipv4.ip_local_reserved_ports" in safe_sysctls()
    assert "net.core.somaxconn" not in safe_sysctls()


def test_host_paths_are_normalised() -> None:
    assert normal_host_path("/var/run/") == "/var/run"
    assert normal_host_path("//etc/./") == "/etc"
    assert normal_host_path("/") == "/"


def test_windows() -> None:
    assert is_windows({"os": {"name": "windows"}})
    assert not is_windows({"os": {"name": "linux"}}) and not is_windows({}) and not is_windows(None)


# ------------------------------------------------------------------------------ baseline


def test_a_default_pod_passes_baseline_and_fails_restricted() -> None:
    spec = pod()
    assert pss_violations(spec, "baseline") == []
    assert {c for c, _ in controls(spec, "restricted")} == {
        "Privilege Escalation", "Running as Non-root", "Seccomp", "Capabilities"}


def test_the_restricted_model_pod_passes_both_levels() -> None:
    assert pss_violations(RESTRICTED_OK, "baseline") == []
    assert pss_violations(RESTRICTED_OK, "restricted") == []


@pytest.mark.parametrize("spec,expected", [
    (pod(hostNetwork=True, hostPID=False), [("Host Namespaces", ("hostNetwork",))]),
    (pod(app(privileged=True)), [("Privileged Containers", ("containers", 0, "securityContext", "privileged"))]),
    (pod(app(capabilities={"add": ["CHOWN", "SYS_ADMIN"]})),
     [("Capabilities", ("containers", 0, "securityContext", "capabilities", "add", 1))]),
    (pod(volumes=[{"name": "h", "hostPath": {"path": "/var/log"}}]),
     [("HostPath Volumes", ("volumes", 0, "hostPath"))]),
    (pod({"name": "a", "ports": [{"containerPort": 80, "hostPort": 0}, {"containerPort": 81, "hostPort": 81}]}),
     [("Host Ports", ("containers", 0, "ports", 1, "hostPort"))]),
    (pod(app(procMount="Unmasked")), [("/proc Mount Type", ("containers", 0, "securityContext", "procMount"))]),
    (pod(securityContext={"seccompProfile": {"type": "Unconfined"}}),
     [("Seccomp", ("securityContext", "seccompProfile", "type"))]),
    (pod(securityContext={"sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"},
                                      {"name": "kernel.msgmax", "value": "1"}]}),
     [("Sysctls", ("securityContext", "sysctls", 1, "name"))]),
    (pod(securityContext={"seLinuxOptions": {"type": "spc_t", "level": "s0:c1"}}),
     [("SELinux", ("securityContext", "seLinuxOptions", "type"))]),
    (pod(app(seLinuxOptions={"type": "container_t", "user": "system_u"})),
     [("SELinux", ("containers", 0, "securityContext", "seLinuxOptions", "user"))]),
    (pod(securityContext={"appArmorProfile": {"type": "Unconfined"}}),
     [("AppArmor", ("securityContext", "appArmorProfile", "type"))]),
    (pod(app(windowsOptions={"hostProcess": True})),
     [("HostProcess", ("containers", 0, "securityContext", "windowsOptions", "hostProcess"))]),
    (pod({"name": "a", "livenessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}}),
     [("Host Probes / Lifecycle Hooks", ("containers", 0, "livenessProbe", "httpGet", "host"))]),
    (pod({"name": "a", "lifecycle": {"preStop": {"tcpSocket": {"host": "db", "port": 5432}}}}),
     [("Host Probes / Lifecycle Hooks", ("containers", 0, "lifecycle", "preStop", "tcpSocket", "host"))]),
])
def test_baseline_controls(spec: dict[str, Any], expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert controls(spec, "baseline") == expected


def test_baseline_allows_what_the_standard_allows() -> None:
    spec = pod(app(capabilities={"add": list(("AUDIT_WRITE", "CHOWN", "NET_BIND_SERVICE", "SYS_CHROOT"))},
                   seLinuxOptions={"type": "container_init_t", "level": "s0:c123,c456"},
                   appArmorProfile={"type": "Localhost", "localhostProfile": "k8s-apparmor"},
                   seccompProfile={"type": "Localhost", "localhostProfile": "p.json"}, procMount="Default",
                   privileged=False),
               hostNetwork=False, securityContext={"sysctls": [{"name": "net/ipv4/ip_local_port_range"}]})
    assert pss_violations(spec, "baseline") == []


def test_every_container_list_counts() -> None:
    spec = pod(app(), initContainers=[app(privileged=True)], ephemeralContainers=[app(privileged=True)])
    assert [path for _, path in controls(spec, "baseline")] == [
        ("initContainers", 0, "securityContext", "privileged"),
        ("ephemeralContainers", 0, "securityContext", "privileged")]


def test_capability_names_are_exact_for_admission() -> None:
    # PodSecurity compares the strings: `cap_chown` is not in the default set as written.
    assert controls(pod(app(capabilities={"add": ["cap_chown"]})), "baseline") == [
        ("Capabilities", ("containers", 0, "securityContext", "capabilities", "add", 0))]


def test_versioned_controls() -> None:
    probe = pod({"name": "a", "readinessProbe": {"tcpSocket": {"host": "x", "port": 1}}})
    assert controls(probe, "baseline", kubernetes_version=(1, 33)) == []
    assert len(controls(probe, "baseline", kubernetes_version=(1, 34))) == 1
    engine = pod(securityContext={"seLinuxOptions": {"type": "container_engine_t"}})
    assert len(controls(engine, "baseline", kubernetes_version=(1, 30))) == 1
    assert controls(engine, "baseline", kubernetes_version=(1, 31)) == []
    keepalive = pod(securityContext={"sysctls": [{"name": "net.ipv4.tcp_keepalive_probes"}]})
    assert len(controls(keepalive, "baseline", kubernetes_version=(1, 28))) == 1
    assert controls(keepalive, "baseline", kubernetes_version=(1, 29)) == []


def test_a_user_namespaced_pod_may_run_as_uid_0_from_1_35() -> None:
    """PodSecurity 1.35+ skips runAsNonRoot, runAsUser and the baseline procMount check for
    `hostUsers: false`; before, only an alpha feature gate (off by default) did."""
    root = pod(app(runAsUser=0, procMount="Unmasked"), hostUsers=False,
               securityContext={"seccompProfile": {"type": "RuntimeDefault"}})
    root["containers"][0]["securityContext"].update(
        allowPrivilegeEscalation=False, capabilities={"drop": ["ALL"]})
    assert controls(root, "baseline") == []
    assert controls(root, "baseline", kubernetes_version=(1, 37)) == []
    assert [c for c, _ in controls(root, "baseline", kubernetes_version=(1, 34))] == ["/proc Mount Type"]
    # the restricted procMount check still forbids Unmasked; nothing else is left
    assert [c for c, _ in controls(root, "restricted")] == ["/proc Mount Type"]
    assert sorted(c for c, _ in controls(root, "restricted", kubernetes_version=(1, 34))) == [
        "/proc Mount Type", "Running as Non-root", "Running as Non-root user"]
    host_users = pod(app(runAsUser=0), hostUsers=True)
    assert "Running as Non-root user" in [c for c, _ in controls(host_users, "restricted")]


def test_annotations_of_the_pod_template() -> None:
    notes = {"container.apparmor.security.beta.kubernetes.io/app": "unconfined",
             "container.apparmor.security.beta.kubernetes.io/side": "localhost/profile",
             "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
             "example.com/other": "unconfined"}
    assert controls(pod(), "baseline", annotations=notes) == [
        ("AppArmor", ("..", "metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app")),
        ("Seccomp", ("..", "metadata", "annotations", "seccomp.security.alpha.kubernetes.io/pod"))]


# ------------------------------------------------------------------------------ restricted


@pytest.mark.parametrize("changes,expected", [
    ({"volumes": [{"name": "n", "nfs": {"server": "s", "path": "/"}}]}, [("Volume Types", ("volumes", 0, "nfs"))]),
    ({"volumes": [{"name": "h", "hostPath": {"path": "/tmp"}}]}, [("Volume Types", ("volumes", 0, "hostPath"))]),
    ({"volumes": [{"name": "c", "csi": {"driver": "d"}}, {"name": "e", "ephemeral": {}},
                  {"name": "p", "projected": {"sources": []}}, {"name": "d", "downwardAPI": {}},
                  {"name": "s", "secret": {"secretName": "s"}}, {"name": "v", "persistentVolumeClaim": {"claimName": "v"}},
                  {"name": "defaulted"}]},  # the API server makes a volume without a source an emptyDir
     []),
    ({"securityContext": {"runAsNonRoot": True, "runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}}},
     [("Running as Non-root user", ("securityContext", "runAsUser"))]),
    ({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
     [("Running as Non-root", ("containers", 0, "securityContext", "runAsNonRoot"))]),
    ({"securityContext": {"runAsNonRoot": False, "seccompProfile": {"type": "RuntimeDefault"}}},
     [("Running as Non-root", ("securityContext", "runAsNonRoot")),
      ("Running as Non-root", ("containers", 0, "securityContext", "runAsNonRoot"))]),
    ({"securityContext": {"runAsNonRoot": True}},
     [("Seccomp", ("containers", 0, "securityContext", "seccompProfile", "type"))]),
    ({"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "Unconfined"}}},
     [("Seccomp", ("securityContext", "seccompProfile", "type")),
      ("Seccomp", ("containers", 0, "securityContext", "seccompProfile", "type"))]),
])
def test_restricted_pod_level_controls(changes: dict[str, Any], expected: list[Any]) -> None:
    assert controls(restricted_with(**changes), "restricted") == expected


def test_restricted_container_controls() -> None:
    container = {"name": "app", "securityContext": {
        "runAsNonRoot": False, "runAsUser": 0, "allowPrivilegeEscalation": True,
        "seccompProfile": {"type": "Unconfined"}, "capabilities": {"drop": ["NET_RAW"], "add": ["CHOWN"]}}}
    spec = restricted_with(containers=[container])
    at = ("containers", 0, "securityContext")
    assert controls(spec, "restricted") == [
        ("Running as Non-root", at + ("runAsNonRoot",)),
        ("Running as Non-root user", at + ("runAsUser",)),
        ("Privilege Escalation", at + ("allowPrivilegeEscalation",)),
        ("Seccomp", at + ("seccompProfile", "type")),
        ("Capabilities", at + ("capabilities", "drop")),
        ("Capabilities", at + ("capabilities", "add", 0)),
    ]


def test_container_settings_satisfy_restricted_without_pod_settings() -> None:
    container = {"name": "app", "securityContext": {
        "runAsNonRoot": True, "allowPrivilegeEscalation": False, "seccompProfile": {"type": "Localhost"},
        "capabilities": {"drop": ["ALL"]}}}
    assert pss_violations({"containers": [container], "initContainers": [container]}, "restricted") == []


def test_restricted_replaces_its_baseline_namesakes() -> None:
    spec = restricted_with(volumes=[{"name": "h", "hostPath": {"path": "/x"}}])
    spec["containers"][0]["securityContext"]["capabilities"]["add"] = ["SYS_ADMIN"]
    found = controls(spec, "restricted")
    assert ("HostPath Volumes", ("volumes", 0, "hostPath")) not in found
    assert found.count(("Capabilities", ("containers", 0, "securityContext", "capabilities", "add", 0))) == 1


def test_windows_pods_are_exempt_from_the_linux_only_restricted_controls() -> None:
    spec = pod(os={"name": "windows"}, securityContext={"runAsNonRoot": True})
    assert pss_violations(spec, "restricted") == []
    # Baseline and Running as Non-root still apply.
    spec = pod(app(privileged=True), os={"name": "windows"})
    assert {c for c, _ in controls(spec, "restricted")} == {"Privileged Containers", "Running as Non-root"}


def test_odd_input_never_raises() -> None:
    for junk in ({"containers": "x"}, {"containers": [None, 1, {"securityContext": []}]},
                 {"volumes": [None, "x", {"name": "v"}]}, {"securityContext": {"sysctls": [None, {"name": 5}]}},
                 {"containers": [{"ports": [None, {"hostPort": "80"}], "lifecycle": "x", "livenessProbe": []}]}):
        for level in ("baseline", "restricted"):
            pss_violations(junk, level, annotations={1: 2})  # type: ignore[dict-item]
    assert pss_violations("junk", "baseline") == []  # type: ignore[arg-type]


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="baseline or restricted"):
        pss_violations(pod(), "privileged")


def test_reasons_name_the_container() -> None:
    [(_, _, reason)] = pss_violations(pod(app(privileged=True)), "baseline")
    assert reason == "container app is privileged"
