"""The library leaves its host as it found it, and one file's failure never ends a run (issue 19, 21)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kubelint
from kubelint.cli import app

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{i}}}\ndata: {{a: b}}\n"


def test_an_in_process_cli_call_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CM.format(i=0))
    assert gc.isenabled()
    result = CliRunner().invoke(app, ["check", "--no-color", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


def test_lint_text_applies_the_config_of_the_filenames_directory(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / ".kubelint.yaml").write_text("rules:\n  image-tag: off\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".kubelint.yaml").write_text("rules:\n  image-tag: error\n")
    monkeypatch.chdir(elsewhere)  # the working directory must not decide
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
    assert "image-tag" not in {f.rule for f in kubelint.lint_text(pod, str(team / "pod.yaml"))}
    here = [f for f in kubelint.lint_text(pod, str(elsewhere / "pod.yaml")) if f.rule == "image-tag"]
    assert here and here[0].severity == kubelint.Severity.ERROR and (here[0].line, here[0].column) == (7, 12)
    # no filename: no config at all (the defaults: image-tag is a warning)
    plain = [f for f in kubelint.lint_text(pod) if f.rule == "image-tag"]
    assert plain and plain[0].severity == kubelint.Severity.WARNING


def test_the_library_stays_in_one_process_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        (tmp_path / f"cm{i}.yaml").write_text(CM.format(i=i) + "#" * 100_000 + "\n")
    import kubelint.engine.parallel as parallel

    seen: list[int] = []
    real = parallel.map_files

    def spy(function, files, jobs, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(jobs)
        return real(function, files, jobs, **kwargs)

    monkeypatch.setattr(parallel, "map_files", spy)
    import kubelint.engine.passes as passes

    monkeypatch.setattr(passes, "map_files", spy)
    result = kubelint.lint_paths([str(tmp_path)])
    assert result.files == 12 and seen and set(seen) == {1}


def test_one_files_failure_is_a_finding_of_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(3):
        (tmp_path / f"cm{i}.yaml").write_text(CM.format(i=i) + "dta: 1\n")
    from kubelint.engine.linter import Linter

    real = Linter._lint_source

    def broken(self, source):  # type: ignore[no-untyped-def]
        if source.path.endswith("cm1.yaml"):
            raise TypeError("'int' object is not iterable")
        return real(self, source)

    monkeypatch.setattr(Linter, "_lint_source", broken)
    result = CliRunner().invoke(app, ["check", "--no-color", "-f", "json", str(tmp_path)])
    assert result.exit_code == 2  # an internal error: CI must notice
    import json

    findings = json.loads(result.output)["findings"]
    by_file = {(os.path.basename(f["file"]), f["rule"]) for f in findings}
    assert ("cm0.yaml", "unknown-field") in by_file and ("cm2.yaml", "unknown-field") in by_file
    internal = [f for f in findings if f["rule"] == "internal-error"]
    assert len(internal) == 1 and internal[0]["file"].endswith("cm1.yaml")
    assert internal[0]["message"].startswith("linting this file failed: TypeError: 'int' object is not iterable")


def test_a_symlink_loop_given_as_the_path_is_a_finding(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    result = CliRunner().invoke(app, ["check", "--no-color", "-q", str(loop)])
    assert result.exit_code == 1
    assert "file-unreadable" in result.output and "Too many levels of symbolic links" in result.output
    assert "Traceback" not in result.output


HOST = textwrap.dedent("""
    import signal, sys, time
    import kubelint

    def graceful(signum, frame):
        pass  # a service that shuts down on its own schedule

    signal.signal(signal.SIGTERM, graceful)
    result = kubelint.lint_paths([sys.argv[1]], kubelint.Options(jobs=2))
    print(result.files, flush=True)
""")


def test_workers_of_a_host_with_its_own_sigterm_handler_end_with_the_pool(tmp_path: Path) -> None:
    """The pool's terminate sends SIGTERM: a worker that inherited the host's handler outlived it."""
    for i in range(16):
        (tmp_path / f"cm{i}.yaml").write_text(CM.format(i=i) + "#" * 80_000 + "\n")
    script = tmp_path / "host.py"
    script.write_text(HOST)
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["16"]
    left = subprocess.run(["pgrep", "-f", str(script)], capture_output=True, text=True)
    assert left.stdout.strip() == "", "a worker outlived its host"
