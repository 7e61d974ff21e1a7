"""Issue 23: one rendered stream costs what the same objects as many files cost.

No timing here (that is benchmarks/streams.py): the tests count the work instead. Selectors
compared with pod labels must grow linearly with the copies of an application in one stream,
the per-file index of the documents is built once per file, and a stream and the same copies
as files give the same findings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from kubelint.engine.run import lint_paths, lint_text
from kubelint.options import Options

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import streams  # noqa: E402 - benchmarks/streams.py, the generator of the benchmark

# pdb-blocks-eviction: this copy's budget covers its autoscaler's minimum; single-replica and
# missing-readiness-probe (selected) look at the other documents of the file too.
BROKEN = {
    "minAvailable: 1": "minAvailable: 2",
    "          readinessProbe: {httpGet: {path: /ready, port: http}}\n": "",
    "          ports: [{name: http, containerPort: 8080}]\n": "",
}
RULES = ["pdb-blocks-eviction", "single-replica", "missing-readiness-probe", "service-selects-nothing",
         "pdb-selects-nothing", "networkpolicy-selects-nothing", "hpa-target-missing", "missing-secret",
         "missing-configmap", "service-target-port-undeclared"]


def _copies(count: int, layout: str = "names", broken: tuple[int, ...] = ()) -> list[str]:
    texts = []
    for number in range(count):
        text = streams.app(number, layout)
        if number in broken:
            for old, new in BROKEN.items():
                text = text.replace(old, new)
        texts.append(text)
    return texts


def _counting(monkeypatch: pytest.MonkeyPatch, *modules: Any) -> list[int]:
    """Counts the calls of `matches` made from `modules` (a selector against pod labels)."""
    from kubelint.kube import selectors

    calls = [0]

    def counted(selector: Any, labels: dict[str, Any]) -> bool:
        calls[0] += 1
        return selectors.matches(selector, labels)

    for module in modules:
        monkeypatch.setattr(module, "matches", counted)
    return calls


@pytest.mark.parametrize("layout", streams.LAYOUTS)
def test_selector_work_grows_linearly_with_the_copies(monkeypatch: pytest.MonkeyPatch, layout: str) -> None:
    from kubelint.checks import reliability
    from kubelint.checks.run import pods, references

    calls = _counting(monkeypatch, reliability, pods, references)
    counts = []
    for copies in (40, 80):
        calls[0] = 0
        findings = lint_text("---\n".join(_copies(copies, layout)), "stream.yaml", Options(only=RULES))
        assert findings == []
        counts.append(calls[0])
    assert counts[0] > 0
    assert counts[1] <= 2.2 * counts[0], counts  # quadratic work would be 4x


def test_the_file_index_is_built_once_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from kubelint.checks.run import file_index

    built = [0]
    original = file_index.FileIndex.__init__

    def counted(self: Any, documents: Any) -> None:
        built[0] += 1
        original(self, documents)

    monkeypatch.setattr(file_index.FileIndex, "__init__", counted)
    lint_text("---\n".join(_copies(30, broken=(3, 7))), "stream.yaml", Options(only=RULES))
    assert built[0] == 1


@pytest.mark.parametrize("layout", streams.LAYOUTS)
def test_a_stream_and_the_same_files_give_the_same_findings(tmp_path: Path, layout: str) -> None:
    texts = _copies(12, layout, broken=(2, 9))
    (tmp_path / "stream.yaml").write_text("---\n".join(texts))
    (tmp_path / "files").mkdir()
    for number, text in enumerate(texts):
        (tmp_path / "files" / f"app-{number:04d}.yaml").write_text(text)
    options = Options(only=RULES, jobs=1)
    one = lint_paths([str(tmp_path / "stream.yaml")], options).findings
    many = lint_paths([str(tmp_path / "files")], options).findings
    assert sorted((f.rule, f.name, f.message) for f in one) == sorted((f.rule, f.name, f.message) for f in many)
    assert sorted({(f.rule, f.name) for f in one}) == [
        ("missing-readiness-probe", "app-0002"), ("missing-readiness-probe", "app-0009"),
        ("pdb-blocks-eviction", "app-0002"), ("pdb-blocks-eviction", "app-0009"),
        ("service-target-port-undeclared", "app-0002"), ("service-target-port-undeclared", "app-0009")]
    budget = next(f for f in one if f.rule == "pdb-blocks-eviction")
    assert "Deployment `app-0002`" in budget.message and "autoscaler's minimum of 2 replicas" in budget.message
