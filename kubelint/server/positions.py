"""Between kubelint's places (1-based line, column counting characters) and LSP positions.

LSP counts a column in code units of the encoding the client and server agreed on at
initialize: UTF-16 unless the client offered another (`general.positionEncodings`). A line
with an emoji before a finding is where the two differ: 😀 is one character, two UTF-16 units
and four UTF-8 bytes. Lines differ too: LSP breaks only at \\n, \\r\\n and \\r, kubelint (as
Python and YAML readers do) also at \\x0b, \\x85, U+2028 and a few more. So a place goes
through its offset in the text, never straight from one line number to the other.
"""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

from kubelint.parser import LINE_BREAK_CHARS

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32

_LSP_BREAK = re.compile(r"\r\n|\r|\n")
_KUBELINT_BREAK = re.compile("\r\n|[" + LINE_BREAK_CHARS + "]")


def units(text: str, encoding: str) -> int:
    """The length of `text` in the code units of `encoding`."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class LineIndex:
    """One text's line starts as kubelint counts them and as LSP counts them."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._ours = [0] + [m.end() for m in _KUBELINT_BREAK.finditer(text)]
        self._lsp = [0] + [m.end() for m in _LSP_BREAK.finditer(text)]
        self._lsp_ends = [m.start() for m in _LSP_BREAK.finditer(text)] + [len(text)]
        self._our_ends = [m.start() for m in _KUBELINT_BREAK.finditer(text)] + [len(text)]
        # kubelint reads a text without its byte order mark: its line 1 starts after one
        self._ours[0] = 1 if text.startswith("\ufeff") else 0

    @property
    def lsp_lines(self) -> int:
        return len(self._lsp)

    # kubelint's (line, column) ↔ offset
    def offset(self, line: int, column: int) -> int:
        """The offset of 1-based (line, column); a column past the line's end is its end."""
        if line < 1:
            return 0
        if line > len(self._ours):
            return len(self.text)
        start, end = self._ours[line - 1], self._our_ends[line - 1]
        return min(start + max(column - 1, 0), end)

    def place(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset, as kubelint counts them."""
        offset = min(max(offset, 0), len(self.text))
        row = max(bisect.bisect_right(self._ours, offset) - 1, 0)
        return row + 1, max(offset - self._ours[row], 0) + 1

    # offset ↔ LSP position
    def position(self, offset: int) -> types.Position:
        offset = min(max(offset, 0), len(self.text))
        row = bisect.bisect_right(self._lsp, offset) - 1
        start = self._lsp[row]
        offset = min(offset, self._lsp_ends[row])  # inside a \r\n: the end of the line
        return types.Position(line=row, character=units(self.text[start:offset], self.encoding))

    def lsp_offset(self, position: types.Position) -> int:
        """The offset of an LSP position; a unit inside a character counts as that character."""
        if position.line >= len(self._lsp):
            return len(self.text)
        start, end = self._lsp[position.line], self._lsp_ends[position.line]
        if self.encoding == UTF32:
            return min(start + position.character, end)
        used = 0
        for index in range(start, end):
            if used >= position.character:
                return index
            used += units(self.text[index], self.encoding)
        return end

    # the two together
    def to_lsp(self, line: int, column: int) -> types.Position:
        return self.position(self.offset(line, column))

    def to_range(self, line: int, column: int, end_line: int, end_column: int) -> types.Range:
        start = self.offset(line, column)
        end = max(self.offset(end_line, end_column), start)
        return types.Range(start=self.position(start), end=self.position(end))

    def from_lsp(self, position: types.Position) -> tuple[int, int]:
        return self.place(self.lsp_offset(position))
