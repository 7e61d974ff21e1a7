"""Issue 19: the checks sit below the engine. The run-wide checks read the run index and the facts
on the checks' side (kubelint/checks/run/), so no module of kubelint/checks imports the engine,
and the engine's reduce step imports the index from there: no import circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kubelint"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kubelint"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kubelint")}
    return found


def test_no_check_imports_the_engine() -> None:
    upward = {f"{path.relative_to(PACKAGE)}: {module}" for path in sorted((PACKAGE / "checks").rglob("*.py"))
              for module in _imports(path)
              if module.startswith(("kubelint.engine", "kubelint.report", "kubelint.fix", "kubelint.cli",
                                    "kubelint.server", "kubelint.config"))}
    assert upward == set()


def test_the_reduce_step_reads_the_index_from_the_checks() -> None:
    assert "kubelint.checks.run" in _imports(PACKAGE / "engine" / "reduce.py")
    assert not (PACKAGE / "checks" / "crossobject.py").exists()


def test_facts_and_index_import_without_the_engine() -> None:
    """In a fresh interpreter: importing the run-wide checks loads no engine module."""
    import subprocess
    import sys

    code = ("import sys; import kubelint.checks.run as run; "
            "print(sorted(m for m in sys.modules if m.startswith('kubelint.engine')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_facts_travel_between_processes() -> None:
    """Facts are pickled from worker processes: typed records with slots, small."""
    import pickle

    from kubelint.checks.run import facts_of
    from kubelint.parser import parse

    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
            "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
            "    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n"
            "          ports: [{name: http, containerPort: 80}]\n"
            "          envFrom: [{configMapRef: {name: conf}}]\n")
    [doc] = parse(text, "d.yaml").documents
    facts = facts_of(doc)
    again = pickle.loads(pickle.dumps(facts))
    assert again == facts
    assert again.workload is not None and again.workload.pod_labels == {"app": "web"}
    assert [ref.name for ref in again.workload.refs["ConfigMap"]] == ["conf"]
    assert not hasattr(facts, "__dict__") and not hasattr(facts.workload, "__dict__")
    assert len(pickle.dumps(facts)) < 2000
