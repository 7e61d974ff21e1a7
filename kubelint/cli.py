"""The command line: a thin typer layer over kubelint.lint_paths.

Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage, config or internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from enum import Enum
from typing import Annotated, Optional

import typer

from kubelint import __version__

app = typer.Typer(
    name="kubelint",
    help="Lint and validate Kubernetes manifests: every finding at its exact line.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


class FailLevel(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(f"kubelint: {message}\n")
    return typer.Exit(EXIT_ERROR)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"kubelint {__version__}\n")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option(  # noqa: UP045 - typer needs Optional
        "--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Lint and validate Kubernetes manifests: every finding at its exact line."""


@app.command()
def check(
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP045
        help="Files or directories to lint; `-` reads standard input. Default: the current directory.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat.text,
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
    output: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--output", "-o", help="Write the report to this file instead of standard output.")] = None,
    strict: Annotated[Optional[bool], typer.Option(  # noqa: UP045
        "--strict/--no-strict", help="Report fields the schema does not define (default: strict).")] = None,
    schema_dir: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--schema-dir", help="Extra JSON schemas or CRD files for custom resources; repeatable.")] = None,
    jobs: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--jobs", "-j", min=1, help="Worker processes (default: all CPUs for many files, 1 for few).")] = None,
    schema_only: Annotated[bool, typer.Option(
        "--schema-only", help="Only validate: input and Kubernetes schema rules, no other rules.")] = False,
) -> None:
    """Lint manifests and report every finding at its file, line and column."""
    started = time.perf_counter()
    from kubelint.config import ConfigError, find_config, load_config
    from kubelint.engine.rules import builtin_rules
    from kubelint.engine.runner import Options, lint_paths
    from kubelint.kube.versions import format_version, parse_version
    from kubelint.source import UsageError

    try:
        found = config_path or find_config()
        if config_path and not os.path.isfile(config_path):
            raise _fail(f"config file not found: {config_path}")
        config = load_config(found, set(builtin_rules())) if found else None
    except ConfigError as exc:
        raise _fail(str(exc)) from None

    options = Options()
    if config:
        if config.kubernetes_version:
            try:
                options.kubernetes_version = parse_version(config.kubernetes_version)
            except ValueError as exc:
                raise _fail(f"{config.path}: kubernetes-version: {exc}") from None
        options.rules = config.rules
        options.exclude = list(config.exclude)
        if config.strict is not None:
            options.strict = config.strict
        options.schema_dirs = list(config.schema_dirs)
        if config.max_file_size:
            options.max_file_size = config.max_file_size
    if kubernetes_version:
        try:
            options.kubernetes_version = parse_version(kubernetes_version)
        except ValueError as exc:
            raise _fail(f"--kubernetes-version: {exc}") from None
    options.exclude += exclude or []
    options.schema_dirs += schema_dir or []
    if strict is not None:
        options.strict = strict
    options.jobs = jobs
    options.schema_only = schema_only
    level = (fail_on.value if fail_on else None) or (config.fail_on if config else None) or "error"

    targets = paths or ["."]
    stdin_text = None
    if "-" in targets:
        data = sys.stdin.buffer.read()
        from kubelint.source import _Unreadable, decode

        try:
            stdin_text = decode(data)
        except _Unreadable as exc:
            raise _fail(f"standard input: {exc}") from None
    try:
        result = lint_paths(targets, options, stdin_text=stdin_text, stdin_filename=stdin_filename)
    except UsageError as exc:
        raise _fail(str(exc)) from None

    version_text = format_version(options.kubernetes_version)
    stream = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        if output_format is OutputFormat.json:
            from kubelint.report import json_report

            stream.write(json_report.render(result, version_text))
        elif output_format is OutputFormat.sarif:
            from kubelint.report import sarif

            stream.write(sarif.render(result, version_text))
        else:
            from kubelint.report import text
            from kubelint.source import read_lines

            color = False if (no_color or output or os.environ.get("NO_COLOR")) else None
            stdin_name = stdin_filename or "<stdin>"

            def lines_for(file: str) -> list[str]:
                if stdin_text is not None and file == stdin_name:
                    return stdin_text.splitlines()
                return read_lines(file, options.max_file_size)

            text.render(result, lines_for, stream, color=color,
                        seconds=time.perf_counter() - started)
    finally:
        if output:
            stream.close()
    raise typer.Exit(exit_code(result, level))


def exit_code(result: object, level: str) -> int:
    from kubelint.engine.runner import RunResult
    from kubelint.model import Severity

    assert isinstance(result, RunResult)
    if result.internal_errors:
        return EXIT_ERROR
    if level == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(level)
    return EXIT_FINDINGS if any(f.severity >= threshold for f in result.findings) else EXIT_CLEAN


@app.command()
def rules(
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json.")] = OutputFormat.text,
) -> None:
    """List every rule: id, severity, on/off, category and summary."""
    from kubelint.engine.rules import builtin_rules

    catalog = builtin_rules()
    if output_format is OutputFormat.json:
        import json

        data = [{"id": r.id, "severity": str(r.severity), "enabled": r.enabled,
                 "category": r.category, "summary": r.summary} for r in catalog.values()]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    width = max(len(r) for r in catalog)
    for rule in sorted(catalog.values(), key=lambda r: (r.category, r.id)):
        state = "on " if rule.enabled else "off"
        sys.stdout.write(f"{rule.id:<{width}}  {str(rule.severity):<7}  {state}  "
                         f"{rule.category:<9}  {rule.summary}\n")


@app.command()
def explain(rule_id: Annotated[str, typer.Argument(help="A rule id, as `kubelint rules` lists them.")]) -> None:
    """What a rule finds, why it matters, how to fix it, with a bad and a good example."""
    import difflib

    from kubelint.engine.rules import builtin_rules

    catalog = builtin_rules()
    rule = catalog.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(catalog), n=1)
        hint = f"; did you mean `{close[0]}`?" if close else "; `kubelint rules` lists them"
        raise _fail(f"unknown rule `{rule_id}`{hint}")
    out: list[str] = [f"{rule.id} ({rule.severity}, {rule.category}, "
                      f"{'on' if rule.enabled else 'off'} by default)", "", rule.summary, ""]
    for title, key in (("What it finds", "what"), ("Why it matters", "why"), ("How to fix it", "fix")):
        if rule.docs.get(key):
            out += [f"{title}:", f"  {rule.docs[key].strip()}", ""]
    for title, key in (("Bad example", "bad"), ("Good example", "good")):
        examples = [e for e in rule.examples.get(key, []) if "manifest" in e]
        if examples:
            out.append(f"{title}:")
            out += ["  " + line for line in examples[0]["manifest"].rstrip().splitlines()]
            out.append("")
    links = rule.docs.get("links") or []
    if links:
        out += ["See also:"] + [f"  {link}" for link in links] + [""]
    sys.stdout.write("\n".join(out).rstrip() + "\n")


def run() -> None:
    """Console-script entry point: leaves with os._exit once the output is flushed.

    Why: tearing the interpreter down (every module and every object of the run, one by one)
    took a tenth of a one-file pre-commit run, and nothing is left to clean up by then: the
    worker pools and the report file are closed before the command returns. Only the real
    process exit does this; `app` itself (tests, embedding) exits the usual way.
    """
    try:
        app()
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
