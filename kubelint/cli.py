"""The command line: a thin typer layer over kubelint.lint_paths.

Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage, config or internal error.
"""

# No `from __future__ import annotations` here: typer reads every command's signature at each
# run, and evaluating string annotations (an eval per parameter) took 12 ms of a one-file run.

import contextlib
import os
import sys
import time
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from kubelint._version import __version__

if TYPE_CHECKING:
    from kubelint.config import Settings
    from kubelint.engine.rules import Rule

T = TypeVar("T")

_APP_SETTINGS: dict[str, Any] = {
    "name": "kubelint",
    "help": "Lint and validate Kubernetes manifests: every finding at its exact line.",
    "add_completion": False,
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"


class CatalogFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class _OrderedCommand(typer.core.TyperCommand):
    """Keeps the order of the options as given, which click forgets for repeated options:
    each --output pairs with the --format before it."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if any(a.startswith("--o") or (a.startswith("-") and not a.startswith("--") and "o" in a) for a in args):
            # Only an --output (-o, perhaps among other short flags) needs the order: a run
            # without one saves the second parse.
            with contextlib.suppress(Exception):  # a mistake is reported by the real parse below
                _, _, order = self.make_parser(ctx).parse_args(args=list(args))
                ctx.meta["kubelint.order"] = [param.name for param in order]
        return super().parse_args(ctx, args)


class FailLevel(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _pause_gc() -> None:
    """A run makes millions of objects and keeps many (documents, CRDs, compiled schemas), all
    acyclic: the cyclic collector found under 500 unreachable objects in the whole corpus, yet
    took a fifth of the time re-walking what is alive. The console entry point owns its
    process, so it pauses the collector for good (workers inherit that); `app` called
    in-process (tests, an embedding tool) and the library never touch the host's collector."""
    import gc

    gc.disable()


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(f"kubelint: {message}\n")
    return typer.Exit(EXIT_ERROR)


def _version_callback(value: bool) -> None:
    if value:
        from kubelint.kube.versions import default_version, format_version, supported_versions

        shipped = ", ".join(format_version(v) for v in supported_versions())
        from kubelint.parser.builder import parser_in_use

        sys.stdout.write(f"kubelint {__version__}\nKubernetes versions: {shipped} "
                         f"(default {format_version(default_version())})\nYAML parser: {parser_in_use()}\n")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option(  # noqa: UP045 - typer needs Optional
        "--version", "-V", callback=_version_callback, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Lint and validate Kubernetes manifests: every finding at its exact line."""


@app.command(cls=_OrderedCommand)
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        help="Files or directories to lint; `-` reads standard input. Default: the current directory.")] = None,
    output_format: Annotated[Optional[list[OutputFormat]], typer.Option(  # noqa: UP045
        "--format", "-f", help="Report format; repeatable, each with its own --output (default: text, "
        "github in GitHub Actions).")] = None,
    kubernetes_version: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--kubernetes-version", "-k", help="Kubernetes version to check against (default: newest supported).")] = None,
    config_path: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--config", "-c", help="Config file (default: .kubelint.yaml found from here upward).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--exclude", "-e", help="Glob of paths to skip; repeatable.")] = None,
    fail_on: Annotated[Optional[FailLevel], typer.Option(  # noqa: UP045
        "--fail-on", help="Lowest severity that makes the exit code 1 (default: error).")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text report.")] = False,
    stdin_filename: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--stdin-filename", help="Name to report for `-` (editors pass the buffer's path).")] = None,
    output: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--output", "-o", help="Write the report of the --format before it to this file.")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only the findings: no code frames, summary or progress bar.")] = False,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="Print the number of findings of each rule instead of the findings (text).")] = False,
    strict: Annotated[Optional[bool], typer.Option(  # noqa: UP045
        "--strict/--no-strict", help="Report fields the schema does not define (default: strict).")] = None,
    schema_dir: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--schema-dir", help="Extra JSON schemas or CRD files for custom resources; repeatable.")] = None,
    jobs: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--jobs", "-j", min=1, help="Worker processes (default: all CPUs for many files, 1 for few).")] = None,
    schema_only: Annotated[bool, typer.Option(
        "--schema-only", help="Only validate: input and Kubernetes schema rules, no other rules.")] = False,
    enable: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--enable", help="Turn on a rule or a category (ids or categories, comma-separated); repeatable.")] = None,
    disable: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--disable", help="Turn off a rule or a category; repeatable.")] = None,
    only: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--only", help="Run just these rules or categories (comma-separated; input rules always run).")] = None,
    profile: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--profile", help="Pod Security Standards level to enforce: baseline or restricted.")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also list the files that were not linted, and why (on standard error).")] = False,
    baseline: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--baseline", help="Report only findings that this baseline file does not record.")] = None,
    write_baseline: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--write-baseline", help="Record today's findings in this file (then exit 0); see --baseline.")] = None,
    report_unused: Annotated[Optional[bool], typer.Option(  # noqa: UP045
        "--report-unused-suppressions/--no-report-unused-suppressions",
        help="Report comments, annotations and ignore entries that silenced nothing (info).")] = None,
    show_suppressed: Annotated[bool, typer.Option(
        "--show-suppressed", help="Also list the suppressed findings, with what silenced each.")] = False,
    namespace: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--namespace", "-n", help="Namespace of objects that name none, for cross-object rules (default: default).")] = None,
    rules_dir: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--rules-dir", help="A directory of your own rule files; repeatable.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Lint every file afresh: neither read nor write the result cache (cache: false).")] = False,
    no_render: Annotated[bool, typer.Option(
        "--no-render", help="Lint Helm charts' and Kustomize roots' files one by one instead of rendering "
        "them with helm / kustomize (render: off).")] = False,
    values: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--values", help="A Helm values file for rendering charts (as helm --values); repeatable.")] = None,
    set_values: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--set", help="A Helm value key=value for rendering charts (as helm --set); repeatable.")] = None,
    release_name: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--release-name", help="The release name charts are rendered with (default: release-name).")] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Rewrite what has one right answer (safe fixes), then report what remains.")] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print what --fix would change as a unified diff; write nothing (exit 1 if any).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option(
        "--unsafe-fixes", help="With --fix or --diff, also apply the fixes that change behaviour.")] = False,
) -> None:
    """Lint manifests and report every finding at its file, line and column."""
    started = time.perf_counter()
    from kubelint.config import Overrides
    from kubelint.engine.run import lint_paths
    from kubelint.kube.versions import format_version

    targets = paths or ["."]
    if stdin_filename is not None and "-" not in targets:
        raise _fail("--stdin-filename names standard input, but `-` is not among the paths, so "
                    "nothing would read it: add `-` (kubelint check - --stdin-filename NAME)")
    _refuse_reports_that_would_not_be_written(diff, write_baseline, output_format or [], output or [])
    overrides = Overrides(config_path=config_path, flags={
        "kubernetes_version": kubernetes_version, "fail_on": fail_on.value if fail_on else None,
        "exclude": exclude, "strict": strict, "schema_dirs": schema_dir, "jobs": jobs,
        "schema_only": schema_only or None, "enable": enable, "disable": disable, "only": only,
        "profile": profile, "baseline": None if write_baseline else baseline,
        "report_unused_suppressions": report_unused, "rules_dirs": rules_dir, "namespace": namespace,
        "render": "off" if no_render else None, "cache": False if no_cache else None, "helm_values": values, "helm_set": set_values,
        "release_name": release_name})
    settings = _settings(targets, overrides, stdin_filename)
    options, level = settings.options, settings.fail_on
    if write_baseline:
        options.baseline = None  # record everything there is today
    targets_out = _report_targets(ctx, output_format or [], output or [], statistics)
    for target in targets_out:
        if target.output:
            _check_writable(target.output)
    stdin_text = _read_stdin(options.max_file_size) if "-" in targets else None
    from kubelint.report import progress

    bar = progress.for_stream(sys.stderr, quiet)
    try:
        result = _usage_errors_exit(lambda: lint_paths(targets, options, stdin_text=stdin_text,
                                                       stdin_filename=stdin_filename, progress=bar,
                                                       auto_jobs=True, options_for=_per_project(settings, write_baseline),
                                                       context=True))
    finally:
        if bar is not None:
            bar.close()
    if verbose or result.files == 0:
        _tell_what_was_not_linted(targets, options.exclude, verbose, result.files)
    if verbose:
        for root, how, count, config in result.projects:
            where = f", config {config}" if config else ""
            sys.stderr.write(f"kubelint: project: {root}: {how}; {count} file{'s' if count != 1 else ''}{where}\n")
        for namespace, what, kind, name, file in sorted(result.operator_namespaces):
            judged = ("neither references nor selectors are judged there" if what == "pods"
                      else "references to Secrets, ConfigMaps and Services are not judged there")
            sys.stderr.write(f"kubelint: namespace {namespace} is treated as operator-run: {kind} `{name}` "
                             f"({file}) may create what its objects look for; {judged}\n")
        for path in sorted(result.skipped_files):
            sys.stderr.write(f"kubelint: skipped: {path}: no Kubernetes object in it (a kustomization, "
                             "values, Chart.yaml or other tool file)\n")
    if fix or diff:
        result, stdin_text = _fix(result, targets, options, stdin_text, stdin_filename or "<stdin>", diff,
                                  unsafe_fixes, quiet, _per_project(settings, write_baseline))
    elif any(t.format == "json" for t in targets_out) and _has_fixable(result.findings):
        from kubelint.fix.run import fixes_for_report, reader

        # Without the run's CRDs: reading them again cost a corpus run 2.4 s; --fix reads them
        result.findings = fixes_for_report(result.findings, options,
                                           reader(options, stdin_text, stdin_filename or "<stdin>"))
    if write_baseline:
        _write_baseline(write_baseline, result)


    from kubelint.report import ReportContext

    context = ReportContext(format_version(options.kubernetes_version), quiet=quiet, statistics=statistics,
                            show_suppressed=show_suppressed)
    stdin_name = stdin_filename or "<stdin>"

    def lines_for(file: str) -> list[str]:
        from kubelint.source import read_lines

        if stdin_text is not None and file == stdin_name:
            return stdin_text.splitlines()
        return read_lines(file, options.max_file_size)

    context.lines_for = lines_for
    # --fix on standard input prints the manifest on standard output, so the report goes to stderr
    redirect = contextlib.redirect_stdout(sys.stderr) if fix and stdin_text is not None else contextlib.nullcontext()
    with redirect:
        for target in targets_out:
            context.seconds = time.perf_counter() - started
            context.color = False if (no_color or target.output or os.environ.get("NO_COLOR")) else None
            _write_report(target, result, context)
    raise typer.Exit(exit_code(result, level))


def _per_project(settings: "Settings", write_baseline: str | None) -> Any:
    """Each project's Options from its own config; --write-baseline records everything there is."""
    if settings.options_for is None:
        return None
    if not write_baseline:
        return settings.options_for
    from dataclasses import replace

    return lambda config: replace(settings.options_for(config), baseline=None)  # type: ignore[misc]


def _refuse_reports_that_would_not_be_written(diff: bool, write_baseline: str | None, formats: list[Any],
                                              outputs: list[str]) -> None:
    """--diff prints only the diff and --write-baseline only records: a report asked for beside
    them would silently never be written (a CI job would then upload a stale or missing file)."""
    if not (formats or outputs):
        return
    asked = " ".join([f"--format {getattr(f, 'value', f)}" for f in formats] + [f"--output {o}" for o in outputs])
    if diff:
        raise _fail(f"--diff prints only the unified diff and writes no report, so {asked} would be ignored; "
                    "drop them, or run --diff and the report as two commands")
    if write_baseline:
        raise _fail(f"--write-baseline records the findings and writes no report, so {asked} would be "
                    "ignored; drop them, or run the report as a second command with --baseline")


def _write_baseline(path: str, result: Any) -> None:
    """Record the run's findings as the baseline and stop: adopting kubelint on a legacy tree."""
    from kubelint.engine.baseline import write

    try:
        count = write(path, result.findings)
    except OSError as exc:
        raise _fail(f"--write-baseline: cannot write {path}: {exc.strerror or exc}") from None
    sys.stderr.write(f"kubelint: recorded {count} finding{'s' if count != 1 else ''} in {path}; "
                     f"`kubelint check --baseline {path}` (or `baseline:` in .kubelint.yaml) reports only new ones\n")
    raise typer.Exit(EXIT_CLEAN)


def _has_fixable(findings: list[Any]) -> bool:
    """Whether the JSON report needs the fixer machinery at all (a clean run never imports it)."""
    from kubelint.fix import FIXABLE

    return any(f.rule in FIXABLE for f in findings)


def _fix(result: Any, targets: list[str], options: Any, stdin_text: str | None, stdin_name: str,
         diff: bool, unsafe: bool, quiet: bool, options_for: Any = None) -> tuple[Any, str | None]:
    """--fix and --diff: fix the files (or print the diff and exit), then lint again for what remains.

    With standard input, --fix prints the fixed text on standard output, and the report goes to
    standard error unless it has an --output."""
    from kubelint.fix.run import fix_and_relint, fix_paths, summary, unified_diff

    if diff:
        report = fix_paths(result.findings, targets, options, stdin_text=stdin_text, stdin_name=stdin_name,
                           unsafe=unsafe, write=False)
        for changed in report.changed:
            sys.stdout.write(unified_diff(changed))
        if not quiet:
            sys.stderr.write(summary(report, 0, diff=True))
        raise typer.Exit(EXIT_FINDINGS if report.changed else EXIT_CLEAN)
    report, result, fixed_stdin = _usage_errors_exit(lambda: fix_and_relint(
        result, targets, options, stdin_text=stdin_text, stdin_name=stdin_name, unsafe=unsafe,
        options_for=options_for))
    if stdin_text is not None:
        sys.stdout.write(fixed_stdin or "")
        sys.stdout.flush()
    if not quiet:
        sys.stderr.write(summary(report, len(result.findings), diff=False))
    return result, fixed_stdin


def _settings(targets: list[str], overrides: object, stdin_filename: str | None) -> "Settings":
    """The run's configuration, as the library resolves it; any mistake in it exits 2."""
    from kubelint.config import resolve

    return _usage_errors_exit(lambda: resolve(targets, overrides, stdin_filename))  # type: ignore[arg-type]


def _usage_errors_exit(call: Callable[[], T]) -> T:
    """Run `call`; a mistake in the configuration, the flags, a rule file or the baseline exits 2
    in one line.

    Caught through their one base (kubelint.errors), not class by class: naming
    BaselineError imported the baseline module into every run, which only --baseline uses."""
    from kubelint.errors import KubelintError

    try:
        return call()
    except KubelintError as exc:
        raise _fail(str(exc)) from None


def _read_stdin(max_bytes: int) -> str:
    """Standard input as text, held to the same size limit as files (max-file-size)."""
    from kubelint.source import ReadError, decode, read_stream

    try:
        data = read_stream(sys.stdin.buffer, max_bytes)
    except ReadError as exc:
        raise _fail(str(exc)) from None
    try:
        return decode(data)
    except ReadError as exc:
        raise _fail(f"standard input: {exc}") from None


def _check_writable(output: str) -> None:
    """Refuse an --output that cannot be written before linting, not after."""
    parent = os.path.dirname(os.path.abspath(output))
    if os.path.isdir(output):
        raise _fail(f"--output: {output} is a directory; name a file")
    if not os.path.isdir(parent):
        raise _fail(f"--output: cannot write {output}: the directory {parent} does not exist")
    if not os.access(output if os.path.exists(output) else parent, os.W_OK):
        raise _fail(f"--output: cannot write {output}: permission denied")


def _report_targets(ctx: typer.Context, formats: list[OutputFormat], outputs: list[str],
                    statistics: bool = False) -> list[Any]:
    """Each --format with the --output after it, in command-line order (see report.outputs).

    --statistics is a text report: asked for in a GitHub Actions job, it is not replaced by the
    annotations that are the default there."""
    from kubelint.report.outputs import OutputError, default_format, pair

    order = [n for n in ctx.meta.get("kubelint.order", ()) if n in ("output_format", "output")]
    if sorted(order) != sorted(["output_format"] * len(formats) + ["output"] * len(outputs)):
        order = ["output_format"] * len(formats) + ["output"] * len(outputs)  # formats first
    format_values, output_values = iter(formats), iter(outputs)
    flags = [("format", next(format_values).value) if name == "output_format" else ("output", next(output_values))
             for name in order]
    try:
        stdout_tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        stdout_tty = False
    try:
        return pair(flags, "text" if statistics else default_format(os.environ, stdout_tty))
    except OutputError as exc:
        raise _fail(str(exc)) from None


def _write_report(target: Any, result: Any, context: Any) -> None:
    from kubelint.report import renderer

    try:
        stream = open(target.output, "w", encoding="utf-8") if target.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise _fail(_unwritable(str(target.output), exc, result)) from None
    try:
        renderer(target.format)(result, context, stream)
    finally:
        if target.output:
            stream.close()


def _unwritable(output: str, exc: OSError, result: object) -> str:
    findings = len(getattr(result, "findings", []))
    return (f"--output: cannot write {output}: {exc.strerror or exc}; the report "
            f"({findings} finding{'s' if findings != 1 else ''}) was not written anywhere")


def _tell_what_was_not_linted(targets: list[str], exclude: list[str], verbose: bool, files: int) -> None:
    """On standard error: each path not linted and why (-v), or why nothing was linted at all."""
    from kubelint.source import not_linted

    skipped = not_linted(targets, exclude)
    if verbose:
        for path, reason in skipped:
            sys.stderr.write(f"kubelint: not linted: {path}: {reason}\n")
    if files == 0:
        why = "; ".join(f"{path}: {reason}" for path, reason in skipped[:3]) or "no paths"
        more = f" (and {len(skipped) - 3} more; -v lists them)" if len(skipped) > 3 else ""
        sys.stderr.write(f"kubelint: warning: nothing was linted: {why}{more}\n")


def _configured_rules(config_path: str | None, rules_dirs: list[str] | None = None) -> dict[str, "Rule"]:
    """Every rule as a run from here would see it: the config's on/off and severities applied."""
    from kubelint.config import Overrides, resolve
    from kubelint.engine.linter import active_rules

    overrides = Overrides(config_path=config_path, flags={"rules_dirs": rules_dirs})
    return _usage_errors_exit(lambda: active_rules(resolve(["."], overrides).options))


def exit_code(result: object, level: str) -> int:
    from kubelint.model import RunResult

    assert isinstance(result, RunResult)
    return result.exit_code(level)


@app.command()
def rules(
    output_format: Annotated[CatalogFormat, typer.Option(
        "--format", "-f", help="text, json (for tools) or markdown (docs/rules.md).")] = CatalogFormat.text,
    config_path: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--config", "-c", help="Config file (default: .kubelint.yaml found from here upward).")] = None,
    output: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
    test: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--test", help="Run the examples of the rule files in this directory (your own rules); exit 1 on a failure.")] = None,
    rules_dir: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--rules-dir", help="Also list the rules of this directory of your own rule files; repeatable.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the output (it has none today; "
                                           "accepted as `check` accepts it).")] = False,
) -> None:
    """List every rule: id, severity, on/off, category and summary, as the config sets them."""
    if test is not None:
        _test_rules(test)
        return
    if output_format is not CatalogFormat.text:
        from kubelint.engine.rules import builtin_rules
        from kubelint.report import catalog as docs

        # markdown documents the rule files as shipped; json shows this repository's config
        rules = _usage_errors_exit(builtin_rules) if output_format is CatalogFormat.markdown \
            else _configured_rules(config_path, rules_dir)
        text = docs.to_markdown(rules) if output_format is CatalogFormat.markdown else docs.to_json(rules)
        if output:
            _check_writable(output)
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
        return
    catalog = _configured_rules(config_path, rules_dir)
    width = max(len(r) for r in catalog)
    for rule in sorted(catalog.values(), key=lambda r: (r.category, r.id)):
        state = "on " if rule.enabled else "off"
        sys.stdout.write(f"{rule.id:<{width}}  {str(rule.severity):<7}  {state}  "
                         f"{rule.category:<9}  {rule.summary}\n")


def _test_rules(directory: str) -> None:
    """A platform team's own rules, tested in its own CI: each bad example must give the rule's
    findings at the lines and columns it lists, each good example none."""
    from kubelint.engine.examples import run_examples
    from kubelint.engine.rules import load_rules_dir

    rules = _usage_errors_exit(lambda: load_rules_dir(directory))
    results = _usage_errors_exit(lambda: run_examples(rules.values(), [directory]))
    failed = [r for r in results if not r.passed]
    for result in results:
        what = f"{result.rule} {result.kind} example {result.index + 1}"
        if result.description:
            what += f" ({result.description})"
        sys.stdout.write(f"{'ok  ' if result.passed else 'FAIL'}  {what}" +
                         (f": {result.problem}" if result.problem else "") + "\n")
    without = sorted(rule_id for rule_id, rule in rules.items() if not rule.examples.get("bad"))
    for rule_id in without:
        sys.stdout.write(f"FAIL  {rule_id}: no bad example, so nothing shows that it fires\n")
    sys.stdout.write(f"{len(rules)} rules, {len(results)} examples: {len(results) - len(failed)} passed, "
                     f"{len(failed) + len(without)} failed\n")
    if failed or without:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id, as `kubelint rules` lists them.")],
    config_path: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--config", "-c", help="Config file whose rules-dir holds your own rules (default: .kubelint.yaml "
        "found from here upward).")] = None,
    rules_dir: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--rules-dir", help="A directory of your own rule files; repeatable.")] = None,
) -> None:
    """What a rule finds, why it matters, how to fix it, with a bad and a good example."""
    from kubelint.engine.rules import builtin_rules
    from kubelint.suggest import closest

    catalog = dict(_usage_errors_exit(builtin_rules))
    rule = catalog.get(rule_id) or catalog.get(rule_id.strip().lower())
    if rule is None:
        # `kubelint rules` lists the house rules of the config's rules-dir, so explain knows them too
        catalog = _configured_rules(config_path, rules_dir)
        rule = catalog.get(rule_id) or catalog.get(rule_id.strip().lower())
    if rule is None:
        categories = {r.category for r in catalog.values()}
        if rule_id.strip().lower() in categories:
            raise _fail(f"`{rule_id}` is a category, not a rule; `kubelint rules` lists its rules, "
                        f"and `kubelint explain <id>` explains one")
        close = closest(rule_id, catalog)  # as --only and the config suggest rule ids
        hint = f"; did you mean `{close}`?" if close else "; `kubelint rules` lists them"
        raise _fail(f"unknown rule `{rule_id}`{hint}")
    from kubelint.report.catalog import explain_text

    sys.stdout.write(explain_text(rule))


cache_app = typer.Typer(help="The result cache: each file's findings, reused while nothing that changes "
                        "them has changed.", no_args_is_help=True, add_completion=False)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many entries it holds and how big it is."""
    from kubelint import resultcache

    found = resultcache.info()
    if not found.get("where"):
        sys.stdout.write("no cache folder: no home directory and no KUBELINT_CACHE_DIR\n")
        return
    state = "off (KUBELINT_NO_CACHE)" if not resultcache.enabled() else "on"
    sys.stdout.write(f"{found['where']}: {found['entries']} entries, {found['bytes'] / 1e6:.1f} MB "
                     f"(at most {found['max_bytes'] / 1e6:.0f} MB, the least recently used go first); {state}\n")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every entry of the result cache (of every kubelint version)."""
    from kubelint import resultcache

    entries, size = resultcache.clear()
    sys.stdout.write(f"removed {entries} entries ({size / 1e6:.1f} MB)\n")


@app.command()
def lsp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Talk over standard input and output (the "
                                        "default; editors pass it).")] = True,
) -> None:
    """Run the language server: live diagnostics, quick fixes and hover docs in your editor."""
    try:
        from kubelint.server import serve_stdio
    except ImportError as exc:  # pygls is an extra: `pip install 'kubelint[lsp]'`
        raise _fail(f"the language server needs the lsp extra: pip install 'kubelint[lsp]' ({exc})") from None
    raise typer.Exit(serve_stdio())


# `kubelint check …` alone: typer builds the click command of every subcommand on each run,
# reading each signature's annotations, and a pre-commit run (always `check`) paid 1.3 ms for
# the others. The same callback and command, so `check`'s options, help and errors are the same.
_check_app = typer.Typer(**_APP_SETTINGS)
_check_app.callback()(main)
_check_app.command(cls=_OrderedCommand)(check)


def _app_for(args: list[str]) -> typer.Typer:
    return _check_app if args[:1] == ["check"] else app


def run() -> None:
    """Console-script entry point: leaves with os._exit once the output is flushed.

    Why: tearing the interpreter down (every module and every object of the run, one by one)
    took a tenth of a one-file pre-commit run, and nothing is left to clean up by then: the
    worker pools and the report file are closed before the command returns. Only the real
    process exit does this; `app` itself (tests, embedding) exits the usual way.
    """
    _pause_gc()
    try:
        _app_for(sys.argv[1:])()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # what sys.exit("message") does
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (`| head`) raises here: nobody is reading any more.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
