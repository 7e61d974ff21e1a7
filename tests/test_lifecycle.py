"""The API lifecycle derived from the shipped schemas, merged with the hand table."""

from __future__ import annotations

import pytest

from kubelint.engine.linter import Linter
from kubelint.kube.deprecations import lifecycle_table, version
from kubelint.kube.lifecycle import all_removals, lifecycle, served_ranges, successor
from kubelint.kube.versions import supported_versions
from kubelint.options import Options
from kubelint.source import load_text


def _findings(text: str, target: tuple[int, int], schema_only: bool = False) -> list[tuple[str, str]]:
    linter = _linter(target, schema_only)
    found = linter.lint_source(load_text(text, "x.yaml")).findings
    return [(f.rule, f.message) for f in found]


_LINTERS: dict[tuple[tuple[int, int], bool], Linter] = {}


def _linter(target: tuple[int, int], schema_only: bool) -> Linter:
    key = (target, schema_only)
    if key not in _LINTERS:
        _LINTERS[key] = Linter(Options(kubernetes_version=target, schema_only=schema_only))
    return _LINTERS[key]


def _disappearances() -> list[tuple[str, str, tuple[int, int], tuple[int, int]]]:
    """(apiVersion, kind, last served, a target that no longer serves it), one per kind and target."""
    newest = supported_versions()[-1]
    out = []
    for (api, kind), (_, last) in sorted(served_ranges().items()):
        if last < newest:
            for target in supported_versions():
                if target > last:
                    out.append((api, kind, last, target))
    return out


def test_the_schemas_show_removals() -> None:
    gone = {(a, k) for a, k, _, _ in _disappearances()}
    assert ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy") in gone
    assert ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyList") in gone
    assert ("networking.k8s.io/v1beta1", "IPAddress") in gone
    assert ("v1", "Status") not in gone  # not a resource: it comes and goes in the schemas
    entry = lifecycle("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy")
    assert entry is not None
    assert entry["removedIn"] == (1, 34) and entry["lastServed"] == (1, 33) and entry["deprecatedIn"] == (1, 31)


def test_every_disappearance_is_a_removed_api_finding_and_nothing_else() -> None:
    cases = _disappearances()
    assert len(cases) > 300
    wrong = []
    for api, kind, last, target in cases:
        text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n"
        if kind.endswith("List"):
            text = f"apiVersion: {api}\nkind: {kind}\nitems: []\n"
        found = _findings(text, target)
        rules = [rule for rule, _ in found]
        message = found[0][1] if found else ""
        if rules != ["removed-api"] or "did you mean" in message or f"last served by {last[0]}.{last[1]}" not in message:
            wrong.append((api, kind, target, found))
    assert wrong == []


@pytest.mark.parametrize("target", [(1, 34), (1, 37)])
def test_schema_only_names_the_removal_not_a_lookalike(target: tuple[int, int]) -> None:
    text = "apiVersion: admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: x}\n"
    found = _findings(text, target, schema_only=True)
    assert len(found) == 1
    rule, message = found[0]
    assert rule == "schema-invalid"
    assert "did you mean" not in message
    assert "no longer served since Kubernetes 1.34" in message and "admissionregistration.k8s.io/v1" in message


def test_deprecation_ahead_of_removal() -> None:
    text = "apiVersion: admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: x}\n"
    assert [r for r, _ in _findings(text, (1, 30))] == []
    found = _findings(text, (1, 31))
    assert [r for r, _ in found] == ["deprecated-api"]
    assert "removed in 1.34" in found[0][1] and "admissionregistration.k8s.io/v1 " in found[0][1]
    ip = "apiVersion: networking.k8s.io/v1beta1\nkind: IPAddress\nmetadata: {name: 10.0.0.1}\n"
    assert [r for r, _ in _findings(ip, (1, 34))] == ["deprecated-api"]
    assert [r for r, _ in _findings(ip, (1, 33))] == []
    claim = "apiVersion: resource.k8s.io/v1beta2\nkind: ResourceClaim\nmetadata: {name: x}\nspec: {}\n"
    assert [r for r, _ in _findings(claim, (1, 36))] == ["deprecated-api"]
    assert [r for r, _ in _findings(claim, (1, 35))] == []


def test_an_alpha_removal_is_announced_before_it_happens() -> None:
    text = "apiVersion: networking.k8s.io/v1alpha1\nkind: ClusterCIDR\nmetadata: {name: x}\n"
    found = _findings(text, (1, 27))
    assert [r for r, _ in found] == ["deprecated-api"]
    assert "served until Kubernetes 1.28 only" in found[0][1]


def test_the_successor_is_served_at_the_target() -> None:
    entry = lifecycle("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema")
    assert entry is not None
    assert successor(entry, (1, 26)) == ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema")
    assert successor(entry, (1, 37)) == ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema")


def test_the_table_agrees_with_the_schemas() -> None:
    """A removal the table states inside the shipped range must be what the schemas show."""
    oldest, newest = supported_versions()[0], supported_versions()[-1]
    for (api, kind), hand in lifecycle_table().items():
        removed = version(hand.get("removedIn"))
        span = served_ranges().get((api, kind))
        if removed is None or not (oldest < removed <= newest):
            continue
        assert span is not None, (api, kind)
        assert (span[1][0], span[1][1] + 1) == removed, (api, kind, span, removed)


def test_removals_include_table_only_entries() -> None:
    keys = {(e["apiVersion"], e["kind"]) for e in all_removals()}
    assert ("extensions/v1beta1", "Ingress") in keys
    assert ("batch/v1beta1", "CronJob") in keys


def test_well_known_custom_resources() -> None:
    cert = ("apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata: {name: x}\n"
            "spec: {secretName: s, issuerRef: {name: i}}\n")
    found = _findings(cert, (1, 37))
    assert ("deprecated-api" in [r for r, _ in found])
    message = next(m for r, m in found if r == "deprecated-api")
    assert "cert-manager 1.6" in message and "cert-manager.io/v1" in message
    served_crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: certificates.cert-manager.io}\n"
        "spec:\n  group: cert-manager.io\n  scope: Namespaced\n"
        "  names: {kind: Certificate, plural: certificates}\n"
        "  versions:\n  - name: v1alpha2\n    served: true\n    storage: true\n"
        "    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}\n---\n")
    linter = _linter((1, 37), False)
    source = load_text(served_crd + cert, "x.yaml")
    assert linter.schema is not None
    from kubelint.engine.documents import crds_of
    linter.schema.replace_crds(crds_of(source.documents))
    try:
        found_with_crd = linter.lint_source(source).findings
    finally:
        linter.schema.replace_crds([])
    assert "deprecated-api" not in [f.rule for f in found_with_crd]
    snapshot = "apiVersion: snapshot.storage.k8s.io/v1beta1\nkind: VolumeSnapshot\nmetadata: {name: x}\n"
    assert "external-snapshotter 6.0" in next(m for r, m in _findings(snapshot, (1, 37)) if r == "deprecated-api")
