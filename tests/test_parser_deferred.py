"""A long stream's later documents defer their positions (parser.parse's `defer_after`,
model.DeferredLayout): read again from their own lines when asked, they must be the positions
an eager parse gives, node for node, and the linter must report the same findings at the same
places while keeping none of them once a document is linted."""

from __future__ import annotations

import pickle

import pytest

from kubelint.engine.linter import Linter
from kubelint.model import DeferredLayout, Document
from kubelint.options import Options
from kubelint.parser import parse
from kubelint.source import load_text
from tests.crds import backup_crd

# Each test runs with the C builder and with the Python one (conftest.each_builder).
pytestmark = pytest.mark.usefixtures("each_builder")

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}   # a comment
  labels: {{app: web-{i}, tier: "front"}}
spec:
  selector:
    matchLabels:
      app: web-{i}
  template:
    metadata:
      labels:
        app: web-{i}
    spec:
      containers:
        - name: web
          image: nginx:latest
          args: ["--port", "80"]
          env:
            - name: MODE
              value: |
                multi
                line
"""


def _stream(count: int, separator: str = "---\n") -> str:
    return separator.join(DEPLOYMENT.format(i=i) for i in range(count))


def _spans(doc: Document) -> dict[tuple[object, ...], object]:
    return {path: doc.node(path) for path in doc.paths()}


def _same_places(eager: list[Document], deferred: list[Document], first_deferred: int) -> int:
    """Every node's key and value spans alike; how many documents were deferred."""
    assert [d.obj for d in deferred] == [d.obj for d in eager]
    assert [(d.index, d.span) for d in deferred] == [(d.index, d.span) for d in eager]
    count = 0
    for one, other in zip(eager, deferred, strict=True):
        assert type(other.positions) is (DeferredLayout if other.index >= first_deferred else dict)
        count += type(other.positions) is DeferredLayout
        assert _spans(other) == _spans(one), other.index
        assert other.node(()) == one.node(())
    return count


@pytest.mark.parametrize("text", [
    _stream(150),
    "# a header comment\n\n" + _stream(150, "\n# between documents\n---\n"),
    _stream(150, "...\n---\n"),  # explicit document ends
    "\ufeff" + _stream(150),  # a byte-order mark
    _stream(150, "--- \n"),
    _stream(150).replace("\n", "\r\n"),  # CRLF: a line still starts after a \n
    _stream(100) + "---\n---\n" + _stream(60),  # an empty document in the middle
])
def test_deferred_positions_are_the_eager_ones(text: str) -> None:
    eager, deferred = parse(text, "s.yaml"), parse(text, "s.yaml", defer_after=70)
    assert [(p.rule, p.span) for p in deferred.problems] == [(p.rule, p.span) for p in eager.problems]
    assert _same_places(eager.documents, deferred.documents, 70) >= 80


def test_a_released_layout_is_read_again_and_pickles_as_the_plain_layout() -> None:
    doc = parse(_stream(130), "s.yaml", defer_after=100).documents[120]
    layout = doc.positions
    assert type(layout) is DeferredLayout
    before = _spans(doc)
    layout.release()
    assert _spans(doc) == before  # read again: the same places
    assert pickle.loads(pickle.dumps(layout)) == dict(layout) and type(pickle.loads(pickle.dumps(layout))) is dict


@pytest.mark.parametrize("text", [
    "%YAML 1.1\n---\n" + _stream(120),  # a directive: the lines alone would parse otherwise
    _stream(120).replace("\n", "\r\n").replace("# a comment\r\n", "# a comment\r"),  # a lone \r breaks a line
])
def test_what_may_not_parse_alone_is_never_deferred(text: str) -> None:
    assert not any(type(d.positions) is DeferredLayout for d in parse(text, "s.yaml", defer_after=70).documents)


def test_a_stream_resumed_after_a_broken_document_keeps_its_places(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _stream(120) + "---\nkind: [broken\n---\n" + _stream(120)
    monkeypatch.setattr("kubelint.source.DEFER_POSITIONS_AFTER", 70)
    deferred = load_text(text, "s.yaml")
    monkeypatch.setattr("kubelint.source.DEFER_POSITIONS_AFTER", None)
    eager = load_text(text, "s.yaml")
    assert [(p.rule, p.span) for p in deferred.problems] == [(p.rule, p.span) for p in eager.problems]
    assert _same_places(eager.documents[:120], deferred.documents[:120], 70) == 50
    for one, other in zip(eager.documents[120:], deferred.documents[120:], strict=True):
        assert _spans(other) == _spans(one)  # after the error the parse resumes eagerly


def test_light_crd_schemas_in_a_deferred_document_stay_light() -> None:
    text = "---\n".join([_stream(80), backup_crd("              target: {type: string}\n")])
    eager, deferred = parse(text, "s.yaml", light=True), parse(text, "s.yaml", light=True, defer_after=70)
    crd = deferred.documents[-1]
    assert type(crd.positions) is DeferredLayout and crd.light == eager.documents[-1].light != ()
    assert _same_places(eager.documents, deferred.documents, 70) == 11


def test_the_linter_reports_the_same_places_and_keeps_no_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _stream(140)
    linter = Linter(Options(cache=False))
    monkeypatch.setattr("kubelint.source.DEFER_POSITIONS_AFTER", None)
    eager = linter.lint_source(load_text(text, "s.yaml"))
    monkeypatch.setattr("kubelint.source.DEFER_POSITIONS_AFTER", 100)
    source = load_text(text, "s.yaml")
    deferred = linter.lint_source(source)
    assert deferred.findings == eager.findings and len(eager.findings) > 140
    assert {f.rule for f in eager.findings} >= {"image-tag", "missing-memory-limit"}
    late = [d for d in source.documents if type(d.positions) is DeferredLayout]
    assert len(late) == 40
    assert all(d.positions._layout is None for d in late)  # each let go once linted


def test_a_run_is_parsed_once_for_its_documents_and_keeps_nothing_asked_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The items of a List share their document's positions (read once for all of them), and a
    document asked for again after it was let go (a finding placed after linting) is parsed
    again with its run without the run keeping the others' positions a second time."""
    from kubelint.parser import builder

    item = "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}\n"
    text = "---\n".join(f"apiVersion: v1\nkind: List\nitems:\n{item * 5}" for _ in range(200))
    monkeypatch.setattr("kubelint.source.DEFER_POSITIONS_AFTER", 70)
    source = load_text(text, "s.yaml")
    parses = []
    real = builder.parse
    monkeypatch.setattr(builder, "parse", lambda *a, **k: parses.append(1) or real(*a, **k))
    outcome = Linter(Options(cache=False)).lint_source(source)
    assert outcome.documents == 200 and len(parses) <= 3  # 130 deferred documents: 3 runs of 64
    late = [d for d in source.documents if type(d.positions) is DeferredLayout]
    assert len(late) == 130 and all(d.positions._layout is None for d in late)
    run = late[10].positions._source
    assert run.pending == {}
    late[10].node(("items", 0, "metadata", "name"))  # asked for again
    assert run.pending == {} and len(parses) <= 4
