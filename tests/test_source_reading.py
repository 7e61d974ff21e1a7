"""One reader with the size limit for every input: files, standard input, the planner's scan, CRD catalogs."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kubelint.engine.passes import _scan
from kubelint.schema.catalog import _crd_documents
from kubelint.source import ReadError, read_bytes, read_stream

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  names: {kind: Thing, plural: things}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
"""


def test_read_stream_holds_the_limit_whatever_the_stat_said() -> None:
    assert read_stream(io.BytesIO(b"abc"), 3) == b"abc"
    assert read_stream(io.BytesIO(b"abcdef"), 10, expected=2) == b"abcdef"  # it grew after the stat
    with pytest.raises(ReadError, match="standard input is over the 3-byte limit"):
        read_stream(io.BytesIO(b"abcd"), 3)
    with pytest.raises(ReadError, match="the file is over the 4-byte limit"):
        read_stream(io.BytesIO(b"abcdef"), 4, "the file", expected=2)


def test_the_planners_scan_and_the_crd_catalog_read_through_it(tmp_path: Path) -> None:
    crd = tmp_path / "crd.yaml"
    crd.write_text(CRD)
    assert _scan(str(crd), 1 << 20).has_crd
    assert [d.kind for d in _crd_documents(str(crd))] == ["CustomResourceDefinition"]
    assert read_bytes(str(crd), 1 << 20) == CRD.encode()
    assert not _scan(str(crd), 10).has_crd  # over the limit: a finding when linted, not planned
    listed = tmp_path / "list.yaml"  # a typed list of CRDs is a list like any other
    listed.write_text("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinitionList\nitems:\n"
                      + "".join("    " + line + "\n" if i else "  - " + line + "\n"
                                for i, line in enumerate(CRD.splitlines())))
    assert [(d.kind, d.base) for d in _crd_documents(str(listed))] == [("CustomResourceDefinition", ("items", 0))]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert not _scan(str(fifo), 1 << 20).has_crd
    assert _crd_documents(str(fifo)) == []
