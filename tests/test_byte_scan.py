"""The planner's byte scan in C (parser/_fastyaml.c scan_files) against its Python original
(engine/passes.py _scan_bytes): the same plan for every file, or the C scan is a wrong plan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.engine import passes
from kubelint.engine.run import lint_paths
from kubelint.options import Options
from tests.conftest import FIXTURES

fastyaml = pytest.importorskip("kubelint.parser._fastyaml", reason="the C extension was not built")
if not hasattr(fastyaml, "scan_files"):
    pytest.skip("this platform's C extension has no byte scan", allow_module_level=True)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MAX = 20 << 20


def _c_plans(paths: list[str], max_bytes: int = MAX) -> list[passes._Plan]:
    ahead = passes._ScanAhead(paths, max_bytes)
    passes._scans.clear()
    ahead.take()
    plans = [passes._scans[(p, max_bytes)] for p in paths]
    passes._scans.clear()
    return plans


def _files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))


def test_the_c_scan_plans_every_fixture_as_the_python_scan_does() -> None:
    paths = _files(FIXTURES)
    assert len(paths) > 100
    assert _c_plans(paths) == [passes._scan_bytes(p, MAX) for p in paths]


def test_the_c_scan_plans_the_corpus_as_the_python_scan_does() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    paths = _files(CORPUS)
    plans = _c_plans(paths)
    assert plans == [passes._scan_bytes(p, MAX) for p in paths]
    assert sum(plan.has_crd for plan in plans) > 20  # the test reads CRDs, not only plain files


# Pieces shaped like what the scan looks for (`kind: CustomResourceDefinition`, `apiVersion:
# "example.com/v1"`), each part varied around the edges of its pattern.
_PIECE = st.tuples(
    st.sampled_from(["apiVersion", "group", "kind", "subkind", "groups", "x", ""]),
    st.sampled_from(["", '"', "'"]),
    st.sampled_from(["", " ", "\t", "\n", "  \r\n", "\f\v"]),
    st.sampled_from([":", "", "="]),
    st.sampled_from(["", " ", "\t\f", "\n  "]),
    st.sampled_from(["", '"', "'"]),
    st.sampled_from(["v1", "apps/v1", "example.com/v1", "a-b.c/v2", "CustomResourceDefinition", "-x/v1",
                     ".y/v1", "é/v1", "", "pod-security.kubernetes.io/enforce", "0k8s.io", "Z"]),
    st.sampled_from(["", "_", "s", "-x", "\n", "/", " ", "'", "é", "9"]),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECE, max_size=6), st.sampled_from(["", "\n", " ", "---\n", "{"]))
def test_any_text_of_the_scan_s_patterns_gets_the_same_plan(tmp_path_factory: pytest.TempPathFactory,
                                                            pieces: list[str], between: str) -> None:
    path = tmp_path_factory.mktemp("scan") / "f.yaml"
    path.write_bytes(between.join(pieces).encode("utf-8"))
    assert _c_plans([str(path)]) == [passes._scan_bytes(str(path), MAX)]


_EDGES = [
    "kind: CustomResourceDefinition", "kind: CustomResourceDefinition_", "kind: CustomResourceDefinitions",
    "kind: CustomResourceDefinition-x", "kind: CustomResourceDefinition9", "kind:'CustomResourceDefinition'",
    "kind\n:\nCustomResourceDefinition\n", '"kind" : "CustomResourceDefinition"', "kind : CustomResourceDefinitioné",
    "subkind: CustomResourceDefinition", "kind:: CustomResourceDefinition", "kind: ''CustomResourceDefinition",
    "apiVersion: v1", "apiVersion: apps/v1", "apiVersion:apps/v1", "apiVersion : 'x.io/v1'", "apiVersion: -x/v1",
    "apiVersion: .y/v1", "apiVersion: é/v1", "apiVersion:\n  example.com/v1", '"apiVersion": "a-b.c/v1"',
    "apiVersion: a b/v1", "apiVersion: ab", "apiVersionapiVersion: k/v1", "apiVersion\t\f:\va.b/", "apiVersion:",
]
_CRD = "kind: CustomResourceDefinition\n"
_GROUPS = ["group: x.io", "groups: y", "group: -a", "group:\t'b-c.d'", "group:", "group: é", "spec:\n  group: z"]


@pytest.mark.parametrize("text", [*_EDGES, *(_CRD + g for g in _GROUPS), *(g + "\n" + _CRD for g in _GROUPS),
                                  "metadata: {labels: {pod-security.kubernetes.io/enforce: restricted}}"])
def test_the_edges_of_each_pattern_get_the_same_plan(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert _c_plans([str(path)]) == [passes._scan_bytes(str(path), MAX)]


def test_what_cannot_be_read_plans_as_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("apiVersion: example.com/v1\n" + "#" * 200)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # never opened: reading it would block
    paths = [str(tmp_path), str(tmp_path / "missing.yaml"), str(fifo), str(big)]
    nothing = passes._Plan(False, frozenset(), frozenset())
    assert _c_plans(paths, max_bytes=100) == [nothing] * 4 == [passes._scan_bytes(p, 100) for p in paths]
    assert _c_plans([str(big)])[0].groups == {"example.com"}


def test_a_run_planned_ahead_reports_what_a_run_planned_in_python_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """lint_paths starts the scan on a thread for eight files or more; without the C scan the
    plan is made file by file: the same findings."""
    root = FIXTURES
    ahead = lint_paths([str(root)], Options(cache=False)).findings
    monkeypatch.setattr(passes, "_fastyaml", None)
    assert lint_paths([str(root)], Options(cache=False)).findings == ahead
    assert not passes._ahead
