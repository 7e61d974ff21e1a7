"""The text of one file and the YAML structure of its documents, as character offsets.

Positions come from the parser as (line, column) spans; edits are made on offsets computed
from the text's line starts (lines are counted as the parser counts them). Every helper here
works on the text the author wrote: values are copied as written (quotes and all), generated
lines take the indentation of their neighbours, and nothing is ever re-dumped.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubelint.fix.model import Edit, Unfixable
from kubelint.model import Document, FieldPath, PathPart
from kubelint.parser import LINE_BREAK, resolve_plain

RawEdit = tuple[int, int, str]  # start offset, end offset, new text ("\n" for line breaks)
_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)*")  # an anchor or a tag before a node's content
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$")


@dataclass(frozen=True, slots=True)
class Verbatim:
    """A value copied from the source text as written (its quotes and style kept)."""

    text: str


class SourceText:
    """Offsets, lines and the newline style of one file's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
        first = LINE_BREAK.search(text)
        self.newline = first.group() if first else "\n"

    def offset(self, line: int, column: int) -> int:
        if line - 1 >= len(self.starts):
            return len(self.text)
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line_start(self, offset: int) -> int:
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def after_line(self, offset: int) -> int:
        """The offset just after the line break that ends the line holding `offset`."""
        index = bisect.bisect_right(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def line_end(self, offset: int) -> int:
        """The offset of the line break that ends the line holding `offset` (or the end)."""
        match = LINE_BREAK.search(self.text, offset)
        return match.start() if match else len(self.text)

    def edit(self, raw: RawEdit) -> Edit:
        start, end, new = raw
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Edit(line, column, end_line, end_column, new.replace("\n", self.newline))


class Tree:
    """One document's nodes as offsets in its file's text; paths are from the object root."""

    def __init__(self, doc: Document, source: SourceText) -> None:
        self.doc = doc
        self.src = source
        self.text = source.text
        self.claims: list[FieldPath] = []  # keys added by the edits made since the last fix

    # ----------------------------------------------------------------------------- reading

    def full(self, path: FieldPath) -> FieldPath:
        return self.doc.base + tuple(path)

    def exists(self, path: FieldPath) -> bool:
        return self.doc.node(self.full(path)) is not None

    def value_range(self, path: FieldPath) -> tuple[int, int]:
        pos = self.doc.node(self.full(path))
        if pos is None:
            raise Unfixable(f"no node at {path}")
        span = pos.value
        return self.src.offset(span.line, span.column), self.src.offset(span.end_line, span.end_column)

    def key_range(self, path: FieldPath) -> tuple[int, int]:
        pos = self.doc.node(self.full(path))
        if pos is None or pos.key is None:
            raise Unfixable(f"no key at {path}")
        span = pos.key
        return self.src.offset(span.line, span.column), self.src.offset(span.end_line, span.end_column)

    def content_start(self, path: FieldPath) -> int:
        """Where the node's content starts, after its anchor or tag."""
        start, _ = self.value_range(path)
        return _PROPERTIES.match(self.text, start).end()  # type: ignore[union-attr]

    def children(self, path: FieldPath) -> list[PathPart]:
        found = self.doc.positions.get(self.full(path))
        if found is None:
            return []
        return list(range(len(found))) if type(found) is list else list(found)

    def is_collection(self, path: FieldPath) -> bool:
        return self.full(path) in self.doc.positions

    def is_flow(self, path: FieldPath) -> bool:
        start = self.content_start(path)
        return start < len(self.text) and self.text[start] in "{["

    def content_end(self, path: FieldPath) -> int:
        """The end of the node's last character: a block collection's own end mark lies at
        the next token, past any comments that follow, so its last leaf decides."""
        start, end = self.value_range(path)
        if start == end and self.exists(path):  # an empty value: `key:` and nothing
            pos = self.doc.node(self.full(path))
            if pos is not None and pos.key is not None:
                return self.key_range(path)[1]
        if self.is_collection(path) and not self.is_flow(path):
            kids = self.children(path)
            if kids:
                return max(self.content_end(path + (kids[-1],)), self._key_end(path + (kids[-1],)))
        return end

    def _key_end(self, path: FieldPath) -> int:
        pos = self.doc.node(self.full(path))
        return self.key_range(path)[1] if pos is not None and pos.key is not None else 0

    def source_of(self, path: FieldPath) -> str:
        start = self.content_start(path)
        return self.text[start:self.content_end(path)]

    def starts_line(self, offset: int) -> bool:
        return self.text[self.src.line_start(offset):offset].strip(" \t") == ""

    def column(self, offset: int) -> int:
        return offset - self.src.line_start(offset)

    def child_indent(self, path: FieldPath) -> int:
        kids = self.children(path)
        if not kids:
            raise Unfixable("an empty mapping")
        return self.column(self.key_range(path + (kids[0],))[0])

    def indent_unit(self) -> int:
        """The file's indentation step: the first nested block mapping's offset from its parent."""
        for parent, kids in self.doc.positions.items():
            if type(kids) is not dict or not kids or not parent or parent[:len(self.doc.base)] != self.doc.base:
                continue
            path = parent[len(self.doc.base):]
            try:
                if self.is_flow(path) or not self.exists(path):
                    continue
                pos = self.doc.node(parent)
                if pos is None or pos.key is None:
                    continue
                step = self.child_indent(path) - self.column(self.key_range(path)[0])
            except Unfixable:
                continue
            if step > 0:
                return step
        return 2

    # ----------------------------------------------------------------------------- editing

    def replace_scalar(self, path: FieldPath, value: str) -> RawEdit:
        start, end = self.content_start(path), self.value_range(path)[1]
        return start, end, quote_like(self.text[start:end], value)

    def rename_key(self, path: FieldPath, key: str) -> RawEdit:
        start, end = self.key_range(path)
        return start, end, quote_like(self.text[start:end], key)

    def entry_lines(self, path: FieldPath) -> tuple[int, int]:
        """The whole lines of a block mapping entry: from its key's line to its last line."""
        key_start, _ = self.key_range(path)
        if not self.starts_line(key_start):
            raise Unfixable("the entry does not start its line")
        return self.src.line_start(key_start), self.src.after_line(self.content_end(path))

    def trailing_comment(self, path: FieldPath) -> str:
        end = self.content_end(path)
        rest = self.text[end:self.src.line_end(end)].strip()
        return rest if rest.startswith("#") else ""

    def key_comment(self, path: FieldPath) -> str:
        """A comment after `key:` when the value starts on a later line."""
        _, key_end = self.key_range(path)
        rest = self.text[key_end:self.src.line_end(key_end)].lstrip(" \t").removeprefix(":").strip()
        if rest.startswith("#") and self.src.line_start(self.content_start(path)) > key_end:
            return rest
        return ""

    def delete_entry(self, path: FieldPath, keep_comment: bool = True, key_comment: bool = False) -> RawEdit:
        """Remove a mapping entry; a comment at the end of its last line stays, on a line of its
        own (unless the entry moves elsewhere with it)."""
        parent = path[:-1]
        if self.is_flow(parent):
            return self._delete_flow_entry(path)
        start, end = self.entry_lines(path)
        comment = self.trailing_comment(path) if keep_comment else ""
        if key_comment:
            comment = "\n".join(c for c in (self.key_comment(path), comment) if c)
            comment = comment.replace("\n", "\n" + " " * self.column(self.key_range(path)[0]))
        if comment:
            indent = " " * self.column(self.key_range(path)[0])
            ends_with_break = end > start and self.text[end - 1] in "\r\n"
            return start, end, f"{indent}{comment}" + ("\n" if ends_with_break else "")
        return start, end, ""

    def _delete_flow_entry(self, path: FieldPath) -> RawEdit:
        parent = path[:-1]
        kids = self.children(parent)
        index = kids.index(path[-1])
        start, end = self.key_range(path)[0], self.content_end(path)
        if "#" in self.text[start:end]:
            raise Unfixable("a comment inside a flow mapping")
        if index + 1 < len(kids):
            return start, self.key_range(parent + (kids[index + 1],))[0], ""
        if index > 0:
            return self.content_end(parent + (kids[index - 1],)), end, ""
        return start, end, ""

    def insert_entry(self, parent: FieldPath, key: str, value: Any, *, after: PathPart | None = None,
                     before: PathPart | None = None) -> RawEdit:
        """Add `key: value` to the mapping at `parent` (after or before a named child, else last)."""
        if not self.is_collection(parent) or self.children(parent) and isinstance(self.children(parent)[0], int):
            raise Unfixable("the parent is not a mapping")
        kids = self.children(parent)
        self.claims.append(tuple(parent) + (key,))
        if self.is_flow(parent):
            entry = f"{render_key(key)}: {render_flow(value)}"
            if before is not None and before in kids:
                at = self.key_range(parent + (before,))[0]
                return at, at, entry + ", "
            if after is not None and after in kids and kids.index(after) + 1 < len(kids):
                at = self.key_range(parent + (kids[kids.index(after) + 1],))[0]
                return at, at, entry + ", "
            close = self.value_range(parent)[1] - 1
            if self.text[close] != "}":
                raise Unfixable("a flow mapping without its closing brace")
            if kids:
                at = self.content_end(parent + (kids[-1],))
                return at, at, ", " + entry
            return close, close, entry
        indent = self.child_indent(parent)
        return self.insert_lines(parent, render_entry(key, value, indent, self.indent_unit()), after, before)

    def insert_entry_text(self, parent: FieldPath, entry: str) -> RawEdit:
        """Add an entry written as one line of text to the end of the flow mapping at `parent`."""
        kids = self.children(parent)
        if kids:
            at = self.content_end(parent + (kids[-1],))
            return at, at, ", " + entry
        close = self.value_range(parent)[1] - 1
        return close, close, entry

    def insert_lines(self, parent: FieldPath, block: str, after: PathPart | None = None,
                     before: PathPart | None = None) -> RawEdit:
        """Insert whole lines (already indented) into the block mapping at `parent`."""
        kids = self.children(parent)
        if not kids or self.is_flow(parent) or isinstance(kids[0], int):
            raise Unfixable("not a block mapping")
        if before is not None and before in kids:
            key_start = self.key_range(parent + (before,))[0]
            if not self.starts_line(key_start):
                raise Unfixable("the entry does not start its line")
            at = self.src.line_start(key_start)
            while at > 0:  # above the comment lines that introduce `before`
                previous = self.src.line_start(at - 1)
                if not self.text[previous:at].strip().startswith("#"):
                    break
                at = previous
            return at, at, block + "\n"
        anchor = after if after is not None and after in kids else kids[-1]
        at = self.src.after_line(self.content_end(parent + (anchor,)))
        if at == len(self.text) and not self.text.endswith(("\n", "\r")):
            return at, at, "\n" + block
        return at, at, block + "\n"

    def entry_block(self, path: FieldPath, indent: int) -> str:
        """The entry's text (key, value, comments inside it) re-indented to start at `indent`."""
        key_start, _ = self.key_range(path)
        end = self.content_end(path)
        if self.src.position(key_start)[0] == self.src.position(end)[0]:
            comment = self.trailing_comment(path)
            text = self.text[key_start:end] + (f"  {comment}" if comment else "")
            return " " * indent + text
        start, stop = self.entry_lines(path)
        shift = indent - self.column(key_start)
        lines = []
        for line in LINE_BREAK.split(self.text[start:stop]):
            if not line.strip():
                lines.append(line)
            elif shift >= 0:
                lines.append(" " * shift + line)
            elif line[: -shift].strip() == "":
                lines.append(line[-shift:])
            else:
                raise Unfixable("a line less indented than its entry")
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines)


# --------------------------------------------------------------------------------- rendering


def quote_like(original: str, value: str) -> str:
    """`value` written in the quoting style of `original` (plain stays plain where it can)."""
    if original.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if original.startswith('"'):
        return json.dumps(value, ensure_ascii=False)
    return scalar(value)


def scalar(value: Any) -> str:
    if isinstance(value, Verbatim):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN_SAFE.match(text) and not text.endswith(" ") and resolve_plain(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def render_key(key: str) -> str:
    return scalar(key)


def render_flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_key(k)}: {render_flow(v)}" for k, v in value.items()) + "}"
    return scalar(value)


def render_entry(key: str, value: Any, indent: int, unit: int) -> str:
    """A block mapping entry starting at column `indent`, lines joined by "\\n"."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines = [f"{pad}{render_key(key)}:"]
        lines += [render_entry(k, v, indent + unit, unit) for k, v in value.items()]
        return "\n".join(lines)
    if isinstance(value, Block):
        return f"{pad}{render_key(key)}:\n" + value.at(indent + unit)
    return f"{pad}{render_key(key)}: {render_flow(value) if isinstance(value, dict) else scalar(value)}"


@dataclass(frozen=True, slots=True)
class Block:
    """Lines of a block value copied from the source, re-indented when placed."""

    lines: tuple[str, ...]  # each without the common indentation

    def at(self, indent: int) -> str:
        return "\n".join((" " * indent + line) if line.strip() else line for line in self.lines)


def walk(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, path + (index,))
