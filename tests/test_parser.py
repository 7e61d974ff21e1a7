"""The event-stream parser: Kubernetes' YAML semantics and exact positions."""

from __future__ import annotations

import math
import threading

import pytest
import yaml

from kubelint.model import Span
from kubelint.parser import parse, resolve_plain

# Each test runs with the C builder and with the Python one (conftest.each_builder).
pytestmark = pytest.mark.usefixtures("each_builder")


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
    # The parser takes shortcuts for most scalars; as a value and as a key, same reading.
    parsed = parse(f"k: {text}\n", "f.yaml").documents[0].obj["k"]
    assert parsed == value and type(parsed) is type(value)
    if text and isinstance(value, str):
        assert list(parse(f"{text}: x\n", "f.yaml").documents[0].obj) == [value]


def test_threads_parsing_at_once_and_other_pyyaml_users_are_unaffected() -> None:
    text = "".join(f"k{i}: [v{i}, {{n: {i}, b: yes}}]\n" for i in range(300))
    expected = parse(text, "f.yaml").documents[0].obj
    results: list[object] = []

    def ours() -> None:
        for _ in range(20):
            results.append(parse(text, "f.yaml").documents[0].obj)

    def theirs() -> None:
        for _ in range(20):
            results.append(yaml.load(text, Loader=yaml.CSafeLoader)["k7"][1]["n"])
            results.append([type(e).__name__ for e in yaml.parse("a: 1", Loader=yaml.CSafeLoader)])

    threads = [threading.Thread(target=f) for f in (ours, ours, theirs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(expected) == 40
    assert results.count(7) == 20
    events = ["StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent", "ScalarEvent",
              "MappingEndEvent", "DocumentEndEvent", "StreamEndEvent"]
    assert results.count(events) == 20


def test_a_pyyaml_that_makes_event_objects_gives_the_same_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """If PyYAML ever stops looking its event classes up by name, the parser takes the slow
    path with the event objects, and nothing else changes."""
    import types

    from kubelint.parser import cyaml

    text = "a: &x {b: [1, two, ~]}\nc: *x\nd:\n  <<: *x\n  e: f\n---\n- 1\n"
    fast = parse(text, "f.yaml")
    elsewhere = types.SimpleNamespace(**{name: None for name in dir(yaml) if name.endswith("Event")})
    monkeypatch.setattr(cyaml.pyyaml(), "module", elsewhere)
    slow = parse(text, "f.yaml")
    assert [d.obj for d in slow.documents] == [d.obj for d in fast.documents]
    assert [(d.span, sorted(d.paths(), key=str)) for d in slow.documents] == \
           [(d.span, sorted(d.paths(), key=str)) for d in fast.documents]
    assert [d.raw(p) for d in slow.documents for p in d.paths()] == \
           [d.raw(p) for d in fast.documents for p in d.paths()]


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf
    assert math.isnan(resolve_plain(".nan"))


def test_quoted_scalars_stay_strings() -> None:
    doc = parse('a: "yes"\nb: \'1\'\nc: !!str 2\nd: |\n  on\n', "f.yaml").documents[0]
    assert doc.obj == {"a": "yes", "b": "1", "c": "2", "d": "on\n"}


def test_positions_of_keys_and_values() -> None:
    doc = parse("a:\n  b: [1, {c: x}]\n", "f.yaml").documents[0]
    assert doc.node(("a", "b")).key == Span(2, 3, 2, 4)
    assert doc.node(("a", "b", 1, "c")).value == Span(2, 14, 2, 15)
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
    assert doc.node(("b", "c")).value == Span(3, 6, 3, 7)


def test_non_ascii_columns_count_characters() -> None:
    doc = parse("a: é\nb: x\n", "f.yaml").documents[0]
    assert doc.node(("b",)).value.column == 4


# ------------------------------------------------------------------ robustness (issue #4)


def test_parsing_from_an_offset_gives_the_positions_of_the_whole_text() -> None:
    """What load_text does to resume after a broken document: a window, no copy of the rest."""
    head = "a: [\n"
    tail = "---\nb:\n  c: é😀\n---\nd: 1\n"
    whole = parse(head + tail, "f.yaml", start=len(head), line_offset=1, first_index=5)
    alone = parse(tail, "f.yaml")
    assert [d.obj for d in whole.documents] == [d.obj for d in alone.documents]
    assert [d.index for d in whole.documents] == [5, 6] and whole.next_index == 7
    assert whole.documents[0].node(("b", "c")).value == Span(4, 6, 4, 8)
    assert whole.documents[1].span.line == 5


@pytest.mark.parametrize("text,floor,in_document", [
    ("a: 1\n---\nb: [\n", "---", True),  # past the broken document's `---`
    ("a: 1\n--- !!x\nb: [\n", "---", True),
    ("a: 1\n...\n%YAML 1.1\n---\nb: [\n", "%YAML 1.1\n---", True),  # not at its directives
    ("a: 1\n...\n%YAML 1.1\n%YAML 1.1\n---\nb: 1\n", "a: 1\n...", False),  # after the last document
])
def test_an_error_records_where_resuming_may_start(text: str, floor: str, in_document: bool) -> None:
    result = parse(text, "f.yaml", first_index=3)
    assert result.next_index == 4  # the broken document's index, or the next one's
    assert result.resume_floor == text.index(floor) + len(floor)
    assert result.error_in_document is in_document


@pytest.mark.parametrize("text,line,column", [
    ("a: 1\nb: \x01\n", 2, 4),
    ("é😀: 1\nb: x\x0c\n", 2, 5),  # libyaml reports a byte offset: made characters
    ("a: 1\rb: 2\r\x7f", 3, 1),
    ("a: 1\u2028b: \x1b", 2, 4),
])
def test_characters_yaml_refuses_are_placed_in_characters(text: str, line: int, column: int) -> None:
    result = parse(text, "f.yaml")
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("yaml-syntax", line, column)]
    assert "is not allowed in YAML" in result.problems[0].message


def test_a_leading_byte_order_mark_does_not_shift_offsets() -> None:
    assert parse("\ufeffa: x\x01\n", "f.yaml").problems[0].span == Span(1, 5, 1, 5)
    assert parse("\ufeffa: x\n", "f.yaml", collect_scalars=True).scalar_ranges == [(0, 1), (3, 4)]


@pytest.mark.parametrize("text", ["a: |\n  x", "a:\n  - b\n  - c", "- a\n- {b: c}", "k", "a: 1\r"])
def test_spans_never_end_past_a_text_without_a_final_line_break(text: str) -> None:
    lines = (text + "x").splitlines()  # as an editor counts them: "a\r" has an empty line 2
    lines[-1] = lines[-1][:-1]
    doc = parse(text, "f.yaml").documents[0]
    for pos in [doc.span, *(doc.node(p).value for p in doc.paths())]:
        assert pos.end_line <= len(lines) and pos.end_column <= len(lines[pos.end_line - 1]) + 1, pos


def test_an_error_at_the_end_of_a_text_without_a_final_line_break() -> None:
    assert parse("a: 1\nk", "f.yaml").problems[0].span == Span(2, 2, 2, 2)


def test_libyaml_nesting_limit_is_a_complexity_finding() -> None:
    result = parse("a: " + "[" * 5000, "f.yaml")
    assert [(p.rule, p.span.line) for p in result.problems] == [("yaml-complexity", 1)]
    assert "nests deeper than 200 levels" in result.problems[0].message


def test_tags_are_shown_as_written() -> None:
    result = parse("a: !!python/object/apply:os.system [x]\n", "f.yaml")
    assert result.problems[0].message.startswith("unsupported tag `!!python/object/apply:os.system`")


@pytest.mark.parametrize("text,value", [
    ("1" * 30, 1.1111111111111111e29), ("9" * 400, "9" * 400), ("1e999", "1e999"), ("-1e999", "-1e999"),
    ("18446744073709551615", 18446744073709551615), ("0" + "7" * 40, 7.777777777777778e39),
])
def test_numbers_beyond_int64_and_float64(text: str, value: object) -> None:
    got = resolve_plain(text)
    assert got == value and type(got) is type(value)


def test_every_parser_module_is_in_the_cache_key() -> None:
    """Cached schema data is keyed by the code that parsed it: a parser module missing from the
    key would serve stale entries after a change, and a key file that no longer exists turns the
    cache off without a word."""
    from pathlib import Path

    from kubelint import cache

    package = Path(cache.__file__).parent / "parser"
    modules = {str(p) for p in package.glob("*.py")}
    assert modules and modules <= {str(Path(p)) for p in cache._CODE}
    assert all(Path(p).is_file() for p in cache._CODE)
