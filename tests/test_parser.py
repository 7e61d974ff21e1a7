"""The event-stream parser: Kubernetes' YAML semantics and exact positions."""

from __future__ import annotations

import math

import pytest

from kubelint.model import Span
from kubelint.parser import parse, resolve_plain


@pytest.mark.parametrize("text,value", [
    ("=", "="), ("2024-01-01", "2024-01-01"), ("1:20", "1:20"), ("yes", True), ("on", True),
    ("Off", False), ("y", True), ("n", False), ("true", True), ("~", None), ("null", None), ("", None),
    ("1e3", 1000.0), ("0x1F", 31), ("010", 8), ("0o17", 15), ("08", 8.0), ("1_000", 1000),
    ("-12", -12), ("+3", 3), ("3.5", 3.5), (".5", 0.5), ("1.", 1.0), ("nginx", "nginx"),
    ("100m", "100m"), ("1Gi", "1Gi"), ("0.5", 0.5), ("v1", "v1"), ("1.2.3", "1.2.3"),
])
def test_plain_scalars_read_as_kubernetes_reads_them(text: str, value: object) -> None:
    got = resolve_plain(text)
    assert got == value and type(got) is type(value)


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf
    assert math.isnan(resolve_plain(".nan"))


def test_quoted_scalars_stay_strings() -> None:
    doc = parse('a: "yes"\nb: \'1\'\nc: !!str 2\nd: |\n  on\n', "f.yaml").documents[0]
    assert doc.obj == {"a": "yes", "b": "1", "c": "2", "d": "on\n"}


def test_positions_of_keys_and_values() -> None:
    doc = parse("a:\n  b: [1, {c: x}]\n", "f.yaml").documents[0]
    assert doc.positions[("a", "b")].key == Span(2, 3, 2, 4)
    assert doc.positions[("a", "b", 1, "c")].value == Span(2, 14, 2, 15)
    span, existing = doc.locate(("a", "b", 1, "missing"))
    assert existing == ("a", "b", 1) and span.line == 2


def test_python_tags_are_an_error_never_constructed() -> None:
    result = parse("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert result.documents == []
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("yaml-syntax", 1, 4)]
    assert "unsupported tag" in result.problems[0].message


def test_merge_keys_and_aliases() -> None:
    doc = parse("base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\n", "f.yaml").documents[0]
    assert doc.obj["d"] == {"z": 3, "x": 1}


def test_boolean_looking_keys_become_strings_as_in_kubernetes() -> None:
    assert parse("y: 1\n1: 2\non: 3\n", "f.yaml").documents[0].obj == {"true": 3, "1": 2}


def test_duplicate_key_keeps_the_last_and_reports_the_second() -> None:
    result = parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert result.documents[0].obj == {"a": 3, "b": 2}
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("yaml-duplicate-key", 3, 1)]


def test_multi_document_indexes_and_syntax_error_position() -> None:
    result = parse("a: 1\n---\nb: [\n", "f.yaml")
    assert [d.obj for d in result.documents] == [{"a": 1}]
    assert result.problems[0].rule == "yaml-syntax" and result.problems[0].span.line == 4


def test_crlf_positions() -> None:
    doc = parse("a: 1\r\nb:\r\n  c: 2\r\n", "f.yaml").documents[0]
    assert doc.positions[("b", "c")].value == Span(3, 6, 3, 7)


def test_non_ascii_columns_count_characters() -> None:
    doc = parse("a: é\nb: x\n", "f.yaml").documents[0]
    assert doc.positions[("b",)].value.column == 4
