"""A long stream (a rendered chart, `kustomize build`) keeps its positions packed (issue 21)."""

from __future__ import annotations

import pytest

from kubelint.parser import builder, parse

DOC = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  labels: {{app: web}}\n"
       "spec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: \"nginx:1.{i}\"\n"
       "        ports: [{{containerPort: 80}}, {{containerPort: {i}}}]\n")


@pytest.mark.parametrize("offset", [0, 7])
def test_packed_positions_say_what_the_marks_said(monkeypatch: pytest.MonkeyPatch, offset: int) -> None:
    text = "---\n".join(DOC.format(i=i) for i in range(150)) + "# é 😀 wide text\n"

    def every_position(compact_after: int) -> list[object]:
        monkeypatch.setattr(builder, "COMPACT_AFTER", compact_after)
        docs = parse(text, "s.yaml", line_offset=offset).documents
        return [(d.index, path, d.node(path), d.locate(path, "key")) for d in docs for path in d.paths()]

    plain = every_position(10**9)
    packed = every_position(0)
    assert packed == plain and len(plain) > 150 * 15
    docs = parse(text, "s.yaml").documents
    assert type(next(iter(docs[140].positions[()].values()))) is int  # packed past COMPACT_AFTER
