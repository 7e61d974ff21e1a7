"""The C builder's own block scanner (kubelint/parser/_blockscan.c) reads as libyaml reads, or gives way.

build()'s last argument picks the event source: 0 is libyaml alone, 2 the scanner alone (None
where it gives way), 1 (the default) the scanner with libyaml where it gives way. Wherever the
scanner answers, its documents must be libyaml's: the same objects, the same marks of every key
and value, container and document, and the same end of the stream. Where it gives way, the
default must still read the text as libyaml does. Compared on hand-written cases, on generated
texts (valid and broken), on the fixtures and on the real-world corpus where it is.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.parser import builder
from tests.conftest import FIXTURES, _c_builder_missing

pytestmark = pytest.mark.skipif(_c_builder_missing() is not None, reason=str(_c_builder_missing()))

LIBYAML, DEFAULT, SCANNER = 0, 1, 2


def _build(text: str, source: int, light: bool = True, defer_from: int = 10**9, compact_from: int = 10**9) -> Any:
    return builder._fastyaml.build(text, light, defer_from, compact_from, builder.MAX_DEPTH, source)


def _agrees(text: str, **options: Any) -> bool:
    """Whether the scanner answered; asserts that its answer (and the default's) is libyaml's."""
    reference = _build(text, LIBYAML, **options)
    assert _build(text, DEFAULT, **options) == reference
    mine = _build(text, SCANNER, **options)
    if mine is None:
        return False
    assert mine == reference, text
    return True


ANSWERED = [
    "a: 1\n",
    "a: 1",  # no final line break
    "",
    "# only a comment\n",
    "---\n---\n# c\n---\na: 1\n...\n---\nb: [x, 'y', \"z\"]\n",  # empty documents, `...`
    "k:\n- a\n- b: 1\n  c:\n  - x\n  -\n  - y\nd: 2\n",
    "a:\n  b:\n    c: 1\n  d:\ne: |\n  lit\n   more\n\n  end\nf: >-\n  folded\n  text\n\n  para\n",
    "key: a plain\n  scalar over\n\n  lines # and a comment\nnext: 1\n",
    "d: \"esc \\t \\u00e9 \\x41 \\\"q\\\" \\\n  joined\"\ns: 'it''s\n\n  two'\n",
    "lines: |+\n  kept\n\n\nafter: |2-\n    indented by two\n",
    "éü: 日本語\nlist: [ä, \"ö\" ]\n",
    "a:\n    b: 1\n  ",  # the last line's spaces: the inner mapping ends there, the outer a line below
    "   a: 1\n   b:\n     - x\n",  # a root indented
    "url: http://x:80/p#frag\nhash: a#b\ncolon: a:b\nempty: {}\nnone: []\n",
    "- [a b, c,]\n- {}\n- '' \n- \"\"\n-\n",
    "top scalar\n",
    "|\n  a block scalar at the root\n",
    "k: v\n# trailing comment\n\n",
]

GIVEN_WAY = [
    "a:\tb\n",  # a tab
    "a: 1\r\nb: 2\r\n",  # carriage returns
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: !!str 1\n",  # a tag
    "? a\n: b\n",  # an explicit key
    "%YAML 1.1\n---\na: 1\n",  # a directive
    "- - a\n",  # a compact nested list
    "a: b: c\n",  # libyaml refuses it
    "a: 1\n  b: 2\n",  # so it refuses this
    "a:\n  b: 1\n c: 2\n",  # a key between two indentations
    "a: {b: c}\n",  # a flow mapping with content
    "a: [b,\n  c]\n",  # a flow list over lines
    "a: [[b]]\n",  # nested flow
    "a: \"open\n",  # an unterminated quote
    "--- a: 1\n",  # content on the `---` line
    "a: 1\nb\n",  # a key without a value
    "a: 1\n- b\n",  # a list item among keys
    "x" * 1100 + ": 1\n",  # a key longer than libyaml's simple keys
    "a: \x85b\n",  # NEL, a line break to libyaml
    "a: b\n...\nc: d\n",  # content after `...` without `---`
    "a: 1\n---\n\ufeffb: 2\n",  # a second byte-order mark
]


@pytest.mark.parametrize("text", ANSWERED)
def test_the_scanner_reads_as_libyaml(text: str) -> None:
    assert _agrees(text)
    assert _agrees(text, light=False, defer_from=1, compact_from=0)


@pytest.mark.parametrize("text", GIVEN_WAY)
def test_what_the_scanner_does_not_read_goes_to_libyaml(text: str) -> None:
    assert not _agrees(text)


def test_a_crd_schema_is_built_light_through_the_scanner() -> None:
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  versions:\n"
           "    - name: v1\n      schema:\n        openAPIV3Schema:\n          type: object\n"
           "          properties:\n            size: {}\n")
    built = _build(crd, SCANNER)
    assert built is not None and built[0][0][6] == (("spec", "versions", 0, "schema", "openAPIV3Schema"),)
    assert _agrees(crd)


_ATOMS = ["a", "x y", "-x", "a:b", "a#b", "1", "0x1F", "true", "~", "é", "'s''q'", '"d\\t\\u00e9"', "[a, 'b']",
          "[]", "{}", "|", "|-", ">", ">+", "|2", "a # c", "---", "...", "-", "- a", "k: v", "&a x", "*a", "!t x",
          "? k", "{a: 1}", '"open', "\\", "a: b: c"]


def _text(rng: random.Random) -> str:
    """Lines of keys, items and scalars at random indentations: valid YAML and broken YAML."""
    lines = []
    for _ in range(rng.randint(1, 12)):
        indent = " " * rng.choice([0, 0, 1, 2, 2, 3, 4, 6])
        shape = rng.random()
        if shape < 0.4:
            lines.append(f"{indent}{rng.choice(_ATOMS)}: {rng.choice(_ATOMS)}")
        elif shape < 0.55:
            lines.append(f"{indent}{rng.choice(_ATOMS)}:")
        elif shape < 0.75:
            lines.append(f"{indent}- {rng.choice(_ATOMS)}")
        elif shape < 0.9:
            lines.append(f"{indent}{rng.choice(_ATOMS)}{rng.choice(['', ' ', '  # c'])}")
        else:
            lines.append(rng.choice(["---", "...", "", "  ", "# c"]))
    return "\n".join(lines) + rng.choice(["\n", "", "\n\n", "\n  "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_texts_read_as_libyaml_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20):
        _agrees(_text(rng))


def _texts(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
            try:
                texts.append(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


def test_the_scanner_reads_the_fixtures_as_libyaml() -> None:
    texts = _texts(FIXTURES)
    answered = sum(_agrees(text) for text in texts)
    assert answered >= 0.5 * len(texts) > 100  # most fixtures are plain manifests; many are broken on purpose


def test_the_scanner_reads_the_corpus_as_libyaml(corpus: Path) -> None:
    texts = _texts(corpus)
    answered = [text for text in texts if _agrees(text, defer_from=3, compact_from=2)]
    # it must carry the parse, not give way to libyaml: 98% of the corpus's characters in December 2026
    assert sum(map(len, answered)) >= 0.9 * sum(map(len, texts))


_EDITS = [" ", "  ", "\n", ":", ": ", "- ", "#", " #", '"', "'", "|", ">", "[", "]", "{", "}", ",", "---\n", "...\n",
          "-", "?", "é", "\\", "x", "\n  ", "\n- "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_fixtures_with_typing_mistakes_read_as_libyaml_reads_them(seed: int) -> None:
    """A fixture with a few edits (a character typed, one deleted, a line's indentation
    changed): the half-broken texts an editor sends while one types."""
    rng = random.Random(seed)
    texts = _small_fixtures()
    for _ in range(10):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at, edit = rng.randrange(len(text) + 1), rng.random()
            if edit < 0.5:
                text = text[:at] + rng.choice(_EDITS) + text[at:]
            elif edit < 0.8:
                text = text[:at] + text[at + 1:]
            else:
                lines = text.split("\n")
                line = rng.randrange(len(lines))
                lines[line] = " " * rng.randint(0, 3) + lines[line].lstrip(" ")
                text = "\n".join(lines)
        _agrees(text)


_SMALL: list[str] = []


def _small_fixtures() -> list[str]:
    if not _SMALL:
        _SMALL.extend(text for text in _texts(FIXTURES) if 0 < len(text) < 4000)
    return _SMALL
