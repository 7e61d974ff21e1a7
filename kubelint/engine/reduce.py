"""The reduce step of a run: run-wide rules over the index of facts, then suppression, then order.

The map step (Linter.lint_source, in worker processes) returns per file its findings, its
suppressions and the small facts of each object. Here, in the main process, the run-wide
rules (cross-object references, duplicates, namespace policies) read the index built from
those facts, their findings are silenced by the same comments and annotations as any other,
and everything is sorted, so the report does not depend on how files were spread over
processes.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kubelint.engine import suppress
from kubelint.engine.facts import ObjectFacts
from kubelint.engine.rules import Rule
from kubelint.kube.scopes import is_cluster_scoped
from kubelint.model import FieldPath, Finding, Severity, Span, Suppressed, format_path


@dataclass
class RunIndex:
    """Every object of the run, with namespaces resolved as the API server would."""

    objects: list[ObjectFacts]
    default_namespace: str = "default"
    crd_scopes: dict[tuple[str, str], str] = field(default_factory=dict)
    _by_kind: dict[str, list[ObjectFacts]] = field(default_factory=dict)
    # Lookups the run checks make per object, built once: namespace by id, (kind, namespace,
    # name), workloads by namespace. `memo` holds tables a check derives from the index.
    _namespaces: dict[int, str | None] = field(default_factory=dict)
    _named: dict[tuple[str, str | None, str], list[ObjectFacts]] = field(default_factory=dict)
    _workloads: dict[str | None, list[ObjectFacts]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.objects.sort(key=lambda f: (f.file, f.document, f.base))
        for facts in self.objects:
            defines = facts.data.get("defines")
            if defines:
                self.crd_scopes.setdefault((defines["group"], defines["kind"]), defines["scope"])
        for facts in self.objects:
            self._by_kind.setdefault(facts.kind, []).append(facts)
            namespace = self._namespace(facts)
            self._namespaces[id(facts)] = namespace
            if facts.name is not None:
                self._named.setdefault((facts.kind, namespace, facts.name), []).append(facts)
            if "podLabels" in facts.data:
                self._workloads.setdefault(namespace, []).append(facts)

    def _namespace(self, facts: ObjectFacts) -> str | None:
        if is_cluster_scoped(facts.group, facts.kind, self.crd_scopes):
            return None
        return facts.namespace or self.default_namespace

    def namespace_of(self, facts: ObjectFacts) -> str | None:
        """None for cluster-scoped kinds; the written or the default namespace otherwise."""
        found = self._namespaces.get(id(facts), False)
        return self._namespace(facts) if found is False else found  # type: ignore[return-value]

    def of_kind(self, *kinds: str) -> list[ObjectFacts]:
        out: list[ObjectFacts] = []
        for kind in kinds:
            out.extend(self._by_kind.get(kind, ()))
        return out

    def named(self, kind: str, namespace: str | None, name: str) -> list[ObjectFacts]:
        return list(self._named.get((kind, namespace, name), ()))

    def workloads(self, namespace: str | None = None) -> list[ObjectFacts]:
        """Objects that carry a pod template (or are pods), in `namespace` when given."""
        if namespace is None:
            return [f for f in self.objects if "podLabels" in f.data]
        return list(self._workloads.get(namespace, ()))


class RunHit:
    """One problem a run-wide check found: in which object, at which field, in which words."""

    __slots__ = ("facts", "path", "values", "variant", "at")

    def __init__(self, facts: ObjectFacts, path: FieldPath, values: dict[str, Any],
                 variant: str = "default", at: Span | None = None) -> None:
        self.facts = facts
        self.path = path
        self.values = values
        self.variant = variant
        self.at = at  # a span other than the field's own, when the check knows better


@dataclass
class Reduced:
    findings: list[Finding]
    suppressed: list[Suppressed]


def run_rules(rules: Iterable[tuple[Rule, Any, Any]], index: RunIndex) -> list[Finding]:
    """The findings of every run-wide rule."""
    findings: list[Finding] = []
    for rule, run, params in rules:
        try:
            for hit in run(index, params):
                findings.append(_finding(rule, hit))
        except Exception as exc:  # one broken rule must not end the run
            findings.append(_internal_error(rule, exc))
    return findings


def reduce(rules: Sequence[tuple[Rule, Any, Any]], outcomes: Sequence[Any], options: Any,
           catalog: dict[str, Rule]) -> Reduced:
    """Run-wide rules, then every suppression (comments, annotations, config, baseline), then order.

    `outcomes` are the FileOutcomes of the map step; `options` the run's Options.
    """
    findings = [f for outcome in outcomes for f in outcome.findings]
    if rules:
        index = RunIndex([f for outcome in outcomes for f in outcome.facts], options.namespace, memo={})
        findings.extend(run_rules(rules, index))
    suppressions = [s for outcome in outcomes for s in outcome.suppressions]
    suppressions += config_suppressions(options.ignores, options.namespace)
    kept, silenced = suppress.apply(findings, suppressions)
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
    return Reduced(kept, out)


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


def _internal_error(rule: Rule, exc: BaseException) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    origin = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return Finding(rule="internal-error", severity=Severity.ERROR,
                   message=f"rule {rule.id} failed on the run: {type(exc).__name__}: {exc}{origin}; "
                           "please report this",
                   file="<run>", line=1, column=1, end_line=1, end_column=1)
