"""Suppressing findings where a person decided they do not apply.

Two ways, as users know them from yamllint and kube-linter:
- a comment: `# kubelint: disable=rule-a,rule-b` at the end of a line silences those rules on
  that line; on a line of its own it silences the next line; `# kubelint: disable-file=rule-a`
  anywhere silences the rule for the whole file. Without `=rules` it means every rule.
- an annotation on the object: `kubelint.dev/ignore: "rule-a,rule-b"` (or `all`) silences
  the rules for that object's findings; a reason can follow after a colon in a second annotation.
Input rules (the file cannot be read) can only be silenced per file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kubelint.model import Document, Finding, Span
from kubelint.parser import ParseProblem

ANNOTATION = "kubelint.dev/ignore"
ALL = "all"
# The verb must end there: `disable-line=x` is a misspelt directive, not `disable` of every rule.
_DIRECTIVE = re.compile(r"#\s*kubelint:\s*(disable-file|disable)(?![\w-])(?:\s*=\s*([A-Za-z0-9,\s-]+))?")
# Any `# kubelint:` comment, to recognise the ones that are not directives (see directive_problems).
_ANY_DIRECTIVE = re.compile(r"#\s*kubelint:\s*([\w-]*)")
VERBS = ("disable", "disable-file")
# What other linters call it, and the directive meant (yamllint, eslint, pylint, ruff, …).
_VERB_ALIASES = {
    "skip-file": "disable-file", "ignore-file": "disable-file", "disable-for-file": "disable-file",
    "disable-line": "disable", "disable-next-line": "disable", "ignore": "disable", "skip": "disable",
    "noqa": "disable", "nolint": "disable", "off": "disable",
}
PROBLEM_RULE = "unknown-suppression"


@dataclass
class Suppressions:
    file_rules: set[str] = field(default_factory=set)
    line_rules: dict[int, set[str]] = field(default_factory=dict)

    def silences(self, finding: Finding) -> bool:
        if ALL in self.file_rules or finding.rule in self.file_rules:
            return True
        rules = self.line_rules.get(finding.line)
        return rules is not None and (ALL in rules or finding.rule in rules)


def _rules(text: str | None) -> set[str]:
    if not text:
        return {ALL}
    return {part.strip() for part in text.split(",") if part.strip()}


def from_comments(lines: Sequence[str]) -> Suppressions:
    found = Suppressions()
    for number, line in enumerate(lines, start=1):
        if "kubelint:" not in line:
            continue
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        rules = _rules(match.group(2))
        if match.group(1) == "disable-file":
            found.file_rules |= rules
            continue
        own_line = line[: match.start()].strip() == ""
        target = number + 1 if own_line else number
        found.line_rules.setdefault(target, set()).update(rules)
    return found


def annotation_rules(doc: Document) -> set[str]:
    annotations = doc.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return set()
    value = annotations.get(ANNOTATION)
    return _rules(value) if isinstance(value, str) else set()


def apply(findings: Iterable[Finding], suppressions: Suppressions | None,
          by_object: dict[int, set[str]] | None = None) -> list[Finding]:
    """The findings left after comments and annotations; internal errors always stay."""
    kept = []
    for finding in findings:
        if finding.rule == "internal-error":
            kept.append(finding)
            continue
        if suppressions is not None and suppressions.silences(finding):
            continue
        if by_object and finding.document is not None:
            rules = by_object.get(finding.document)
            if rules and (ALL in rules or finding.rule in rules):
                continue
        kept.append(finding)
    return kept


def directive_problems(text: str, documents: Sequence[Document] = (),
                       known: Iterable[str] | None = None) -> list[ParseProblem]:
    """Suppressions that silence nothing because they are misspelt, each at its place.

    A `# kubelint: disabel=…` or an annotation naming `image-tagg` was ignored without a word,
    so the person who wrote it believed a finding silenced that was not, or vice versa.
    """
    from kubelint.schema.suggest import closest

    if known is None:
        from kubelint.engine.rules import builtin_rules

        known = builtin_rules()
    rules = set(known) | {ALL}
    problems: list[ParseProblem] = []
    if "kubelint:" in text:
        for number, line in enumerate(text.splitlines(), start=1):
            if "kubelint:" not in line:
                continue
            for match in _ANY_DIRECTIVE.finditer(line):
                verb = match.group(1)
                column = match.start(1) + 1
                if verb not in VERBS:
                    guess = _VERB_ALIASES.get(verb.lower()) or closest(verb, VERBS)
                    hint = f"; did you mean `{guess}`?" if guess else ""
                    shown = f"`{verb}`" if verb else "nothing"
                    problems.append(ParseProblem(
                        PROBLEM_RULE, f"`# kubelint:` is followed by {shown}, which is not a directive, so it "
                        f"silences nothing{hint} (`disable=RULES` for this line or the next, "
                        "`disable-file=RULES` for the file)",
                        Span(number, column, number, column + max(len(verb), 1))))
                    continue
                directive = _DIRECTIVE.match(line, match.start())
                if directive is None or directive.group(2) is None:
                    continue
                problems.extend(_unknown_rules(directive.group(2), directive.start(2), number, rules,
                                               f"`kubelint: {verb}`"))
    if ANNOTATION in text:
        lines = text.splitlines()
        for doc in documents:
            annotations = doc.metadata.get("annotations")
            value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
            if not isinstance(value, str):
                continue
            path = ("metadata", "annotations", ANNOTATION)
            span, _ = doc.locate(path, "value")
            source = lines[span.line - 1] if span.line <= len(lines) else ""
            first = source[span.column - 1: span.column]
            # Each name at its own column when the value is on one line, plain or quoted.
            exact = span.line == span.end_line and first not in ("|", ">")
            offset = span.column if first in ("'", '"') else span.column - 1
            for problem in _unknown_rules(value, offset, span.line, rules, f"the {ANNOTATION} annotation",
                                          exact):
                problems.append(problem._replace(document=doc.index, path=path))
    return problems


def _unknown_rules(listing: str, offset: int, line: int, rules: set[str], where: str,
                   exact: bool = True) -> list[ParseProblem]:
    """A problem for each name in a comma-separated rule list that is no rule."""
    from kubelint.schema.suggest import closest

    out: list[ParseProblem] = []
    position = 0
    for part in listing.split(","):
        name = part.strip()
        start = offset + position + len(part) - len(part.lstrip()) if exact else offset
        position += len(part) + 1
        if not name or name in rules:
            continue
        guess = closest(name, rules)
        hint = f"; did you mean `{guess}`?" if guess else "; `kubelint rules` lists them"
        column = start + 1
        out.append(ParseProblem(
            PROBLEM_RULE, f"{where} names `{name}`, which is no rule, so it silences nothing{hint}",
            Span(line, column, line, column + (len(name) if exact else 1))))
    return out
