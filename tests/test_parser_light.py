"""CRD schemas parsed light (parser.parse's `light`): the same objects and problems as a full
parse, positions everywhere but inside the schemas, and a finding inside one still at its
exact place (the engine parses such a file again in full)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.engine.run import lint_paths, lint_text
from kubelint.options import Options
from kubelint.parser import parse
from kubelint.source import decode, load_text
from tests.crds import backup_crd

# Each test runs with the C builder and with the Python one (conftest.each_builder).
pytestmark = pytest.mark.usefixtures("each_builder")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

CRD = backup_crd("              retentionDays: {type: integer, minimum: 1}\n              target:\n%s\n")
TARGET_OK = "                type: string"
TARGET_BROKEN = "                type: string\n                required: nightly"  # a string, not a list


def _crd_texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted(FIXTURES.rglob("*.yaml")):
        data = path.read_bytes()
        if b"CustomResourceDefinition" in data:
            found.append((str(path), data.decode("utf-8", "replace")))
    found.append(("crd.yaml", CRD % TARGET_OK))
    return found


def test_a_light_parse_builds_the_same_objects_and_problems() -> None:
    texts = _crd_texts()
    lightened = 0
    for name, text in texts:
        full, light = parse(text, name), parse(text, name, light=True)
        assert [d.obj for d in light.documents] == [d.obj for d in full.documents], name
        assert [(p.rule, p.message, p.span) for p in light.problems] == [
            (p.rule, p.message, p.span) for p in full.problems], name
        for one, other in zip(full.documents, light.documents, strict=True):
            assert one.span == other.span and one.light == ()
            for root in other.light:  # the schema itself keeps its place; inside, nothing
                assert other.node(root) == one.node(root)
                assert other.node(root + ("type",)) is None and one.node(root + ("type",)) is not None
            lightened += len(other.light)
    assert lightened >= len(texts) // 2


@pytest.mark.parametrize("schema", [
    "                type: string\n                enum: &e [a, b]\n                x-kubernetes-list-map-keys: *e",
    "                type: string\n                type: integer",  # a duplicate key: a problem
    "                <<: {type: string}",
    "                type: !!str string",
    "                type: [string\n                x: 1",  # a syntax error inside the schema
    "                type: string\n                enum: {a: 1, {b: 2}: 3}",  # a mapping as a key
])
def test_what_the_light_mode_does_not_build_takes_the_full_way(schema: str) -> None:
    text = CRD % schema
    full, light = parse(text, "crd.yaml"), parse(text, "crd.yaml", light=True)
    assert [d.obj for d in light.documents] == [d.obj for d in full.documents]
    assert [(p.message, p.span) for p in light.problems] == [(p.message, p.span) for p in full.problems]
    assert all(d.light == () for d in light.documents)
    assert [(p.rule, p.message, p.span) for p in light.problems] == [(p.rule, p.message, p.span) for p in full.problems]


def test_a_finding_inside_a_schema_is_at_its_exact_place(tmp_path: Path) -> None:
    text = CRD % TARGET_BROKEN
    (tmp_path / "crd.yaml").write_text(text)
    assert load_text(text, "crd.yaml", light=True).light
    for jobs in (1, 2):
        found = lint_paths([str(tmp_path / "crd.yaml")], Options(jobs=jobs, cache=False)).findings
        reference = lint_text(text, str(tmp_path / "crd.yaml"))  # parsed in full
        assert found == reference
        inside = [f for f in found if ".required" in f.path]
        assert [(f.rule, f.line, f.column) for f in inside] == [("schema-invalid", 22, 27)]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real-world corpus is not beside the repository (../shared/corpus)")
def test_light_and_full_parses_agree_on_the_corpus_crds(each_builder: str) -> None:
    checked = 0
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        if each_builder == "python" and path.stat().st_size > 1 << 20:
            continue  # the Python builder's two parses of the bundles of megabytes took 9 s; the C one reads them all
        data = path.read_bytes()
        if b"CustomResourceDefinition" not in data:
            continue
        try:
            text = decode(data)
        except Exception:
            continue
        full, light = parse(text, str(path)), parse(text, str(path), light=True)
        assert [d.obj for d in light.documents] == [d.obj for d in full.documents], path
        assert [p.message for p in light.problems] == [p.message for p in full.problems], path
        checked += 1
    assert checked >= 30
