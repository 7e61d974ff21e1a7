"""The event-stream parser agrees with a reference built on PyYAML's composer.

The reference composes the node tree (marks included) and walks it, building the same plain
objects and positions the slow, obvious way. Both must agree on every corpus file: the same
objects, the same problems, and the same span for every key and value that is not inside an
alias (an alias's content is reported at the alias). They are compared on the test fixtures
always, and on the real-world corpus where it is (../shared/corpus beside the repository).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint.model import Span
from kubelint.parser import parse, resolve_plain
from kubelint.parser.scalars import _key_text
from kubelint.source import decode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
# The fixtures hold 837 documents that both read (December 2026): a floor, so that a change that
# makes most of them unreadable to one side cannot pass by comparing nothing.
FIXTURE_DOCUMENTS = 700


def _span(node: yaml.Node) -> Span:
    return Span(node.start_mark.line + 1, node.start_mark.column + 1,
                node.end_mark.line + 1, node.end_mark.column + 1)


class _Reference:
    """Node tree → (object, positions), recursively; only for tests."""

    def __init__(self) -> None:
        self.positions: dict[tuple, tuple[Span | None, Span]] = {}
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: tuple, key_span: Span | None, record: bool) -> Any:
        if id(node) in self.seen:
            # An alias: the composer hands back the anchored node, so the alias's own place
            # is unknown here; neither it nor its content is compared.
            record = False
        self.seen.add(id(node))
        if record:
            self.positions[path] = (key_span, _span(node))
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.style else resolve_plain(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), None, record) for i, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        merges: list[tuple[yaml.Node, Span]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG and not key_node.style:
                merges.append((value_node, _span(key_node)))
                continue
            key = _key_text(self.build_key(key_node))
            mapping[key] = self.build(value_node, path + (key,), _span(key_node), record)
        for value_node, span in merges:
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                built = self.build(source, path + ("<<",), None, False)
                for key, value in built.items():
                    if key not in mapping:
                        mapping[key] = value
                        if record:
                            self.positions[path + (key,)] = (span, span)
        return mapping

    def build_key(self, node: yaml.Node) -> Any:
        if node.style:
            return node.value
        return resolve_plain(node.value)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def _compare(files: list[Path]) -> int:
    """Assert that the parser and the reference agree on every file both read; how many
    documents were compared."""
    compared = 0
    for path in files:
        try:
            text = decode(path.read_bytes())
        except Exception:
            continue
        if not text.endswith("\n"):
            # The parser clamps spans that libyaml ends on a line past the text (a file without
            # a final line break); the robustness tests cover that. Compare on equal footing.
            text += "\n"
        fast = parse(text, str(path))
        if fast.problems:
            continue  # broken files: covered by the robustness tests
        try:
            nodes = list(yaml.compose_all(text, Loader=Loader))
        except yaml.YAMLError:
            pytest.fail(f"{path}: the reference cannot read a file the fast parser accepted")
        documents = [n for n in nodes if n is not None]
        assert len(documents) == len(fast.documents), path
        for node, doc in zip(documents, fast.documents, strict=True):
            reference = _Reference()
            obj = reference.build(node, (), None, True)
            assert obj == doc.obj, path
            for field_path, (key_span, value_span) in reference.positions.items():
                if field_path == ():
                    continue
                got = doc.node(field_path)
                assert got is not None, (path, field_path)
                assert (got.key, got.value) == (key_span, value_span), (path, field_path)
            compared += 1
    return compared


@pytest.mark.usefixtures("each_builder")
def test_event_parser_matches_the_composer_reference_on_the_fixtures() -> None:
    assert _compare(_files(FIXTURES)) > FIXTURE_DOCUMENTS


def test_event_parser_matches_the_composer_reference_on_the_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the real-world corpus is not at {CORPUS} (../shared/corpus beside the repository): "
                    "the parser is compared with the reference on the fixtures only")
    assert _compare(_files(CORPUS)) > 2000
