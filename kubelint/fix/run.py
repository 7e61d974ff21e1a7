"""`kubelint check --fix` and `--diff`: fix, re-lint, repeat, in the process that has the text.

Each file with findings of a fixable rule is read again and fixed on its own: lint it, apply
the fixes that do not overlap, lint the new text, and again, for a few passes at most. A fix
that would leave the file unparseable is dropped and becomes an internal-error finding that
names its rule. Files are written only at the end, each atomically.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kubelint.fix import FIXABLE
from kubelint.fix.apply import apply_fixes
from kubelint.fix.model import Fix, NoFix
from kubelint.model import Finding, Severity

if TYPE_CHECKING:
    from kubelint.engine.linter import Linter
    from kubelint.fix.session import FixSession
    from kubelint.model import Document
    from kubelint.options import Options

MAX_PASSES = 5


@dataclass
class FileFix:
    path: str
    before: str
    after: str
    fixed: Counter[str] = field(default_factory=Counter)
    broken: list[Finding] = field(default_factory=list)  # internal errors: fixes that broke the file


@dataclass
class FixReport:
    files: list[FileFix] = field(default_factory=list)

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.after != f.before]

    @property
    def fixed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.fixed)
        return total

    @property
    def internal_errors(self) -> list[Finding]:
        return [e for f in self.files for e in f.broken]


def files_to_fix(findings: Sequence[Finding]) -> list[str]:
    seen: dict[str, None] = {}
    for finding in findings:
        if finding.rule in FIXABLE and finding.document is not None:
            seen.setdefault(finding.file)
    return list(seen)


def fix_text(linter: Linter, path: str, text: str, unsafe: bool,
             session: FixSession | None = None) -> FileFix:
    """Fix one file's text: passes of lint, fix and apply until nothing more applies.

    `linter` and `session` must know the run's CRDs (see `run_crds`): a custom resource
    re-linted without its CRD has no schema findings left to fix."""
    from kubelint.fix.session import FixSession, verified
    from kubelint.source import load_text

    session = session or FixSession(linter.options, linter.schema)
    result = FileFix(path, text, text)
    for _ in range(MAX_PASSES):
        findings = linter.lint_source(load_text(result.after, path)).findings
        fixes = session.fixes(path, result.after, findings)
        chosen = [f for f in fixes.values() if isinstance(f, Fix) and (f.safe or unsafe)]
        if not chosen:
            break
        new, applied, _ = apply_fixes(result.after, chosen)
        good, bad = verified(result.after, path, applied)
        if bad or not _parses(new, path):
            for fix in bad:
                origin = next(f for f, x in fixes.items() if x is fix)
                result.broken.append(_broken(linter, origin, fix))
            new, applied, _ = apply_fixes(result.after, good)
            if not _parses(new, path):  # fine alone, broken together: apply the first only
                new, applied, _ = apply_fixes(result.after, good[:1])
        if new == result.after:
            break
        result.fixed.update(fix.rule for fix in applied)
        result.after = new
    return result


def _parses(text: str, path: str) -> bool:
    from kubelint.fix.session import parses

    return parses(text, path)


def _broken(linter: Linter, finding: Finding, fix: Fix) -> Finding:
    rule = linter.rules.get("internal-error")
    message = (f"the fix for {fix.rule} ({fix.description}) would leave the file unparseable, so it was "
               "not applied; this is a kubelint bug, please report it")
    return replace(finding, rule="internal-error", message=message,
                   severity=rule.severity if rule is not None else Severity.ERROR, fix=None)


def unified_diff(fixed: FileFix) -> str:
    before = fixed.before.splitlines(keepends=True)
    after = fixed.after.splitlines(keepends=True)
    name = fixed.path.lstrip("/")
    lines = list(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)


def fixes_for_report(findings: Sequence[Finding], options: Options,
                     read: object = None, *, targets: Sequence[str] = (),
                     stdin_text: str | None = None, stdin_name: str = "<stdin>") -> list[Finding]:
    """The findings with the fix of each that has one (for the JSON report), computed in the
    main process from the files' text; findings whose rule has no fixer are returned as they are,
    and a run with none of them reads no file.

    With the run's `targets`, each fix is validated with the run's CRDs, as `--fix` validates
    it, so the report advertises exactly the fixes that `--fix` applies."""
    files = files_to_fix(findings)
    if not files:
        return list(findings)
    from kubelint.fix.session import FixSession

    session = FixSession(options)
    groups = _custom_groups(findings) if targets else frozenset()
    if groups:  # only a custom resource's fix needs the run's CRDs: only those of its groups
        from kubelint.source import discover

        on_disk = [p for p in discover(targets, options.exclude) if p != "-"]
        session.validator().add_crds(run_crds(on_disk, options, stdin_text if "-" in targets else None,
                                              stdin_name, groups))
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    attached: dict[int, Finding] = {}
    for path in files:
        text = read(path) if callable(read) else None
        if text is None:
            continue
        # FixSession.fixes already withholds a fix whose edited text would not parse.
        for finding, fix in session.fixes(path, text, by_file[path]).items():
            if isinstance(fix, Fix):
                attached[id(finding)] = replace(finding, fix=fix)
            elif isinstance(fix, NoFix):
                attached[id(finding)] = with_reason(finding, fix)
    return [attached.get(id(f), f) for f in findings]


def with_reason(finding: Finding, nofix: NoFix) -> Finding:
    message = finding.message.rstrip()
    stop = "" if message.endswith((".", "!", "?")) else "."
    return replace(finding, message=f"{message}{stop} No automatic fix: {nofix.reason}.")


def fix_paths(findings: Sequence[Finding], targets: Sequence[str], options: Options, *,
              stdin_text: str | None = None, stdin_name: str = "<stdin>", unsafe: bool = False,
              write: bool = True) -> FixReport:
    """Fix every file that has findings of a fixable rule; write them back (atomically) when
    `write`. Standard input is never written: its fixed text is in the report."""
    from kubelint.engine.linter import Linter
    from kubelint.fix.files import FileText, read_text, write_atomically
    from kubelint.fix.session import FixSession
    from kubelint.kube.kustomize import partial_files
    from kubelint.source import ReadError, discover

    paths = files_to_fix(findings)
    linter = Linter(options)
    on_disk = [p for p in discover(targets, options.exclude) if p != "-"] if paths else []
    linter.partial_files = partial_files(on_disk)
    session = FixSession(options, linter.schema)
    if paths:
        crds = run_crds(on_disk, options, stdin_text if "-" in targets else None, stdin_name)
        session.validator().add_crds(crds)
    report = FixReport()
    for path in paths:
        if stdin_text is not None and path == stdin_name:
            original = FileText(stdin_text.removeprefix("\ufeff"))
        else:
            try:
                original = read_text(path, options.max_file_size)
            except (OSError, ReadError):
                continue
        fixed = fix_text(linter, path, original.text, unsafe, session)
        report.files.append(fixed)
        if write and fixed.after != fixed.before and not (stdin_text is not None and path == stdin_name):
            write_atomically(path, original.encode(fixed.after))
    return report


def _custom_groups(findings: Sequence[Finding]) -> frozenset[str]:
    """The API groups of the custom resources that have a fixable finding."""
    from kubelint.kube.groups import BUILTIN_GROUPS, group_of

    return frozenset(g for f in findings if f.rule in FIXABLE and f.api_version
                     for g in (group_of(f.api_version),) if g not in BUILTIN_GROUPS)


def run_crds(paths: Sequence[str], options: Options, stdin_text: str | None = None,
             stdin_name: str = "<stdin>", groups: frozenset[str] | None = None) -> list[Document]:
    """The CRDs of the run (of `groups` only, when given), in the order the lint registers
    them (standard input, then files by path), so that a file fixed on its own is linted as it
    was in the run.

    Only files whose bytes name a CustomResourceDefinition (and one of `groups`) are parsed."""
    from kubelint.engine.documents import crd_group, crds_of
    from kubelint.source import ReadError, load_bytes, load_text, read_bytes

    wanted = [g.encode() for g in groups] if groups is not None else None
    crds: list[Document] = []
    if stdin_text is not None and "CustomResourceDefinition" in stdin_text:
        crds.extend(crds_of(load_text(stdin_text, stdin_name).documents))
    for path in sorted(paths):
        try:
            data = read_bytes(path, options.max_file_size)
        except (OSError, ReadError):
            continue
        if b"CustomResourceDefinition" in data and (wanted is None or any(g in data for g in wanted)):
            crds.extend(crds_of(load_bytes(data, path).documents))
    if groups is not None:
        crds = [d for d in crds if crd_group(d) in groups]
    return crds


def reader(options: Options, stdin_text: str | None, stdin_name: str) -> object:
    """A function that gives a linted file's text again (None when it cannot be read)."""
    from kubelint.fix.files import read_text
    from kubelint.source import ReadError

    def read(path: str) -> str | None:
        if stdin_text is not None and path == stdin_name:
            return stdin_text.removeprefix("\ufeff")
        try:
            return read_text(path, options.max_file_size).text
        except (OSError, ReadError):
            return None

    return read


def summary(report: FixReport, remaining: int, diff: bool) -> str:
    fixed = report.fixed
    count = sum(fixed.values())
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(fixed.items(), key=lambda item: (-item[1], item[0])))
    files = len(report.changed)
    verb = "would fix" if diff else "fixed"
    what = f"{verb} {count} finding{'s' if count != 1 else ''}"
    where = f" in {files} file{'s' if files != 1 else ''} ({rules})" if count else ""
    rest = "" if diff else f"; {remaining} remain{'s' if remaining == 1 else ''}"
    return f"kubelint: {what}{where}{rest}\n"


def fix_and_relint(result: Any, targets: Sequence[str], options: Options, *, stdin_text: str | None = None,
                   stdin_name: str = "<stdin>", unsafe: bool = False,
                   options_for: Any = None) -> tuple[Any, Any, str | None]:
    """--fix: rewrite the files (standard input in memory), lint again for what remains, and
    attach to each remaining finding the fix it still has. Returns (the fix report, the new
    RunResult, the fixed standard input). The CLI prints; this does the work, so an embedding
    tool gets the same loop."""
    from kubelint.engine.run import lint_paths

    report = fix_paths(result.findings, targets, options, stdin_text=stdin_text, stdin_name=stdin_name,
                       unsafe=unsafe, write=True)
    fixed_stdin = next((f.after for f in report.files if stdin_text is not None and f.path == stdin_name),
                       stdin_text)
    if report.changed:
        result = lint_paths(list(targets), options, stdin_text=fixed_stdin,
                            stdin_filename=None if stdin_name == "<stdin>" else stdin_name,
                            auto_jobs=True, context=True, options_for=options_for)
    result.findings = sorted(fixes_for_report(result.findings, options, reader(options, fixed_stdin, stdin_name),
                                              targets=targets, stdin_text=fixed_stdin, stdin_name=stdin_name)
                             + report.internal_errors, key=lambda f: f.sort_key())
    return report, result, fixed_stdin
