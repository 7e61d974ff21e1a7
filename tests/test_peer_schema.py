"""Schema validation on kubeconform's and kubeval's own test fixtures (our copies).

Each file of tests/fixtures/peers/schema names its source and the peer's verdict in a header
comment, and marks each line that must get a finding with a trailing `# expect: <rule>`. A file
with no marker must get no finding of the rules below: that is how the peers' valid cases prove
no false alarm. Where kubelint knowingly differs from the peer, the header says so
(`# Known difference:`) and the markers state kubelint's verdict:

- kubelint is strict by default, like `kubectl --validate=strict`: an extra property or a
  duplicate key is an error, as with kubeconform `-strict` and kubeval `--strict`.
- kubelint ships the schemas of Kubernetes 1.25 and later, so the removed beta APIs that
  kubeval's old default schemas still had are removed-api.
- A custom resource without its CRD is only unknown-kind (info), which does not fail a run:
  kubeconform's `-ignore-missing-schemas`, without having to ask for it.
- A document holding nothing but an empty `kind:` is not taken for an object (a values file
  may have such a key); kubeval and kubeconform fail it.
- Label, annotation and name syntax, which the API server checks but the OpenAPI schema does
  not, are reported by the validity rules (invalid-label, invalid-name), not schema-invalid.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths
from kubelint.options import Options

ROOT = Path(__file__).parent / "fixtures" / "peers" / "schema"
# The rules through which kubelint says "the API server would refuse this object".
VERDICT_RULES = frozenset({
    "schema-invalid", "unknown-field", "misplaced-field", "removed-api",
    "incomplete-object", "yaml-duplicate-key", "yaml-syntax", "invalid-label", "invalid-name",
})
_EXPECT = re.compile(r"#\s*expect:\s*([a-z-]+)\s*$")
FIXTURES = sorted(ROOT.glob("*.yaml"))


def _expected(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, m.group(1)) for n, line in enumerate(lines, start=1) if (m := _EXPECT.search(line))]


def _header(path: Path) -> str:
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                   if line.startswith("#"))


def test_fixtures_are_there() -> None:
    assert len(FIXTURES) >= 30
    for path in FIXTURES:
        assert re.fullmatch(r"(kubeconform|kubeval)-[\w.-]+-(valid|invalid)-\d+", path.stem), path.name
        header = _header(path)
        assert "# Source: " in header and "# Peer verdict: " in header, path.name


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_peer_schema_fixture(path: Path) -> None:
    findings = lint_paths([str(path)], Options()).findings
    got = sorted((f.line, f.rule) for f in findings if f.rule in VERDICT_RULES)
    assert got == sorted(_expected(path)), [f"{f.line}:{f.column} {f.rule} {f.message}" for f in findings
                                            if f.rule in VERDICT_RULES]
    assert not [f for f in findings if f.rule == "internal-error"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_verdict_agrees_unless_documented(path: Path) -> None:
    """An invalid case must be caught and a valid one pass, except for a documented difference."""
    if "# Known difference:" in _header(path):
        return
    invalid = path.stem.rsplit("-", 2)[-2] == "invalid"
    assert bool(_expected(path)) == invalid, path.name
