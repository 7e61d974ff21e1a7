"""The reduce step of a run: run-wide rules over the index of facts, then suppression, then order.

The map step (Linter.lint_source, in worker processes) returns per file its findings, its
suppressions and the small facts of each object. Here, in the main process, the run-wide
rules (cross-object references, duplicates, namespace policies; kubelint/checks/run/) read
the index built from those facts, their findings are silenced by the same comments and annotations as any other,
and everything is sorted, so the report does not depend on how files were spread over
processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kubelint.checks.run import RunHit, RunIndex, operator_namespaces
from kubelint.engine import suppress
from kubelint.engine.rules import Rule
from kubelint.errors import describe
from kubelint.model import Finding, Record, Severity, Suppressed, format_path


class Reduced(Record):
    """The reduce step's result. A plain class with slots (model.Record), not a dataclass,
    which every start-up made."""

    __slots__ = ("findings", "suppressed", "operator_namespaces", "pod_operator_namespaces")

    def __init__(self, findings: list[Finding], suppressed: list[Suppressed],
                 operator_namespaces: dict[str | None, tuple[str, str, str]] | None = None,
                 pod_operator_namespaces: dict[str | None, tuple[str, str, str]] | None = None) -> None:
        self.findings = findings
        self.suppressed = suppressed
        # The namespaces the run-wide rules treat as operator-run, each with the object that made
        # it so: (kind, name, file). Empty when no run-wide rule ran. For `-v` to list. There the
        # references to Services, Secrets, ConfigMaps and ServiceAccounts are not judged; in
        # `pod_operator_namespaces` (where the operator may run pods) the selectors neither.
        self.operator_namespaces: dict[str | None, tuple[str, str, str]] = (
            {} if operator_namespaces is None else operator_namespaces)
        self.pod_operator_namespaces: dict[str | None, tuple[str, str, str]] = (
            {} if pod_operator_namespaces is None else pod_operator_namespaces)


def run_rules(rules: Iterable[tuple[Rule, Any, Any]], index: RunIndex,
              internal: Rule | None = None) -> list[Finding]:
    """The findings of every run-wide rule; one that fails is an internal-error finding."""
    findings: list[Finding] = []
    for rule, run, params in rules:
        try:
            for hit in run(index, params):
                findings.append(_finding(rule, hit))
        except Exception as exc:  # one broken rule must not end the run
            findings.append(_internal_error(rule, exc, internal))
    return findings


def reduce(rules: Sequence[tuple[Rule, Any, Any]], outcomes: Sequence[Any], options: Any,
           catalog: dict[str, Rule]) -> Reduced:
    """Run-wide rules, then every suppression (comments, annotations, config, baseline), then order.

    `outcomes` are the FileOutcomes of the map step; `options` the run's Options.
    """
    findings = [f for outcome in outcomes for f in outcome.findings]
    operated: dict[str | None, tuple[str, str, str]] = {}
    run_pods: dict[str | None, tuple[str, str, str]] = {}
    if rules:
        index = RunIndex([f for outcome in outcomes for f in outcome.facts], options.namespace, memo={})
        findings.extend(run_rules(rules, index, catalog.get("internal-error")))
        operated = dict(sorted(operator_namespaces(index).items(), key=lambda item: str(item[0])))
        run_pods = dict(sorted(operator_namespaces(index, runs_pods=True).items(), key=lambda item: str(item[0])))
    suppressions = [s for outcome in outcomes for s in outcome.suppressions]
    suppressions += config_suppressions(options.ignores, options.namespace)
    kept, silenced = apply_suppressions(findings, suppressions)
    out = [Suppressed(f, by.mechanism, by.reason) for f, by in silenced]
    if options.baseline:
        from kubelint.engine.baseline import Baseline

        kept, known = Baseline.load(options.baseline).split(kept)
        out.extend(Suppressed(f, "baseline", "") for f in known)
    unused_rule = catalog.get("unused-suppression")
    if options.report_unused_suppressions and unused_rule is not None:
        kept.extend(_unused(suppressions, unused_rule))
    kept.sort(key=Finding.sort_key)
    out.sort(key=lambda s: s.finding.sort_key())
    return Reduced(kept, out, operated, run_pods)


# A comment's range of at most this many lines is found by its lines; a longer one by its file.
_SHORT_RANGE = 200


class _Candidates:
    """The suppressions that may silence a finding, looked up by its file, document and line
    instead of trying every suppression of the run: a rendered stream of 20,000 objects with
    an annotation on each would otherwise compare every finding with every annotation. Each
    list keeps the suppressions' order, so the first that silences is the one `apply` picks."""

    def __init__(self, suppressions: Sequence[suppress.Suppression]) -> None:
        Entry = tuple[int, suppress.Suppression]  # noqa: N806 - a local alias
        self.everywhere: list[Entry] = []  # config entries, and suppressions of no file
        self.by_document: dict[tuple[str, int], list[Entry]] = {}  # annotations
        self.by_line: dict[tuple[str, int], list[Entry]] = {}  # comments over a few lines
        self.by_file: dict[str, list[Entry]] = {}  # disable-file, long ranges
        for order, item in enumerate(suppressions):
            entry = (order, item)
            if item.mechanism == "config" or item.file is None:
                self.everywhere.append(entry)
            elif item.document is not None:
                self.by_document.setdefault((item.file, item.document), []).append(entry)
            elif item.first_line and 0 <= item.last_line - item.first_line <= _SHORT_RANGE:
                for line in range(item.first_line, item.last_line + 1):
                    self.by_line.setdefault((item.file, line), []).append(entry)
            else:
                self.by_file.setdefault(item.file, []).append(entry)

    def of(self, finding: Finding) -> list[suppress.Suppression]:
        found = [*self.everywhere, *self.by_file.get(finding.file, ())]
        if finding.document is not None:
            found += self.by_document.get((finding.file, finding.document), ())
        found += self.by_line.get((finding.file, finding.line), ())
        found.sort(key=lambda entry: entry[0])
        return [item for _, item in found]


def apply_suppressions(findings: Sequence[Finding], suppressions: Sequence[suppress.Suppression]
                       ) -> tuple[list[Finding], list[tuple[Finding, suppress.Suppression]]]:
    """What suppress.apply does (the findings left, and those silenced with what silenced
    each), in time linear in findings and suppressions: each finding tries only the
    suppressions that can apply to its file, document and line (see `_Candidates`)."""
    findings = list(findings)
    # the preparation suppress.apply makes: peers' check ids to rules, misspelt names dropped
    suppress._resolve_peers(suppressions)  # noqa: SLF001 - apply's own steps, shared
    suppress._drop_misspelt(suppressions, findings)  # noqa: SLF001
    candidates = _Candidates(suppressions)
    kept: list[Finding] = []
    silenced: list[tuple[Finding, suppress.Suppression]] = []
    for finding in findings:
        if finding.rule in ("internal-error", "unused-suppression"):
            kept.append(finding)
            continue
        by = next((s for s in candidates.of(finding) if s.silences(finding)), None)
        if by is None:
            kept.append(finding)
        else:
            by.used += 1
            silenced.append((finding, by))
    return kept, silenced


def config_suppressions(entries: Iterable[dict[str, Any]], default_namespace: str) -> list[suppress.Suppression]:
    return [suppress.Suppression(
        "config", frozenset(entry.get("rules") or ["all"]), reason=str(entry.get("reason") or ""),
        place=entry.get("place"), place_file=entry.get("place_file"),
        paths=tuple(entry.get("paths") or ()), kinds=tuple(entry.get("kinds") or ()),
        namespaces=tuple(entry.get("namespaces") or ()), names=tuple(entry.get("names") or ()),
        default_namespace=default_namespace) for entry in entries]


def _unused(suppressions: Sequence[suppress.Suppression], rule: Rule) -> list[Finding]:
    """An info finding at each comment, annotation or config entry that silenced nothing."""
    out = []
    for item in suppressions:
        if item.used or item.place is None:
            continue
        file = item.place_file or item.file
        if file is None:
            continue
        rules = "every rule" if "all" in item.rules else ", ".join(sorted(item.rules))
        span = item.place
        variant = item.mechanism if item.mechanism in rule.messages else "default"
        out.append(Finding(rule=rule.id, severity=rule.severity,
                           message=rule.message(variant, rules=rules, mechanism=item.mechanism),
                           file=file, line=span.line, column=span.column, end_line=span.end_line,
                           end_column=span.end_column, document=item.document))
    return out


def _finding(rule: Rule, hit: RunHit) -> Finding:
    facts = hit.facts
    span = hit.at or facts.at(hit.path)
    return Finding(
        rule=rule.id, severity=rule.severity, message=rule.message(hit.variant, **hit.values),
        file=facts.file, line=span.line, column=span.column, end_line=span.end_line,
        end_column=span.end_column, path=format_path(facts.base + hit.path), document=facts.document,
        api_version=facts.api_version, kind=facts.kind, namespace=facts.namespace, name=facts.name,
    )


def _internal_error(rule: Rule, exc: BaseException, internal: Rule | None) -> Finding:
    """The internal-error rule's words (its `run` message), as the per-file ones are."""
    message = (internal.message("run", rule=rule.id, error=describe(exc)) if internal is not None
               else f"rule {rule.id} failed on the run: {describe(exc)}; please report this")
    return Finding(rule="internal-error", severity=Severity.ERROR, message=message,
                   file="<run>", line=1, column=1, end_line=1, end_column=1)
