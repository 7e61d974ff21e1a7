"""One direction only: later stages import earlier ones, never the reverse (ARCHITECTURE.md).

The layers of every package are import-linter contracts (.importlinter at the top of the
repository), checked here by running it; the narrower rules below say what a few bottom
modules may import at all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kubelint"
# module (or package) → the kubelint modules it may import, directly or lazily
ALLOWED = {
    "report": ("kubelint.model", "kubelint.report", "kubelint.resources", "kubelint.errors", "kubelint._version"),
    "kube": ("kubelint.model", "kubelint.kube", "kubelint.suggest", "kubelint.resources", "kubelint.cache",
             "kubelint.parser", "kubelint.lazypattern", "kubelint"),
    "model.py": (),
    "lazypattern.py": (),
    "errors.py": (),
    "_version.py": (),
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


def test_the_import_contracts_hold() -> None:
    """No circle and no upward import in any package (import-linter's layers contracts)."""
    import shutil
    import subprocess
    import sys

    root = PACKAGE.parent
    tool = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(tool).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([tool, str(root / ".importlinter"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
