"""The reduce step applies suppressions as suppress.apply does, looking each finding's up instead
of trying every suppression of the run (issue 23: a stream with an annotation on each object
compared every finding with every annotation)."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.engine import suppress
from kubelint.engine.reduce import apply_suppressions
from kubelint.model import Finding, Severity, Span

FILES = ["a.yaml", "b.yaml", "dir/c.yaml"]
RULES = ["image-tag", "run-as-root", "unknown-suppression", "internal-error", "single-replica"]

findings = st.builds(
    lambda rule, file, line, document, path: Finding(
        rule=rule, severity=Severity.WARNING, message="m", file=file, line=line, column=1,
        end_line=line, end_column=2, path=path, document=document, kind="Deployment", name="web"),
    st.sampled_from(RULES), st.sampled_from(FILES), st.integers(1, 400), st.none() | st.integers(0, 3),
    st.sampled_from(["", "spec", "spec.template.spec.containers[0].image", "metadata.name"]))


def _suppression(mechanism: str, rules: list[str], file: str | None, first: int, length: int,
                 document: int | None, prefix: str) -> suppress.Suppression:
    names = tuple((rule, first, 1) for rule in rules)  # where unknown-suppression findings are
    if mechanism == "config":
        return suppress.Suppression("config", frozenset(rules), paths=("a.yaml",) if first % 2 else ())
    if mechanism == "annotation":
        return suppress.Suppression("annotation", frozenset(rules), file=file, document=document,
                                    path_prefix=prefix, names_at=names, place=Span(first, 10, first, 11))
    last = first + length if length >= 0 else 0
    return suppress.Suppression("comment", frozenset(rules), file=file, first_line=first if length >= 0 else 0,
                                last_line=last, names_at=names, place=Span(first, 10, first, 11))


suppressions = st.builds(
    _suppression, st.sampled_from(["config", "annotation", "comment"]),
    st.lists(st.sampled_from([*RULES, "all", "image-tagg"]), min_size=1, max_size=3),
    st.sampled_from(FILES), st.integers(1, 400), st.sampled_from([-1, 0, 1, 5, 300]),
    st.integers(0, 3), st.sampled_from(["", "spec"]))


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(findings, max_size=40), st.lists(suppressions, max_size=25))
def test_the_same_findings_silenced_by_the_same_suppressions(found: list[Finding],
                                                             given_: list[suppress.Suppression]) -> None:
    theirs = copy.deepcopy(given_)
    ours = copy.deepcopy(given_)
    kept_a, silenced_a = suppress.apply(found, theirs)
    kept_b, silenced_b = apply_suppressions(found, ours)
    assert kept_a == kept_b
    assert [(f, theirs.index(by)) for f, by in silenced_a] == [(f, ours.index(by)) for f, by in silenced_b]
    assert [(s.used, s.rules, s.place) for s in theirs] == [(s.used, s.rules, s.place) for s in ours]


def test_a_stream_tries_only_the_suppressions_of_each_document(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """1,000 annotated objects of one file, two findings each: each finding tries its own
    document's annotation (and the file's), never the other 999."""
    calls = [0]
    original = suppress.Suppression.silences

    def counted(self: suppress.Suppression, finding: Finding) -> bool:
        calls[0] += 1
        return original(self, finding)

    monkeypatch.setattr(suppress.Suppression, "silences", counted)
    annotations = [suppress.Suppression("annotation", frozenset({"single-replica"}), file="s.yaml", document=n)
                   for n in range(1000)]
    found = [Finding(rule=rule, severity=Severity.WARNING, message="m", file="s.yaml", line=n * 10 + 1, column=1,
                     end_line=n * 10 + 1, end_column=2, document=n) for n in range(1000)
             for rule in ("single-replica", "image-tag")]
    kept, silenced = apply_suppressions(found, annotations)
    assert len(kept) == len(silenced) == 1000
    assert calls[0] == 2000
