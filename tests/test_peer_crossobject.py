"""The peers' own test cases for the checks our run-wide rules stand for, run through kubelint.

Each directory of tests/fixtures/peers/crossobject is one case of a peer's test suite
(kube-linter's e2e files and template tests, kube-score's testdata, the Pod Security
admission fixtures of Kubernetes), copied as manifests. Its name says the peer's verdict
(`<tool>-<check>-<pass|fail>-<n>`); its header names the source and the kubelint rules it maps
to (`# rule: a, b`); a `# expect: <rule>` comment marks each line where kubelint must report.
A case where kubelint deliberately differs from the peer says why in `# known-difference:`;
a case where kubelint is wrong and the fix belongs to another file says so in `# xfail:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths
from kubelint.options import Options

ROOT = Path(__file__).parent / "fixtures" / "peers" / "crossobject"
_NAME = re.compile(r"^(?P<tool>kube-linter|kube-score|kubernetes)-(?P<check>.+)-(?P<verdict>pass|fail)-\d+$")
_EXPECT = re.compile(r"#\s*expect:\s*(?P<rules>[\w, -]+?)\s*$")


@dataclass(frozen=True)
class Case:
    name: str
    verdict: str  # the peer's: "pass" or "fail"
    rules: tuple[str, ...]
    expected: frozenset[tuple[str, str, int]]  # (rule, file name, line)
    known_difference: str
    xfail: str


def _header(text: str, key: str) -> str:
    """A header field, with its indented continuation lines."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"# {key}:"):
            parts = [line.split(":", 1)[1].strip()]
            for more in lines[index + 1:]:
                if not more.startswith("#   "):
                    break
                parts.append(more[1:].strip())
            return " ".join(parts)
    return ""


def load(directory: Path) -> Case:
    match = _NAME.match(directory.name)
    assert match, f"{directory.name}: name must be <tool>-<check>-<pass|fail>-<n>"
    rules: list[str] = []
    expected: set[tuple[str, str, int]] = set()
    known = xfail = ""
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for rule in _header(text, "rule").split(","):
            if rule.strip() and rule.strip() not in rules:
                rules.append(rule.strip())
        known = known or _header(text, "known-difference")
        xfail = xfail or _header(text, "xfail")
        for number, line in enumerate(text.splitlines(), start=1):
            found = _EXPECT.search(line)
            if found:
                for rule in found["rules"].split(","):
                    expected.add((rule.strip(), path.name, number))
    assert rules, f"{directory.name}: the header names no rule"
    return Case(directory.name, match["verdict"], tuple(rules), frozenset(expected), known, xfail)


CASES = [load(d) for d in sorted(ROOT.iterdir()) if d.is_dir()]


def findings(case: Case) -> set[tuple[str, str, int]]:
    result = lint_paths([str(ROOT / case.name)], Options(only=list(case.rules)))
    internal = [f.message for f in result.findings if f.rule == "internal-error"]
    assert not internal, internal
    return {(f.rule, Path(f.file).name, f.line) for f in result.findings if f.rule in case.rules}


def agrees(case: Case, found: set[tuple[str, str, int]]) -> bool:
    """Whether kubelint gives the peer's verdict on the case."""
    return bool(found) == (case.verdict == "fail")


def _params() -> list[object]:
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
            for c in CASES]


@pytest.mark.parametrize("case", _params())
def test_peer_case(case: Case) -> None:
    assert findings(case) == set(case.expected)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_difference_from_the_peer_is_explained(case: Case) -> None:
    # The markers are kubelint's verdict: where it differs from the peer's, the case must say why.
    ours = "fail" if case.expected else "pass"
    if ours != case.verdict:
        assert case.known_difference or case.xfail, f"{case.name}: differs from the peer without a reason"
    else:
        assert not case.known_difference, f"{case.name}: agrees with the peer, yet says it differs"


def test_the_cases_cover_each_peer_and_rule() -> None:
    tools = {_NAME.match(c.name)["tool"] for c in CASES}  # type: ignore[index]
    assert tools == {"kube-linter", "kube-score", "kubernetes"}
    covered = {rule for c in CASES for rule in c.rules}
    assert {"service-selects-nothing", "ingress-service-missing", "ingress-service-port-missing",
            "hpa-target-missing", "hpa-replicas-conflict", "pdb-selects-nothing",
            "networkpolicy-selects-nothing", "statefulset-service-missing", "missing-service-account",
            "missing-configmap", "missing-secret", "pod-security-violation"} <= covered
