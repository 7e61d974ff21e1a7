"""Running a rule's own examples: what `kubelint rules --test DIR` does for a team's rules.

A bad example must give the rule's findings at exactly the (line, column) pairs it lists, a
good one none, and neither an internal error. The built-in catalog is held to the same test,
by the same code, in tests/test_rule_examples.py.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kubelint.engine.rules import Rule
from kubelint.model import Finding


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # bad | good
    index: int
    description: str
    problem: str | None  # None when the example behaves as it says
    findings: tuple[Finding, ...] = ()  # every finding of the example, for a test's message

    @property
    def passed(self) -> bool:
        return self.problem is None


def examples_of(rules: Iterable[Rule]) -> Iterator[tuple[Rule, str, int, dict[str, Any]]]:
    """(rule, bad | good, index, example) of each example of each rule, in file order."""
    for rule in rules:
        for kind in ("bad", "good"):
            for index, example in enumerate(rule.examples.get(kind, [])):
                yield rule, kind, index, example


def run_example(rule: Rule, kind: str, index: int, example: dict[str, Any],
                rules_dirs: list[str] | None = None) -> ExampleResult:
    """Lint one example with its rule turned on (an off-by-default rule shows its examples)."""
    from kubelint.engine.run import lint_paths, lint_text
    from kubelint.kube.versions import parse_version
    from kubelint.options import Options

    options = Options(rules={rule.id: {"enabled": True}}, rules_dirs=list(rules_dirs or []))
    if "kubernetes-version" in example:
        options.kubernetes_version = parse_version(str(example["kubernetes-version"]))
    name = example.get("filename", "example.yaml")
    if "base64" in example:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, name)
            with open(path, "wb") as handle:
                handle.write(base64.b64decode(example["base64"]))
            findings = lint_paths([path], options).findings
    else:
        findings = lint_text(example.get("manifest", ""), name, options)
    wanted = example.get("findings", []) if kind == "bad" else []
    # A finding given by its line alone matches any column of that line; a column, when given, is checked.
    got = [(f.line, f.column) for f in findings if f.rule == rule.id]
    expected = [(e["line"], e.get("column")) for e in wanted]
    if len(got) == len(expected):  # in the order of the file, as the example lists them
        got = [(line, column if want is not None else None)
               for (line, column), (_, want) in zip(got, expected, strict=True)]
    problem = None
    internal = [f.message for f in findings if f.rule == "internal-error"]
    if internal:
        problem = f"internal error: {internal[0]}"
    elif got != expected:
        shown = ", ".join(f"{line}:{column}" if column is not None else f"line {line}" for line, column in got) or "none"
        want = ", ".join(f"{line}:{column}" if column is not None else f"line {line}"
                         for line, column in expected) or "none"
        problem = f"expected findings at {want}, got {shown}"
    return ExampleResult(rule.id, kind, index, example.get("description", ""), problem, tuple(findings))


def run_examples(rules: Iterable[Rule], rules_dirs: list[str] | None = None) -> list[ExampleResult]:
    return [run_example(rule, kind, index, example, rules_dirs)
            for rule, kind, index, example in examples_of(rules)]
