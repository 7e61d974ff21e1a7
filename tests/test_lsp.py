"""`kubelint lsp` end to end: a real LSP client (pytest-lsp) talking to `python -m kubelint lsp --stdio`.

Each test starts the server as a subprocess in a copy of tests/fixtures/lsp/workspace and goes
through the protocol as an editor would: initialize, open, change, code actions, hover,
shutdown and exit. Timeouts only guard against a hang; nothing here measures speed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "lsp" / "workspace"
SERVER = [sys.executable, "-m", "kubelint", "lsp", "--stdio"]
HANG = 60.0  # seconds before a test gives up waiting: a hang guard, not a speed target
T = TypeVar("T")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES, root)
    return root


class Session:
    """A started client with what the server published, per document and version."""

    def __init__(self, client: Any, root: Path) -> None:
        self.client = client
        self.root = root
        self.published: list[types.PublishDiagnosticsParams] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.encoding: str = types.PositionEncodingKind.Utf16

    def uri(self, relative: str) -> str:
        return from_fs_path(str(self.root / relative))

    def open(self, relative: str, text: str | None = None) -> str:
        uri = self.uri(relative)
        body = (self.root / relative).read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.texts[uri] = body
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=body)))
        return uri

    def change(self, uri: str, text: str) -> int:
        """Send the whole new text (a full-document change)."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    async def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The diagnostics published for `uri` at `version` (default: the latest sent)."""
        wanted = self.versions.get(uri) if version is None else version

        def found() -> list[types.Diagnostic] | None:
            for params in reversed(self.published):
                if params.uri == uri and (params.version == wanted or wanted is None):
                    return list(params.diagnostics)
            return None

        return await until(found)


async def until(probe: Callable[[], T | None], timeout: float = HANG) -> T:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the server did not answer in time (hang guard)")
        await asyncio.sleep(0.02)


async def start(root: Path, encodings: list[str] | None = None, command: list[str] | None = None) -> Session:
    client = pytest_lsp.LanguageClient()  # without make_test_lsp_client's handlers: these record more
    session = Session(client, root)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log_message(params: types.LogMessageParams) -> None:
        client.log_messages.append(params)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show_message(params: types.ShowMessageParams) -> None:
        client.messages.append(params)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        session.published.append(params)

    await client.start_io(*(command or SERVER), cwd=str(root))
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            completion=types.CompletionClientCapabilities(completion_item=types.ClientCompletionItemOptions(
                documentation_format=[types.MarkupKind.Markdown])),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "source"])))),
    )
    result = await client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=from_fs_path(str(root)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="ws")]))
    session.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
    return session


async def finish(session: Session) -> int | None:
    await session.client.shutdown_session()
    server = session.client._server
    returncode = server.returncode if server is not None else None
    await session.client.stop()
    return returncode


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), HANG * 3))


def units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def offset_of(text: str, position: types.Position, encoding: str) -> int:
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    used = 0
    for index, char in enumerate(line):
        if used >= position.character:
            return start + index
        used += units(char, encoding)
    return start + len(line.rstrip("\r\n"))


def apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(((offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes
    change = action.edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
    return list(change.edits)


# ----------------------------------------------------------------------------------- tests


def test_removed_ingress_quick_fix_hover_and_clean_exit(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/ingress.yaml")
        diagnostics = await session.diagnostics(uri)
        removed = [d for d in diagnostics if d.code == "removed-api"]
        assert len(removed) == 1, diagnostics
        found = removed[0]
        # `extensions/v1beta1` on line 1 (0-based 0), after `apiVersion: `
        assert (found.range.start.line, found.range.start.character) == (0, 12)
        assert (found.range.end.line, found.range.end.character) == (0, 30)
        assert found.severity == types.DiagnosticSeverity.Error
        assert found.source == "kubelint"
        assert found.code_description is not None
        assert found.code_description.href.endswith("docs/rules.md#removed-api")
        assert "Ingress is no longer served" in found.message

        actions = await session.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=found.range,
            context=types.CodeActionContext(diagnostics=[found])))
        assert actions
        fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred]
        assert len(fixes) == 1, [a.title for a in actions]
        assert "networking.k8s.io/v1" in fixes[0].title and "(unsafe)" not in fixes[0].title
        fixed = apply(session.texts[uri], edits_of(fixes[0], uri), session.encoding)
        assert fixed.startswith("apiVersion: networking.k8s.io/v1\n")
        assert "defaultBackend:\n    service:\n      name: shop\n      port:\n        number: 80\n" in fixed
        disable = [a for a in actions if isinstance(a, types.CodeAction) and "disable removed-api" in a.title]
        assert len(disable) == 1

        version = session.change(uri, fixed)
        after = await session.diagnostics(uri, version)
        assert [d for d in after if d.code == "removed-api"] == []
        assert all(d.severity != types.DiagnosticSeverity.Error for d in after), after

        # hover: on the apiVersion value, the field's description; on a finding, the rule's docs
        hovered = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=4)))
        assert hovered is not None and isinstance(hovered.contents, types.MarkupContent)
        assert "**spec.defaultBackend** `<IngressBackend>`" in hovered.contents.value
        assert "networking.k8s.io/v1 Ingress, Kubernetes" in hovered.contents.value
        assert await finish(session) == 0

    run(scenario)


def test_hover_on_a_finding_gives_the_rule_docs(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/ingress.yaml")
        await session.diagnostics(uri)
        hovered = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=15)))
        assert hovered is not None and isinstance(hovered.contents, types.MarkupContent)
        text = hovered.contents.value
        assert text.startswith("**removed-api**")
        assert "**How to fix it.**" in text  # the rule file's docs, as docs/rules.md renders them
        assert "Example" not in text or "```yaml" in text
        assert await finish(session) == 0

    run(scenario)


def test_custom_resource_checked_against_a_crd_never_opened(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/widget.yaml")
        # the workspace's CRDs are read in the background: the lint after that has the finding
        diagnostics = await until(lambda: next((list(p.diagnostics) for p in session.published if p.uri == uri and any(
            d.code == "schema-invalid" for d in p.diagnostics)), None))
        invalid = [d for d in diagnostics if d.code == "schema-invalid"]
        assert len(invalid) == 1, diagnostics
        assert 'spec.size: expected integer, got string "large"' in invalid[0].message
        assert "crds/widgets.yaml" in invalid[0].message
        assert (invalid[0].range.start.line, invalid[0].range.start.character) == (6, 8)
        assert not [d for d in diagnostics if d.code == "unknown-kind"]
        hovered = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=7, character=3)))
        assert hovered is not None and isinstance(hovered.contents, types.MarkupContent)
        assert "**spec.colour** `<string>`" in hovered.contents.value
        assert "CRD widgets.example.com in crds/widgets.yaml" in hovered.contents.value

        # an open buffer overrides the file on disk: size becomes a string in the CRD being edited
        crd_path = workspace / "crds" / "widgets.yaml"
        edited = crd_path.read_text(encoding="utf-8").replace(
            "size:\n                  type: integer", "size:\n                  type: string")
        assert edited != crd_path.read_text(encoding="utf-8")
        session.open("crds/widgets.yaml", edited)
        version = session.change(uri, session.texts[uri] + "\n")
        after = await session.diagnostics(uri, version)
        assert [d for d in after if d.code == "schema-invalid"] == [], after
        assert await finish(session) == 0

    run(scenario)


def test_closing_clears_diagnostics_and_a_config_change_is_read(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/unicode.yaml")
        before = await session.diagnostics(uri)
        assert any(d.code == "image-tag" for d in before)
        # the config now turns image-tag off; the client tells the server the file changed
        config = workspace / ".kubelint.yaml"
        config.write_text("rules:\n  image-tag: off\n", encoding="utf-8")
        count = len(session.published)
        session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=from_fs_path(str(config)), type=types.FileChangeType.Created)]))
        # the first lint after the change without image-tag (one already under way may come first)
        after = await until(lambda: next((p.diagnostics for p in session.published[count:] if p.uri == uri
                                          and not any(d.code == "image-tag" for d in p.diagnostics)), None))
        assert any(d.code == "run-as-root" for d in after)

        count = len(session.published)
        session.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        # (a lint published before the server read the close may come first; the clearing one follows)
        await until(lambda: next((p for p in session.published[count:] if p.uri == uri and not p.diagnostics), None))
        await session.client.text_document_hover_async(types.HoverParams(  # a round trip: nothing later in flight
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)))
        last = [p for p in session.published if p.uri == uri][-1]
        assert list(last.diagnostics) == []
        assert await finish(session) == 0

    run(scenario)


@pytest.mark.parametrize("offered, chosen", [
    (None, types.PositionEncodingKind.Utf16),
    ([types.PositionEncodingKind.Utf32, types.PositionEncodingKind.Utf16], types.PositionEncodingKind.Utf32),
    ([types.PositionEncodingKind.Utf8], types.PositionEncodingKind.Utf8),
])
def test_positions_after_emoji_and_cjk_in_the_negotiated_encoding(workspace: Path, offered: list[str] | None,
                                                                    chosen: str) -> None:
    async def scenario() -> None:
        session = await start(workspace, offered)
        assert session.encoding == chosen
        uri = session.open("apps/unicode.yaml")
        diagnostics = await session.diagnostics(uri)
        tag = [d for d in diagnostics if d.code == "image-tag"]
        assert len(tag) == 1
        line = session.texts[uri].splitlines()[6]
        before = line[: line.index("image: nginx") + len("image: ")]
        assert "😀漢字" in before
        expected = {types.PositionEncodingKind.Utf16: 74, types.PositionEncodingKind.Utf32: 73,
                    types.PositionEncodingKind.Utf8: 80}[chosen]
        assert units(before, chosen) == expected  # the fixture is what this test thinks it is
        assert (tag[0].range.start.line, tag[0].range.start.character) == (6, expected)
        assert tag[0].range.end.character == expected + units("nginx", chosen)

        # a hover at that position (in the same encoding) lands on the image field
        hovered = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=tag[0].range.start))
        assert hovered is not None and isinstance(hovered.contents, types.MarkupContent)
        assert "spec.containers[0].image" in hovered.contents.value
        assert await finish(session) == 0

    run(scenario)


def test_fix_all_and_disable_comment(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/unicode.yaml")
        diagnostics = await session.diagnostics(uri)
        tag = next(d for d in diagnostics if d.code == "image-tag")
        actions = await session.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=tag.range,
            context=types.CodeActionContext(diagnostics=[tag], only=[types.CodeActionKind.QuickFix])))
        disable = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.endswith(
            "disable image-tag on this line"))
        commented = apply(session.texts[uri], edits_of(disable, uri), session.encoding)
        assert commented.splitlines()[6].endswith("  # kubelint: disable=image-tag -- reason")
        version = session.change(uri, commented)
        after = await session.diagnostics(uri, version)
        assert not any(d.code == "image-tag" for d in after)
        assert any(d.code == "run-as-root" for d in after)  # only that rule is silenced

        ingress = session.open("apps/ingress.yaml")
        await session.diagnostics(ingress)
        actions = await session.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=ingress),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.kubelint"])))
        assert [a.kind for a in actions] == ["source.fixAll.kubelint"]
        fixed = apply(session.texts[ingress], edits_of(actions[0], ingress), session.encoding)
        assert fixed.startswith("apiVersion: networking.k8s.io/v1\n")
        assert await finish(session) == 0

    run(scenario)


def test_half_typed_yaml_gives_a_syntax_diagnostic_and_the_server_goes_on(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/new.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n")
        diagnostics = await session.diagnostics(uri)
        syntax = [d for d in diagnostics if d.code == "yaml-syntax"]
        assert len(syntax) == 1, diagnostics
        assert syntax[0].range.start.line >= 3
        version = session.change(uri, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n")
        assert [d for d in await session.diagnostics(uri, version) if d.code == "yaml-syntax"] == []
        assert await finish(session) == 0

    run(scenario)


def test_the_server_module_and_the_cli_both_serve(workspace: Path) -> None:
    async def scenario() -> None:
        command = [sys.executable, "-c", "import sys; from kubelint.server import serve_stdio; sys.exit(serve_stdio())"]
        session = await start(workspace, command=command)
        uri = session.open("apps/ingress.yaml")
        assert any(d.code == "removed-api" for d in await session.diagnostics(uri))
        assert await finish(session) == 0

    run(scenario)


def test_exit_without_shutdown_is_status_1(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        session.client.exit(None)
        server = session.client._server
        assert server is not None
        assert await asyncio.wait_for(server.wait(), HANG) == 1
        await session.client.stop()

    run(scenario)


def test_without_the_lsp_extra_the_command_says_what_to_install(tmp_path: Path) -> None:
    import subprocess

    # a pygls that cannot be imported, as when `pip install kubelint` left the extra out
    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text("raise ImportError('No module named pygls')\n")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        [str(tmp_path), str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(SERVER, capture_output=True, text=True, env=env, timeout=HANG, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'kubelint[lsp]'" in done.stderr + done.stdout


def test_the_server_asks_to_watch_configs_and_manifests(workspace: Path) -> None:
    async def scenario() -> None:
        client = pytest_lsp.LanguageClient()
        registered: list[types.RegistrationParams] = []

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            registered.append(params)

        await client.start_io(*SERVER, cwd=str(workspace))
        await client.initialize_session(types.InitializeParams(
            capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
            root_uri=from_fs_path(str(workspace))))
        params = await until(lambda: registered[0] if registered else None)
        (registration,) = params.registrations
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = [w["globPattern"] if isinstance(w, dict) else w.glob_pattern
                 for w in (registration.register_options["watchers"] if isinstance(registration.register_options, dict)
                           else registration.register_options.watchers)]
        assert "**/.kubelint.yaml" in globs and "**/*.yaml" in globs
        await client.shutdown_session()
        assert client._server is not None and client._server.returncode == 0
        await client.stop()

    run(scenario)


def test_completion_of_field_names_from_the_schema_and_the_crd(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
                      "    spec:\n      containers:\n        - name: web\n          ima\n")
        uri = session.open("apps/web.yaml", deployment)
        result = await session.client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=9, character=13)))
        items = result.items if isinstance(result, types.CompletionList) else result
        by_label = {item.label: item for item in items}
        assert "image" in by_label and "name" not in by_label  # name is there already
        image = by_label["image"]
        assert image.detail == "string"
        assert image.text_edit is not None and image.text_edit.new_text == "image: "
        assert (image.text_edit.range.start.character, image.text_edit.range.end.character) == (10, 13)
        assert "Container image name" in image.documentation.value

        widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n  c\n"
        other = session.open("apps/w.yaml", widget)
        result = await session.client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=other), position=types.Position(line=6, character=3)))
        items = result.items if isinstance(result, types.CompletionList) else result
        assert [(item.label, item.detail) for item in items] == [("colour", "string")]
        assert "CRD widgets.example.com in crds/widgets.yaml" in items[0].documentation.value
        assert await finish(session) == 0

    run(scenario)


def test_a_config_saved_in_the_editor_is_read_again(workspace: Path) -> None:
    async def scenario() -> None:
        session = await start(workspace)
        uri = session.open("apps/unicode.yaml")
        assert any(d.code == "image-tag" for d in await session.diagnostics(uri))
        config = workspace / ".kubelint.yaml"
        config.write_text("rules:\n  image-tag: off\n", encoding="utf-8")
        config_uri = session.open(".kubelint.yaml")
        count = len(session.published)
        session.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config_uri)))
        # the first lint after the change without image-tag (one already under way may come first)
        after = await until(lambda: next((p.diagnostics for p in session.published[count:] if p.uri == uri
                                          and not any(d.code == "image-tag" for d in p.diagnostics)), None))
        assert any(d.code == "run-as-root" for d in after)
        assert await finish(session) == 0

    run(scenario)
