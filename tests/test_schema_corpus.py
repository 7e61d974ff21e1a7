"""The real-world corpus: schema errors only where the API server would reject the object.

Every schema-invalid / unknown-field finding on ../shared/corpus is listed here with the reason
it is a real defect; anything else is a false positive (or a missed one) and fails the test.
"""

from __future__ import annotations

from collections import Counter

REAL_DEFECTS = [
    # policy/v1 never served PodSecurityPolicy; policy/v1beta1 did until 1.25.
    ("istio-samples/samples/security/psp/sidecar-psp.yaml", 2, 7, "schema-invalid", "kind"),
    # The ClusterFederatedTrustDomain CRD of spire-quickstart.yaml has no spec.className.
    ("istio-samples/samples/security/spire-trust-domain-federation/cluster-federated-trust-domain.yaml",
     6, 3, "unknown-field", "spec.className"),
    # `spec.version` is apiextensions v1beta1; this CRD says apiextensions.k8s.io/v1.
    ("kubernetes-dashboard/modules/web/cypress/fixtures/crd.yaml", 21, 3, "unknown-field", "spec.version"),
    # Initializers were removed in Kubernetes 1.14.
    ("kubernetes-examples/_archived/cloud-controller-manager/persistent-volume-label-initializer-config.yaml",
     1, 7, "schema-invalid", "kind"),
    # (The legacy kube-scheduler Policy files are tool configs, skipped like kubeconfigs.)
    # Protocols are case-sensitive: the API server refuses "tcp" (enums.yaml).
    ("kubernetes-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml", 12, 21, "schema-invalid",
     "spec.containers[0].ports[0].protocol"),
    ("kubernetes-examples/_archived/volumes/cinder/cinder-web.yaml", 12, 21, "schema-invalid",
     "spec.containers[0].ports[0].protocol"),
    # A placeholder ("<ADD LUN ID Here>") where an integer must be.
    ("kubernetes-examples/_archived/volumes/fibre_channel/fc.yaml", 17, 13, "schema-invalid", "spec.volumes[0].fc.lun"),
    # StorageClass parameters written into an RBD volume source, which has no such fields.
    ("kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 25, 9, "unknown-field", "spec.volumes[0].rbd.imageformat"),
    ("kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 26, 9, "unknown-field", "spec.volumes[0].rbd.imagefeatures"),
    # A typo: protectionDoamin.
    ("kubernetes-examples/_archived/volumes/scaleio/pod.yaml", 17, 7, "unknown-field",
     "spec.volumes[0].scaleIO.protectionDoamin"),
    # StorageOS volume sources take secretRef, and have no pool.
    ("kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml", 35, 9, "unknown-field",
     "spec.volumes[0].storageos.pool"),
    ("kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml", 22, 5, "unknown-field",
     "spec.storageos.secretName"),
    # (alertmanager-crd-conversion/patch.json, a `kubectl patch` file, is partial by its name:
    # it is checked for what it sets, never for the CRD fields it leaves out.)
    # Snippets without metadata (the API server needs a name) and without the selector that
    # the PodMonitor / ServiceMonitor CRDs require.
    ("prometheus-operator/example/user-guides/scrapeclass/scrapeclass-example-definition.yaml",
     1, 1, "schema-invalid", "metadata.name"),
    ("prometheus-operator/example/user-guides/scrapeclass/scrapeclass-example-podmonitor.yaml",
     1, 1, "schema-invalid", "metadata.name"),
    ("prometheus-operator/example/user-guides/scrapeclass/scrapeclass-example-podmonitor.yaml",
     3, 1, "schema-invalid", "spec.selector"),
    ("prometheus-operator/example/user-guides/scrapeclass/scrapeclass-example-servicemonitor.yaml",
     5, 1, "schema-invalid", "spec.selector"),
    # A placeholder ("<endpoint>") where the CRD wants an http(s) URL.
    ("rook/deploy/examples/object-multisite-pull-realm-test.yaml", 28, 15, "schema-invalid", "spec.pull.endpoint"),
    ("rook/deploy/examples/object-multisite-pull-realm.yaml", 29, 15, "schema-invalid", "spec.pull.endpoint"),
]


def test_schema_errors_on_the_corpus_are_the_known_real_defects(corpus_report) -> None:
    findings = corpus_report[1]["findings"]
    schema = [(f["file"].split("corpus/", 1)[1], f["line"], f["column"], f["rule"], f["path"])
              for f in findings if f["rule"] in ("schema-invalid", "unknown-field")]
    assert schema == REAL_DEFECTS
    # Custom resources whose CRDs are not in the corpus (Istio, Gateway API, ...) are skipped
    # with a warning, and every CRD in the corpus is used: none of its resources is unknown.
    unknown = Counter(f["object"]["apiVersion"].split("/")[0] for f in findings if f["rule"] == "unknown-kind")
    assert "monitoring.coreos.com" not in unknown and "ceph.rook.io" not in unknown
    assert unknown["networking.istio.io"] > 0
