"""The process pool maps a function over paths and knows nothing else (no rules, no CRDs)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from kubelint.engine import parallel
from kubelint.engine.parallel import map_files


def _length(path: str) -> tuple[str, int, int]:
    return path, os.path.getsize(path), os.getpid()


def test_the_same_results_in_this_process_and_in_workers(tmp_path: Path) -> None:
    files = []
    for index in range(20):
        path = tmp_path / f"f{index}.yaml"
        path.write_text("x" * index)
        files.append(str(path))
    alone = map_files(_length, files, 1)
    pooled = list(map_files(_length, files, 2, in_worker=_length, alone=3))
    assert sorted(r[:2] for r in alone) == sorted(r[:2] for r in pooled) == sorted(
        (f, i) for i, f in enumerate(files))
    assert {r[2] for r in pooled} != {os.getpid()}  # the work was done elsewhere


def test_the_pool_imports_nothing_of_the_engine_or_schemas() -> None:
    tree = ast.parse(Path(parallel.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and name.startswith("kubelint")}


def test_a_finding_pickles_as_its_class_and_every_field_in_order() -> None:
    """Findings cross between processes and into the result cache by Finding.__reduce__, which
    names the fields one by one for speed: a field added to Finding must be added there too."""
    import dataclasses
    import pickle

    from kubelint.model import Finding, Severity

    finding = Finding("rule", Severity.WARNING, "message", "a.yaml", 1, 2, 3, 4, "spec.x", 0, "v1", "Pod",
                      "ns", "name", fix={"edits": [1]})
    cls, values = finding.__reduce__()
    assert cls is Finding
    assert values == tuple(getattr(finding, field.name) for field in dataclasses.fields(Finding))
    back = pickle.loads(pickle.dumps(finding, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == finding and back.fix == finding.fix and back.severity is Severity.WARNING
