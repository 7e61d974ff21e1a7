"""A run: files and standard input → the per-file linter over worker processes → the reduce
step → sorted findings. The CLI and the library API (`kubelint.lint_paths`,
`kubelint.lint_text`) both end here.

The library leaves its host as it found it: one process unless the caller asks for more
(`Options.jobs`, or `auto_jobs=True` as the CLI passes), no change to the collector, signals or
working directory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kubelint.engine.documents import crds_of
from kubelint.engine.linter import FileOutcome, Linter
from kubelint.engine.parallel import default_jobs
from kubelint.engine.passes import forget_scans, lint_files, lint_in_two_passes, scan_ahead, useful_context
from kubelint.engine.projects import Project, split
from kubelint.engine.reduce import Reduced
from kubelint.model import Finding, Rule, RunResult
from kubelint.options import Options
from kubelint.project.kustomize import KustomizeInfo, kustomize_files
from kubelint.source import discover, excluded, forget_real_paths, load_path, load_text, real_path

if TYPE_CHECKING:
    # Rendering charts and building Kustomize roots is imported when a run has any: a run of
    # plain manifests never does.
    from kubelint.engine.rendered import Rendering


def lint_paths(paths: Sequence[str], options: Options | None = None, *,
               stdin_text: str | None = None, stdin_filename: str | None = None,
               progress: Callable[[int, int, int], None] | None = None, auto_jobs: bool = False,
               options_for: Callable[[str | None], Options] | None = None, context: bool = False) -> RunResult:
    """Lint files and directories, project by project (engine/projects.py); `-` reads
    `stdin_text`. Raises UsageError for bad paths.

    `options` apply to every project, unless `options_for(config_path)` gives each project the
    Options of its own .kubelint.yaml (what the CLI and `kubelint.lint_paths` pass).
    `progress(files_done, files_total, findings_so_far)` is called as each file is done;
    `auto_jobs` spreads a big project over every CPU when `options.jobs` is not set; `context`
    lints a file given alone in its project (its chart or Kustomize root, its repository's
    CRDs), reporting only that file, as the CLI does for pre-commit."""
    return _lint_paths(paths, options or Options(), stdin_text, stdin_filename, progress, auto_jobs, options_for,
                       context)


def _lint_paths(paths: Sequence[str], options: Options, stdin_text: str | None, stdin_filename: str | None,
                progress: Callable[[int, int, int], None] | None = None, auto_jobs: bool = False,
                options_for: Callable[[str | None], Options] | None = None, context: bool = False) -> RunResult:
    started = time.perf_counter()
    forget_real_paths()
    forget_scans()
    files = discover(paths, options.exclude)
    # On a thread while projects, rules and renders are found; each project's useful_context
    # waits for it, before any worker forks.
    scan_ahead(files, options.max_file_size)
    kustomize = kustomize_files(files)
    used = {real_path(os.path.dirname(k)) for k in kustomize.kustomizations} - {
        real_path(r) for r in kustomize.roots}
    projects = split(paths, files, options.exclude, stdin_filename, used, context)
    result = RunResult(findings=[])
    done = _progress_counter(progress, sum(1 for path in files if path != "-"))
    # One linter a project: its rules and prepared checks serve the rendering's findings too.
    plans = [(project, Linter(options_for(project.config) if options_for is not None else options))
             for project in projects]
    renderings = _render(plans, kustomize)
    consumed = set().union(*(r.consumed for r in renderings.values())) if renderings else set()
    origins: dict[int, str] = {}  # id(finding) → the Kustomize root it was built from
    caches: dict[str, Any] = {}  # the result caches of the run, by run key (see _result_cache)
    for project, linter in plans:
        project_options = linter.options
        if options_for is not None and project_options.exclude != options.exclude:
            project.files = [f for f in project.files if f == "-" or not excluded(f, project_options.exclude)]
        rendering = renderings.get(id(project))
        listed = len(project.files)
        if consumed:  # files a chart or a build stands for are linted as what they render
            kept = [f for f in project.files if f == "-" or real_path(f) not in consumed]
            result.files += len(project.files) - len(kept)
            project.files = kept
            project.context = [f for f in project.context if real_path(f) not in consumed]
        part = _lint_project(project, linter, kustomize, stdin_text, stdin_filename, done, auto_jobs,
                             caches, rendering, origins)
        result.files += part.files
        result.documents += part.documents
        result.skipped += part.skipped
        result.skipped_files += part.skipped_files
        result.findings += part.findings
        result.suppressed += part.suppressed
        result.operator_namespaces += part.operator_namespaces
        for rule_id, rule in part.rules.items():
            result.rules.setdefault(rule_id, rule)
        how = project.how
        if rendering is not None:
            done_word = "built" if project.kind == "kustomize" else "rendered"
            how += f", {done_word}" if rendering.sources or not rendering.findings else f", not {done_word}"
        result.projects.append((project.root or "(the files given)", how, listed, project.config))
    for cache in caches.values():
        if cache is not None:
            cache.flush()
    if origins:
        from kubelint.engine.rendered import merge_builds

        result.findings.sort(key=Finding.sort_key)
        result.findings = merge_builds(result.findings, origins)
    if not projects:
        result.rules = Linter(options).rules
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=lambda s: s.finding.sort_key())
    result.skipped_files.sort()
    result.seconds = time.perf_counter() - started
    return result


def _result_cache(linter: Linter, caches: dict[str, Any]) -> Any:
    """The result cache for this project's settings, or None when it is off; projects of the
    same settings share one (`caches`, by run key), flushed once at the end of the run."""
    options = linter.options
    if not options.cache:
        return None  # before the import: --no-cache runs need neither it nor pickle
    from kubelint import resultcache

    if not resultcache.enabled():
        return None
    from kubelint.engine.rules import builtin_rules

    shipped = builtin_rules()
    try:
        key = resultcache.run_fingerprint({
            "code": resultcache.code_fingerprint(),
            # A shipped rule's own params are in the code fingerprint (its file is): named, not
            # written out again (canonicalising ninety rules' params cost a one-file run 1 ms).
            "rules": {r.id: (r.enabled, str(r.severity), _own_params(r, shipped)) for r in linter.rules.values()},
            "rules_dirs": resultcache.digest_paths(options.rules_dirs),
            "schema_dirs": resultcache.digest_paths(options.schema_dirs),
            "options": {name: getattr(options, name) for name in (
                "kubernetes_version", "strict", "schema_only", "namespace", "max_file_size", "profile",
                "enable", "disable", "only")},
        })
    except (OSError, TypeError, ValueError):
        return None
    if key not in caches:
        caches[key] = resultcache.ResultCache.open(key)
    return caches[key]


def _own_params(rule: Rule, shipped: dict[str, Rule]) -> Any:
    """A rule's params for the run key: "shipped" when they are its rule file's, unchanged."""
    original = shipped.get(rule.id)
    return "shipped" if original is not None and rule.params is original.params else rule.params


def _render(plans: Sequence[tuple[Project, Linter]], kustomize: KustomizeInfo) -> dict[int, Rendering]:
    """Each chart rendered and each Kustomize root built (or a finding saying why not), by
    id(project)."""
    out: dict[int, Rendering] = {}
    tool = None
    if any(p.kind == "kustomize" for p, _ in plans):
        from kubelint.project.kustomize_build import find_kustomize

        tool = find_kustomize()
    roots = {real_path(r) for r in kustomize.roots}
    builds: list[tuple[Project, Linter]] = []
    charts: list[tuple[Project, Linter]] = []
    for project, linter in plans:
        options, rules = linter.options, linter.rules
        if project.kind == "chart":
            charts.append((project, linter))
        elif project.kind == "kustomize" and real_path(project.root) in roots:
            if tool is None or options.render == "off":
                from kubelint.engine.rendered import Rendering, kustomize_skipped
                from kubelint.project.kustomize import find_kustomization

                where = find_kustomization(project.root) or os.path.join(project.root, "kustomization.yaml")
                rendering = Rendering()
                rendering.findings = kustomize_skipped(project.root, where, rules, options.render == "off")
                out[id(project)] = rendering
            else:
                builds.append((project, linter))

    def render_charts() -> None:  # in this thread: Helm's SDK is not known to be thread-safe
        if not charts:
            return
        from kubelint.engine.rendered import render_chart

        for project, linter in charts:
            out[id(project)] = render_chart(project.root, linter.options, linter.rules)

    renderings = _side_by_side([(project.root, linter.options, linter.rules, tool) for project, linter in builds],
                               meanwhile=render_charts)
    for (project, _), rendering in zip(builds, renderings, strict=True):
        out[id(project)] = rendering
    return out


def _side_by_side(builds: list[tuple[Any, ...]], meanwhile: Callable[[], None] = lambda: None) -> list[Rendering]:
    """Each Kustomize root built (build_root's arguments), a few at once, while this thread
    does `meanwhile()` (the charts); the renderings in the order given.

    A build is mostly a kustomize process starting and reading its tree (70 ms for a small
    overlay, the render cache empty), so a repository of many overlays waited for them one by
    one before linting began. Threads suffice: the time is in the child processes."""
    if not builds:
        meanwhile()
        return []
    import threading

    from kubelint.engine.rendered import build_root

    # Plain threads taking the next build in turn: concurrent.futures (and the logging it
    # imports) cost a run with Kustomize roots 5 ms of its serial start.
    done: list[Any] = [None] * len(builds)
    failed: list[BaseException | None] = [None] * len(builds)
    taken = iter(range(len(builds)))
    lock = threading.Lock()
    stopped = threading.Event()

    def take_builds() -> None:
        while not stopped.is_set():
            with lock:
                index = next(taken, None)
            if index is None:
                return
            try:
                done[index] = build_root(*builds[index])
            except BaseException as exc:  # handed to the caller's thread below
                failed[index] = exc

    threads = [threading.Thread(target=take_builds, name="kubelint-build", daemon=True)
               for _ in range(min(len(builds), _BUILDS_AT_ONCE))]
    for thread in threads:
        thread.start()
    try:
        meanwhile()
        for thread in threads:
            thread.join()
    except BaseException:  # an interrupt or a failed chart: the builds not yet begun are not begun
        stopped.set()
        raise
    for problem in failed:
        if problem is not None:
            raise problem
    return done


# Kustomize builds run at once: kustomize is a Go program that uses more than one core itself.
_BUILDS_AT_ONCE = max(2, min(8, os.cpu_count() or 1))


def _lint_project(project: Project, linter: Linter, kustomize: KustomizeInfo, stdin_text: str | None,
                  stdin_filename: str | None, done: Callable[[FileOutcome], None], auto_jobs: bool,
                  caches: dict[str, Any], rendering: Rendering | None = None,
                  origins: dict[int, str] | None = None) -> RunResult:
    """One project: its files (and context) mapped, its rendering linted, then reduced on their own."""
    options = linter.options
    linter.cache = _result_cache(linter, caches)
    if rendering is not None and rendering.sources and linter.schema is not None:
        linter.schema.add_crds([d for source in rendering.sources for d in crds_of(source.documents)])
    own = {f for f in (*project.files, *project.context) if kustomize.is_own(f)}
    linter.partial_files = frozenset(kustomize.patches)
    linter.selector_labels = kustomize.selector_labels
    result = RunResult(findings=[], rules=linter.rules)
    reported = [path for path in project.files if path != "-" and path not in own]
    if project.kind == "repository" and options.schema_dirs:
        project.context = []  # the CRDs were named (--schema-dir): a repository's others do not judge
    context = useful_context(reported, [path for path in project.context if path not in own],
                             linter.options.max_file_size, stdin_text if "-" in project.files else None)
    on_disk = reported + context
    # The library works in its caller's process unless asked: a pool forked inside a threaded
    # host (an editor, a web service) is the caller's decision, not ours.
    jobs = linter.options.jobs or (default_jobs(on_disk) if auto_jobs else 1)
    outcomes: list[FileOutcome] = []
    stdin_source = None
    if "-" in project.files:
        stdin_source = load_path("-", linter.options.max_file_size, stdin_text, stdin_filename or "<stdin>")
    if linter.schema is None:
        for _, outcome in lint_files(linter, on_disk, jobs):
            outcomes.append(outcome)
            done(outcome)
        if stdin_source is not None:
            outcomes.append(linter.lint_source(stdin_source))
    else:
        outcomes = lint_in_two_passes(linter, on_disk, jobs, stdin_source, done)
    if rendering is not None:
        for source in rendering.sources:  # in this process: a few objects per chart or root
            outcomes.append(linter.lint_rendered(source, rendering.texts.get(source.path)))
    hidden = set(context)
    virtual = set(rendering.remaps) if rendering is not None else set()
    for outcome in outcomes:
        if outcome.path in hidden:
            continue
        if outcome.path in virtual:  # the files it renders from are counted once, above
            result.documents += outcome.documents
            continue
        result.files += 1
        result.documents += outcome.documents
        result.skipped += outcome.skipped
        if outcome.skipped:
            result.skipped_files.append(outcome.path)
    for path in sorted(own & set(project.files)):  # kustomize's own files: read by kustomize, not objects
        result.files += 1
        result.skipped += 1
        result.skipped_files.append(path)
    baseline = options.baseline if rendering is not None else None
    if baseline:  # a rendered finding matches the baseline where it was moved to, below
        linter.options = replace(options, baseline=None)
    reduced = reduce_run(linter, outcomes)
    linter.options = options
    for what, table in (("pods", reduced.pod_operator_namespaces), ("references", reduced.operator_namespaces)):
        for namespace, (kind, name, file) in table.items():
            if what == "pods" or namespace not in reduced.pod_operator_namespaces:
                result.operator_namespaces.append((str(namespace), what, kind, name, file))
    result.findings = [f for f in reduced.findings if f.file not in hidden]
    result.suppressed = [s for s in reduced.suppressed if s.finding.file not in hidden]
    if rendering is not None:
        result.findings = [_moved(f, rendering, origins) for f in result.findings] + rendering.findings
        result.suppressed = [s._replace(finding=_moved(s.finding, rendering, None)) for s in result.suppressed]
        if baseline:
            from kubelint.engine.baseline import Baseline
            from kubelint.model import Suppressed

            result.findings, known = Baseline.load(baseline).split(result.findings)
            result.suppressed += [Suppressed(f, "baseline", "") for f in known]
        if project.alone:  # files given alone: what the build says of the others is not theirs
            given = {real_path(f) for f in project.files if f != "-"}
            result.findings = [f for f in result.findings if f.rule == "render-failed"
                               or real_path(f.file) in given]
            result.suppressed = [s for s in result.suppressed if real_path(s.finding.file) in given]
    return result


def _moved(finding: Finding, rendering: Rendering, origins: dict[int, str] | None) -> Finding:
    """A finding of a rendered object, at the line a person wrote."""
    remap = rendering.remaps.get(finding.file)
    if remap is None:
        return finding
    try:
        moved = remap(finding)
    except Exception:  # a source map that cannot place it: the finding stays where it was rendered
        return finding
    if origins is not None and finding.file in rendering.roots:
        origins[id(moved)] = rendering.roots[finding.file]
    return moved


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
