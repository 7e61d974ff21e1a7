"""Character offsets of (line, column) positions, for fixes that edit the text by offsets."""

from __future__ import annotations

import pytest

from kubelint.parser import position
from kubelint.source import line_starts, load_text, offset_of

BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", BREAKS)
def test_offsets_invert_positions_whatever_the_line_break(brk: str) -> None:
    text = brk.join(["a: 1", "b: \U0001F600x", "", "c: [\U0001F600, y]"]) + brk
    assert len(line_starts(text)) == 5
    for index in range(len(text) + 1):
        line, column = position(text, index)
        if brk == "\r\n" and index < len(text) and text[index] == "\n":
            continue  # between the two characters of CRLF: no column points there
        assert offset_of(text, line, column) == index, (index, line, column)


@pytest.mark.parametrize("brk", BREAKS)
def test_offsets_of_parsed_spans_point_at_their_values(brk: str) -> None:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: \U0001F600-x",
             "data:", "  k: \U0001F600\U0001F600 \"v\"", "  q: 'it''s'"]
    text = "\ufeff" + brk.join(lines) + brk
    doc = load_text(text, "cm.yaml").documents[0]
    read = text.removeprefix("\ufeff")  # what the parser saw
    for path, expected in [(("metadata", "name"), "\U0001F600-x"), (("data", "k"), "\U0001F600\U0001F600 \"v\""),
                           (("data", "q"), "'it''s'"), (("kind",), "ConfigMap")]:
        span = doc.node(path).value
        start = offset_of(read, span.line, span.column)
        end = offset_of(read, span.end_line, span.end_column)
        assert read[start:end] == expected
        key = doc.node(path).key
        assert read[offset_of(read, key.line, key.column):].startswith(str(path[-1]))


def test_a_text_without_a_final_line_break_and_out_of_range_positions() -> None:
    text = "a: 1\r\nb: 2"
    assert line_starts(text) == (0, 6)
    assert offset_of(text, 2, 5) == len(text)
    assert offset_of(text, 1, 5) == 4  # one past `1`: the CR
    for line, column in [(0, 1), (3, 1), (1, 0), (1, 6), (2, 6)]:
        with pytest.raises(ValueError):
            offset_of(text, line, column)
    assert line_starts("") == (0,) and offset_of("", 1, 1) == 0


def test_line_starts_is_cached_per_text() -> None:
    text = "x: 1\n" * 1000
    assert line_starts(text) is line_starts(text)
