"""Where a run's time goes: kubelint's stages timed inside one process (`-j 1`).

    .venv/bin/python benchmarks/stages.py [PATH ...]      # default ../shared/corpus
    .venv/bin/python benchmarks/stages.py --cprofile      # and cProfile's top functions

Each stage is timed by wrapping the function that does it, so nested stages overlap:
"schema" is inside "lint", "compile" inside "schema". The figures are the process's own wall
clock, for finding where time goes; benchmarks/run.py is for comparing tools.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

spent: dict[str, float] = {}
calls: dict[str, int] = {}


def timed(owner: Any, name: str, stage: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)
    spent.setdefault(stage, 0.0)
    calls.setdefault(stage, 0)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - started
            calls[stage] += 1

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(REPO.parent / "shared" / "corpus")])
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top 25 (slower)")
    parser.add_argument("--no-cache", action="store_true", help="without the result cache")
    args = parser.parse_args()

    started = time.perf_counter()
    from kubelint import resultcache, source
    from kubelint.engine import linter, passes, run
    from kubelint.report import json_report
    from kubelint.schema import compiler, validator
    imported = time.perf_counter() - started

    timed(source, "read_bytes", "read")
    timed(source, "parse", "parse (YAML to objects and positions)")
    timed(passes, "_scan", "planning scan")
    timed(linter.Linter, "first_pass", "first pass (read, parse, lint or collect CRDs)")
    timed(linter.Linter, "lint_file", "second pass (files with custom resources)")
    timed(linter.Linter, "lint_source", "lint (rules and schemas)")
    timed(linter.Linter, "_schema_findings", "schema validation")
    timed(linter, "facts_of", "facts for the run-wide rules")
    timed(compiler.KindSchema, "validator", "schema compile and CRD conversion")
    timed(validator.SchemaValidator, "add_crds", "CRD registration")
    timed(run, "reduce_run", "reduce (run-wide rules, suppressions, order)")
    timed(resultcache.ResultCache, "get", "result cache reads")
    timed(resultcache.ResultCache, "put", "result cache writes")
    timed(json_report, "to_text", "JSON report")

    # As the command line runs: the collector paused for the process (the library leaves the
    # host's collector alone, so a plain lint_paths call parses with it on).
    import gc

    from kubelint import parser
    from kubelint.options import Options

    gc.disable()
    parser.PAUSE_GC = True
    profile = cProfile.Profile() if args.cprofile else None
    began = time.perf_counter()
    if profile:
        profile.enable()
    result = run.lint_paths(args.paths, Options(jobs=1, cache=not args.no_cache))
    json_report.to_text(result, "1.37")
    if profile:
        profile.disable()
    total = time.perf_counter() - began

    print(f"{result.files} files, {result.documents} documents, {len(result.findings)} findings")
    print(f"{'stage':45} {'calls':>7} {'seconds':>8} {'share':>6}")
    print(f"{'imports':45} {1:>7} {imported:8.3f}")
    for stage, seconds in spent.items():
        print(f"{stage:45} {calls[stage]:>7} {seconds:8.3f} {seconds / total:6.0%}")
    print(f"{'the whole lint_paths call':45} {1:>7} {total:8.3f} {1:6.0%}")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
