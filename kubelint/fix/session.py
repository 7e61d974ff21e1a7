"""Fixes for the findings of one file: the text parsed again, each finding matched to its
document, each fixer asked, and every fix checked to leave the file parseable."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kubelint.fix.context import FixContext, Problem, parse_path
from kubelint.fix.model import Fix, NoFix, Unfixable
from kubelint.fix.text import RawEdit, SourceText, Tree
from kubelint.model import Document, FieldPath, Finding
from kubelint.source import SourceResult, load_text

if TYPE_CHECKING:
    from kubelint.options import Options
    from kubelint.schema import SchemaValidator

# Problems that make a file unfit for any fix: the text is not what the parser could read whole.
BLOCKING = frozenset({"yaml-syntax", "yaml-duplicate-key", "unrendered-template", "yaml-complexity",
                      "file-unreadable"})


def fixable_rules() -> frozenset[str]:
    from kubelint.fix.fixers import FIXERS

    return frozenset(FIXERS)


def parses(text: str, path: str) -> bool:
    return not any(p.rule in BLOCKING for p in load_text(text, path).problems)


class FixSession:
    """Computes fixes for files linted with `options` (one schema validator for all of them)."""

    def __init__(self, options: Options, validator: SchemaValidator | None = None) -> None:
        """`validator`: one that knows the run's CRDs (the linter's), so that a fix of a custom
        resource is checked against its CRD's schema; else one of the options' own."""
        self.options = options
        self._validator: SchemaValidator | None = validator

    def validator(self) -> SchemaValidator:
        if self._validator is None:
            from kubelint.schema import SchemaValidator

            self._validator = SchemaValidator(self.options.kubernetes_version, self.options.strict,
                                              self.options.schema_dirs)
        return self._validator

    def fixes(self, path: str, text: str, findings: Iterable[Finding]) -> dict[Finding, Fix | NoFix]:
        from kubelint.fix.fixers import FIXERS

        wanted = [f for f in findings if f.rule in FIXERS and f.document is not None]
        if not wanted:
            return {}
        source = load_text(text, path)
        if any(p.rule in BLOCKING for p in source.problems) or path.lower().endswith(".json"):
            return {}  # JSON files keep their syntax; block YAML edits would not
        src = SourceText(text)
        trees: dict[tuple[int, FieldPath], Tree] = {}
        documents = _documents(source)
        bounds = _document_bounds(source, src)
        out: dict[Finding, Fix | NoFix] = {}
        for finding in wanted:
            try:
                full = parse_path(finding.path)
            except ValueError:
                continue
            doc = documents.get((finding.document, full[:2])) or documents.get((finding.document, ()))
            if doc is None or full[:len(doc.base)] != doc.base:
                continue
            tree = trees.get((doc.index, doc.base))
            if tree is None:
                tree = trees[(doc.index, doc.base)] = Tree(doc, src)
            tree.claims = []
            bound = bounds.get(doc.index)
            ctx = FixContext(finding, tree, full[len(doc.base):], self.options.kubernetes_version,
                             lambda edits, doc=doc, bound=bound: self._validate(path, text, doc, edits, bound))
            try:
                result = FIXERS[finding.rule](ctx)
            except Unfixable:
                continue
            except Exception:  # a fixer that fails offers no fix; the lint result stands
                continue
            # A fix that would leave the file unparseable is withheld, as one that does not
            # validate is: the finding stays, without a fix, and nothing is reported about it.
            if isinstance(result, Fix) and not parses(_applied(text, _raw_edits(src, result), bound)[0], path):
                continue
            if result is not None:
                out[finding] = result
        return out

    def _validate(self, path: str, text: str, doc: Document, edits: Sequence[RawEdit],
                  bound: tuple[int, int] | None = None) -> list[Problem]:
        """The schema problems of `doc` once `edits` are applied, in the target version."""
        new, first = _applied(text, edits, bound)
        source = load_text(new, path)
        if any(p.rule in BLOCKING for p in source.problems):
            return [Problem("yaml-syntax", "other", (), "the rewritten text would not parse")]
        rewritten = _documents(source).get((doc.index if first is None else first, doc.base))
        if rewritten is None:
            return [Problem("not-a-manifest", "other", (), "the rewritten document is not an object")]
        return [Problem(rule, str(hit.values.get("category", "other")), tuple(hit.path),
                        str(hit.values.get("detail", rule)))
                for rule, hit in self.validator().validate(rewritten)]


def _document_bounds(source: SourceResult, src: SourceText) -> dict[int, tuple[int, int]]:
    """Each document's own text, by index: from the start of its first line to the start of
    the next document's (to the end for the last). A fix is checked on its document alone:
    documents parse apart (a `---` at a line's start ends any scalar), and parsing the whole
    file for every fix made a stream's report quadratic (400 Ingresses: 39 s)."""
    documents = sorted({d.index: d for d in source.documents}.values(), key=lambda d: d.index)
    bounds: dict[int, tuple[int, int]] = {}
    for this, after in zip(documents, [*documents[1:], None], strict=True):
        end = src.offset(after.span.line, 1) if after is not None else len(src.text)
        bounds[this.index] = (src.offset(this.span.line, 1), end)
    return bounds


def _applied(text: str, edits: Sequence[RawEdit], bound: tuple[int, int] | None) -> tuple[str, int | None]:
    """The edited text to parse: the document's own (`bound`) when every edit is inside it,
    with the index its document then has (0), else the whole file (None: the index stays)."""
    if bound is not None:
        begin, end = bound
        if all(begin <= start <= stop <= end for start, stop, _ in edits):
            return _apply_raw(text[begin:end], [(start - begin, stop - begin, new) for start, stop, new in edits]), 0
    return _apply_raw(text, edits), None


def _raw_edits(src: SourceText, fix: Fix) -> list[RawEdit]:
    """A fix's edits as character offsets into the text."""
    return [(src.offset(e.line, e.column), src.offset(e.end_line, e.end_column), e.text) for e in fix.edits]


def _apply_raw(text: str, edits: Sequence[RawEdit]) -> str:
    out = text
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    return out


def _documents(source: SourceResult) -> dict[tuple[int, FieldPath], Document]:
    from kubelint.engine.documents import expand_lists, is_manifest

    docs = [d for d in source.documents if is_manifest(d.obj)]
    return {(d.index, d.base): d for d in expand_lists(docs)}


def verified(text: str, path: str, fixes: Sequence[Fix]) -> tuple[list[Fix], list[Fix]]:
    """(fixes that leave the file parseable on their own, fixes that break it).

    Each is checked on the document its edits are in (see _document_bounds), or on the whole
    file when they span documents or the file does not parse as it is."""
    good: list[Fix] = []
    bad: list[Fix] = []
    if not fixes:
        return good, bad
    src = SourceText(text)
    source = load_text(text, path)
    clean = not any(p.rule in BLOCKING for p in source.problems)
    bounds = sorted(_document_bounds(source, src).values()) if clean else []
    starts = [begin for begin, _ in bounds]
    for fix in fixes:
        edits = _raw_edits(src, fix)
        at = bisect.bisect_right(starts, min((start for start, _, _ in edits), default=0)) - 1
        bound = bounds[at] if at >= 0 else None
        (good if parses(_applied(text, edits, bound)[0], path) else bad).append(fix)
    return good, bad
