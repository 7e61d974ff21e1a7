"""Completion of field names from the schema, where a key is being typed.

Half-typed YAML rarely parses, so the key being typed is swapped for a placeholder key and
the text parsed again: the parser then says which mapping the key belongs to (its path), and
the schema of the object's kind says which fields that mapping may hold. Fields already in the
mapping are not offered again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lsprotocol import types

from kubelint.model import FieldPath
from kubelint.server.context import Context
from kubelint.server.positions import LineIndex
from kubelint.source import load_text

PLACEHOLDER = "kubelint0completion0here"
# what may stand before the cursor on a line where a key is being typed: indentation, list
# item dashes, and the start of a key
_TYPING = re.compile(r"^([ ]*(?:-[ ]+)*)([A-Za-z0-9_.\-/]*)$")


def _parent(text: str) -> tuple[str | None, str | None, FieldPath, set[str]] | None:
    """(apiVersion, kind, path of the mapping holding the placeholder, keys it already has)."""
    for doc in load_text(text, "buffer.yaml").documents:
        for parent, children in doc.positions.items():
            if isinstance(children, dict) and PLACEHOLDER in children:
                value = doc.obj
                for part in parent:
                    try:
                        value = value[part]
                    except (KeyError, IndexError, TypeError):
                        value = None
                present = {k for k in value if isinstance(k, str) and k != PLACEHOLDER} \
                    if isinstance(value, dict) else set()
                return doc.api_version, doc.kind, parent, present
    return None


def complete(context: Context, path: str, text: str, open_buffers: Mapping[str, str],
             index: LineIndex, position: types.Position,
             markup: types.MarkupKind = types.MarkupKind.Markdown) -> list[types.CompletionItem]:
    line, column = index.from_lsp(position)
    start = index.offset(line, 1)
    cursor = index.offset(line, column)
    end = index.offset(line, 1 << 30)
    typing = _TYPING.match(text[start:cursor])
    if typing is None or text[cursor:end].strip():
        return []  # not at the end of a key being typed
    key_start = start + len(typing.group(1))
    found = _parent(text[:key_start] + PLACEHOLDER + ": 0" + text[end:])
    if found is None:
        return []
    api_version, kind, parent, present = found
    if not api_version or not kind:
        return []
    from kubelint.server.fields import children
    from kubelint.server.hover import schema_for

    schema = schema_for(context, path, text, open_buffers, api_version, kind)
    if schema is None:
        return []
    replace = types.Range(start=index.position(key_start), end=index.position(cursor))
    items = []
    for order, (name, field) in enumerate(children(schema, parent)):
        if name in present:
            continue
        items.append(types.CompletionItem(
            label=name, kind=types.CompletionItemKind.Field, detail=field.type,
            documentation=types.MarkupContent(kind=markup, value=f"{field.description}\n\n*{field.origin}*".strip()),
            sort_text=f"{order:04d}", filter_text=name,
            text_edit=types.TextEdit(range=replace, new_text=f"{name}: ")))
    return items
