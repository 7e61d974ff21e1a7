"""A few thousand random edits through a running `kubelint lsp`: it keeps answering, and what it
lints is the text the client has.

The edits are seeded (reproducible) and bounded: insertions of YAML pieces that break and mend
a manifest (indentation, flow brackets, quotes, anchors, templates, document markers, emoji,
CRLF, U+2028), deletions of random spans, and now and then a whole new text. The server asks
for full-document sync, so each edit goes as the whole new text. Every so often the test waits
for that version's diagnostics and asks for a hover and code actions, so the server lints
half-typed YAML many times over rather than only the last text.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types  # noqa: E402

from tests.test_lsp import FIXTURES, finish, run, start, until  # noqa: E402

EDITS = 3000
CHECK_EVERY = 100
MAX_CHARS = 6000
PIECES = (
    ": ", "- ", "  ", "\n", "\r\n", "\t", "{", "}", "[", "]", "\"", "'", "#", "&a ", "*a", "<<: *a\n", "!!str ",
    "---\n", "...\n", "{{ .Values.x }}", "|\n  ", ">-\n", "apiVersion: v1\n", "kind: Pod\n",
    "apiVersion: extensions/v1beta1\nkind: Ingress\n", "metadata:\n  name: x\n", "spec:\n", "containers:\n",
    "  - name: c\n    image: nginx\n", "replicas: ten", "😀", "漢字", "\u2028", "\x85", "\x0b", "\\", "%YAML 1.1\n",
    "? ", "kubelint: disable=image-tag", "# kubelint: disable-file=all\n", "\ufeff",
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES, root)
    return root


def _position(text: str, offset: int) -> types.Position:
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return types.Position(line=line, character=len(before[start:].encode("utf-16-le")) // 2)


def _edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """(start, end, new) on character offsets."""
    roll = rng.random()
    if len(text) > MAX_CHARS or roll < 0.3:
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.randint(1, 40))
        new = ""
    elif roll < 0.97:
        start = end = rng.randrange(len(text) + 1)
        new = rng.choice(PIECES)
    else:
        start, end = 0, len(text)
        new = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
    return start, end, new


def test_thousands_of_random_edits_leave_the_server_answering(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        rng = random.Random(20)
        uri = session.open("apps/ingress.yaml")
        text = session.texts[uri]
        checked = 0
        for number in range(1, EDITS + 1):
            start_at, end_at, new = _edit(rng, text)
            text = text[:start_at] + new + text[end_at:]
            session.change(uri, text)
            if number % CHECK_EVERY == 0:
                await session.diagnostics(uri)
                position = _position(text, rng.randrange(len(text) + 1))
                await session.client.text_document_hover_async(types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri), position=position))
                await session.client.text_document_code_action_async(types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=types.Range(start=position, end=position),
                    context=types.CodeActionContext(diagnostics=[])))
                checked += 1
        assert checked == EDITS // CHECK_EVERY
        # debounced and never stale: far fewer lints than edits, and never an older version after a newer one
        versions = [p.version for p in session.published if p.uri == uri]
        assert versions == sorted(versions) and len(versions) < EDITS // 4
        final = await session.diagnostics(uri)
        # The server's copy is the client's: the same text opened fresh gives the same diagnostics.
        fresh = session.open("apps/fresh.yaml", text)
        again = await session.diagnostics(fresh)
        assert [(d.code, d.range, d.message) for d in final] == [(d.code, d.range, d.message) for d in again]
        # and it still lints a clean manifest cleanly
        version = session.change(uri, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
        assert await session.diagnostics(uri, version) == []
        assert await finish(session) == 0

    run(scenario)


def test_nonsense_requests_get_answers_not_a_dead_server(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/ingress.yaml")
        await session.diagnostics(uri)
        unknown = session.uri("apps/never-opened.yaml")
        far = types.Position(line=10_000, character=10_000)
        assert await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=unknown), position=far)) is None
        await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=far))
        await session.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=far, end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[])))
        session.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=unknown)))
        # an untitled buffer (no file on disk, not a file: URI) is linted with the defaults or not at all
        session.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri="untitled:Untitled-1", language_id="yaml", version=1, text="kind: [")))
        version = session.change(uri, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")
        assert await session.diagnostics(uri, version) == []
        assert await until(lambda: True)
        assert await finish(session) == 0

    run(scenario)
