"""The words of sensitive-host-mount follow the mount: a read-only mount is not called writable."""

from __future__ import annotations

from kubelint.engine.run import lint_text
from kubelint.options import Options

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: konnectivity-server, namespace: kube-system}
spec:
  containers:
    - name: server
      image: registry.k8s.io/kas-network-proxy/proxy-server:v0.0.32
      volumeMounts:
        - {name: certs, mountPath: /etc/kubernetes/pki, readOnly: true}
        - {name: uds, mountPath: /etc/kubernetes/konnectivity-server}
  volumes:
    - {name: certs, hostPath: {path: /etc/kubernetes/pki}}
    - {name: uds, hostPath: {path: /etc/kubernetes/konnectivity-server, type: DirectoryOrCreate}}
"""


def test_read_only_and_writable_mounts_get_their_own_message() -> None:
    findings = lint_text(POD, "pod.yaml", Options(only=["sensitive-host-mount"]))
    messages = {f.line: f.message for f in findings}
    assert sorted(messages) == [12, 13]
    assert "read-only: a process in the pod can still read" in messages[12]
    assert "can write there" not in messages[12]
    assert "a process in the pod that can write there controls the node" in messages[13]
