"""LazyPattern answers as the compiled pattern does, and compiles only when first used."""

from __future__ import annotations

import re

from kubelint.lazypattern import LazyPattern


def test_it_answers_as_re_does_and_compiles_on_first_use() -> None:
    lazy = LazyPattern(r"(\d+)-(\w+)", re.IGNORECASE)
    plain = re.compile(r"(\d+)-(\w+)", re.IGNORECASE)
    assert lazy._compiled is None  # nothing compiled at import
    text = "a 12-ab 3-CD"
    assert lazy.search(text).group(0) == plain.search(text).group(0)  # type: ignore[union-attr]
    assert lazy._compiled is plain or lazy._compiled.pattern == plain.pattern
    assert lazy.match(text) is None and plain.match(text) is None
    assert lazy.match(text, 2).group(2) == "ab"  # type: ignore[union-attr]
    assert lazy.fullmatch("3-cd").groups() == ("3", "cd")  # type: ignore[union-attr]
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.sub("x", text) == plain.sub("x", text)
    assert lazy.split(text) == plain.split(text)
    assert lazy.compiled() is lazy.compiled()


def test_a_bytes_pattern_works_too() -> None:
    lazy = LazyPattern(rb"group:\s*(\S+)")
    assert lazy.match(b"group: example.com").group(1) == b"example.com"  # type: ignore[union-attr]
