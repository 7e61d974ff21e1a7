"""The library in a threaded host: lint_paths(jobs=2) while another thread parses YAML.

Before the fix, a fork taken while the other thread was inside a parse copied the parser's lock
held, and the first parse in a worker waited forever. The host runs in a subprocess so that a
regression fails by its time-out instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

HOST = textwrap.dedent("""
    import gc, sys, threading
    import kubelint
    from kubelint.parser import parse

    big = "".join(f"k{i}: [a, b, {{c: d}}]\\n" for i in range(3000))
    stop = threading.Event()
    # Once alone first: the modules a run imports are then loaded. Importing them while the
    # other thread parses hands the GIL back and forth at every file access, which took the
    # first run 15 s; the forks under test come in the runs below.
    kubelint.lint_paths([sys.argv[1]], kubelint.Options(jobs=2))

    def parse_forever():
        while not stop.is_set():
            parse(big, "host.yaml")

    thread = threading.Thread(target=parse_forever, daemon=True)
    thread.start()
    gc_was = gc.isenabled()
    for _ in range(2):
        result = kubelint.lint_paths([sys.argv[1]], kubelint.Options(jobs=2))
    stop.set()
    thread.join()
    assert gc.isenabled() == gc_was, "the library changed the host's garbage collector"
    print(len(result.findings), result.files)
""")


def test_lint_paths_with_workers_in_a_threaded_host(tmp_path: Path) -> None:
    for index in range(12):
        (tmp_path / f"cm{index}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{index}}}\ndta: {{a: b}}\n")
    script = tmp_path / "host.py"
    script.write_text(HOST)
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["12", "12"]  # one unknown-field finding per file
