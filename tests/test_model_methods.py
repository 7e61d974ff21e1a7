"""The API's dataclasses take their equality, hash and repr from model.FieldMethods, written
once instead of generated per class: they must answer as @dataclass's own methods would."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import pytest

from kubelint.model import Document, Finding, Rule, RunResult, Severity, Span
from kubelint.options import Options


@functools.cache
def _generated_twin(cls: type) -> type:
    """A plain @dataclass with the same fields, frozenness and flags: the methods to match."""
    specs = []
    for f in dataclasses.fields(cls):
        extra: dict[str, Any] = {"compare": f.compare, "hash": f.hash, "repr": f.repr}
        if f.default is not dataclasses.MISSING:
            extra["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            extra["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**extra)))
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    twin = dataclasses.make_dataclass(cls.__name__, specs, frozen=params.frozen)
    twin.__qualname__ = cls.__qualname__
    return twin


def _twin(value: Any) -> Any:
    return _generated_twin(type(value))(**{f.name: getattr(value, f.name) for f in dataclasses.fields(value)})


FINDING = Finding("image-tag", Severity.WARNING, "m", "a.yaml", 3, 5, 3, 9, "spec.x", 0, "v1", "Pod", "ns", "web")
RULE = Rule("image-tag", "images", Severity.WARNING, True, "s", "container", {"default": "m"}, ("Pod",))
DOCUMENT = Document("a.yaml", 0, {"kind": "Pod"}, {}, Span(1, 1, 2, 1))
RESULT = RunResult([FINDING], files=1, documents=1, rules={"image-tag": RULE})

# (value, the same but equal, the same but different in a compared field, in an ignored one)
CASES = [
    (FINDING, dataclasses.replace(FINDING), dataclasses.replace(FINDING, line=4),
     dataclasses.replace(FINDING, fix="a fix")),
    (RULE, dataclasses.replace(RULE), dataclasses.replace(RULE, enabled=False), None),
    (DOCUMENT, dataclasses.replace(DOCUMENT), dataclasses.replace(DOCUMENT, index=1), None),
    (RESULT, dataclasses.replace(RESULT), dataclasses.replace(RESULT, files=2),
     dataclasses.replace(RESULT, rules={}, skipped_files=["b.yaml"])),
    (Options(), Options(), Options(strict=False), None),
]


@pytest.mark.parametrize("value,same,other,ignored", CASES, ids=lambda v: type(v).__name__)
def test_equality_hash_and_repr_are_the_generated_ones(value: Any, same: Any, other: Any, ignored: Any) -> None:
    for left, right in [(value, same), (value, other), (value, ignored)]:
        if right is None:
            continue
        assert (left == right) is (_twin(left) == _twin(right))
        assert (left != right) is (_twin(left) != _twin(right))
        assert repr(left) == repr(_twin(left)) and repr(right) == repr(_twin(right))
    assert value == same and value != other
    if ignored is not None:
        assert value == ignored  # a field with compare=False takes no part
    assert value.__eq__(object()) is NotImplemented
    assert _hash(value) == _hash(_twin(value)) == _hash(same)  # a Rule holds dicts: both refuse
    if ignored is not None:
        assert _hash(ignored) == _hash(value)
    assert (_hash(value) == "unhashable") is (not type(value).__dataclass_params__.frozen or value is RULE)


def _hash(value: Any) -> int | str:
    try:
        return hash(value)
    except TypeError:
        return "unhashable"


def test_the_classes_stay_dataclasses_with_generated_init_and_frozenness() -> None:
    assert dataclasses.is_dataclass(FINDING) and dataclasses.asdict(FINDING)["rule"] == "image-tag"
    with pytest.raises(dataclasses.FrozenInstanceError):
        FINDING.line = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULE.enabled = False  # type: ignore[misc]
    assert "rules=" not in repr(RESULT) and repr(RESULT).startswith("RunResult(findings=[Finding(rule='image-tag'")
