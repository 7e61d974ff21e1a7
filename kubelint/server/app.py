"""The language server: open buffers → the library in the workspace's context → diagnostics,
quick fixes from the fixers, hover from the rule docs and the schemas.

Every lint runs in one worker thread, off the event loop, so the server keeps answering while a
big buffer is linted; one worker because a Linter is not shared between threads. Hover and
completion, which read only schemas, have a thread of their own. A change waits
~150 ms for the next one (typing is a burst of changes); a newer version cancels the pending
run, and a result computed for an older version is never published. Whatever the client sends,
a handler that fails logs the error and answers nothing rather than ending the server.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from kubelint._version import __version__
from kubelint.model import Finding
from kubelint.server import actions
from kubelint.server.context import Context
from kubelint.server.diagnostics import finding_range, to_diagnostics
from kubelint.server.positions import LineIndex

log = logging.getLogger("kubelint.server")
DEBOUNCE_SECONDS = 0.15
T = TypeVar("T")


@dataclass
class Linted:
    """The last published lint of one buffer: the text it saw and what it found."""

    version: int | None
    text: str
    findings: list[Finding]
    fixes: dict[Finding, Any] | None = None  # computed on the first code action request
    fixed: str | None = None  # the text with every safe fix, for source.fixAll.kubelint


@dataclass
class State:
    context: Context = field(default_factory=Context)
    linted: dict[str, Linted] = field(default_factory=dict)
    pending: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "kubelint-lint"))
    # Hover and completion read schemas and the context's caches, never a Linter: their own
    # thread, so that they answer while a long lint runs.
    docs: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "kubelint-docs"))


class KubelintServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: the client sends the whole buffer on each change. pygls applies incremental
        # changes by Python's splitlines, which also breaks at U+2028, \x85 and \x0b where LSP
        # does not, so a manifest holding one would drift from the client's text; a 600-line
        # buffer is ~20 KB a keystroke over a pipe, nothing next to the lint.
        super().__init__("kubelint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.state = State()

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("kubelint server: %s: %s", type(error).__name__, error)  # never exit on it


def path_of(uri: str) -> str | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None


def _open_buffers(server: KubelintServer, but: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for uri, document in list(server.workspace.text_documents.items()):
        path = path_of(uri)
        if path is not None and uri != but:
            out[path] = document.source
    return out


def _guarded(default: Callable[[], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A handler that logs what it could not do and returns `default()` instead of failing."""
    def wrap(handler: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(handler)  # pygls reads the signature: `ls` first gets the server
        def guarded(*args: Any) -> T:
            try:
                return handler(*args)
            except Exception:
                log.exception("kubelint server: %s failed", handler.__name__)
                return default()
        return guarded
    return wrap


# ------------------------------------------------------------------------------ linting


def schedule(server: KubelintServer, uri: str, delay: float = DEBOUNCE_SECONDS) -> None:
    """Lint `uri` after `delay`, replacing a run already waiting or running for it."""
    state = server.state
    previous = state.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    state.pending[uri] = asyncio.ensure_future(_lint_later(server, uri, delay))


async def _lint_later(server: KubelintServer, uri: str, delay: float) -> None:
    try:
        if delay:
            await asyncio.sleep(delay)
        document = server.workspace.text_documents.get(uri)
        path = path_of(uri)
        if document is None or path is None:
            return
        version, text = document.version, document.source
        others = _open_buffers(server, uri)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(server.state.executor, _lint, server.state.context, path, text, others)
        findings = await future
        current = server.workspace.text_documents.get(uri)
        if current is None or current.version != version:
            return  # a newer edit (or a close) made this result stale; its own run publishes
        server.state.linted[uri] = Linted(version, text, findings)
        _publish(server, uri, version, text, findings)
    except asyncio.CancelledError:
        pass
    except Exception:
        log.exception("kubelint server: linting %s failed", uri)
    finally:
        task = server.state.pending.get(uri)
        if task is asyncio.current_task():
            server.state.pending.pop(uri, None)


def _lint(context: Context, path: str, text: str, others: dict[str, str]) -> list[Finding]:
    try:
        return context.findings(path, text, others)
    except Exception:  # the library never should; the server must not die if it does
        log.exception("kubelint server: the lint of %s failed", path)
        return []


def _publish(server: KubelintServer, uri: str, version: int | None, text: str, findings: list[Finding]) -> None:
    index = LineIndex(text, server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, version=version, diagnostics=to_diagnostics(index, findings)))


def relint_open(server: KubelintServer) -> None:
    for uri in list(server.workspace.text_documents):
        schedule(server, uri, 0)


# ----------------------------------------------------------------------------- the server


def build() -> KubelintServer:
    server = KubelintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: KubelintServer, params: types.InitializeParams) -> None:
        roots = [path_of(f.uri) for f in params.workspace_folders or ()]
        if not roots and params.root_uri:
            roots = [path_of(params.root_uri)]
        elif not roots and params.root_path:
            roots = [params.root_path]
        ls.state.context = Context([r for r in roots if r])
        loop = asyncio.get_running_loop()
        # the workspace's facts are read in the background: lint the open buffers again then
        ls.state.context.on_ready = lambda: loop.call_soon_threadsafe(relint_open, ls)

    @server.feature(types.INITIALIZED)
    @_guarded(lambda: None)
    def initialized(ls: KubelintServer, params: types.InitializedParams) -> None:
        watch = ls.client_capabilities.workspace
        dynamic = watch and watch.did_change_watched_files and watch.did_change_watched_files.dynamic_registration
        if not dynamic:
            return  # the server still re-reads configs and CRD files on save
        watchers = [types.FileSystemWatcher(glob_pattern=g)
                    for g in ("**/.kubelint.yaml", "**/.kubelint.yml", "**/*.yaml", "**/*.yml", "**/*.json")]
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="kubelint-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guarded(lambda: None)
    def did_open(ls: KubelintServer, params: types.DidOpenTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, 0)
        if actions_mention_crds(params.text_document.text):
            _relint_others(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guarded(lambda: None)
    def did_change(ls: KubelintServer, params: types.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @_guarded(lambda: None)
    def did_save(ls: KubelintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        if ls.state.context.invalidate([path]):
            relint_open(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guarded(lambda: None)
    def did_close(ls: KubelintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.state.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        closed = ls.state.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if closed is not None and actions_mention_crds(closed.text):
            relint_open(ls)  # its CRDs now come from the file on disk, if anywhere

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guarded(lambda: None)
    def watched(ls: KubelintServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (path_of(change.uri) for change in params.changes) if p]
        if ls.state.context.invalidate(paths):
            relint_open(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @_guarded(lambda: None)
    def folders(ls: KubelintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        roots = set(ls.state.context.roots)
        roots -= {path_of(f.uri) for f in params.event.removed}
        roots |= {p for p in (path_of(f.uri) for f in params.event.added) if p}
        ls.state.context.roots = sorted(r for r in roots if r)
        ls.state.context.invalidate()
        relint_open(ls)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND, types.CodeActionKind.SourceFixAll]))
    async def code_action(ls: KubelintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        try:
            return await _code_actions(ls, params)
        except Exception:
            log.exception("kubelint server: code actions failed")
            return None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: KubelintServer, params: types.HoverParams) -> types.Hover | None:
        try:
            return await _hover(ls, params)
        except Exception:
            log.exception("kubelint server: hover failed")
            return None

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["-"]))
    async def completion(ls: KubelintServer, params: types.CompletionParams) -> list[types.CompletionItem] | None:
        try:
            return await _completion(ls, params)
        except Exception:
            log.exception("kubelint server: completion failed")
            return None

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: KubelintServer, params: Any) -> None:
        for task in ls.state.pending.values():
            task.cancel()
        ls.state.pending.clear()
        ls.state.executor.shutdown(wait=False, cancel_futures=True)
        ls.state.docs.shutdown(wait=False, cancel_futures=True)
        ls.state.context.close()

    return server


def actions_mention_crds(text: str) -> bool:
    from kubelint.server.context import CRD_MARK

    return CRD_MARK in text


def _relint_others(server: KubelintServer, uri: str) -> None:
    for other in list(server.workspace.text_documents):
        if other != uri:
            schedule(server, other)


def _current(server: KubelintServer, uri: str) -> Linted | None:
    """The last lint of `uri`, when it is of the text the client has now."""
    document = server.workspace.text_documents.get(uri)
    linted = server.state.linted.get(uri)
    if document is None or linted is None or linted.version != document.version:
        return None
    return linted


async def _in_worker(server: KubelintServer, function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(server.state.executor, function, *args)


async def _in_docs_worker(server: KubelintServer, function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(server.state.docs, function, *args)


async def _code_actions(server: KubelintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    path = path_of(uri)
    linted = _current(server, uri)
    if path is None or linted is None:
        return None
    wanted = params.context.only
    index = LineIndex(linted.text, server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
    out: list[types.CodeAction] = []
    context = server.state.context
    if not wanted or any(kind in (types.CodeActionKind.QuickFix,) or
                         str(kind).startswith("quickfix") for kind in wanted):
        out += await _quick_fixes(server, uri, path, linted, index, params)
    if (not wanted or any(actions.FIX_ALL_KIND.startswith(str(kind)) for kind in wanted)) \
            and await _has_safe_fix(server, path, linted):
        if linted.fixed is None:  # the passes of --fix re-lint: once per version, only when there is a fix
            others = _open_buffers(server, uri)
            linted.fixed = await _in_worker(server, context.fix_all, path, linted.text, others)
        action = actions.fix_all_action(uri, linted.version, index, linted.fixed)
        if action is not None:
            out.append(action)
    return out


async def _fixes(server: KubelintServer, path: str, linted: Linted) -> dict[Finding, Any]:
    """The fixes of the findings of this version, computed once."""
    if linted.fixes is None:
        linted.fixes = await _in_worker(server, server.state.context.fixes, path, linted.text, linted.findings)
    return linted.fixes


async def _has_safe_fix(server: KubelintServer, path: str, linted: Linted) -> bool:
    from kubelint.fix import FIXABLE
    from kubelint.fix.model import Fix

    if not any(f.rule in FIXABLE for f in linted.findings):
        return False
    return any(isinstance(fix, Fix) and fix.safe for fix in (await _fixes(server, path, linted)).values())


async def _quick_fixes(server: KubelintServer, uri: str, path: str, linted: Linted, index: LineIndex,
                       params: types.CodeActionParams) -> list[types.CodeAction]:
    requested = params.range
    chosen: list[tuple[Finding, types.Diagnostic]] = []
    for finding, diagnostic in zip(linted.findings, to_diagnostics(index, linted.findings), strict=True):
        span = finding_range(index, finding)
        if _overlaps(span, requested):
            chosen.append((finding, diagnostic))
    if not chosen:
        return []
    fixes = await _fixes(server, path, linted)
    return await _in_worker(server, _actions_for, server.state.context, uri, path, linted.version, index,
                            chosen, fixes)


def _actions_for(context: Context, uri: str, path: str, version: int | None, index: LineIndex,
                 chosen: list[tuple[Finding, types.Diagnostic]], fixes: dict[Finding, Any]) -> list[types.CodeAction]:
    """The fixes, then the disable comments, of the findings at the requested range (in the worker:
    a disable comment is offered only once the text with it parses to the same objects)."""
    from kubelint.engine.rules import all_rules
    from kubelint.fix.model import Fix

    try:
        rules = all_rules(context.options_for(path).rules_dirs)
    except Exception:
        rules = {}
    out: list[types.CodeAction] = []
    for finding, diagnostic in chosen:
        fix = fixes.get(finding)
        if isinstance(fix, Fix) and fix.edits:
            out.append(actions.fix_action(uri, version, index, fix, diagnostic))
    for finding, diagnostic in chosen:
        rule = rules.get(finding.rule)
        action = actions.disable_action(uri, version, index, finding, rule.category if rule else "", diagnostic)
        if action is not None:
            out.append(action)
    return out


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


async def _hover(server: KubelintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    path = path_of(uri)
    document = server.workspace.text_documents.get(uri)
    if path is None or document is None:
        return None
    from kubelint.server.hover import hover_text

    text = document.source
    index = LineIndex(text, server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
    line, column = index.from_lsp(params.position)
    linted = _current(server, uri)
    findings = linted.findings if linted is not None else []
    others = _open_buffers(server, uri)
    markdown = await _in_docs_worker(server, hover_text, server.state.context, path, text, others, findings, line, column)
    if not markdown:
        return None
    return types.Hover(contents=types.MarkupContent(kind=_markup(server, "hover"), value=markdown))


def _markup(server: KubelintServer, where: str) -> types.MarkupKind:
    """Markdown where the client says it renders it, else the same text as plain text."""
    from pygls.capabilities import get_capability

    field = ("text_document.hover.content_format" if where == "hover"
             else "text_document.completion.completion_item.documentation_format")
    formats = get_capability(server.client_capabilities, field, None) or ()  # type: ignore[call-overload]
    return types.MarkupKind.Markdown if types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText


async def _completion(server: KubelintServer, params: types.CompletionParams) -> list[types.CompletionItem] | None:
    uri = params.text_document.uri
    path = path_of(uri)
    document = server.workspace.text_documents.get(uri)
    if path is None or document is None:
        return None
    from kubelint.server.completion import complete

    text = document.source
    index = LineIndex(text, server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
    others = _open_buffers(server, uri)
    return await _in_docs_worker(server, complete, server.state.context, path, text, others, index, params.position,
                            _markup(server, "completion"))


def serve_stdio() -> int:
    """Serve over standard input and output until the client says exit; 0 after a shutdown."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # stderr: stdout is the protocol
    server = build()
    server.start_io()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1


def uri_of(path: str) -> str:
    return from_fs_path(path) or path
