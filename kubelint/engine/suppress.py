"""Suppressing findings where a person decided they do not apply, and knowing which did.

The ways users know from yamllint, kube-linter and ruff, each recorded as a `Suppression`
with its scope, its place (for `unused-suppression`) and an optional reason:
- a comment `# kubelint: disable=rule-a,rule-b -- reason`:
  - at the end of a line: that line;
  - on a line of its own: the whole YAML node that starts on the next line (a container, a
    volume, a whole object), or, when a later `# kubelint: enable=…` closes it, every line up
    to that comment (a block);
  - `# kubelint: disable-file=rule-a`: the whole file.
  Without `=rules` a directive means every rule.
- annotations: `kubelint.dev/ignore: "rule-a,rule-b"` (or `all`) on an object silences its
  findings; on a pod template's metadata, the findings inside that pod template (its
  containers). `kubelint.dev/ignore-reason` says why. Both survive Helm and Kustomize.
- the peers' annotations, so that a team moving from kube-linter or Polaris edits nothing:
  `ignore-check.kube-linter.io/<check>: "reason"` and `kube-linter.io/ignore-all`, and
  `polaris.fairwinds.com/<check>-exempt: "true"` and `polaris.fairwinds.com/exempt: "true"` on
  an object silence the rules whose `peers:` name that check (any rule with a peer of that
  tool for the whole-object forms). Each is its own mechanism (`kube-linter`, `polaris`).
- the config (`ignore:` entries by path glob, or by kind, namespace and name pattern) and a
  baseline file (see engine/baseline.py), applied in the reduce step.
Input rules (the file cannot be read) can only be silenced per file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kubelint.lazypattern import LazyPattern
from kubelint.model import Document, Finding, Record, Span, path_within
from kubelint.parser import ParseProblem

if TYPE_CHECKING:
    from kubelint.model import Rule

ANNOTATION = "kubelint.dev/ignore"
REASON_ANNOTATION = "kubelint.dev/ignore-reason"
ALL = "all"
# The verb must end there: `disable-line=x` is a misspelt directive, not `disable` of every rule.
# Rule names are a comma-separated list; a reason may follow after ` -- `.
_DIRECTIVE = LazyPattern(
    r"#\s*kubelint:\s*(disable-file|disable|enable)(?![\w-])"
    r"(?:\s*=\s*([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*))?(?:\s+--\s*(.*\S))?")
# Any `# kubelint:` comment, to recognise the ones that are not directives (see directive_problems).
_ANY_DIRECTIVE = LazyPattern(r"#\s*kubelint:\s*([\w-]*)")
VERBS = ("disable", "disable-file", "enable")
# What other linters call it, and the directive meant (yamllint, eslint, pylint, ruff, …).
_VERB_ALIASES = {
    "skip-file": "disable-file", "ignore-file": "disable-file", "disable-for-file": "disable-file",
    "disable-line": "disable", "disable-next-line": "disable", "ignore": "disable", "skip": "disable",
    "noqa": "disable", "nolint": "disable", "off": "disable", "on": "enable",
}
PROBLEM_RULE = "unknown-suppression"
# The peers' annotations: (tool as rule files name it in `peers:`, key prefix, key suffix) for
# one check, and the key that exempts the object from every check of that tool.
KUBE_LINTER, POLARIS = "kube-linter", "polaris"
_PEER_CHECK = ((KUBE_LINTER, "ignore-check.kube-linter.io/", ""),
               (POLARIS, "polaris.fairwinds.com/", "-exempt"))
_PEER_ALL = {KUBE_LINTER: "kube-linter.io/ignore-all", POLARIS: "polaris.fairwinds.com/exempt"}
EVERY_CHECK = "*"


class Suppression(Record):
    """One thing that silences findings: where it applies, what it silences, where it is written.

    A plain class with slots (model.Record: a dataclass's equality and repr), not a dataclass,
    whose creation at import cost every run about a millisecond."""

    __slots__ = ("mechanism", "rules", "file", "first_line", "last_line", "document", "path_prefix", "reason",
                 "place", "place_file", "paths", "kinds", "namespaces", "names", "default_namespace", "used",
                 "peer_checks", "names_at")

    def __init__(self, mechanism: str, rules: frozenset[str], file: str | None = None, first_line: int = 0,
                 last_line: int = 0, document: int | None = None, path_prefix: str = "", reason: str = "",
                 place: Span | None = None, place_file: str | None = None, paths: tuple[str, ...] = (),
                 kinds: tuple[str, ...] = (), namespaces: tuple[str, ...] = (), names: tuple[str, ...] = (),
                 default_namespace: str = "default", used: int = 0, peer_checks: frozenset[str] = frozenset(),
                 names_at: tuple[tuple[str, int, int], ...] = ()) -> None:
        self.mechanism = mechanism  # comment | annotation | config | baseline
        self.rules = rules
        self.file = file  # None: any file (config entries decide by themselves)
        self.first_line = first_line  # the lines it covers in `file` (0..0: the whole file)
        self.last_line = last_line
        self.document = document  # an annotation: only this document's findings
        self.path_prefix = path_prefix  # an annotation on a pod template: only findings under this path
        self.reason = reason
        self.place = place  # where it is written, for unused-suppression
        self.place_file = place_file  # the file it is written in, when not `file` (the config)
        # A config entry: globs on the file path (as `exclude` matches them), and fnmatch patterns
        # on the object's kind, namespace (the default namespace when none is written) and name.
        self.paths = paths
        self.kinds = kinds
        self.namespaces = namespaces
        self.names = names
        self.default_namespace = default_namespace
        self.used = used
        # A peer's annotation: the peer's check ids (EVERY_CHECK: all of them), which become
        # kubelint rule ids in `apply`, through the `peers:` of the run's rules.
        self.peer_checks = peer_checks
        # Each rule name as written, with its line and column: a name that `unknown-suppression`
        # reports there is dropped (see `apply`), so one misspelling gives one finding, not also an
        # `unused-suppression` for the name it could never have used.
        self.names_at = names_at

    def covers_rule(self, rule: str) -> bool:
        return ALL in self.rules or rule in self.rules

    def silences(self, finding: Finding) -> bool:
        if not self.covers_rule(finding.rule):
            return False
        if self.mechanism == "config":
            return self._config_matches(finding)
        if self.file is not None and finding.file != self.file:
            return False
        if self.document is not None:
            if finding.document != self.document:
                return False
            return not self.path_prefix or path_within(finding.path, self.path_prefix)
        return not self.first_line or self.first_line <= finding.line <= self.last_line

    def _config_matches(self, finding: Finding) -> bool:
        from fnmatch import fnmatchcase

        from kubelint.source import exclusion

        if self.paths and exclusion(finding.file, list(self.paths)) is None:
            return False
        if self.kinds and not any(fnmatchcase(finding.kind or "", k) for k in self.kinds):
            return False
        namespace = finding.namespace or (self.default_namespace if finding.kind else "")
        if self.namespaces and not any(fnmatchcase(namespace, n) for n in self.namespaces):
            return False
        return not self.names or any(fnmatchcase(finding.name or "", n) for n in self.names)


def _rules(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset({ALL})
    return frozenset(part.strip() for part in text.split(",") if part.strip())


class _Directive(Record):
    __slots__ = ("verb", "rules", "reason", "line", "column", "own_line", "names_at")

    def __init__(self, verb: str, rules: frozenset[str], reason: str, line: int, column: int, own_line: bool,
                 names_at: tuple[tuple[str, int, int], ...] = ()) -> None:
        self.verb = verb
        self.rules = rules
        self.reason = reason
        self.line = line
        self.column = column
        self.own_line = own_line
        self.names_at = names_at


def _directives(lines: Sequence[str]) -> list[_Directive]:
    found = []
    for number, line in enumerate(lines, start=1):
        if "kubelint:" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            names = tuple((name, number, column) for name, column
                          in _name_columns(match.group(2) or "", match.start(2)))
            found.append(_Directive(match.group(1), _rules(match.group(2)), (match.group(3) or "").strip(),
                                    number, match.start() + 1, line[: match.start()].strip() == "", names))
    return found


def from_comments(file: str, lines: Sequence[str], documents: Sequence[Document] = ()) -> list[Suppression]:
    """The comment suppressions of one file, each with the lines it covers."""
    directives = _directives(lines)
    if not directives:
        return []
    out: list[Suppression] = []
    node_ends: dict[int, int] | None = None
    for index, directive in enumerate(directives):
        place = Span(directive.line, directive.column, directive.line, directive.column + 1)
        base = dict(mechanism="comment", rules=directive.rules, file=file, reason=directive.reason, place=place,
                    names_at=directive.names_at)
        if directive.verb == "enable":
            continue
        if directive.verb == "disable-file":
            out.append(Suppression(**base))  # type: ignore[arg-type]
            continue
        if not directive.own_line:
            out.append(Suppression(**base, first_line=directive.line, last_line=directive.line))  # type: ignore[arg-type]
            continue
        closing = next((d for d in directives[index + 1:] if d.verb == "enable" and d.own_line
                        and (ALL in d.rules or d.rules & directive.rules or ALL in directive.rules)), None)
        if closing is not None:
            out.append(Suppression(**base, first_line=directive.line, last_line=closing.line))  # type: ignore[arg-type]
            continue
        if node_ends is None:
            node_ends = _node_ends(documents, lines)
        target = _next_content_line(lines, directive.line)
        last = node_ends.get(target, target)
        out.append(Suppression(**base, first_line=target, last_line=last))  # type: ignore[arg-type]
    return out


def _next_content_line(lines: Sequence[str], after: int) -> int:
    """The line a directive on a line of its own speaks of: the next that is not a comment."""
    for number in range(after + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return after + 1


def _node_ends(documents: Sequence[Document], lines: Sequence[str] = ()) -> dict[int, int]:
    """For each line where a YAML node starts, the last line of the largest node starting there.

    libyaml ends a block node where the next token starts: column 1 of the following line, the
    next key's indentation, or the next item's `- `. Such an end belongs to the line before (and
    before any blank or comment lines there), or a comment above one container would also cover
    the first line of the next one.
    """
    ends: dict[int, int] = {}
    seen: set[int] = set()
    for doc in documents:
        if id(doc.positions) in seen:
            continue  # the items of a List share their document's positions
        seen.add(id(doc.positions))
        for path in doc.paths():
            node = doc.node(path)
            if node is None:
                continue
            start = (node.key or node.value).line
            end_line = _last_line(lines, start, node.value.end_line, node.value.end_column)
            if end_line > ends.get(start, 0):
                ends[start] = end_line
    return ends


def _last_line(lines: Sequence[str], start: int, end_line: int, end_column: int) -> int:
    """The last line holding a node that ends just before (end_line, end_column)."""
    if end_line <= start:
        return end_line
    before = lines[end_line - 1][: end_column - 1] if end_line <= len(lines) else ""
    if end_column > 1 and before.strip(" \t-") != "":
        return end_line  # the node ends within this line, after some of its own text
    end_line -= 1
    while end_line > start and end_line <= len(lines) and lines[end_line - 1].strip()[:1] in ("", "#"):
        end_line -= 1
    return end_line


def from_annotations(doc: Document) -> list[Suppression]:
    """The object's `kubelint.dev/ignore`, and its pod template's, as suppressions."""
    from kubelint.kube.workloads import get_path, pod_spec_path
    from kubelint.model import format_path

    out: list[Suppression] = []
    places: list[tuple[tuple, str]] = [((), "")]
    spec_path = pod_spec_path(doc.kind, doc.api_version)
    if spec_path and len(spec_path) > 1:
        template = spec_path[:-1]
        places.append((template, format_path(doc.base + template)))
    for where, prefix in places:
        annotations = get_path(doc.obj, where + ("metadata", "annotations"))
        value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
        if not isinstance(value, str) or not value.strip():
            continue
        reason = annotations.get(REASON_ANNOTATION)
        span, _ = doc.locate(where + ("metadata", "annotations", ANNOTATION), "key")
        names_at: tuple[tuple[str, int, int], ...] = ()
        if not where:  # directive_problems checks the object's own annotation, at these columns
            value_span, _ = doc.locate(("metadata", "annotations", ANNOTATION), "value")
            offset, exact = _value_offset(value, value_span)
            names_at = tuple((name, value_span.line, column)
                             for name, column in _name_columns(value, offset, exact))
        out.append(Suppression("annotation", _rules(value), file=doc.file, document=doc.index,
                               path_prefix=prefix or (format_path(doc.base) if doc.base else ""),
                               reason=reason if isinstance(reason, str) else "", place=span,
                               names_at=names_at))
    return out + from_peer_annotations(doc)


def from_peer_annotations(doc: Document) -> list[Suppression]:
    """The kube-linter and Polaris annotations of the object, as suppressions to resolve.

    kube-linter honours its key whatever the value, and the value is the reason; Polaris
    honours its keys only when the value is "true". The rules they silence are known once the
    run's rules are (see `apply`). They are never reported unused: the peer may still run
    beside kubelint and need them.
    """
    from kubelint.model import format_path

    annotations = doc.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return []
    prefix = format_path(doc.base) if doc.base else ""
    out: list[Suppression] = []
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        for tool, head, tail in _PEER_CHECK:
            check = None
            if key == _PEER_ALL[tool]:
                check = EVERY_CHECK
            elif key.startswith(head) and key.endswith(tail) and len(key) > len(head) + len(tail):
                check = key[len(head): len(key) - len(tail)]
            if check is None:
                continue
            if tool == POLARIS and str(value).strip().lower() != "true":
                break  # Polaris itself ignores an exemption that is not "true"
            reason = value.strip() if tool == KUBE_LINTER and isinstance(value, str) else ""
            out.append(Suppression(tool, frozenset(), file=doc.file, document=doc.index,
                                   path_prefix=prefix, reason=reason, peer_checks=frozenset({check})))
            break
    return out


# (tool, check) → the rule ids whose `peers:` name that check, for every rule a run of this
# process selected (see register_peers). The suppressions are made where the file is linted,
# perhaps in a worker that never selected rules, and resolved in `apply`, in the process that
# did. Rule ids are the same in every run of a process but for a team's own rules, whose
# findings only their own runs have: a mapping kept over runs silences nothing extra.
_PEER_RULES: dict[tuple[str, str], set[str]] = {}


def register_peers(rules: Iterable[Rule]) -> None:
    """Remember which rules answer to which peer checks (selection calls it for each run)."""
    for rule in rules:
        for tool, checks in rule.peers.items():
            for check in (*checks, EVERY_CHECK):
                _PEER_RULES.setdefault((tool, check), set()).add(rule.id)


def _resolve_peers(suppressions: Sequence[Suppression]) -> None:
    for item in suppressions:
        if item.peer_checks and not item.rules:
            item.rules = frozenset(rule for check in item.peer_checks
                                   for rule in _PEER_RULES.get((item.mechanism, check), ()))


def _value_offset(value: str, span: Span) -> tuple[int, bool]:
    """The 0-based column where a one-line scalar's text starts, and whether columns are exact.

    Told from the span's width alone (a quoted scalar is two wider than its text), so it needs
    no source line; it agrees with `directive_problems`, which reads the line's first character.
    """
    if span.line == span.end_line:
        width = span.end_column - span.column
        if width == len(value):
            return span.column - 1, True
        if width == len(value) + 2:
            return span.column, True
    return span.column - 1, False


def _drop_misspelt(suppressions: Sequence[Suppression], findings: Sequence[Finding]) -> None:
    """Forget the rule names `unknown-suppression` reported: that finding says all there is.

    A suppression left with no name has nothing to report as unused (its place goes), so a
    misspelt `disable=image-tagg` is one finding, not two at the same comment.
    """
    reported: dict[tuple[str, int, int], int] = {}
    for f in findings:
        if f.rule == PROBLEM_RULE:
            reported[(f.file, f.line, f.column)] = reported.get((f.file, f.line, f.column), 0) + 1
    if not reported:
        return
    for item in suppressions:
        if not item.names_at or item.file is None:
            continue
        at: dict[tuple[int, int], list[str]] = {}
        for name, line, column in item.names_at:
            at.setdefault((line, column), []).append(name)
        # Names share a column only in a value spread over lines, where each gets a finding
        # at the value's start: all of them misspelt is then the only case that is certain.
        misspelt = {name for (line, column), names in at.items()
                    if reported.get((item.file, line, column), 0) >= len(names) for name in names}
        if not misspelt:
            continue
        item.rules = frozenset(item.rules - misspelt)
        item.names_at = tuple(n for n in item.names_at if n[0] not in misspelt)
        if not item.rules:
            item.place = None


def apply(findings: Iterable[Finding], suppressions: Sequence[Suppression]) -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    """The findings left, and those silenced with what silenced each; internal errors stay."""
    findings = list(findings)
    _resolve_peers(suppressions)
    _drop_misspelt(suppressions, findings)
    kept: list[Finding] = []
    silenced: list[tuple[Finding, Suppression]] = []
    for finding in findings:
        if finding.rule == "internal-error" or finding.rule == "unused-suppression":
            kept.append(finding)
            continue
        by = next((s for s in suppressions if s.silences(finding)), None)
        if by is None:
            kept.append(finding)
        else:
            by.used += 1
            silenced.append((finding, by))
    return kept, silenced


def directive_problems(text: str, documents: Sequence[Document], known: Iterable[str]) -> list[ParseProblem]:
    """Suppressions that silence nothing because they are misspelt, each at its place.

    A `# kubelint: disabel=…` or an annotation naming `image-tagg` was ignored without a word,
    so the person who wrote it believed a finding silenced that was not, or vice versa.
    `known` are the run's rule ids (a team's own rules included): the caller has them, and
    loading the built-in rules here would tie this module to the rule loader.
    """
    from kubelint.suggest import closest

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
    from kubelint.suggest import closest

    out: list[ParseProblem] = []
    for name, column in _name_columns(listing, offset, exact):
        if name in rules:
            continue
        guess = closest(name, rules)
        hint = f"; did you mean `{guess}`?" if guess else "; `kubelint rules` lists them"
        out.append(ParseProblem(
            PROBLEM_RULE, f"{where} names `{name}`, which is no rule, so it silences nothing{hint}",
            Span(line, column, line, column + (len(name) if exact else 1))))
    return out


def _name_columns(listing: str, offset: int, exact: bool = True) -> list[tuple[str, int]]:
    """Each name of a comma-separated list with its 1-based column (`offset`: where the list
    starts, 0-based); all at the list's start when the columns are not `exact`."""
    out: list[tuple[str, int]] = []
    position = 0
    for part in listing.split(","):
        name = part.strip()
        start = offset + position + len(part) - len(part.lstrip()) if exact else offset
        position += len(part) + 1
        if name:
            out.append((name, start + 1))
    return out
