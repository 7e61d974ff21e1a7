"""Label selector matching: matchLabels, the four operators, map selectors, malformed parts."""

from __future__ import annotations

from kubelint.kube.selectors import is_empty, matches, requirement_problem, unmatched

LABELS = {"app": "web", "tier": "frontend"}


def test_match_labels() -> None:
    assert matches({"matchLabels": {"app": "web"}}, LABELS)
    assert not matches({"matchLabels": {"app": "api"}}, LABELS)
    assert not matches({"matchLabels": {"env": "prod"}}, LABELS)


def test_operators() -> None:
    def expr(key: str, op: str, values: list[str] | None = None) -> dict:
        item: dict = {"key": key, "operator": op}
        if values is not None:
            item["values"] = values
        return {"matchExpressions": [item]}

    assert matches(expr("tier", "In", ["frontend", "edge"]), LABELS)
    assert not matches(expr("tier", "In", ["backend"]), LABELS)
    assert matches(expr("tier", "NotIn", ["backend"]), LABELS)
    assert matches(expr("env", "NotIn", ["prod"]), LABELS)  # an absent key is not in any set
    assert not matches(expr("tier", "NotIn", ["frontend"]), LABELS)
    assert matches(expr("app", "Exists"), LABELS)
    assert not matches(expr("env", "Exists"), LABELS)
    assert matches(expr("env", "DoesNotExist"), LABELS)
    assert not matches(expr("app", "DoesNotExist"), LABELS)


def test_all_requirements_must_hold() -> None:
    selector = {"matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}]}
    assert [path for path, _ in unmatched(selector, LABELS)] == [("matchExpressions", 0)]


def test_map_selector() -> None:
    assert matches({"app": "web"}, LABELS)
    assert [path for path, _ in unmatched({"app": "web", "env": "prod"}, LABELS)] == [("env",)]


def test_malformed_requirements_are_not_mismatches() -> None:
    assert matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": []}]}, LABELS)
    assert matches({"matchExpressions": [{"key": "tier", "operator": "Near"}]}, LABELS)
    assert matches({"matchExpressions": "nonsense"}, LABELS)


def test_requirement_problems() -> None:
    assert requirement_problem({"key": "a", "operator": "In"})
    assert requirement_problem({"key": "a", "operator": "Exists", "values": ["x"]})
    assert requirement_problem({"key": "a", "operator": "Exists"}) is None
    assert requirement_problem({"key": "a", "operator": "NotIn", "values": ["x"]}) is None


def test_empty() -> None:
    assert is_empty({})
    assert is_empty({"matchLabels": {}})
    assert not is_empty({"matchLabels": {"app": "web"}})


# Upstream: kubernetes staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go
# (ValidateLabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist take none) and
# pkg/labels semantics (NotIn and DoesNotExist hold for an absent key).
_UP_REQUIREMENTS = [
    ({"key": "a", "operator": "In", "values": ["x"]}, None),
    ({"key": "a", "operator": "NotIn", "values": ["x", "y"]}, None),
    ({"key": "a", "operator": "Exists"}, None),
    ({"key": "a", "operator": "DoesNotExist"}, None),
    ({"key": "a", "operator": "Exists", "values": []}, None),
    ({"key": "a", "operator": "In"}, "values"),
    ({"key": "a", "operator": "In", "values": []}, "values"),
    ({"key": "a", "operator": "NotIn", "values": []}, "values"),
    ({"key": "a", "operator": "Exists", "values": ["x"]}, "values"),
    ({"key": "a", "operator": "DoesNotExist", "values": ["x"]}, "values"),
]


def test_upstream_requirement_validation() -> None:
    for expression, field in _UP_REQUIREMENTS:
        problem = requirement_problem(expression)
        assert (problem[0] if problem else None) == field, expression


def test_upstream_absent_keys() -> None:
    assert matches({"matchExpressions": [{"key": "x", "operator": "NotIn", "values": ["a"]}]}, {})
    assert matches({"matchExpressions": [{"key": "x", "operator": "DoesNotExist"}]}, {})
    assert not matches({"matchExpressions": [{"key": "x", "operator": "In", "values": ["a"]}]}, {})
    assert matches({"matchLabels": {"x": ""}}, {"x": ""})
    assert not matches({"matchLabels": {"x": ""}}, {})
