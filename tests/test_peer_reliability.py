"""The images and reliability rules against the peers' own test cases.

Each file in tests/fixtures/peers/reliability/ is our copy of one case from a peer's test suite
(kube-score, Polaris, kube-linter, checkov), with a header naming its source and what the peer
expects of the kubelint rules it maps to:

    # source: <repository> <path>
    # expect: <rule> fire at <text of the line where we report it>
    # expect: <rule> none

A peer "fail" case must make our rule fire (at the line that holds the `at` text: the offending
field, or the container's `name:`), a "pass" case must not. Where the peer is wrong, or means
something other than our rule, the case is listed in KNOWN_DIFFERENCES with the reason, and the
test holds kubelint to its own documented behaviour instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kubelint.engine.run import lint_text
from kubelint.options import Options

FIXTURES = Path(__file__).parent / "fixtures" / "peers" / "reliability"

PULL_POLICY_DEFAULT = (
    "imagePullPolicy: Always is not demanded: left out, the API server defaults it to Always for "
    "untagged and :latest images (the only ones where it matters), and for a pinned tag the pull "
    "adds a registry round trip to every start and fails pods when the registry is down, for no "
    "gain (Kubernetes docs, 'Image pull policy' and 'imagePullPolicy defaulting')")
REQUEST_FROM_LIMIT = (
    "a container that sets only a limit has a request: the API server copies the limit into the "
    "missing request (Kubernetes docs, 'Resource management for pods and containers'), so there "
    "is nothing to report")
NO_TRAFFIC = (
    "readiness decides whether a Service sends the container requests; a container that declares "
    "no port and that no Service in the input selects gets none (queue workers, controllers, "
    "`sleep` toolboxes), so kubelint reports it only with serving_only: false")

# (fixture name, rule) -> why kubelint deliberately differs from the peer on that case.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("polaris-pullPolicyNotAlways-fail-1", "image-pull-policy"): PULL_POLICY_DEFAULT,
    ("polaris-pullPolicyNotAlways-fail-2", "image-pull-policy"): PULL_POLICY_DEFAULT,
    ("kube-score-container-image-pull-policy-fail-1", "image-pull-policy"): PULL_POLICY_DEFAULT,
    ("kube-score-container-image-pull-policy-fail-2", "image-pull-policy"): (
        "`imagePullPolicy: Never` on a pinned tag (foo/bar:123) runs the image the node was given, "
        "which is the point of Never (air-gapped nodes, pre-loaded images); only an untagged or "
        ":latest image with a policy that never refreshes it is reported. " + PULL_POLICY_DEFAULT),
    ("checkov-CKV_K8S_15-fail-1", "image-pull-policy"): PULL_POLICY_DEFAULT,
    ("polaris-readinessProbeMissing-fail-1", "missing-readiness-probe"): NO_TRAFFIC,
    ("checkov-CKV_K8S_9-fail-1", "missing-readiness-probe"): NO_TRAFFIC,
    ("kube-linter-no-readiness-probe-fail-1", "missing-readiness-probe"): NO_TRAFFIC,
    ("kube-linter-no-readiness-probe-fail-2", "missing-readiness-probe"): NO_TRAFFIC,
    ("kube-score-pod-probes-fail-2", "missing-readiness-probe"): (
        "kube-score counts any pod with a serviceAccountName as targeted by a Service; a service "
        "account says what the pod may call, not that anything calls it. " + NO_TRAFFIC),
    ("kube-score-pod-probes-pass-4", "missing-liveness-probe"): (
        "kube-score asks for one liveness probe per pod; the kubelet restarts containers one by "
        "one, and only a container's own liveness probe catches it hanging, so kubelint asks it "
        "of each long-running app container (an info-level finding)"),
    ("kube-score-container-resources-fail-1", "missing-cpu-request"): REQUEST_FROM_LIMIT,
    ("kube-score-container-resources-fail-1", "missing-memory-request"): REQUEST_FROM_LIMIT,
    ("kube-score-container-resources-fail-4", "missing-cpu-request"): REQUEST_FROM_LIMIT,
    ("kube-score-container-resources-fail-4", "missing-memory-request"): REQUEST_FROM_LIMIT,
    ("kube-score-container-resources-fail-5", "missing-cpu-request"): REQUEST_FROM_LIMIT,
    ("kube-score-container-resources-fail-5", "missing-memory-request"): REQUEST_FROM_LIMIT,
    ("kube-linter-minimum-three-replicas-fail-1", "single-replica"): (
        "single-replica reports one replica, the count that makes every drain or crash an outage; "
        "two replicas survive one disruption, and three is kube-linter's policy choice, not a "
        "reliability defect"),
    ("kube-linter-minimum-three-replicas-fail-2", "single-replica"): (
        "single-replica reports one replica; three is kube-linter's policy choice"),
    ("checkov-CKV_K8S_21-fail-1", "default-namespace"): (
        "the objects set no namespace: they go where `kubectl apply -n`, kustomize or Helm puts "
        "them, which is the recommended practice; only an explicit `namespace: default` is reported"),
    ("polaris-pdbDisruptionsIsZero-fail-4", "pdb-blocks-eviction"): (
        "the case has only `status.disruptionsAllowed: 0`, which is the live cluster's state; the "
        "API server ignores status in an applied manifest, and a spec without minAvailable or "
        "maxUnavailable blocks nothing"),
}


@dataclass(frozen=True)
class Expectation:
    fixture: str
    rule: str
    fires: bool
    at: str | None


def _expectations() -> list[Expectation]:
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for line in path.read_text().splitlines():
            if not line.startswith("#"):
                break
            if line.startswith("# expect: "):
                rule, verdict, *rest = line[len("# expect: "):].split(" ", 2)
                at = rest[0][len("at "):] if rest and rest[0].startswith("at ") else None
                cases.append(Expectation(path.stem, rule, verdict == "fire", at))
    return cases


EXPECTATIONS = _expectations()


def _lines_of_findings(fixture: str, rule: str) -> list[str]:
    text = (FIXTURES / f"{fixture}.yaml").read_text()
    findings = lint_text(text, f"{fixture}.yaml", Options(rules={rule: {"enabled": True}}))
    assert not [f for f in findings if f.rule == "internal-error"], fixture
    lines = text.splitlines()
    return [lines[f.line - 1] for f in findings if f.rule == rule]


def test_the_fixtures_are_there() -> None:
    assert len({e.fixture for e in EXPECTATIONS}) == len(list(FIXTURES.glob("*.yaml"))) >= 90
    assert all(e.at for e in EXPECTATIONS if e.fires), "every fail case says where it is reported"


@pytest.mark.parametrize("case", EXPECTATIONS, ids=[f"{e.fixture}:{e.rule}" for e in EXPECTATIONS])
def test_peer_case(case: Expectation) -> None:
    reported = _lines_of_findings(case.fixture, case.rule)
    peer_right = (case.fixture, case.rule) not in KNOWN_DIFFERENCES
    if case.fires == peer_right:  # the peer's fail case, or a pass case where the peer is wrong
        assert reported, f"{case.rule} should fire on {case.fixture}"
        if peer_right:
            assert any(case.at in line for line in reported), (case.at, reported)
    else:
        assert reported == [], f"{case.rule} should not fire on {case.fixture}: {reported}"


def test_every_known_difference_names_a_case() -> None:
    names = {(e.fixture, e.rule) for e in EXPECTATIONS}
    assert set(KNOWN_DIFFERENCES) <= names
