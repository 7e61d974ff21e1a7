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

from kubelint.model import Document, Finding

ANNOTATION = "kubelint.dev/ignore"
ALL = "all"
_DIRECTIVE = re.compile(r"#\s*kubelint:\s*(disable-file|disable)(?:\s*=\s*([A-Za-z0-9,\s-]+))?")


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
