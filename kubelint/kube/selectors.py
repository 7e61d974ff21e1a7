"""Label selectors: does a selector select a set of labels, and is the selector well formed.

Two shapes exist: the map of Services, ReplicationControllers and DeploymentConfigs (every pair
must be among the labels), and metav1.LabelSelector (`matchLabels` plus `matchExpressions`
with In, NotIn, Exists, DoesNotExist; all requirements ANDed). An empty LabelSelector selects
everything, which the workload controllers refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.model import FieldPath

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _values(expression: dict[str, Any]) -> list[str] | None:
    values = expression.get("values")
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    return values


def requirement_matches(expression: dict[str, Any], labels: dict[str, Any]) -> bool | None:
    """Whether one matchExpressions entry holds for `labels`; None when it is malformed."""
    key, operator = expression.get("key"), expression.get("operator")
    values = _values(expression)
    if not isinstance(key, str) or values is None or operator not in OPERATORS:
        return None
    if requirement_problem(expression):
        return None
    present = key in labels
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    inside = present and str(labels[key]) in values
    return inside if operator == "In" else not inside


def unmatched(selector: Any, labels: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """Each requirement of a LabelSelector (or a map selector) that `labels` fail.

    Yields (path inside the selector, a description such as "`app: web`"). Malformed parts
    are skipped: they are invalid-label or schema findings, not a mismatch.
    """
    if not isinstance(selector, dict):
        return
    is_label_selector = "matchLabels" in selector or "matchExpressions" in selector
    pairs = selector.get("matchLabels") if is_label_selector else selector
    if isinstance(pairs, dict):
        prefix: FieldPath = ("matchLabels",) if is_label_selector else ()
        for key, value in pairs.items():
            if not isinstance(key, str) or isinstance(value, (dict, list)) or value is None:
                continue
            if key not in labels or str(labels[key]) != str(value):
                yield prefix + (key,), f"`{key}: {value}`"
    expressions = selector.get("matchExpressions") if is_label_selector else None
    if isinstance(expressions, list):
        for index, expression in enumerate(expressions):
            if isinstance(expression, dict) and requirement_matches(expression, labels) is False:
                yield ("matchExpressions", index), describe_requirement(expression)


def matches(selector: Any, labels: dict[str, Any]) -> bool:
    """Whether `selector` selects `labels` (malformed requirements are ignored)."""
    return next(unmatched(selector, labels), None) is None


def is_empty(selector: Any) -> bool:
    """A LabelSelector with no requirement at all (it would select every pod)."""
    if not isinstance(selector, dict):
        return False
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def describe_requirement(expression: dict[str, Any]) -> str:
    key, operator = expression.get("key"), expression.get("operator")
    values = _values(expression) or []
    if operator in ("Exists", "DoesNotExist"):
        return f"`{key} {operator}`"
    return f"`{key} {operator} ({', '.join(values)})`"


def requirement_problem(expression: dict[str, Any]) -> tuple[str, str] | None:
    """(field, what is wrong) for a matchExpressions entry the server refuses, else None."""
    operator = expression.get("operator")
    values = expression.get("values")
    if not isinstance(operator, str) or operator not in OPERATORS:
        return None  # an unknown operator is a schema (enum) finding
    has_values = isinstance(values, list) and len(values) > 0
    if operator in ("In", "NotIn") and not has_values:
        return "values", f"operator {operator} needs at least one value"
    if operator in ("Exists", "DoesNotExist") and has_values:
        return "values", f"operator {operator} takes no values"
    return None
