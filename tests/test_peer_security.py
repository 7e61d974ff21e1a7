"""kubelint's security rules against the peers' own test fixtures (Polaris, kube-linter, checkov).

Each file in tests/fixtures/peers/security/ is a copy of one peer fixture, named
<tool>-<check>-<pass|fail>-<n>.yaml, with its source in a comment at the top. A peer "fail" case
must make the mapped kubelint rule fire at the offending field, a "pass" case must leave it quiet,
except for the known differences below, where the peer is wrong or means something else; for
those the test pins what kubelint says instead, so a change of behaviour is seen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubelint.engine.run import lint_text
from kubelint.options import Options

FIXTURES = Path(__file__).parent / "fixtures" / "peers" / "security"

# Fixture → (kubelint rule, the (line, column) of every finding of that rule). For a multi-object
# kube-linter or checkov file, the findings are on exactly the objects the peer's test reports.
EXPECTED: dict[str, tuple[str, list[tuple[int, int]]]] = {
    "checkov-CKV_K8S_16-fail-1": ("privileged-container", [(28, 23)]),
    "checkov-CKV_K8S_16-fail-2": ("privileged-container", [(15, 19)]),
    "checkov-CKV_K8S_16-fail-3": ("privileged-container", [(20, 19)]),
    "checkov-CKV_K8S_16-pass-1": ("privileged-container", []),
    "checkov-CKV_K8S_17-fail-1": ("host-pid", [(21, 20)]),
    "checkov-CKV_K8S_17-fail-2": ("host-pid", [(30, 12)]),
    "checkov-CKV_K8S_17-fail-3": ("host-pid", [(39, 16)]),
    "checkov-CKV_K8S_17-pass-1": ("host-pid", []),
    "checkov-CKV_K8S_18-fail-1": ("host-ipc", [(22, 20)]),
    "checkov-CKV_K8S_18-fail-2": ("host-ipc", [(31, 12)]),
    "checkov-CKV_K8S_18-fail-3": ("host-ipc", [(38, 16)]),
    "checkov-CKV_K8S_18-pass-1": ("host-ipc", []),
    "checkov-CKV_K8S_19-fail-1": ("host-network", [(23, 24)]),
    "checkov-CKV_K8S_19-fail-2": ("host-network", [(29, 16)]),
    "checkov-CKV_K8S_19-fail-3": ("host-network", [(37, 20)]),
    "checkov-CKV_K8S_19-pass-1": ("host-network", []),
    "checkov-CKV_K8S_20-fail-1": ("privilege-escalation", [(19, 15)]),
    "checkov-CKV_K8S_20-fail-2": ("privilege-escalation", [(22, 33)]),
    "checkov-CKV_K8S_20-pass-1": ("privilege-escalation", []),
    "checkov-CKV_K8S_20-pass-2": ("privilege-escalation", []),
    "checkov-CKV_K8S_20-pass-3": ("privilege-escalation", []),
    "checkov-CKV_K8S_22-fail-1": ("read-only-root-fs", [(21, 15)]),
    "checkov-CKV_K8S_22-fail-2": ("read-only-root-fs", [(14, 31)]),
    "checkov-CKV_K8S_22-pass-1": ("read-only-root-fs", []),
    "checkov-CKV_K8S_23-fail-1": ("run-as-root", [(9, 11), (26, 21), (35, 16), (57, 18)]),
    "checkov-CKV_K8S_23-fail-2": ("run-as-root", [(19, 15)]),
    "checkov-CKV_K8S_23-pass-1": ("run-as-root", []),
    "checkov-CKV_K8S_25-fail-1": ("dangerous-capabilities", []),
    "checkov-CKV_K8S_25-pass-1": ("dangerous-capabilities", []),
    "checkov-CKV_K8S_26-fail-1": ("host-port", [(24, 25)]),
    "checkov-CKV_K8S_26-pass-1": ("host-port", []),
    "checkov-CKV_K8S_27-fail-1": ("sensitive-host-mount", [(46, 19), (49, 19), (52, 19), (55, 19)]),
    "checkov-CKV_K8S_28-fail-1": ("capabilities-not-dropped", [(8, 13)]),
    "checkov-CKV_K8S_28-fail-2": ("capabilities-not-dropped", [(8, 13)]),
    "checkov-CKV_K8S_28-pass-1": ("capabilities-not-dropped", []),
    "checkov-CKV_K8S_28-pass-2": ("capabilities-not-dropped", []),
    "checkov-CKV_K8S_31-fail-1": ("seccomp-profile", [(16, 11)]),
    "checkov-CKV_K8S_31-fail-2": ("seccomp-profile", [(13, 11)]),
    "checkov-CKV_K8S_31-pass-1": ("seccomp-profile", [(18, 11)]),
    "checkov-CKV_K8S_31-pass-2": ("seccomp-profile", [(18, 11)]),
    "checkov-CKV_K8S_31-pass-3": ("seccomp-profile", []),
    "checkov-CKV_K8S_31-pass-4": ("seccomp-profile", []),
    "checkov-CKV_K8S_37-fail-1": ("capabilities-not-dropped", []),
    "checkov-CKV_K8S_37-fail-2": ("capabilities-not-dropped", [(8, 13)]),
    "checkov-CKV_K8S_37-pass-1": ("capabilities-not-dropped", []),
    "checkov-CKV_K8S_38-fail-1": ("automount-service-account-token", [(7, 1), (19, 33)]),
    "checkov-CKV_K8S_38-pass-1": ("automount-service-account-token", []),
    "checkov-CKV_K8S_39-fail-1": ("dangerous-capabilities", [(12, 17)]),
    "checkov-CKV_K8S_39-pass-1": ("dangerous-capabilities", []),
    "checkov-CKV_K8S_49-fail-1": ("rbac-wildcard", [(10, 15)]),
    "checkov-CKV_K8S_49-fail-2": ("rbac-wildcard", [(11, 22)]),
    "checkov-CKV_K8S_49-fail-3": ("rbac-wildcard", [(9, 15)]),
    "checkov-CKV_K8S_49-pass-1": ("rbac-wildcard", []),
    "checkov-CKV_K8S_49-pass-2": ("rbac-wildcard", []),
    "kube-linter-automount-service-account-token-fail-1": ("automount-service-account-token", [(21, 5), (33, 37)]),
    "kube-linter-cluster-admin-role-binding-fail-1": ("cluster-admin-binding", [(29, 9)]),
    "kube-linter-container-runtime-sock-fail-1": ("sensitive-host-mount", [(52, 17), (69, 17), (93, 17), (110, 17)]),
    "kube-linter-deprecated-service-account-field-fail-1": ("deprecated-service-account-field", [(28, 7), (37, 7)]),
    "kube-linter-docker-sock-fail-1": ("sensitive-host-mount", [(52, 17), (69, 17)]),
    "kube-linter-drop-net-raw-capability-fail-1": ("capabilities-not-dropped", [(11, 17), (23, 17), (35, 15), (49, 15)]),
    "kube-linter-env-var-secret-fail-1": ("secret-in-env", [(40, 18), (53, 18)]),
    "kube-linter-host-ipc-fail-1": ("host-ipc", [(28, 16), (37, 16)]),
    "kube-linter-host-network-fail-1": ("host-network", [(28, 20), (37, 20)]),
    "kube-linter-host-pid-fail-1": ("host-pid", [(28, 16), (37, 16)]),
    "kube-linter-no-read-only-root-fs-fail-1": ("read-only-root-fs", [(40, 35), (53, 35)]),
    "kube-linter-privilege-escalation-container-fail-1": ("privilege-escalation", [(40, 37), (53, 37)]),
    "kube-linter-privileged-container-fail-1": ("privileged-container", [(40, 23), (53, 23)]),
    "kube-linter-run-as-non-root-fail-1": ("run-as-root", [(45, 17), (58, 15)]),
    "kube-linter-sensitive-host-mounts-fail-1": ("sensitive-host-mount", [(21, 17), (41, 17)]),
    "kube-linter-sensitive-host-mounts-fail-2": ("sensitive-host-mount", [(21, 17)]),
    "kube-linter-sensitive-host-mounts-fail-3": ("sensitive-host-mount", [(21, 17)]),
    "kube-linter-sensitive-host-mounts-pass-1": ("sensitive-host-mount", []),
    "kube-linter-ssh-port-fail-1": ("ssh-port", [(42, 26), (56, 26), (70, 30)]),
    "kube-linter-unsafe-proc-mount-fail-1": ("unsafe-proc-mount", [(14, 22), (27, 22)]),
    "kube-linter-unsafe-sysctls-fail-1": ("unsafe-sysctls", [(15, 17), (29, 17)]),
    "kube-linter-wildcard-in-rules-fail-1": ("rbac-wildcard", [(21, 13)]),
    "kube-linter-writable-host-mount-fail-1": ("host-path-volume", [(21, 17), (41, 17)]),
    "polaris-automountServiceAccountToken-fail-1": ("automount-service-account-token", [(8, 33)]),
    "polaris-automountServiceAccountToken-fail-2": ("automount-service-account-token", [(8, 33)]),
    "polaris-automountServiceAccountToken-fail-3": ("automount-service-account-token", [(7, 1)]),
    "polaris-automountServiceAccountToken-pass-1": ("automount-service-account-token", []),
    "polaris-automountServiceAccountToken-pass-2": ("automount-service-account-token", []),
    "polaris-automountServiceAccountToken-pass-3": ("automount-service-account-token", []),
    "polaris-automountServiceAccountToken-pass-4": ("automount-service-account-token", []),
    "polaris-automountServiceAccountToken-pass-5": ("automount-service-account-token", []),
    "polaris-clusterrolePodExecAttach-fail-1": ("rbac-pod-exec", []),
    "polaris-clusterrolePodExecAttach-fail-2": ("rbac-pod-exec", []),
    "polaris-clusterrolePodExecAttach-pass-1": ("rbac-pod-exec", []),
    "polaris-clusterrolePodExecAttach-pass-2": ("rbac-pod-exec", []),
    "polaris-clusterrolebindingClusterAdmin-fail-1": ("cluster-admin-binding", [(19, 9)]),
    "polaris-clusterrolebindingClusterAdmin-fail-2": ("cluster-admin-binding", [(19, 9)]),
    "polaris-clusterrolebindingClusterAdmin-fail-3": ("cluster-admin-binding", [(10, 9)]),
    "polaris-clusterrolebindingClusterAdmin-fail-4": ("cluster-admin-binding", [(19, 9)]),
    "polaris-clusterrolebindingClusterAdmin-pass-1": ("cluster-admin-binding", []),
    "polaris-clusterrolebindingClusterAdmin-pass-2": ("cluster-admin-binding", []),
    "polaris-clusterrolebindingClusterAdmin-pass-3": ("cluster-admin-binding", []),
    "polaris-clusterrolebindingClusterAdmin-pass-4": ("cluster-admin-binding", []),
    "polaris-clusterrolebindingClusterAdmin-pass-5": ("cluster-admin-binding", [(19, 9)]),
    "polaris-dangerousCapabilities-fail-1": ("dangerous-capabilities", [(14, 15)]),
    "polaris-dangerousCapabilities-fail-2": ("dangerous-capabilities", [(14, 15)]),
    "polaris-dangerousCapabilities-fail-3": ("dangerous-capabilities", [(15, 11)]),
    "polaris-dangerousCapabilities-fail-4": ("dangerous-capabilities", [(15, 11)]),
    "polaris-dangerousCapabilities-pass-1": ("dangerous-capabilities", []),
    "polaris-hostIPCSet-fail-1": ("host-ipc", [(9, 12)]),
    "polaris-hostIPCSet-fail-2": ("host-ipc", []),
    "polaris-hostIPCSet-pass-1": ("host-ipc", []),
    "polaris-hostNetworkSet-fail-1": ("host-network", [(9, 16)]),
    "polaris-hostNetworkSet-pass-1": ("host-network", []),
    "polaris-hostPIDSet-fail-1": ("host-pid", [(9, 12)]),
    "polaris-hostPIDSet-pass-1": ("host-pid", []),
    "polaris-hostPathSet-fail-1": ("host-path-volume", [(15, 15)]),
    "polaris-hostPathSet-pass-1": ("host-path-volume", []),
    "polaris-hostPortSet-fail-1": ("host-port", [(14, 17)]),
    "polaris-hostPortSet-pass-1": ("host-port", []),
    "polaris-insecureCapabilities-fail-1": ("capabilities-not-dropped", [(10, 11)]),
    "polaris-insecureCapabilities-fail-2": ("capabilities-not-dropped", []),
    "polaris-insecureCapabilities-fail-3": ("capabilities-not-dropped", [(14, 11)]),
    "polaris-insecureCapabilities-pass-1": ("capabilities-not-dropped", []),
    "polaris-insecureCapabilities-pass-2": ("capabilities-not-dropped", []),
    "polaris-insecureCapabilities-pass-3": ("capabilities-not-dropped", []),
    "polaris-insecureCapabilities-pass-4": ("capabilities-not-dropped", []),
    "polaris-notReadOnlyRootFilesystem-fail-1": ("read-only-root-fs", [(15, 33)]),
    "polaris-notReadOnlyRootFilesystem-fail-2": ("read-only-root-fs", [(15, 13)]),
    "polaris-notReadOnlyRootFilesystem-fail-3": ("read-only-root-fs", [(11, 33)]),
    "polaris-notReadOnlyRootFilesystem-pass-1": ("read-only-root-fs", []),
    "polaris-notReadOnlyRootFilesystem-pass-2": ("read-only-root-fs", []),
    "polaris-privilegeEscalationAllowed-fail-1": ("privilege-escalation", [(15, 33)]),
    "polaris-privilegeEscalationAllowed-fail-2": ("privilege-escalation", [(12, 11)]),
    "polaris-privilegeEscalationAllowed-fail-3": ("privilege-escalation", [(10, 11)]),
    "polaris-privilegeEscalationAllowed-fail-4": ("privilege-escalation", [(13, 33)]),
    "polaris-privilegeEscalationAllowed-pass-1": ("privilege-escalation", []),
    "polaris-privilegeEscalationAllowed-pass-2": ("privilege-escalation", [(12, 11)]),
    "polaris-privilegeEscalationAllowed-pass-3": ("privilege-escalation", []),
    "polaris-procMount-fail-1": ("unsafe-proc-mount", [(16, 18)]),
    "polaris-procMount-pass-1": ("unsafe-proc-mount", []),
    "polaris-rolePodExecAttach-fail-1": ("rbac-pod-exec", [(10, 18)]),
    "polaris-rolePodExecAttach-fail-2": ("rbac-pod-exec", [(10, 18)]),
    "polaris-rolePodExecAttach-pass-1": ("rbac-pod-exec", []),
    "polaris-rolePodExecAttach-pass-2": ("rbac-pod-exec", []),
    "polaris-rolebindingClusterAdminClusterRole-fail-1": ("cluster-admin-binding", [(20, 9)]),
    "polaris-rolebindingClusterAdminClusterRole-fail-2": ("cluster-admin-binding", [(20, 9)]),
    "polaris-rolebindingClusterAdminClusterRole-fail-3": ("cluster-admin-binding", [(11, 9)]),
    "polaris-rolebindingClusterAdminClusterRole-fail-4": ("cluster-admin-binding", [(20, 9)]),
    "polaris-rolebindingClusterAdminClusterRole-pass-1": ("cluster-admin-binding", []),
    "polaris-rolebindingClusterAdminClusterRole-pass-2": ("cluster-admin-binding", []),
    "polaris-rolebindingClusterAdminClusterRole-pass-3": ("cluster-admin-binding", []),
    "polaris-rolebindingClusterAdminClusterRole-pass-4": ("cluster-admin-binding", []),
    "polaris-rolebindingClusterAdminClusterRole-pass-5": ("cluster-admin-binding", []),
    "polaris-rolebindingClusterAdminClusterRole-pass-6": ("cluster-admin-binding", [(20, 9)]),
    "polaris-rolebindingClusterAdminRole-fail-1": ("cluster-admin-binding", [(21, 9)]),
    "polaris-rolebindingClusterAdminRole-fail-2": ("cluster-admin-binding", [(23, 9)]),
    "polaris-rolebindingClusterAdminRole-pass-1": ("cluster-admin-binding", [(21, 9)]),
    "polaris-runAsPrivileged-fail-1": ("privileged-container", [(13, 19)]),
    "polaris-runAsPrivileged-fail-2": ("privileged-container", [(13, 19)]),
    "polaris-runAsPrivileged-fail-3": ("privileged-container", [(13, 19)]),
    "polaris-runAsPrivileged-fail-4": ("privileged-container", [(11, 19)]),
    "polaris-runAsPrivileged-pass-1": ("privileged-container", []),
    "polaris-runAsPrivileged-pass-2": ("privileged-container", []),
    "polaris-runAsPrivileged-pass-3": ("privileged-container", []),
    "polaris-runAsRootAllowed-fail-1": ("run-as-root", [(13, 25)]),
    "polaris-runAsRootAllowed-pass-1": ("run-as-root", []),
    "polaris-sensitiveContainerEnvVar-fail-1": ("secret-in-env", [(12, 14), (14, 14)]),
    "polaris-sensitiveContainerEnvVar-fail-2": ("secret-in-env", [(12, 14), (14, 14)]),
    "polaris-sensitiveContainerEnvVar-fail-3": ("secret-in-env", [(12, 14), (14, 14)]),
    "polaris-sensitiveContainerEnvVar-fail-4": ("secret-in-env", [(14, 14)]),
    "polaris-sensitiveContainerEnvVar-fail-5": ("secret-in-env", [(14, 14)]),
    "polaris-sensitiveContainerEnvVar-pass-1": ("secret-in-env", []),
    "polaris-sensitiveContainerEnvVar-pass-2": ("secret-in-env", []),
    "polaris-sensitiveContainerEnvVar-pass-3": ("secret-in-env", []),
}

# Fixture → why kubelint does not say what the peer says.
KNOWN_DIFFERENCES: dict[str, str] = {
    "kube-linter-drop-net-raw-capability-fail-1":
        "kube-linter does not report the two `dont-fire` objects, whose `capabilities:` is empty; an "
        "empty capabilities drops nothing, so NET_RAW is kept and kubelint reports them too (lines 11, 23)",
    "polaris-clusterrolePodExecAttach-fail-1":
        "resources `*` grants pods/exec among everything else: rbac-wildcard reports it (one problem, one "
        "finding), rbac-pod-exec names only explicit pods/exec, pods/attach and pods/*",
    "polaris-clusterrolePodExecAttach-fail-2":
        "resources `*` with create: reported by rbac-wildcard, not by rbac-pod-exec (one problem, one finding)",
    "polaris-clusterrolebindingClusterAdmin-pass-5":
        "Polaris exempts the GKE-managed binding name gce:podsecuritypolicy:calico-sa; kubelint keeps no "
        "list of vendor binding names: a user bound to an all-powerful role is reported (suppress it there)",
    "polaris-rolebindingClusterAdminClusterRole-pass-6":
        "the same GKE binding-name exemption as polaris-clusterrolebindingClusterAdmin-pass-5",
    "polaris-rolebindingClusterAdminRole-pass-1":
        "Polaris exempts any binding named `system:…`; users name their own bindings so too (the "
        "Kubernetes docs' cloud-controller-manager example binds a ServiceAccount to cluster-admin as "
        "`system:cloud-controller-manager`), so kubelint exempts only the API server's own bindings "
        "(subjects only system:masters, or the autoupdate annotation) and reports this user's grant",
    "polaris-hostIPCSet-fail-2":
        "the peer fixture is wrong: it sets a made-up `hostIPCSet: true` inside a container, which shares "
        "nothing with the node (unknown-field reports the field); Polaris' older copy of the fixture sets "
        "spec.hostIPC and is polaris-hostIPCSet-fail-1",
    "polaris-insecureCapabilities-fail-2":
        "Polaris demands that all 14 default capabilities be dropped one by one (this drops all but "
        "AUDIT_WRITE); kubelint, like kube-linter, takes dropping ALL or NET_RAW as enough by design",
    "polaris-privilegeEscalationAllowed-pass-2":
        "`allowPrivilegeEscalation` is not a field of the pod's securityContext (only of a container's): "
        "the pod-level false has no effect and the container allows escalation, so kubelint reports it",
    "checkov-CKV_K8S_25-fail-1":
        "checkov fails any added capability; dangerous-capabilities names those that reach the node. IPC_LOCK "
        "(mlock beyond the memory-lock limit, which the Kubernetes docs' Cassandra tutorial adds) is not one; "
        "the Baseline Pod Security Standard's list rejects it, which pod-security-violation reports per namespace",
    "checkov-CKV_K8S_31-pass-1":
        "the peer counts the seccomp.security.alpha.kubernetes.io/pod annotation; the kubelet stopped honouring "
        "it (deprecated in 1.19, removed in 1.27, KEP-135): only securityContext.seccompProfile sets a profile "
        "now, so this pod runs Unconfined and kubelint reports it",
    "checkov-CKV_K8S_31-pass-2":
        "the runtime/default form of the annotation in checkov-CKV_K8S_31-pass-1: ignored by current kubelets",
    "checkov-CKV_K8S_37-fail-1":
        "checkov CKV_K8S_37 passes only `drop: [ALL]`; kubelint, like kube-linter and checkov's own CKV_K8S_28, "
        "takes dropping NET_RAW as enough by design (as for polaris-insecureCapabilities-fail-2)",
}

_NAME = re.compile(r"(?P<tool>polaris|kube-linter|checkov)-(?P<check>.+)-(?P<verdict>pass|fail)-\d+")


def _findings(name: str, rule: str) -> list[tuple[int, int]]:
    text = (FIXTURES / f"{name}.yaml").read_text()
    findings = lint_text(text, f"{name}.yaml", Options(rules={rule: {"enabled": True}}))
    assert [f.message for f in findings if f.rule == "internal-error"] == []
    return [(f.line, f.column) for f in findings if f.rule == rule]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_peer_case(name: str) -> None:
    rule, expected = EXPECTED[name]
    assert _findings(name, rule) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expectations_follow_the_peer_unless_a_difference_is_documented(name: str) -> None:
    verdict = _NAME.fullmatch(name)
    assert verdict is not None, name
    if name in KNOWN_DIFFERENCES:
        return
    fires = bool(EXPECTED[name][1])
    assert fires == (verdict["verdict"] == "fail"), f"{name}: agrees with the peer or needs a known difference"


def test_every_fixture_has_an_expectation_and_a_source() -> None:
    files = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert files == set(EXPECTED)
    assert set(KNOWN_DIFFERENCES) <= files
    for path in FIXTURES.glob("*.yaml"):
        assert path.read_text().startswith("# source: "), path.name


def test_agreement_figures() -> None:
    """The count the report quotes: peer cases, and how many kubelint agrees with."""
    assert len(EXPECTED) == 169
    assert len(EXPECTED) - len(KNOWN_DIFFERENCES) == 156
