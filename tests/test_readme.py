"""The README's commands and examples are real: each is checked against what kubelint does.

`KUBELINT_UPDATE_README=1 python -m pytest tests/test_readme.py` rewrites the generated JSON
example after a deliberate change of the output.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.config import load_config
from kubelint.source import exclusion
from tests.conftest import REPO

README = REPO / "README.md"
JSON_EXAMPLE = re.compile(r"For example, `(kubelint check [^`]*)` prints:\n\n```json\n(.*?)```", re.S)


def _text() -> str:
    return README.read_text(encoding="utf-8")


def test_the_json_example_is_real_output() -> None:
    text = _text()
    match = JSON_EXAMPLE.search(text)
    assert match, "the README's JSON example is introduced by: For example, `kubelint check …` prints:"
    command, shown = match.group(1), match.group(2)
    args = shlex.split(command)[1:]
    assert "examples/k8s" in args and "--format" in args
    run = subprocess.run([sys.executable, "-m", "kubelint", *args], cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode in (0, 1), run.stderr
    if os.environ.get("KUBELINT_UPDATE_README") and shown != run.stdout:
        README.write_text(text[:match.start(2)] + run.stdout + text[match.end(2):], encoding="utf-8")
    assert shown == run.stdout
    json.loads(shown)


def test_the_pre_commit_rev_and_ci_install_work_before_a_release() -> None:
    text = _text()
    assert "rev: main" in text and "rev: v" not in text
    assert "pip install kubelint\n" not in text
    assert "pip install git+https://github.com/kubelint/kubelint" in text


def test_the_config_example_is_a_valid_config(tmp_path: Path) -> None:
    block = re.search(r"## Configuration.*?```yaml\n(.*?)```", _text(), re.S)
    assert block
    (tmp_path / "ci" / "crds").mkdir(parents=True)
    cfg = tmp_path / ".kubelint.yaml"
    cfg.write_text(block.group(1))
    config = load_config(str(cfg))
    assert config.values["kubernetes_version"] == (1, 30) and config.rules["image-tag"] == {"enabled": False}


def _exclude_rows() -> list[tuple[str, list[str], list[str]]]:
    text = _text()
    start = text.index("<!-- exclude-examples")
    rows = []
    for line in text[start:].splitlines()[3:]:
        if not line.startswith("|"):
            break
        cells = [re.findall(r"`([^`]*)`", cell) for cell in line.strip("|").split("|")]
        rows.append((cells[0][0], cells[1], cells[2]))
    return rows


@pytest.mark.parametrize("pattern,excludes,keeps", _exclude_rows())
def test_the_exclude_examples(pattern: str, excludes: list[str], keeps: list[str]) -> None:
    assert excludes and keeps
    for path in excludes:
        assert exclusion(path, [pattern]) == pattern, path
    for path in keeps:
        assert exclusion(path, [pattern]) is None, path


def test_the_exclude_examples_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import run_cli

    pod = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    for _, excludes, keeps in _exclude_rows():
        for path in excludes + keeps:
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(pod)
    monkeypatch.chdir(tmp_path)
    for pattern, excludes, keeps in _exclude_rows():
        code, out, _ = run_cli(["check", "--format", "json", "-e", pattern, "."])
        assert code == 0
        files = json.loads(out)["summary"]["files"]
        every = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.yaml")}
        expected = {p for p in every if exclusion(p, [pattern]) is None}
        assert files == len(expected) and not set(excludes) & expected and set(keeps) <= expected
