"""misplaced-field (move the field where it belongs, merged with what is there) and
missing-selector (spec.selector.matchLabels from the template's labels)."""

from __future__ import annotations

from typing import Any

from kubelint.checks.base import CheckContext
from kubelint.fix.context import FixContext, parse_path
from kubelint.fix.fixers.apis import selector_edit
from kubelint.fix.model import Fix, NoFix, Unfixable
from kubelint.fix.text import RawEdit, Tree
from kubelint.kube.workloads import get_path
from kubelint.model import FieldPath, format_path

_MISSING = object()


def _belongs(ctx: FixContext) -> tuple[FieldPath, str] | None:
    """Where the misplaced field belongs, as the rule's own table says (and its message variant)."""
    from kubelint.checks.structure import misplaced_field
    from kubelint.engine.rules import builtin_rules

    rule = builtin_rules().get("misplaced-field")
    if rule is None:
        return None
    check = CheckContext(ctx.tree.doc, ctx.kubernetes_version)
    for hit in misplaced_field(check, ctx.tree.doc.obj, (), rule.params):
        if tuple(hit.path) == ctx.path:
            return parse_path(hit.values["belongs"]), hit.variant
    return None


def move_misplaced(ctx: FixContext) -> Fix | NoFix | None:
    found = _belongs(ctx)
    if found is None:
        return None
    target, variant = found
    source = ctx.path
    obj = ctx.tree.doc.obj
    if not target or target[-1] != source[-1]:
        return None
    value = get_path(obj, source)
    there = _get(obj, target)
    tree = ctx.tree
    shown = format_path(target)
    try:
        if there is not _MISSING:
            edits = _merge(tree, source, target, value, there)
            if isinstance(edits, NoFix):
                return edits
        else:
            edits = [_place(tree, source, target), tree.delete_entry(source, keep_comment=False)]
    except Unfixable as exc:
        return NoFix(f"the manifest's layout is one the fix does not rewrite ({exc})")
    # Metadata written beside `metadata` has one meaning; the other places are a guess at intent.
    safe = variant == "default" and target[0] == "metadata" and len(source) == 1
    return ctx.fix(f"move `{format_path(source)}` to `{shown}`", edits, safe)


def _get(obj: Any, path: FieldPath) -> Any:
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


def _merge(tree: Tree, source: FieldPath, target: FieldPath, value: Any, there: Any) -> list[RawEdit] | NoFix:
    shown = format_path(target)
    if there == value:
        return [tree.delete_entry(source)]
    if not (isinstance(value, dict) and isinstance(there, dict)):
        return NoFix(f"`{shown}` is already set to another value; merge them by hand")
    clashes = [k for k in value if k in there and there[k] != value[k]]
    if clashes:
        return NoFix(f"`{shown}` already has `{clashes[0]}` with another value; merge them by hand")
    edits = [_place(tree, source + (key,), target + (key,)) for key in value if key not in there]
    # the entries that moved take their comments with them; those of the ones dropped stay
    moved_last = list(value)[-1] not in there
    edits.append(tree.delete_entry(source, keep_comment=not moved_last, key_comment=True))
    return edits


def _place(tree: Tree, source: FieldPath, target: FieldPath) -> RawEdit:
    """An insertion of the entry at `source` (its text, comments inside it kept) at `target`,
    creating the mappings on the way that do not exist yet."""
    obj = tree.doc.obj
    depth = len(target) - 1
    while depth > 0 and _get(obj, target[:depth]) is _MISSING:
        depth -= 1
    parent = target[:depth]
    if not isinstance(_get(obj, parent), dict) or not tree.is_collection(parent):
        raise Unfixable(f"`{format_path(parent) or 'the object'}` is not a mapping")
    missing = target[depth:-1]
    tree.claims.append(target[:depth + 1])
    if tree.is_flow(parent):
        if missing or (tree.is_collection(source) and not tree.is_flow(source)):
            raise Unfixable("a block value into a flow mapping")
        start = tree.key_range(source)[0]
        entry = tree.text[start:tree.content_end(source)]
        if "\n" in entry or "#" in entry:
            raise Unfixable("a value over several lines into a flow mapping")
        return tree.insert_entry_text(parent, entry)
    indent = tree.child_indent(parent)
    unit = tree.indent_unit()
    lines = [" " * (indent + unit * i) + f"{key}:" for i, key in enumerate(missing)]
    lines.append(tree.entry_block(source, indent + unit * len(missing)))
    return tree.insert_lines(parent, "\n".join(lines))


def add_selector(ctx: FixContext) -> Fix | NoFix | None:
    obj = ctx.tree.doc.obj
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if not isinstance(spec, dict) or spec.get("selector") is not None:
        return None
    try:
        edit = selector_edit(ctx.tree, obj)
    except Unfixable as exc:
        return NoFix(f"the manifest's layout is one the fix does not rewrite ({exc})")
    if isinstance(edit, NoFix):
        return edit
    # Unsafe: the selector cannot be changed after creation, so its labels are a decision.
    return ctx.fix("add spec.selector.matchLabels from the pod template's labels", [edit], safe=False)
