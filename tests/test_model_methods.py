"""The API's dataclasses take their equality, hash and repr from model.FieldMethods, written
once instead of generated per class: they must answer as @dataclass's own methods would."""

from __future__ import annotations

import dataclasses
import functools
import inspect
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


def test_the_classes_stay_frozen_dataclasses() -> None:
    assert dataclasses.is_dataclass(FINDING) and dataclasses.asdict(FINDING)["rule"] == "image-tag"
    with pytest.raises(dataclasses.FrozenInstanceError):
        FINDING.line = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULE.enabled = False  # type: ignore[misc]
    assert "rules=" not in repr(RESULT) and repr(RESULT).startswith("RunResult(findings=[Finding(rule='image-tag'")


@pytest.mark.parametrize("cls", [Document, Finding, Rule, RunResult, Options], ids=lambda c: c.__name__)
def test_each_written_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    """The __init__ written in each class (@dataclass(init=False)) must be the one @dataclass
    would write: every field by name, in order, with its default; a field with a
    default_factory gets a new value of it when left out (its parameter defaults to None)."""
    fields = dataclasses.fields(cls)
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    for f, p in zip(fields, parameters, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default and type(p.default) is type(f.default), f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert p.default is None, f.name
        else:
            assert p.default is inspect.Parameter.empty, f.name
    required = {f.name: object() for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    if cls is Options:
        one, two = Options(), Options()
    else:
        one, two = cls(**required), cls(**required)
    for f in fields:
        value = getattr(one, f.name)
        if f.default_factory is not dataclasses.MISSING:
            assert value == f.default_factory() and type(value) is type(f.default_factory()), f.name
            if isinstance(value, (list, dict)):
                assert value is not getattr(two, f.name), f.name  # a new one each time
        elif f.default is not dataclasses.MISSING:
            assert value == f.default, f.name
        else:
            assert value is required[f.name], f.name
    everything = {f.name: getattr(one, f.name) for f in fields}
    assert dataclasses.replace(one, **everything) == one and cls(*everything.values()) == one
