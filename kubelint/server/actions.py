"""Code actions: the engine's fixes as quick fixes, fix-all, and a comment that disables a rule.

A Fix is several text edits on character spans; LSP wants non-overlapping edits on the
original text, and an insertion where a deletion starts is read differently by different
clients. So each fix becomes one TextEdit: the region from its first edit to its last,
rewritten. The versioned document identifier makes a client refuse an action computed for
an older text.
"""

from __future__ import annotations

import re

from lsprotocol import types

from kubelint.fix.apply import apply_edits
from kubelint.fix.model import Edit, Fix
from kubelint.model import Finding
from kubelint.server.positions import LineIndex

FIX_ALL_KIND = "source.fixAll.kubelint"
# Rules whose finding a comment cannot silence on its line: the file could not be read whole,
# so only `disable-file` applies (engine/suppress.py); and findings that are not the manifest's.
FILE_ONLY_CATEGORY = "input"
NOT_SILENCEABLE = frozenset({"internal-error", "config-error", "unused-suppression"})
_DISABLE_LIST = re.compile(r"#\s*kubelint:\s*disable\s*=\s*([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)")


def _document_edit(uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
        edits=edits)])


def one_edit(index: LineIndex, edits: tuple[Edit, ...] | list[Edit]) -> types.TextEdit:
    """The edits of one fix as a single TextEdit on the original text."""
    text = index.text
    starts = [index.offset(e.line, e.column) for e in edits]
    ends = [index.offset(e.end_line, e.end_column) for e in edits]
    start, end = min(starts), max(ends)
    new = apply_edits(text, edits)
    tail = len(text) - end
    replacement = new[start:len(new) - tail]
    return types.TextEdit(range=types.Range(start=index.position(start), end=index.position(end)),
                          new_text=replacement)


def fix_action(uri: str, version: int | None, index: LineIndex, fix: Fix,
               diagnostic: types.Diagnostic | None) -> types.CodeAction:
    title = fix.description if fix.safe else f"{fix.description} (unsafe)"
    return types.CodeAction(
        title=f"kubelint: {title}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic is not None else None,
        is_preferred=fix.safe,
        edit=_document_edit(uri, version, [one_edit(index, fix.edits)]),
    )


def fix_all_action(uri: str, version: int | None, index: LineIndex, fixed: str) -> types.CodeAction | None:
    """Every safe fix at once, as one edit from the first changed character to the last."""
    before = index.text
    if fixed == before:
        return None
    start = 0
    limit = min(len(before), len(fixed))
    while start < limit and before[start] == fixed[start]:
        start += 1
    tail = 0
    while tail < limit - start and before[len(before) - 1 - tail] == fixed[len(fixed) - 1 - tail]:
        tail += 1
    edit = types.TextEdit(range=types.Range(start=index.position(start), end=index.position(len(before) - tail)),
                          new_text=fixed[start:len(fixed) - tail])
    return types.CodeAction(title="kubelint: fix all safe fixes", kind=FIX_ALL_KIND,
                            edit=_document_edit(uri, version, [edit]))


def disable_action(uri: str, version: int | None, index: LineIndex, finding: Finding, category: str,
                   diagnostic: types.Diagnostic | None) -> types.CodeAction | None:
    """`# kubelint: disable=RULE -- reason` at the end of the finding's line (that line only), or
    `disable-file` on a first line of its own for the rules only a file-wide comment silences."""
    if finding.rule in NOT_SILENCEABLE:
        return None
    rule = finding.rule
    if category == FILE_ONLY_CATEGORY:
        newline = "\r\n" if "\r\n" in index.text else "\n"
        at = index.position(0)
        edit = types.TextEdit(range=types.Range(start=at, end=at),
                              new_text=f"# kubelint: disable-file={rule} -- reason{newline}")
        title = f"kubelint: disable {rule} for this file"
    else:
        start = index.offset(finding.line, 1)
        end = index.offset(finding.line, 1 << 30)  # the end of the line, before its break
        line = index.text[start:end]
        existing = _DISABLE_LIST.search(line)
        if existing is not None:
            rules = {r.strip() for r in existing.group(1).split(",")}
            if rule in rules:
                return None
            where = start + existing.end(1)
            addition = f",{rule}"
        else:
            where = start + len(line.rstrip(" \t"))
            addition = f"  # kubelint: disable={rule} -- reason"
        at = index.position(where)
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=addition)
        title = f"kubelint: disable {rule} on this line"
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic] if diagnostic is not None else None,
                            edit=_document_edit(uri, version, [edit]))
