"""One misspelt rule in a suppression is one finding (issue 21, item 6): `unknown-suppression`
says it, and `--report-unused-suppressions` does not add an `unused-suppression` for a name that
could never have silenced anything. Real names beside it are still reported when unused."""

from __future__ import annotations

import inspect

import pytest

import kubelint
from kubelint.engine import suppress
from kubelint.options import Options

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    kubelint.dev/ignore: {annotation}
spec:
  containers:
    - name: web  # kubelint: disable={comment}
      image: nginx:1.27
"""
UNUSED = Options(only=["image-tag", "run-as-root"], report_unused_suppressions=True)


def _suppression_findings(annotation: str, comment: str) -> list[tuple[str, int, int, str]]:
    text = POD.format(annotation=annotation, comment=comment)
    return [(f.rule, f.line, f.column, f.message) for f in kubelint.lint_text(text, "pod.yaml", UNUSED)
            if f.rule.endswith("-suppression")]


@pytest.mark.parametrize("annotation,column", [('"image-tagg"', 27), ("image-tagg", 26),
                                                ("'image-tagg'", 27)])
def test_a_misspelt_rule_is_one_finding(annotation: str, column: int) -> None:
    found = _suppression_findings(annotation, "run-as-rot")
    assert [(rule, line, col) for rule, line, col, _ in found] == [
        ("unknown-suppression", 6, column), ("unknown-suppression", 9, 38)]
    assert "did you mean `run-as-root`?" in found[1][3]


def test_a_real_rule_beside_a_misspelt_one_is_still_reported_unused() -> None:
    found = _suppression_findings("image-tag, image-tagg", "run-as-rot,image-tag")
    assert [(rule, line, col) for rule, line, col, _ in found] == [
        ("unused-suppression", 6, 5), ("unknown-suppression", 6, 37),
        ("unused-suppression", 9, 18), ("unknown-suppression", 9, 38)]
    # the unused finding names only the rule that exists
    assert "silences image-tag," in found[0][3] and "image-tagg" not in found[0][3]
    assert "silences image-tag," in found[2][3] and "run-as-rot" not in found[2][3]


def test_a_block_value_of_misspelt_names_is_one_finding_per_name() -> None:
    text = POD.format(annotation="|\n      image-tagg,\n      run-as-rot", comment="run-as-rot")
    found = [(f.rule, f.line) for f in kubelint.lint_text(text, "pod.yaml", UNUSED)
             if f.rule.endswith("-suppression")]
    assert found == [("unknown-suppression", 6), ("unknown-suppression", 6), ("unknown-suppression", 11)]


def test_directive_problems_needs_the_known_rules() -> None:
    """Issue 19: the caller passes the run's rules; no default loads the built-in ones."""
    params = inspect.signature(suppress.directive_problems).parameters
    assert params["known"].default is inspect.Parameter.empty
    problems = suppress.directive_problems("a: 1  # kubelint: disable=mine\n", [], {"mine"})
    assert problems == []
    problems = suppress.directive_problems("a: 1  # kubelint: disable=mine\n", [], {"image-tag"})
    assert [(p.rule, p.span.column) for p in problems] == [("unknown-suppression", 27)]
