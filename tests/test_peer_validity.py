"""The validity rules on manifests built from upstream test cases (apimachinery, robfig/cron,
kubernetes' batch validation, kube-linter's selector and target-port checks).

Each file of tests/fixtures/peers/validity marks the lines that must get a finding with a
trailing `# expect: <rule>`; every other line must get no finding of a validity rule, which is
how the accepted quirks (".", "Ki", "+1", "* * * * ?", templated values) prove no false alarm.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths
from kubelint.options import Options

ROOT = Path(__file__).parent / "fixtures" / "peers" / "validity"
_VALIDITY = {p.stem for p in (Path(__file__).parent.parent / "rules" / "validity").glob("*.yaml")}
_EXPECT = re.compile(r"#\s*expect:\s*([a-z-]+)")


def _expected(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.append((number, match.group(1)))
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("*.yaml")), ids=lambda p: p.stem)
def test_peer_fixture(path: Path) -> None:
    findings = lint_paths([str(path)], Options()).findings
    got = sorted((f.line, f.rule) for f in findings if f.rule in _VALIDITY)
    assert got == sorted(_expected(path)), [f"{f.line}:{f.column} {f.rule} {f.message}" for f in findings
                                            if f.rule in _VALIDITY]
