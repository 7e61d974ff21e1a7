"""The per-file linter: one file's documents → the findings of the per-object rules, the
file's suppressions and the facts of its objects for the run-wide rules.

It knows nothing of the run it is part of (engine/run.py plans passes, spreads files over
workers and reduces): a worker process holds one Linter and calls `lint_file` per path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from kubelint.checks.base import CheckContext, Hit
from kubelint.checks.run import ObjectFacts, facts_of
from kubelint.checks.run.file_index import release as release_file_index
from kubelint.engine import suppress
from kubelint.engine.documents import CRD_MARKER, crd_group, crds_of, custom_groups, expand_lists, is_manifest
from kubelint.engine.rules import Rule, all_rules
from kubelint.errors import describe
from kubelint.kube.groups import is_tool_config
from kubelint.kube.kustomize import has_patch_directive
from kubelint.kube.objects import incomplete
from kubelint.kube.workloads import containers, get_path, pod_spec
from kubelint.model import Document, Finding, Record, Span, format_path, path_within, release_positions
from kubelint.options import Options
from kubelint.parser import ParseProblem
from kubelint.source import ReadError, SourceResult, load_bytes, load_path, read_bytes, template_in_value

INTERNAL_ERROR = "internal-error"
# An outcome with more findings and facts than this is not stored in the result cache (_store).
MAX_STORED_RECORDS = 20_000
SCHEMA_RULES = ("schema-invalid", "unknown-field", "unknown-kind")


class FirstPass(Record):
    """A file's first pass: its CRDs, and its outcome unless it waits for the run's CRDs.

    A plain class with slots (model.Record), not a dataclass, which every start-up made."""

    __slots__ = ("crds", "outcome", "needs", "digest", "stored")

    def __init__(self, crds: list[Document], outcome: FileOutcome | None, needs: frozenset[str],
                 digest: bytes | None = None, stored: str | None = None) -> None:
        self.crds = crds
        self.outcome = outcome  # None: the file waits for the CRDs of the whole run
        self.needs = needs  # the API groups of its custom resources
        # resultcache.content_digest of the bytes read (with the result cache on): the planner's
        # CRD digests take it instead of reading and hashing the file again.
        self.digest = digest
        # The result-cache key this process just stored (needs, outcome) under, if it did: a
        # worker sends that entry's bytes in place of a second pickled copy (engine/passes.py).
        self.stored = stored


class FileOutcome(NamedTuple):
    """One file's part of the map step: what the run-wide reduce step needs, nothing more."""

    findings: list[Finding]
    documents: int
    skipped: bool
    facts: list[ObjectFacts] = []  # noqa: RUF012 - a NamedTuple default, never mutated
    suppressions: list[suppress.Suppression] = []  # noqa: RUF012
    path: str = ""  # the file, for `-v` to name the skipped ones


class Looked(NamedTuple):
    """A file's entry in the result cache: its key (None when the cache is off), the bytes the
    key was made of, and the stored outcome (None on a miss)."""

    path: str
    key: str | None
    data: bytes | None
    outcome: FileOutcome | None
    max_bytes: int

    def load(self) -> SourceResult:
        """The file parsed, from the bytes already read when there are some."""
        if self.data is not None:
            return load_bytes(self.data, self.path, light=True)
        return load_path(self.path, self.max_bytes, light=True)


def active_rules(options: Options) -> dict[str, Rule]:
    """The built-in rules with the configuration's and the command line's selection applied.

    Order: the rule files' defaults, then the config's `rules:`, then `--profile`, then
    `--enable`/`--disable`, then `--only` (and `--schema-only`). Input rules always run: a
    file that cannot be read must never pass silently.
    """
    from kubelint.engine.selection import select

    return select(all_rules(options.rules_dirs), options)


class Linter:
    """One configured run: the rules to apply and the options they see."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.rules = active_rules(self.options)
        self._enabled = [r for r in self.rules.values() if r.enabled]
        from kubelint.engine.prepare import prepare_rules

        # Each rule's check (or schema) made ready once, with its validated parameters.
        self._prepared = prepare_rules(self._enabled)
        self._by_target: dict[str, list[Rule]] = {}
        for rule in self._enabled:
            self._by_target.setdefault(rule.target, []).append(rule)
        # One problem, one finding: where a dedicated rule explains a problem, the generic
        # schema findings at the same field (or below it) are dropped, as its rule file says.
        # Only a rule that runs can supersede: a finding is never dropped for one not reported.
        self._supersedes = {r.id: r.supersedes for r in self._enabled if r.supersedes}
        # Facts for the reduce step are gathered only when a run-wide rule will read them.
        self.run_rules = [(r, *self._prepared[r.id]) for r in self._by_target.get("run", ())]
        self._per_kind: dict[str | None, tuple[list[Any], list[Any], list[Any]]] = {}
        # The API groups whose CRDs a first pass keeps for the run (see first_pass).
        self.wanted_groups: frozenset[str] = frozenset()
        # Files that a kustomization names as patches: partial objects (see kube/kustomize.py).
        self.partial_files: frozenset[str] = frozenset()
        # File → the labels kustomize adds to its selectors (commonLabels; labels with
        # includeSelectors): its workloads get a selector when built, so none is missing.
        self.selector_labels: dict[str, dict[str, str]] = {}
        # Whether facts carry each workload's Pod Security failures (see engine/passes.py).
        self.pod_security_facts = True
        # The result cache of this run's settings (kubelint/resultcache.py), when it is on.
        self.cache: Any = None
        self.schema = None
        if any(self.rules[r].enabled for r in SCHEMA_RULES if r in self.rules):
            from kubelint.schema import SchemaValidator

            self.schema = SchemaValidator(self.options.kubernetes_version, self.options.strict,
                                          self.options.schema_dirs)
        self._shared: dict[str, str] = {}

    # ----------------------------------------------------------------------------- findings

    def _finding(self, rule: Rule, message: str, file: str, span: Span, path: str = "",
                 doc: Document | None = None) -> Finding:
        # One string object for each message and path a file repeats (the same container
        # name in every object of a rendered stream): a stream's findings are mostly these.
        shared = self._shared
        message = shared.setdefault(message, message)
        path = shared.setdefault(path, path)
        return Finding(
            rule=rule.id, severity=rule.severity, message=message, file=file,
            line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
            path=path,
            document=doc.index if doc else None,
            api_version=doc.api_version if doc else None,
            kind=doc.kind if doc else None,
            namespace=doc.namespace if doc else None,
            name=doc.name if doc else None,
        )

    def problem_finding(self, problem: ParseProblem, file: str,
                        documents: Sequence[Document] | dict[int, Document] = ()) -> Finding | None:
        rule = self.rules.get(problem.rule)
        if rule is None or not rule.enabled:
            return None
        by_index = documents if isinstance(documents, dict) else {d.index: d for d in documents}
        doc = by_index.get(problem.document) if problem.document is not None else None
        return self._finding(rule, rule.message(detail=problem.message), file, problem.span,
                             format_path(problem.path), doc)

    def hit_finding(self, rule: Rule, doc: Document, hit: Hit) -> Finding:
        span, _ = doc.locate(hit.path, hit.at)
        # The path is from the YAML document's root: an item of a List is at items[n].
        return self._finding(rule, rule.message(hit.variant, **hit.values), doc.file, span,
                             format_path(doc.base + tuple(hit.path)), doc)

    def _internal_error(self, rule_id: str, doc: Document, exc: BaseException) -> Finding:
        internal = self.rules[INTERNAL_ERROR]
        message = internal.message(rule=rule_id, error=describe(exc), document=doc.index + 1)
        return self._finding(internal, message, doc.file, doc.span, "", doc)

    # ------------------------------------------------------------------------------- running

    def lint_document(self, doc: Document, documents: Sequence[Document] = (),
                      partial: bool = False) -> list[Finding]:
        """Every per-object rule's findings for `doc`.

        A partial object (a kustomize patch) is checked only for what it sets: its schema
        without required fields, and its apiVersion; the rules about what a complete object
        must have would only report what the patch leaves to its base.
        """
        if partial:
            api = [f for rule in self._by_target.get("object", ()) if rule.category == "api"
                   for f in self._run_one(rule, doc, documents)]
            # one problem, one finding: a removed API is not a schema error as well
            found = self._schema_findings(doc, api, partial=True) if self.schema is not None else []
            return found + api
        ctx = CheckContext(doc, self.options.kubernetes_version, documents)
        findings: list[Finding] = []
        kind = doc.kind
        obj = doc.obj
        object_rules, podspec_rules, container_rules = self._rules_for(kind)
        for rule, run, params in object_rules:
            self._run(rule, run, params, ctx, obj, (), findings)
        if podspec_rules or container_rules:
            found = pod_spec(kind, obj, doc.api_version)
            if found:
                spec, spec_path = found
                ctx.pod_spec, ctx.pod_spec_path = spec, spec_path
                for rule, run, params in podspec_rules:
                    self._run(rule, run, params, ctx, spec, spec_path, findings)
                if container_rules:
                    for container, path in containers(spec, spec_path):
                        for rule, run, params in container_rules:
                            self._run(rule, run, params, ctx, container, path, findings)
        if self.schema is not None:
            findings.extend(self._schema_findings(doc, findings))
        return findings

    def _schema_findings(self, doc: Document, dedicated: list[Finding], partial: bool = False) -> list[Finding]:
        found: list[Finding] = []
        try:
            for rule_id, hit in self.schema.validate(doc):  # type: ignore[union-attr]
                rule = self.rules.get(rule_id)
                if partial and hit.values.get("category") == "required":
                    continue  # a patch leaves fields to the object it patches
                if hit.values.get("category") == "type" and (templated := self._templated(doc, hit)):
                    found.append(templated)  # `replicas: "{{ .Values.replicas }}"`: not rendered
                    continue
                if rule is not None and rule.enabled:
                    found.append(self.hit_finding(rule, doc, hit))
        except Exception as exc:  # a schema we cannot use must not end the run
            return [self._internal_error("schema-invalid", doc, exc)]
        covered = [(f.path, self._supersedes[f.rule]) for f in dedicated if f.rule in self._supersedes]
        if not covered:
            return found
        return [f for f in found if not any(f.rule in rules and _within(f.path, path)
                                            for path, rules in covered)]

    def _templated(self, doc: Document, hit: Hit) -> Finding | None:
        """An unrendered-template finding for a value of the wrong type that is a template."""
        rule = self.rules.get("unrendered-template")
        action = template_in_value(get_path(doc.obj, hit.path))
        if rule is None or not rule.enabled or action is None:
            return None
        expected = re.search(r"expected (.+?), got", str(hit.values.get("detail", "")))
        values = {"field": format_path(doc.base + tuple(hit.path)), "value": action,
                  "expected": expected.group(1) if expected else "another type"}
        return self.hit_finding(rule, doc, Hit(hit.path, values, variant="in-value"))

    def _rules_for(self, kind: str | None) -> tuple[list[Any], list[Any], list[Any]]:
        """The (rule, check, params) of each target that apply to `kind`, worked out once per
        kind: a run calls checks half a million times on a big tree."""
        known = self._per_kind.get(kind)
        if known is None:
            known = tuple([(rule, *self._prepared[rule.id]) for rule in self._by_target.get(target, ())
                           if rule.applies_to(kind)] for target in ("object", "podspec", "container"))
            self._per_kind[kind] = known
        return known

    def _run_one(self, rule: Rule, doc: Document, documents: Sequence[Document]) -> list[Finding]:
        found: list[Finding] = []
        run, params = self._prepared[rule.id]
        self._run(rule, run, params, CheckContext(doc, self.options.kubernetes_version, documents), doc.obj, (),
                  found)
        return found

    def _run(self, rule: Rule, run: Any, params: Any, ctx: CheckContext, target: Any, path: tuple[Any, ...],
             findings: list[Finding]) -> None:
        try:
            for hit in run(ctx, target, path, params):
                findings.append(self.hit_finding(rule, ctx.document, hit))
        except Exception as exc:  # one broken rule must not end the run
            findings.append(self._internal_error(rule.id, ctx.document, exc))

    def lint_source(self, source: SourceResult) -> FileOutcome:
        """Findings for one parsed file, its document count, and whether it was skipped.

        Whatever goes wrong inside becomes an internal-error finding of this file, so the other
        files of the run are still linted and reported (a wrong-typed field once ended the run).
        """
        try:
            outcome = self._lint_source(source)
            if source.light and _inside_light(outcome.findings, source.documents):
                release_file_index()
                outcome = self._lint_source(source.in_full())  # a broken CRD schema: its places
            return outcome
        except Exception as exc:  # reported as the file's finding
            return FileOutcome([self._file_internal_error(source.path, exc)], source.document_count, False,
                               path=source.path)
        finally:
            release_file_index()  # the per-file tables hold the file's documents

    def _file_internal_error(self, path: str, exc: BaseException) -> Finding:
        internal = self.rules[INTERNAL_ERROR]
        message = internal.message("file", error=describe(exc))
        return Finding(rule=internal.id, severity=internal.severity, message=message, file=path,
                       line=1, column=1, end_line=1, end_column=1)

    def _lint_source(self, source: SourceResult) -> FileOutcome:
        self._shared = {}  # see _finding: per file, so that a long-lived linter keeps none
        findings: list[Finding] = []
        problems = source.problems
        if "kubelint" in source.text:  # suppressions that silence nothing (misspelt): input problems
            # the run's rules, a team's own (rules-dir) included, are the names a directive may use
            problems = problems + suppress.directive_problems(source.text, source.documents, self.rules)
        by_index = {d.index: d for d in source.documents}  # a stream may have many problems
        for problem in problems:
            finding = self.problem_finding(problem, source.path, by_index)
            if finding:
                findings.append(finding)
        documents = [d for d in source.documents if d.obj is not None]
        # Meant as objects but missing or misspelling apiVersion/kind: kubectl refuses them.
        refused = self._incomplete_objects(documents, source.path)
        manifests = [d for d in documents if is_manifest(d.obj) and d.index not in refused]
        objects = [d for d in manifests if not is_tool_config(d.api_version or "", d.kind or "")]
        if not objects and not refused and not problems:
            return FileOutcome(findings, 0, True, path=source.path)  # values.yaml, kustomization.yaml, …
        for found in refused.values():
            findings.extend(found)
        not_manifest = self.rules.get("not-a-manifest")
        if (manifests or refused) and not_manifest is not None and not_manifest.enabled:
            for doc in documents:
                if not is_manifest(doc.obj) and doc.index not in refused:
                    findings.append(self._not_a_manifest(not_manifest, doc))
        objects = expand_lists(objects)
        # A kustomize patch: named as one by a kustomization, or holding a strategic-merge
        # directive ($patch: delete …), which only a patch can.
        partial = source.path in self.partial_files or (
            source.patch_marker and any(has_patch_directive(d.obj) for d in objects))
        facts: list[ObjectFacts] = []
        silencers: list[suppress.Suppression] = []
        linted: Document | None = None
        for doc in objects:
            if linted is not None and linted.positions is not doc.positions:
                release_positions(linted)  # a long stream's: read while it was linted, not kept
            linted = doc  # the items of a List share their document's positions: let go after the last
            if is_manifest(doc.obj):
                findings.extend(self.lint_document(doc, objects, partial))
                silencers.extend(suppress.from_annotations(doc))
                if self.run_rules and not partial:  # a patch is not an object of its own
                    try:
                        facts.append(facts_of(doc, self.pod_security_facts))
                    except Exception as exc:  # the object's other findings still count
                        findings.append(self._internal_error("cross-object facts", doc, exc))
            elif (item := self._incomplete_objects([doc], source.path)):
                findings.extend(item[doc.index])  # an item of a List meant as an object
            elif not_manifest is not None and not_manifest.enabled:
                findings.append(self._not_a_manifest(not_manifest, doc))
        if linted is not None:
            release_positions(linted)
        if source.text and "kubelint:" in source.text:
            silencers.extend(suppress.from_comments(source.path, source.lines, documents))
        if source.path in self.selector_labels:  # kustomize writes the selector (commonLabels)
            findings = [f for f in findings if f.rule != "missing-selector"]
        # Suppressions are applied in the reduce step, to run-wide findings too (engine/reduce.py).
        return FileOutcome(findings, max(source.document_count, len(documents)), False, facts, silencers,
                           source.path)

    # ------------------------------------------------------------------------- result cache

    def file_key(self, path: str, digest: bytes, *extras: str) -> str:
        """Everything of a file that changes its outcome, beside the run's key: its bytes, its
        name (findings name it), whether it is a patch, whether facts carry Pod Security
        failures, the selector labels kustomize gives it, and `extras` (the CRDs it needs)."""
        from kubelint.resultcache import key_for

        labels = self.selector_labels.get(path)
        return key_for(digest, path, "partial" if path in self.partial_files else "",
                        "pss" if self.pod_security_facts else "",
                        repr(sorted(labels.items())) if labels else "", *extras)

    def _read(self, path: str) -> bytes | None:
        try:
            return read_bytes(path, self.options.max_file_size)
        except (OSError, ReadError):
            return None  # load_path says why, as a finding

    def _store(self, key: str, value: Any) -> bool:
        """Keep an outcome unless something went wrong inside kubelint (never cache a bug), or
        it is a huge stream's: pickling 120,000 findings at once took 110 MB above the run's
        own peak. Such a file is linted afresh on the next run (20,000 objects: ~15 s)."""
        outcome = value if isinstance(value, FileOutcome) else value[1]
        if self.cache is None or (outcome and (len(outcome.findings) + len(outcome.facts) > MAX_STORED_RECORDS
                                               or any(f.rule == INTERNAL_ERROR for f in outcome.findings))):
            return False
        return bool(self.cache.put(key, value))

    def lint_file(self, path: str, *extras: str) -> FileOutcome:
        """One file's outcome: from the result cache when its key is there, else linted."""
        looked = self.look_up(path, *extras)
        if looked.outcome is not None:
            return looked.outcome
        outcome = self.lint_source(looked.load())
        self.keep(looked.key, outcome)
        return outcome

    def lint_rendered(self, source: SourceResult, text: str | None) -> FileOutcome:
        """A rendered source's outcome (a chart's template, a Kustomize build), from the result
        cache when the same text was linted before under the same name.

        Why: a re-run of an unchanged chart or overlay re-linted every object it renders (a
        sixth of a re-run of the projects corpus). Only sources of Kubernetes's own kinds are
        kept: a custom resource's findings depend on the CRDs of the run, which this key does
        not hold."""
        if self.cache is None or text is None or custom_groups(source.documents):
            return self.lint_source(source)
        from kubelint.resultcache import content_digest

        key = self.file_key(source.path, content_digest(text.encode("utf-8", "surrogatepass")), "rendered")
        found = self.cache.get(key)
        if isinstance(found, FileOutcome):
            return found
        outcome = self.lint_source(source)
        self.keep(key, outcome)
        return outcome

    def look_up(self, path: str, *extras: str) -> Looked:
        """The file's stored outcome under its key (with `extras`), when the cache has it; the
        bytes read for the key, so that a miss parses them without reading the file again."""
        data = self._read(path) if self.cache is not None else None
        if data is None:
            return Looked(path, None, None, None, self.options.max_file_size)
        from kubelint.resultcache import content_digest

        key = self.file_key(path, content_digest(data), *extras)
        found = self.cache.get(key)  # type: ignore[union-attr]
        return Looked(path, key, data, found if isinstance(found, FileOutcome) else None, self.options.max_file_size)

    def keep(self, key: str | None, outcome: FileOutcome) -> None:
        """Store an outcome under a key from look_up (None: the cache is off)."""
        if key is not None:
            self._store(key, outcome)

    def first_pass(self, path: str) -> FirstPass:
        """The file's CRDs of `wanted_groups` and, when nothing in it depends on CRDs, its outcome.

        CRD files are the largest in most trees; linting them while they are parsed for their
        CRDs saves parsing them twice. A file that holds custom resources waits for all CRDs
        of the run and is linted afterwards. Only CRDs of groups that some file uses are kept:
        sending every CRD of a big tree from a worker process costs more than parsing the
        files that use them.
        """
        data = self._read(path) if self.cache is not None else None
        key = crds_key = digest = None
        if data is not None:
            key, crds_key, digest = self._first_pass_keys(path, data)
            hit = self._first_pass_hit(key, crds_key, digest)
            if hit is not None:
                return hit
        source = load_bytes(data, path, light=True) if data is not None else load_path(
            path, self.options.max_file_size, light=True)
        try:
            every = crds_of(source.documents)
            if crds_key is not None:  # packed once, for the cache and for the parent alike
                every = [packed_crd(d) for d in every]
                self.cache.put(crds_key, every)  # type: ignore[union-attr]
            crds = [d for d in every if crd_group(d) in self.wanted_groups]
            needs = custom_groups(source.documents)
        except Exception as exc:  # never seen; one file must not end the run
            return FirstPass([], FileOutcome([self._file_internal_error(path, exc)], 0, False, path=path),
                             frozenset())
        if needs:
            if key is not None:
                self._store(key, (needs, None))
            return FirstPass(crds, None, needs, digest)
        found = self.cache.get(key) if key is not None else None  # type: ignore[union-attr]
        if isinstance(found, tuple) and len(found) == 2 and found[1] is not None:
            return FirstPass(crds, found[1], needs, digest)  # a CRD file: parsed for its CRDs, not linted
        outcome = self.lint_source(source)
        stored = key if key is not None and self._store(key, (needs, outcome)) else None
        return FirstPass(crds, outcome, needs, digest, stored)

    def cached_first_pass(self, path: str) -> FirstPass | None:
        """The file's first pass from the result cache alone; None when it must be parsed."""
        data = self._read(path) if self.cache is not None else None
        return None if data is None else self._first_pass_hit(*self._first_pass_keys(path, data))

    def _first_pass_keys(self, path: str, data: bytes) -> tuple[str, str | None, bytes]:
        """The keys of its first pass (the API groups of its custom resources, its outcome when
        it needs none) and, for a file that may define CRDs, of its CRDs (all of them: which
        ones a run wants varies), kept apart; and the digest of `data` they are made from."""
        from kubelint.resultcache import content_digest

        digest = content_digest(data)  # the bytes hashed once for both keys
        crds_key = self.file_key(path, digest, "crds") if CRD_MARKER.search(data) is not None else None
        return self.file_key(path, digest, "first-pass"), crds_key, digest

    def _first_pass_hit(self, key: str, crds_key: str | None, digest: bytes | None = None) -> FirstPass | None:
        found = self.cache.get(key)  # type: ignore[union-attr]
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        needs, outcome = found
        stored = self.cache.get(crds_key) if crds_key else []  # type: ignore[union-attr]
        if not isinstance(stored, list):
            return None
        return FirstPass([d for d in stored if crd_group(d) in self.wanted_groups], outcome if not needs else None,
                         needs, digest)

    def _incomplete_objects(self, documents: Sequence[Document], path: str) -> dict[int, list[Finding]]:
        """The incomplete-object findings of each document that has some (see kube/objects.py)."""
        rule = self.rules.get("incomplete-object")
        if rule is None or not rule.enabled or (path and path in self.partial_files):
            return {}  # a kustomize patch leaves apiVersion and kind to its target
        out: dict[int, list[Finding]] = {}
        for doc in documents:
            for problem in incomplete(doc.obj, path):
                span = doc.locate(problem.path, "key" if problem.path else "value")[0]
                out.setdefault(doc.index, []).append(self._finding(
                    rule, rule.message(problem.variant, **problem.values), doc.file, span,
                    format_path(doc.base + problem.path), doc))
        return out

    def _not_a_manifest(self, rule: Rule, doc: Document) -> Finding:
        obj = doc.obj
        if isinstance(obj, dict):
            missing = [k for k in ("apiVersion", "kind") if not isinstance(obj.get(k), str)]
            what = "has no " + " and no ".join(f"`{k}`" for k in missing)
        else:
            what = f"is a {_type_name(obj)}, not a mapping"
        span = doc.locate((), "value")[0]
        return self._finding(rule, rule.message(what=what), doc.file, span, "", doc)


def _inside_light(findings: Sequence[Finding], documents: Sequence[Document]) -> bool:
    """Whether a finding is below a subtree parsed without positions (its place would be the
    subtree's own). The facts of the run-wide rules never look inside CRD schemas."""
    light = {(doc.index, format_path(root)) for doc in documents for root in doc.light}
    if not light:
        return False
    for finding in findings:
        for index, root in light:
            if finding.document == index and finding.path != root and path_within(finding.path, root):
                return True
    return False


def packed_crd(doc: Document) -> Document:
    """A CRD document as the schema registry reads it: its openAPIV3Schemas packed (see
    crd.pack) and no positions. What a worker sends back and the result cache keeps: a CRD
    file's positions are most of its size, and registering a CRD needs none."""
    from kubelint.schema.crd import pack

    return replace(doc, obj=pack(doc.obj), positions={}, root=())


def _within(path: str, ancestor: str) -> bool:
    """Whether field path `path` is `ancestor` or below it; "apiVersion" covers the object."""
    if ancestor == "apiVersion":
        return True
    if ancestor.endswith(".apiVersion"):  # an item of a List: the whole item
        return path.startswith(ancestor[: -len("apiVersion")])
    return path_within(path, ancestor)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


__all__ = ["FileOutcome", "Linter", "active_rules"]
