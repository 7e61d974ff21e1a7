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
    on a line of its own above it (the node starting on the finding's line) where a comment at
    the end would land inside a multi-line string; `disable-file` on a first line of its own for
    the rules only a file-wide comment silences. Offered only where the comment leaves every
    object as it was."""
    if finding.rule in NOT_SILENCEABLE:
        return None
    rule = finding.rule
    text = index.text
    newline = "\r\n" if "\r\n" in text else "\n"
    if category == FILE_ONLY_CATEGORY:
        candidates = [(0, f"# kubelint: disable-file={rule} -- reason{newline}", "for this file")]
    else:
        start = index.offset(finding.line, 1)
        end = index.offset(finding.line, 1 << 30)  # the end of the line, before its break
        line = text[start:end]
        existing = _DISABLE_LIST.search(line)
        if existing is not None:
            if rule in {r.strip() for r in existing.group(1).split(",")}:
                return None
            candidates = [(start + existing.end(1), f",{rule}", "on this line")]
        else:
            indent = line[:len(line) - len(line.lstrip(" "))]
            candidates = [(start + len(line.rstrip(" \t")), f"  # kubelint: disable={rule} -- reason", "on this line"),
                          (start, f"{indent}# kubelint: disable={rule} -- reason{newline}", "for this node")]
    for where, addition, scope in candidates:
        if _keeps_objects(text, text[:where] + addition + text[where:]):
            at = index.position(where)
            edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=addition)
            return types.CodeAction(title=f"kubelint: disable {rule} {scope}", kind=types.CodeActionKind.QuickFix,
                                    diagnostics=[diagnostic] if diagnostic is not None else None,
                                    edit=_document_edit(uri, version, [edit]))
    return None


def _keeps_objects(before: str, after: str) -> bool:
    """Whether `after` parses to the same objects as `before`, with no new syntax problem."""
    from kubelint.source import load_text

    old, new = load_text(before, "buffer.yaml"), load_text(after, "buffer.yaml")
    if len(new.problems) > len(old.problems) or len(old.documents) != len(new.documents):
        return False
    return all(a.obj == b.obj for a, b in zip(old.documents, new.documents, strict=True))
