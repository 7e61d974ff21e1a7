"""Fixes for the findings of one file: the text parsed again, each finding matched to its
document, each fixer asked, and every fix checked to leave the file parseable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kubelint.fix.apply import apply_edits
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
            ctx = FixContext(finding, tree, full[len(doc.base):], self.options.kubernetes_version,
                             lambda edits, doc=doc: self._validate(path, text, doc, edits))
            try:
                result = FIXERS[finding.rule](ctx)
            except Unfixable:
                continue
            except Exception:  # a fixer that fails offers no fix; the lint result stands
                continue
            # A fix that would leave the file unparseable is withheld, as one that does not
            # validate is: the finding stays, without a fix, and nothing is reported about it.
            if isinstance(result, Fix) and not parses(apply_edits(text, result.edits), path):
                continue
            if result is not None:
                out[finding] = result
        return out

    def _validate(self, path: str, text: str, doc: Document, edits: Sequence[RawEdit]) -> list[Problem]:
        """The schema problems of `doc` once `edits` are applied, in the target version."""
        new = _apply_raw(text, edits)
        source = load_text(new, path)
        if any(p.rule in BLOCKING for p in source.problems):
            return [Problem("yaml-syntax", "other", (), "the rewritten text would not parse")]
        rewritten = _documents(source).get((doc.index, doc.base))
        if rewritten is None:
            return [Problem("not-a-manifest", "other", (), "the rewritten document is not an object")]
        return [Problem(rule, str(hit.values.get("category", "other")), tuple(hit.path),
                        str(hit.values.get("detail", rule)))
                for rule, hit in self.validator().validate(rewritten)]


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
    """(fixes that leave the file parseable on their own, fixes that break it)."""
    good: list[Fix] = []
    bad: list[Fix] = []
    for fix in fixes:
        (good if parses(apply_edits(text, fix.edits), path) else bad).append(fix)
    return good, bad
