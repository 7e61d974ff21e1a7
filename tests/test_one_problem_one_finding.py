"""A finding may only be dropped in favour of one that is reported (issue 10, item 4)."""

from __future__ import annotations

from kubelint.engine.run import lint_text
from kubelint.options import Options

REPLICASET = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  spec:
    containers:
      - name: web
        image: nginx:1.27
"""


def _got(options: Options) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in lint_text(REPLICASET, "rs.yaml", options)]


def test_schema_only_keeps_the_missing_selector() -> None:
    assert _got(Options(schema_only=True)) == [("schema-invalid", "spec.selector"), ("unknown-field", "spec.spec")]


def test_with_the_dedicated_rules_off_the_schema_findings_stay() -> None:
    options = Options(only=["schema-invalid", "unknown-field"], rules={"missing-selector": {"enabled": False}})
    assert _got(options) == [("schema-invalid", "spec.selector"), ("unknown-field", "spec.spec")]


def test_with_the_dedicated_rules_on_each_problem_is_said_once() -> None:
    options = Options(only=["schema-invalid", "unknown-field", "missing-selector", "misplaced-field"])
    assert _got(options) == [("missing-selector", "spec.selector"), ("misplaced-field", "spec.spec")]


def test_a_misspelt_required_field_is_one_finding() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  contaners:\n    - name: web\n      image: x:1\n"
    found = [(f.rule, f.path) for f in lint_text(text, "p.yaml", Options(schema_only=True))]
    assert found == [("unknown-field", "spec.contaners")]
