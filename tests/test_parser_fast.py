"""The C builder (kubelint/parser/_fastyaml.c) gives what the Python builder gives, or gives way.

Where the C builder answers, every result must be the Python builder's: the same objects (types
included), the same spans and positions of every key and value, the same document indexes, and
the same light paths. Where a text needs what only the Python builder does (anchors, tags, merge
keys, duplicate keys, errors, a stream long enough to defer), the C builder must answer None, so
that the Python builder reads it. Compared on hand-written cases, on generated documents, on the
fixtures, and on the real-world corpus where it is.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.model import as_numbers
from kubelint.parser import builder
from tests.conftest import FIXTURES, _c_builder_missing
from tests.crds import backup_crd

pytestmark = pytest.mark.skipif(_c_builder_missing() is not None, reason=str(_c_builder_missing()))

CRD = backup_crd("              size: {type: integer, minimum: 1}\n")
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "front"}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.25
          args: [--port, "80", 8080, 0x1F, 1e3, .inf, ~, yes, "no", Ünïcode, ""]
          env:
            - name: A
              value: |
                multi
                line
            - {name: B, value: "x"}
"""


def _strict(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 == True == 1.0 for ==)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_strict(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _layout(positions: Any) -> dict[Any, list[tuple[Any, tuple[int, ...]]]]:
    out = {}
    for path, children in positions.items():
        keys = range(len(children)) if type(children) is list else list(children)
        out[path] = [(key, as_numbers(children[key])) for key in keys]
    return out


def _python_parse(text: str, **options: Any) -> builder.ParseResult:
    fast = builder._fastyaml
    builder._fastyaml = None
    try:
        return builder.parse(text, "f.yaml", **options)
    finally:
        builder._fastyaml = fast


def _differences(text: str, **options: Any) -> list[str]:
    fast, slow = builder.parse(text, "f.yaml", **options), _python_parse(text, **options)
    found = []
    if len(fast.documents) != len(slow.documents):
        found.append(f"{len(fast.documents)} documents against {len(slow.documents)}")
    for a, b in zip(fast.documents, slow.documents, strict=False):
        if not _strict(a.obj, b.obj):
            found.append(f"document {a.index}: objects differ")
        if (a.index, a.span, a.base, a.line_offset, a.light) != (b.index, b.span, b.base, b.line_offset, b.light):
            found.append(f"document {a.index}: {(a.index, a.span, a.light)} against {(b.index, b.span, b.light)}")
        if as_numbers(a.root) != as_numbers(b.root):
            found.append(f"document {a.index}: root {as_numbers(a.root)} against {as_numbers(b.root)}")
        if type(a.positions) is not type(b.positions):
            found.append(f"document {a.index}: {type(a.positions).__name__} against {type(b.positions).__name__}")
        elif _layout(a.positions) != _layout(b.positions):  # a DeferredLayout reads them again
            found.append(f"document {a.index}: positions differ")
    for name in ("next_index", "alias_nodes", "error_index", "resume_floor", "error_in_document"):
        if getattr(fast, name) != getattr(slow, name):
            found.append(f"{name}: {getattr(fast, name)} against {getattr(slow, name)}")
    if [(p.message, p.span) for p in fast.problems] != [(p.message, p.span) for p in slow.problems]:
        found.append("problems differ")
    return found


def _answers(text: str, light: bool = True) -> bool:
    return builder._fastyaml.build(text.removeprefix("\ufeff"), light, 10**9, 10**9, builder.MAX_DEPTH) is not None


@pytest.mark.parametrize("text", [
    DEPLOYMENT,
    CRD,
    "\ufeff" + DEPLOYMENT,  # a byte-order mark
    DEPLOYMENT.rstrip("\n"),  # no final line break: spans clamped to the text
    DEPLOYMENT.replace("\n", "\r\n"),
    "---\n---\n# only a comment\n---\n" + DEPLOYMENT + "...\n---\n" + CRD,  # empty documents count
    "a: 1",
    "- 1\n- [2, {b: c}]\n",  # a list at the root
    "scalar at the root\n",
    "1: one\ntrue: yes\nnull: ~\n2.5: x\n",  # keys that are no strings
    "data:\n  é: \"ünïcode\"\n  日本: 語\n",
    "empty:\nnothing: ''\n",
    "k: 1_000\nh: 0x_1F\no: 0o17\nf: -.5\nn: .NaN\ni: -.inf\nt: 2024-01-01\n",
    "\ufeff\ufeffa: 1\n",  # a second byte-order mark is a character of the text
    "ports: [{containerPort: 80}, {name: ü, containerPort: 81}]\nrules: [a: b, 'c': d]\n",
    "é: [x, {ü: a?b}, ü: v]\n",  # a `?` that is no key indicator, a pair in a flow sequence
])
def test_the_c_builder_answers_as_the_python_builder(text: str) -> None:
    assert _answers(text)
    for light in (False, True):
        assert _differences(text, light=light) == []
    assert _differences(text, light=True, line_offset=7, first_index=3) == []


def test_a_crd_schema_is_built_light_by_both() -> None:
    parsed = builder.parse(CRD, "crd.yaml", light=True)
    assert parsed.documents[0].light == (("spec", "versions", 0, "schema", "openAPIV3Schema"),)
    assert ("spec", "versions", 0, "schema", "openAPIV3Schema", "properties") not in parsed.documents[0].positions
    assert _differences(CRD.replace("versions:", "validation:\n    openAPIV3Schema: {type: object}\n  versions:"),
                        light=True) == []


@pytest.mark.parametrize("text", [
    "a: &x {b: 1}\nc: *x\n",  # an anchor and an alias
    "a: !!str 1\n",  # a tag
    "a: !custom 1\n",
    "base: {x: 1}\nm:\n  <<: {y: 2}\n",  # a merge key
    "a: 1\na: 2\n",  # a duplicate key
    "? [a, b]\n: c\n",  # a list as a key
    "a: [1, 2\n",  # a syntax error
    "a: b\n---\nc: [\n---\nd: e\n",  # an error between documents
    "a: 'it''s'\nb: \"\\q\"\n",  # an escape go-yaml reads and libyaml refuses
    "a: [ ? ] ]\n",  # an explicit key in a flow sequence: libyaml 0.2.5 and later read some apart
    "- [ ? x ]\n",
    "é: [ ? ]\n",
    "é: [x, ?c]\n",
    "[" * 250 + "]" * 250,  # deeper than MAX_DEPTH
    CRD.replace("size: {type: integer, minimum: 1}", "size: {type: integer, <<: {a: b}}"),  # a merge key in a schema
])
def test_what_the_c_builder_does_not_build_falls_to_the_python_builder(text: str) -> None:
    assert not _answers(text)
    for light in (False, True):
        assert _differences(text, light=light) == []


def test_a_long_stream_is_packed_and_deferred_as_by_the_python_builder() -> None:
    stream = "---\n".join([DEPLOYMENT] * (builder.COMPACT_AFTER + 70))
    parsed = builder.parse(stream, "s.yaml", light=True, defer_after=10**6)
    assert type(parsed.documents[-1].root) is int  # packed past COMPACT_AFTER
    assert type(next(iter(parsed.documents[-1].positions[()].values()))) is int
    assert _differences(stream, light=True, defer_after=10**6) == []
    # Past the deferral threshold the C builder keeps no positions; the documents get a
    # DeferredLayout over runs of documents, as from the Python builder.
    entries = builder._fastyaml.build(stream, True, builder.COMPACT_AFTER, builder.COMPACT_AFTER, builder.MAX_DEPTH)[0]
    assert entries[builder.COMPACT_AFTER - 1][2] is not None and entries[builder.COMPACT_AFTER][2] is None
    deferred = builder.parse(stream, "s.yaml", light=True, defer_after=builder.COMPACT_AFTER)
    assert type(deferred.documents[-1].positions) is builder.DeferredLayout
    assert _differences(stream, light=True, defer_after=builder.COMPACT_AFTER) == []
    # A text whose lines may not parse alone (a lone \r line break) is not deferred at all.
    lone_cr = stream.replace("replicas: 2\n", "replicas: 2\r", 1)
    kept = builder.parse(lone_cr, "s.yaml", light=True, defer_after=builder.COMPACT_AFTER)
    assert type(kept.documents[-1].positions) is dict
    assert _differences(lone_cr, light=True, defer_after=builder.COMPACT_AFTER) == []


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.sampled_from(["yes", "No", "on", "~", "null", "0x1F", "1e3", ".inf", "<<", "-", "", "12:30", "0o17"]),
    st.text(max_size=12),
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()),
                                            inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(_TREES, min_size=1, max_size=3), flow=st.sampled_from([None, True, False]),
       style=st.sampled_from([None, '"', "'"]))
def test_generated_documents_read_the_same_either_way(documents: list[Any], flow: bool | None,
                                                      style: str | None) -> None:
    text = yaml.safe_dump_all(documents, default_flow_style=flow, default_style=style, allow_unicode=True)
    assert _differences(text, light=True) == []


def _texts(folder: Path) -> list[tuple[Path, str]]:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
            try:
                texts.append((path, path.read_text(encoding="utf-8")))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


def test_the_builders_agree_on_the_fixtures() -> None:
    texts = _texts(FIXTURES)
    answered = 0
    for path, text in texts:
        assert _differences(text, light=True) == [], path
        answered += _answers(text)
    assert answered >= 0.75 * len(texts) > 100  # it must answer for most, not give way to all


def test_the_builders_agree_on_the_corpus(corpus: Path) -> None:
    texts = _texts(corpus)
    answered = 0
    for path, text in texts:
        assert _differences(text, light=True, defer_after=builder.DEFER_POSITIONS_AFTER) == [], path
        answered += _answers(text)
    assert answered >= 0.9 * len(texts)  # 857 of 886 in December 2026


def test_a_plain_manifest_is_read_without_importing_pyyaml() -> None:
    """PyYAML's import is ~10 ms of a one-file run; the C builder needs none of it. A text
    the C builder gives way on imports it then, and reads as before."""
    import subprocess
    import sys

    script = (
        "import sys, kubelint\n"
        f"found = kubelint.lint_text({DEPLOYMENT!r}, 'a.yaml')\n"
        "print('yaml' in sys.modules)\n"
        "anchored = kubelint.lint_text('a: &x {b: 1}\\nc: *x\\n', 'b.yaml')\n"
        "print('yaml' in sys.modules, [f.rule for f in kubelint.lint_text('a: [1\\n', 'c.yaml')])\n")
    # A first run fills the schema cache: with it cold, kubelint's own rule files are parsed, and
    # one of them has anchors (the Python builder's, so PyYAML's). A run after it reads them back.
    warm_up = subprocess.run([sys.executable, "-c", "import kubelint; kubelint.lint_text('a: 1', 'a.yaml')"],
                             capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent)
    assert warm_up.returncode == 0, warm_up.stderr
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False", "True ['yaml-syntax']"]
