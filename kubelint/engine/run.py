"""A run: files and standard input → the per-file linter over worker processes → the reduce
step → sorted findings. The CLI and the library API (`kubelint.lint_paths`,
`kubelint.lint_text`) both end here.

The library leaves its host as it found it: one process unless the caller asks for more
(`Options.jobs`, or `auto_jobs=True` as the CLI passes), no change to the collector, signals or
working directory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from kubelint.engine.documents import crds_of
from kubelint.engine.linter import FileOutcome, Linter
from kubelint.engine.parallel import default_jobs
from kubelint.engine.passes import lint_files, lint_in_two_passes
from kubelint.engine.reduce import Reduced
from kubelint.model import Finding, RunResult
from kubelint.options import Options
from kubelint.source import discover, load_path, load_text


def lint_paths(paths: Sequence[str], options: Options | None = None, *,
               stdin_text: str | None = None, stdin_filename: str | None = None,
               progress: Callable[[int, int, int], None] | None = None, auto_jobs: bool = False) -> RunResult:
    """Lint files and directories with `options` (default: the defaults; the public
    `kubelint.lint_paths` finds the config); `-` reads `stdin_text`. Raises UsageError for bad
    paths.

    `progress(files_done, files_total, findings_so_far)` is called as each file is done;
    `auto_jobs` spreads a big tree over every CPU when `options.jobs` is not set."""
    return _lint_paths(paths, options or Options(), stdin_text, stdin_filename, progress, auto_jobs)


def _lint_paths(paths: Sequence[str], options: Options | None, stdin_text: str | None,
                stdin_filename: str | None,
                progress: Callable[[int, int, int], None] | None = None, auto_jobs: bool = False) -> RunResult:
    started = time.perf_counter()
    linter = Linter(options)
    files = discover(paths, linter.options.exclude)
    from kubelint.kube.kustomize import partial_files

    linter.partial_files = partial_files(files)
    result = RunResult(findings=[], rules=linter.rules)
    done = _progress_counter(progress, sum(1 for path in files if path != "-"))
    on_disk = [path for path in files if path != "-"]
    # The library works in its caller's process unless asked: a pool forked inside a threaded
    # host (an editor, a web service) is the caller's decision, not ours.
    jobs = linter.options.jobs or (default_jobs(on_disk) if auto_jobs else 1)
    outcomes: list[FileOutcome] = []
    stdin_source = None
    if "-" in files:
        stdin_source = load_path("-", linter.options.max_file_size, stdin_text, stdin_filename or "<stdin>")
    if linter.schema is None:
        for _, outcome in lint_files(linter, on_disk, jobs):
            outcomes.append(outcome)
            done(outcome)
        if stdin_source is not None:
            outcomes.append(linter.lint_source(stdin_source))
    else:
        outcomes = lint_in_two_passes(linter, on_disk, jobs, stdin_source, done)
    for outcome in outcomes:
        result.files += 1
        result.documents += outcome.documents
        result.skipped += outcome.skipped
        if outcome.skipped:
            result.skipped_files.append(outcome.path)
    reduced = reduce_run(linter, outcomes)
    result.findings = reduced.findings
    result.suppressed = reduced.suppressed
    result.findings.sort(key=Finding.sort_key)
    result.seconds = time.perf_counter() - started
    return result


def _progress_counter(progress: Callable[[int, int, int], None] | None,
                      total: int) -> Callable[[FileOutcome], None]:
    """What the loops call with each file's outcome: counts them for `progress`."""
    count = [0, 0]

    def done(outcome: FileOutcome) -> None:
        if progress is not None:
            count[0] += 1
            count[1] += len(outcome.findings)
            progress(count[0], total, count[1])

    return done


def lint_text(text: str, filename: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    """Lint one manifest text in-process with `options` (default: the defaults): what an
    editor integration calls."""
    linter = Linter(options or Options())
    source = load_text(text, filename)
    if linter.schema is not None:
        linter.schema.add_crds(crds_of(source.documents))
    outcome = linter.lint_source(source)
    return reduce_run(linter, [outcome]).findings


def reduce_run(linter: Linter, outcomes: Sequence[FileOutcome]) -> Reduced:
    """The reduce step over every file's outcome (see engine/reduce.py)."""
    from kubelint.engine.reduce import reduce

    return reduce(linter.run_rules, outcomes, linter.options, linter.rules)


__all__ = ["lint_paths", "lint_text", "reduce_run"]
