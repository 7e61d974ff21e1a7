"""One direction only: later stages import earlier ones, never the reverse (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kubelint"
# module (or package) → the kubelint modules it may import, directly or lazily
ALLOWED = {
    "report": ("kubelint.model", "kubelint.report", "kubelint.resources", "kubelint"),
    "kube": ("kubelint.model", "kubelint.kube", "kubelint.suggest", "kubelint.resources", "kubelint.cache",
             "kubelint.parser", "kubelint"),
    "model.py": (),
    "suggest.py": (),
    "engine/parallel.py": (),
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kubelint"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kubelint")}
    return found


@pytest.mark.parametrize("where", sorted(ALLOWED))
def test_nothing_imports_upward(where: str) -> None:
    target = PACKAGE / where
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    allowed = ALLOWED[where]
    bad = {f"{path.relative_to(PACKAGE)}: {module}" for path in files for module in _imports(path)
           if not any(module == a or module.startswith(a + ".") for a in allowed if a != "kubelint")
           and not (module == "kubelint" and "kubelint" in allowed)}
    assert bad == set()
