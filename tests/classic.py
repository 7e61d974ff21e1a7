"""The rule set the input, schema and engine tests were written against, pinned.

Those tests assert every finding of a file; the catalog of best-practice rules keeps growing,
and a new rule firing on their fixtures would move what they are about (reading hostile
input, positions, schema errors, suppression). They lint with these rules only, through the
same public functions and CLI as everyone else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kubelint.engine import run as runner
from kubelint.options import Options
from tests.conftest import run_cli as _run_cli

CLASSIC_RULES = ["image-tag", "misplaced-field", "missing-selector", "schema-invalid", "unknown-field",
                 "unknown-kind", "removed-api", "deprecated-api"]


def classic(options: Options | None = None) -> Options:
    if options is None:
        return Options(only=list(CLASSIC_RULES))
    return options if options.only else replace(options, only=list(CLASSIC_RULES))


def lint_text(text: str, filename: str = "<stdin>", options: Options | None = None) -> Any:
    return runner.lint_text(text, filename, classic(options))


def lint_paths(paths: Any, options: Options | None = None, **kwargs: Any) -> Any:
    return runner.lint_paths(paths, classic(options), **kwargs)


def run_cli(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    if args and args[0] == "check" and "--only" not in args:
        args = ["check", "--only", ",".join(CLASSIC_RULES), *args[1:]]
    return _run_cli(args, stdin)
