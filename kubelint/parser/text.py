"""The text being parsed: where its lines break, positions in it, and the stream libyaml reads."""

from __future__ import annotations

from kubelint.lazypattern import LazyPattern

# What str.splitlines() splits at, and so what the text report and editors count as lines.
# libyaml breaks lines at \r\n, \r, \n, NEL, LS and PS; the others are characters YAML refuses,
# so the two agree on every line before the first error.
LINE_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
LINE_BREAK = LazyPattern("\r\n|[" + LINE_BREAK_CHARS + "]")


def position(text: str, index: int, start: int = 0, line_offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of character `index`; `start` is a line start `line_offset` lines in.

    Only for the rare places that need it (bad characters, templates); libyaml's marks give
    every other position, and the two count lines the same way.
    """
    index = max(start, min(index, len(text)))
    line = line_offset + 1
    line_start = start
    for match in LINE_BREAK.finditer(text, start, index):
        line += 1
        line_start = match.end()
    return line, index - line_start + 1


class _Window:
    """text[start:] as a stream that libyaml pulls in pieces.

    Why: resuming after a syntax error parses the rest of the file again; slicing or encoding
    the whole rest for every broken document made a file of many broken documents quadratic.
    A stream is read only as far as the parser gets.
    """

    __slots__ = ("text", "pos", "piece_start", "piece")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start
        self.piece_start = start
        self.piece = 256  # small first: after a broken document the next one is often short

    def read(self, size: int = -1) -> str:
        self.piece_start = start = self.pos
        size = self.piece if size < 0 else min(size, self.piece)
        self.piece *= 2
        self.pos = min(len(self.text), start + size)
        return self.text[start:self.pos]
