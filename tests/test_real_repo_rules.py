"""Issue 21, real repositories: false alarms and misses of the security and validity rules.

What the API server refuses although the schema lets it through (checked against
kubernetes/kubernetes pkg/apis/core/validation/validation.go), the peer case where kube-linter is
right, a secret-looking name holding a count, and what an RBAC wildcard reaches in the groups it
names. Each test goes through the public API (or the CLI) and pins rule, line, column and message.
"""

from __future__ import annotations

import json
import textwrap

from kubelint import Options, Severity, lint_text
from tests.conftest import run_cli


def _lint(text: str, rule: str) -> list[tuple[int, int, str]]:
    findings = lint_text(textwrap.dedent(text), "x.yaml", Options())
    assert [f.message for f in findings if f.rule == "internal-error"] == []
    return [(f.line, f.column, f.message) for f in findings if f.rule == rule]


def _pod(container: str) -> str:
    """A Pod with one container whose body (indented 4 spaces) is `container`."""
    head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n"
    return head + textwrap.indent(textwrap.dedent(container), "      ")


# ------------------------------------------------------------------------------ secret-in-env


def test_a_token_count_is_not_a_secret() -> None:
    text = _pod("""\
        env:
          - {name: MAX_TOTAL_TOKENS, value: "2048"}
          - {name: MAX_BATCH_PREFILL_TOKENS, value: "4096"}
          - {name: TOKEN_RATIO, value: "1.5"}
          - {name: TOKENIZER, value: hf-internal-testing/llama-tokenizer}
          - {name: API_TOKEN_AUTH, value: enabled}
        """)
    assert _lint(text, "secret-in-env") == []


def test_real_secrets_stay_reported_a_numeric_password_too() -> None:
    text = _pod("""\
        env:
          - {name: MYSQL_PASSWORD, value: "1234"}
          - {name: HUGGING_FACE_HUB_TOKEN, value: hf_AbCdEf0123456789}
          - {name: MAX_TOTAL_TOKENS, value: "2048"}
        """)
    assert _lint(text, "secret-in-env") == [
        (10, 41, "container `c` sets `MYSQL_PASSWORD` to a literal value in the manifest: anyone who can read "
                 "the manifest (or the pod) reads it; put it in a Secret and use `valueFrom.secretKeyRef`"),
        (11, 49, "container `c` sets `HUGGING_FACE_HUB_TOKEN` to a literal value in the manifest: anyone who can "
                 "read the manifest (or the pod) reads it; put it in a Secret and use `valueFrom.secretKeyRef`"),
    ]


# ------------------------------------------------------------------------------ invalid-probe


def test_a_probe_with_two_handlers_is_refused_as_the_server_does() -> None:
    text = _pod("""\
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
          tcpSocket: {port: 8080}
        startupProbe:
          exec: {command: [/bin/true]}
          grpc: {port: 9090}
        """)
    assert _lint(text, "invalid-probe") == [
        (11, 9, "livenessProbe of container `c` sets both `httpGet` and `tcpSocket`; a probe or hook takes "
                "exactly one handler, and the API server refuses the pod (\"may not specify more than 1 handler "
                "type\")"),
        (14, 9, "startupProbe of container `c` sets both `exec` and `grpc`; a probe or hook takes exactly one "
                "handler, and the API server refuses the pod (\"may not specify more than 1 handler type\")"),
    ]


def test_three_handlers_give_a_finding_for_each_extra_one() -> None:
    text = _pod("""\
        readinessProbe:
          exec: {command: [/bin/true]}
          httpGet: {path: /, port: 80}
          tcpSocket: {port: 80}
        """)
    assert [(line, column) for line, column, _ in _lint(text, "invalid-probe")] == [(11, 9), (12, 9)]


def test_success_threshold_must_be_1_on_liveness_and_startup_probes_only() -> None:
    text = _pod("""\
        livenessProbe:
          tcpSocket: {port: 8080}
          successThreshold: 2
        startupProbe:
          tcpSocket: {port: 8080}
          successThreshold: 0
        readinessProbe:
          tcpSocket: {port: 8080}
          successThreshold: 3
        """)
    assert _lint(text, "invalid-probe") == [
        (11, 27, "`successThreshold` of the livenessProbe of container `c` is 2; it must be 1 for liveness and "
                 "startup probes, and the API server refuses the pod (\"must be 1\")"),
    ]


def test_a_plain_init_container_s_probes_are_not_counted() -> None:
    text = textwrap.dedent("""\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          initContainers:
            - name: setup
              image: x:1
              livenessProbe:
                exec: {command: [/bin/true]}
                tcpSocket: {port: 80}
            - name: sidecar
              image: x:1
              restartPolicy: Always
              livenessProbe:
                exec: {command: [/bin/true]}
                tcpSocket: {port: 80}
          containers:
            - name: c
              image: x:1
        """)
    assert [(line, column) for line, column, _ in _lint(text, "invalid-probe")] == [(17, 9)]


# ------------------------------------------------------------------------------ extended resources, hugepages


def test_a_gpu_request_must_equal_its_limit() -> None:
    text = _pod("""\
        resources:
          requests: {nvidia.com/gpu: 1}
          limits: {nvidia.com/gpu: 2}
        """)
    assert _lint(text, "overcommitted-resource") == [
        (10, 36, "container `c`: nvidia.com/gpu request `1` differs from its limit `2`; nvidia.com/gpu is an "
                 "extended resource, which cannot be overcommitted: the request must equal the limit"),
    ]
    assert _lint(text, "requests-exceed-limits") == []


def test_a_request_above_the_limit_is_one_finding() -> None:
    text = _pod("""\
        resources:
          requests: {nvidia.com/gpu: 2, cpu: 2}
          limits: {nvidia.com/gpu: 1, cpu: 1}
        """)
    found = lint_text(text, "x.yaml", Options())
    # the server says only "must be equal to nvidia.com/gpu limit of 1" for the GPU, and
    # "must be less than or equal to cpu limit" for the CPU: one finding each
    assert sorted((f.rule, f.column) for f in found if f.line == 10 and f.severity == Severity.ERROR) == [
        ("overcommitted-resource", 36), ("requests-exceed-limits", 44)]


def test_extended_resource_and_hugepages_requests_need_a_limit() -> None:
    text = _pod("""\
        resources:
          requests:
            memory: 1Gi
            amd.com/gpu: 1
            hugepages-2Mi: 512Mi
          limits:
            memory: 1Gi
            squat.ai/fuse: 1
        """)
    assert _lint(text, "overcommitted-resource") == [
        (12, 24, "container `c` requests `1` of amd.com/gpu without a limit; amd.com/gpu is an extended resource, "
                 "which cannot be overcommitted: set `limits.amd.com/gpu` to the same value (a limit alone is "
                 "enough, the request defaults to it)"),
        (13, 26, "container `c` requests `512Mi` of hugepages-2Mi without a limit; hugepages-2Mi is a hugepages "
                 "resource, which cannot be overcommitted: set `limits.hugepages-2Mi` to the same value (a limit "
                 "alone is enough, the request defaults to it)"),
    ]


def test_hugepages_request_differing_from_the_limit_and_hugepages_alone() -> None:
    text = _pod("""\
        resources:
          requests: {hugepages-1Gi: 1Gi}
          limits: {hugepages-1Gi: 2Gi}
        """)
    assert [(line, column) for line, column, _ in _lint(text, "overcommitted-resource")] == [(9, 7), (10, 35)]


def test_a_fractional_extended_resource_is_refused() -> None:
    text = _pod("""\
        resources:
          requests: {nvidia.com/gpu: 0.5, cpu: 0.5}
          limits: {nvidia.com/gpu: 500m, cpu: 500m, vendor.kubernetes.io/x: 0.5}
        """)
    assert _lint(text, "invalid-quantity") == [
        (10, 36, "nvidia.com/gpu: `0.5` is not a whole number; nvidia.com/gpu is an extended resource, counted in "
                 "whole devices, and the API server refuses a fraction (\"must be an integer\")"),
        (11, 34, "nvidia.com/gpu: `500m` is not a whole number; nvidia.com/gpu is an extended resource, counted in "
                 "whole devices, and the API server refuses a fraction (\"must be an integer\")"),
    ]
    assert _lint(text, "overcommitted-resource") == []  # 0.5 and 500m are equal


# ------------------------------------------------------------------------------ probe-port-undeclared


def test_a_tcp_probe_on_a_port_declared_only_for_udp() -> None:
    text = _pod("""\
        ports:
          - {name: syslog, containerPort: 514, protocol: UDP}
          - {name: dns, containerPort: 53, protocol: UDP}
          - {name: dns-tcp, containerPort: 53, protocol: TCP}
        livenessProbe:
          tcpSocket: {port: syslog}
        readinessProbe:
          tcpSocket: {port: dns}
        startupProbe:
          httpGet: {path: /, port: 514}
        """)
    assert _lint(text, "probe-port-undeclared") == [
        (14, 27, "livenessProbe of container `c` probes port `syslog` over TCP (tcpSocket), but the container "
                 "declares that port only for UDP; unless the program also listens on TCP there, the probe fails: "
                 "declare the TCP port too, or probe another one"),
        (18, 34, "startupProbe of container `c` probes port `514` over TCP (httpGet), but the container declares "
                 "that port only for UDP; unless the program also listens on TCP there, the probe fails: declare "
                 "the TCP port too, or probe another one"),
    ]


# ------------------------------------------------------------------------------ rbac-wildcard


def _role(rules: str) -> str:
    return "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n" + \
        textwrap.dedent(rules)


def test_a_wildcard_in_another_group_does_not_claim_secrets() -> None:
    text = _role("""\
        - apiGroups: [kyverno.io]
          resources: ["*"]
          verbs: ["*"]
        """)
    assert _lint(text, "rbac-wildcard") == [
        (7, 15, "`*` in resources of this ClusterRole grants every resource of `kyverno.io`, including those that "
                "later versions of the group add; list the ones needed"),
        (8, 11, "`*` in verbs of this ClusterRole grants every verb, including delete and deletecollection; list "
                "the ones needed"),
    ]


def test_a_wildcard_in_the_core_group_names_secrets_and_exec() -> None:
    text = _role("""\
        - apiGroups: ["", apps]
          resources: ["*"]
          verbs: ["*"]
        - apiGroups: ["*"]
          resources: ["*"]
          verbs: [get]
        """)
    assert [m for _, _, m in _lint(text, "rbac-wildcard")] == [
        "`*` in resources of this ClusterRole grants every resource of the core API group and of `apps`, "
        "including Secrets, pods/exec and nodes/proxy; list the ones needed",
        "`*` in verbs of this ClusterRole grants every verb, including escalate, bind and impersonate where they "
        "apply; list the ones needed",
        "`*` in apiGroups of this ClusterRole grants every API group, including those that CRDs and later "
        "Kubernetes versions add; list the ones needed",
        "`*` in resources of this ClusterRole grants every resource, including Secrets, and those that CRDs and "
        "later Kubernetes versions add; list the ones needed",
    ]


# ------------------------------------------------------------------------------ hardening severities


def test_read_only_root_fs_is_info_and_the_pod_security_ones_stay_warnings(tmp_path) -> None:
    path = tmp_path / "web.yaml"
    path.write_text(_pod(""))
    code, out, _ = run_cli(["check", str(path), "-f", "json", "--fail-on", "never"])
    assert code == 0
    severity = {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}
    assert severity["read-only-root-fs"] == "info"
    assert [severity[r] for r in ("privilege-escalation", "capabilities-not-dropped", "run-as-root")] == \
        ["warning"] * 3
