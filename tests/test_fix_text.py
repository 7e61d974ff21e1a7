"""The fix machinery's pieces: paths, offsets, edits and their conflicts, layout-keeping edits."""

from __future__ import annotations

import pytest

from kubelint.fix.apply import apply_edits, apply_fixes
from kubelint.fix.context import parse_path
from kubelint.fix.model import Edit, Fix
from kubelint.fix.text import SourceText, Tree, quote_like
from kubelint.model import format_path
from kubelint.source import load_text


@pytest.mark.parametrize("path", [("spec", "containers", 0, "image"), ("metadata", "annotations", "a.b/c"),
                                  ("items", 3, "apiVersion"), ("x", "with \"quote\"", 1)])
def test_a_path_reads_back_as_it_was_written(path: tuple) -> None:
    assert parse_path(format_path(path)) == path


def test_offsets_count_characters_and_crlf_line_breaks() -> None:
    src = SourceText("a: é\r\nb: 1\r\n")
    assert src.newline == "\r\n"
    assert src.offset(2, 1) == 6 and src.position(6) == (2, 1)
    assert src.edit((6, 7, "c\n")).text == "c\r\n"


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    text = "abcdef\n"
    first = Fix("r", "one", (Edit(1, 2, 1, 4, "X"),))
    second = Fix("r", "two", (Edit(1, 3, 1, 5, "Y"),))
    apart = Fix("r", "three", (Edit(1, 6, 1, 7, "Z"),))
    new, applied, waiting = apply_fixes(text, [second, apart, first])
    assert new == "aXdeZ\n" and applied == [first, apart] and waiting == [second]


def test_two_insertions_at_one_place_conflict_but_touching_edits_do_not() -> None:
    insert_a = Fix("r", "a", (Edit(1, 1, 1, 1, "A"),))
    insert_b = Fix("r", "b", (Edit(1, 1, 1, 1, "B"),))
    delete = Fix("r", "d", (Edit(1, 1, 1, 3, ""),))
    _, applied, waiting = apply_fixes("xyz", [insert_a, insert_b])
    assert len(applied) == 1 and len(waiting) == 1
    new, applied, _ = apply_fixes("xyz", [insert_a, delete])
    assert len(applied) == 2 and new == "Az"


def test_claims_keep_two_fixes_from_adding_one_key_twice() -> None:
    one = Fix("r", "a", (Edit(1, 1, 1, 1, "A"),), claims=frozenset({"0:metadata"}))
    two = Fix("r", "b", (Edit(2, 1, 2, 1, "B"),), claims=frozenset({"0:metadata"}))
    _, applied, waiting = apply_fixes("x\ny\n", [one, two])
    assert applied == [one] and waiting == [two]


def test_apply_edits_replaces_from_the_end() -> None:
    assert apply_edits("a: 1\nb: 2\n", [Edit(1, 4, 1, 5, "10"), Edit(2, 4, 2, 5, "20")]) == "a: 10\nb: 20\n"


@pytest.mark.parametrize(("original", "value", "expected"), [
    ("plain", "apps/v1", "apps/v1"), ("'single'", "it's", "'it''s'"), ('"double"', 'a"b', '"a\\"b"'),
    ("plain", "true", '"true"'), ("plain", "8080", '"8080"'), ("plain", "a: b", '"a: b"')])
def test_a_new_scalar_keeps_the_quoting_of_the_old_one(original: str, value: str, expected: str) -> None:
    assert quote_like(original, value) == expected


def _tree(text: str, index: int = 0) -> Tree:
    doc = load_text(text, "t.yaml").documents[index]
    return Tree(doc, SourceText(text))


def _apply(text: str, *edits: tuple[int, int, str]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_insert_into_a_block_mapping_after_its_last_entry_and_its_comments() -> None:
    text = "metadata:\n  name: a   # the name\n  labels:\n    app: a\n# next\nspec: {}\n"
    tree = _tree(text)
    out = _apply(text, tree.insert_entry(("metadata",), "namespace", "web"))
    assert out == "metadata:\n  name: a   # the name\n  labels:\n    app: a\n  namespace: web\n# next\nspec: {}\n"


def test_insert_into_a_flow_mapping_and_an_empty_one() -> None:
    text = "metadata: {name: a}\nspec: {}\n"
    tree = _tree(text)
    out = _apply(text, tree.insert_entry(("metadata",), "namespace", "web"), tree.insert_entry(("spec",), "x", 1))
    assert out == "metadata: {name: a, namespace: web}\nspec: {x: 1}\n"


def test_delete_keeps_the_comment_at_the_end_of_the_line() -> None:
    text = "a:\n  b: 1   # why b\n  c: 2\n"
    tree = _tree(text)
    assert _apply(text, tree.delete_entry(("a", "b"))) == "a:\n  # why b\n  c: 2\n"
    assert _apply(text, tree.delete_entry(("a", "b"), keep_comment=False)) == "a:\n  c: 2\n"


def test_delete_from_a_flow_mapping_takes_its_comma() -> None:
    text = "a: {b: 1, c: 2, d: 3}\n"
    tree = _tree(text)
    assert _apply(text, tree.delete_entry(("a", "c"))) == "a: {b: 1, d: 3}\n"
    assert _apply(text, tree.delete_entry(("a", "d"))) == "a: {b: 1, c: 2}\n"
    assert _apply(text, tree.delete_entry(("a", "b"))) == "a: {c: 2, d: 3}\n"


def test_an_entry_block_moves_with_its_comments_and_flush_sequences() -> None:
    text = "labels:   # misplaced\n  app: a  # the app\nlist:\n- x\n- y\n"
    tree = _tree(text)
    assert tree.entry_block(("labels",), 2) == "  labels:   # misplaced\n    app: a  # the app"
    assert tree.entry_block(("list",), 4) == "    list:\n    - x\n    - y"


def test_the_indentation_step_is_the_files_own() -> None:
    assert _tree("metadata:\n    name: a\nspec:\n    x: 1\n").indent_unit() == 4
    assert _tree("metadata:\n  name: a\n").indent_unit() == 2


def test_the_cheap_list_of_fixable_rules_is_the_fixers_own() -> None:
    from kubelint.engine.rules import builtin_rules
    from kubelint.fix import FIXABLE
    from kubelint.fix.fixers import FIXERS

    assert set(FIXERS) == FIXABLE and set(builtin_rules()) >= FIXABLE


def test_a_fix_is_not_part_of_a_findings_identity() -> None:
    from dataclasses import replace

    from kubelint.model import Finding, Severity

    plain = Finding("removed-api", Severity.ERROR, "m", "f.yaml", 1, 1, 1, 2)
    fixed = replace(plain, fix=Fix("removed-api", "d", (Edit(1, 1, 1, 2, "x"),)))
    assert plain == fixed and hash(plain) == hash(fixed) and plain.sort_key() == fixed.sort_key()
