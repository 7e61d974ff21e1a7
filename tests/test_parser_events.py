"""The parser's rebinding of PyYAML's event names: guarded at import, and safe when a callback fails."""

from __future__ import annotations

import types
from typing import Any

import pytest
import yaml
import yaml.events

from kubelint import parser
from kubelint.model import as_numbers
from kubelint.parser import builder, cyaml, parse

# Each test runs with the C builder and with the Python one (conftest.each_builder).
pytestmark = pytest.mark.usefixtures("each_builder")

SAMPLE = """\
apiVersion: v1
kind: ConfigMap
metadata: &meta
  name: demo
  labels: {app: web, tier: "front"}
data:
  a: !!str 1
  b: [1, 2.5, yes, ~]
---
base: &b {x: 1}
copy: *b
merged:
  <<: *b
  y: 2
...
"""


def _shape(text: str) -> list[tuple[Any, ...]]:
    """Everything a parse gives that a later stage reads."""
    result = parse(text, "f.yaml")
    docs = [(d.index, d.obj, d.span, as_numbers(d.root),
             {p: d.raw(p) for p in d.paths()}) for d in result.documents]
    return [*docs, tuple(result.problems), result.error_index]


def _pristine() -> bool:
    module = cyaml.pyyaml().module
    if module is None:  # pragma: no cover - depends on the PyYAML build
        return True
    return all(getattr(module, name) is getattr(yaml.events, name) for name in cyaml._EVENT_NAMES)


def test_the_installed_pyyaml_has_the_event_signatures_the_callbacks_expect() -> None:
    assert cyaml.pyyaml().fast_events == cyaml.pyyaml().using_libyaml
    assert set(cyaml._EVENT_SIGNATURES) == set(cyaml._EVENT_NAMES)  # every name rebound is checked


def test_a_changed_event_signature_is_found() -> None:
    class Scalar(yaml.events.ScalarEvent):
        def __init__(self, anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None,
                     end_mark: Any = None, style: Any = None, extra: Any = None) -> None:
            super().__init__(anchor, tag, implicit, value, start_mark, end_mark, style)

    module = types.SimpleNamespace(**{name: getattr(yaml.events, name) for name in cyaml._EVENT_NAMES})
    assert cyaml._events_as_expected(module)
    assert not cyaml._events_as_expected(types.SimpleNamespace(**{**vars(module), "ScalarEvent": Scalar}))
    missing = dict(vars(module))
    del missing["AliasEvent"]
    assert not cyaml._events_as_expected(types.SimpleNamespace(**missing))


def test_the_slow_path_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _shape(SAMPLE)
    broken = SAMPLE + "---\nk: [1, 2\n"
    fast_broken = _shape(broken)
    monkeypatch.setattr(cyaml.pyyaml(), "fast_events", False)
    assert _shape(SAMPLE) == fast
    assert _shape(broken) == fast_broken
    assert _pristine()


@pytest.mark.parametrize("fast", [True, False])
def test_a_callback_that_raises_leaves_the_next_parse_correct(monkeypatch: pytest.MonkeyPatch,
                                                              fast: bool) -> None:
    expected = _shape(SAMPLE)
    monkeypatch.setattr(cyaml.pyyaml(), "fast_events", fast and cyaml.pyyaml().fast_events)
    real = builder.resolve_plain

    def failing(text: str) -> Any:
        if text == "2.5":
            raise RuntimeError("a bug in the builder")
        return real(text)

    monkeypatch.setattr(builder, "resolve_plain", failing)
    for _ in range(3):  # mid-document, mid-sequence: the error comes out as it was raised
        with pytest.raises(RuntimeError, match="a bug in the builder"):
            parse(SAMPLE, "f.yaml")
        assert _pristine()
    monkeypatch.setattr(builder, "resolve_plain", real)
    assert _shape(SAMPLE) == expected
    assert cyaml._EVENTS_LOCK.acquire(blocking=False)
    cyaml._EVENTS_LOCK.release()


@pytest.mark.parametrize("text,rule", [
    ("a: !custom 1\n", "yaml-syntax"),
    ("a: &x 1\nb: *y\n", "yaml-syntax"),
    ("a: " + "[" * (parser.MAX_DEPTH + 1) + "]" * (parser.MAX_DEPTH + 1) + "\n", "yaml-complexity"),
])
def test_builder_errors_become_problems_and_the_next_parse_is_clean(text: str, rule: str) -> None:
    expected = _shape(SAMPLE)
    result = parse(text, "f.yaml")
    assert [p.rule for p in result.problems] == [rule]
    assert _pristine()
    assert _shape(SAMPLE) == expected
